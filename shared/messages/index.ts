import { en } from './en.ts'
import { ja } from './ja.ts'

/**
 * The message catalogue: turns a trace event's `msg` key and `params` (shared/trace.ts) into a
 * human explanation. Used by the CLI's numbered steps and the renderer's step list.
 */

export type Lang = 'en' | 'ja'

/** A message key: a key of the English catalogue (a mistyped key fails the type check). */
export type MessageKey = keyof typeof en

/** The `{name}` placeholders of a template. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never

/**
 * The parameters a message needs: every placeholder of its English template (more may be passed,
 * for views that use them). For a union of keys, those of one of them.
 */
export type MessageParams<K extends MessageKey> = K extends MessageKey ? { [P in Placeholders<(typeof en)[K]>]: string | number } & Record<string, string | number> : never

const catalogues: Record<Lang, Record<string, string>> = { en, ja }

const PLACEHOLDER = /\{(\w+)\}/g

/** Own keys only: a plain object also "has" toString, constructor, ... through its prototype. */
function template(key: string, lang: Lang): string | undefined {
  if (Object.hasOwn(catalogues[lang], key)) return catalogues[lang][key]
  // The catalogues are tested to have the same keys; English is the safety net all the same.
  if (Object.hasOwn(en, key)) return (en as Record<string, string>)[key]
  return undefined
}

export function hasMessage(key: string, lang: Lang = 'en'): boolean {
  return Object.hasOwn(catalogues[lang], key)
}

/**
 * Fills `{name}` placeholders from params. A placeholder without a param stays visible as
 * `{name}`, and an unknown key comes back as `key (a=1, b=2)`, so nothing is silently lost.
 * A placeholder named `...Key` holds a key of the catalogue: that message, worded in the same
 * language with the same params, fills it (one level: a refusal's "what a field takes").
 */
export function formatMessage(key: string, params: Record<string, string | number> = {}, lang: Lang = 'en'): string {
  return word(key, params, lang, true)
}

function word(key: string, params: Record<string, string | number>, lang: Lang, nest: boolean): string {
  const t = template(key, lang)
  if (t === undefined) {
    const list = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')
    return list ? `${key} (${list})` : key
  }
  return t.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole
    const v = String(params[name])
    return nest && name.endsWith('Key') && template(v, lang) !== undefined ? word(v, params, lang, false) : v
  })
}
