import { formatIpv4, isMulticastIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, MAC_ZERO, type Mac } from '../addr/mac.ts'
import { frameDst, frameSrc } from '../wire/ethernet.ts'
import { IPPROTO_UDP, IPV4_HEADER_LEN, writeIpv4Header, type Ipv4Repr } from '../wire/ipv4.ts'
import { UDP_HEADER_LEN, writeUdpHeader } from '../wire/udp.ts'
import { flowHash, vxlanSourcePort, vxlanVni, writeVxlanHeader, VXLAN_FLAG_I, VXLAN_HEADER_LEN } from '../wire/vxlan.ts'
import { NetDevice } from './device.ts'
import { KernelError } from './errors.ts'
import { routeOutput } from './route.ts'
import { taggedShapes } from './fib.ts'
import { routeLine } from './format.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { packetBytes, Skb } from './skb.ts'
import type { Netns } from './netns.ts'
import type { PeerView } from './peer-set.ts'

/** One remote of a VXLAN FDB entry (vxlan_rdst). */
export interface VxlanRemote {
  ip: Ipv4
  /** 0 = the device's dstport. */
  port: number
  /** -1 = the device's VNI. */
  vni: number
  /**
   * remote_ifindex: the device the outer packet's route must use. Only the default remote
   * (`remote IP dev DEV`) has one; entries added with `bridge fdb ... dst` or learned have none,
   * so their route lookup has no output device (and fails without a route to the VTEP).
   */
  oif?: NetDevice | null
}

/**
 * A VXLAN FDB entry: a MAC and the VTEPs that receive frames for it. Never changed in place (a
 * change puts a new entry where it stood): flanneld's entries towards one VTEP, programmed at
 * one time, are one entry shared by every node's table, as a 1,000-node cluster holds a million.
 */
export interface VxlanFdbEntry {
  readonly mac: Mac
  readonly remotes: readonly VxlanRemote[]
  /** 'permanent' (added by the user/flanneld), 'static', or 'reachable' (learned, ages out). */
  readonly state: 'permanent' | 'static' | 'reachable'
  readonly updatedNs: number
}

/** An FDB entry, always of one shape (see taggedShapes). */
export function fdbEntry(mac: Mac, remotes: readonly VxlanRemote[], state: VxlanFdbEntry['state'], updatedNs: number): VxlanFdbEntry {
  return { mac, remotes, state, updatedNs }
}

export interface VxlanConfig {
  vni: number
  local: Ipv4
  /** The underlay device (`dev eth0`): outer packets must leave through it. */
  lower: NetDevice | null
  dstport: number
  learning: boolean
  ttl: number
  srcPortMin: number
  srcPortMax: number
  ageingSec: number
  /** The default remote (`remote IP`), kept as the all-zeros FDB entry like the kernel. */
  remote: Ipv4
}

// The FDB entries' shape, with its number fields tagged (see taggedShapes in fib.ts).
taggedShapes.push({ mac: undefined, remotes: [], state: 'permanent', updatedNs: undefined })

/** The VXLAN header overhead over IPv4: outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8. */
export const VXLAN_HEADROOM = 50

/**
 * A VXLAN device (drivers/net/vxlan): frames sent to it are looked up in its own FDB and sent,
 * wrapped in UDP, to the VTEP(s) found there; UDP on its port in its namespace is unwrapped and
 * the inner frame enters the device. flannel's `flannel.1` is one, with `nolearning` and
 * entries programmed by flanneld.
 */
export class VxlanDevice extends NetDevice {
  readonly kind = 'vxlan' as const
  private readonly table = new Map<Mac, VxlanFdbEntry>()
  /**
   * Entries of a PeerView's peers not yet put in the table (sharePeers), the entry of the peer
   * with index k in its set at [k]: put in (unshare) before anything reads or changes the FDB
   * but lookup() and fdbValues(), so that from then on it is the FDB adding them one by one
   * made. The table is empty while they are shared.
   */
  private shared: PeerView | null = null
  private sharedEntries: readonly VxlanFdbEntry[] = []
  /** Counts the FDB's changes (entries or remotes added, replaced, removed), for views that follow it. */
  fdbVersion = 0

  constructor(
    ns: Netns,
    name: string,
    mac: Mac,
    mtu: number,
    readonly cfg: VxlanConfig,
  ) {
    super(ns, name, mac, mtu)
  }

  /** Whether entries of a PeerView are still shared, not yet put in (for tests). */
  get sharesPeers(): boolean {
    return this.shared !== null
  }

  /** The FDB, in insertion order; dumps list the newest entry first. */
  get fdb(): Map<Mac, VxlanFdbEntry> {
    if (this.shared !== null) this.unshare()
    return this.table
  }

  /** The FDB's entries in its order, the shared ones read where they are (for views of every node). */
  *fdbValues(): IterableIterator<VxlanFdbEntry> {
    yield* this.table.values()
    const v = this.shared
    if (v === null) return
    const entries = this.sharedEntries
    const self = v.self
    for (let k = 0; k < entries.length; k++) if (k !== self) yield entries[k]
  }

  /**
   * What fdbAdd(peer's MAC, its remote, 'replace', 'permanent', ..., entries[k]) would do for each
   * peer of the view in order (entries[k]: the entry of the set's peer k, made now), on an empty
   * FDB: done without putting them in (see `shared`). Returns false, having done nothing, when
   * the FDB is not empty.
   */
  sharePeers(view: PeerView, entries: readonly VxlanFdbEntry[]): boolean {
    if (this.shared !== null || this.table.size > 0 || view.size === 0 || view.atNs !== this.netns.world.sched.now) return false
    this.shared = view
    this.sharedEntries = entries
    this.fdbVersion += view.size
    return true
  }

  private unshare(): void {
    const v = this.shared!
    const entries = this.sharedEntries
    this.shared = null
    this.sharedEntries = []
    const self = v.self
    for (let k = 0; k < entries.length; k++) if (k !== self) this.table.set(entries[k].mac, entries[k])
  }

  get minMtu(): number {
    return 68
  }
  get maxMtu(): number {
    return 65535
  }
  get carrier(): boolean {
    return true
  }

  /** vxlan_change_mtu: with a lower device, room must stay for the outer headers. */
  override checkMtuChange(mtu: number): void {
    const lower = this.cfg.lower
    if (lower && lower.netns.devices.get(lower.ifindex) === lower && mtu > lower.mtu - VXLAN_HEADROOM) throw new KernelError('EINVAL')
  }
  override get tracksOperstate(): boolean {
    return false
  }

  override open(): void {
    this.netns.sockets.bindVxlan(this)
  }
  override stop(): void {
    this.netns.sockets.unbindVxlan(this)
  }

  /** Live entries (learned ones age out after `ageing`). */
  lookup(mac: Mac): VxlanFdbEntry | undefined {
    const v = this.shared
    if (v !== null) {
      // The table is empty while it shares (anything that adds to it puts the shared ones in
      // first), and the shared entries are permanent.
      const k = v.set.indexOfMac(mac)
      return k >= 0 && k !== v.self ? this.sharedEntries[k] : undefined
    }
    const e = this.fdb.get(mac)
    if (e && e.state === 'reachable' && this.netns.world.sched.now - e.updatedNs >= this.cfg.ageingSec * NS_PER_SEC) {
      this.fdb.delete(mac)
      this.fdbVersion++
      return undefined
    }
    return e
  }

  /**
   * `bridge fdb add|append|replace MAC dev DEV dst IP self`. `only`, when given, is a frozen list
   * of just `remote` that the caller shares between entries; `made`, when given, is the entry a
   * new one would be (`only`, `state`, now), which the caller shares between tables.
   */
  fdbAdd(mac: Mac, remote: VxlanRemote, mode: 'add' | 'append' | 'replace', state: VxlanFdbEntry['state'], only?: readonly VxlanRemote[], made?: VxlanFdbEntry): void {
    const e = this.lookup(mac)
    const now = this.netns.world.sched.now
    if (e) {
      if (mode === 'add') throw new KernelError('EEXIST')
      this.fdbVersion++
      if (mode === 'append') {
        if (!e.remotes.some((r) => sameRemote(r, remote))) this.fdb.set(mac, fdbEntry(mac, [...e.remotes, remote], e.state, e.updatedNs))
        return
      }
      // The first remote is replaced, the others kept.
      this.fdb.set(mac, fdbEntry(mac, e.remotes.length === 1 ? (only ?? [remote]) : [remote, ...e.remotes.slice(1)], state, now))
      return
    }
    this.fdb.set(mac, made ?? fdbEntry(mac, only ?? [remote], state, now))
    this.fdbVersion++
  }

  /** `bridge fdb del MAC dev DEV [dst IP]`: one remote, or the whole entry. */
  fdbDel(mac: Mac, remote: VxlanRemote | null): void {
    const e = this.lookup(mac)
    if (!e) throw new KernelError('ENOENT')
    if (remote) {
      const i = e.remotes.findIndex((r) => sameRemote(r, remote))
      if (i < 0) throw new KernelError('ENOENT')
      const remotes = e.remotes.filter((_, j) => j !== i)
      this.fdbVersion++
      if (remotes.length) {
        this.fdb.set(mac, fdbEntry(mac, remotes, e.state, e.updatedNs))
        return
      }
    }
    this.fdb.delete(mac)
    this.fdbVersion++
  }

  /**
   * A VXLAN device counts the inner packet without its Ethernet header: iptunnel_xmit_stats gets
   * the length from the inner network header, vxlan_rcv counts after eth_type_trans.
   */
  protected override statBytes(skb: Skb): number {
    return skb.data.length - 14
  }

  /** vxlan_xmit: FDB lookup (then the all-zeros default), one encapsulated copy per remote. */
  xmit(skb: Skb): void {
    const trace = this.netns.world.trace
    // dev_queue_xmit_nit: captures see the frame before the driver decides anything.
    if (trace.observing) trace.frame('xmit', this.netns, this, skb, 'xmit.vxlan', { dev: this.name })
    const dst = frameDst(skb.data)
    let e = this.lookup(dst)
    if (!e) e = this.lookup(MAC_ZERO)
    if (!e) {
      this.counters.txDropped++
      trace.drop(this.netns, this, skb, 'ethernet', 'drop.vxlan_no_fdb', { dev: this.name, mac: formatMac(dst) })
      return
    }
    this.countTx(skb)
    for (const r of e.remotes) this.encap(skb, r, e)
  }

  private encap(inner: Skb, r: VxlanRemote, e: VxlanFdbEntry): void {
    const ns = this.netns
    const trace = ns.world.trace
    if (r.ip === 0) {
      trace.drop(ns, this, inner, 'ethernet', 'drop.vxlan_no_remote', { dev: this.name })
      return
    }
    let route
    try {
      route = routeOutput(ns, { daddr: r.ip, saddr: this.cfg.local || undefined, oif: r.oif ?? undefined })
    } catch {
      this.counters.txDropped++
      trace.drop(ns, this, inner, 'ethernet', 'drop.vxlan_no_route', { dev: this.name, remote: formatIpv4(r.ip) })
      return
    }
    if (route.dev === this) {
      trace.drop(ns, this, inner, 'ethernet', 'drop.vxlan_loop', { dev: this.name })
      return
    }
    const vni = r.vni >= 0 ? r.vni : this.cfg.vni
    const dport = r.port || this.cfg.dstport
    // udp_flow_src_port: without a configured range, the namespace's ip_local_port_range.
    let lo = this.cfg.srcPortMin
    let hi = this.cfg.srcPortMax
    if (!lo) {
      const range = localPortRange(ns.sysctl.get('net.ipv4.ip_local_port_range')!)
      lo = range[0]
      hi = range[1]
    }
    const sport = vxlanSourcePort(flowHash(inner.data), lo, hi)
    const src = this.cfg.local || route.src
    // The outer packet written around a copy of the inner frame in one allocation (with room
    // for the outer Ethernet header): VXLAN header and frame, UDP header and checksum, IP header.
    const innerLen = inner.data.length
    const pkt = packetBytes(IPV4_HEADER_LEN + UDP_HEADER_LEN + VXLAN_HEADER_LEN + innerLen)
    const udpOff = IPV4_HEADER_LEN
    writeVxlanHeader(pkt, udpOff + UDP_HEADER_LEN, vni)
    pkt.set(inner.data, udpOff + UDP_HEADER_LEN + VXLAN_HEADER_LEN)
    writeUdpHeader(pkt, udpOff, sport, dport, VXLAN_HEADER_LEN + innerLen, src, r.ip)
    const ttl = this.cfg.ttl || (isMulticastIpv4(r.ip) ? 1 : ns.sysctl.num('net.ipv4.ip_default_ttl'))
    writeIpv4Header(pkt, 0, { src, dst: r.ip, protocol: IPPROTO_UDP, ttl, tos: 0, id: ns.stack.nextId(), df: false, mf: false, fragOffset: 0 }, UDP_HEADER_LEN + VXLAN_HEADER_LEN + innerLen)
    const outer = new Skb(pkt, ns.world.nextPacketId(), inner.id, true)
    if (trace.enabled && route.route) {
      trace.packet('route', ns, route.dev, outer, 'ipv4', 'route.output', { dst: formatIpv4(r.ip), via: route.gateway ? formatIpv4(route.gateway) : '', out: route.dev.name, src: formatIpv4(src) }, routeLine(route.route))
    }
    if (trace.enabled) {
      trace.packet('encap', ns, this, outer, 'ipv4', 'encap.vxlan', {
        dev: this.name, vni, src: formatIpv4(src), dst: formatIpv4(r.ip), sport, dport, mac: formatMac(e.mac),
      }, `${formatMac(e.mac)} dev ${this.name} dst ${formatIpv4(r.ip)} self ${e.state === 'reachable' ? '' : e.state}`.trimEnd())
    }
    ns.stack.output(route, outer)
  }

  /**
   * vxlan_rcv for a datagram on our port (its UDP payload is outer.data[payloadStart, payloadEnd)):
   * checks, optional learning, then the inner frame enters.
   */
  receiveEncapsulated(outer: Skb, ip: Ipv4Repr, payloadStart: number, payloadEnd: number): boolean {
    const ns = this.netns
    const trace = ns.world.trace
    const bytes = outer.data
    if (payloadEnd - payloadStart < VXLAN_HEADER_LEN || (bytes[payloadStart] & VXLAN_FLAG_I) === 0) {
      trace.drop(ns, this, outer, 'ipv4', 'drop.vxlan_bad_header', { dev: this.name })
      return true
    }
    const vni = vxlanVni(bytes, payloadStart)
    if (vni !== this.cfg.vni) return false
    const innerBytes = bytes.subarray(payloadStart + VXLAN_HEADER_LEN, payloadEnd)
    if (innerBytes.length < 14) {
      trace.drop(ns, this, outer, 'ipv4', 'drop.vxlan_bad_header', { dev: this.name })
      return true
    }
    const inner = new Skb(innerBytes, outer.cause ?? ns.world.nextPacketId(), outer.id)
    const src = frameSrc(innerBytes)
    if (src === this.mac) {
      trace.drop(ns, this, inner, 'ethernet', 'drop.vxlan_own_source', { dev: this.name })
      return true
    }
    if (this.cfg.learning) {
      const e = this.lookup(src)
      if (!e) {
        this.fdb.set(src, fdbEntry(src, [{ ip: ip.src, port: 0, vni: -1 }], 'reachable', ns.world.sched.now))
        this.fdbVersion++
      } else if (e.state === 'reachable') {
        if (e.remotes.length !== 1 || e.remotes[0].ip !== ip.src) this.fdbVersion++
        this.fdb.set(src, fdbEntry(src, [{ ip: ip.src, port: 0, vni: -1 }], 'reachable', ns.world.sched.now))
      }
    }
    if (trace.enabled) trace.packet('decap', ns, this, inner, 'ethernet', 'decap.vxlan', { dev: this.name, vni, from: formatIpv4(ip.src) })
    this.receive(inner)
    return true
  }
}

let rangeText = ''
let range: readonly [number, number] = [0, 0]

/** ip_local_port_range's two numbers (the last value read is kept parsed: it rarely changes). */
function localPortRange(text: string): readonly [number, number] {
  if (text !== rangeText) {
    const [lo, hi] = text.split('\t').map(Number)
    range = [lo, hi]
    rangeText = text
  }
  return range
}

function sameRemote(a: VxlanRemote, b: VxlanRemote): boolean {
  return a.ip === b.ip && a.port === b.port && a.vni === b.vni
}
