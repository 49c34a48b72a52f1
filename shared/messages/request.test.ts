import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatMessage } from './index.ts'
import { requestEn, requestJa } from './request.ts'

/*
 * Why a request is refused, in both languages: the catalogue walked key by key, the `...Key`
 * placeholders filled with other keys' words in the same language, and the handler table's
 * sources walked so no key is dead.
 */

const PLACEHOLDER = /\{(\w+)\}/g
const names = (t: string): string[] => [...new Set([...t.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort()
const ROOT = join(import.meta.dirname, '..', '..')

describe('request refusals in both languages', () => {
  it('every key in both catalogues, with the same placeholders, worded in Japanese', () => {
    expect(Object.keys(requestJa).sort()).toEqual(Object.keys(requestEn).sort())
    for (const [key, t] of Object.entries(requestEn)) {
      const j = requestJa[key as keyof typeof requestEn]
      expect(names(j), key).toEqual(names(t))
      // A value as it was sent is the same in any language.
      if (j.replace(PLACEHOLDER, '').trim() !== '') expect(j, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
    }
  })

  it('a `...Key` placeholder is filled with that key\'s words in the same language', () => {
    const params = { whatKey: 'request.what.destination', gotKey: 'request.got.text', value: '"pod 4"' }
    expect(formatMessage('request.must_be', params, 'en')).toBe('must be a pod, namespace or IPv4 address, not "pod 4"')
    expect(formatMessage('request.must_be', params, 'ja')).toBe('Pod、名前空間、IPv4 アドレスのいずれかを指定してください（"pod 4" は使えません）')
    const number = { min: '68', max: '65535', gotKey: 'request.got.number', value: '70000' }
    expect(formatMessage('request.whole_number', number, 'en')).toBe('must be a whole number from 68 to 65535, not number 70000')
    expect(formatMessage('request.whole_number', number, 'ja')).toBe('68 から 65535 までの整数を指定してください（数値 70000 は使えません）')
  })

  it('a `...Key` parameter that is not a key, or a key inside a key, is shown as it is (one level only)', () => {
    expect(formatMessage('request.must_be', { whatKey: 'no.such', gotKey: 'request.got.list' }, 'en')).toBe('must be no.such, not a list')
    // request.got.text's {value} is a plain placeholder: a key there is not worded again.
    expect(formatMessage('request.must_be', { whatKey: 'request.what.text', gotKey: 'request.got.text', value: 'request.got.list' }, 'en')).toBe('must be text, not request.got.list')
  })

  it('every key is used by the handler table', () => {
    const dir = join(ROOT, 'src-main', 'ipc')
    const code = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n')
    expect(Object.keys(requestEn).filter((k) => !code.includes(`'${k}'`))).toEqual([])
  })
})
