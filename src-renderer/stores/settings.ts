import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { Lang } from '../../shared/api.ts'
import { api, hasShell } from '../api/podnet.ts'

const KEY = 'podnet.lang'

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(KEY)
    if (saved === 'en' || saved === 'ja') return saved
  } catch {
    // Storage can be unavailable (privacy settings); the default is fine.
  }
  return globalThis.navigator?.language?.toLowerCase().startsWith('ja') ? 'ja' : 'en'
}

/** User preferences that outlive a lab: the language. */
export const useSettingsStore = defineStore('settings', () => {
  const lang = ref<Lang>(initialLang())
  function setLang(l: Lang): void {
    lang.value = l
  }
  watch(
    lang,
    (l) => {
      try {
        globalThis.localStorage?.setItem(KEY, l)
      } catch {
        // Not persisted; the choice still holds for this session.
      }
      if (globalThis.document) document.documentElement.lang = l
      // The desktop shell's menus and dialogs follow the window's language.
      if (hasShell()) api.setLanguage({ lang: l }).catch(() => {})
    },
    { immediate: true },
  )
  return { lang, setLang }
})
