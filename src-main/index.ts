// The desktop shell: one window, the application menu, file dialogs, and ipcMain wiring to the
// handler table. Everything about the lab lives in the table (src-main/ipc); this file only adds
// what needs the desktop: files on disk, dialogs, recovery of unsaved work, and confirmations.
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNELS, SHELL_EVENT_CHANNEL, type ApiError, type ApiReply, type Lang, type ShellEvent } from '../shared/api.ts'
import { createHandlers, dispatch, LabService, MUTATING_CHANNELS } from './ipc/handlers.ts'
import { writeFileAtomic } from './lab/files.ts'
import { menuTemplate, type MenuAction, type MenuSpec } from './shell/menu.ts'
import { filesFromArgv, LAB_EXTENSION, LAB_EXTENSIONS, PendingOpens } from './shell/open-files.ts'
import { RecentLabs } from './shell/recent.ts'
import { loadSettings, saveSettings } from './shell/settings.ts'
import { langOfLocale, shellText, type ShellKey } from './shell/texts.ts'
import { loadWindowState, MIN_SIZE, placeWindow, saveWindowState } from './shell/window-state.ts'

const APP_NAME = 'PodNet Lab'

/** The Content-Security-Policy of the window (index.html carries the same as a meta tag). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

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

const service = new LabService('same-node')
const handlers = createHandlers(service)
/** The lab a fresh start shows: a recovery file equal to it holds nothing worth restoring. */
const cleanText = service.text()
let win: BrowserWindow | null = null
/** Set once the user has answered the unsaved-changes question, so the close goes through. */
let closeConfirmed = false

const here = dirname(fileURLToPath(import.meta.url))
const recoveryFile = (): string => join(app.getPath('userData'), 'recovery.yaml')
/** The learner's exercise progress and work in progress per exercise. */
const progressFile = (): string => join(app.getPath('userData'), 'exercises.json')

/** Reads the kept progress; a file that is not one is moved aside, never overwritten. */
function loadProgress(): void {
  const file = progressFile()
  if (!existsSync(file)) return
  try {
    if (!service.exercises.progress.load(readFileSync(file, 'utf8'))) renameSync(file, `${file}.unreadable-${Date.now()}`)
  } catch (e) {
    console.error(`podnet: cannot read ${file}: ${(e as Error).message}`)
  }
}

/** Writes the progress when it changed (after every request: a check or a hint changes it too). */
function keepProgress(): void {
  const text = service.exercises.take(service.session)
  if (text === null) return
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

function pushState(reset = false): void {
  push({ type: 'state', state: service.state(), ...(reset ? { reset } : {}) })
}

function updateTitle(): void {
  if (!win || win.isDestroyed()) return
  const name = service.path ? basename(service.path) : service.session.doc.metadata.name
  win.setTitle(`${service.dirty ? '• ' : ''}${name} — ${APP_NAME}`)
  win.setDocumentEdited(service.dirty)
}

/** Keeps the recovery file in step with the lab: the text while unsaved, nothing once saved. */
function autosave(): void {
  try {
    if (service.dirty) {
      mkdirSync(dirname(recoveryFile()), { recursive: true })
      writeFileAtomic(recoveryFile(), service.text())
    } else rmSync(recoveryFile(), { force: true })
  } catch (e) {
    console.error(`podnet: cannot write the recovery file: ${(e as Error).message}`)
  }
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
  const base = service.path ? basename(service.path).replace(/\.(podnet|ya?ml)$/i, '') : service.session.doc.metadata.name
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_') || 'lab'}${ext}`
}

/**
 * Saves the lab: to `path`, else to where it was saved before, else (or when asked) where a save
 * dialog says. The handler table produces the text; the file is written atomically here.
 */
async function save(path: string | undefined, askForPath: boolean): Promise<ApiReply> {
  let target = path ?? (askForPath ? undefined : service.path)
  if (!target) {
    const opts = { title: t('dialog.save.title'), defaultPath: suggestedName(`.${LAB_EXTENSION}`), filters: labFilters() }
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts)
    if (r.canceled || !r.filePath) return { ok: true, value: { text: service.text(), cancelled: true } }
    target = r.filePath
  }
  const previous = service.path
  const reply = await dispatch(handlers, CHANNELS.saveLab, { path: target })
  if (!reply.ok) return reply
  try {
    writeFileAtomic(target, (reply.value as { text: string }).text)
  } catch (e) {
    service.markDirty()
    service.path = previous
    return { ok: false, error: { code: 'internal', message: t('error.write', { path: target, reason: (e as Error).message }), path: 'path' } }
  }
  remember(target)
  return reply
}

/** A save request from the window: anything but `{}` or `{ path: string }` goes to validation. */
function saveRequest(payload: unknown): Promise<ApiReply> {
  if (payload === undefined || payload === null) return save(undefined, false)
  const keys = typeof payload === 'object' && !Array.isArray(payload) ? Object.keys(payload) : null
  const path = (payload as { path?: unknown }).path
  if (keys && keys.every((k) => k === 'path') && (path === undefined || (typeof path === 'string' && path !== ''))) return save(path as string | undefined, false)
  return dispatch(handlers, CHANNELS.saveLab, payload)
}

/** Asks before throwing away unsaved changes; true when it is fine to go on. */
async function confirmDiscard(action: 'confirm.action.open' | 'confirm.action.close'): Promise<boolean> {
  if (!service.dirty || !win) return true
  const r = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: [t('button.save'), t('button.dontSave'), t('button.cancel')],
    defaultId: 0,
    cancelId: 2,
    message: t('confirm.save', { name: service.session.doc.metadata.name, action: t(action) }),
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
    showError(t('error.open'), new Error(t('error.read', { path, reason: (e as Error).message })))
    return
  }
  const reply = await dispatch(handlers, CHANNELS.openLab, { text, path })
  if (!reply.ok) {
    showError(t('error.open'), reply.error)
    return
  }
  remember(path)
  afterChange()
  pushState(true)
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

async function saveFromMenu(askForPath: boolean): Promise<void> {
  const r = await save(undefined, askForPath)
  if (!r.ok) showError(t('error.save'), r.error)
  afterChange()
  pushState()
}

async function exportScriptFromMenu(): Promise<void> {
  if (!win) return
  const r = await dialog.showSaveDialog(win, { title: t('dialog.exportScript.title'), defaultPath: suggestedName('.sh'), filters: [{ name: t('filter.script'), extensions: ['sh'] }] })
  if (r.canceled || !r.filePath) return
  const reply = await dispatch(handlers, CHANNELS.exportScript, {})
  if (!reply.ok) return showError(t('error.exportScript'), reply.error)
  try {
    writeFileAtomic(r.filePath, (reply.value as { text: string }).text)
  } catch (e) {
    showError(t('error.exportScript'), e as Error)
  }
}

async function exportPcapFromMenu(): Promise<void> {
  if (!win) return
  const id = service.lastTraceId
  if (id === undefined) {
    await dialog.showMessageBox(win, { type: 'info', message: t('noTrace.message'), detail: t('noTrace.detail'), buttons: [t('button.ok')] })
    return
  }
  const reply = await dispatch(handlers, CHANNELS.exportPcap, { traceId: id, lang })
  if (!reply.ok) return showError(t('error.exportPcap'), reply.error)
  const { bytes, name } = reply.value as { bytes: Uint8Array; name: string }
  const r = await dialog.showSaveDialog(win, { title: t('dialog.exportPcap.title'), defaultPath: name, filters: [{ name: t('filter.pcapng'), extensions: ['pcapng'] }] })
  if (r.canceled || !r.filePath) return
  try {
    writeFileSync(r.filePath, bytes)
  } catch (e) {
    showError(t('error.exportPcap'), e as Error)
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
  const reply = await dispatch(handlers, which === 'undo' ? CHANNELS.undo : CHANNELS.redo, undefined)
  if (!reply.ok) return showError(t(which === 'undo' ? 'error.undo' : 'error.redo'), reply.error)
  afterChange()
  pushState()
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
  const dev = !app.isPackaged || process.env.ELECTRON_RENDERER_URL !== undefined
  return Menu.buildFromTemplate(toElectron(menuTemplate({ platform: process.platform, lang, appName: APP_NAME, recent: recent?.list() ?? [], dev })))
}

/** The window says which language it shows: menus and dialogs follow, and the next start too. */
function setLanguage(l: Lang): void {
  if (l === lang) return
  lang = l
  saveSettings(userFile('settings.json'), { lang })
  Menu.setApplicationMenu(buildMenu())
}

/** Only the app's own page may call the lab (not an iframe or a page navigated to by accident). */
function trusted(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? ''
  const dev = process.env.ELECTRON_RENDERER_URL
  return e.sender === win?.webContents && (url.startsWith('file://') || (dev !== undefined && url.startsWith(dev)))
}

function wireIpc(): void {
  for (const channel of Object.values(CHANNELS)) {
    ipcMain.handle(channel, async (e, payload: unknown): Promise<ApiReply> => {
      if (!trusted(e)) return { ok: false, error: { code: 'invalid-request', message: 'this page may not use the lab' } }
      const reply = channel === CHANNELS.saveLab ? await saveRequest(payload) : await dispatch(handlers, channel, payload)
      if (MUTATING_CHANNELS.has(channel)) afterChange()
      else keepProgress()
      if (channel === CHANNELS.setLanguage && reply.ok) setLanguage((reply.value as { lang: Lang }).lang)
      return reply
    })
  }
}

/** Offers the unsaved lab of a previous run that ended without saving. */
async function offerRecovery(): Promise<void> {
  const file = recoveryFile()
  if (!existsSync(file)) return
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return
  }
  if (text === cleanText) {
    rmSync(file, { force: true })
    return
  }
  const r = await dialog.showMessageBox({
    type: 'question',
    buttons: [t('button.restore'), t('button.discard')],
    defaultId: 0,
    cancelId: 1,
    message: t('recovery.message'),
    detail: t('recovery.detail'),
  })
  if (r.response !== 0) {
    rmSync(file, { force: true })
    return
  }
  const reply = await dispatch(handlers, CHANNELS.openLab, { text })
  if (!reply.ok) {
    dialog.showErrorBox(t('error.restore'), reply.error.message)
    return
  }
  // What was restored has never been saved.
  service.markDirty()
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
    if (closeConfirmed || !service.dirty || !win) return
    e.preventDefault()
    void confirmDiscard('confirm.action.close').then((ok) => {
      if (!ok || !win) return
      if (service.dirty) rmSync(recoveryFile(), { force: true })
      closeConfirmed = true
      win.close()
    })
  })
  win.on('closed', () => {
    win = null
  })
  const wc = win.webContents
  wc.setWindowOpenHandler(() => ({ action: 'deny' }))
  wc.on('will-navigate', (e, url) => {
    if (url !== wc.getURL()) e.preventDefault()
  })
  wc.on('did-finish-load', updateTitle)
  // Files handed to the app open once the page can show them.
  wc.once('did-finish-load', () => pendingOpens.attach(openWhenShown))
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(join(here, '../renderer/index.html'))
}

app.whenReady().then(async () => {
  if (!primaryInstance) return
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  lang = loadSettings(userFile('settings.json')).lang ?? langOfLocale(app.getLocale())
  recent = new RecentLabs(userFile('recent.json'))
  Menu.setApplicationMenu(buildMenu())
  wireIpc()
  loadProgress()
  await offerRecovery()
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
