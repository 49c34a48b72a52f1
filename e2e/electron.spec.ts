import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

// The desktop build (out/, from `npm run build`) in a real Electron. Runs wherever the Electron
// binary is installed; elsewhere it reports itself skipped, with the reason, never passing silently.

const SKIP_REASON = 'skipped: Electron binary not installed'

/** The binary, found the way scripts/electron-path.mjs does: never through require('electron'), which downloads. */
function electronBinary(): string | null {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(pkg, 'path.txt')
    if (!existsSync(pathFile)) return null
    const rel = readFileSync(pathFile, 'utf8').trim()
    const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : join(pkg, 'dist', rel)
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

interface Api {
  getState(): Promise<{ dirty: boolean; topology: { namespaces: { name: string }[] } }>
  saveLab(req: { path?: string }): Promise<{ text: string; path?: string }>
  exec(req: { line: string; netns?: string }): Promise<{ stdout: string }>
  trace(req: { from: string; to: string }): Promise<{ delivered: boolean }>
}
const podnet = (): Api => (globalThis as unknown as { podnet: Api }).podnet

test('the desktop app: a sandboxed window, the preload API, the menu and recovery', async () => {
  const bin = electronBinary()
  if (!bin) console.log(SKIP_REASON)
  test.skip(!bin, SKIP_REASON)
  const userData = mkdtempSync(join(tmpdir(), 'podnet-e2e-'))
  const app = await electron.launch({ executablePath: bin!, args: ['out/main/index.js'], env: { ...process.env, PODNET_USER_DATA: userData } })
  try {
    const win = await app.firstWindow()
    await expect(win.getByTestId('topology-outline')).toContainText('pod1')
    await expect(win).toHaveTitle(/PodNet Lab/)

    // The window is locked down: no Node in the page, the lab only through window.podnet.
    expect(await win.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe('undefined')
    expect(await win.evaluate(() => typeof (globalThis as Record<string, unknown>).process)).toBe('undefined')
    expect(await win.evaluate(() => typeof (globalThis as unknown as { podnet: Api }).podnet.trace)).toBe('function')

    const menu = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => ({ label: i.label, items: i.submenu?.items.map((s) => s.label) })))
    expect(menu?.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help'])
    expect(menu?.[0].items).toEqual(expect.arrayContaining(['New from scenario…', 'Open…', 'Save', 'Save As…', 'Export']))

    // The same UI as the browser build, over IPC: a trace.
    await win.getByTestId('trace-to').fill('pod2')
    await win.getByRole('button', { name: /Send packet/ }).click()
    await expect(win.getByTestId('verdict')).toContainText('reaches pod2')

    // A change is autosaved for recovery; saving (to a path: the shell writes it) clears that.
    const r = await win.evaluate(() => podnet().exec({ line: 'sysctl -w net.ipv4.ip_forward=0', netns: 'node1' }))
    expect(r.stdout).toContain('net.ipv4.ip_forward = 0')
    const recovery = join(userData, 'recovery.yaml')
    await expect.poll(() => existsSync(recovery)).toBe(true)
    expect(readFileSync(recovery, 'utf8')).toContain('ip netns exec node1 sysctl -w net.ipv4.ip_forward=0')
    const file = join(userData, 'saved.yaml')
    const saved = await win.evaluate((p) => podnet().saveLab({ path: p }), file)
    expect(saved.path).toBe(file)
    expect(readFileSync(file, 'utf8')).toContain('apiVersion: podnet.dev/v1')
    await expect.poll(() => existsSync(recovery)).toBe(false)
    expect((await win.evaluate(() => podnet().getState())).dirty).toBe(false)
  } finally {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  }
})
