// A tiny static file server for the browser build (dist-web): used by `npm start` when there is
// no Electron binary, by the Playwright tests and by bench:ui. Loopback only; no directory listings.
// Every answer makes the page cross-origin isolated (COOP + COEP; everything it loads is its own),
// so the page shares memory with the lab Worker: that is how Cancel stops a long build or open.
import { createServer } from 'node:http'
import { createReadStream, statSync } from 'node:fs'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** Cross-origin isolation: the page may share memory with its Worker (SharedArrayBuffer). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** Serves `dir` on 127.0.0.1:`port`; resolves with the server once it listens. */
export function serveStatic(dir, port, host = '127.0.0.1') {
  const root = resolve(dir)
  const server = createServer((req, res) => {
    let path
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400).end('bad request')
      return
    }
    if (path.endsWith('/')) path += 'index.html'
    const file = normalize(join(root, path))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden')
      return
    }
    let st
    try {
      st = statSync(file)
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    if (!st.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': st.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...ISOLATION_HEADERS,
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  })
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolveListen(server))
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? 'dist-web'
  const port = Number(process.argv[3] ?? 4173)
  serveStatic(dir, port).then(
    () => console.log(`serving ${dir} at http://127.0.0.1:${port}`),
    (e) => {
      console.error(`cannot serve ${dir} on port ${port}: ${e.message}`)
      process.exit(1)
    },
  )
}
