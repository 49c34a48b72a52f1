import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildEn, buildJa } from './build.ts'
import { labfileEn, labfileJa } from './labfile.ts'
import { formatMessage } from './index.ts'

/*
 * Why a lab file cannot be read or built, in both languages: the catalogues are walked key by key
 * (the same keys, the same placeholders, every placeholder filled), and the sources that throw
 * these problems are walked too, so no key is dead and no thrown text slips back into English only.
 */

const PLACEHOLDER = /\{(\w+)\}/g
const names = (t: string): string[] => [...new Set([...t.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort()

const ROOT = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.test.ts'))
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
}

describe('build and lab file problems in both languages', () => {
  for (const [name, en, ja] of [['build', buildEn, buildJa], ['labfile', labfileEn, labfileJa]] as const) {
    it(`${name}: every key in both catalogues, with the same placeholders, worded in Japanese`, () => {
      expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort())
      for (const [key, t] of Object.entries(en)) {
        const j = (ja as Record<string, string>)[key]
        expect(names(j), key).toEqual(names(t))
        expect(j, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
        const params = Object.fromEntries(names(t).map((p) => [p, `<${p}>`]))
        for (const lang of ['en', 'ja'] as const) {
          const s = formatMessage(key, params, lang)
          expect(s.replace(/<\w+>/g, ''), `${lang} ${key}`).not.toMatch(/[{}]/)
          for (const p of names(t)) expect(s, `${lang} ${key}`).toContain(`<${p}>`)
        }
      }
    })
  }

  it('every build key is thrown somewhere, and no SpecError or LabBuildError is thrown with bare English', () => {
    const code = [...sources('src-main/k8s'), ...sources('src-main/lab')].join('\n')
    const unused = Object.keys(buildEn).filter((k) => !code.includes(`'${k}'`))
    expect(unused).toEqual([])
    expect(code).not.toMatch(/new (SpecError|LabBuildError)\([^,]+, *[`'"]/)
  })
})
