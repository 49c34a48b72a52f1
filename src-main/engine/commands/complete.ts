import { formatIpv4, prefixContains, type Ipv4 } from '../addr/ipv4.ts'
import { routeDstString, RT_TABLE_MAIN } from '../kernel/fib.ts'
import type { Netns } from '../kernel/netns.ts'
import type { World } from '../kernel/world.ts'
import { COMMANDS } from './table.ts'

/**
 * Tab completion for the command language, from the command table and the live state of the
 * World (as bash-completion does for iproute2, but asking the lab rather than the kernel): the
 * candidates for the word that ends at the cursor. Data, not text: the terminal decides how to
 * show them (extend the word, or list them on a second Tab).
 */
export interface Completion {
  /** Where the word being completed starts in the line. */
  from: number
  /** Every candidate that starts with the word, sorted, each once. */
  candidates: string[]
  /** A unique candidate gets no space after it (a sysctl key prefix `net.ipv4.`, `KEY=`). */
  noSpace?: boolean
}

/** What a program's completer gets: the words before the cursor and the word at it. */
export interface CompletionCtx {
  world: World
  /** The namespace the command would run in (after `ip netns exec`, `ip -n`). */
  ns: Netns
  /** The words of the command before the one being completed, without the program. */
  args: string[]
  /** The (partial) word at the cursor. */
  cur: string
}

/** A program's completer: its candidates (not yet filtered by the word), or a nested command. */
export type ProgramCompleter = (c: CompletionCtx) => string[] | { nested: { ns: Netns; words: string[] } }

/** Where the current simple command starts, its words before the cursor, and the word at it. */
export function wordsAtCursor(text: string): { words: string[]; cur: string; from: number; quoted: boolean } {
  let words: string[] = []
  let word = ''
  let start = -1
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = null
      else word += c
      continue
    }
    if (c === "'" || c === '"') {
      if (start < 0) start = i
      quote = c
      continue
    }
    if (c === ' ' || c === '\t') {
      if (start >= 0) words.push(word)
      word = ''
      start = -1
      continue
    }
    if (';&|()'.includes(c)) {
      // A list or pipe operator: what follows is a new command.
      words = []
      word = ''
      start = -1
      continue
    }
    if (start < 0) start = i
    word += c
  }
  return { words, cur: word, from: start < 0 ? text.length : start, quoted: quote !== null || text.slice(start < 0 ? text.length : start).startsWith("'") || text.slice(start < 0 ? text.length : start).startsWith('"') }
}

/** Candidates for the word before `cursor` in `line`, run in `ns`. `extra`: programs of the layer above (podnet). */
export function complete(world: World, ns: Netns, line: string, cursor: number, extra: Record<string, ProgramCompleter> = {}): Completion {
  const at = Math.max(0, Math.min(cursor, line.length))
  const { words, cur, from, quoted } = wordsAtCursor(line.slice(0, at))
  if (quoted) return { from, candidates: [] }
  const programs: Record<string, ProgramCompleter> = { ...PROGRAMS, ...extra }
  let inNs = ns
  let w = words
  // Follow wrappers (`ip netns exec NS`, `timeout DUR`) down to the command being completed.
  for (let depth = 0; depth < 8; depth++) {
    if (w.length === 0) return finish(from, cur, [...Object.keys(COMMANDS), ...Object.keys(extra)])
    const prog = w[0].slice(w[0].lastIndexOf('/') + 1)
    const completer = Object.hasOwn(programs, prog) ? programs[prog] : undefined
    if (!completer) return { from, candidates: [] }
    const r = completer({ world, ns: inNs, args: w.slice(1), cur })
    if (!Array.isArray(r)) {
      inNs = r.nested.ns
      w = r.nested.words
      continue
    }
    return finish(from, cur, r)
  }
  return { from, candidates: [] }
}

function finish(from: number, cur: string, all: string[]): Completion {
  const candidates = [...new Set(all.filter((c) => c.startsWith(cur)))].sort()
  const noSpace = candidates.length > 0 && candidates.every((c) => c.endsWith('.') || c.endsWith('='))
  return noSpace ? { from, candidates, noSpace } : { from, candidates }
}

// --- Where candidates come from ---------------------------------------------------------------

type Source = 'dev' | 'bridge' | 'netns' | 'addr' | 'iface' | 'cidr' | 'route' | 'neigh' | 'gateway' | 'labaddr' | 'none' | readonly string[]

function devices(ns: Netns): string[] {
  return ns.deviceList().map((d) => d.name)
}

function labAddresses(world: World): Ipv4[] {
  const out: Ipv4[] = []
  for (const n of [world.root, ...world.namespaces.values()]) for (const d of n.deviceList()) for (const a of d.inet) if (a.local >>> 24 !== 127) out.push(a.local)
  return out
}

function source(c: CompletionCtx, s: Source): string[] {
  if (typeof s !== 'string') return [...s]
  const ns = c.ns
  switch (s) {
    case 'dev':
      return devices(ns)
    case 'bridge':
      return ns.deviceList().filter((d) => d.kind === 'bridge').map((d) => d.name)
    case 'netns':
      return [...c.world.namespaces.keys()]
    case 'addr':
      return ns.deviceList().flatMap((d) => d.inet.map((a) => formatIpv4(a.local)))
    case 'iface':
      return [...source(c, 'dev'), ...source(c, 'addr')]
    case 'cidr':
      return ns.deviceList().flatMap((d) => d.inet.map((a) => `${formatIpv4(a.local)}/${a.prefixLen}`))
    case 'route':
      return ns.table(RT_TABLE_MAIN).routes().map(routeDstString)
    case 'neigh':
      return ns.neigh.entries().map((n) => formatIpv4(n.ip))
    case 'gateway': {
      // Neighbours, and the lab's addresses on a subnet this namespace is connected to.
      const nets = ns.deviceList().flatMap((d) => d.inet.map((a) => ({ addr: a.local, len: a.prefixLen })))
      const own = new Set(nets.map((p) => p.addr))
      const on = labAddresses(c.world).filter((ip) => !own.has(ip) && nets.some((p) => p.len > 0 && prefixContains(p, ip)))
      return [...ns.neigh.entries().map((n) => formatIpv4(n.ip)), ...on.map(formatIpv4)]
    }
    case 'labaddr':
      return labAddresses(c.world).map(formatIpv4)
    case 'none':
      return []
  }
}

// --- A small grammar for iproute2-style commands ------------------------------------------------

/** One verb: its positional argument, its keywords with a value, and its keywords alone. */
interface Verb {
  /** The first positional word (a device, a prefix...); `optional`: keywords may come first. */
  first?: Source
  optional?: boolean
  args?: Record<string, Source>
  flags?: readonly string[]
}

/** The candidates for a verb's arguments, given the words after the verb. */
function verbArgs(c: CompletionCtx, v: Verb, after: string[]): string[] {
  const prev = after[after.length - 1]
  if (prev !== undefined && v.args && Object.hasOwn(v.args, prev)) return source(c, v.args[prev])
  // Positional words given so far: those that are not keywords or keyword values.
  let positional = 0
  for (let i = 0; i < after.length; i++) {
    if (v.args && Object.hasOwn(v.args, after[i])) i++
    else if (!v.flags?.includes(after[i])) positional++
  }
  const keywords = [...Object.keys(v.args ?? {}), ...(v.flags ?? [])]
  if (v.first && positional === 0) return v.optional ? [...source(c, v.first), ...keywords] : source(c, v.first)
  return keywords
}

/** iproute2's `matches`: a typed word abbreviates the first keyword of the list it starts. */
function resolve(word: string, list: readonly string[]): string | undefined {
  return list.find((k) => k.startsWith(word))
}

const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'] as const
const ROUTE_KEYS: Record<string, Source> = {
  via: 'gateway',
  dev: 'dev',
  metric: 'none',
  src: 'addr',
  proto: ['kernel', 'boot', 'static', 'dhcp'],
  scope: ['global', 'link', 'host'],
  table: ['main', 'local', 'default'],
  mtu: 'none',
}
const NUD = ['permanent', 'noarp', 'reachable', 'stale', 'none', 'delay', 'probe', 'failed', 'incomplete'] as const
const LINK_TYPES = ['bridge', 'veth', 'vxlan'] as const
const ADDR_ADD: Verb = { first: 'none', args: { dev: 'dev', brd: ['+'], broadcast: ['+'], scope: ['global', 'link', 'host'], label: 'none', metric: 'none' }, flags: ['noprefixroute'] }
const ROUTE_ADD: Verb = { first: ['default', ...ROUTE_TYPES], optional: true, args: ROUTE_KEYS, flags: ['onlink'] }
const ROUTE_SHOW: Verb = {
  args: { table: ['main', 'local', 'all'], dev: 'dev', via: 'gateway', proto: ['kernel', 'boot', 'static', 'dhcp'], scope: ['global', 'link', 'host'], type: ROUTE_TYPES, root: 'route', match: 'route', exact: 'route' },
  flags: ['cache'],
}
const NEIGH_ADD: Verb = { first: 'gateway', args: { lladdr: 'none', dev: 'dev', nud: NUD }, flags: ['router'] }
const NEIGH_SHOW: Verb = { first: 'neigh', optional: true, args: { dev: 'dev', nud: [...NUD, 'all'] } }

/** `ip` objects the lab simulates, their verbs, and the verbs' arguments. */
const IP: Record<string, Record<string, Verb>> = {
  address: {
    add: ADDR_ADD,
    change: ADDR_ADD,
    replace: ADDR_ADD,
    del: { first: 'cidr', args: { dev: 'dev' } },
    show: { first: 'dev', optional: true, args: { dev: 'dev', scope: ['global', 'link', 'host'], label: 'none' }, flags: ['up'] },
    flush: { first: 'dev', optional: true, args: { dev: 'dev', scope: ['global', 'link', 'host'] } },
  },
  link: {
    add: {
      first: 'none',
      args: { address: 'none', mtu: 'none', type: LINK_TYPES, name: 'none', netns: 'netns', id: 'none', local: 'addr', remote: 'labaddr', dev: 'dev', dstport: 'none', ttl: 'none', ageing: 'none' },
      flags: ['peer', 'nolearning'],
    },
    delete: { first: 'dev', args: { dev: 'dev' } },
    set: {
      first: 'dev',
      args: { mtu: 'none', address: 'none', master: 'bridge', netns: 'netns', name: 'none', txqueuelen: 'none', promisc: ['on', 'off'], alias: 'none' },
      flags: ['up', 'down', 'nomaster'],
    },
    show: { first: 'dev', optional: true, args: { dev: 'dev', master: 'bridge', type: LINK_TYPES }, flags: ['up'] },
  },
  neigh: {
    add: NEIGH_ADD,
    change: NEIGH_ADD,
    replace: NEIGH_ADD,
    del: { first: 'neigh', args: { dev: 'dev' } },
    get: { first: 'neigh', args: { dev: 'dev' } },
    show: NEIGH_SHOW,
    flush: NEIGH_SHOW,
  },
  netns: {
    add: {},
    delete: { first: 'netns' },
    exec: { first: 'netns' },
    identify: {},
    list: {},
    'list-id': {},
  },
  route: {
    add: ROUTE_ADD,
    append: ROUTE_ADD,
    change: ROUTE_ADD,
    prepend: ROUTE_ADD,
    replace: ROUTE_ADD,
    del: { first: 'route', args: ROUTE_KEYS, flags: ['onlink'] },
    show: ROUTE_SHOW,
    flush: ROUTE_SHOW,
    get: { first: 'labaddr', args: { from: 'addr', iif: 'dev', oif: 'dev' }, flags: ['fibmatch'] },
  },
}
/** How iproute2 reads abbreviated objects: the first of its table that the word starts. */
const IP_OBJECT_ORDER = ['address', 'route', 'neighbor', 'neighbour', 'neigh', 'link', 'netns'] as const
const IP_OPTIONS = ['-4', '-6', '-all', '-brief', '-color', '-details', '-json', '-netns', '-oneline', '-pretty', '-stats', '-Version']

/** Skips global options (`-n NS` moves the namespace); null when the cursor is on an option's value. */
function globalOpts(c: CompletionCtx, withArg: readonly string[]): { ns: Netns; rest: string[] } | { value: string } {
  let ns = c.ns
  const a = c.args
  let i = 0
  while (i < a.length && a[i].startsWith('-')) {
    const o = a[i]
    if (withArg.includes(o)) {
      if (i + 1 >= a.length) return { value: o }
      if (o === '-n' || o === '-netns') ns = c.world.netns(a[i + 1]) ?? ns
      i += 2
    } else i++
  }
  return { ns, rest: a.slice(i) }
}

function objectVerb(c: CompletionCtx, table: Record<string, Record<string, Verb>>, order: readonly string[], options: string[]): ReturnType<ProgramCompleter> {
  const g = globalOpts(c, ['-n', '-netns', '-f', '-family'])
  if ('value' in g) return g.value === '-n' || g.value === '-netns' ? source(c, 'netns') : g.value.startsWith('-f') ? ['inet', 'inet6', 'link'] : []
  const cc = { ...c, ns: g.ns }
  const [objWord, verbWord, ...after] = g.rest
  if (objWord === undefined) return c.cur.startsWith('-') ? options : Object.keys(table)
  const obj = resolve(objWord, order)
  const verbs = obj === undefined ? undefined : table[obj === 'neighbor' || obj === 'neighbour' ? 'neigh' : obj]
  if (!verbs) return []
  if (verbWord === undefined) return Object.keys(verbs)
  const verbName = verbWord === 'ls' || verbWord === 'lst' || verbWord === 'list' ? 'show' : verbWord === 'delete' ? 'del' : resolve(verbWord, Object.keys(verbs))
  if (verbName === undefined) return []
  const verb = verbs[verbName] ?? verbs[verbName === 'del' ? 'delete' : verbName]
  if (!verb) return []
  // `ip netns exec NS <command...>`: complete the command, in NS.
  if (obj === 'netns' && verbName === 'exec' && after.length >= 1) {
    const ns = c.world.netns(after[0])
    return ns ? { nested: { ns, words: after.slice(1) } } : []
  }
  return verbArgs(cc, verb, after)
}

const BRIDGE: Record<string, Record<string, Verb>> = {
  fdb: {
    add: { first: 'none', args: { dev: 'dev', dst: 'labaddr', port: 'none', vni: 'none' }, flags: ['self', 'master', 'permanent', 'static', 'dynamic'] },
    append: { first: 'none', args: { dev: 'dev', dst: 'labaddr', port: 'none', vni: 'none' }, flags: ['self', 'master', 'permanent', 'static'] },
    replace: { first: 'none', args: { dev: 'dev', dst: 'labaddr', port: 'none', vni: 'none' }, flags: ['self', 'master', 'permanent', 'static'] },
    del: { first: 'none', args: { dev: 'dev', dst: 'labaddr', vni: 'none' }, flags: ['self', 'master'] },
    show: { args: { br: 'bridge', brport: 'dev', dev: 'dev' }, flags: ['dynamic'] },
  },
  link: { show: { args: { dev: 'dev' } } },
}

/** Options (with `withArg` taking a value) and one positional source, for the other programs. */
function simple(options: readonly string[], values: Record<string, Source>, positional: Source): ProgramCompleter {
  return (c) => {
    const prev = c.args[c.args.length - 1]
    if (prev !== undefined && Object.hasOwn(values, prev)) return source(c, values[prev])
    if (c.cur.startsWith('-')) return [...options]
    return source(c, positional)
  }
}

const TCPDUMP_FILTER = ['and', 'arp', 'dst', 'host', 'icmp', 'ip', 'ip6', 'not', 'or', 'port', 'src', 'tcp', 'udp', 'vxlan']

const sysctl: ProgramCompleter = (c) => {
  if (c.cur.startsWith('-')) return ['-a', '-n', '-q', '-w']
  const keys = c.ns.sysctl.keys()
  const eq = c.cur.indexOf('=')
  if (eq >= 0) {
    const key = c.cur.slice(0, eq)
    return keys.includes(key) ? [`${key}=0`, `${key}=1`] : []
  }
  const write = c.args.some((a) => /^-[a-z]*w/.test(a))
  // Like a path: up to the next dot, so net.ipv4.conf.<Tab><Tab> lists the devices, not 300 keys.
  const out = new Set<string>()
  for (const k of keys) {
    if (!k.startsWith(c.cur)) continue
    const dot = k.indexOf('.', c.cur.length)
    out.add(dot >= 0 ? k.slice(0, dot + 1) : write ? `${k}=` : k)
  }
  return [...out]
}

const PROGRAMS: Record<string, ProgramCompleter> = {
  ip: (c) => objectVerb(c, IP, IP_OBJECT_ORDER, IP_OPTIONS),
  bridge: (c) => objectVerb(c, BRIDGE, ['fdb', 'link'], ['-4', '-6', '-color', '-details', '-json', '-netns', '-oneline', '-pretty', '-stats']),
  brctl: (c) => {
    const [verb, br] = c.args
    if (verb === undefined) return ['addbr', 'addif', 'delbr', 'delif', 'show', 'showmacs']
    if (br === undefined) return verb === 'addbr' ? [] : source(c, 'bridge')
    if (c.args.length === 2 && (verb === 'addif' || verb === 'delif')) return source(c, 'dev').filter((d) => d !== br)
    return []
  },
  sysctl,
  ping: simple(['-4', '-b', '-c', '-I', '-i', '-M', '-n', '-q', '-s', '-t', '-W', '-w'], { '-c': 'none', '-i': 'none', '-W': 'none', '-w': 'none', '-s': 'none', '-t': 'none', '-I': 'iface', '-M': ['do', 'dont', 'want', 'probe'] }, 'labaddr'),
  arping: simple(['-A', '-b', '-c', '-D', '-f', '-I', '-i', '-q', '-s', '-U', '-V', '-w'], { '-c': 'none', '-w': 'none', '-i': 'none', '-I': 'dev', '-s': 'addr' }, 'gateway'),
  traceroute: simple(['-f', '-m', '-n', '-p', '-q', '-w'], { '-f': 'none', '-m': 'none', '-p': 'none', '-q': 'none', '-w': 'none' }, 'labaddr'),
  tcpdump: (c) => {
    const prev = c.args[c.args.length - 1]
    if (prev === '-i') return source(c, 'dev')
    if (prev === '-c' || prev === '-w') return []
    if (c.cur.startsWith('-')) return ['-c', '-e', '-i', '-n', '-p', '-q', '-v', '-w']
    if (prev === 'host') return source(c, 'labaddr')
    if (prev === 'src' || prev === 'dst') return ['host', 'port', ...source(c, 'labaddr')]
    if (prev === 'port') return []
    return TCPDUMP_FILTER
  },
  arp: simple(['-a', '-d', '-n', '-s'], { '-d': 'neigh', '-s': 'gateway' }, 'neigh'),
  route: simple(['-n'], {}, 'none'),
  ifconfig: (c) => (c.args.length === 0 ? (c.cur.startsWith('-') ? ['-a'] : source(c, 'dev')) : c.args[c.args.length - 1] === 'mtu' ? [] : ['down', 'mtu', 'up']),
  timeout: (c) => (c.args.length === 0 ? [] : { nested: { ns: c.ns, words: c.args.slice(1) } }),
  sleep: () => [],
  echo: () => [],
  true: () => [],
  false: () => [],
  clear: () => [],
  exit: () => [],
  bash: () => [],
  sh: () => [],
}

