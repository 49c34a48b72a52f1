import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
  saveLab(req?: Record<string, unknown>): Promise<{ text: string; path?: string }>
  openLab(req: Record<string, unknown>): Promise<unknown>
  exec(req: { line: string; netns?: string }): Promise<{ stdout: string }>
  trace(req: { from: string; to: string }): Promise<{ delivered: boolean }>
}
/**
 * The page's globals a test uses (this file is checked without the DOM's types). Functions given
 * to evaluate() run in the page, so they reach these through globalThis, never through helpers
 * of this file.
 */
type G = { podnet: Api; location: { href: string }; open(url: string): unknown; navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } } }

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
    const tops = process.platform === 'darwin' ? ['PodNet Lab', 'File', 'Edit', 'View', 'Window', 'Help'] : ['File', 'Edit', 'View', 'Help']
    expect(menu?.map((m) => m.label)).toEqual(tops)
    expect(menu?.find((m) => m.label === 'File')?.items).toEqual(expect.arrayContaining(['New from Scenario…', 'Open…', 'Open Recent', 'Save', 'Save As…', 'Export']))

    // The same UI as the browser build, over IPC: a trace.
    await win.getByTestId('trace-to').fill('pod2')
    await win.getByRole('button', { name: /Send packet/ }).click()
    await expect(win.getByTestId('verdict')).toContainText('reaches pod2')

    // A change is autosaved for recovery, in the lab's own recovery file.
    const r = await win.evaluate(() => (globalThis as unknown as G).podnet.exec({ line: 'sysctl -w net.ipv4.ip_forward=0', netns: 'node1' }))
    expect(r.stdout).toContain('net.ipv4.ip_forward = 0')
    const recoveryFiles = (): string[] => (existsSync(join(userData, 'recovery')) ? readdirSync(join(userData, 'recovery')).filter((f) => f.endsWith('.yaml')) : [])
    await expect.poll(recoveryFiles).toHaveLength(1)
    expect(readFileSync(join(userData, 'recovery', recoveryFiles()[0]), 'utf8')).toContain('ip netns exec node1 sysctl -w net.ipv4.ip_forward=0')

    // The page cannot choose where the app writes: a path in a request is refused.
    const file = join(userData, 'saved.podnet')
    await expect(win.evaluate((p) => (globalThis as unknown as G).podnet.saveLab({ path: p }).catch((e: { code: string; path?: string }) => ({ code: e.code, path: e.path })), file)).resolves.toEqual({ code: 'invalid-request', path: 'path' })
    await expect(win.evaluate((p) => (globalThis as unknown as G).podnet.openLab({ text: 'x', path: p }).catch((e: { code: string; path?: string }) => ({ code: e.code, path: e.path })), join(userData, 'x.podnet'))).resolves.toEqual({ code: 'invalid-request', path: 'path' })
    expect(existsSync(file)).toBe(false)
    // Saving goes where the main process's own Save dialog says (answered here), and clears recovery.
    await app.evaluate(({ dialog }, p) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: p })) as typeof dialog.showSaveDialog
    }, file)
    const saved = await win.evaluate(() => (globalThis as unknown as G).podnet.saveLab({}))
    expect(saved.path).toBe(file)
    expect(readFileSync(file, 'utf8')).toContain('apiVersion: podnet.dev/v1')
    await expect.poll(recoveryFiles).toHaveLength(0)
    expect((await win.evaluate(() => (globalThis as unknown as G).podnet.getState())).dirty).toBe(false)

    // The page stays the app's page: no navigation away, no window, no files outside the app, no permission.
    await win.evaluate(() => {
      (globalThis as unknown as G).location.href = 'https://example.com/'
    })
    await win.waitForTimeout(300)
    expect(win.url()).toMatch(/^file:.*\/index\.html/)
    expect(await win.evaluate(() => (globalThis as unknown as G).open('https://example.com/') === null)).toBe(true)
    expect(await win.evaluate(() => fetch('file:///etc/hostname').then(() => 'read', () => 'refused'))).toBe('refused')
    expect(await win.evaluate(() => (globalThis as unknown as G).navigator.permissions.query({ name: 'notifications' }).then((p) => p.state))).toBe('denied')
    // The CSP comes as a header too (frame-ancestors only works there).
    expect(await win.evaluate(() => fetch((globalThis as unknown as G).location.href).then((r) => r.headers.get('content-security-policy')))).toContain("frame-ancestors 'none'")
  } finally {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  }
})

async function launch(args: string[], userData: string): Promise<Awaited<ReturnType<typeof electron.launch>>> {
  return electron.launch({ executablePath: electronBinary()!, args: ['out/main/index.js', ...args], env: { ...process.env, PODNET_USER_DATA: userData } })
}

test('a lab file named on the command line opens, joins the recent labs, and the menus follow the language', async () => {
  const bin = electronBinary()
  if (!bin) console.log(SKIP_REASON)
  test.skip(!bin, SKIP_REASON)
  const userData = mkdtempSync(join(tmpdir(), 'podnet-e2e-cli-desktop-'))
  const lab = join(userData, 'two-nodes.podnet')
  // A lab only this file has: a pod named web on node2.
  writeFileSync(lab, 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata:\n  name: two-nodes\nspec:\n  seed: 1\n  cluster:\n    mode: routes\n    clusterCidr: 10.244.0.0/16\n    underlay: { kind: switch, cidr: 192.168.0.0/24 }\n    nodes:\n      - name: node1\n        pods: [{ name: api }]\n      - name: node2\n        pods: [{ name: web }]\n  commands: []\n')
  let app = await launch([lab], userData)
  try {
    const win = await app.firstWindow()
    await expect(win.getByTestId('topology-outline')).toContainText('web')
    await expect(win).toHaveTitle(/two-nodes\.podnet — PodNet Lab/)
    const recent = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.find((i) => i.label === 'File')?.submenu?.items.find((i) => i.label === 'Open Recent')?.submenu?.items.map((i) => i.label))
    expect(recent?.[0]).toBe(`two-nodes.podnet — ${userData}`)

    // The window switches to Japanese: the menus follow, and the choice is kept for the next start.
    await win.getByRole('button', { name: '日本語' }).click()
    const ja = process.platform === 'darwin' ? ['PodNet Lab', 'ファイル', '編集', '表示', 'ウインドウ', 'ヘルプ'] : ['ファイル', '編集', '表示', 'ヘルプ']
    await expect.poll(() => app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label))).toEqual(ja)
  } finally {
    await app.close()
  }
  // The next start remembers the window, the language and the recent lab.
  expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toHaveProperty('bounds')
  app = await launch([], userData)
  try {
    await app.firstWindow()
    await expect.poll(() => app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label))).toContain('ファイル')
  } finally {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  }
})

test('the desktop app: Help > Exercises opens the course, and progress is kept in the user data folder', async () => {
  const bin = electronBinary()
  if (!bin) console.log(SKIP_REASON)
  test.skip(!bin, SKIP_REASON)
  const userData = mkdtempSync(join(tmpdir(), 'podnet-e2e-exercises-'))
  let app = await launch([], userData)
  try {
    const win = await app.firstWindow()
    await expect(win.getByTestId('topology-outline')).toContainText('pod1')
    await app.evaluate(({ Menu }) => {
      const help = Menu.getApplicationMenu()?.items.find((i) => i.label === 'Help')
      help?.submenu?.items.find((i) => i.label === 'Exercises…')?.click()
    })
    await expect(win.getByTestId('exercise-course')).toBeVisible()
    await win.locator('[data-exercise="w2-ip-forward"]').getByRole('button', { name: 'Start' }).click()
    await win.evaluate(() => (globalThis as unknown as G).podnet.exec({ line: 'sysctl -w net.ipv4.ip_forward=1', netns: 'node2' }))
    await win.getByTestId('exercise-check').click()
    await expect(win.getByTestId('exercise-status')).toHaveText('Solved')
    await expect.poll(() => existsSync(join(userData, 'exercises.json'))).toBe(true)
    expect(JSON.parse(readFileSync(join(userData, 'exercises.json'), 'utf8')).exercises['w2-ip-forward']).toMatchObject({ started: true, solved: true })
    // Saved, so closing asks nothing and the next start offers no recovery.
    await app.evaluate(({ dialog }, p) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: p })) as typeof dialog.showSaveDialog
    }, join(userData, 'ex.podnet'))
    await win.evaluate(() => (globalThis as unknown as G).podnet.saveLab({}))
    await app.close()
    app = await launch([], userData)
    const again = await app.firstWindow()
    await expect(again.getByTestId('topology-outline')).toContainText('pod1')
    await again.getByTestId('toolbar-exercises').click()
    await expect(again.locator('[data-exercise="w2-ip-forward"]')).toContainText('Solved')
  } finally {
    await app.close().catch(() => {})
    rmSync(userData, { recursive: true, force: true })
  }
})

test('a second start hands its lab to the first window and quits; each lab keeps its own recovery file', async () => {
  const bin = electronBinary()
  if (!bin) console.log(SKIP_REASON)
  test.skip(!bin, SKIP_REASON)
  const userData = mkdtempSync(join(tmpdir(), 'podnet-e2e-hardening-'))
  const lab = join(userData, 'second.podnet')
  writeFileSync(lab, 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata:\n  name: second\nspec:\n  seed: 1\n  cluster:\n    mode: routes\n    clusterCidr: 10.244.0.0/16\n    underlay: { kind: switch, cidr: 192.168.0.0/24 }\n    nodes:\n      - name: node1\n        pods: [{ name: only-here }]\n  commands: []\n')
  const app = await launch([], userData)
  try {
    const win = await app.firstWindow()
    await expect(win.getByTestId('topology-outline')).toContainText('pod1')
    // Unsaved work in the first instance.
    await win.evaluate(() => (globalThis as unknown as G).podnet.exec({ line: 'ip link set lo down', netns: 'node1' }))
    const recoveryFiles = (): string[] => readdirSync(join(userData, 'recovery')).filter((f) => f.endsWith('.yaml'))
    await expect.poll(recoveryFiles).toHaveLength(1)
    const first = recoveryFiles()[0]
    // A second start with a file: it exits at once, and the first window is asked to open the file.
    await app.evaluate(({ dialog }) => {
      dialog.showMessageBox = (async () => ({ response: 1, checkboxChecked: false })) as unknown as typeof dialog.showMessageBox
    })
    const second = spawn(bin!, ['out/main/index.js', lab], { env: { ...process.env, PODNET_USER_DATA: userData }, stdio: 'ignore' })
    const code = await new Promise<number | null>((res) => second.once('exit', res))
    expect(code).toBe(0)
    await expect(win.getByTestId('topology-outline')).toContainText('only-here')
    // "Don't save" discarded the first lab: its recovery file went, and no other lab's.
    await expect.poll(recoveryFiles).not.toContain(first)
  } finally {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  }
})

test('the desktop app: long work shows its progress in the window, and Cancel keeps the open lab (New dialog and File > Open)', async () => {
  const bin = electronBinary()
  if (!bin) console.log(SKIP_REASON)
  test.skip(!bin, SKIP_REASON)
  test.setTimeout(180_000)
  const userData = mkdtempSync(join(tmpdir(), 'podnet-e2e-hardening-work-'))
  // A lab whose opening replays 10,000 changes (host routes via other nodes).
  const lines = ['apiVersion: podnet.dev/v1', 'kind: Lab', 'metadata:', '  name: long-history', 'spec:', '  cluster:', '    mode: routes', '    clusterCidr: 10.244.0.0/16', '    underlay: { kind: switch, cidr: 192.168.0.0/24 }', '    nodes:']
  for (let i = 1; i <= 20; i++) lines.push(`      - name: node${i}`, `        pods: [{ name: pod${i}a }]`)
  lines.push('  commands:')
  for (let i = 0; i < 10_000; i++) lines.push(`    - ip -n node${(i % 20) + 1} route add 10.100.${i >> 8}.${i & 255}/32 via 192.168.0.${11 + ((i + 1) % 20)}`)
  const longLab = join(userData, 'long-history.podnet')
  writeFileSync(longLab, lines.join('\n') + '\n')
  const app = await launch([], userData)
  try {
    const win = await app.firstWindow()
    await win.setViewportSize({ width: 1600, height: 1000 })
    await expect(win.getByTestId('topology-outline')).toContainText('pod1')
    await win.evaluate(() => (globalThis as unknown as G).podnet.exec({ line: 'ip route add 10.9.0.0/16 via 10.244.1.2', netns: 'node1' }))
    await expect(win.getByTestId('dirty')).toBeVisible()
    const state = () => win.evaluate(() => (globalThis as unknown as G).podnet.getState().then((s) => ({ dirty: s.dirty, names: s.topology.namespaces.map((n) => n.name), history: (s as unknown as { history: unknown[] }).history })))
    const before = await state()
    const title = await win.title()
    // Every question of the shell is answered "Don't save" (discard), as a learner would.
    await app.evaluate(({ dialog }, p) => {
      dialog.showMessageBox = (async () => ({ response: 1, checkboxChecked: false })) as unknown as typeof dialog.showMessageBox
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [p] })) as unknown as typeof dialog.showOpenDialog
    }, longLab)

    // The New dialog of the window: 1,000 nodes of 30 pods, cancelled while the lab thread builds.
    await win.getByRole('button', { name: 'New lab with options…' }).click()
    const dialog = win.getByRole('dialog', { name: 'New lab from a scenario' })
    await dialog.getByText('Pod to pod across nodes, flannel VXLAN overlay').click()
    await dialog.getByLabel('Nodes', { exact: true }).fill('1000')
    await dialog.getByLabel('Pods per node', { exact: true }).fill('30')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await win.getByRole('button', { name: 'Discard changes' }).click()
    const bar = win.getByTestId('work-progress')
    await expect(bar.getByTestId('work-steps')).toHaveText(/^Step [\d,]+ of 2,001$/, { timeout: 15_000 })
    await bar.getByRole('button', { name: 'Cancel' }).click()
    await expect(bar).toBeHidden({ timeout: 15_000 })
    await expect(win.getByRole('status')).toHaveText('Cancelled. The lab that was open is as it was.')
    expect(await state()).toEqual(before)

    // File > Open, started by the shell: the window follows the lab thread's reports all the same.
    await app.evaluate(({ Menu }) => {
      const file = Menu.getApplicationMenu()?.items.find((i) => i.label === 'File')
      file?.submenu?.items.find((i) => i.label === 'Open…')?.click()
    })
    await expect(bar.getByTestId('work-steps')).toHaveText(/^Command [\d,]+ of 10,000$/, { timeout: 30_000 })
    await bar.getByRole('button', { name: 'Cancel' }).click()
    await expect(bar).toBeHidden({ timeout: 15_000 })
    await expect(win.getByRole('status')).toHaveText('Cancelled. The lab that was open is as it was.')
    expect(await state()).toEqual(before)
    expect(await win.title()).toBe(title)
  } finally {
    await app.close()
    rmSync(userData, { recursive: true, force: true })
  }
})
