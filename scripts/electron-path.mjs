// Where the Electron binary is, without the `electron` package's own lookup (requiring it starts
// a download when the binary is missing, which cannot work offline). Null when not installed.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export function findElectron() {
  let pkgDir
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const rel = readFileSync(pathFile, 'utf8').trim()
  const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : join(pkgDir, 'dist', rel)
  return existsSync(bin) ? bin : null
}
