// The desktop shell: one window, the application menu, file dialogs, and ipcMain wiring to the
// handler table. Everything about the lab lives in the table (src-main/ipc); this file only adds
// what needs the desktop: files on disk, dialogs, recovery of unsaved work, and confirmations.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNELS, SHELL_EVENT_CHANNEL, type ApiError, type ApiReply, type ShellEvent } from '../shared/api.ts'
import { createHandlers, dispatch, LabService, MUTATING_CHANNELS } from './ipc/handlers.ts'
import { writeFileAtomic } from './lab/files.ts'

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

const labFilters = [
  { name: 'PodNet lab', extensions: ['yaml', 'yml'] },
  { name: 'All files', extensions: ['*'] },
]

function suggestedName(ext: string): string {
  const base = service.path ? basename(service.path).replace(/\.(ya?ml)$/i, '') : service.session.doc.metadata.name
  return `${base.replace(/[^A-Za-z0-9_.-]/g, '_') || 'lab'}${ext}`
}

/**
 * Saves the lab: to `path`, else to where it was saved before, else (or when asked) where a save
 * dialog says. The handler table produces the text; the file is written atomically here.
 */
async function save(path: string | undefined, askForPath: boolean): Promise<ApiReply> {
  let target = path ?? (askForPath ? undefined : service.path)
  if (!target) {
    const opts = { title: 'Save lab', defaultPath: suggestedName('.yaml'), filters: labFilters }
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
    return { ok: false, error: { code: 'internal', message: `cannot write ${target}: ${(e as Error).message}`, path: 'path' } }
  }
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
async function confirmDiscard(action: string): Promise<boolean> {
  if (!service.dirty || !win) return true
  const r = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: `Save changes to "${service.session.doc.metadata.name}" before ${action}?`,
    detail: 'Your changes will be lost if you do not save them.',
  })
  if (r.response === 2) return false
  if (r.response === 1) return true
  const saved = await save(undefined, false)
  if (!saved.ok) {
    showError('Could not save the lab', saved.error)
    return false
  }
  return !(saved.value as { cancelled?: boolean }).cancelled
}

async function openFromDialog(): Promise<void> {
  if (!win || !(await confirmDiscard('opening another lab'))) return
  const r = await dialog.showOpenDialog(win, { title: 'Open lab', properties: ['openFile'], filters: labFilters })
  if (r.canceled || r.filePaths.length === 0) return
  const path = r.filePaths[0]
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    showError('Could not open the lab', new Error(`cannot read ${path}: ${(e as Error).message}`))
    return
  }
  const reply = await dispatch(handlers, CHANNELS.openLab, { text, path })
  if (!reply.ok) {
    showError('Could not open the lab', reply.error)
    return
  }
  afterChange()
  pushState(true)
}

async function saveFromMenu(askForPath: boolean): Promise<void> {
  const r = await save(undefined, askForPath)
  if (!r.ok) showError('Could not save the lab', r.error)
  afterChange()
  pushState()
}

async function exportScriptFromMenu(): Promise<void> {
  if (!win) return
  const r = await dialog.showSaveDialog(win, { title: 'Export iproute2 script', defaultPath: suggestedName('.sh'), filters: [{ name: 'Shell script', extensions: ['sh'] }] })
  if (r.canceled || !r.filePath) return
  const reply = await dispatch(handlers, CHANNELS.exportScript, {})
  if (!reply.ok) return showError('Could not export the script', reply.error)
  try {
    writeFileAtomic(r.filePath, (reply.value as { text: string }).text)
  } catch (e) {
    showError('Could not export the script', e as Error)
  }
}

async function exportPcapFromMenu(): Promise<void> {
  if (!win) return
  const id = service.lastTraceId
  if (id === undefined) {
    await dialog.showMessageBox(win, { type: 'info', message: 'No trace yet', detail: 'Send a packet from the Trace panel first; its frames are what the capture holds.' })
    return
  }
  const reply = await dispatch(handlers, CHANNELS.exportPcap, { traceId: id })
  if (!reply.ok) return showError('Could not export the capture', reply.error)
  const { bytes, name } = reply.value as { bytes: Uint8Array; name: string }
  const r = await dialog.showSaveDialog(win, { title: 'Export pcap', defaultPath: name, filters: [{ name: 'pcapng capture', extensions: ['pcapng'] }] })
  if (r.canceled || !r.filePath) return
  try {
    writeFileSync(r.filePath, bytes)
  } catch (e) {
    showError('Could not export the capture', e as Error)
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
  if (!reply.ok) return showError(`Could not ${which}`, reply.error)
  afterChange()
  pushState()
}

function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New from scenario…', accelerator: 'CmdOrCtrl+N', click: () => push({ type: 'command', command: 'new-lab' }) },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void openFromDialog() },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => void saveFromMenu(false) },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void saveFromMenu(true) },
        { type: 'separator' },
        {
          label: 'Export',
          submenu: [
            { label: 'iproute2 script…', click: () => void exportScriptFromMenu() },
            { label: 'pcap of the last trace…', click: () => void exportPcapFromMenu() },
          ],
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => void undoRedo('undo') },
        { label: 'Redo', accelerator: process.platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => void undoRedo('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Exercises…', click: () => push({ type: 'command', command: 'exercises' }) },
        { type: 'separator' },
        {
          label: `About ${APP_NAME}`,
          click: () => {
            if (!win) return
            void dialog.showMessageBox(win, {
              type: 'info',
              title: `About ${APP_NAME}`,
              message: `${APP_NAME} ${app.getVersion()}`,
              detail: 'Build Kubernetes pod networking (namespaces, veth pairs, cbr0, routes, flannel VXLAN) and watch one packet go through it, hop by hop.\n\n' + `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
            })
          },
        },
      ],
    },
  ]
  return Menu.buildFromTemplate(template)
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
    buttons: ['Restore', 'Discard'],
    defaultId: 0,
    cancelId: 1,
    message: 'Restore the unsaved lab?',
    detail: `${APP_NAME} closed without saving your last lab. Restore it?`,
  })
  if (r.response !== 0) {
    rmSync(file, { force: true })
    return
  }
  const reply = await dispatch(handlers, CHANNELS.openLab, { text })
  if (!reply.ok) {
    dialog.showErrorBox('Could not restore the lab', reply.error.message)
    return
  }
  // What was restored has never been saved.
  service.markDirty()
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
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
  win.once('ready-to-show', () => win?.show())
  win.on('close', (e) => {
    if (closeConfirmed || !service.dirty || !win) return
    e.preventDefault()
    void confirmDiscard('closing').then((ok) => {
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
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(join(here, '../renderer/index.html'))
}

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
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
