import { EVENT_VIEW_LIMIT, type ControlEventView, type DeviceView, type HistoryEntry, type LabDelta, type LabState, type LinkView, type NetnsTables, type NetnsView, type NsRole, type Topology } from '../../shared/api.ts'
import { formatMessage, type Lang } from '../../shared/messages/index.ts'
import { formatIpv4 } from '../engine/addr/ipv4.ts'
import { formatMac } from '../engine/addr/mac.ts'
import { fdbRows } from '../engine/commands/bridge.ts'
import { neighRows } from '../engine/commands/ip-neigh.ts'
import { routeRows } from '../engine/commands/ip-route.ts'
import type { NetDevice } from '../engine/kernel/device.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { VethDevice } from '../engine/kernel/veth.ts'
import { VxlanDevice } from '../engine/kernel/vxlan.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { secondsToNs } from './format.ts'
import { tunnelChanges, tunnelForm, type PackedTunnels } from '../../shared/tunnels.ts'
import { NamespacePacker, PACK_NAMESPACES_ABOVE, packableInt, type PackedNamespaces } from '../../shared/netns-pack.ts'
import type { LabSession } from './session.ts'

/**
 * The lab as the editor sees it: plain, structured-clone-safe data built from the running World's
 * objects (never from printed output). A whole LabState is sent when a lab is loaded; after that
 * a reply carries a LabDelta, what changed since the state the renderer has (ViewTracker).
 */

function deviceView(d: NetDevice): DeviceView {
  const v: DeviceView = {
    name: d.name,
    ifindex: d.ifindex,
    kind: d.kind,
    mac: formatMac(d.mac),
    mtu: d.mtu,
    up: d.adminUp,
    carrier: d.running,
    operState: d.operState,
    addresses: d.inet.map((a) => `${formatIpv4(a.local)}/${a.prefixLen}`),
  }
  if (d.master) v.master = d.master.name
  if (d instanceof VethDevice && d.peer) v.peer = { netns: d.peer.netns.name, device: d.peer.name }
  return v
}

/** Roles and pod placement, looked up once per view (a pod's node by name, without a walk over the nodes). */
class ClusterIndex {
  private readonly podNode = new Map<string, string>()

  constructor(private readonly cluster: Cluster | null) {
    if (cluster) for (const n of cluster.nodes.values()) for (const p of n.pods.keys()) this.podNode.set(p, n.name)
  }

  role(name: string): NsRole {
    return this.cluster?.roles.get(name) ?? 'other'
  }

  node(name: string): string | undefined {
    return this.podNode.get(name)
  }
}

function netnsView(idx: ClusterIndex, ns: Netns): NetnsView {
  const role = idx.role(ns.name)
  const v: NetnsView = { name: ns.name, role, devices: ns.deviceList().map(deviceView), ipForward: ns.sysctl.ipForward }
  if (role === 'pod') {
    const node = idx.node(ns.name)
    if (node) v.node = node
  }
  return v
}

/** The tables of one namespace as rows, as `ip route`, `ip neigh` and `bridge fdb show` list them. */
export function tablesView(world: World, ns: Netns): NetnsTables {
  return { netns: ns.name, timeNs: world.sched.now, routes: routeRows(ns), neighbours: neighRows(ns), fdb: fdbRows(ns) }
}

/** The namespaces a view shows: every named one, and the host's only when something was built there. */
function visibleNamespaces(world: World): Netns[] {
  const out = [...world.namespaces.values()]
  if (world.root.deviceList().some((d) => !d.isLoopback)) out.unshift(world.root)
  return out
}

/** A veth pair with `a` its end listed first, named by `NETNS/DEVICE` of its ends in string order. */
function vethLink(a: { netns: string; device: string }, b: { netns: string; device: string }): LinkView {
  const x = `${a.netns}/${a.device}`
  const y = `${b.netns}/${b.device}`
  return { id: x < y ? `${x}|${y}` : `${y}|${x}`, a, b }
}

/**
 * A namespace's veth pairs, each named by `NETNS/DEVICE` of its ends in string order; its end `a`
 * is the one listed first (the namespace earlier in the lab's order, or the lower ifindex).
 */
function vethLinksOf(ns: Netns, order: ReadonlyMap<string, number>): LinkView[] {
  const out: LinkView[] = []
  const mine = order.get(ns.name) ?? 0
  for (const d of ns.deviceList()) {
    if (!(d instanceof VethDevice) || !d.peer) continue
    const here = { netns: ns.name, device: d.name }
    const there = { netns: d.peer.netns.name, device: d.peer.name }
    const theirs = order.get(there.netns) ?? Infinity
    const hereFirst = mine < theirs || (mine === theirs && d.ifindex < d.peer.ifindex)
    out.push(hereFirst ? vethLink(here, there) : vethLink(there, here))
  }
  return out
}

function orderOf(spaces: readonly Netns[]): Map<string, number> {
  return new Map(spaces.map((ns, i) => [ns.name, i]))
}

/** A namespace's devices in ifindex order, as deviceList gives them (without sorting when they are in order already, as they mostly are). */
function devicesInOrder(ns: Netns): NetDevice[] {
  const out = [...ns.devices.values()]
  for (let i = 1; i < out.length; i++) if (out[i - 1].ifindex > out[i].ifindex) return out.sort((a, b) => a.ifindex - b.ifindex)
  return out
}

/** The namespaces of a view and their veth pairs, as a reply carries them. */
interface NamespaceViews {
  namespaces: NetnsView[]
  /** A big lab's namespaces (more than PACK_NAMESPACES_ABOVE), packed instead of `namespaces`. */
  packed?: PackedNamespaces
  links: LinkView[]
}

/**
 * The visible namespaces' views and the veth pairs between them, in one pass: the same as
 * netnsView of each and vethLinksOf of each with each pair kept where first met, made without
 * the objects in between. A big lab's namespaces are written straight into their packed form
 * (32,000 namespaces with 96,000 devices in a 1,000-node cluster). A pair is made at the end
 * listed first (its `a`: the earlier namespace, or the lower ifindex in one namespace), which is
 * where the lab's order meets it first.
 */
function namespaceViews(spaces: readonly Netns[], idx: ClusterIndex): NamespaceViews {
  const order = orderOf(spaces)
  const lists = spaces.map(devicesInOrder)
  const links: LinkView[] = []
  for (let i = 0; i < spaces.length; i++) {
    const name = spaces[i].name
    for (const d of lists[i]) {
      if (!(d instanceof VethDevice) || !d.peer) continue
      const peer = d.peer
      const theirs = order.get(peer.netns.name) ?? Infinity
      if (theirs < i || (theirs === i && peer.ifindex < d.ifindex)) continue
      links.push(vethLink({ netns: name, device: d.name }, { netns: peer.netns.name, device: peer.name }))
    }
  }
  const packed = spaces.length > PACK_NAMESPACES_ABOVE ? packedViews(spaces, lists, idx) : null
  if (packed) return { namespaces: [], packed, links }
  return { namespaces: spaces.map((ns) => netnsView(idx, ns)), links }
}

/** The namespaces packed as packNamespaces packs their views, or null when a device's ifindex or MTU cannot be. */
function packedViews(spaces: readonly Netns[], lists: readonly NetDevice[][], idx: ClusterIndex): PackedNamespaces | null {
  let devices = 0
  for (const l of lists) devices += l.length
  const w = new NamespacePacker(spaces.length, devices)
  for (let i = 0; i < spaces.length; i++) {
    const ns = spaces[i]
    const role = idx.role(ns.name)
    w.namespace(ns.name, role, role === 'pod' ? idx.node(ns.name) : undefined, ns.sysctl.ipForward)
    for (const d of lists[i]) {
      if (!packableInt(d.ifindex) || !packableInt(d.mtu)) return null
      const peer = d instanceof VethDevice ? d.peer : null
      w.device(d.name, d.ifindex, d.kind, formatMac(d.mac), d.mtu, (d.adminUp ? 1 : 0) | (d.running ? 2 : 0), d.operState, d.master?.name, peer?.netns.name, peer?.name)
      for (const a of d.inet) w.address(`${formatIpv4(a.local)}/${a.prefixLen}`)
    }
  }
  return w.finish()
}

/**
 * VXLAN tunnels as configured (not as used): a VXLAN device's FDB remote that is an address of
 * another namespace holding a VXLAN device with the same VNI (its first, in ifindex order). Each
 * pair once, in the order first met, packed (shared/tunnels.ts: two indexes into the list of ends
 * per tunnel). A 1,000-node flannel mesh has half a million of them: each remote costs a few
 * lookups and a bit, and no tunnel gets an object or an id here (a big lab's state carries them
 * packed; a small lab's as objects, tunnelForm).
 */
function vxlanTunnels(spaces: readonly Netns[]): PackedTunnels {
  // Every VXLAN device gets a number, in the order they are visited; each namespace's first of each VNI.
  const devs: VxlanDevice[] = []
  const devNs: Netns[] = []
  const firstOf = new Map<Netns, Map<number, number>>()
  for (const ns of spaces) {
    let first: Map<number, number> | undefined
    for (const d of ns.deviceList()) {
      if (!(d instanceof VxlanDevice)) continue
      first ??= new Map()
      if (!first.has(d.cfg.vni)) first.set(d.cfg.vni, devs.length)
      devs.push(d)
      devNs.push(ns)
    }
    if (first) firstOf.set(ns, first)
  }
  // Each address's namespace, with that namespace's first VXLAN device of each VNI (one lookup per remote).
  const byAddr = new Map<number, { ns: Netns; first: Map<number, number> | undefined }>()
  for (const ns of spaces) {
    const at = { ns, first: firstOf.get(ns) }
    for (const d of ns.devices.values()) if (!d.isLoopback) for (const a of d.inet) byAddr.set(a.local, at)
  }
  const n = devs.length
  // Pairs met so far: a bit per pair while that stays small, else a set.
  const bits = n <= 8192 ? new Uint8Array(Math.ceil((n * n) / 8)) : null
  const seenSet = bits ? null : new Set<number>()
  const pairs: number[] = []
  for (let i = 0; i < n; i++) {
    const d = devs[i]
    const ns = devNs[i]
    const vni = d.cfg.vni
    for (const e of d.fdbValues()) {
      for (const r of e.remotes) {
        const other = byAddr.get(r.ip)
        if (other === undefined || other.ns === ns || other.first === undefined) continue
        const j = other.first.get(r.vni < 0 ? vni : r.vni)
        if (j === undefined) continue
        const key = i < j ? i * n + j : j * n + i
        if (bits) {
          if (bits[key >>> 3] & (1 << (key & 7))) continue
          bits[key >>> 3] |= 1 << (key & 7)
        } else {
          if (seenSet!.has(key)) continue
          seenSet!.add(key)
        }
        pairs.push(i, j)
      }
    }
  }
  // The ends that take part, numbered in the order met, and each one's place in name order (ids put the smaller first).
  const endOf = new Int32Array(n).fill(-1)
  const packed: PackedTunnels = { netns: [], device: [], a: new Uint32Array(pairs.length / 2), b: new Uint32Array(pairs.length / 2) }
  for (let k = 0; k < pairs.length; k += 2) {
    for (const i of [pairs[k], pairs[k + 1]]) {
      if (endOf[i] >= 0) continue
      endOf[i] = packed.netns.length
      packed.netns.push(devNs[i].name)
      packed.device.push(devs[i].name)
    }
    packed.a[k / 2] = endOf[pairs[k]]
    packed.b[k / 2] = endOf[pairs[k + 1]]
  }
  return packed
}

function eventViews(cluster: Cluster | null, lang: Lang, from = 0): ControlEventView[] {
  if (!cluster) return []
  const log = cluster.events
  return log.slice(Math.max(from, log.length - EVENT_VIEW_LIMIT)).map((e) => ({ seq: e.seq, timeNs: e.timeNs, actor: e.actor, text: formatMessage(e.msg, e.params, lang), msg: e.msg, params: { ...e.params } }))
}

/** The whole topology (without seq-tracking): what getState and a fresh ViewTracker send. */
export function topologyView(world: World, cluster: Cluster | null, lang: Lang = 'en'): Topology {
  const spaces = visibleNamespaces(world)
  const idx = new ClusterIndex(cluster)
  const links = new Map<string, LinkView>()
  const order = orderOf(spaces)
  for (const ns of spaces) for (const l of vethLinksOf(ns, order)) if (!links.has(l.id)) links.set(l.id, l)
  return {
    mode: cluster ? cluster.mode : null,
    namespaces: spaces.map((ns) => netnsView(idx, ns)),
    links: [...links.values()],
    ...tunnelForm(null, vxlanTunnels(spaces)),
    events: eventViews(cluster, lang),
    eventCount: cluster?.events.length ?? 0,
  }
}

function historyView(session: LabSession): HistoryEntry[] {
  return session.history.map((h) => ({ line: h.run, atNs: secondsToNs(h.at) }))
}

/**
 * A cheap fingerprint of what a namespace's view shows (two 32-bit FNV-1a hashes over the device
 * fields, addresses, peers and ip_forward), so a reply in a 1,000-node lab rebuilds and sends only
 * the namespaces that changed. The VXLAN FDB versions feed the tunnels' fingerprint.
 */
class Fingerprint {
  a = 0x811c9dc5
  b = 0x01000193

  num(x: number): void {
    this.a = Math.imul(this.a ^ (x | 0), 0x01000193)
    this.b = Math.imul(this.b ^ ((x / 0x1_0000_0000) | 0), 0x5bd1e995) ^ (x | 0)
  }

  str(s: string): void {
    for (let i = 0; i < s.length; i++) this.num(s.charCodeAt(i))
    this.num(-1)
  }

  get value(): string {
    return `${(this.a >>> 0).toString(36)}.${(this.b >>> 0).toString(36)}`
  }
}

function netnsFingerprint(ns: Netns, idx: ClusterIndex): string {
  const f = new Fingerprint()
  f.str(idx.role(ns.name))
  f.str(idx.node(ns.name) ?? '')
  f.num(ns.sysctl.ipForward ? 1 : 0)
  for (const d of ns.devices.values()) {
    f.num(d.ifindex)
    f.str(d.name)
    f.str(d.kind)
    f.num(d.mac)
    f.num(d.mtu)
    f.num((d.adminUp ? 1 : 0) | (d.running ? 2 : 0))
    f.str(d.operState)
    for (const a of d.inet) {
      f.num(a.local)
      f.num(a.prefixLen)
    }
    f.str(d.master?.name ?? '')
    if (d instanceof VethDevice && d.peer) {
      f.str(d.peer.netns.name)
      f.str(d.peer.name)
    }
    f.num(-2)
  }
  return f.value
}

/**
 * What the renderer was last sent, so the next reply can carry only what changed: each visible
 * namespace's fingerprint (and the Netns object, since a namespace deleted and made again under
 * the same name moves to the end of the list), links, tunnels, history and the event count.
 */
export class ViewTracker {
  private seq = 0
  private spaces = new Map<string, string>()
  /** The order the renderer lists the named namespaces in (the host's always goes first). */
  private order: string[] = []
  private links = new Map<string, LinkView>()
  private linksOf = new Map<string, string[]>()
  /** How many visible namespaces list each pair (1 when one end is hidden, else 2). */
  private linkEnds = new Map<string, number>()
  /** The tunnels last sent (compared only when the tunnels' fingerprint moves). */
  private tunnels: PackedTunnels = { netns: [], device: [], a: new Uint32Array(0), b: new Uint32Array(0) }
  private tunnelPrint = ''
  private history: HistoryEntry[] = []
  private eventCount = 0
  /** The event log the renderer's events came from (a rebuilt lab has a new one). */
  private eventLog: unknown = null
  /** The session's layout revision last sent (LabDelta.layout goes only when it moved on). */
  private layoutRev = -1
  /** The last full state's namespaces, until settle works out what the next delta needs of them. */
  private pending: { spaces: readonly Netns[]; idx: ClusterIndex } | null = null

  constructor(private readonly lang: Lang = 'en') {}

  /**
   * The whole state; the next delta is relative to it. What only the next delta needs (each
   * namespace's fingerprint, the veth pairs by namespace) is worked out by settle: at once, or
   * with `settleNow` false when the host calls settle itself right after it posted the reply and
   * before anything can change the lab (the Worker and the lab thread: the page reads the reply
   * meanwhile). delta and the next request settle first in any case.
   */
  full(session: LabSession, path?: string, settleNow = true): LabState {
    const world = session.world
    const idx = new ClusterIndex(session.cluster)
    const spaces = visibleNamespaces(world)
    const views = namespaceViews(spaces, idx)
    this.pending = { spaces, idx }
    const tunnels = vxlanTunnels(spaces)
    this.tunnels = tunnels
    this.tunnelPrint = tunnelFingerprint(spaces)
    this.history = historyView(session)
    const cluster = session.cluster
    this.eventCount = cluster?.events.length ?? 0
    this.eventLog = cluster?.events ?? null
    const topology: Topology = {
      mode: cluster ? cluster.mode : null,
      namespaces: views.namespaces,
      ...(views.packed && { packedNamespaces: views.packed }),
      links: views.links,
      ...tunnelForm(null, tunnels),
      events: eventViews(cluster, this.lang),
      eventCount: this.eventCount,
    }
    const s: LabState = {
      seq: ++this.seq,
      name: session.doc.metadata.name,
      dirty: session.dirty,
      canUndo: session.canUndo,
      canRedo: session.canRedo,
      history: this.history,
      timeNs: world.sched.now,
      topology,
    }
    if (session.doc.metadata.description !== undefined) s.description = session.doc.metadata.description
    if (path !== undefined) s.path = path
    if (session.doc.exercise) s.exercise = session.doc.exercise.id
    if (session.layout) s.layout = session.layout
    this.layoutRev = session.layoutRev
    if (settleNow) this.settle()
    return s
  }

  /** Whether the last full state's bookkeeping is still to be worked out (settle). */
  get unsettled(): boolean {
    return this.pending !== null
  }

  /**
   * Works out what the next delta compares against, for the namespaces of the last full state:
   * their fingerprints, their order, and which veth pairs each lists. Must run before the lab
   * changes after that state was made; does nothing when there is nothing pending.
   */
  settle(): void {
    const p = this.pending
    if (!p) return
    this.pending = null
    const { spaces, idx } = p
    this.spaces = new Map(spaces.map((ns) => [ns.name, netnsFingerprint(ns, idx)]))
    this.order = spaces.map((ns) => ns.name).filter((n) => n !== '')
    this.links = new Map()
    this.linksOf = new Map()
    this.linkEnds = new Map()
    const order = orderOf(spaces)
    for (const ns of spaces) {
      const ls = vethLinksOf(ns, order)
      this.linksOf.set(ns.name, ls.map((l) => l.id))
      for (const l of ls) {
        this.linkEnds.set(l.id, (this.linkEnds.get(l.id) ?? 0) + 1)
        if (!this.links.has(l.id)) this.links.set(l.id, l)
      }
    }
  }

  /** What changed since the last full state or delta. */
  delta(session: LabSession, path?: string): LabDelta {
    this.settle()
    const world = session.world
    const cluster = session.cluster
    const idx = new ClusterIndex(cluster)
    const spaces = visibleNamespaces(world)
    const base = this.seq
    const remove: string[] = []
    const set: NetnsView[] = []
    const changedNames: string[] = []
    const now = new Map<string, { ns: Netns; print: string }>()
    const moved = this.movedNamespaces(spaces)
    for (const ns of spaces) {
      const print = netnsFingerprint(ns, idx)
      now.set(ns.name, { ns, print })
      const was = this.spaces.get(ns.name)
      if (moved.has(ns.name)) remove.push(ns.name)
      if (was === undefined || was !== print || moved.has(ns.name)) {
        set.push(netnsView(idx, ns))
        changedNames.push(ns.name)
      }
    }
    for (const name of this.spaces.keys()) {
      if (!now.has(name)) {
        remove.push(name)
        changedNames.push(name)
      }
    }
    this.spaces = new Map([...now].map(([name, v]) => [name, v.print]))
    this.order = spaces.map((ns) => ns.name).filter((n) => n !== '')
    const links = this.linkChanges(changedNames, now, orderOf(spaces))
    const tunnels = this.tunnelChanges(spaces)
    const history = historyView(session)
    let keep = 0
    while (keep < history.length && keep < this.history.length && history[keep].line === this.history[keep].line && history[keep].atNs === this.history[keep].atNs) keep++
    this.history = history
    const count = cluster?.events.length ?? 0
    const log = cluster?.events ?? null
    const events: LabDelta['events'] =
      log !== this.eventLog ? { reset: true, append: eventViews(cluster, this.lang), count } : { append: count > this.eventCount ? eventViews(cluster, this.lang, this.eventCount) : [], count }
    this.eventCount = count
    this.eventLog = log
    const d: LabDelta = {
      base,
      seq: ++this.seq,
      name: session.doc.metadata.name,
      dirty: session.dirty,
      canUndo: session.canUndo,
      canRedo: session.canRedo,
      timeNs: world.sched.now,
      mode: cluster ? cluster.mode : null,
      history: { keep, append: history.slice(keep) },
      namespaces: { remove, set },
      links,
      tunnels,
      events,
    }
    if (session.doc.metadata.description !== undefined) d.description = session.doc.metadata.description
    if (path !== undefined) d.path = path
    if (session.doc.exercise) d.exercise = session.doc.exercise.id
    if (session.layoutRev !== this.layoutRev) d.layout = session.layout ?? null
    this.layoutRev = session.layoutRev
    return d
  }

  /**
   * Namespaces that are no longer where the renderer lists them (one deleted and made again under
   * the same name goes to the end): applying a delta keeps the others in place and appends the new,
   * so those are sent as removed and set again, in the lab's order.
   */
  private movedNamespaces(spaces: readonly Netns[]): Set<string> {
    const prev = new Map(this.order.map((n, i) => [n, i]))
    const moved = new Set<string>()
    let last = -1
    let appending = false
    for (const ns of spaces) {
      if (ns.name === '') continue
      const i = prev.get(ns.name)
      if (i === undefined) appending = true
      else if (appending || i < last) {
        moved.add(ns.name)
        appending = true
      } else last = i
    }
    return moved
  }

  /** Veth pairs of the namespaces that changed, against those sent before (a pair lives while an end lists it). */
  private linkChanges(changed: readonly string[], now: Map<string, { ns: Netns }>, order: ReadonlyMap<string, number>): LabDelta['links'] {
    // What the renderer has for each pair touched here (undefined: it has none).
    const before = new Map<string, LinkView | undefined>()
    const touch = (id: string): void => {
      if (!before.has(id)) before.set(id, this.links.get(id))
    }
    for (const name of changed) {
      for (const id of this.linksOf.get(name) ?? []) {
        touch(id)
        this.linkEnds.set(id, (this.linkEnds.get(id) ?? 1) - 1)
      }
      const cur = now.get(name)
      const ls = cur ? vethLinksOf(cur.ns, order) : []
      if (cur) this.linksOf.set(name, ls.map((l) => l.id))
      else this.linksOf.delete(name)
      for (const l of ls) {
        touch(l.id)
        this.linkEnds.set(l.id, (this.linkEnds.get(l.id) ?? 0) + 1)
        this.links.set(l.id, l)
      }
    }
    const remove: string[] = []
    const set: LinkView[] = []
    for (const [id, was] of before) {
      if ((this.linkEnds.get(id) ?? 0) <= 0) {
        this.linkEnds.delete(id)
        this.links.delete(id)
        if (was) remove.push(id)
        continue
      }
      const l = this.links.get(id)!
      if (was && (was.a.netns !== l.a.netns || was.a.device !== l.a.device)) remove.push(id)
      if (!was || was.a.netns !== l.a.netns || was.a.device !== l.a.device) set.push(l)
    }
    return { remove, set }
  }

  private tunnelChanges(spaces: readonly Netns[]): LabDelta['tunnels'] {
    const print = tunnelFingerprint(spaces)
    if (print === this.tunnelPrint) return { remove: [], set: [] }
    this.tunnelPrint = print
    const next = vxlanTunnels(spaces)
    const changes = tunnelChanges(this.tunnels, next)
    this.tunnels = next
    return changes
  }
}

/** What the tunnels depend on: the VXLAN devices with their FDB versions, and every address. */
function tunnelFingerprint(spaces: readonly Netns[]): string {
  const f = new Fingerprint()
  for (const ns of spaces) {
    for (const d of ns.devices.values()) {
      if (d instanceof VxlanDevice) {
        f.str(`${ns.name}/${d.name}`)
        f.num(d.cfg.vni)
        f.num(d.fdbVersion)
      }
      if (!d.isLoopback) for (const a of d.inet) f.num(a.local)
    }
    f.num(-3)
  }
  return f.value
}
