import { printJson } from './json-out.ts'
import { type Mac } from '../addr/mac.ts'
import { BridgeDevice } from '../kernel/bridge.ts'
import type { NetDevice } from '../kernel/device.ts'
import { KernelError } from '../kernel/errors.ts'
import type { Netns } from '../kernel/netns.ts'
import { addBridge, addVeth, deleteLink, renameLink, setMac, setMaster, setMtu, type NewLinkOpts } from '../kernel/rtnl.ts'
import { addVxlan, parseVxlanArgs } from './ip-link-vxlan.ts'
import { fail, type Ctx } from './context.ts'
import type { IpOpts } from './ip.ts'
import { Args, duparg, duparg2, incomplete, invarg, llAddrA2n, macOfBytes, matches, rtnl, rtnlError } from './iproute-util.ts'
import { parsePrefix, type Ipv4 } from '../addr/ipv4.ts'
import { briefLinkLine, linkHeader, linkLayerLine, linkFlags, statsJson, statsLines } from './link-format.ts'
import { formatMac } from '../addr/mac.ts'
import { detailJson, linkDetails, linkInfoJson } from './link-details.ts'

/** `ip link` { add | delete | set | show | list }. */
export function ipLink(ctx: Ctx, argv: string[], opts: IpOpts): number {
  if (argv.length === 0) return linkShow(ctx, [], opts)
  const cmd = argv[0]
  const rest = argv.slice(1)
  if (matches(cmd, 'add')) return linkAdd(ctx, rest)
  if (matches(cmd, 'set') || matches(cmd, 'change')) return linkSet(ctx, rest)
  if (matches(cmd, 'replace')) return linkSet(ctx, rest)
  if (matches(cmd, 'delete')) return linkDel(ctx, rest)
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return linkShow(ctx, rest, opts)
  if (matches(cmd, 'help')) fail(255, 'Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n...')
  fail(255, `Command "${cmd}" is unknown, try "ip link help".`)
}

interface LinkParse {
  dev?: string
  name?: string
  up?: boolean
  mac?: Mac
  mtu?: number
  qlen?: number
  netns?: Netns
  master?: string | null
  type?: string
  typeArgs: string[]
  promisc?: boolean
  alias?: string
}

/** Interface flags `ip link set` may name, at their values on a new device. */
const FLAG_DEFAULTS: Record<string, string> = { multicast: 'on', allmulticast: 'off', trailers: 'off', arp: 'on', dynamic: 'off', carrier: 'on' }

/** iplink_parse: keywords in iproute2's order; anything else names the device. */
function parseLink(ctx: Ctx, a: Args, create: boolean): LinkParse {
  const p: LinkParse = { typeArgs: [] }
  let dev: string | undefined
  let name: string | undefined
  while (!a.done) {
    const w = a.peek()!
    if (w === 'up') {
      p.up = true
      a.next()
    } else if (w === 'down') {
      p.up = false
      a.next()
    } else if (w === 'name') {
      const v = a.value()
      if (name !== undefined) duparg('name', v)
      if (!validName(v)) invarg('"name" not a valid ifname', v)
      name = v
      if (dev === undefined) dev = v
    } else if (w === 'index') {
      const v = a.value()
      if (!(parseInt(v, 10) > 0)) invarg('Invalid "index" value', v)
    } else if (matches(w, 'link')) {
      a.value()
    } else if (matches(w, 'address')) {
      const v = a.value()
      const b = llAddrA2n(v)
      if (!Array.isArray(b)) fail(1, b.error)
      // An Ethernet device's address has 6 bytes (iplink_modify checks the device's length).
      if (b.length !== 6) fail(1, `Invalid address length ${b.length} - must be 6 bytes`)
      p.mac = macOfBytes(b)
    } else if (matches(w, 'broadcast') || w === 'brd') {
      // `b`, `br`, ... abbreviate it: `ip link set b up` reads "up" as a link-layer address.
      const v = a.value()
      const b = llAddrA2n(v)
      if (!Array.isArray(b)) fail(1, b.error)
      fail(255, 'podnet: a link-layer broadcast address other than ff:ff:ff:ff:ff:ff is not simulated')
    } else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      const v = a.value()
      if (p.qlen !== undefined) duparg('txqueuelen', v)
      if (!/^-?\d+$/.test(v)) invarg('Invalid "txqueuelen" value\n', v)
      p.qlen = Number(v)
    } else if (w === 'mtu') {
      const v = a.value()
      if (p.mtu !== undefined) duparg('mtu', v)
      if (!/^-?\d+$/.test(v)) invarg('Invalid "mtu" value\n', v)
      p.mtu = Number(v)
    } else if (w === 'netns') {
      const v = a.value()
      if (p.netns !== undefined) duparg('netns', v)
      const ns = ctx.world.namespaces.get(v)
      if (!ns) invarg('Invalid "netns" value\n', v)
      p.netns = ns
    } else if (w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'trailers' || w === 'arp' || w === 'dynamic' || w === 'carrier') {
      const v = a.value()
      if (v !== 'on' && v !== 'off') fail(1, `Error: argument of "${w}" must be "on" or "off", not "${v}"`)
      if (w === 'promisc') p.promisc = v === 'on'
      // The defaults change nothing; other flags are not part of the model, so say so.
      else if (v !== FLAG_DEFAULTS[w]) fail(255, `podnet: "ip link set ... ${w} ${v}" is not simulated`)
    } else if (w === 'master') {
      const v = a.value()
      if (!ctx.netns.dev(v)) invarg('Device does not exist\n', v)
      p.master = v
    } else if (w === 'nomaster') {
      p.master = null
      a.next()
    } else if (matches(w, 'type')) {
      a.next()
      if (a.done) incomplete()
      p.type = a.next()
      p.typeArgs = a.rest()
      break
    } else if (matches(w, 'alias')) {
      p.alias = a.value()
    } else if (matches(w, 'group') || w === 'mode' || w === 'state' || w === 'addrgenmode' || matches(w, 'numtxqueues') || matches(w, 'numrxqueues')) {
      a.value()
    } else {
      if (w === 'dev') a.next()
      if (a.done) incomplete()
      const v = a.next()
      if (dev !== name) duparg2('dev', v)
      if (!validName(v) && v.length <= 15) invarg('"dev" not a valid ifname', v)
      dev = v
      continue
    }
  }
  if (name === undefined) name = dev
  else if (dev === undefined) dev = name
  p.dev = dev
  p.name = name
  if (!create && !dev) fail(255, 'Not enough information: "dev" argument is required.')
  if (create && name !== dev) fail(255, 'both "name" and "dev" cannot be used when creating devices.')
  return p
}

function validName(s: string): boolean {
  return s.length > 0 && s.length <= 15 && !/[\s/:]/.test(s) && s !== '.' && s !== '..'
}

function linkAdd(ctx: Ctx, argv: string[]): number {
  const p = parseLink(ctx, new Args(argv), true)
  if (!p.type) fail(255, 'Not enough information: "type" argument is required')
  const ns = p.netns ?? ctx.netns
  const o: NewLinkOpts = { mac: p.mac, mtu: p.mtu, txQueueLen: p.qlen }
  if (p.dev !== undefined && p.dev.length > 15) rtnlError(new KernelError('EINVAL', 'Attribute failed policy validation.'))
  switch (p.type) {
    case 'veth': {
      const pa = new Args(p.typeArgs)
      let peer: LinkParse = { typeArgs: [] }
      if (!pa.done) {
        if (pa.peek() !== 'peer') fail(255, `Error: argument "${pa.peek()}" is wrong: veth: unknown option`)
        pa.next()
        peer = parseLink(ctx, pa, true)
      }
      const peerNs = peer.netns ?? ns
      rtnl(() => {
        if (p.mtu !== undefined) checkMtuRange(p.mtu, 68, 65535)
        const [dev, pdev] = addVeth(ns, p.dev ?? null, peer.dev ?? null, peerNs, o, { mac: peer.mac, mtu: peer.mtu })
        if (p.qlen !== undefined) dev.txQueueLen = p.qlen
        if (peer.qlen !== undefined) pdev.txQueueLen = peer.qlen
        if (p.up) ns.setUp(dev, true)
        if (peer.up) peerNs.setUp(pdev, true)
      })
      ctx.change()
      return 0
    }
    case 'bridge': {
      rtnl(() => {
        const br = addBridge(ns, p.dev ?? null, o)
        if (p.up) ns.setUp(br, true)
      })
      ctx.change()
      return 0
    }
    case 'vxlan': {
      const vx = parseVxlanArgs(ctx, p.typeArgs)
      rtnl(() => {
        const dev = addVxlan(ns, p.dev ?? null, vx, o)
        if (p.up) ns.setUp(dev, true)
      })
      ctx.change()
      return 0
    }
    default:
      // Kinds Linux has but the lab does not model are named as such; any other word is what
      // the kernel answers for a kind it does not know.
      if (LINUX_KINDS.has(p.type)) fail(2, `podnet: "ip link add ... type ${p.type}" is not simulated (the lab has veth, bridge and vxlan devices)`)
      rtnlError(new KernelError('EOPNOTSUPP', 'Unknown device type.'))
  }
}

/** Device kinds of `ip link add ... type` in Linux beyond veth, bridge and vxlan. */
const LINUX_KINDS = new Set(['dummy', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'vlan', 'bond', 'team', 'vrf', 'ipip', 'gre', 'gretap', 'ip6gre',
  'ip6gretap', 'sit', 'ip6tnl', 'vti', 'vti6', 'geneve', 'bareudp', 'wireguard', 'tun', 'tap', 'ifb', 'netdevsim', 'nlmon', 'can', 'vcan', 'vxcan',
  'hsr', 'macsec', 'xfrm', 'gtp', 'erspan', 'ip6erspan', 'batadv', 'rmnet', 'amt', 'netkit', 'virt_wifi'])

function checkMtuRange(mtu: number, min: number, max: number): void {
  if (mtu > max) throw new KernelError('EINVAL', 'mtu greater than device maximum.')
  if (mtu < min) throw new KernelError('EINVAL', 'mtu less than device minimum.')
}

function linkSet(ctx: Ctx, argv: string[]): number {
  const p = parseLink(ctx, new Args(argv), false)
  const dev = ctx.netns.dev(p.dev!)
  if (!dev) fail(1, `Cannot find device "${p.dev}"`)
  if (p.type) fail(255, 'podnet: "ip link set ... type" is not simulated')
  // do_setlink applies the attributes one by one: a failure leaves the earlier ones applied.
  const step = (apply: () => void): void => {
    apply()
    ctx.change()
  }
  rtnl(() => {
    // do_setlink's order: namespace, address, MTU, name, flags, master.
    if (p.netns && p.netns !== dev.netns) step(() => ctx.netns.moveDevice(dev, p.netns!))
    if (p.mac !== undefined) step(() => setMac(dev, p.mac!))
    if (p.mtu !== undefined) step(() => setMtu(dev, p.mtu!))
    if (p.qlen !== undefined) step(() => (dev.txQueueLen = p.qlen!))
    if (p.name !== undefined && p.name !== p.dev) step(() => renameLink(dev, p.name!))
    if (p.promisc !== undefined && p.promisc !== dev.userPromisc) {
      step(() => {
        dev.userPromisc = p.promisc!
        dev.promisc += p.promisc ? 1 : -1
      })
    }
    if (p.alias !== undefined) step(() => (dev.alias = p.alias === '' ? null : p.alias!))
    if (p.up !== undefined) step(() => dev.netns.setUp(dev, p.up!))
    if (p.master !== undefined) step(() => setMaster(dev, p.master === null ? null : dev.netns.dev(p.master!)!))
  })
  return 0
}

function linkDel(ctx: Ctx, argv: string[]): number {
  const a = new Args(argv)
  let name: string | undefined
  while (!a.done) {
    const w = a.next()
    if (w === 'dev' || w === 'name') {
      if (a.done) incomplete()
      name = a.next()
    } else if (matches(w, 'type')) {
      if (a.done) incomplete()
      a.next()
    } else if (name === undefined) name = w
    else duparg2('dev', w)
  }
  if (name === undefined) fail(255, 'Not enough information: "dev" argument is required.')
  const dev = ctx.netns.dev(name)
  if (!dev) fail(1, `Cannot find device "${name}"`)
  rtnl(() => deleteLink(dev))
  ctx.change()
  return 0
}

export interface ShowFilter {
  dev?: string
  master?: NetDevice
  type?: string
  up: boolean
  /** `group G`: every device is in the default group (0). */
  group?: number
  /** `scope S` (iproute2's filter.scope / scopemask; `scope all` masks nothing). */
  scope: number
  scopeMask: number
  /** Address flag filters (`permanent`, `dynamic`, `secondary`, `-tentative` ...): IFA_F_* bits. */
  flags: number
  flagMask: number
  /** `label PATTERN` (fnmatch). */
  label?: string
  /** `to PREFIX`. */
  to?: { addr: Ipv4; len: number }
}

/** IFA_F_* bits. */
export const IFA_F = { SECONDARY: 0x01, TENTATIVE: 0x40, PERMANENT: 0x80, NOPREFIXROUTE: 0x200 } as const

/** iproute2's ifa_flag_data: the names a show filter takes, and their bits. */
const IFA_FLAG_NAMES: Record<string, number> = {
  secondary: 0x01, temporary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, home: 0x10, deprecated: 0x20,
  tentative: 0x40, permanent: 0x80, mngtmpaddr: 0x100, noprefixroute: 0x200, autojoin: 0x400, 'stable-privacy': 0x800,
}

/** iproute2's get_filter: `[-]NAME`, with `dynamic` = -permanent and `primary` = -secondary. */
function flagFilter(f: ShowFilter, arg: string): boolean {
  let inv = arg.startsWith('-')
  let name = inv ? arg.slice(1) : arg
  if (name === 'dynamic') {
    inv = !inv
    name = 'permanent'
  } else if (name === 'primary') {
    inv = !inv
    name = 'secondary'
  }
  const bit = Object.hasOwn(IFA_FLAG_NAMES, name) ? IFA_FLAG_NAMES[name] : undefined
  if (bit === undefined) return false
  f.flags = inv ? f.flags & ~bit : f.flags | bit
  f.flagMask |= bit
  return true
}

/** rtnl_rtscope_a2n: the names of /etc/iproute2/rt_scopes, or a number up to 255. */
function scopeA2n(s: string): number | null {
  const names: Record<string, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 }
  if (Object.hasOwn(names, s)) return names[s]
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^[1-9]\d*$|^0[0-7]*$/.test(s) ? parseInt(s, s.length > 1 && s.startsWith('0') ? 8 : 10) : NaN
  return Number.isInteger(n) && n <= 255 ? n : null
}

/** The arguments of `ip link show` / `ip addr show` (iproute2's ipaddr_list_flush_or_save, in its order). */
export function parseShowFilter(ctx: Ctx, argv: string[], family: IpOpts['family'] = 'any'): ShowFilter {
  const f: ShowFilter = { up: false, scope: 0, scopeMask: 0, flags: 0, flagMask: 0 }
  const a = new Args(argv)
  while (!a.done) {
    const w = a.next()
    if (w === 'to') {
      if (a.done) incomplete()
      const v = a.next()
      // get_prefix exits with its own message (IPv6 prefixes are not simulated).
      const p = family === 'inet6' ? null : parsePrefix(v, true)
      if (!p) fail(1, `Error: ${family === 'inet6' ? 'inet6' : family === 'inet' ? 'inet' : 'any valid'} prefix is expected rather than "${v}".`)
      f.to = p
    } else if (w === 'scope') {
      if (a.done) incomplete()
      const v = a.next()
      const sc = scopeA2n(v)
      f.scopeMask = 0xff
      if (sc === null) {
        if (v !== 'all') invarg('invalid "scope"\n', v)
        f.scope = 255
        f.scopeMask = 0
      } else f.scope = sc
    } else if (w === 'up') f.up = true
    else if (flagFilter(f, w)) {
      // an address flag
    } else if (w === 'label') {
      if (a.done) incomplete()
      f.label = a.next()
    } else if (w === 'group') {
      if (a.done) incomplete()
      const v = a.next()
      const g = v === 'default' ? 0 : /^\d+$/.test(v) ? Number(v) : NaN
      if (!Number.isInteger(g) || g > 0xffffffff) invarg('Invalid "group" value\n', v)
      f.group = g
    } else if (w === 'master') {
      if (a.done) incomplete()
      const m = a.next()
      const d = ctx.netns.dev(m)
      if (!d) invarg('Device does not exist\n', m)
      f.master = d
    } else if (w === 'type') {
      if (a.done) incomplete()
      f.type = a.next()
    } else {
      const v = w === 'dev' ? (a.done ? incomplete() : a.next()) : w
      if (f.dev !== undefined) duparg2('dev', v)
      f.dev = v
    }
  }
  return f
}

/**
 * The links a dump returns: one device for `dev X`; otherwise every device, less those the kernel
 * leaves out for `master` and `type` (rtnl_dump_ifinfo's link_dump_filtered). An IPv6 link dump
 * (inet6_dump_ifinfo: `ip -6 addr` without `dev`) lists the devices with an inet6_dev and
 * filters nothing.
 */
export function dumpDevices(ctx: Ctx, f: ShowFilter, inet6Dump = false): NetDevice[] {
  if (f.dev !== undefined) {
    const d = ctx.netns.dev(f.dev)
    if (!d) fail(1, `Device "${f.dev}" does not exist.`)
    return [d]
  }
  const all = ctx.netns.deviceList()
  if (inet6Dump) return all.filter((d) => d.isLoopback || ctx.netns.addrconf.hasInet6Dev(d))
  return all.filter((d) => (!f.master || d.master === f.master) && (!f.type || slaveKind(f.type) !== undefined || kindName(d) === f.type))
}

/** `type KIND_slave` asks for ports of that kind of master: iproute2 filters them itself, the dump does not. */
function slaveKind(type: string): string | undefined {
  return type.length > 6 && type.endsWith('_slave') ? type.slice(0, -6) : undefined
}

/**
 * Whether print_linkinfo prints a link (its -1 returns): `up`, `group`, `master` and `type` are
 * checked again on the message, and an IPv6 link message carries no master and no kind.
 */
export function linkShown(d: NetDevice, f: ShowFilter, inet6Msg = false): boolean {
  if (f.up && !d.adminUp) return false
  if (f.label !== undefined) return true
  if (f.group !== undefined && f.group !== 0) return false
  if (f.master && (inet6Msg || d.master !== f.master)) return false
  if (f.type !== undefined) {
    if (inet6Msg) return false
    const sk = slaveKind(f.type)
    if (sk !== undefined ? !d.master || sk !== 'bridge' : kindName(d) !== f.type) return false
  }
  return true
}

/** The devices `ip link show` lists (text); JSON keeps an empty object for each one filtered out. */
export function filterDevices(ctx: Ctx, f: ShowFilter): NetDevice[] {
  return dumpDevices(ctx, f).filter((d) => linkShown(d, f))
}

function kindName(d: NetDevice): string {
  return d.kind === 'loopback' ? '' : d.kind
}

function linkShow(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const f = parseShowFilter(ctx, argv)
  if (opts.json) {
    // One object per link of the dump: print_linkinfo's filters leave it empty.
    printJson(ctx, dumpDevices(ctx, f).map((d) => (!linkShown(d, f) || f.label !== undefined ? {} : opts.brief ? briefLinkJson(d, true) : linkJsonWithStats(d, opts))), opts.pretty)
    return 0
  }
  // `label`: print_linkinfo prints nothing of a link (labels belong to addresses).
  const devs = f.label !== undefined ? [] : filterDevices(ctx, f)
  for (const d of devs) {
    if (opts.brief) {
      ctx.println(briefLinkLine(d, opts.color))
      continue
    }
    const lines = [linkHeader(d, true, opts.color), linkLayerLine(d, opts.color) + (opts.details ? linkDetails(d).first : '')]
    if (opts.details) lines.push(...linkDetails(d).more)
    if (d.alias !== null) lines.push(`    alias ${d.alias}`)
    if (opts.stats) lines.push(...statsLines(d, opts.stats))
    if (opts.oneline) ctx.println(lines.join('\\'))
    else for (const l of lines) ctx.println(l)
  }
  return 0
}

/**
 * print_name_and_link's JSON: `link` names a peer in the same namespace (IFLA_LINK without
 * IFLA_LINK_NETNSID), `link_index` gives the index of one elsewhere.
 */
function jsonLinkKey(j: Record<string, unknown>, d: NetDevice): void {
  if (!d.link) return
  if (d.link.netns === d.netns) j.link = d.link.name
  else j.link_index = d.link.ifindex
}

/** `-br -j`: print_linkinfo_brief (a link dump adds the address and the flags). */
export function briefLinkJson(d: NetDevice, link: boolean, name?: { link?: string }): Record<string, unknown> {
  const j: Record<string, unknown> = {}
  if (name) Object.assign(j, name)
  else jsonLinkKey(j, d)
  j.ifname = d.name
  j.operstate = d.operState
  if (link) {
    j.address = formatMac(d.mac)
    j.flags = linkFlags(d).split(',').filter((x) => x !== '')
  }
  return j
}

/** `ip -j link` of one device: -s adds stats64 after the details. */
function linkJsonWithStats(d: NetDevice, opts: IpOpts): Record<string, unknown> {
  const j = linkJson(d, opts.details > 0)
  if (opts.stats) j.stats64 = statsJson(d, opts.stats)
  return j
}

/** print_linkinfo's JSON; `details` (-d) adds the numbers and linkinfo after link_netnsid. */
export function linkJson(d: NetDevice, details = false): Record<string, unknown> {
  const j: Record<string, unknown> = { ifindex: d.ifindex }
  jsonLinkKey(j, d)
  j.ifname = d.name
  j.flags = linkFlags(d).split(',').filter((x) => x !== '')
  j.mtu = d.mtu
  j.qdisc = d.everUp ? 'noqueue' : 'noop'
  if (d.master) j.master = d.master.name
  j.operstate = d.operState
  j.linkmode = 'DEFAULT'
  j.group = 'default'
  j.txqlen = d.txQueueLen
  j.link_type = d.isLoopback ? 'loopback' : 'ether'
  j.address = formatMac(d.mac)
  j.broadcast = d.isLoopback ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff'
  if (d.link && d.link.netns !== d.netns) j.link_netnsid = d.netns.ensureNsid(d.link.netns)
  if (details) {
    const { head, tail } = detailJson(d)
    Object.assign(j, head)
    const info = linkInfoJson(d)
    if (info) j.linkinfo = info
    Object.assign(j, tail)
  }
  return j
}

export { BridgeDevice }
