import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'

/**
 * Saves atomically: the new content goes to a temporary file in the same directory, is flushed
 * to disk, then renamed over the target, so a crash leaves either the old file or the new one.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const fd = openSync(tmp, 'w', 0o644)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, path)
  } catch (e) {
    try {
      unlinkSync(tmp)
    } catch {
      /* the rename error is the one to report */
    }
    throw e
  }
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8')
}
