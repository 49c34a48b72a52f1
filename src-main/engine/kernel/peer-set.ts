import { prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import type { Mac } from '../addr/mac.ts'

/** A remote VTEP as flanneld programs it: its subnet, its MAC and its node's public IP. */
export interface VxlanPeer {
  readonly subnet: Ipv4
  readonly len: number
  readonly vtepMac: Mac
  readonly publicIp: Ipv4
}

/**
 * The peers a cluster's build programs on every node's flannel.1 (flanneld's leases, in the order
 * they appear), shared by all those nodes: node i holds every peer but its own, so its neighbour,
 * FDB and route tables can refer to this one list (a PeerView) instead of holding n - 1 entries
 * each until something reads or changes them (then they are made as programming them one by one
 * would have made them). Built only from peers whose entries cannot clash: distinct subnets of
 * one length with their host bits clear and each a valid gateway, and distinct MACs.
 */
export class PeerSet {
  readonly len: number
  private bySubnet: Map<Ipv4, number> | null = null
  private byMac: Map<Mac, number> | null = null
  private lowest = 0xffffffff
  private highest = 0

  private constructor(readonly peers: readonly VxlanPeer[]) {
    this.len = peers.length ? peers[0].len : 0
  }

  /** The set of these peers, or null when two would clash or one is no valid onlink gateway. */
  static of(peers: readonly VxlanPeer[]): PeerSet | null {
    if (peers.length === 0) return null
    const set = new PeerSet(peers)
    const len = set.len
    const mask = prefixMask(len)
    const subnets = new Map<Ipv4, number>()
    const macs = new Map<Mac, number>()
    for (let k = 0; k < peers.length; k++) {
      const p = peers[k]
      const s = p.subnet
      if (p.len !== len || ((s & ~mask) >>> 0) !== 0 || s === 0 || s === 0xffffffff || (s & 0xf0000000) >>> 0 === 0xe0000000) return null
      if (subnets.has(s) || macs.has(p.vtepMac)) return null
      subnets.set(s, k)
      macs.set(p.vtepMac, k)
      if (s < set.lowest) set.lowest = s
      if (s > set.highest) set.highest = s
    }
    set.bySubnet = subnets
    set.byMac = macs
    return set
  }

  get size(): number {
    return this.peers.length
  }

  /** The index of the peer with this subnet, -1 when none. */
  indexOfSubnet(subnet: Ipv4): number {
    return this.bySubnet!.get(subnet) ?? -1
  }

  /** The index of the peer with this VTEP MAC, -1 when none. */
  indexOfMac(mac: Mac): number {
    return this.byMac!.get(mac) ?? -1
  }

  /** Whether the subnet address of some peer but `self` lies in dst/len. */
  overlaps(dst: Ipv4, len: number, self: number): boolean {
    const last = len === 0 ? 0xffffffff : (dst + 2 ** (32 - len) - 1) >>> 0
    if (last < this.lowest || dst > this.highest) return false
    if (len === 32) {
      const k = this.indexOfSubnet(dst)
      return k >= 0 && k !== self
    }
    const peers = this.peers
    for (let k = 0; k < peers.length; k++) if (k !== self && peers[k].subnet >= dst && peers[k].subnet <= last) return true
    return false
  }
}

/**
 * One node's share of a PeerSet: every peer but `self` (-1: all), in the set's order, programmed
 * at `atNs`; the routes' serials run from `serial` on in that order.
 */
export class PeerView {
  constructor(
    readonly set: PeerSet,
    readonly self: number,
    readonly atNs: number,
    readonly serial: number,
  ) {}

  get size(): number {
    return this.self < 0 ? this.set.size : this.set.size - 1
  }

  /** The position of the peer with this subnet among the view's, -1 when it has none. */
  positionOf(subnet: Ipv4): number {
    const k = this.set.indexOfSubnet(subnet)
    if (k < 0 || k === this.self) return -1
    return this.self >= 0 && k > this.self ? k - 1 : k
  }

  /** Calls fn for each peer of the view in order, with its position. */
  forEach(fn: (p: VxlanPeer, pos: number) => void): void {
    const peers = this.set.peers
    for (let k = 0, pos = 0; k < peers.length; k++) if (k !== this.self) fn(peers[k], pos++)
  }
}
