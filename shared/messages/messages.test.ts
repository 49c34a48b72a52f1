import { describe, expect, it } from 'vitest'
import { en } from './en.ts'
import { ja } from './ja.ts'
import { formatMessage, hasMessage, type MessageKey } from './index.ts'

/*
 * Keys are checked by the type checker: the recorders (the engine's trace, the Kubernetes layer's
 * event log) take a MessageKey (a key of the English catalogue) and the parameters its template
 * names, and the Japanese catalogue must have exactly the English keys. These tests check what
 * types cannot: the templates themselves.
 */

const PLACEHOLDER = /\{(\w+)\}/g

function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort()
}

describe('message catalogue', () => {
  it('has the same keys and the same placeholders per key in English and Japanese', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort())
    const differ = (Object.keys(en) as MessageKey[]).filter((k) => placeholders(en[k]).join() !== placeholders(ja[k] ?? '').join())
    expect(differ).toEqual([])
  })

  it('has well-formed, single-line templates, and Japanese ones are translated', () => {
    for (const [lang, cat] of Object.entries({ en, ja })) {
      for (const [key, t] of Object.entries(cat)) {
        const where = `${lang} ${key}`
        expect(t.trim(), where).not.toBe('')
        expect(t, where).not.toMatch(/\n/)
        expect(t.replace(PLACEHOLDER, ''), where).not.toMatch(/[{}]/)
      }
    }
    // A template that is only placeholders (a value as it was sent) has nothing to translate.
    const words = (k: MessageKey): string => ja[k].replace(PLACEHOLDER, '').trim()
    expect((Object.keys(ja) as MessageKey[]).filter((k) => words(k) !== '' && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(ja[k]))).toEqual([])
  })
})

describe('formatMessage', () => {
  const learn = { bridge: 'cbr0', mac: '0a:58:0a:f4:01:02', port: 'veth1a2b' }

  it('fills the placeholders from params, in either language', () => {
    for (const lang of ['en', 'ja'] as const) {
      const s = formatMessage('bridge.learn', learn, lang)
      expect(s).toContain('cbr0')
      expect(s).toContain('0a:58:0a:f4:01:02')
      expect(s).toContain('veth1a2b')
      expect(s).not.toMatch(/[{}]/)
    }
    expect(formatMessage('bridge.learn', learn, 'ja')).not.toBe(formatMessage('bridge.learn', learn, 'en'))
  })

  it('prints numbers and ignores params the template does not use', () => {
    const s = formatMessage('drop.veth_mtu', { dev: 'eth0', mtu: 1450, len: 1500, extra: 'x' })
    expect(s).toContain('1450')
    expect(s).toContain('1500')
    expect(s).not.toContain('extra')
  })

  it('defaults to English', () => {
    expect(formatMessage('bridge.learn', learn)).toBe(formatMessage('bridge.learn', learn, 'en'))
  })

  it('leaves a placeholder without a param visible', () => {
    const s = formatMessage('bridge.learn', { bridge: 'cbr0' })
    expect(s).toContain('cbr0')
    expect(s).toContain('{mac}')
    expect(s).toContain('{port}')
  })

  it('returns an unknown key with its params so nothing is lost', () => {
    expect(formatMessage('no.such_key', { a: 1, b: 'x' })).toBe('no.such_key (a=1, b=x)')
    expect(formatMessage('no.such_key', { a: 1 }, 'ja')).toBe('no.such_key (a=1)')
    expect(formatMessage('no.such_key', {})).toBe('no.such_key')
  })

  it('does not mistake Object.prototype members for messages', () => {
    expect(formatMessage('toString', {})).toBe('toString')
    expect(hasMessage('constructor', 'en')).toBe(false)
  })

  it('hasMessage reports keys per language', () => {
    expect(hasMessage('bridge.learn', 'en')).toBe(true)
    expect(hasMessage('bridge.learn', 'ja')).toBe(true)
    expect(hasMessage('no.such_key', 'en')).toBe(false)
  })
})
