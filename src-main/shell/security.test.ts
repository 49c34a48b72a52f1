import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createHandlers, LabService } from '../ipc/handlers.ts'
import { labKey, RecoveryStore, untitledKey } from './recovery.ts'
import { appFileFor, CSP, isAppPage, isTrustedSender, mayNavigate, pageUrl, permissionAllowed, saveRequestError, type AppPage } from './security.ts'

const dir = mkdtempSync(join(tmpdir(), 'podnet-hardening-shell-'))
const prod: AppPage = { rendererDir: join(dir, 'out', 'renderer') }
const dev: AppPage = { rendererDir: prod.rendererDir, devUrl: 'http://localhost:5173/' }
const index = pathToFileURL(join(prod.rendererDir, 'index.html')).href

describe('the window only trusts its own page', () => {
  it('takes IPC only from the main frame of the app page in the app window', () => {
    const ok = { url: index, mainFrame: true, appWindow: true }
    expect(isTrustedSender(ok, prod)).toBe(true)
    expect(isTrustedSender({ ...ok, url: `${index}#/trace` }, prod)).toBe(true)
    // An iframe of the page, another window, another file, another page of the disk: no.
    expect(isTrustedSender({ ...ok, mainFrame: false }, prod)).toBe(false)
    expect(isTrustedSender({ ...ok, appWindow: false }, prod)).toBe(false)
    for (const url of [pathToFileURL(join(prod.rendererDir, 'other.html')).href, 'file:///tmp/evil.html', `${index}?x=1`, 'file://evil.example/' + index.slice(8), 'https://example.com/', 'about:blank', 'not a url', '']) {
      expect(isTrustedSender({ ...ok, url }, prod), url).toBe(false)
    }
  })

  it('matches the dev server by its exact origin, not by a prefix', () => {
    const ok = { url: 'http://localhost:5173/', mainFrame: true, appWindow: true }
    expect(isTrustedSender(ok, dev)).toBe(true)
    expect(isTrustedSender({ ...ok, url: 'http://localhost:5173/index.html#x' }, dev)).toBe(true)
    for (const url of ['http://localhost:5173.evil.example/', 'http://localhost:51730/', 'https://localhost:5173/', 'http://localhost:5173@evil.example/', index]) {
      expect(isTrustedSender({ ...ok, url }, dev), url).toBe(false)
    }
    expect(pageUrl(dev)).toBe('http://localhost:5173/')
    expect(pageUrl(prod)).toBe(index)
  })

  it('navigates and redirects only to its own page', () => {
    expect(mayNavigate(index, prod)).toBe(true)
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', pathToFileURL(join(dir, 'x.html')).href]) expect(mayNavigate(url, prod), url).toBe(false)
    expect(isAppPage('http://localhost:5173/x', dev)).toBe(true)
  })

  it('reads through file:// only the renderer’s own files', () => {
    expect(appFileFor(index, prod)).toBe(join(prod.rendererDir, 'index.html'))
    expect(appFileFor(pathToFileURL(join(prod.rendererDir, 'assets', 'main.js')).href, prod)).toBe(join(prod.rendererDir, 'assets', 'main.js'))
    for (const url of ['file:///etc/passwd', `${pathToFileURL(prod.rendererDir).href}/../main/index.js`, `${pathToFileURL(prod.rendererDir).href}/assets/..%2f..%2fmain/index.js`, `${pathToFileURL(prod.rendererDir).href}/%2e%2e/x`, pathToFileURL(prod.rendererDir).href, `${pathToFileURL(prod.rendererDir).href}-other/x.js`, 'file://host/share/x', 'https://example.com/x.js']) {
      expect(appFileFor(url, prod), url).toBeNull()
    }
  })

  it('gives no permission, and its CSP forbids framing, plugins and foreign scripts', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) expect(permissionAllowed(p)).toBe(false)
    expect(CSP).toContain("frame-ancestors 'none'")
    expect(CSP).toContain("object-src 'none'")
    expect(CSP).toContain("script-src 'self'")
    // The meta tag carries the same policy but frame-ancestors, which browsers ignore there.
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]
    expect(meta).toBe(CSP.replace("; frame-ancestors 'none'", ''))
  })
})

describe('paths come only from the main process', () => {
  it('refuses a save request that names a path, or anything else', () => {
    expect(saveRequestError(undefined)).toBeNull()
    expect(saveRequestError({})).toBeNull()
    expect(saveRequestError({ path: '/home/user/.bashrc' })).toEqual({ code: 'invalid-request', message: 'path: the page cannot choose where the lab is saved; Save As asks the user', path: 'path' })
    expect(saveRequestError({ to: 'x' })).toMatchObject({ code: 'invalid-request', path: 'to' })
    expect(saveRequestError('x')).toMatchObject({ code: 'invalid-request', path: 'request' })
  })

  it('has no request through which a page sets where the lab is written', async () => {
    const service = new LabService('same-node')
    const h = createHandlers(service)
    const text = service.text()
    await expect(h.openLab({ text, path: '/home/user/.bashrc' })).rejects.toMatchObject({ code: 'invalid-request', path: 'path' })
    await expect(h.saveLab({ path: '/home/user/.bashrc' })).rejects.toMatchObject({ code: 'invalid-request', path: 'path' })
    await h.openLab({ text, name: '/home/user/.bashrc' })
    expect(service.path).toBeUndefined()
    expect((await h.saveLab({})).path).toBeUndefined()
  })
})

describe('recovery files, one per lab', () => {
  it('names a file per lab, and a lab keeps and removes only its own', () => {
    const store = new RecoveryStore(join(dir, 'rec1'))
    const a = untitledKey()
    const b = labKey('/labs/b.podnet', untitledKey())
    expect(store.fileFor(a)).not.toBe(store.fileFor(b))
    expect(store.fileFor(labKey('/labs/b.podnet', 'x'))).toBe(store.fileFor(b))
    store.write(a, { name: 'a' }, 'A')
    store.write(b, { name: 'b', path: '/labs/b.podnet' }, 'B')
    store.remove(a)
    expect(readdirSync(join(dir, 'rec1'))).toEqual([store.fileFor(b).split('/').pop()])
    expect(readFileSync(store.fileFor(b), 'utf8')).toBe(`# podnet-recovery {"owner":${process.pid},"name":"b","path":"/labs/b.podnet"}\nB`)
  })

  it('offers only the work of instances that are gone, newest first, never a running one’s', async () => {
    const rec = join(dir, 'rec2')
    // A process that ran and ended: its unsaved lab is an orphan.
    const gone = spawn(process.execPath, ['-e', '0'])
    await new Promise((res) => gone.once('exit', res))
    const dead = new RecoveryStore(rec, gone.pid!)
    dead.write(untitledKey(), { name: 'lost' }, 'LOST')
    // A running instance (this process's parent stands in for it) and this one: never offered.
    new RecoveryStore(rec, process.ppid).write(untitledKey(), { name: 'live' }, 'LIVE')
    const mine = new RecoveryStore(rec)
    mine.write(untitledKey(), { name: 'mine' }, 'MINE')
    // A file that is not a recovery file, and a leftover of an interrupted write.
    writeFileSync(join(rec, 'notes.txt'), 'x')
    writeFileSync(join(rec, `.${mine.fileFor('z').split('/').pop()}.podnet-${gone.pid}-0123456789ab.tmp`), 'half')
    const orphans = mine.orphans()
    expect(orphans.map((o) => [o.meta.name, o.text])).toEqual([['lost', 'LOST']])
    mine.drop(orphans[0])
    expect(mine.orphans()).toEqual([])
    expect(readdirSync(rec).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(readdirSync(rec).filter((f) => f.endsWith('.yaml'))).toHaveLength(2)
  })

  it('offers the single recovery.yaml of earlier versions once', () => {
    const d = join(dir, 'legacy')
    mkdirSync(d)
    writeFileSync(join(d, 'recovery.yaml'), 'OLD')
    const store = new RecoveryStore(join(d, 'recovery'), process.pid, join(d, 'recovery.yaml'))
    const [o] = store.orphans()
    expect(o.text).toBe('OLD')
    store.drop(o)
    expect(store.orphans()).toEqual([])
  })
})
