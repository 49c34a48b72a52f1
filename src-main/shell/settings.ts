// What the shell remembers between runs besides window placement and recent labs: the UI
// language the window last used, so menus and dialogs speak it from the first moment.
import type { Lang } from '../../shared/api.ts'
import { isRecord, readJson, writeJson } from './json-file.ts'

export interface ShellSettings {
  lang?: Lang
}

export function loadSettings(file: string): ShellSettings {
  const v = readJson(file)
  if (!isRecord(v)) return {}
  return v.lang === 'en' || v.lang === 'ja' ? { lang: v.lang } : {}
}

export function saveSettings(file: string, s: ShellSettings): void {
  writeJson(file, s)
}
