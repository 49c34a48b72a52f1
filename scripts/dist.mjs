// `npm run dist`: builds the app (electron-vite) and packages it with electron-builder: AppImage
// and deb for Linux by default, or what the arguments ask (`npm run dist -- --mac`, `-- --win`).
// electron-builder needs the Electron binary for the target: the one in node_modules/electron
// when installed, else a download from Electron's releases. Where neither is possible it says so
// and builds nothing.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectron } from './electron-path.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const args = process.argv.slice(2)
const targets = args.length ? args : ['--linux', 'AppImage', 'deb']
const hostTarget = targets.every((a) => !a.startsWith('--') || a === `--${{ linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform]}`)

/** Whether Electron's release for the target can be downloaded from here. */
async function canDownload() {
  const base = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/'
  const url = `${base}v${version}/SHASUMS256.txt`
  try {
    const r = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(10_000) })
    return r.ok ? null : `${url} answered ${r.status}`
  } catch (e) {
    return `${url} cannot be reached (${e.cause?.code ?? e.message})`
  }
}

const local = hostTarget ? findElectron() : null
if (!local) {
  const why = await canDownload()
  if (why) {
    console.error(`npm run dist: cannot build the packages on this machine.
electron-builder puts the Electron ${version} binary into every package, and it cannot be obtained here:
  - node_modules/electron has no binary (its download at install time did not happen or failed), and
  - ${why}.
Run npm run dist on a machine that can reach Electron's releases (or set ELECTRON_MIRROR to a
mirror of them). Nothing was built.`)
    process.exit(1)
  }
}

const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
run('npx', ['electron-vite', 'build'])
const dist = local ? [`-c.electronDist=${dirname(local).replace(/\/Electron\.app\/Contents\/MacOS$/, '')}`] : []
run('npx', ['electron-builder', '--config', 'electron-builder.config.cjs', ...targets, ...dist])
