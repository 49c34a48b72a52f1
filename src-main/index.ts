// The desktop shell: one window, the application menu, file dialogs, and ipcMain wiring to the
// handler table. Everything about the lab lives in the table (src-main/ipc), which runs in a
// worker thread (src-main/host) so long work never freezes menus and dialogs; this file only
// adds what needs the desktop: files on disk, dialogs, recovery of unsaved work, confirmations.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, screen, session, type IpcMainEvent, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CANCEL_WORK_CHANNEL, CHANNELS, MUTATING_CHANNELS, SHELL_EVENT_CHANNEL, TERMINAL_EVENT_CHANNEL, WORK_EVENT_CHANNEL, type ApiError, type ApiReply, type LabDelta, type LabState, type Lang, type ShellEvent } from '../shared/api.ts'
import { LabThread } from './host/lab-thread-client.ts'
import { cleanStaleTemps, cleanStaleTempsIn, writeFileAtomic } from './lab/files.ts'
import { menuTemplate, type MenuAction, type MenuSpec } from './shell/menu.ts'
import { filesFromArgv, LAB_EXTENSION, LAB_EXTENSIONS, PendingOpens } from './shell/open-files.ts'
import { RecentLabs } from './shell/recent.ts'
import { dialogSide, withFileText } from './shell/compare-file.ts'
import { loadSettings, saveSettings } from './shell/settings.ts'
import { fileErrorText, langOfLocale, shellText, type ShellKey } from './shell/texts.ts'
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './shell/window-state.ts'
import { labKey, RecoveryStore, untitledKey } from './shell/recovery.ts'
import { appFileFor, CSP, isTrustedSender, mayNavigate, pageUrl, permissionAllowed, saveRequestError, type AppPage } from './shell/security.ts'

const APP_NAME = 'PodNet Lab'

app.setName(APP_NAME)
// Tests (and anyone running two copies) can keep their own settings and recovery file.
if (process.env.PODNET_USER_DATA) app.setPath('userData', process.env.PODNET_USER_DATA)
app.enableSandbox()

// One app per user data folder: a second start hands its files to the first and quits.
const primaryInstance = app.requestSingleInstanceLock()
if (!primaryInstance) app.quit()
/** Lab files from the command line, a double click or macOS's open-file, opened once the window is up. */
const pendingOpens = new PendingOpens()
for (const f of filesFromArgv(process.argv, process.cwd(), { packaged: app.isPackaged })) pendingOpens.push(f)
app.on('second-instance', (_e, argv, workingDirectory) => {
  for (const f of filesFromArgv(argv, workingDirectory, { packaged: app.isPackaged })) pendingOpens.push(f)
  if (win) {
    if (win.isMinimized()) win.restore()
    win.focus()
  }
})
app.on('open-file', (e, path) => {
  e.preventDefault()
  pendingOpens.push(path)
})

// The lab runs in a worker thread (built next to this file); terminal lines that take simulated
// time run on its timers and stream to the window, and so does the progress of long work.
const lab = new LabThread(new URL('./lab-thread.js', import.meta.url), 'same-node')
lab.onTerminal((e) => {
  if (win && !win.isDestroyed()) win.webContents.send(TERMINAL_EVENT_CHANNEL, e)
  if (e.type === 'done') afterChange()
})
lab.onWork((p) => {
  if (win && !win.isDestroyed()) win.webContents.send(WORK_EVENT_CHANNEL, p)
})
const dispatch = async (channel: string, payload: unknown): Promise<ApiReply> => (await lab.call(channel, payload)).reply
/** Where the open lab lives on disk: only this shell chooses it (dialogs, recent files, argv). */
let labPath: string | undefined
async function setLabPath(path: string | undefined): Promise<void> {
  labPath = path
  await lab.setPath(path)
}
/** The lab a fresh start shows: a recovery file equal to it holds nothing worth restoring. */
const cleanText = lab.text()
let win: BrowserWindow | null = null
/** Set once the user has answered the unsaved-changes question, so the close goes through. */
let closeConfirmed = false

const here = dirname(fileURLToPath(import.meta.url))
/** The window's page: the only one that may load in it and call the lab. */
const page: AppPage = { rendererDir: join(here, '../renderer'), ...(process.env.ELECTRON_RENDERER_URL ? { devUrl: process.env.ELECTRON_RENDERER_URL } : {}) }
/** Development (the dev server, or an unpackaged app): DevTools and Reload exist only then. */
const development = !app.isPackaged || page.devUrl !== undefined
/** Unsaved work, one recovery file per lab (shell/recovery.ts); recovery.yaml is the older single file. */
let recoveryStore: RecoveryStore | null = null
const recovery = (): RecoveryStore => (recoveryStore ??= new RecoveryStore(join(app.getPath('userData'), 'recovery'), process.pid, join(app.getPath('userData'), 'recovery.yaml')))
/** The open lab's key while it has no file, and the key whose recovery file is ours now. */
const untitled = untitledKey()
let recoveryKey: string | null = null
/** The learner's exercise progress and work in progress per exercise. */
const progressFile = (): string => join(app.getPath('userData'), 'exercises.json')

/** Reads the kept progress; a file that is not one is moved aside, never overwritten. */
async function loadProgress(): Promise<void> {
  const file = progressFile()
  if (!existsSync(file)) return
  try {
    if (!(await lab.loadProgress(readFileSync(file, 'utf8')))) renameSync(file, `${file}.unreadable-${Date.now()}`)
  } catch (e) {
    console.error(`podnet: cannot read ${file}: ${(e as Error).message}`)
  }
}

/** Writes the progress when it changed (after every request: a check or a hint changes it too). */
function keepProgress(): void {
  const text = lab.status.progress
  if (text === undefined) return
  lab.status.progress = undefined
  try {
    mkdirSync(dirname(progressFile()), { recursive: true })
    writeFileAtomic(progressFile(), text)
  } catch (e) {
    console.error(`podnet: cannot write the exercise progress: ${(e as Error).message}`)
  }
}
const userFile = (name: string): string => join(app.getPath('userData'), name)

/** The window's language (it says so through setLanguage); menus and dialogs speak it. */
let lang: Lang = 'en'
const t = (key: ShellKey, params: Record<string, string> = {}): string => shellText(lang, key, { app: APP_NAME, ...params })
let recent: RecentLabs | null = null

function push(e: ShellEvent): void {
  if (win && !win.isDestroyed()) win.webContents.send(SHELL_EVENT_CHANNEL, e)
}

/** Tells the window what the shell changed: the whole state for another lab, else what changed. */
async function pushState(reset = false): Promise<void> {
  const r = await dispatch(reset ? CHANNELS.getState : CHANNELS.getDelta, undefined)
  if (!r.ok) return
  push(reset ? { type: 'state', state: r.value as LabState, reset } : { type: 'delta', delta: r.value as LabDelta })
}

function updateTitle(): void {
  if (!win || win.isDestroyed()) return
  const name = labPath ? basename(labPath) : lab.status.name
  win.setTitle(`${lab.status.dirty ? '• ' : ''}${name} — ${APP_NAME}`)
  win.setDocumentEdited(lab.status.dirty)
}

/**
 * Keeps the lab's recovery file in step with it: the text while unsaved, nothing once saved. A lab
 * that was replaced (opened, saved under another name) leaves its own file behind, no other's.
 */
function autosave(): void {
  const key = labKey(labPath, untitled)
  const { dirty, recovery: text, name } = lab.status
  try {
    if (recoveryKey !== null && recoveryKey !== key) recovery().remove(recoveryKey)
    if (dirty) {
      // The text comes with every answer that may have changed the lab; none means no change.
      if (text) recovery().write(key, { name, ...(labPath !== undefined ? { path: labPath } : {}) }, text)
      recoveryKey = key
    } else {
      recovery().remove(key)
      recoveryKey = null
    }
  } catch (e) {
    console.error(`podnet: cannot write the recovery file: ${(e as Error).message}`)
  }
}

/** The user threw the lab's unsaved changes away: its recovery file goes, and only its own. */
function discardRecovery(): void {
  if (recoveryKey !== null) recovery().remove(recoveryKey)
  recoveryKey = null
}

function afterChange(): void {
  autosave()
  keepProgress()
  updateTitle()
}

function showError(title: string, err: ApiError | Error): void {
  const message = err.message
  if (win && !win.isDestroyed()) void dialog.showMessageBox(win, { type: 'error', title, message: title, detail: message })
  else dialog.showErrorBox(title, message)
}

const labFilters = (): { name: string; extensions: string[] }[] => [
  { name: t('filter.lab'), extensions: [...LAB_EXTENSIONS] },
  { name: t('filter.all'), extensions: ['*'] },
]

function suggestedName(ext: string): string {
  const base = labPath ? basename(labPath).replace(/\.(podnet|ya?ml)$/i, '') : lab.status.name
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_') || 'lab'}${ext}`
}

/**
 * Saves the lab: to `path`, else to where it was saved before, else (or when asked) where a save
 * dialog says. The handler table produces the text; the file is written atomically here.
 */
async function save(path: string | undefined, askForPath: boolean): Promise<ApiReply> {
  let target = path ?? (askForPath ? undefined : labPath)
  if (!target) {
    const opts = { title: t('dialog.save.title'), defaultPath: suggestedName(`.${LAB_EXTENSION}`), filters: labFilters() }
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts)
    if (r.canceled || !r.filePath) return { ok: true, value: { text: await lab.text(), cancelled: true } }
    target = r.filePath
  }
  const reply = await dispatch(CHANNELS.saveLab, undefined)
  if (!reply.ok) return reply
  const text = (reply.value as { text: string }).text
  try {
    writeFileAtomic(target, text)
  } catch (e) {
    await lab.markDirty()
    return { ok: false, error: { code: 'internal', message: fileErrorText(lang, 'write', target, e), path: 'path' } }
  }
  // Where the lab lives from now on: a place the user chose here, never one a page named.
  await setLabPath(target)
  remember(target)
  return { ok: true, value: { text, path: target } }
}

/** A save request from the window: Save to the lab's file (or through the dialog); it names no path. */
function saveRequest(payload: unknown): Promise<ApiReply> {
  const error = saveRequestError(payload)
  return error ? Promise.resolve({ ok: false, error }) : save(undefined, false)
}

/** Asks before throwing away unsaved changes; true when it is fine to go on. */
async function confirmDiscard(action: 'confirm.action.open' | 'confirm.action.close'): Promise<boolean> {
  if (!lab.status.dirty || !win) return true
  const r = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: [t('button.save'), t('button.dontSave'), t('button.cancel')],
    defaultId: 0,
    cancelId: 2,
    message: t('confirm.save', { name: lab.status.name, action: t(action) }),
    detail: t('confirm.detail'),
  })
  if (r.response === 2) return false
  if (r.response === 1) return true
  const saved = await save(undefined, false)
  if (!saved.ok) {
    showError(t('error.save'), saved.error)
    return false
  }
  return !(saved.value as { cancelled?: boolean }).cancelled
}

/** A lab the user opened or saved: first in File > Open Recent and in the OS's recent documents. */
function remember(path: string): void {
  recent?.add(path)
  app.addRecentDocument(path)
  Menu.setApplicationMenu(buildMenu())
}

/** Opens a lab file (from the Open dialog, the recent list, the command line or the OS). */
async function openPath(path: string, askFirst = true): Promise<void> {
  if (!win || (askFirst && !(await confirmDiscard('confirm.action.open')))) return
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') recent?.remove(path)
    showError(t('error.open'), new Error(fileErrorText(lang, 'read', path, e)))
    return
  }
  const reply = await dispatch(CHANNELS.openLab, { text, name: basename(path) })
  if (!reply.ok) {
    if (reply.error.code !== 'cancelled') showError(t('error.open'), reply.error)
    return
  }
  await setLabPath(path)
  remember(path)
  afterChange()
  await pushState(true)
}

/** An open from the OS: into the window, or (macOS, every window closed) into a new one. */
function openWhenShown(path: string): void {
  if (win) return void openPath(path)
  pendingOpens.detach()
  pendingOpens.push(path)
  createWindow()
}

async function openFromDialog(): Promise<void> {
  if (!win || !(await confirmDiscard('confirm.action.open'))) return
  const r = await dialog.showOpenDialog(win, { title: t('dialog.open.title'), properties: ['openFile'], filters: labFilters() })
  if (r.canceled || r.filePaths.length === 0) return
  await openPath(r.filePaths[0], false)
}

/** Compare with another lab file: the user picks it in the Open dialog; the page never names a path. */
async function compareRequest(payload: unknown): Promise<ApiReply> {
  const side = dialogSide(payload)
  if (side < 0) return dispatch(CHANNELS.compare, payload)
  if (!win) return { ok: true, value: { cancelled: true } }
  const r = await dialog.showOpenDialog(win, { title: t('dialog.compare.title'), properties: ['openFile'], filters: labFilters() })
  if (r.canceled || r.filePaths.length === 0) return { ok: true, value: { cancelled: true } }
  const path = r.filePaths[0]
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    return { ok: false, error: { code: 'invalid-request', message: fileErrorText(lang, 'read', path, e), path: `sides.${side}` } }
  }
  return dispatch(CHANNELS.compare, withFileText(payload, side, text, basename(path)))
}

async function saveFromMenu(askForPath: boolean): Promise<void> {
  const r = await save(undefined, askForPath)
  if (!r.ok) showError(t('error.save'), r.error)
  afterChange()
  await pushState()
}

async function exportScriptFromMenu(): Promise<void> {
  if (!win) return
  const r = await dialog.showSaveDialog(win, { title: t('dialog.exportScript.title'), defaultPath: suggestedName('.sh'), filters: [{ name: t('filter.script'), extensions: ['sh'] }] })
  if (r.canceled || !r.filePath) return
  const reply = await dispatch(CHANNELS.exportScript, {})
  if (!reply.ok) return showError(t('error.exportScript'), reply.error)
  try {
    writeFileAtomic(r.filePath, (reply.value as { text: string }).text)
  } catch (e) {
    showError(t('error.exportScript'), new Error(fileErrorText(lang, 'write', r.filePath, e)))
  }
}

async function exportPcapFromMenu(): Promise<void> {
  if (!win) return
  const id = lab.status.lastTraceId
  if (id === null) {
    await dialog.showMessageBox(win, { type: 'info', message: t('noTrace.message'), detail: t('noTrace.detail'), buttons: [t('button.ok')] })
    return
  }
  const reply = await dispatch(CHANNELS.exportPcap, { traceId: id, lang })
  if (!reply.ok) return showError(t('error.exportPcap'), reply.error)
  const { bytes, name } = reply.value as { bytes: Uint8Array; name: string }
  const r = await dialog.showSaveDialog(win, { title: t('dialog.exportPcap.title'), defaultPath: name, filters: [{ name: t('filter.pcapng'), extensions: ['pcapng'] }] })
  if (r.canceled || !r.filePath) return
  try {
    writeFileAtomic(r.filePath, bytes)
  } catch (e) {
    showError(t('error.exportPcap'), new Error(fileErrorText(lang, 'write', r.filePath, e)))
  }
}

/** Undo/Redo from the menu: text editing in a focused field, otherwise the lab's history. */
async function undoRedo(which: 'undo' | 'redo'): Promise<void> {
  if (!win) return
  const editing = (await win.webContents.executeJavaScript('!!document.activeElement && document.activeElement.matches("input, textarea, [contenteditable=true]")').catch(() => false)) as boolean
  if (editing) {
    if (which === 'undo') win.webContents.undo()
    else win.webContents.redo()
    return
  }
  const reply = await dispatch(which === 'undo' ? CHANNELS.undo : CHANNELS.redo, undefined)
  if (!reply.ok) return showError(t(which === 'undo' ? 'error.undo' : 'error.redo'), reply.error)
  afterChange()
  await pushState()
}

function showAbout(): void {
  if (!win) return
  void dialog.showMessageBox(win, {
    type: 'info',
    title: t('menu.help.about'),
    message: `${APP_NAME} ${app.getVersion()}`,
    detail: `${t('about.detail')}\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    buttons: [t('button.ok')],
  })
}

/** What each menu action does; the menu itself (labels, order, roles) is shell/menu.ts. */
function runMenuAction(action: MenuAction): void {
  if (action.startsWith('openRecent:')) {
    const path = recent?.list()[Number(action.slice('openRecent:'.length))]
    if (path) void openPath(path)
    return
  }
  switch (action) {
    case 'new':
      return push({ type: 'command', command: 'new-lab' })
    case 'open':
      return void openFromDialog()
    case 'save':
      return void saveFromMenu(false)
    case 'saveAs':
      return void saveFromMenu(true)
    case 'exportScript':
      return void exportScriptFromMenu()
    case 'exportPcap':
      return void exportPcapFromMenu()
    case 'undo':
    case 'redo':
      return void undoRedo(action)
    case 'about':
      return showAbout()
    case 'exercises':
      return push({ type: 'command', command: 'exercises' })
    case 'clearRecent':
      recent?.clear()
      app.clearRecentDocuments()
      Menu.setApplicationMenu(buildMenu())
  }
}

function toElectron(items: readonly MenuSpec[]): MenuItemConstructorOptions[] {
  return items.map(({ action, submenu, ...rest }) => ({
    ...rest,
    ...(submenu ? { submenu: toElectron(submenu) } : {}),
    ...(action ? { click: () => runMenuAction(action) } : {}),
  }))
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate(toElectron(menuTemplate({ platform: process.platform, lang, appName: APP_NAME, recent: recent?.list() ?? [], dev: development })))
}

/** The window says which language it shows: menus and dialogs follow, and the next start too. */
function setLanguage(l: Lang): void {
  if (l === lang) return
  lang = l
  saveSettings(userFile('settings.json'), { lang })
  Menu.setApplicationMenu(buildMenu())
}

/** Only the main frame of the app's own page in its window may call the lab (shell/security.ts). */
function trusted(e: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = e.senderFrame
  return frame !== null && isTrustedSender({ url: frame.url, mainFrame: frame.parent === null, appWindow: win !== null && e.sender === win.webContents }, page)
}

function wireIpc(): void {
  for (const channel of Object.values(CHANNELS)) {
    ipcMain.handle(channel, async (e, payload: unknown): Promise<ApiReply> => {
      if (!trusted(e)) return { ok: false, error: { code: 'invalid-request', message: 'this page may not use the lab' } }
      const reply = channel === CHANNELS.saveLab ? await saveRequest(payload) : channel === CHANNELS.compare ? await compareRequest(payload) : await dispatch(channel, payload)
      if (MUTATING_CHANNELS.has(channel)) afterChange()
      else keepProgress()
      if (channel === CHANNELS.setLanguage && reply.ok) setLanguage((reply.value as { lang: Lang }).lang)
      return reply
    })
  }
  // Stops the long work under way (a build, an open): the lab thread answers it with 'cancelled'.
  ipcMain.on(CANCEL_WORK_CHANNEL, (e) => {
    if (trusted(e)) lab.cancel()
  })
}

/**
 * Offers the unsaved labs of runs that ended without saving (crashed, killed): the newest first,
 * until one is restored. Only files of processes that are gone are offered; a running instance's
 * live work is never taken for a lost one.
 */
async function offerRecovery(): Promise<void> {
  for (const o of recovery().orphans()) {
    if (o.text === (await cleanText)) {
      recovery().drop(o)
      continue
    }
    const r = await dialog.showMessageBox({
      type: 'question',
      buttons: [t('button.restore'), t('button.discard')],
      defaultId: 0,
      cancelId: 1,
      message: t('recovery.message'),
      detail: `${t('recovery.detail')}\n\n${o.meta.path ?? o.meta.name}`,
    })
    if (r.response !== 0) {
      recovery().drop(o)
      continue
    }
    const reply = await dispatch(CHANNELS.openLab, { text: o.text, name: o.meta.path ? basename(o.meta.path) : o.meta.name })
    if (!reply.ok) {
      dialog.showErrorBox(t('error.restore'), reply.error.message)
      recovery().drop(o)
      continue
    }
    // What was restored has never been saved; it goes back to its own file, if it had one.
    if (o.meta.path !== undefined) await setLabPath(o.meta.path)
    await lab.markDirty()
    autosave()
    recovery().drop(o)
    return
  }
}

function createWindow(): void {
  // Where the window was last time, if that display is still there.
  const state = loadWindowState(userFile('window-state.json'))
  const primary = screen.getPrimaryDisplay()
  const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea)
  win = new BrowserWindow({
    ...placeWindow(state?.bounds ?? null, areas),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: APP_NAME,
    backgroundColor: '#f4f6f8',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: development,
    },
  })
  win.once('ready-to-show', () => {
    if (state?.maximized) win?.maximize()
    if (state?.fullScreen) win?.setFullScreen(true)
    win?.show()
  })
  win.on('close', () => {
    if (win) saveWindowState(userFile('window-state.json'), { bounds: win.getNormalBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() })
  })
  win.on('close', (e) => {
    if (closeConfirmed || !lab.status.dirty || !win) return
    e.preventDefault()
    void confirmDiscard('confirm.action.close').then((ok) => {
      if (!ok || !win) return
      if (lab.status.dirty) discardRecovery()
      closeConfirmed = true
      win.close()
    })
  })
  win.on('closed', () => {
    win = null
  })
  const wc = win.webContents
  wc.on('did-finish-load', updateTitle)
  // Files handed to the app open once the page can show them.
  wc.once('did-finish-load', () => pendingOpens.attach(openWhenShown))
  void win.loadURL(pageUrl(page))
}

/**
 * Every web contents the app ever makes (the window, and anything a page might open) goes nowhere
 * but the app's page: navigations and redirects elsewhere are stopped, new windows refused,
 * <webview> never attached.
 */
app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (e, url) => {
    if (!mayNavigate(url, page)) e.preventDefault()
  })
  contents.on('will-frame-navigate', (e) => {
    if (!mayNavigate(e.url, page)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!mayNavigate(url, page)) e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => e.preventDefault())
  if (!development) contents.on('devtools-opened', () => contents.closeDevTools())
})

/**
 * The lockdown of the default session: no permission is ever given or reported as given; the CSP
 * goes out as a header with every response of the page (frame-ancestors included, which a meta
 * tag cannot carry); file:// reads only the renderer's own files.
 */
function lockDownSession(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, permission, cb) => cb(permissionAllowed(permission)))
  ses.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission))
  ses.setDevicePermissionHandler(() => false)
  ses.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  // webRequest never sees file:// responses: the file protocol itself is handled here.
  ses.protocol.handle('file', async (request) => {
    const file = appFileFor(request.url, page)
    if (file === null) return new Response('Not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).href, { bypassCustomProtocolHandlers: true })
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', CSP)
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers })
  })
}

app.whenReady().then(async () => {
  if (!primaryInstance) return
  lockDownSession()
  lang = loadSettings(userFile('settings.json')).lang ?? langOfLocale(app.getLocale())
  recent = new RecentLabs(userFile('recent.json'))
  // Temporary files of saves a crash interrupted: in the app's folder, next to the user's labs.
  cleanStaleTempsIn(app.getPath('userData'))
  for (const p of recent.list()) cleanStaleTemps(p)
  Menu.setApplicationMenu(buildMenu())
  wireIpc()
  await loadProgress()
  await offerRecovery()
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
