// Recovery of unsaved work in the desktop app: one file per open lab in the user data folder's
// recovery/ folder, kept while the lab has unsaved changes. A lab's file is named from the lab
// (its saved path, or an id of its own while it is untitled), so two labs never share one, and
// each file says which process keeps it: the next start offers only the files of processes that
// are gone, and Discard or a clean save removes only the lab's own file.
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { cleanStaleTempsIn, writeFileAtomic } from '../lab/files.ts'

/** What a recovery file says about the lab it keeps. */
export interface RecoveryMeta {
  /** The process that keeps it. */
  owner: number
  /** Where the lab was saved, if it was. */
  path?: string
  name: string
}

/** A recovery file left by a process that is gone. */
export interface Orphan {
  file: string
  meta: RecoveryMeta
  /** The lab file text. */
  text: string
  mtimeMs: number
}

const HEADER = '# podnet-recovery '
const FILE = /^lab-[0-9a-f]{16}\.yaml$/

/** Whether a process id is alive (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  if (pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A key for a lab that has no file yet: unique to this lab in this process. */
export function untitledKey(): string {
  return `untitled:${randomUUID()}`
}

/** The key of a lab: its saved path, or the untitled key it was given. */
export function labKey(path: string | undefined, untitled: string): string {
  return path === undefined ? untitled : `path:${path}`
}

export class RecoveryStore {
  constructor(
    readonly dir: string,
    readonly owner = process.pid,
    /** The single recovery.yaml of earlier versions, offered once like an orphan. */
    readonly legacyFile?: string,
  ) {}

  /** The recovery file of a lab. */
  fileFor(key: string): string {
    return join(this.dir, `lab-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.yaml`)
  }

  /** Keeps a lab's unsaved text (atomically: a crash mid-write leaves the previous one). */
  write(key: string, meta: Omit<RecoveryMeta, 'owner'>, text: string): void {
    mkdirSync(this.dir, { recursive: true })
    const m: RecoveryMeta = { owner: this.owner, ...meta }
    writeFileAtomic(this.fileFor(key), `${HEADER}${JSON.stringify(m)}\n${text}`)
  }

  /** Forgets a lab's recovery file (saved, discarded, or replaced by another lab). */
  remove(key: string): void {
    rmSync(this.fileFor(key), { force: true })
  }

  /**
   * Recovery files of processes that are gone (the app crashed or was killed with unsaved work),
   * newest first. Files of a running instance are never offered, nor removed. Temporary files of
   * interrupted writes are removed on the way.
   */
  orphans(): Orphan[] {
    let names: string[] = []
    try {
      names = readdirSync(this.dir)
    } catch {
      /* no recovery folder yet */
    }
    cleanStaleTempsIn(this.dir)
    const out: Orphan[] = []
    for (const n of names) {
      if (!FILE.test(n)) continue
      const file = join(this.dir, n)
      let text: string
      let mtimeMs: number
      try {
        text = readFileSync(file, 'utf8')
        mtimeMs = statSync(file).mtimeMs
      } catch {
        continue
      }
      const meta = readMeta(text)
      if (meta === null) continue
      if (meta.owner === this.owner || alive(meta.owner)) continue
      out.push({ file, meta, text: text.slice(text.indexOf('\n') + 1), mtimeMs })
    }
    if (this.legacyFile) {
      try {
        out.push({ file: this.legacyFile, meta: { owner: 0, name: 'recovery' }, text: readFileSync(this.legacyFile, 'utf8'), mtimeMs: statSync(this.legacyFile).mtimeMs })
      } catch {
        /* none */
      }
    }
    return out.sort((a, b) => b.mtimeMs - a.mtimeMs)
  }

  /** Removes an orphan once it was restored or discarded. */
  drop(o: Orphan): void {
    rmSync(o.file, { force: true })
  }
}

function readMeta(text: string): RecoveryMeta | null {
  if (!text.startsWith(HEADER)) return null
  try {
    const m = JSON.parse(text.slice(HEADER.length, text.indexOf('\n'))) as Partial<RecoveryMeta>
    if (typeof m.owner !== 'number' || !Number.isInteger(m.owner) || typeof m.name !== 'string') return null
    if (m.path !== undefined && typeof m.path !== 'string') return null
    return { owner: m.owner, name: m.name, ...(m.path !== undefined ? { path: m.path } : {}) }
  } catch {
    return null
  }
}
