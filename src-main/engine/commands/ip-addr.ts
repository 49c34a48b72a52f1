import { printJson } from './json-out.ts'
import { formatIpv4, prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import { formatIpv6 } from '../addr/ipv6.ts'
import { Scope, type Ifa, type NetDevice } from '../kernel/device.ts'
import { KernelError } from '../kernel/errors.ts'
import { scopeName } from '../kernel/format.ts'
import { fail, type Ctx } from './context.ts'
import type { IpOpts } from './ip.ts'
import { paint } from '../../../shared/color.ts'
import { Args, duparg, incomplete, invarg, matches, parsePrefixArg, parseAddrArg, rtnl, rtnlError } from './iproute-util.ts'
import { briefLinkJson, dumpDevices, IFA_F, linkJson, linkShown, parseShowFilter, type ShowFilter } from './ip-link.ts'
import { linkDetails } from './link-details.ts'
import { briefHead, linkFlags, linkHeader, linkLayerLine, linkName, linkNetnsSuffix, qdiscName } from './link-format.ts'

/** `ip address` { add | del | show | flush }. */
export function ipAddr(ctx: Ctx, argv: string[], opts: IpOpts): number {
  if (argv.length === 0) return addrShow(ctx, [], opts)
  const cmd = argv[0]
  const rest = argv.slice(1)
  if (matches(cmd, 'add')) return addrModify(ctx, rest, 'add')
  if (matches(cmd, 'change') || matches(cmd, 'chg')) return addrModify(ctx, rest, 'change')
  if (matches(cmd, 'replace')) return addrModify(ctx, rest, 'replace')
  if (matches(cmd, 'delete')) return addrModify(ctx, rest, 'del')
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return addrShow(ctx, rest, opts)
  if (matches(cmd, 'flush')) return addrFlush(ctx, rest)
  fail(255, `Command "${cmd}" is unknown, try "ip address help".`)
}

function scopeFromName(s: string): Scope | null {
  switch (s) {
    case 'global':
    case 'universe':
      return Scope.Universe
    case 'site':
      return Scope.Site
    case 'link':
      return Scope.Link
    case 'host':
      return Scope.Host
    case 'nowhere':
      return Scope.Nowhere
    default:
      return /^\d+$/.test(s) && Number(s) < 256 ? Number(s) : null
  }
}

function addrModify(ctx: Ctx, argv: string[], cmd: 'add' | 'change' | 'replace' | 'del'): number {
  const a = new Args(argv)
  let local: { addr: Ipv4; len: number } | undefined
  let lenGiven = false
  let dev: string | undefined
  let brd: Ipv4 | '+' | '-' | undefined
  let scope: Scope | undefined
  let label: string | undefined
  let metric: number | undefined
  let noprefix = false
  while (!a.done) {
    const w = a.peek()!
    if (w === 'peer' || w === 'remote') fail(1, 'podnet: point-to-point addresses are not simulated')
    else if (w === 'local' || (!local && !['dev', 'broadcast', 'brd', 'label', 'scope', 'metric', 'priority', 'noprefixroute'].some((k) => k === w || (k.length > 3 && matches(w, k))))) {
      const v = w === 'local' ? a.value() : a.next()
      if (local) duparg('local', v)
      const p = parsePrefixArg(v)
      lenGiven = v.includes('/')
      local = { addr: p.addr, len: p.len }
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.value()
      if (brd !== undefined) duparg('broadcast', v)
      brd = v === '+' || v === '-' ? v : parseAddrArg(v)
    } else if (w === 'label') {
      label = a.value()
    } else if (w === 'scope') {
      const v = a.value()
      const s = scopeFromName(v)
      if (s === null) invarg('invalid scope value.', v)
      scope = s
    } else if (w === 'dev') {
      dev = a.value()
    } else if (w === 'metric' || w === 'priority' || w === 'preference') {
      const v = a.value()
      if (!/^\d+$/.test(v)) invarg('"metric" value is invalid\n', v)
      metric = Number(v)
    } else if (w === 'noprefixroute') {
      noprefix = true
      a.next()
    } else if (w === 'valid_lft' || w === 'preferred_lft') {
      a.value()
    } else {
      a.next()
      if (!dev) dev = w
      else fail(255, `Error: either "local" is duplicate, or "${w}" is a garbage.`)
    }
  }
  if (!dev) {
    ctx.eprintln('Not enough information: "dev" argument is required.')
    return 1
  }
  if (!local) {
    if (cmd === 'del') fail(1, 'podnet: "ip addr del" needs an address')
    fail(2, 'RTNETLINK answers: Invalid argument')
  }
  if (cmd === 'del' && !lenGiven) {
    ctx.eprintln(`Warning: Executing wildcard deletion to stay compatible with old scripts.
         Explicitly specify the prefix length (${formatIpv4(local.addr)}/32) to avoid this warning.
         This special behaviour is likely to disappear in further releases,
         fix your scripts!`)
  }
  const d = ctx.netns.dev(dev)
  if (!d) fail(1, `Cannot find device "${dev}"`)
  if (label !== undefined && label !== d.name && !label.startsWith(d.name + ':')) fail(1, `"${d.name}" label must match device name`)
  if (cmd === 'del') {
    const ifa = d.inet.find((i) => i.local === local.addr && (!lenGiven || i.prefixLen === local.len) && (label === undefined || i.label === label))
    if (!ifa) rtnlError(new KernelError('EADDRNOTAVAIL', 'ipv4: Address not found.'))
    rtnl(() => ctx.netns.devinet.delAddress(d, ifa))
    ctx.change()
    return 0
  }
  let broadcast = 0
  if (brd === '+') broadcast = local.len < 31 ? (local.addr | ~prefixMask(local.len)) >>> 0 : 0
  else if (brd === '-') broadcast = local.len < 31 ? (local.addr & prefixMask(local.len)) >>> 0 : 0
  else if (brd !== undefined) broadcast = brd
  const s = scope ?? ((local.addr & 0xff000000) >>> 0 === 0x7f000000 ? Scope.Host : Scope.Universe)
  const existing = d.inet.find((i) => i.local === local.addr && i.prefixLen === local.len)
  if (existing) {
    if (cmd === 'add') rtnlError(new KernelError('EEXIST', 'ipv4: Address already assigned.'))
    if (broadcast) existing.broadcast = broadcast
    if (label) existing.label = label
    ctx.change()
    return 0
  }
  if (cmd === 'change') rtnlError(new KernelError('ENOENT'))
  rtnl(() => ctx.netns.devinet.addAddress(d, { local: local.addr, prefixLen: local.len, broadcast, scope: s, label, metric, noprefixroute: noprefix }))
  ctx.change()
  return 0
}

function addrFlush(ctx: Ctx, argv: string[]): number {
  const a = new Args(argv)
  let dev: string | undefined
  while (!a.done) {
    const w = a.next()
    if (w === 'dev') dev = a.done ? incomplete() : a.next()
    else if (!dev) dev = w
  }
  if (!dev) {
    ctx.eprintln('Flush requires arguments.')
    return 255
  }
  const d = ctx.netns.dev(dev)
  if (!d) fail(1, `Device "${dev}" does not exist.`)
  for (const ifa of [...d.inet].filter((i) => !i.secondary)) {
    if (!d.inet.includes(ifa)) continue
    ctx.netns.devinet.delAddress(d, ifa)
    ctx.change()
  }
  return 0
}

/** One address as a dump returns it, with what the show filters look at. */
interface AddrRec {
  family: 'inet' | 'inet6'
  local: string
  prefixLen: number
  scope: number
  /** IFA_F_* bits. */
  flags: number
  /** IFA_LABEL (IPv4); an IPv6 address is matched by its device's name. */
  label: string
  /** For IPv4: the address itself. */
  ifa?: Ifa
  addr4?: Ipv4
}

/** The addresses of a device in dump order (IPv4, then IPv6) of the families asked for. */
function addrRecs(ctx: Ctx, d: NetDevice, v4: boolean, v6: boolean): AddrRec[] {
  const out: AddrRec[] = []
  if (v4) {
    for (const i of d.inet) {
      const x = ctx.netns.devinet.ifaExtras(i)
      const flags = IFA_F.PERMANENT | (i.secondary ? IFA_F.SECONDARY : 0) | (x.noprefixroute ? IFA_F.NOPREFIXROUTE : 0)
      out.push({ family: 'inet', local: formatIpv4(i.local), prefixLen: i.prefixLen, scope: i.scope, flags, label: i.label, ifa: i, addr4: i.local })
    }
  }
  if (v6) {
    if (d.isLoopback) {
      if (d.adminUp) out.push({ family: 'inet6', local: '::1', prefixLen: 128, scope: Scope.Host, flags: IFA_F.PERMANENT, label: d.name })
    } else if (d.ipv6LinkLocal) {
      const flags = IFA_F.PERMANENT | (ctx.netns.addrconf.tentative(d) ? IFA_F.TENTATIVE : 0)
      out.push({ family: 'inet6', local: formatIpv6(d.ipv6LinkLocal), prefixLen: 64, scope: Scope.Link, flags, label: d.name })
    }
  }
  return out
}

/** print_addrinfo's filters: scope, flags, label, `to`. */
function addrPasses(a: AddrRec, f: ShowFilter): boolean {
  if (((f.scope ^ a.scope) & f.scopeMask) !== 0) return false
  if (((f.flags ^ a.flags) & f.flagMask) !== 0) return false
  if (f.label !== undefined && !fnmatch(f.label, a.label)) return false
  if (f.to && (a.addr4 === undefined || (f.to.len > 0 && ((a.addr4 ^ f.to.addr) & prefixMask(f.to.len)) !== 0))) return false
  return true
}

/** fnmatch(3) without flags: `*`, `?` and `[...]`. */
function fnmatch(pattern: string, s: string): boolean {
  let re = '^'
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2)
      if (close < 0) re += '\\['
      else {
        let body = pattern.slice(i + 1, close)
        if (body.startsWith('!')) body = '^' + body.slice(1)
        re += `[${body.replace(/\\/g, '\\\\')}]`
        i = close
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  try {
    return new RegExp(re + '$', 's').test(s)
  } catch {
    return false
  }
}

/** IFA flags as print_ifa_flags writes them (`secondary`, `tentative`, `noprefixroute`, or `dynamic`). */
function flagWords(a: AddrRec): string[] {
  const w: string[] = []
  if (a.flags & IFA_F.SECONDARY) w.push(a.family === 'inet6' ? 'temporary' : 'secondary')
  if (a.flags & IFA_F.TENTATIVE) w.push('tentative')
  if (!(a.flags & IFA_F.PERMANENT)) w.push('dynamic')
  if (a.flags & IFA_F.NOPREFIXROUTE) w.push('noprefixroute')
  return w
}

function addrLine(ctx: Ctx, a: AddrRec, color: boolean): string {
  let s = `    ${a.family} ${paint(color, a.family, a.local)}/${a.prefixLen} `
  const metric = a.ifa ? ctx.netns.devinet.ifaExtras(a.ifa).metric : 0
  if (metric) s += `metric ${metric} `
  if (a.ifa?.broadcast) s += `brd ${paint(color, 'inet', formatIpv4(a.ifa.broadcast))} `
  s += `scope ${scopeName(a.scope)} `
  for (const w of flagWords(a)) s += `${w} `
  if (a.family === 'inet') s += a.label
  return s
}

function addrJsonOf(ctx: Ctx, d: NetDevice, a: AddrRec, oneline: boolean): Record<string, unknown> {
  const j: Record<string, unknown> = {}
  if (oneline) {
    j.index = d.ifindex
    j.dev = d.name
  }
  j.family = a.family
  j.local = a.local
  j.prefixlen = a.prefixLen
  const metric = a.ifa ? ctx.netns.devinet.ifaExtras(a.ifa).metric : 0
  if (metric) j.metric = metric
  if (a.ifa?.broadcast) j.broadcast = formatIpv4(a.ifa.broadcast)
  j.scope = scopeName(a.scope)
  if (a.flags & IFA_F.SECONDARY) j[a.family === 'inet6' ? 'temporary' : 'secondary'] = true
  if (a.flags & IFA_F.TENTATIVE) j.tentative = true
  if (!(a.flags & IFA_F.PERMANENT)) j.dynamic = true
  if (a.flags & IFA_F.NOPREFIXROUTE) j.noprefixroute = true
  if (a.family === 'inet') j.label = a.label
  j.valid_life_time = 4294967295
  j.preferred_life_time = 4294967295
  return j
}

const LFT = '       valid_lft forever preferred_lft forever'

/**
 * `ip address show`, as iproute2's ipaddr_list_flush_or_save does it: the links of a dump (for
 * `-6` without `dev`, an IPv6 link dump), less those whose addresses of the family asked for all
 * fail the filters (a link without any is kept only when no family was asked for); each link's
 * header unless `-o`, then its addresses that pass. In JSON every link of the list is an object,
 * empty when print_linkinfo filtered it out, and a filtered address an empty object.
 */
function addrShow(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const f = parseShowFilter(ctx, argv, opts.family)
  const family = opts.family === 'any' && f.to ? 'inet' : opts.family
  const v4 = family === 'any' || family === 'inet'
  const v6 = family === 'any' || family === 'inet6'
  const inet6Dump = family === 'inet6' && f.dev === undefined
  const noLink = opts.oneline && !opts.brief
  const links = dumpDevices(ctx, f, inet6Dump).filter((d) => {
    const as = addrRecs(ctx, d, v4, v6)
    return as.length === 0 ? family === 'any' : as.some((a) => addrPasses(a, f))
  })
  const json: Record<string, unknown>[] = []
  for (const d of links) {
    const addrs = addrRecs(ctx, d, v4, v6)
    // print_linkinfo: -1 (nothing more of this link), or 0 (printed, or nothing for `label`).
    const shown = noLink || linkShown(d, f, inet6Dump)
    const header = shown && !noLink && f.label === undefined
    if (opts.json) {
      let j: Record<string, unknown> = {}
      if (header) j = opts.brief ? briefLinkJson(d, false, inet6Dump ? inet6LinkKey(d) : undefined) : inet6Dump ? inet6LinkJson(d) : addrLinkJson(d, family, opts.details > 0)
      if (shown) {
        j.addr_info = addrs.filter(() => !f.up || d.adminUp).map((a) => {
          if (!addrPasses(a, f)) return {}
          if (!opts.brief) return addrJsonOf(ctx, d, a, noLink)
          return { local: a.local, prefixlen: a.prefixLen }
        })
      }
      json.push(j)
      continue
    }
    if (!shown) continue
    const pass = addrs.filter((a) => (!f.up || d.adminUp) && addrPasses(a, f))
    if (opts.brief) {
      let s = header ? briefHead(inet6Dump ? inet6LinkName(d) : linkName(d), d.operState, opts.color) : ''
      for (const a of pass) s += `${paint(opts.color, a.family, a.local)}/${a.prefixLen} `
      ctx.println(s)
      continue
    }
    if (header) {
      if (inet6Dump) ctx.println(`${d.ifindex}: ${inet6LinkName(d)}: <${inet6LinkFlags(d)}> mtu ${d.mtu} state ${d.operState} qlen ${d.txQueueLen}`)
      else if (family === 'any') {
        // Without the link/ether line (a family filter), link-netns ends the header line.
        ctx.println(linkHeader(d, false, opts.color))
        if (opts.details) {
          const { first, more } = linkDetails(d, false)
          ctx.println(linkLayerLine(d, opts.color) + first)
          for (const l of more) ctx.println(l)
        } else ctx.println(linkLayerLine(d, opts.color))
      } else ctx.println(linkHeader(d, false, opts.color) + linkNetnsSuffix(d))
    }
    for (const a of pass) {
      const l = addrLine(ctx, a, opts.color)
      if (noLink) ctx.println(`${d.ifindex}: ${d.name}${l}\\${LFT}`)
      else {
        ctx.println(l)
        ctx.println(LFT)
      }
    }
  }
  if (opts.json) printJson(ctx, json, opts.pretty)
  return 0
}

/** The link part of `ip -j addr`: print_linkinfo's keys without `linkmode`; a family filter drops link_type/address/broadcast. */
function addrLinkJson(d: NetDevice, family: IpOpts['family'], details: boolean): Record<string, unknown> {
  const j = linkJson(d, details)
  delete j.linkmode
  delete j.inet6_addr_gen_mode
  j.qdisc = qdiscName(d)
  if (family !== 'any') {
    delete j.link_type
    delete j.address
    delete j.broadcast
  }
  return j
}

/** An IPv6 link message (inet6_fill_ifinfo) in JSON: no qdisc, master, group or link layer. */
function inet6LinkJson(d: NetDevice): Record<string, unknown> {
  return {
    ifindex: d.ifindex,
    ...inet6LinkKey(d),
    ifname: d.name,
    flags: inet6LinkFlags(d).split(',').filter((x) => x !== ''),
    mtu: d.mtu,
    operstate: d.operState,
    txqlen: d.txQueueLen,
  }
}

/** The `link` key of an IPv6 link message: its IFLA_LINK resolved in the device's own namespace. */
function inet6LinkKey(d: NetDevice): { link?: string } {
  const iflink = d.link ? d.link.ifindex : d.ifindex
  if (iflink === d.ifindex) return {}
  return { link: d.netns.devices.get(iflink)?.name ?? `if${iflink}` }
}

/**
 * The flags of an IPv6 link message: M-DOWN comes from the device its IFLA_LINK names in this
 * namespace, when there is one that is down.
 */
function inet6LinkFlags(d: NetDevice): string {
  const flags = linkFlags(d).split(',').filter((x) => x !== '' && x !== 'M-DOWN')
  const iflink = d.link ? d.link.ifindex : d.ifindex
  if (iflink !== d.ifindex) {
    const peer = d.netns.devices.get(iflink)
    if (peer && !peer.adminUp) flags.push('M-DOWN')
  }
  return flags.join(',')
}

/**
 * The name in `ip -6 addr`'s header: the links come from inet6_fill_ifinfo, which sends
 * IFLA_LINK only when it differs from the device's own ifindex and no IFLA_LINK_NETNSID or
 * IFLA_MASTER, so ip resolves the peer's ifindex in this namespace (`v1@br0`, `v2@if3`, or just
 * `v1` when the peer's index is v1's own).
 */
function inet6LinkName(d: NetDevice): string {
  const iflink = d.link ? d.link.ifindex : d.ifindex
  if (iflink === d.ifindex) return d.name
  return `${d.name}@${d.netns.devices.get(iflink)?.name ?? `if${iflink}`}`
}

