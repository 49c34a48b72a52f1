import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { menuLabels, menuTemplate, recentLabel, type MenuOptions, type MenuSpec } from './menu.ts'
import { filesFromArgv, PendingOpens } from './open-files.ts'
import { MAX_RECENT, RecentLabs } from './recent.ts'
import { loadSettings, saveSettings } from './settings.ts'
import { fileErrorText, langOfLocale, SHELL_TEXTS, shellText } from './texts.ts'
import { loadWindowState, placeWindow, saveWindowState } from './window-state.ts'

const dir = mkdtempSync(join(tmpdir(), 'podnet-shell-'))
const base: MenuOptions = { platform: 'linux', lang: 'en', appName: 'PodNet Lab', recent: [], dev: false }
const top = (m: MenuSpec[]): (string | undefined)[] => m.map((i) => i.label)
const find = (m: readonly MenuSpec[], pred: (i: MenuSpec) => boolean): MenuSpec | undefined => {
  for (const i of m) {
    if (pred(i)) return i
    const s = find(i.submenu ?? [], pred)
    if (s) return s
  }
  return undefined
}

describe('shell texts', () => {
  it('has every text in both languages, with the same placeholders', () => {
    const keys = Object.keys(SHELL_TEXTS.en)
    expect(Object.keys(SHELL_TEXTS.ja).sort()).toEqual([...keys].sort())
    for (const k of keys as (keyof typeof SHELL_TEXTS.en)[]) {
      const holes = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort()
      expect(holes(SHELL_TEXTS.ja[k]), k).toEqual(holes(SHELL_TEXTS.en[k]))
      expect(SHELL_TEXTS.ja[k].trim(), k).not.toBe('')
    }
    expect(shellText('ja', 'menu.app.quit', { app: 'PodNet Lab' })).toBe('PodNet Lab を終了')
  })

  it('tells why a file could not be read or written in the dialog\'s language', () => {
    let missing: unknown
    try {
      readFileSync(join(dir, 'nope', 'lab.podnet'))
    } catch (e) {
      missing = e
    }
    expect(fileErrorText('en', 'read', '/x/lab.podnet', missing)).toBe('cannot read /x/lab.podnet: the file or a folder on its path does not exist')
    expect(fileErrorText('ja', 'read', '/x/lab.podnet', missing)).toBe('/x/lab.podnet を読めません：ファイル、またはパスの途中のフォルダーがありません')
    let folder: unknown
    try {
      writeFileSync(dir, 'x')
    } catch (e) {
      folder = e
    }
    expect(fileErrorText('ja', 'write', dir, folder)).toBe(`${dir} に書き込めません：フォルダーです`)
    // An error without a known code keeps the system's words.
    expect(fileErrorText('ja', 'write', '/x', new Error('odd failure'))).toBe('/x に書き込めません：odd failure')
  })

  it('takes the language from a locale', () => {
    expect([langOfLocale('ja'), langOfLocale('ja-JP'), langOfLocale('en-US'), langOfLocale('de'), langOfLocale(undefined)]).toEqual(['ja', 'ja', 'en', 'en', 'en'])
  })
})

describe('menu', () => {
  it('follows macOS: the app menu first, then File, Edit, View, Window, Help', () => {
    const m = menuTemplate({ ...base, platform: 'darwin' })
    expect(top(m)).toEqual(['PodNet Lab', 'File', 'Edit', 'View', 'Window', 'Help'])
    expect(top(m[0].submenu!)).toEqual(['About PodNet Lab', undefined, 'Services', undefined, 'Hide PodNet Lab', 'Hide Others', 'Show All', undefined, 'Quit PodNet Lab'])
    expect(m[0].submenu!.at(-1)!.role).toBe('quit')
    // File closes the window; nothing in it quits.
    expect(m[1].submenu!.at(-1)).toMatchObject({ role: 'close', label: 'Close Window' })
    expect(find(m.slice(1), (i) => i.role === 'quit')).toBeUndefined()
    expect(find(m, (i) => i.action === 'redo')!.accelerator).toBe('Cmd+Shift+Z')
  })

  it('follows Windows and Linux: File ends with Exit, Help holds About, no app or Window menu', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const m = menuTemplate({ ...base, platform })
      expect(top(m)).toEqual(['File', 'Edit', 'View', 'Help'])
      expect(m[0].submenu!.at(-1)).toMatchObject({ role: 'quit', label: 'Exit' })
      expect(m[3].submenu!.at(-1)).toMatchObject({ action: 'about', label: 'About PodNet Lab' })
      expect(m[3].submenu![0]).toMatchObject({ action: 'exercises', label: 'Exercises…' })
      expect(find(m, (i) => i.action === 'redo')!.accelerator).toBe('Ctrl+Y')
    }
  })

  it('translates every label, including the items Electron would name itself', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const en = menuLabels(menuTemplate({ ...base, platform, dev: true, recent: ['/labs/a.podnet'] }))
      const ja = menuLabels(menuTemplate({ ...base, platform, dev: true, lang: 'ja', recent: ['/labs/a.podnet'] }))
      expect(ja).toHaveLength(en.length)
      const same = en.filter((l, i) => l === ja[i])
      // Only the app's name and file names stay as they are.
      expect(same).toEqual(expect.arrayContaining(platform === 'darwin' ? ['PodNet Lab'] : []))
      expect(same.every((l) => l === 'PodNet Lab' || l.includes('a.podnet'))).toBe(true)
      // Every item with a role carries a label, so Electron's English default never shows.
      const roles = (items: readonly MenuSpec[]): MenuSpec[] => items.flatMap((i) => [...(i.role ? [i] : []), ...roles(i.submenu ?? [])])
      expect(roles(menuTemplate({ ...base, platform, lang: 'ja' })).every((i) => i.label && !/^[A-Za-z ]+$/.test(i.label))).toBe(true)
    }
    expect(top(menuTemplate({ ...base, lang: 'ja' }))).toEqual(['ファイル', '編集', '表示', 'ヘルプ'])
  })

  it('keeps Reload and the developer tools out of production menus', () => {
    const roles = (m: MenuSpec[]): string[] => menuLabels(m)
    expect(roles(menuTemplate(base))).not.toContain('Toggle Developer Tools')
    expect(roles(menuTemplate({ ...base, dev: true }))).toEqual(expect.arrayContaining(['Reload', 'Toggle Developer Tools']))
  })

  it('lists recent labs with their folder, and a way to clear them', () => {
    const m = menuTemplate({ ...base, recent: ['/home/ana/labs/overlay.podnet', 'C:\\Users\\ana\\routed.podnet'] })
    const recent = find(m, (i) => i.label === 'Open Recent')!.submenu!
    expect(recent.map((i) => [i.label, i.action])).toEqual([
      ['overlay.podnet — /home/ana/labs', 'openRecent:0'],
      ['routed.podnet — C:\\Users\\ana', 'openRecent:1'],
      [undefined, undefined],
      ['Clear Menu', 'clearRecent'],
    ])
    const empty = find(menuTemplate(base), (i) => i.label === 'Open Recent')!.submenu!
    expect(empty[0]).toEqual({ label: 'No Recent Labs', enabled: false })
    expect(recentLabel('lab.podnet')).toBe('lab.podnet')
  })
})

describe('recent labs', () => {
  it('keeps the newest first, without duplicates, at most ten, and forgets files that are gone', () => {
    const file = join(dir, 'recent.json')
    const r = new RecentLabs(file)
    const labs = Array.from({ length: 12 }, (_, i) => join(dir, `lab${i}.podnet`))
    for (const l of labs) writeFileSync(l, '')
    for (const l of labs) r.add(l)
    r.add(labs[5])
    expect(r.list()).toHaveLength(MAX_RECENT)
    expect(r.list()[0]).toBe(labs[5])
    expect(new RecentLabs(file).list()).toEqual(r.list())
    r.add(join(dir, 'gone.podnet'))
    expect(r.list()).not.toContain(join(dir, 'gone.podnet'))
    r.clear()
    expect(new RecentLabs(file).list()).toEqual([])
  })

  it('starts empty from a damaged file', () => {
    const file = join(dir, 'damaged.json')
    writeFileSync(file, '{"not": "a list"')
    expect(new RecentLabs(file).list()).toEqual([])
    writeFileSync(file, '[1, null, "x"]')
    expect(new RecentLabs(file).list()).toEqual([])
  })
})

describe('window placement', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 }
  const second = { x: 1920, y: 0, width: 1280, height: 1000 }

  it('restores the saved bounds on a display that still exists', () => {
    expect(placeWindow({ x: 2000, y: 50, width: 1100, height: 800 }, [primary, second])).toEqual({ x: 2000, y: 50, width: 1100, height: 800 })
  })

  it('centres the default size when the saved display is gone, or nothing was saved', () => {
    expect(placeWindow({ x: 2000, y: 50, width: 1100, height: 800 }, [primary])).toEqual({ x: 320, y: 120, width: 1280, height: 800 })
    expect(placeWindow(null, [primary])).toEqual({ x: 320, y: 120, width: 1280, height: 800 })
  })

  it('shrinks and moves a window to fit its display, never below the minimum size', () => {
    expect(placeWindow({ x: 1800, y: -20, width: 3000, height: 2000 }, [primary])).toEqual({ x: 0, y: 0, width: 1920, height: 1040 })
    expect(placeWindow({ x: 10, y: 10, width: 200, height: 100 }, [primary])).toEqual({ x: 10, y: 10, width: 1024, height: 640 })
  })

  it('saves and loads, and ignores a damaged file', () => {
    const file = join(dir, 'window.json')
    saveWindowState(file, { bounds: { x: 1, y: 2, width: 1300, height: 900 }, maximized: true, fullScreen: false })
    expect(loadWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 1300, height: 900 }, maximized: true, fullScreen: false })
    writeFileSync(file, '{"bounds": {"x": "a"}}')
    expect(loadWindowState(file)).toBeNull()
    expect(loadWindowState(join(dir, 'none.json'))).toBeNull()
  })
})

describe('files from the command line and the OS', () => {
  it('takes the files after the executable (and the app path when unpackaged), resolved from the working directory', () => {
    expect(filesFromArgv(['/opt/PodNet Lab/podnet-lab', 'lab.podnet', '--no-sandbox', '/abs/b.yaml'], '/home/ana', { packaged: true })).toEqual(['/home/ana/lab.podnet', '/abs/b.yaml'])
    expect(filesFromArgv(['/usr/bin/electron', 'out/main/index.js', '--inspect=9229', 'x.podnet'], '/w', { packaged: false })).toEqual(['/w/x.podnet'])
    expect(filesFromArgv(['podnet-lab', '--', '-odd-name.podnet'], '/w', { packaged: true })).toEqual(['/w/-odd-name.podnet'])
    expect(filesFromArgv(['podnet-lab'], '/w', { packaged: true })).toEqual([])
  })

  it('holds opens that arrive before the window, then hands them over in order', () => {
    const p = new PendingOpens()
    const got: string[] = []
    p.push('a')
    p.push('b')
    p.attach((x) => got.push(x))
    p.push('c')
    expect(got).toEqual(['a', 'b', 'c'])
  })
})

describe('shell settings', () => {
  it('remembers the language, and nothing it does not know', () => {
    const file = join(dir, 'settings.json')
    expect(loadSettings(file)).toEqual({})
    saveSettings(file, { lang: 'ja' })
    expect(loadSettings(file)).toEqual({ lang: 'ja' })
    writeFileSync(file, '{"lang": "fr"}')
    expect(loadSettings(file)).toEqual({})
  })
})
