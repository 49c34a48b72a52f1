// Lab files the OS or the command line hands to the app: `podnet-lab lab.podnet`, a double click
// (argv on Windows and Linux, the open-file event on macOS), or a second start of the app while
// it runs (its argv and working directory arrive in the first instance).
import { isAbsolute, resolve } from 'node:path'

/** The extension the app registers with the OS; .yaml and .yml open too. */
export const LAB_EXTENSION = 'podnet'
export const LAB_EXTENSIONS = [LAB_EXTENSION, 'yaml', 'yml'] as const

/**
 * The files named on a command line: what follows the executable (and, when Electron runs an
 * unpackaged app, the app's own path), without switches Chromium or the OS add. Relative paths
 * are taken from `cwd`.
 */
export function filesFromArgv(argv: readonly string[], cwd: string, opts: { packaged: boolean }): string[] {
  // electron . FILE / electron out/main/index.js FILE: the first word after the executable is the app.
  const rest = argv.slice(opts.packaged ? 1 : 2)
  const files: string[] = []
  let dashdash = false
  for (const a of rest) {
    if (!dashdash && a === '--') {
      dashdash = true
      continue
    }
    // --allow-file-access-from-files, -psn_0_12345 (old macOS Finder), --inspect=...
    if (!dashdash && a.startsWith('-')) continue
    if (a === '') continue
    files.push(isAbsolute(a) ? a : resolve(cwd, a))
  }
  return files
}

/** Opens that arrive before the window can take them (macOS sends open-file before ready). */
export class PendingOpens {
  private queue: string[] = []
  private handler: ((path: string) => void) | null = null

  push(path: string): void {
    if (this.handler) this.handler(path)
    else this.queue.push(path)
  }

  /** Opens wait again (the window that took them is gone). */
  detach(): void {
    this.handler = null
  }

  /** From now on opens go to `handler`; those that waited go first, in order. */
  attach(handler: (path: string) => void): void {
    this.handler = handler
    const waiting = this.queue
    this.queue = []
    for (const p of waiting) handler(p)
  }
}
