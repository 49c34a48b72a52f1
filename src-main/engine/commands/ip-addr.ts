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
import { filterDevices, linkJson, parseShowFilter } from './ip-link.ts'
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

function inetLine(ifa: Ifa, color = false): string {
  let s = `    inet ${paint(color, 'inet', formatIpv4(ifa.local))}/${ifa.prefixLen} `
  if (ifa.broadcast) s += `brd ${paint(color, 'inet', formatIpv4(ifa.broadcast))} `
  s += `scope ${scopeName(ifa.scope)} `
  if (ifa.secondary) s += 'secondary '
  s += ifa.label
  return s
}

/** The IPv6 addresses of a device: [address, prefix length, the rest of its `inet6` line]. */
function inet6Addrs(ctx: Ctx, d: NetDevice): [string, number, string][] {
  if (d.isLoopback) return d.adminUp ? [['::1', 128, 'scope host ']] : []
  if (d.ipv6LinkLocal) return [[formatIpv6(d.ipv6LinkLocal), 64, `scope link ${ctx.netns.addrconf.tentative(d) ? 'tentative ' : ''}`]]
  return []
}

function inet6Lines(ctx: Ctx, d: NetDevice, color = false): string[] {
  return inet6Addrs(ctx, d).map(([a, len, rest]) => `    inet6 ${paint(color, 'inet6', a)}/${len} ${rest}`)
}

const LFT = '       valid_lft forever preferred_lft forever'

function addrShow(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const filter = parseShowFilter(ctx, argv, 'addr')
  const devs = filterDevices(ctx, filter)
  const v4 = opts.family === 'any' || opts.family === 'inet'
  const v6 = opts.family === 'any' || opts.family === 'inet6'
  if (opts.json) {
    printJson(ctx, devs.map((d) => addrJson(ctx, d, v4, v6)), opts.pretty)
    return 0
  }
  // A dump of IPv6 links (RTM_GETLINK with AF_INET6); `dev X` asks for the link itself.
  const inet6Dump = opts.family === 'inet6' && filter.dev === undefined
  for (const d of devs) {
    const inet = v4 ? d.inet : []
    const inet6 = v6 ? inet6Lines(ctx, d, opts.color) : []
    if (opts.family !== 'any' && inet.length === 0 && inet6.length === 0) continue
    if (opts.brief) {
      const st = d.operState
      let s = briefHead(inet6Dump ? inet6LinkName(d) : linkName(d), st, opts.color)
      for (const i of inet) s += `${paint(opts.color, 'inet', formatIpv4(i.local))}/${i.prefixLen} `
      if (v6) for (const [a, len] of inet6Addrs(ctx, d)) s += `${paint(opts.color, 'inet6', a)}/${len} `
      ctx.println(s)
      continue
    }
    if (opts.oneline) {
      const head = `${d.ifindex}: ${d.name}`
      for (const i of inet) ctx.println(`${head}    ${inetLine(i).trimStart()}\\${LFT}`)
      for (const l of inet6) ctx.println(`${head}    ${l.trimStart()}\\${LFT}`)
      continue
    }
    if (inet6Dump) {
      ctx.println(`${d.ifindex}: ${inet6LinkName(d)}: <${linkFlags(d)}> mtu ${d.mtu} state ${d.operState} qlen ${d.txQueueLen}`)
    } else {
      // Without the link/ether line (a family filter), link-netns ends the header line.
      if (opts.family === 'any') {
        ctx.println(linkHeader(d, false, opts.color))
        ctx.println(linkLayerLine(d, opts.color))
      } else ctx.println(linkHeader(d, false, opts.color) + linkNetnsSuffix(d))
    }
    for (const i of inet) {
      ctx.println(inetLine(i, opts.color))
      ctx.println(LFT)
    }
    for (const l of inet6) {
      ctx.println(l)
      ctx.println(LFT)
    }
  }
  return 0
}

function addrJson(ctx: Ctx, d: NetDevice, v4: boolean, v6: boolean): Record<string, unknown> {
  const j = linkJson(d)
  delete j.linkmode
  j.qdisc = qdiscName(d)
  const info: Record<string, unknown>[] = []
  if (v4) for (const i of d.inet) info.push({ family: 'inet', local: formatIpv4(i.local), prefixlen: i.prefixLen, ...(i.broadcast ? { broadcast: formatIpv4(i.broadcast) } : {}), scope: scopeName(i.scope), ...(i.secondary ? { secondary: true } : {}), label: i.label, valid_life_time: 4294967295, preferred_life_time: 4294967295 })
  if (v6) for (const l of inet6Lines(ctx, d)) {
    const [, addr, , scope] = l.trim().split(' ')
    const [local, len] = addr.split('/')
    info.push({ family: 'inet6', local, prefixlen: Number(len), scope, valid_life_time: 4294967295, preferred_life_time: 4294967295 })
  }
  j.addr_info = info
  return j
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

