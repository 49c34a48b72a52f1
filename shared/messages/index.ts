import { en } from './en.ts'
import { ja } from './ja.ts'

/**
 * The message catalogue: turns a trace event's `msg` key and `params` (shared/trace.ts) into a
 * human explanation. Used by the CLI's numbered steps and the renderer's step list.
 */

export type Lang = 'en' | 'ja'

const catalogues: Record<Lang, Record<string, string>> = { en, ja }

const PLACEHOLDER = /\{(\w+)\}/g

/** Own keys only: a plain object also "has" toString, constructor, ... through its prototype. */
function template(key: string, lang: Lang): string | undefined {
  if (Object.hasOwn(catalogues[lang], key)) return catalogues[lang][key]
  // The catalogues are tested to have the same keys; English is the safety net all the same.
  if (Object.hasOwn(en, key)) return en[key]
  return undefined
}

export function hasMessage(key: string, lang: Lang = 'en'): boolean {
  return Object.hasOwn(catalogues[lang], key)
}

/**
 * Fills `{name}` placeholders from params. A placeholder without a param stays visible as
 * `{name}`, and an unknown key comes back as `key (a=1, b=2)`, so nothing is silently lost.
 */
export function formatMessage(key: string, params: Record<string, string | number> = {}, lang: Lang = 'en'): string {
  const t = template(key, lang)
  if (t === undefined) {
    const list = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')
    return list ? `${key} (${list})` : key
  }
  return t.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole))
}
