import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'

/** The temporary files of a save: `.NAME.podnet-PID-RANDOM.tmp`, next to the file they replace. */
const TEMP = /^\.(.+)\.podnet-(\d+)-[0-9a-f]{12}\.tmp$/

/** The file a path names once its symbolic links are followed (the link itself stays a link). */
export function saveTarget(path: string): string {
  let p = resolve(path)
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats
    try {
      st = lstatSync(p)
    } catch {
      return p
    }
    if (!st.isSymbolicLink()) return p
    const to = readlinkSync(p)
    p = isAbsolute(to) ? to : resolve(dirname(p), to)
  }
  // As the kernel says of a loop of links.
  throw Object.assign(new Error(`${path}: Too many levels of symbolic links`), { code: 'ELOOP' })
}

/** Whether a process id is alive (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the temporary files that saves of `path` left behind when their process died (a crash,
 * a kill, a power cut) and that no running save is using. Returns how many went.
 */
export function cleanStaleTemps(path: string): number {
  const target = saveTarget(path)
  const dir = dirname(target)
  const name = basename(target)
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return 0
  }
  let n = 0
  for (const e of entries) {
    const m = TEMP.exec(e)
    if (!m || m[1] !== name || alive(Number(m[2]))) continue
    try {
      unlinkSync(join(dir, e))
      n++
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return n
}

/** cleanStaleTemps for every file of a directory that has temporary files (an app's own folder). */
export function cleanStaleTempsIn(dir: string): number {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return 0
  }
  const targets = new Set(entries.map((e) => TEMP.exec(e)?.[1]).filter((t): t is string => t !== undefined))
  let n = 0
  for (const t of targets) n += cleanStaleTemps(join(dir, t))
  return n
}

/**
 * Saves atomically: the new content goes to a temporary file in the same directory, is flushed to
 * disk, then renamed over the target and the directory flushed, so a crash at any moment leaves
 * either the old file or the new one. A symbolic link is written through (its target is replaced,
 * the link stays), the target keeps its permissions (and owner, where we may set it), a failed
 * save removes its temporary file, and temporary files a crashed save left are removed first.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = saveTarget(path)
  cleanStaleTemps(target)
  let old: Stats | null = null
  try {
    old = statSync(target)
  } catch {
    /* a new file */
  }
  const tmp = join(dirname(target), `.${basename(target)}.podnet-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', old ? old.mode & 0o7777 : 0o666)
  try {
    // open() applied the umask; an existing file's mode is kept exactly.
    if (old) {
      fchmodSync(fd, old.mode & 0o7777)
      if (process.getuid?.() === 0) fchownSync(fd, old.uid, old.gid)
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    removeQuietly(tmp)
    throw e
  }
  closeSync(fd)
  try {
    renameSync(tmp, target)
  } catch (e) {
    removeQuietly(tmp)
    throw e
  }
  syncDir(dirname(target))
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    /* the save's own error is the one to report */
  }
}

/** fsync of a directory, so the rename itself is on disk (where directories can be opened). */
function syncDir(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    /* some filesystems cannot sync a directory; the rename is done */
  } finally {
    closeSync(fd)
  }
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8')
}
