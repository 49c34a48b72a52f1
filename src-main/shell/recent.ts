// Recent labs for File > Open Recent (every OS; macOS and Windows also get the OS's own list
// through app.addRecentDocument). Newest first, no duplicates, at most MAX_RECENT.
import { existsSync } from 'node:fs'
import { readJson, writeJson } from './json-file.ts'

export const MAX_RECENT = 10

export class RecentLabs {
  private paths: string[]

  constructor(private readonly file: string) {
    const v = readJson(file)
    this.paths = Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p !== '').slice(0, MAX_RECENT) : []
  }

  /** The list, leaving out files that no longer exist. */
  list(): string[] {
    return this.paths.filter((p) => existsSync(p))
  }

  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX_RECENT)
    this.save()
  }

  remove(path: string): void {
    this.paths = this.paths.filter((p) => p !== path)
    this.save()
  }

  clear(): void {
    this.paths = []
    this.save()
  }

  private save(): void {
    writeJson(this.file, this.paths)
  }
}
