import { describe, expect, it } from 'vitest'
import { ja as engineJa } from '../../shared/messages/ja.ts'
import { ja as uiJa } from '../../src-renderer/i18n/ja.ts'
import { CHECK_MESSAGES } from '../../src-main/exercises/messages.ts'

/*
 * The Japanese texts read as one voice (the project's Japanese glossary): a term with a fixed
 * Japanese rendering is never left in English or worded another way, long vowel marks are kept,
 * and running text takes full-width punctuation. Every Japanese catalogue is held to it: the
 * engine's (steps, drops, refusals, build and lab file problems), the UI's and the exercise checker's.
 */

const CATALOGUES: Record<string, Record<string, string>> = { engine: engineJa, ui: uiJa, exercises: CHECK_MESSAGES.ja }

/** What the glossary rules out, with what it asks for instead. */
const RULES: [RegExp, string][] = [
  [/\b(FIB )?lookup\b/i, 'FIB 検索'],
  [/\bnext hop\b/i, 'ネクストホップ'],
  [/\bneighbou?rs?\b/i, 'ネイバー'],
  [/\bleases?\b/i, 'リース'],
  [/\b(network )?namespaces?\b/i, '（ネットワーク）名前空間'],
  [/\b(en|de)capsulat/i, 'カプセル化する / カプセル化を解く'],
  [/デカプセル|で包み|包んで/, 'カプセル化する / カプセル化を解く'],
  [/黙って|を捨て/, '破棄する / 通知なしに破棄する'],
  [/ルートネットワーク名前空間/, 'ルート名前空間'],
  [/ヘッダ(?!ー)|クラスタ(?!ー)|ルータ(?!ー)|トポロジ(?!ー)/, 'ヘッダー、クラスター、ルーター、トポロジー'],
  [/[\u3040-\u30ff\u4e00-\u9fff）]: /, '全角の「：」'],
  [/[\u3040-\u30ff\u4e00-\u9fff]\(|\)[\u3040-\u30ff\u4e00-\u9fff]/, '全角の（）'],
]

describe('Japanese texts follow the glossary', () => {
  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    it(`${name}: no term left in English or worded another way, full-width punctuation`, () => {
      const found: string[] = []
      for (const [key, text] of Object.entries(catalogue)) {
        // Linux's own words stay: `ip_forward`, `nexthop` (the kernel's nexthop exception).
        const words = text.replace(/\{\w+\}/g, '').replace(/`[^`]*`/g, '').replace(/net\.ipv4\.[a-z_.]+/g, '')
        for (const [rule, want] of RULES) if (rule.test(words)) found.push(`${key}: ${rule} -> ${want}: ${text}`)
      }
      expect(found).toEqual([])
    })
  }

  it('the rules find what they are for', () => {
    const hits = (s: string): number => RULES.filter(([r]) => r.test(s)).length
    expect(hits('破棄: VXLAN ヘッダを外す')).toBe(2)
    expect(hits('FIB lookup の結果')).toBe(1)
    expect(hits('破棄：VXLAN ヘッダーを外してカプセル化を解く')).toBe(0)
  })
})
