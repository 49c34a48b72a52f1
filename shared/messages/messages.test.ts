import { describe, expect, it } from 'vitest'
import { en } from './en.ts'
import { ja } from './ja.ts'
import { formatMessage, hasMessage } from './index.ts'

/*
 * The catalogue is checked against the source, not against a hand-kept list: the call sites of
 * the recorders (the engine's trace, the k8s layer's event log) are found and parsed here, so a
 * new or renamed key, or a template naming a parameter that is never passed, fails this test.
 */

/**
 * shared/ is also type-checked for the browser (tsconfig.web.json, no Node types), so node:fs is
 * imported through a non-literal specifier and given the little typing used here; paths are URLs.
 */
interface Fs {
  readFileSync(path: URL, encoding: 'utf8'): string
  readdirSync(path: URL, options: { withFileTypes: true }): { name: string; isDirectory(): boolean }[]
}
const NODE_FS = 'node:fs'
const fs = (await import(/* @vite-ignore */ NODE_FS)) as Fs

const ROOT = new URL('../../', import.meta.url)
const read = (path: string): string => fs.readFileSync(new URL(path, ROOT), 'utf8')
/** Where events are recorded: the engine's trace, and the Kubernetes layer's control-plane log. */
const SCAN_ROOTS = ['src-main/engine', 'src-main/k8s']
/** The recording APIs: their signatures say which argument is the key; `receiver` matches call sites. */
const RECORDERS = [
  { file: 'src-main/engine/trace/recorder.ts', methods: ['frame', 'note', 'packet', 'drop'], receiver: '(?:trace|t)' },
  { file: 'src-main/k8s/events.ts', methods: ['add'], receiver: 'events' },
]
const KEY = /^[a-z][a-z0-9]*\.[a-z0-9_]+$/
const PLACEHOLDER = /\{(\w+)\}/g

/** Keys the Kubernetes layer and the CLI are to use, with their params; once in the scanned source, the scan checks them too. */
const PLANNED: Record<string, string[]> = {
  'control.flannel_lease': ['node', 'subnet', 'publicIp'],
  'control.flannel_route': ['node', 'route'],
  'control.flannel_neigh': ['node', 'entry'],
  'control.flannel_fdb': ['node', 'entry'],
  'control.flannel_remove': ['node', 'subnet'],
  'control.ipam_assign': ['pod', 'ip', 'node'],
  'control.cni_add': ['pod', 'node', 'veth'],
  'control.route_added': ['netns', 'route'],
  'control.route_removed': ['netns', 'route'],
  'send.udp': ['src', 'dst', 'sport', 'dport'],
  'step.leave_pod': ['pod', 'dev', 'peer'],
  'step.enter_root': ['node', 'dev'],
  'step.cross_node': ['from', 'to'],
  'step.deliver_pod': ['pod'],
  'step.verdict_delivered': ['from', 'to'],
  'step.verdict_dropped': ['reason'],
  'step.verdict_count': ['ok', 'n', 'from', 'to'],
  'step.number': ['n'],
  'step.header': ['from', 'to', 'proto'],
  'step.entry': ['entry'],
  'step.veth': ['fromDev', 'fromNs', 'toDev', 'toNs'],
  'step.section_reply': [],
  'step.section_error': [],
  'step.no_answer': [],
  'note.article_simplifies_arp': [],
  'note.article_flannel0': [],
}

// ---- A small scanner for TypeScript source: enough to split call arguments safely. ----

/** Index just past the string, template literal or comment starting at i; i when none starts there. */
function skipLiteral(src: string, i: number): number {
  const c = src[i]
  if (c === '/' && src[i + 1] === '/') {
    const end = src.indexOf('\n', i)
    return end < 0 ? src.length : end
  }
  if (c === '/' && src[i + 1] === '*') return src.indexOf('*/', i + 2) + 2
  if (c === '\'' || c === '"') {
    let j = i + 1
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1
    return j + 1
  }
  if (c === '`') {
    let j = i + 1
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') j += 2
      else if (src[j] === '$' && src[j + 1] === '{') j = closeOf(src, j + 1) + 1
      else j++
    }
    return j + 1
  }
  return i
}

/** The index of the bracket closing the one at `open`. */
function closeOf(src: string, open: number): number {
  let depth = 0
  for (let i = open; i < src.length;) {
    const j = skipLiteral(src, i)
    if (j !== i) {
      i = j
      continue
    }
    const c = src[i]
    if (c === '(' || c === '[' || c === '{') depth++
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return i
    i++
  }
  throw new Error(`unbalanced bracket at ${open}`)
}

/** Splits src[from, to) at top-level commas; `angles` also nests <...> (type parameter lists). */
function splitTop(src: string, from: number, to: number, angles = false): string[] {
  const parts: string[] = []
  let depth = 0
  let start = from
  for (let i = from; i < to;) {
    const j = skipLiteral(src, i)
    if (j !== i) {
      i = j
      continue
    }
    const c = src[i]
    if ('([{'.includes(c) || (angles && c === '<')) depth++
    else if (')]}'.includes(c) || (angles && c === '>' && src[i - 1] !== '=')) depth--
    else if (c === ',' && depth === 0) {
      parts.push(src.slice(start, i))
      start = i + 1
    }
    i++
  }
  parts.push(src.slice(start, to))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** The contents of the quoted string literals in src (comments and template literals skipped). */
function stringLiterals(src: string): string[] {
  const out: string[] = []
  for (let i = 0; i < src.length;) {
    const j = skipLiteral(src, i)
    if (j === i) i++
    else {
      if (src[i] === '\'' || src[i] === '"') out.push(src.slice(i + 1, j - 1))
      i = j
    }
  }
  return out
}

function keyLiterals(expr: string): string[] {
  return stringLiterals(expr).filter((s) => KEY.test(s))
}

/** Property names of an object literal, or null when it is not one we can read (spread, computed, a variable). */
function objectKeys(expr: string): string[] | null {
  if (!expr.startsWith('{') || closeOf(expr, 0) !== expr.length - 1) return null
  const names: string[] = []
  for (const prop of splitTop(expr, 1, expr.length - 1)) {
    const m = /^(?:(\w+)|'([^']*)'|"([^"]*)")\s*(?::|$)/.exec(prop)
    if (!m) return null
    names.push(m[1] ?? m[2] ?? m[3])
  }
  return names
}

/** Source files under dir (relative to the repository), tests excluded; none when dir is absent. */
function tsFiles(dir: string): string[] {
  let entries
  try {
    entries = fs.readdirSync(new URL(`${dir}/`, ROOT), { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const p = `${dir}/${e.name}`
    if (e.isDirectory()) return tsFiles(p)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : []
  })
}

// ---- The recorders' signatures say where the key and its params sit in each call. ----

interface CallPattern {
  call: RegExp
  /** Index of the `msg` argument, by method name. */
  msgAt: Record<string, number>
}

/** One pattern per recorder whose file exists (the k8s layer may not be there yet). */
function callPatterns(): CallPattern[] {
  return RECORDERS.flatMap((r) => {
    let src
    try {
      src = read(r.file)
    } catch {
      return []
    }
    const msgAt: Record<string, number> = {}
    for (const m of src.matchAll(new RegExp(`^\\s+(${r.methods.join('|')})\\(`, 'gm'))) {
      const open = m.index + m[0].length - 1
      const params = splitTop(src, open + 1, closeOf(src, open), true).map((p) => /^\w+/.exec(p)?.[0])
      msgAt[m[1]] = params.indexOf('msg')
    }
    const unread = r.methods.filter((m) => !(msgAt[m] >= 0))
    if (unread.length) throw new Error(`${r.file}: no \`msg\` parameter found for ${unread.join(', ')}`)
    return [{ call: new RegExp(`\\b${r.receiver}\\.(${r.methods.join('|')})\\(`, 'g'), msgAt }]
  })
}

// ---- Resolving the key argument: a literal, a helper returning literals, or a forwarded parameter. ----

interface Site {
  where: string
  keys: string[]
  /** Param names of the object literal passed, or null when it could not be read. */
  params: string[] | null
}

const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return'])

/** Keys returned as literals by `function name(...)` in src (e.g. icmpMsgKey). */
function keysReturnedBy(src: string, name: string): string[] {
  const m = new RegExp(`function\\s+${name}\\s*\\(`).exec(src)
  if (!m) return []
  const bodyOpen = src.indexOf('{', closeOf(src, m.index + m[0].length - 1))
  const body = src.slice(bodyOpen, closeOf(src, bodyOpen) + 1)
  return [...body.matchAll(/return\s+(['"])([^'"]+)\1/g)].map((r) => r[2]).filter((k) => KEY.test(k))
}

/** Keys passed as literals to the function enclosing `at` for its parameter `param` (e.g. traceLearn's msg). */
function keysForwardedTo(src: string, at: number, param: string): string[] {
  let best: { name: string; index: number; params: string[] } | null = null
  for (const m of src.matchAll(/\b(\w+)\s*\(([^()]*)\)\s*(?::\s*[^{};=]+)?\{/g)) {
    if (NOT_FUNCTIONS.has(m[1]) || m.index > at) continue
    const bodyOpen = m.index + m[0].length - 1
    if (closeOf(src, bodyOpen) < at) continue
    best = { name: m[1], index: m.index, params: splitTop(m[2], 0, m[2].length, true).map((p) => /^\w+/.exec(p)?.[0] ?? '') }
  }
  if (!best) return []
  const pos = best.params.indexOf(param)
  if (pos < 0) return []
  const keys: string[] = []
  for (const c of src.matchAll(new RegExp(`\\b${best.name}\\(`, 'g'))) {
    if (c.index === best.index) continue
    const open = c.index + c[0].length - 1
    const args = splitTop(src, open + 1, closeOf(src, open))
    if (args[pos] !== undefined) keys.push(...keyLiterals(args[pos]))
  }
  return keys
}

function scanSites(): { sites: Site[]; unresolved: string[]; literalKeys: Map<string, string>; files: number } {
  const patterns = callPatterns()
  const kinds = [...read('shared/trace.ts').matchAll(/^\s*\|\s*'(\w+)'/gm)].map((m) => m[1])
  const files = SCAN_ROOTS.flatMap((r) => tsFiles(r))
  const sites: Site[] = []
  const unresolved: string[] = []
  const literalKeys = new Map<string, string>()
  for (const rel of files) {
    const src = read(rel)
    // Safety net: any literal shaped like a key with a trace kind as prefix is a key (except in
    // the inspector's decoder, whose `icmp.type`-like literals are Wireshark's field names).
    if (!rel.endsWith('wire/dissect.ts')) for (const s of stringLiterals(src)) if (KEY.test(s) && kinds.includes(s.split('.')[0])) literalKeys.set(s, rel)
    for (const { call, msgAt } of patterns) for (const m of src.matchAll(call)) {
      const open = m.index + m[0].length - 1
      const args = splitTop(src, open + 1, closeOf(src, open))
      const where = `${rel}:${src.slice(0, m.index).split('\n').length}`
      const msg = args[msgAt[m[1]]] ?? ''
      let keys = keyLiterals(msg)
      if (!keys.length && /^\w+\(/.test(msg)) keys = keysReturnedBy(src, /^\w+/.exec(msg)![0])
      else if (!keys.length && /^\w+$/.test(msg)) keys = keysForwardedTo(src, m.index, msg)
      if (!keys.length) {
        unresolved.push(`${where}: ${msg}`)
        continue
      }
      const p = args[msgAt[m[1]] + 1]
      sites.push({ where, keys, params: p === undefined ? null : objectKeys(p) })
    }
  }
  return { sites, unresolved, literalKeys, files: files.length }
}

const scan = scanSites()
const usedKeys = new Set([...scan.sites.flatMap((s) => s.keys), ...scan.literalKeys.keys()])

function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort()
}

describe('the scanner', () => {
  it('finds and resolves every recorder call site', () => {
    expect(scan.files).toBeGreaterThan(20)
    expect(scan.sites.length).toBeGreaterThan(50)
    // A key built at runtime cannot be checked against the catalogue: pass literals (or a helper returning them).
    expect(scan.unresolved).toEqual([])
  })
})

describe('message catalogue', () => {
  it('has every key the engine records, in English and Japanese', () => {
    const missing = [...usedKeys].filter((k) => !hasMessage(k, 'en') || !hasMessage(k, 'ja'))
    expect(missing).toEqual([])
  })

  it('has the keys the Kubernetes layer and CLI will use, with placeholders from their params', () => {
    const bad: string[] = []
    for (const [key, params] of Object.entries(PLANNED)) {
      if (!hasMessage(key, 'en') || !hasMessage(key, 'ja')) bad.push(`${key}: missing`)
      else for (const ph of placeholders(en[key])) if (!params.includes(ph)) bad.push(`${key}: {${ph}}`)
    }
    expect(bad).toEqual([])
  })

  it('has no stale keys: each one is used by the engine or planned', () => {
    expect(Object.keys(en).filter((k) => !usedKeys.has(k) && !(k in PLANNED))).toEqual([])
  })

  it('uses only placeholders that the engine passes for the key at some call site', () => {
    const bad: string[] = []
    for (const key of usedKeys) {
      const readable = scan.sites.filter((s) => s.keys.includes(key) && s.params !== null)
      if (!readable.length) continue
      const passed = new Set(readable.flatMap((s) => s.params!))
      for (const lang of [en, ja]) {
        for (const ph of placeholders(lang[key] ?? '')) if (!passed.has(ph)) bad.push(`${key}: {${ph}}`)
      }
    }
    expect([...new Set(bad)]).toEqual([])
  })

  it('uses only placeholders passed at every call site of the key, so none shows up raw', () => {
    const bad: string[] = []
    for (const s of scan.sites) {
      if (s.params === null) continue
      for (const key of s.keys) for (const ph of placeholders(en[key] ?? '')) if (!s.params.includes(ph)) bad.push(`${s.where} ${key}: {${ph}}`)
    }
    expect(bad).toEqual([])
  })

  it('has the same keys and the same placeholders per key in English and Japanese', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort())
    const differ = Object.keys(en).filter((k) => placeholders(en[k]).join() !== placeholders(ja[k] ?? '').join())
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
    expect(Object.keys(ja).filter((k) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(ja[k]))).toEqual([])
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
