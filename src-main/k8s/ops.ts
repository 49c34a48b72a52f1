import { formatIpv4, type Ipv4 } from '../engine/addr/ipv4.ts'
import { formatMac, type Mac } from '../engine/addr/mac.ts'
import { Scope, type NetDevice } from '../engine/kernel/device.ts'
import { routeAdd, routeAddOnlinkCompact, routeAddShared, routeDel, type RouteSpec } from '../engine/kernel/fib-ops.ts'
import { routeDstString, taggedShapes } from '../engine/kernel/fib.ts'
import { Nud } from '../engine/kernel/neigh.ts'
import { KernelError } from '../engine/kernel/errors.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { addBridge, addVeth, setMaster, setMtu } from '../engine/kernel/rtnl.ts'
import { fdbEntry, VxlanDevice, type VxlanFdbEntry, type VxlanRemote } from '../engine/kernel/vxlan.ts'
import type { World } from '../engine/kernel/world.ts'
import { addVxlan } from '../engine/commands/ip-link-vxlan.ts'
import { PrefixList } from './prefix-list.ts'
import { PeerView, type PeerSet, type VxlanPeer } from '../engine/kernel/peer-set.ts'

export type { VxlanPeer }

// Ops.route's route for routeAdd, with its number fields tagged (see taggedShapes in fib.ts), so
// that the route made of it keeps the gateway the caller gave instead of a heap number of its own.
taggedShapes.push({ dst: undefined, len: undefined, gateway: undefined, dev: null, onlink: false, scope: undefined })

/**
 * The Kubernetes layer changes the network only through these operations. Each one applies the
 * change through the engine's kernel API (fast enough for a 2,000-pod cluster) and records the
 * iproute2/bridge/sysctl line that does the same on a real machine, so a lab can be exported as
 * a script and the kernel conformance suite can check that both agree.
 *
 * Recorded lines name namespaces as `{ns:NAME}` so an export can prefix them.
 */
export class Ops {
  /**
   * Recorded lines, rendered only when asked for (building a 2,000-pod cluster need not format
   * 40,000 lines); a LineGroup stands for several lines (a flannel peer's three).
   */
  private recorded: (string | (() => string) | LineGroup)[] = []
  private count = 0
  private grouped = false
  private readonly remotes = new Map<Ipv4, readonly VxlanRemote[]>()
  private readonly peerFdb = new Map<Ipv4, VxlanFdbEntry>()
  /** The FDB entries of a PeerSet's peers made at one instant (shared by every node's FDB). */
  private setFdb: { set: PeerSet; atNs: number; entries: readonly VxlanFdbEntry[] } | null = null
  /** The last run of peers of one namespace and of namespaces of one peer recorded, whose items the next share. */
  private lastPeers: PrefixList<VxlanPeer> | null = null
  private lastNamespaces: PrefixList<string> | null = null

  constructor(readonly world: World) {}

  get lines(): string[] {
    if (this.grouped) {
      this.recorded = this.recorded.flatMap((r) => (r instanceof LineGroup ? r.render() : [r]))
      this.grouped = false
    }
    for (let i = 0; i < this.recorded.length; i++) {
      const r = this.recorded[i]
      if (typeof r === 'function') this.recorded[i] = r()
    }
    return this.recorded as string[]
  }

  get lineCount(): number {
    return this.count
  }

  ns(name: string): Netns {
    const n = this.world.netns(name)
    if (!n) throw new Error(`no namespace ${name}`)
    return n
  }

  private dev(ns: string, name: string): NetDevice {
    const d = this.ns(ns).dev(name)
    if (!d) throw new Error(`no device ${name} in ${ns}`)
    return d
  }

  private rec(line: string | (() => string)): void {
    this.recorded.push(line)
    this.count++
  }

  netnsAdd(name: string): Netns {
    this.rec(`ip netns add {ns:${name}}`)
    return this.world.addNetns(name)
  }

  netnsDel(name: string): void {
    this.rec(`ip netns del {ns:${name}}`)
    this.world.deleteNetns(name)
  }

  /** A veth pair: `name` in ns, `peer` in peerNs (created in ns, moved at creation like `peer ... netns`). */
  veth(ns: string, name: string, mac: Mac, peerNs: string, peer: string, peerMac: Mac, mtu?: number): void {
    const m = mtu !== undefined ? ` mtu ${mtu}` : ''
    const pm = mtu !== undefined ? ` mtu ${mtu}` : ''
    this.rec(() => `ip -n {ns:${ns}} link add ${name} address ${formatMac(mac)}${m} type veth peer name ${peer} address ${formatMac(peerMac)}${pm} netns {ns:${peerNs}}`)
    addVeth(this.ns(ns), name, peer, this.ns(peerNs), { mac, mtu }, { mac: peerMac, mtu })
  }

  bridge(ns: string, name: string, mac: Mac): void {
    this.rec(() => `ip -n {ns:${ns}} link add ${name} address ${formatMac(mac)} type bridge`)
    addBridge(this.ns(ns), name, { mac })
  }

  vxlan(ns: string, name: string, mac: Mac, vni: number, local: Ipv4, lower: string, dstport: number, mtu: number): void {
    this.rec(() => `ip -n {ns:${ns}} link add ${name} address ${formatMac(mac)} mtu ${mtu} type vxlan id ${vni} local ${formatIpv4(local)} dev ${lower} dstport ${dstport} nolearning`)
    addVxlan(this.ns(ns), name, { vni, local, remote: 0, lower: this.dev(ns, lower), dstport, learning: false, ttl: 0, srcPortMin: 0, srcPortMax: 0, ageing: 300 }, { mac, mtu })
  }

  up(ns: string, dev: string): void {
    this.rec(`ip -n {ns:${ns}} link set ${dev} up`)
    this.ns(ns).setUp(this.dev(ns, dev), true)
  }

  down(ns: string, dev: string): void {
    this.rec(`ip -n {ns:${ns}} link set ${dev} down`)
    this.ns(ns).setUp(this.dev(ns, dev), false)
  }

  master(ns: string, dev: string, bridge: string): void {
    this.rec(`ip -n {ns:${ns}} link set ${dev} master ${bridge}`)
    setMaster(this.dev(ns, dev), this.dev(ns, bridge))
  }

  mtu(ns: string, dev: string, mtu: number): void {
    this.rec(`ip -n {ns:${ns}} link set ${dev} mtu ${mtu}`)
    setMtu(this.dev(ns, dev), mtu)
  }

  linkDel(ns: string, dev: string): void {
    this.rec(`ip -n {ns:${ns}} link del ${dev}`)
    this.ns(ns).deleteDevice(this.dev(ns, dev))
  }

  addr(ns: string, dev: string, ip: Ipv4, len: number): void {
    this.rec(() => `ip -n {ns:${ns}} addr add ${formatIpv4(ip)}/${len} dev ${dev}`)
    this.ns(ns).devinet.addAddress(this.dev(ns, dev), { local: ip, prefixLen: len, scope: Scope.Universe })
  }

  route(ns: string, r: RouteLineArgs, mode: 'add' | 'replace' = 'add'): void {
    // A record of the arguments rather than a closure over them (a routed 100-node cluster
    // records 9,900 of these lines; a closure is two objects, this one).
    this.recorded.push(new RouteLine(ns, r, mode))
    this.count++
    this.grouped = true
    const spec: RouteSpec = { dst: r.dst, len: r.len, gateway: r.via, dev: r.dev ? this.dev(ns, r.dev) : undefined, onlink: r.onlink, scope: r.via ? Scope.Universe : Scope.Link }
    routeAdd(this.ns(ns), spec, mode)
  }

  routeDel(ns: string, r: { dst: Ipv4; len: number; via?: Ipv4; dev?: string }): void {
    const parts = [`ip -n {ns:${ns}} route del ${routeDstString(r)}`]
    if (r.via) parts.push(`via ${formatIpv4(r.via)}`)
    if (r.dev) parts.push(`dev ${r.dev}`)
    // Recorded once it worked: a route already gone (deleted by hand) is no line of the export.
    routeDel(this.ns(ns), { dst: r.dst, len: r.len, gateway: r.via, dev: r.dev ? this.dev(ns, r.dev) : undefined })
    this.rec(parts.join(' '))
  }

  neighReplace(ns: string, ip: Ipv4, mac: Mac, dev: string): void {
    this.rec(() => `ip -n {ns:${ns}} neigh replace ${formatIpv4(ip)} lladdr ${formatMac(mac)} dev ${dev} nud permanent`)
    const t = this.ns(ns).neigh
    const d = this.dev(ns, dev)
    const n = t.lookup(d, ip) ?? t.create(d, ip)
    t.update(n, mac, Nud.Permanent, { override: true, admin: true })
  }

  neighDel(ns: string, ip: Ipv4, dev: string): void {
    this.rec(() => `ip -n {ns:${ns}} neigh del ${formatIpv4(ip)} dev ${dev}`)
    const t = this.ns(ns).neigh
    const n = t.lookup(this.dev(ns, dev), ip)
    if (n) t.remove(n)
  }

  fdbReplace(ns: string, mac: Mac, dev: string, dst: Ipv4): void {
    this.rec(() => `bridge -n {ns:${ns}} fdb replace ${formatMac(mac)} dev ${dev} dst ${formatIpv4(dst)} self permanent`)
    const d = this.dev(ns, dev)
    if (!(d instanceof VxlanDevice)) throw new Error(`${dev} is not a vxlan device`)
    d.fdbAdd(mac, { ip: dst, port: 0, vni: -1 }, 'replace', 'permanent')
  }

  fdbDel(ns: string, mac: Mac, dev: string, dst: Ipv4): void {
    this.rec(() => `bridge -n {ns:${ns}} fdb del ${formatMac(mac)} dev ${dev} dst ${formatIpv4(dst)} self`)
    const d = this.dev(ns, dev)
    if (d instanceof VxlanDevice && d.lookup(mac)) d.fdbDel(mac, { ip: dst, port: 0, vni: -1 })
  }

  /**
   * What flanneld's vxlan backend programs for one remote node: the permanent neighbour of its
   * VTEP, the FDB entry to its public IP and the onlink route to its subnet (each as neighReplace,
   * fdbReplace and route(..., 'replace') would, recorded as one group). Each step is tried even
   * when an earlier one was refused, as flannel does; returns null when all three worked, else
   * the kernel's refusal per step. A 1,000-node cluster programs a million peers: this path
   * allocates only what the kernel keeps (the entries themselves).
   */
  vxlanPeer(ns: string, dev: string, peer: VxlanPeer): VxlanPeerErrors | null {
    this.recordPeer(ns, dev, peer)
    return this.programPeer(ns, dev, peer)
  }

  /**
   * vxlanPeer's kernel work without its lines: flanneld programs the peers still to come in a
   * cluster's build ahead, and records each (recordPeer) when that peer's lease appears.
   */
  programPeer(ns: string, dev: string, peer: VxlanPeer): VxlanPeerErrors | null {
    const netns = this.ns(ns)
    const d = netns.dev(dev)
    if (!d) throw new Error(`no device ${dev} in ${ns}`)
    let errors = this.peerNeigh(netns, d, peer, null)
    errors = this.peerFdbStep(d, dev, peer, errors)
    return this.peerRoute(netns, d, peer, errors)
  }

  /**
   * programPeer of every peer of the set but `self`, one after the other in the set's order:
   * returns the kernel's refusals by index in the set, null when there were none. Where each
   * step would have gone in the same way for every peer (a node's first programming of a
   * build's peers), its table shares the node's view of the set instead (see PeerSet).
   */
  programPeers(ns: string, dev: string, set: PeerSet, self: number): Map<number, VxlanPeerErrors> | null {
    const netns = this.ns(ns)
    const d = netns.dev(dev)
    if (!d) throw new Error(`no device ${dev} in ${ns}`)
    const peers = set.peers
    if (!(d instanceof VxlanDevice)) {
      let out: Map<number, VxlanPeerErrors> | null = null
      for (let k = 0; k < peers.length; k++) {
        if (k === self) continue
        const errors = this.programPeer(ns, dev, peers[k])
        if (errors !== null) (out ??= new Map()).set(k, errors)
      }
      return out
    }
    const view = new PeerView(set, self, this.world.sched.now, 0)
    const neigh = !netns.neigh.sharePeers(d, view)
    const fdb = !d.sharePeers(view, this.setEntries(set))
    const route = routeAddShared(netns, set, self, d, Scope.Universe) === null
    let out: Map<number, VxlanPeerErrors> | null = null
    if (neigh || fdb || route) {
      // What did not go in shared goes in peer by peer, as programPeer's steps.
      for (let k = 0; k < peers.length; k++) {
        if (k === self) continue
        let errors = neigh ? this.peerNeigh(netns, d, peers[k], null) : null
        if (fdb) errors = this.peerFdbStep(d, dev, peers[k], errors)
        if (route) errors = this.peerRoute(netns, d, peers[k], errors)
        if (errors !== null) (out ??= new Map()).set(k, errors)
      }
    }
    return out
  }

  private peerNeigh(netns: Netns, d: NetDevice, peer: VxlanPeer, errors: VxlanPeerErrors | null): VxlanPeerErrors | null {
    try {
      const t = netns.neigh
      const n = t.lookup(d, peer.subnet) ?? t.create(d, peer.subnet)
      t.update(n, peer.vtepMac, Nud.Permanent, PEER_NEIGH_FLAGS)
      t.compactPermanent(n)
    } catch (e) {
      errors = peerError(errors, 'neigh', e)
    }
    return errors
  }

  private peerFdbStep(d: NetDevice, dev: string, peer: VxlanPeer, errors: VxlanPeerErrors | null): VxlanPeerErrors | null {
    try {
      if (!(d instanceof VxlanDevice)) throw new Error(`${dev} is not a vxlan device`)
      const made = this.peerEntry(peer.publicIp, peer.vtepMac)
      d.fdbAdd(peer.vtepMac, made.remotes[0], 'replace', 'permanent', made.remotes, made)
    } catch (e) {
      errors = peerError(errors, 'fdb', e)
    }
    return errors
  }

  private peerRoute(netns: Netns, d: NetDevice, peer: VxlanPeer, errors: VxlanPeerErrors | null): VxlanPeerErrors | null {
    const { subnet, len } = peer
    try {
      const scope = subnet ? Scope.Universe : Scope.Link
      if (!routeAddOnlinkCompact(netns, subnet, len, d, scope)) routeAdd(netns, { dst: subnet, len, gateway: subnet, dev: d, onlink: true, scope }, 'replace', true)
    } catch (e) {
      errors = peerError(errors, 'route', e)
    }
    return errors
  }

  /** The FDB entry of each of the set's peers as peerEntry makes it now (one list for every node). */
  private setEntries(set: PeerSet): readonly VxlanFdbEntry[] {
    const now = this.world.sched.now
    const c = this.setFdb
    if (c !== null && c.set === set && c.atNs === now) return c.entries
    const entries = set.peers.map((p) => this.peerEntry(p.publicIp, p.vtepMac))
    this.setFdb = { set, atNs: now, entries }
    return entries
  }

  /**
   * The FDB remotes `dst IP` of every entry towards one VTEP: one frozen list of one frozen
   * remote, shared by every node's entry (the kernel never changes a remote in place, and the
   * device never changes an entry's list in place: a replace puts another one).
   */
  private remotesTo(ip: Ipv4): readonly VxlanRemote[] {
    let r = this.remotes.get(ip)
    if (!r) this.remotes.set(ip, (r = Object.freeze([Object.freeze({ ip, port: 0, vni: -1 })])))
    return r
  }

  /**
   * The permanent FDB entry towards a VTEP as programmed now: one entry shared by every node's
   * table that gets it at this time (entries are never changed in place).
   */
  private peerEntry(ip: Ipv4, mac: Mac): VxlanFdbEntry {
    const now = this.world.sched.now
    let e = this.peerFdb.get(ip)
    if (e === undefined || e.mac !== mac || e.updatedNs !== now) this.peerFdb.set(ip, (e = fdbEntry(mac, this.remotesTo(ip), 'permanent', now)))
    return e
  }

  /**
   * Records a peer's three lines. Consecutive peers of one device in one namespace (a flanneld's
   * initial list) share one group, and so does one peer programmed in one namespace after the
   * other (every flanneld reacting to a new lease).
   */
  recordPeer(ns: string, dev: string, peer: VxlanPeer): void {
    const n = this.recorded.length
    const last = n ? this.recorded[n - 1] : undefined
    if (last instanceof VxlanPeerLines && last.dev === dev) {
      if (last.ns === ns) {
        last.peers.push(peer)
        this.lastPeers = last.peers
      } else if (last.peers.length === 1 && last.peers.at(0) === peer) {
        const names = PrefixList.after(this.lastNamespaces)
        names.push(last.ns)
        names.push(ns)
        this.lastNamespaces = names
        this.recorded[n - 1] = new VxlanLeaseLines(dev, peer, names)
      } else this.recorded.push(this.peerLines(ns, dev, peer))
    } else if (last instanceof VxlanLeaseLines && last.dev === dev && last.peer === peer) last.namespaces.push(ns)
    else this.recorded.push(this.peerLines(ns, dev, peer))
    this.count += 3
    this.grouped = true
  }

  /** A run of one peer, sharing the items of the last run of several (a node's initial list is the one before with one more). */
  private peerLines(ns: string, dev: string, peer: VxlanPeer): VxlanPeerLines {
    const peers = PrefixList.after(this.lastPeers)
    peers.push(peer)
    return new VxlanPeerLines(ns, dev, peers)
  }

  /**
   * What the CNI bridge plugin does for one pod, as netnsAdd, up (lo), veth, up (eth0), up (the
   * host end), master, addr and route would do it one after the other, recorded as one group of
   * those eight lines (a 1,000-node cluster sets up 30,000 pods). A step the kernel refuses
   * throws as the single operation does, with the lines up to that step recorded.
   */
  podSetup(p: PodSetup): void {
    const g = new PodLines(p.pod, p.node, p.veth, p.mac, p.peerMac, p.mtu, p.addr, p.len, p.gateway)
    this.recorded.push(g)
    this.grouped = true
    const step = (): void => {
      g.steps++
      this.count++
    }
    step()
    const ns = this.world.addNetns(p.pod)
    step()
    ns.setUp(ns.lo, true)
    step()
    addVeth(ns, 'eth0', p.veth, this.ns(p.node), { mac: p.mac, mtu: p.mtu }, { mac: p.peerMac, mtu: p.mtu })
    step()
    ns.setUp(this.dev(p.pod, 'eth0'), true)
    step()
    this.ns(p.node).setUp(this.dev(p.node, p.veth), true)
    step()
    setMaster(this.dev(p.node, p.veth), this.dev(p.node, 'cbr0'))
    step()
    ns.devinet.addAddress(this.dev(p.pod, 'eth0'), { local: p.addr, prefixLen: p.len, scope: Scope.Universe })
    step()
    routeAdd(this.ns(p.pod), { dst: 0, len: 0, gateway: p.gateway || undefined, dev: this.dev(p.pod, 'eth0'), onlink: undefined, scope: p.gateway ? Scope.Universe : Scope.Link }, 'add')
  }

  sysctl(ns: string, key: string, value: string): void {
    this.rec(`ip netns exec {ns:${ns}} sysctl -qw ${key}=${value}`)
    this.ns(ns).sysctl.set(key, value)
  }
}

/** Which of Ops.vxlanPeer's steps the kernel refused, and its message (extack, else errno). */
export interface VxlanPeerErrors {
  neigh: string | null
  fdb: string | null
  route: string | null
}

const PEER_NEIGH_FLAGS = Object.freeze({ override: true, admin: true })

function peerError(errors: VxlanPeerErrors | null, step: keyof VxlanPeerErrors, e: unknown): VxlanPeerErrors {
  if (!(e instanceof KernelError)) throw e
  const out = errors ?? { neigh: null, fdb: null, route: null }
  out[step] = e.extack ?? e.errno
  return out
}

/** Several recorded lines, rendered together when read. */
abstract class LineGroup {
  abstract render(): string[]
}

/**
 * Ops.vxlanPeer's lines for a run of peers programmed one after the other on one device (a
 * flanneld's initial list of leases), kept as the peers themselves (flanneld's leases, shared by
 * every node's record of them, in a list that shares its items with the other nodes'): three
 * lines each.
 */
class VxlanPeerLines extends LineGroup {
  constructor(
    readonly ns: string,
    readonly dev: string,
    readonly peers: PrefixList<VxlanPeer>,
  ) {
    super()
  }

  render(): string[] {
    return this.peers.toArray().flatMap((peer) => vxlanPeerLines(this.ns, this.dev, peer))
  }
}

/**
 * Ops.vxlanPeer's lines for one peer programmed in several namespaces one after the other (every
 * node's flanneld learning of a new lease), kept as the namespaces' names (in a list that shares
 * its items with the other leases'): three lines each.
 */
class VxlanLeaseLines extends LineGroup {
  constructor(
    readonly dev: string,
    readonly peer: VxlanPeer,
    readonly namespaces: PrefixList<string>,
  ) {
    super()
  }

  render(): string[] {
    return this.namespaces.toArray().flatMap((ns) => vxlanPeerLines(ns, this.dev, this.peer))
  }
}

function vxlanPeerLines(ns: string, dev: string, { subnet, len, vtepMac, publicIp }: VxlanPeer): string[] {
  return [
    `ip -n {ns:${ns}} neigh replace ${formatIpv4(subnet)} lladdr ${formatMac(vtepMac)} dev ${dev} nud permanent`,
    `bridge -n {ns:${ns}} fdb replace ${formatMac(vtepMac)} dev ${dev} dst ${formatIpv4(publicIp)} self permanent`,
    `ip -n {ns:${ns}} route replace ${routeDstString({ dst: subnet, len })}${subnet ? ` via ${formatIpv4(subnet)}` : ''} dev ${dev} onlink`,
  ]
}

/** What Ops.route records of a route. */
export interface RouteLineArgs {
  readonly dst: Ipv4
  readonly len: number
  readonly via?: Ipv4
  readonly dev?: string
  readonly onlink?: boolean
}

/** Ops.route's line, made when read. */
class RouteLine extends LineGroup {
  constructor(
    readonly ns: string,
    readonly r: RouteLineArgs,
    readonly mode: 'add' | 'replace',
  ) {
    super()
  }

  render(): string[] {
    const { ns, r, mode } = this
    const parts = [`ip -n {ns:${ns}} route ${mode} ${routeDstString(r)}`]
    if (r.via) parts.push(`via ${formatIpv4(r.via)}`)
    if (r.dev) parts.push(`dev ${r.dev}`)
    if (r.onlink) parts.push('onlink')
    return [parts.join(' ')]
  }
}

/** One pod as the CNI bridge plugin sets it up (Ops.podSetup). */
export interface PodSetup {
  readonly pod: string
  readonly node: string
  /** The host end's name. */
  readonly veth: string
  readonly mac: Mac
  readonly peerMac: Mac
  /** The pair's MTU when not the default. */
  readonly mtu: number | undefined
  readonly addr: Ipv4
  readonly len: number
  readonly gateway: Ipv4
}

/** Ops.podSetup's lines: the first `steps` of its eight (the pod's setup held in one object). */
class PodLines extends LineGroup {
  steps = 0

  constructor(
    readonly pod: string,
    readonly node: string,
    readonly veth: string,
    readonly mac: Mac,
    readonly peerMac: Mac,
    readonly mtu: number | undefined,
    readonly addr: Ipv4,
    readonly len: number,
    readonly gateway: Ipv4,
  ) {
    super()
  }

  render(): string[] {
    const { pod, node, veth, mac, peerMac, mtu, addr, len, gateway } = this
    const m = mtu !== undefined ? ` mtu ${mtu}` : ''
    return [
      `ip netns add {ns:${pod}}`,
      `ip -n {ns:${pod}} link set lo up`,
      `ip -n {ns:${pod}} link add eth0 address ${formatMac(mac)}${m} type veth peer name ${veth} address ${formatMac(peerMac)}${m} netns {ns:${node}}`,
      `ip -n {ns:${pod}} link set eth0 up`,
      `ip -n {ns:${node}} link set ${veth} up`,
      `ip -n {ns:${node}} link set ${veth} master cbr0`,
      `ip -n {ns:${pod}} addr add ${formatIpv4(addr)}/${len} dev eth0`,
      `ip -n {ns:${pod}} route add ${routeDstString({ dst: 0, len: 0 })}${gateway ? ` via ${formatIpv4(gateway)}` : ''} dev eth0`,
    ].slice(0, this.steps)
  }
}

/** Renders recorded lines with a namespace prefix (for exports) or none (for the lab's own log). */
export function renderLines(lines: readonly string[], prefix = ''): string[] {
  return lines.map((l) => l.replace(/\{ns:([^}]+)\}/g, (_, n: string) => prefix + n))
}
