// The application menu as plain data, laid out by each OS's conventions: on macOS the app menu
// (About, Services, Hide, Quit) comes first, then File, Edit, View, Window, Help; on Windows and
// Linux File ends with Exit and Help holds About. Items that do something name an action, which
// the shell maps to a handler; items with a role are Electron's own. Every label is translated.
import type { Lang } from '../../shared/api.ts'
import { shellText, type ShellKey } from './texts.ts'

export type MenuAction =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'exportScript'
  | 'exportPcap'
  | 'undo'
  | 'redo'
  | 'about'
  | 'exercises'
  | 'clearRecent'
  | `openRecent:${number}`

export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'windowMenu'
  | 'help'
  | 'recentDocuments'
  | 'clearRecentDocuments'

/** The shape Electron's Menu.buildFromTemplate takes, with `action` instead of `click`. */
export interface MenuSpec {
  label?: string
  role?: MenuRole
  type?: 'separator' | 'submenu'
  accelerator?: string
  action?: MenuAction
  enabled?: boolean
  submenu?: MenuSpec[]
}

export interface MenuOptions {
  platform: NodeJS.Platform
  lang: Lang
  appName: string
  /** Recent labs, newest first (full paths). */
  recent: readonly string[]
  /** Development builds keep Reload and the developer tools. */
  dev: boolean
}

const SEP: MenuSpec = { type: 'separator' }

/** How a recent lab is listed: the file name, then where it is. */
export function recentLabel(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i < 0 ? path : `${path.slice(i + 1)} — ${path.slice(0, i) || '/'}`
}

export function menuTemplate(o: MenuOptions): MenuSpec[] {
  const t = (key: ShellKey): string => shellText(o.lang, key, { app: o.appName })
  const mac = o.platform === 'darwin'
  const item = (key: ShellKey, extra: Omit<MenuSpec, 'label'>): MenuSpec => ({ label: t(key), ...extra })

  const recent: MenuSpec[] = o.recent.length
    ? [...o.recent.map((p, i): MenuSpec => ({ label: recentLabel(p), action: `openRecent:${i}` })), SEP, item('menu.file.clearRecent', { action: 'clearRecent' })]
    : [item('menu.file.noRecent', { enabled: false }), SEP, item('menu.file.clearRecent', { action: 'clearRecent', enabled: false })]

  const file: MenuSpec = item('menu.file', {
    submenu: [
      item('menu.file.new', { accelerator: 'CmdOrCtrl+N', action: 'new' }),
      item('menu.file.open', { accelerator: 'CmdOrCtrl+O', action: 'open' }),
      item('menu.file.openRecent', { submenu: recent }),
      SEP,
      item('menu.file.save', { accelerator: 'CmdOrCtrl+S', action: 'save' }),
      item('menu.file.saveAs', { accelerator: 'CmdOrCtrl+Shift+S', action: 'saveAs' }),
      SEP,
      item('menu.file.export', {
        submenu: [item('menu.file.exportScript', { action: 'exportScript' }), item('menu.file.exportPcap', { action: 'exportPcap' })],
      }),
      SEP,
      // macOS closes the window from File and quits from the app menu; the others exit from File.
      mac ? item('menu.file.close', { role: 'close', accelerator: 'Cmd+W' }) : item('menu.file.exit', { role: 'quit', accelerator: 'Ctrl+Q' }),
    ],
  })

  const edit: MenuSpec = item('menu.edit', {
    submenu: [
      item('menu.edit.undo', { accelerator: 'CmdOrCtrl+Z', action: 'undo' }),
      item('menu.edit.redo', { accelerator: mac ? 'Cmd+Shift+Z' : 'Ctrl+Y', action: 'redo' }),
      SEP,
      item('menu.edit.cut', { role: 'cut' }),
      item('menu.edit.copy', { role: 'copy' }),
      item('menu.edit.paste', { role: 'paste' }),
      item('menu.edit.selectAll', { role: 'selectAll' }),
    ],
  })

  const view: MenuSpec = item('menu.view', {
    submenu: [
      ...(o.dev ? [item('menu.view.reload', { role: 'reload' }), item('menu.view.devTools', { role: 'toggleDevTools' }), SEP] : []),
      item('menu.view.resetZoom', { role: 'resetZoom' }),
      item('menu.view.zoomIn', { role: 'zoomIn' }),
      item('menu.view.zoomOut', { role: 'zoomOut' }),
      SEP,
      item('menu.view.fullScreen', { role: 'togglefullscreen' }),
    ],
  })

  // macOS has About in the app menu; its Help menu (role help) keeps the system's search field.
  const exercises = item('menu.help.exercises', { action: 'exercises' })
  const help: MenuSpec = mac ? item('menu.help', { role: 'help', submenu: [exercises] }) : item('menu.help', { submenu: [exercises, SEP, item('menu.help.about', { action: 'about' })] })

  if (!mac) return [file, edit, view, help]

  const appMenu: MenuSpec = {
    label: o.appName,
    submenu: [
      item('menu.app.about', { action: 'about' }),
      SEP,
      item('menu.app.services', { role: 'services' }),
      SEP,
      item('menu.app.hide', { role: 'hide' }),
      item('menu.app.hideOthers', { role: 'hideOthers' }),
      item('menu.app.showAll', { role: 'unhide' }),
      SEP,
      item('menu.app.quit', { role: 'quit' }),
    ],
  }
  const windowMenu: MenuSpec = item('menu.window', {
    role: 'windowMenu',
    submenu: [item('menu.window.minimize', { role: 'minimize' }), item('menu.window.zoom', { role: 'zoom' }), SEP, item('menu.window.front', { role: 'front' })],
  })
  return [appMenu, file, edit, view, windowMenu, help]
}

/** Every label of a template, depth first (for checks that nothing is left untranslated). */
export function menuLabels(items: readonly MenuSpec[]): string[] {
  return items.flatMap((i) => [...(i.label ? [i.label] : []), ...menuLabels(i.submenu ?? [])])
}
