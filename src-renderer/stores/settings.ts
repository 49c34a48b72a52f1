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

export const DEFAULT_PANES: PaneSizes = { dock: 320, side: 400, dockCollapsed: false, sideCollapsed: false }

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
  return { lang, theme, panes, setLang, setTheme }
})
