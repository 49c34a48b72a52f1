import { printJson } from './json-out.ts'
import { coloredRouteGetText, coloredRouteText, type RouteGetRow, type RouteRow } from '../../../shared/rows.ts'
import type { Netns } from '../kernel/netns.ts'
import { formatIpv4, prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import { formatIpv6 } from '../addr/ipv6.ts'
import { Scope, type NetDevice } from '../kernel/device.ts'
import { KernelError } from '../kernel/errors.ts'
import { RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_BOOT, type Route } from '../kernel/fib.ts'
import { routeAdd, routeDel, type RouteAddMode, type RouteSpec } from '../kernel/fib-ops.ts'
import { protoName, routeLine, routeTypeName, scopeName, tableName } from '../kernel/format.ts'
import { liveException, pathMtu, routeInput, routeOutput } from '../kernel/route.ts'
import { fail, type Ctx } from './context.ts'
import type { IpOpts } from './ip.ts'
import { Args, duparg, duparg2, invarg, matches, parseAddrArg, parsePrefixArg, rtnl, rtnlError } from './iproute-util.ts'

/** `ip route` { list | add | del | change | append | replace | prepend | get | flush }. */
export function ipRoute(ctx: Ctx, argv: string[], opts: IpOpts): number {
  if (opts.family === 'inet6') fail(1, 'podnet: IPv6 routes are not simulated')
  if (argv.length === 0) return routeShow(ctx, [], opts)
  const cmd = argv[0]
  const rest = argv.slice(1)
  if (matches(cmd, 'add')) return routeModify(ctx, rest, 'add')
  if (matches(cmd, 'change') || cmd === 'chg') return routeModify(ctx, rest, 'change')
  if (matches(cmd, 'replace')) return routeModify(ctx, rest, 'replace')
  if (matches(cmd, 'prepend')) return routeModify(ctx, rest, 'prepend')
  if (matches(cmd, 'append')) return routeModify(ctx, rest, 'append')
  if (matches(cmd, 'delete')) return routeModify(ctx, rest, 'del')
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return routeShow(ctx, rest, opts)
  if (matches(cmd, 'get')) return routeGet(ctx, rest, opts)
  if (matches(cmd, 'flush')) return routeFlush(ctx, rest)
  fail(255, `Command "${cmd}" is unknown, try "ip route help".`)
}

const PROTO_NAMES: Record<string, number> = { unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, mrouted: 17, keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192 }

function parseProto(s: string): number | null {
  if (Object.hasOwn(PROTO_NAMES, s)) return PROTO_NAMES[s]
  return /^\d+$/.test(s) && Number(s) < 256 ? Number(s) : null
}

function parseScope(s: string): Scope | null {
  const m: Record<string, Scope> = { global: Scope.Universe, universe: Scope.Universe, site: Scope.Site, link: Scope.Link, host: Scope.Host, nowhere: Scope.Nowhere }
  if (Object.hasOwn(m, s)) return m[s]
  return /^\d+$/.test(s) && Number(s) < 256 ? Number(s) : null
}

function parseTable(s: string): number | null {
  if (s === 'main') return RT_TABLE_MAIN
  if (s === 'local') return RT_TABLE_LOCAL
  if (s === 'default') return 253
  if (s === 'all' || s === 'unspec') return 0
  return /^\d+$/.test(s) ? Number(s) : null
}

/** rtnl_rtntype_a2n. */
function parseType(s: string): RouteType | null {
  if (s === 'local') return RouteType.Local
  if (matches(s, 'broadcast') || s === 'brd') return RouteType.Broadcast
  if (matches(s, 'anycast')) return RouteType.Anycast
  if (matches(s, 'multicast')) return RouteType.Multicast
  if (matches(s, 'prohibit')) return RouteType.Prohibit
  if (matches(s, 'unreachable')) return RouteType.Unreachable
  if (matches(s, 'blackhole')) return RouteType.Blackhole
  if (matches(s, 'unicast')) return RouteType.Unicast
  if (s === 'throw') return RouteType.Throw
  return null
}

function routeModify(ctx: Ctx, argv: string[], cmd: RouteAddMode | 'del'): number {
  const a = new Args(argv)
  const s: Partial<RouteSpec> = {}
  let dstSet = false
  let typeSet = false
  let devName: string | undefined
  let scopeSet = false
  let tableSet = false
  while (!a.done) {
    const w = a.peek()!
    if (w === 'src') {
      s.prefsrc = parseAddrArg(a.value())
    } else if (w === 'as') {
      a.value()
    } else if (w === 'via') {
      const v = a.value()
      if (s.gateway !== undefined) duparg('via', v)
      s.gateway = parseAddrArg(v)
    } else if (w === 'from') {
      a.value()
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.value()
      const n = /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : NaN
      if (!(n >= 0 && n < 256)) invarg('"tos" value is invalid\n', v)
      s.tos = n
    } else if (w === 'metric' || w === 'priority' || matches(w, 'preference')) {
      const v = a.value()
      if (s.priority !== undefined) duparg('metric', v)
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) invarg('"metric" value is invalid\n', v)
      s.priority = Number(v)
    } else if (w === 'scope') {
      const v = a.value()
      const sc = parseScope(v)
      if (sc === null) invarg('invalid "scope" value\n', v)
      s.scope = sc
      scopeSet = true
    } else if (w === 'mtu') {
      let v = a.value()
      if (v === 'lock') v = a.value()
      if (!/^\d+$/.test(v)) invarg('"mtu" value is invalid\n', v)
      s.mtu = Number(v)
    } else if (matches(w, 'protocol')) {
      const v = a.value()
      const p = parseProto(v)
      if (p === null) invarg('"protocol" value is invalid\n', v)
      s.protocol = p
    } else if (matches(w, 'table')) {
      const v = a.value()
      const t = parseTable(v)
      if (t === null) invarg('"table" value is invalid\n', v)
      s.table = t
      tableSet = true
    } else if (w === 'dev' || w === 'oif') {
      devName = a.value()
    } else if (w === 'onlink') {
      s.onlink = true
      a.next()
    } else if (w === 'pervasive' || w === 'nexthop' || w === 'nhid' || w === 'encap' || w === 'realms' || w === 'expires' || w === 'advmss' || w === 'window' || w === 'rtt' || w === 'initcwnd' || w === 'quickack' || w === 'congctl' || w === 'features' || w === 'hoplimit' || w === 'reordering' || w === 'rttvar' || w === 'ssthresh' || w === 'cwnd' || w === 'initrwnd' || w === 'fastopen_no_cookie' || w === 'ttl-propagate' || w === 'pref') {
      fail(1, `podnet: route attribute "${w}" is not simulated`)
    } else {
      let v = a.next()
      if (v === 'to') {
        if (a.done) a.value()
        v = a.next()
      }
      const t = parseType(v)
      if (t !== null && !typeSet && !dstSet) {
        s.type = t
        typeSet = true
        if (a.done) a.value()
        v = a.next()
      }
      if (dstSet) duparg2('to', v)
      const p = parsePrefixArg(v)
      s.dst = p.addr
      s.len = p.len
      dstSet = true
    }
  }
  if (!dstSet) fail(255, 'need at least a destination address')
  const dev = devName !== undefined ? ctx.netns.dev(devName) : undefined
  if (devName !== undefined && !dev) fail(1, `Cannot find device "${devName}"`)
  if (dev) s.dev = dev
  const type = s.type ?? RouteType.Unicast
  if (!tableSet && (type === RouteType.Local || type === RouteType.Broadcast || type === RouteType.Anycast)) s.table = RT_TABLE_LOCAL
  if (cmd === 'del') {
    const spec: RouteSpec = { ...s, dst: s.dst!, len: s.len! }
    if (!typeSet) delete spec.type
    if (!scopeSet) delete spec.scope
    // inet_rtm_delroute: rtm_to_fib_config checks the prefix, then the table must exist.
    if (((spec.dst & ~prefixMask(spec.len)) >>> 0) !== 0) rtnlError(new KernelError('EINVAL', 'Invalid prefix for given prefix length.'))
    if (!tableExists(ctx.netns, spec.table ?? RT_TABLE_MAIN)) rtnlError(new KernelError('ESRCH', 'FIB table does not exist.'))
    rtnl(() => routeDel(ctx.netns, spec))
    ctx.change()
    return 0
  }
  if (!scopeSet) {
    if (type === RouteType.Local) s.scope = Scope.Host
    else if (type === RouteType.Broadcast || type === RouteType.Multicast || type === RouteType.Anycast) s.scope = Scope.Link
    else if (type === RouteType.Unicast && !s.gateway) s.scope = Scope.Link
  }
  if (s.protocol === undefined) s.protocol = RTPROT_BOOT
  rtnl(() => routeAdd(ctx.netns, { ...s, dst: s.dst!, len: s.len! }, cmd))
  ctx.change()
  return 0
}

interface ShowFilter {
  table: number
  type?: RouteType
  proto?: number
  scope?: Scope
  dev?: NetDevice
  via?: Ipv4
  src?: Ipv4
  prefix?: { addr: Ipv4; len: number; mode: 'exact' | 'root' | 'match' }
  cache: boolean
}

function parseShow(ctx: Ctx, argv: string[]): ShowFilter {
  const f: ShowFilter = { table: RT_TABLE_MAIN, cache: false }
  const a = new Args(argv)
  while (!a.done) {
    const w = a.peek()!
    if (matches(w, 'table')) {
      const v = a.value()
      const t = parseTable(v)
      if (t === null) invarg('table id value is invalid\n', v)
      f.table = t
    } else if (w === 'cache' || w === 'cloned') {
      f.cache = true
      a.next()
    } else if (matches(w, 'protocol')) {
      const v = a.value()
      const p = parseProto(v)
      if (p === null) invarg('invalid "protocol"\n', v)
      f.proto = p
    } else if (w === 'scope') {
      const v = a.value()
      const sc = parseScope(v)
      if (sc === null) invarg('invalid "scope" value\n', v)
      f.scope = sc
    } else if (w === 'type') {
      const v = a.value()
      const t = parseType(v)
      if (t === null) invarg('node type value is invalid\n', v)
      f.type = t
    } else if (w === 'dev' || w === 'oif') {
      const v = a.value()
      const d = ctx.netns.dev(v)
      if (!d) fail(1, `Cannot find device "${v}"`)
      f.dev = d
    } else if (w === 'via') {
      f.via = parseAddrArg(a.value())
    } else if (w === 'src') {
      f.src = parseAddrArg(a.value())
    } else if (w === 'root' || w === 'match' || w === 'exact') {
      const p = parsePrefixArg(a.value())
      f.prefix = { addr: p.addr, len: p.len, mode: w }
    } else {
      let v = a.next()
      if (v === 'to') v = a.done ? a.value() : a.next()
      const p = parsePrefixArg(v)
      f.prefix = { addr: p.addr, len: v === 'default' || v.includes('/') ? p.len : 32, mode: 'exact' }
    }
  }
  return f
}

function prefixMatches(r: Route, p: NonNullable<ShowFilter['prefix']>): boolean {
  switch (p.mode) {
    case 'exact':
      return r.len === p.len && r.dst === ((p.addr & prefixMask(p.len)) >>> 0)
    case 'root':
      return r.len >= p.len && ((r.dst & prefixMask(p.len)) >>> 0) === ((p.addr & prefixMask(p.len)) >>> 0)
    case 'match':
      return r.len <= p.len && ((p.addr & prefixMask(r.len)) >>> 0) === r.dst
  }
}

/** The rows `ip route show` lists for a filter (of one table, or every table for `table all`). */
function routeRowsOf(ns: Netns, f: ShowFilter, details = false): RouteRow[] {
  const tables = f.table === 0 ? dumpOrder([...ns.tables.keys()]) : [f.table]
  const rows: RouteRow[] = []
  for (const id of tables) {
    const t = ns.tableIfAny(id)
    if (!t) continue
    for (const r of t.routes()) {
      if (f.type !== undefined && r.type !== f.type) continue
      if (f.proto !== undefined && r.protocol !== f.proto) continue
      if (f.scope !== undefined && r.scope !== f.scope) continue
      if (f.dev && r.dev !== f.dev) continue
      if (f.via !== undefined && r.gateway !== f.via) continue
      if (f.src !== undefined && r.prefsrc !== f.src) continue
      if (f.prefix && !prefixMatches(r, f.prefix)) continue
      rows.push(routeRow(r, f, f.table === 0, details))
    }
  }
  return rows
}

/** The main table of a namespace as `ip route show` lists it. */
export function routeRows(ns: Netns): RouteRow[] {
  return routeRowsOf(ns, { table: RT_TABLE_MAIN, cache: false })
}

function routeShow(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const f = parseShow(ctx, argv)
  if (f.cache) return showCache(ctx, f)
  missingTable(ctx, f, 'Dump')
  const rows = routeRowsOf(ctx.netns, f, opts.details > 0)
  // `table all` without a family: iproute2 dumps AF_UNSPEC, and IPv6 answers too.
  if (f.table === 0 && opts.family === 'any') rows.push(...ipv6Rows(ctx.netns, f))
  if (opts.json) printJson(ctx, rows, opts.pretty)
  else for (const r of rows) ctx.println(coloredRouteText(r, opts.color))
  return 0
}

/**
 * A route as print_route sees it: iproute2's JSON keys in its order, each present under the
 * same condition as its words in the text form; the fields a filter fixed are left out.
 */
function routeRow(r: Route, f: ShowFilter, showTable: boolean, details = false): RouteRow {
  const j: Partial<RouteRow> = {}
  // -d: print_route shows the type, the table (of a dump of every table), protocol and scope
  // even where they are the defaults (unicast, main, boot, global).
  if (r.type !== RouteType.Unicast || details) j.type = routeTypeName(r.type)
  j.dst = r.len === 0 && r.dst === 0 ? 'default' : r.len === 32 ? formatIpv4(r.dst) : `${formatIpv4(r.dst)}/${r.len}`
  if (r.gateway && f.via === undefined) j.gateway = formatIpv4(r.gateway)
  if (r.dev && !f.dev) j.dev = r.dev.name
  if (showTable && (r.table !== RT_TABLE_MAIN || details)) j.table = tableName(r.table)
  if ((r.protocol !== RTPROT_BOOT || details) && f.proto === undefined) j.protocol = protoName(r.protocol)
  if ((r.scope !== Scope.Universe || details) && f.scope === undefined) j.scope = scopeName(r.scope)
  if (r.prefsrc && f.src === undefined) j.prefsrc = formatIpv4(r.prefsrc)
  if (r.priority) j.metric = r.priority
  const flags: string[] = []
  if (r.onlink) flags.push('onlink')
  if (r.dev && r.dev.adminUp && !r.dev.running && r.scope !== Scope.Host) flags.push('linkdown')
  j.flags = flags
  if (r.mtu) j.metrics = [{ mtu: r.mtu }]
  return j as RouteRow
}

/**
 * The IPv6 routes the kernel makes for the link-local side the lab has (the engine routes no
 * IPv6): per device configured by addrconf, `fe80::/64` in main and `multicast ff00::/8` in local
 * (in the order the devices were configured, linkdown without carrier), and once DAD is done the
 * `local` route of its address (local table, in address order, as the fib6 tree is walked);
 * `local ::1` for lo while it is up. Main is dumped before local. Filters on a gateway, a
 * source, a prefix or a scope other than global leave them out (the family or rtm_scope differ).
 */
function ipv6Rows(ns: Netns, f: ShowFilter): RouteRow[] {
  if (f.via !== undefined || f.src !== undefined || f.prefix || (f.scope !== undefined && f.scope !== Scope.Universe)) return []
  const devs = ns.deviceList()
  const conf = ns.addrconf
  const configured = devs.filter((d) => !d.isLoopback && d.ipv6LinkLocal && conf.configOrder(d) !== undefined)
    .sort((a, b) => conf.configOrder(a)! - conf.configOrder(b)!)
  const row = (type: string | undefined, dst: string, d: NetDevice, table: string | undefined, metric: number, linkdown: boolean): RouteRow => {
    const j: Partial<RouteRow> = {}
    if (type) j.type = type
    j.dst = dst
    if (!f.dev) j.dev = d.name
    if (table) j.table = table
    if (f.proto === undefined) j.protocol = 'kernel'
    j.metric = metric
    j.flags = linkdown ? ['linkdown'] : []
    j.pref = 'medium'
    return j as RouteRow
  }
  const down = (d: NetDevice): boolean => d.adminUp && !d.running
  const all: { type: RouteType; r: RouteRow; d: NetDevice }[] = []
  for (const d of configured) all.push({ type: RouteType.Unicast, d, r: row(undefined, 'fe80::/64', d, undefined, 256, down(d)) })
  const locals: { key: string; d: NetDevice; addr: string }[] = []
  const lo = devs.find((d) => d.isLoopback)
  if (lo?.adminUp) locals.push({ key: ''.padStart(31, '0') + '1', d: lo, addr: '::1' })
  for (const d of configured) {
    if (conf.tentative(d)) continue
    const ll = d.ipv6LinkLocal!
    locals.push({ key: Array.from(ll, (b) => b.toString(16).padStart(2, '0')).join(''), d, addr: formatIpv6(ll) })
  }
  locals.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : conf.configOrder(a.d)! - conf.configOrder(b.d)!))
  for (const l of locals) all.push({ type: RouteType.Local, d: l.d, r: row('local', l.addr, l.d, 'local', 0, false) })
  for (const d of configured) all.push({ type: RouteType.Multicast, d, r: row('multicast', 'ff00::/8', d, 'local', 256, down(d)) })
  return all.filter((x) => (f.type === undefined || x.type === f.type) && (!f.dev || x.d === f.dev) && (f.proto === undefined || f.proto === 2)).map((x) => x.r)
}

function expiresSec(ctx: Ctx, expiresNs: number): number {
  return Math.max(0, Math.floor((expiresNs - ctx.world.sched.now - 1) / 1e9))
}

function showCache(ctx: Ctx, f: ShowFilter): number {
  const now = ctx.world.sched.now
  for (const t of ctx.netns.tables.values()) {
    for (const r of t.routes()) {
      if (!r.exceptions) continue
      for (const dst of [...r.exceptions.keys()]) {
        const ex = liveException(ctx.netns, r, dst)
        if (!ex || ex.expiresNs <= now) continue
        if (f.prefix && !(f.prefix.len === 32 ? dst === f.prefix.addr : ((dst & prefixMask(f.prefix.len)) >>> 0) === f.prefix.addr)) continue
        const gw = ex.gw || r.gateway
        ctx.println(`${formatIpv4(dst)}${gw ? ` via ${formatIpv4(gw)}` : ''} dev ${r.dev?.name ?? 'lo'} `)
        ctx.println(`    cache ${ex.gw ? '<redirected> ' : ''}expires ${expiresSec(ctx, ex.expiresNs)}sec ${ex.mtu ? `mtu ${ex.mtu} ` : ''}`)
      }
    }
  }
  return 0
}

function routeGet(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const a = new Args(argv)
  let dst: Ipv4 | undefined
  let from: Ipv4 | undefined
  let iif: NetDevice | undefined
  let oif: NetDevice | undefined
  let fibmatch = false
  while (!a.done) {
    const w = a.peek()!
    if (w === 'from') {
      const v = a.value()
      from = parsePrefixArg(v).addr
    } else if (w === 'iif') {
      const v = a.value()
      iif = ctx.netns.dev(v)
      if (!iif) fail(1, `Cannot find device "${v}"`)
    } else if (w === 'oif' || w === 'dev') {
      const v = a.value()
      oif = ctx.netns.dev(v)
      if (!oif) fail(1, `Cannot find device "${v}"`)
    } else if (w === 'fibmatch') {
      fibmatch = true
      a.next()
    } else if (w === 'connected' || w === 'notify') {
      a.next()
    } else if (w === 'mark' || w === 'tos' || w === 'dsfield' || w === 'vrf' || w === 'ipproto' || w === 'sport' || w === 'dport' || w === 'uid' || w === 'as') {
      a.value()
    } else {
      let v = a.next()
      if (v === 'to') v = a.done ? a.value() : a.next()
      const p = parsePrefixArg(v)
      if (v.includes('/') && p.len !== 32) ctx.eprintln(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.`)
      dst = p.addr
    }
  }
  if (dst === undefined) fail(1, 'need at least a destination address')
  const ns = ctx.netns
  const g: RouteGetRow = { dst: formatIpv4(dst), dev: '', flags: [], cache: [] }
  if (from !== undefined) g.from = formatIpv4(from)
  if (iif) {
    const d = routeInput(ns, iif, from ?? 0, dst)
    if (d.kind === 'error') rtnlError(new KernelError(d.errno))
    if (d.kind === 'martian') rtnlError(new KernelError('EINVAL'))
    if (fibmatch && 'route' in d && d.route) return printFibmatch(ctx, d.route, opts, false)
    g.iif = iif.name
    if (d.kind === 'local') {
      g.type = d.broadcast ? 'broadcast' : 'local'
      g.dev = 'lo'
      g.cache = d.broadcast ? ['local', 'brd'] : ['local']
    } else {
      if (d.route.gateway) g.gateway = formatIpv4(d.route.gateway)
      g.dev = d.dev.name
    }
    return printGet(ctx, g, opts)
  }
  let out
  try {
    out = routeOutput(ns, { daddr: dst, saddr: from, oif })
  } catch (e) {
    return rtnlError(e)
  }
  if (fibmatch) return out.route ? printFibmatch(ctx, out.route, opts, out.route.table !== RT_TABLE_MAIN) : 0
  if (out.type === RouteType.Local) {
    g.type = 'local'
    g.cache = ['local']
  } else if (out.type === RouteType.Broadcast || isBroadcastRoute(ctx, dst, out.dev)) {
    g.type = 'broadcast'
    g.cache = ['local', 'brd']
  } else if (out.type === RouteType.Multicast) {
    g.type = 'multicast'
    g.cache = ['local', 'mc']
    g.flags.push('rt_offload_failed')
  }
  // __mkroute_output: a route out through the loopback device is RTCF_LOCAL, whatever its type.
  if (out.dev.isLoopback && !g.cache.includes('local')) g.cache.unshift('local')
  if (out.gateway) g.gateway = formatIpv4(out.gateway)
  g.dev = out.dev.name
  // rt_fill_info puts RTA_PREFSRC only for a source it found (none on an on-link guess through a
  // device without an address).
  if (from === undefined && out.src) g.prefsrc = formatIpv4(out.src)
  g.uid = 0
  const ex = liveException(ns, out.route, dst)
  if (ex && out.type === RouteType.Unicast) {
    if (ex.gw) g.cache.push('redirected')
    g.expires = expiresSec(ctx, ex.expiresNs)
    if (ex.mtu) g.metrics = [{ mtu: pathMtu(ns, out.route, out.dev, dst) }]
  } else if (out.route?.mtu && out.type === RouteType.Unicast) {
    // The route's own metrics (RTA_METRICS) follow the cache flags.
    g.metrics = [{ mtu: out.route.mtu }]
  }
  return printGet(ctx, g, opts)
}

function printGet(ctx: Ctx, g: RouteGetRow, opts: IpOpts): number {
  // -d: print_route shows the type (unicast too) and the table (the lookup's, main: without
  // rules of its own the local table is merged into it).
  if (opts.details) g = { ...g, type: g.type ?? 'unicast', table: 'main' }
  if (opts.json) {
    // print_route's order; absent keys are left out.
    const j = { type: g.type, dst: g.dst, from: g.from, gateway: g.gateway, dev: g.dev, table: g.table, prefsrc: g.prefsrc, flags: g.flags, uid: g.uid, cache: g.cache, expires: g.expires, metrics: g.metrics?.[0]?.mtu ? g.metrics : undefined, iif: g.iif }
    printJson(ctx, [Object.fromEntries(Object.entries(j).filter(([, v]) => v !== undefined))], opts.pretty)
    return 0
  }
  ctx.println(coloredRouteGetText(g, opts.color))
  return 0
}

function printFibmatch(ctx: Ctx, r: Route, opts: IpOpts, showTable: boolean): number {
  const row = routeRow(r, { table: RT_TABLE_MAIN, cache: false }, showTable)
  if (opts.json) printJson(ctx, [row], opts.pretty)
  else ctx.println(coloredRouteText(row, opts.color))
  return 0
}

function isBroadcastRoute(ctx: Ctx, dst: Ipv4, dev: NetDevice): boolean {
  return ctx.netns.local.exact(dst, 32).some((r) => r.type === RouteType.Broadcast && r.dev === dev)
}

function routeFlush(ctx: Ctx, argv: string[]): number {
  const f = parseShow(ctx, argv)
  if (f.cache) {
    ctx.netns.devinet.flushExceptions()
    ctx.change()
    return 0
  }
  if (argv.length === 0) fail(255, '"ip route flush" requires arguments.')
  missingTable(ctx, f, 'Flush')
  const t = ctx.netns.tableIfAny(f.table === 0 ? RT_TABLE_MAIN : f.table)
  if (!t) return 0
  if (t.removeWhere((r) => (f.dev === undefined || r.dev === f.dev) && (f.proto === undefined || r.protocol === f.proto) && (f.scope === undefined || r.scope === f.scope) && (f.type === undefined || r.type === f.type) && (f.via === undefined || r.gateway === f.via) && (!f.prefix || prefixMatches(r, f.prefix)))) ctx.change()
  return 0
}

export { routeLine }

/**
 * A dump of one table the namespace never created (fib_get_table finds none): inet_dump_fib
 * refuses it, and iproute2 ends the dump. Tables stay once created, also when emptied; the main
 * table answers in every namespace.
 */
function missingTable(ctx: Ctx, f: ShowFilter, what: 'Dump' | 'Flush'): void {
  if (f.table === 0 || (what === 'Dump' && f.table === RT_TABLE_MAIN) || tableExists(ctx.netns, f.table)) return
  fail(2, `Error: ipv4: FIB table does not exist.\n${what} terminated`)
}

/**
 * Whether the kernel has created table `id` (from its first route on, never freed). Without policy
 * rules the local table is created as an alias of main, which then exists too.
 */
function tableExists(ns: Netns, id: number): boolean {
  if (id === RT_TABLE_MAIN && ns.local.used) return true
  return ns.tableIfAny(id)?.used ?? false
}

/**
 * The order a dump of every table walks them: fib_table_hash buckets (id & 255) in turn, the
 * newest table first within a bucket (fib_new_table adds at the head). `ids` is in creation order.
 */
function dumpOrder(ids: number[]): number[] {
  const created = new Map(ids.map((id, i) => [id, i]))
  return ids.sort((x, y) => (x & 0xff) - (y & 0xff) || created.get(y)! - created.get(x)!)
}

