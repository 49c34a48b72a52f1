import { defineStore } from 'pinia'
import { ref, watch, type Ref } from 'vue'
import type { Lang } from '../../shared/api.ts'
import { api, hasShell } from '../api/podnet.ts'

export type Theme = 'light' | 'dark'

/** Sizes of the workspace's panes, in pixels, and which are folded away. */
export interface PaneSizes {
  dock: number
  side: number
  dockCollapsed: boolean
  sideCollapsed: boolean
}

/** `dock: 0`: not chosen yet, so the dock takes its share of the window (dockShare). */
export const DEFAULT_PANES: PaneSizes = { dock: 0, side: 400, dockCollapsed: false, sideCollapsed: false }

/** The dock's height until the user picks one: 40 % of the workspace, at least 220 pixels. */
export function dockShare(view: { height: number }): number {
  return Math.max(220, Math.round(0.4 * (view.height - 46)))
}

/** The workspace's resizable panes: the bottom dock and the side panel. */
export type Pane = 'dock' | 'side'

/** The smallest the panes get, and the room the canvas always keeps (pixels). */
export const PANE_LIMITS = { dock: 120, side: 260, canvasHeight: 200, canvasWidth: 420, chrome: 90 }

/**
 * A pane's size within what the window leaves for it: at least its minimum, and never so big
 * that the canvas gets smaller than its own minimum (a window made smaller shrinks the pane too).
 */
export function paneSize(pane: Pane, size: number, view: { width: number; height: number }): number {
  const min = PANE_LIMITS[pane]
  const max = pane === 'dock' ? view.height - PANE_LIMITS.chrome - PANE_LIMITS.canvasHeight : view.width - PANE_LIMITS.canvasWidth
  return Math.round(Math.max(min, Math.min(Number.isFinite(size) ? size : min, Math.max(min, max))))
}

/** A pane's size now: the one the user chose (the dock's share of the window until then), within the window. */
export function currentPaneSize(pane: Pane, panes: PaneSizes, view: { width: number; height: number }): number {
  if (pane === 'side') return paneSize('side', panes.side, view)
  return paneSize('dock', panes.dock > 0 ? panes.dock : dockShare(view), view)
}

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null
  } catch {
    // Storage can be unavailable (privacy settings); the default is fine.
    return null
  }
}

/** A preference kept in localStorage: read once, written on every change. */
function persisted<T>(key: string, initial: T, parse: (s: string) => T | null, show: (v: T) => string = String): Ref<T> {
  const saved = stored(key)
  const r = ref(initial) as Ref<T>
  if (saved !== null) {
    const v = parse(saved)
    if (v !== null) r.value = v
  }
  watch(
    r,
    (v) => {
      try {
        globalThis.localStorage?.setItem(key, show(v))
      } catch {
        // Not persisted; the choice still holds for this session.
      }
    },
    { deep: true },
  )
  return r
}

function parsePanes(s: string): PaneSizes | null {
  try {
    const v = JSON.parse(s) as Partial<PaneSizes>
    const num = (x: unknown, d: number): number => (typeof x === 'number' && Number.isFinite(x) ? x : d)
    return { dock: num(v.dock, DEFAULT_PANES.dock), side: num(v.side, DEFAULT_PANES.side), dockCollapsed: v.dockCollapsed === true, sideCollapsed: v.sideCollapsed === true }
  } catch {
    return null
  }
}

const browserLang = (): Lang => (globalThis.navigator?.language?.toLowerCase().startsWith('ja') ? 'ja' : 'en')
const browserTheme = (): Theme => (globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')

/** User preferences that outlive a lab: the language, the theme, the sizes of the panes. */
export const useSettingsStore = defineStore('settings', () => {
  const lang = persisted<Lang>('podnet.lang', browserLang(), (s) => (s === 'en' || s === 'ja' ? s : null))
  const theme = persisted<Theme>('podnet.theme', browserTheme(), (s) => (s === 'light' || s === 'dark' ? s : null))
  const panes = persisted<PaneSizes>('podnet.panes', { ...DEFAULT_PANES }, parsePanes, (v) => JSON.stringify(v))
  function setLang(l: Lang): void {
    lang.value = l
  }
  function setTheme(t: Theme): void {
    theme.value = t
  }
  watch(
    [lang, theme],
    ([l, t]) => {
      if (!globalThis.document) return
      document.documentElement.lang = l
      document.documentElement.dataset.theme = t
    },
    { immediate: true },
  )
  watch(
    lang,
    (l) => {
      // The desktop shell's menus and dialogs follow the window's language.
      if (hasShell()) api.setLanguage({ lang: l }).catch(() => {})
    },
    { immediate: true },
  )
  function resizePane(pane: Pane, size: number, view: { width: number; height: number }): void {
    panes.value = { ...panes.value, [pane]: paneSize(pane, size, view) }
  }
  function togglePane(pane: Pane): void {
    const key = pane === 'dock' ? 'dockCollapsed' : 'sideCollapsed'
    panes.value = { ...panes.value, [key]: !panes.value[key] }
  }
  return { lang, theme, panes, setLang, setTheme, resizePane, togglePane }
})
