// Files the commands read and write: lab files (read, validated, built), command files, outputs.
// Every failure becomes a CliError that names the file and the problem.
import { readFileSync, writeFileSync } from 'node:fs'
import { readText, writeFileAtomic } from '../lab/files.ts'
import { fieldPosition, LabFormatError, parseLab, type LabDoc } from '../lab/format.ts'
import { instantiate, LabBuildError, type LabRuntime } from '../lab/lab.ts'
import { CliError, type Io } from './command.ts'

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'No such file or directory'
  if (code === 'EACCES') return 'Permission denied'
  if (code === 'EISDIR') return 'Is a directory'
  return (e as Error).message
}

/** The text of a file, or of standard input for `-`. */
export function readInput(path: string): string {
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readText(path)
  } catch (e) {
    throw new CliError({ en: `cannot read ${path}: ${reason(e)}`, ja: `${path} を読めません：${reason(e)}` })
  }
}

/** The texts of the lab files read so far, so a later error can name the line of its field. */
const labTexts = new Map<string, string>()

/** Reads and validates a lab file; a malformed one is reported with file:line:col. */
export function loadLab(path: string): LabDoc {
  const text = readInput(path)
  labTexts.set(path, text)
  try {
    return parseLab(text, path)
  } catch (e) {
    if (e instanceof LabFormatError) throw new CliError({ en: e.message, ja: e.message })
    throw e
  }
}

/** A located error about a field of a lab file read by loadLab: FILE:LINE:COL: FIELD: PROBLEM. */
export function labFieldError(path: string, field: string, problem: string): CliError {
  const text = labTexts.get(path)
  const at = text === undefined ? '' : `:${fieldPosition(text, field).line}:${fieldPosition(text, field).col}`
  const msg = `${path}${at}: ${field}: ${problem}`
  return new CliError({ en: msg, ja: msg })
}

/** Builds the lab's World (cluster, then history); a lab that cannot be built names the file, line and field. */
export function buildLab(doc: LabDoc, path: string): LabRuntime {
  try {
    return instantiate(doc)
  } catch (e) {
    if (e instanceof LabBuildError) throw labFieldError(path, e.path, e.problem)
    throw e
  }
}

/** Loads and builds a lab file in one go. */
export function openLab(path: string): LabRuntime & { doc: LabDoc } {
  const doc = loadLab(path)
  return { doc, ...buildLab(doc, path) }
}

/** Writes an output file atomically (text) or whole (bytes); `-` writes to standard output. */
export function writeOutput(path: string, data: string | Uint8Array, io: Io): void {
  if (path === '-') {
    if (typeof data === 'string') return io.out(data)
    if (!io.bytes) throw new CliError({ en: 'cannot write binary data here: give a file name', ja: 'ここにはバイナリデータを書き込めません。ファイル名を指定してください' })
    return io.bytes(data)
  }
  try {
    if (typeof data === 'string') writeFileAtomic(path, data)
    else writeFileSync(path, data)
  } catch (e) {
    throw new CliError({ en: `cannot write ${path}: ${reason(e)}`, ja: `${path} に書き込めません：${reason(e)}` })
  }
}
