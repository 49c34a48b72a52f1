import { formatIpv4, parseIpv4, prefixMask, type Ipv4 } from '../engine/addr/ipv4.ts'
import { macFor, switchPortName } from './ids.ts'
import type { Ops } from './ops.ts'
import { checkName, parseCidr, SpecError } from './spec.ts'
import { says } from '../../shared/messages/problem.ts'

/**
 * The network between nodes, as a learner wires it: L2 segments (a switch: bridge br0 in its own
 * namespace, with a subnet), routers (a namespace forwarding between its ports), and links: a
 * node's (or any namespace's) uplink into a switch, a router's port on a switch, or a node joined
 * straight to a router on a /24 of its own. Addresses come from the segment: routers from .1,
 * everything else from .11 up. A node's default route goes via the first router on its segment.
 *
 * The scenarios' underlays are the same objects: the `underlay` switch (with the cloud's `router`
 * on it at .1 for cloud routes) and the routed underlay's `router` with a /24 per node.
 */

export interface Net {
  addr: Ipv4
  len: number
}

/** One subnet of the underlay: on a switch, or a link of a node straight to a router. */
export interface Segment {
  name: string
  net: Net
  /** The namespace of the switch carrying it, or null for a link of a node to a router. */
  switchNs: string | null
  /** Who is on it, with their address and the device holding it. */
  hosts: Map<string, { ip: Ipv4; dev: string }>
}

export interface RouterState {
  name: string
  /** Device names eth0, eth1, ... in the order the router was wired (a scenario's may differ). */
  nextPort: number
}

/** A namespace's way onto the underlay: its device, its segment, its address. */
export interface Uplink {
  ns: string
  dev: string
  segment: string
  ip: Ipv4
  len: number
  /** The router address it sends everything else to, or 0. */
  gateway: Ipv4
}

/** What the underlay asks of the cluster it belongs to. */
export interface UnderlayHost {
  readonly ops: Ops
  /** Marks a namespace as a switch or router (for views), or forgets it. */
  setRole(ns: string, role: 'switch' | 'router' | null): void
  /** Whether a namespace exists (any kind). */
  exists(ns: string): boolean
  /** The Kubernetes node of that name, if it is one. */
  isNode(ns: string): boolean
  /** Prefixes addresses must stay out of (the cluster CIDR). */
  reserved(): Net[]
}

const BASE_192_168 = 0xc0a80000

const inNet = (ip: Ipv4, n: Net): boolean => ((ip & prefixMask(n.len)) >>> 0) === n.addr
const overlaps = (a: Net, b: Net): boolean => {
  const len = Math.min(a.len, b.len)
  return ((a.addr & prefixMask(len)) >>> 0) === ((b.addr & prefixMask(len)) >>> 0)
}
export const netText = (n: Net): string => `${formatIpv4(n.addr)}/${n.len}`

export class Underlay {
  readonly segments = new Map<string, Segment>()
  readonly routers = new Map<string, RouterState>()
  /** Every namespace's uplink by namespace (nodes, plain namespaces). */
  readonly uplinks = new Map<string, Uplink>()

  constructor(private readonly host: UnderlayHost) {}

  private get ops(): Ops {
    return this.host.ops
  }

  /** The first /24 of 192.168.0.0/16 that overlaps no segment and nothing reserved. */
  freeSubnet(): Net {
    const taken = [...[...this.segments.values()].map((s) => s.net), ...this.host.reserved()]
    for (let i = 0; i < 256; i++) {
      const n = { addr: (BASE_192_168 + i * 256) >>> 0, len: 24 }
      if (!taken.some((t) => overlaps(t, n))) return n
    }
    throw new SpecError('cidr', says('build.no_free_segment'))
  }

  /** The lowest free host address of a segment from its `from`th address on. */
  freeHost(seg: Segment, from: number): Ipv4 {
    const size = 2 ** (32 - seg.net.len)
    const used = new Set([...seg.hosts.values()].map((h) => h.ip))
    for (let i = from; i < size - 1; i++) {
      const ip = (seg.net.addr + i) >>> 0
      if (!used.has(ip)) return ip
    }
    throw new SpecError('ip', says('build.segment_full', { segment: seg.name, cidr: netText(seg.net) }))
  }

  /** Checks an address chosen by hand for a segment. */
  checkHost(seg: Segment, ip: Ipv4, path: string): void {
    const size = 2 ** (32 - seg.net.len)
    if (!inNet(ip, seg.net)) throw new SpecError(path, says('build.ip_outside_segment', { ip: formatIpv4(ip), segment: seg.name, cidr: netText(seg.net) }))
    if (ip === seg.net.addr || ip === ((seg.net.addr + size - 1) >>> 0)) throw new SpecError(path, says(ip === seg.net.addr ? 'build.ip_segment_net_network' : 'build.ip_segment_net_broadcast', { ip: formatIpv4(ip), cidr: netText(seg.net) }))
    for (const h of seg.hosts.values()) {
      if (h.ip !== ip) continue
      const ns = [...seg.hosts].find(([, x]) => x === h)![0]
      throw new SpecError(path, says('build.ip_on_segment_taken', { ip: formatIpv4(ip), ns, segment: seg.name }))
    }
  }

  /** The router address hosts of a segment send everything else to: its first router's, or 0. */
  gatewayOf(seg: Segment): Ipv4 {
    // The lowest address of a router on it (routers are few; a switch may have 1,000 hosts).
    let best = 0
    for (const ns of this.routers.keys()) {
      const h = seg.hosts.get(ns)
      if (h && (best === 0 || h.ip < best)) best = h.ip
    }
    return best
  }

  private newName(name: string, path: string): void {
    checkName(path, name)
    if (this.host.exists(name)) throw new SpecError(path, says('build.name_taken', { name }))
  }

  /** A switch: its namespace with bridge br0, and the segment it carries. */
  addSwitch(name: string, cidr?: string): Segment {
    this.newName(name, 'name')
    let net: Net
    if (cidr !== undefined) {
      net = parseCidr('cidr', cidr)
      if (net.len > 30) throw new SpecError('cidr', says('build.segment_small', { cidr }))
      for (const s of this.segments.values()) if (overlaps(s.net, net)) throw new SpecError('cidr', says('build.segment_overlaps', { cidr, segment: s.name, other: netText(s.net) }))
      for (const r of this.host.reserved()) if (overlaps(r, net)) throw new SpecError('cidr', says('build.segment_overlaps_cluster', { cidr, other: netText(r) }))
    } else net = this.freeSubnet()
    this.ops.netnsAdd(name)
    this.host.setRole(name, 'switch')
    this.ops.bridge(name, 'br0', macFor(`${name}/br0`))
    this.ops.up(name, 'br0')
    const seg: Segment = { name, net, switchNs: name, hosts: new Map() }
    this.segments.set(name, seg)
    return seg
  }

  /** A router: a namespace that forwards (net.ipv4.ip_forward=1). */
  addRouter(name: string): RouterState {
    this.newName(name, 'name')
    this.ops.netnsAdd(name)
    this.host.setRole(name, 'router')
    this.ops.up(name, 'lo')
    this.ops.sysctl(name, 'net.ipv4.ip_forward', '1')
    const r: RouterState = { name, nextPort: 0 }
    this.routers.set(name, r)
    return r
  }

  /**
   * Joins a namespace to a switch's segment: a veth pair, `dev` in the namespace, the port
   * `to-NS` in the switch (a port of br0), the address, and a default route via the segment's
   * router if it has one (and the namespace has no default route yet).
   */
  plugIntoSwitch(ns: string, segName: string, dev: string, ip: Ipv4 | null, path = 'ip', routeMode: 'add' | 'replace' = 'replace'): Uplink {
    const seg = this.segments.get(segName)
    if (!seg?.switchNs) throw new SpecError('switch', says('build.no_switch', { name: segName }))
    const addr = ip ?? this.freeHost(seg, 11)
    if (ip !== null) this.checkHost(seg, ip, path)
    // A port name taken behind the lab's back is refused by the kernel (and the command rolled back).
    const port = switchPortName(ns)
    this.ops.veth(ns, dev, macFor(`${ns}/${dev}`), seg.switchNs, port, macFor(`${seg.switchNs}/${port}`))
    this.ops.master(seg.switchNs, port, 'br0')
    this.ops.up(seg.switchNs, port)
    this.ops.addr(ns, dev, addr, seg.net.len)
    this.ops.up(ns, dev)
    seg.hosts.set(ns, { ip: addr, dev })
    const gateway = this.gatewayOf(seg)
    const up: Uplink = { ns, dev, segment: segName, ip: addr, len: seg.net.len, gateway: 0 }
    // A router routes by its own table; anyone else sends what is not on a segment to the router.
    if (gateway && gateway !== addr && !this.routers.has(ns)) {
      this.ops.route(ns, { dst: 0, len: 0, via: gateway, dev }, routeMode)
      up.gateway = gateway
    }
    if (!this.routers.has(ns)) this.uplinks.set(ns, up)
    return up
  }

  /**
   * Joins a namespace straight to a router on a /24 of its own (the routed underlay): the
   * router's port `to-NS` at .1, the namespace at .10, its default route via the router.
   */
  plugIntoRouter(ns: string, router: string, net: Net | null, ip: Ipv4 | null): Uplink {
    if (!this.routers.has(router)) throw new SpecError('router', says('build.no_router', { name: router }))
    const n = net ?? this.freeSubnet()
    const gateway = ((n.addr & 0xffffff00) + 1) >>> 0
    const addr = ip ?? ((n.addr + 10) >>> 0)
    const port = switchPortName(ns)
    this.ops.veth(ns, 'eth0', macFor(`${ns}/eth0`), router, port, macFor(`${router}/${port}`))
    this.ops.addr(router, port, gateway, 24)
    this.ops.up(router, port)
    this.ops.addr(ns, 'eth0', addr, n.len)
    this.ops.up(ns, 'eth0')
    this.ops.route(ns, { dst: 0, len: 0, via: gateway, dev: 'eth0' })
    const seg: Segment = { name: `${router}/${port}`, net: { addr: (n.addr & 0xffffff00) >>> 0, len: 24 }, switchNs: null, hosts: new Map([[router, { ip: gateway, dev: port }], [ns, { ip: addr, dev: 'eth0' }]]) }
    this.segments.set(seg.name, seg)
    const up: Uplink = { ns, dev: 'eth0', segment: seg.name, ip: addr, len: n.len, gateway }
    this.uplinks.set(ns, up)
    return up
  }

  /**
   * A router's port on a switch: its next `ethN`, the first free address from .1; hosts of the
   * segment without a router until now get their default route through it.
   */
  routerOntoSwitch(router: string, segName: string, dev?: string, ip?: Ipv4): void {
    const r = this.routers.get(router)
    const seg = this.segments.get(segName)
    if (!r) throw new SpecError('router', says('build.no_router', { name: router }))
    if (!seg?.switchNs) throw new SpecError('switch', says('build.no_switch', { name: segName }))
    if (seg.hosts.has(router)) throw new SpecError('switch', says('build.already_on', { name: router, segment: segName }))
    let name = dev
    while (name === undefined || this.ops.ns(router).dev(name)) name = `eth${r.nextPort++}`
    const hadGateway = this.gatewayOf(seg)
    this.plugIntoSwitch(router, segName, name, ip ?? this.freeHost(seg, 1))
    if (hadGateway) return
    const gateway = this.gatewayOf(seg)
    for (const [ns, h] of seg.hosts) {
      const up = this.uplinks.get(ns)
      if (!up || this.routers.has(ns)) continue
      this.ops.route(ns, { dst: 0, len: 0, via: gateway, dev: h.dev }, 'replace')
      up.gateway = gateway
    }
  }

  /** Takes a namespace off its segment: the veth pair goes (and the routes through it with it). */
  unplug(ns: string, segName: string): void {
    const seg = this.segments.get(segName)
    const h = seg?.hosts.get(ns)
    if (!seg || !h) throw new SpecError('link', says('build.not_connected', { ns, segment: segName }))
    if (this.ops.ns(ns).dev(h.dev)) this.ops.linkDel(ns, h.dev)
    seg.hosts.delete(ns)
    if (this.uplinks.get(ns)?.segment === segName) this.uplinks.delete(ns)
    if (!seg.switchNs) {
      // A link of a node to a router is its own segment: gone with the link.
      this.segments.delete(segName)
      return
    }
    if (!this.routers.has(ns)) return
    // The segment's hosts now send everything to the next router, if any.
    const gateway = this.gatewayOf(seg)
    for (const [other, oh] of seg.hosts) {
      const up = this.uplinks.get(other)
      if (!up || up.gateway !== h.ip) continue
      up.gateway = gateway
      if (gateway) this.ops.route(other, { dst: 0, len: 0, via: gateway, dev: oh.dev }, 'replace')
    }
  }

  /** The segments a namespace is on (a router's several, anyone else's one). */
  segmentsOf(ns: string): Segment[] {
    return [...this.segments.values()].filter((s) => s.hosts.has(ns))
  }

  /** The link between two namespaces: the segment that joins them (a's uplink into b, a router's port). */
  linkBetween(a: string, b: string): Segment | null {
    for (const s of this.segments.values()) {
      if (s.switchNs === b && s.hosts.has(a)) return s
      if (s.switchNs === a && s.hosts.has(b)) return s
      if (!s.switchNs && s.hosts.has(a) && s.hosts.has(b)) return s
    }
    return null
  }

  /** Forgets a switch or router whose namespace is being deleted, and whatever hung on it. */
  forget(ns: string): void {
    this.segments.delete(ns)
    this.routers.delete(ns)
    this.uplinks.delete(ns)
    for (const [name, s] of this.segments) {
      s.hosts.delete(ns)
      if (!s.switchNs && s.hosts.size < 2) this.segments.delete(name)
    }
  }

  /** An address typed by a user, or null. */
  static ip(path: string, s: string | undefined): Ipv4 | null {
    if (s === undefined) return null
    const ip = parseIpv4(s)
    if (ip === null) throw new SpecError(path, says('build.not_ipv4', { value: s }))
    return ip
  }
}
