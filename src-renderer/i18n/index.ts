import { computed } from 'vue'
import { formatMessage } from '../../shared/messages/index.ts'
import type { Lang, ScenarioInfo } from '../../shared/api.ts'
import { useSettingsStore } from '../stores/settings.ts'
import { en, type UiKey } from './en.ts'
import { ja } from './ja.ts'

export type { UiKey }

const catalogues: Record<Lang, Record<UiKey, string>> = { en, ja }

/** A UI label with `{name}` placeholders filled. */
export function translate(lang: Lang, key: UiKey, params: Record<string, string | number> = {}): string {
  const t = catalogues[lang][key] ?? en[key]
  // `{n:node|nodes}` picks the singular when n is 1.
  return t
    .replace(/\{(\w+):([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, many: string) => (Object.hasOwn(params, name) ? (params[name] === 1 ? one : many) : whole))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole))
}

/** Labels and engine texts (trace steps, events) in the chosen language. */
export function useI18n() {
  const settings = useSettingsStore()
  return {
    lang: computed(() => settings.lang),
    t: (key: UiKey, params?: Record<string, string | number>) => translate(settings.lang, key, params),
    /** An engine message key (shared/messages) rendered in the chosen language. */
    m: (key: string, params?: Record<string, string | number>) => formatMessage(key, params ?? {}, settings.lang),
  }
}

/** A scenario's title and description in a language (the engine lists them in English and Japanese). */
export function scenarioWords(s: ScenarioInfo, lang: Lang): { title: string; description: string } {
  return lang === 'ja' && s.ja ? s.ja : { title: s.title, description: s.description }
}
