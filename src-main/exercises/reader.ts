import { parseIpv4, parsePrefix } from '../engine/addr/ipv4.ts'
import { parseMac } from '../engine/addr/mac.ts'
import type { Fail, Path } from '../lab/format.ts'
import type { Text } from './format.ts'

/** Namespace names as `ip netns add` takes them; '' is not accepted here (goals name namespaces). */
const NETNS = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,62}$/
/** Interface names (IFNAMSIZ - 1, no blanks, '/' or ':'). */
const IFNAME = /^[A-Za-z0-9_.@+-]{1,15}$/

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return JSON.stringify(v)
}

/** Japanese letters and full-width punctuation. */
const WIDE = '\u3000-\u30ff\u3400-\u9fff\uff00-\uffef'

/**
 * A folded YAML paragraph turns each line break into a space, which Japanese does not put between
 * its own characters or after 。、）: those spaces go, the ones next to Latin words stay.
 */
export function joinJapaneseLines(s: string): string {
  return s.replace(new RegExp(`([${WIDE}])[ \\t]+(?=[${WIDE}])`, 'g'), '$1').replace(/([。、，．！？）」』])[ \t]+/g, '$1')
}

/**
 * Typed reads of a parsed YAML value, each failing with the path of the field and what is wrong
 * (the `fail` of readYaml turns the path into a line and column).
 */
export class Reader {
  constructor(readonly fail: Fail) {}

  /** A mapping; with `keys`, any other key is refused (a misspelt field never silently does nothing). */
  mapping(v: unknown, p: Path, keys: readonly string[] | null, what?: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(p, what ?? `must be a mapping, not ${describe(v)}`)
    const o = v as Record<string, unknown>
    if (keys) for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail([...p, k], `unknown field "${k}" (expected ${keys.join(', ')})`)
    return o
  }

  list(v: unknown, p: Path, min = 0): unknown[] {
    if (!Array.isArray(v)) this.fail(p, `must be a list, not ${describe(v)}`)
    if (v.length < min) this.fail(p, `needs at least ${min} ${min === 1 ? 'entry' : 'entries'}`)
    return v
  }

  string(v: unknown, p: Path): string {
    if (typeof v !== 'string' || v.trim() === '') this.fail(p, `must be non-empty text, not ${describe(v)}`)
    return v
  }

  /** A text in English and Japanese: both are required. */
  text(v: unknown, p: Path): Text {
    const o = this.mapping(v, p, ['en', 'ja'], `must be a text in both languages ({ en: ..., ja: ... }), not ${describe(v)}`)
    if (o.en === undefined) this.fail([...p, 'en'], 'the English text is missing')
    if (o.ja === undefined) this.fail([...p, 'ja'], 'the Japanese text is missing')
    return { en: this.string(o.en, [...p, 'en']).trim(), ja: joinJapaneseLines(this.string(o.ja, [...p, 'ja']).trim()) }
  }

  oneOf<T extends string>(v: unknown, p: Path, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(p, `must be one of ${values.join(', ')}, not ${describe(v)}`)
    return v as T
  }

  int(v: unknown, p: Path, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(p, `must be a whole number from ${min} to ${max}, not ${describe(v)}`)
    return v
  }

  bool(v: unknown, p: Path): boolean {
    if (typeof v !== 'boolean') this.fail(p, `must be true or false, not ${describe(v)}`)
    return v
  }

  netns(v: unknown, p: Path): string {
    if (typeof v !== 'string' || !NETNS.test(v)) this.fail(p, `must be a network namespace name, not ${describe(v)}`)
    return v
  }

  ifname(v: unknown, p: Path): string {
    if (typeof v !== 'string' || !IFNAME.test(v)) this.fail(p, `must be an interface name (1-15 characters, no blanks), not ${describe(v)}`)
    return v
  }

  ip(v: unknown, p: Path): string {
    if (typeof v !== 'string' || parseIpv4(v) === null) this.fail(p, `must be an IPv4 address, not ${describe(v)}`)
    return v
  }

  /** A prefix such as 10.244.2.0/24 (host bits clear), or `default`. */
  prefix(v: unknown, p: Path, allowDefault: boolean): string {
    if (allowDefault && v === 'default') return v
    const pre = typeof v === 'string' && v.includes('/') ? parsePrefix(v) : null
    if (!pre) this.fail(p, `must be a prefix such as 10.244.2.0/24${allowDefault ? ' or default' : ''}, not ${describe(v)}`)
    if (pre.len < 32 && (pre.addr & (0xffffffff >>> pre.len)) !== 0) this.fail(p, `${String(v)} has host bits set`)
    return v as string
  }

  mac(v: unknown, p: Path): string {
    if (typeof v !== 'string' || parseMac(v) === null) this.fail(p, `must be a MAC address such as 02:42:ac:11:00:02, not ${describe(v)}`)
    return v.toLowerCase()
  }
}
