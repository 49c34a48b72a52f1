import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import viteWeb from '../../vite.web.config.ts'

// The browser build cancels long work through memory shared with its Worker, which a page has
// only when cross-origin isolated: every server of the build sends the same headers.
const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
}

describe('cross-origin isolation of the browser build', () => {
  it('scripts/serve-static.mjs sends COOP, COEP and CORP with every file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podnet-hardening-serve-'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html>')
    writeFileSync(join(dir, 'worker.js'), 'export {}')
    const script = new URL('../../scripts/serve-static.mjs', import.meta.url).href
    const { serveStatic } = (await import(script)) as { serveStatic(dir: string, port: number): Promise<Server> }
    const server = await serveStatic(dir, 0)
    try {
      const { port } = server.address() as AddressInfo
      for (const file of ['/', '/worker.js']) {
        const res = await fetch(`http://127.0.0.1:${port}${file}`)
        expect(res.status).toBe(200)
        for (const [name, value] of Object.entries(ISOLATED)) expect(res.headers.get(name), `${name} of ${file}`).toBe(value)
      }
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the Vite dev and preview servers send the same headers', () => {
    const config = viteWeb as { server?: { headers?: Record<string, string> }; preview?: { headers?: Record<string, string> } }
    const lower = (h: Record<string, string> = {}) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
    expect(lower(config.server?.headers)).toEqual(ISOLATED)
    expect(lower(config.preview?.headers)).toEqual(ISOLATED)
  })
})
