// `npm start`: the desktop app when the Electron binary is installed; otherwise the browser
// build, served locally until Ctrl-C.
import { spawn } from 'node:child_process'
import { findElectron } from './electron-path.mjs'
import { serveStatic } from './serve-static.mjs'

const port = Number(process.env.PORT ?? 4173)

function run(cmd, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env })
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)))
  })
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const electron = findElectron()

if (electron) {
  // electron-vite preview builds main, preload and renderer, then starts Electron on out/.
  process.exit(await run(npx, ['electron-vite', 'preview'], { ...process.env, ELECTRON_EXEC_PATH: electron }))
} else {
  console.log(`Electron binary not installed: serving the browser build at http://127.0.0.1:${port}`)
  const code = await run(npx, ['vite', 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'])
  if (code !== 0) process.exit(code)
  const server = await serveStatic('dist-web', port)
  console.log(`PodNet Lab is at http://127.0.0.1:${port}/ (Ctrl-C to stop)`)
  const stop = () => server.close(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
