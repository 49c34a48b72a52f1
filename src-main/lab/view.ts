import { EVENT_VIEW_LIMIT, type ControlEventView, type DeviceView, type LabState, type LinkView, type NetnsView, type NsRole, type Topology } from '../../shared/api.ts'
import { formatMessage, type Lang } from '../../shared/messages/index.ts'
import { formatIpv4 } from '../engine/addr/ipv4.ts'
import { formatMac } from '../engine/addr/mac.ts'
import { run } from '../engine/commands/index.ts'
import type { NetDevice } from '../engine/kernel/device.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { VethDevice } from '../engine/kernel/veth.ts'
import { VxlanDevice } from '../engine/kernel/vxlan.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { secondsToNs } from './format.ts'
import type { LabSession } from './session.ts'

/**
 * The lab as the editor sees it: plain, structured-clone-safe data built from the running World.
 * Tables are the very lines the terminal prints (read-only commands, no simulated time), so a
 * panel and `ip route` in the terminal never disagree.
 */

/** A read-only command in one namespace: stdout lines without iproute2's trailing spaces. */
function lines(world: World, ns: Netns, line: string): string[] {
  const r = run(world, line, ns, 0)
  if (r.exitCode !== 0) return []
  return r.stdout.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '')
}

/** Multicast `self` entries (33:33:..., 01:00:5e:...) are kernel bookkeeping, not forwarding state. */
function isMulticastLine(l: string): boolean {
  const first = parseInt(l.slice(0, 2), 16)
  return Number.isFinite(first) && (first & 1) === 1
}

/** FDB lines of bridges (entries with `master`) and of VXLAN devices, as `bridge fdb show` prints them. */
function fdbLines(world: World, ns: Netns): string[] {
  const vxlans = new Set(ns.deviceList().filter((d) => d.kind === 'vxlan').map((d) => d.name))
  return lines(world, ns, 'bridge fdb show').filter((l) => {
    if (isMulticastLine(l)) return false
    if (/ master \S+/.test(l)) return true
    const dev = / dev (\S+)/.exec(l)?.[1]
    return dev !== undefined && vxlans.has(dev)
  })
}

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

function roleOf(cluster: Cluster | null, name: string): NsRole {
  return cluster?.roles.get(name) ?? 'other'
}

/** `ip route show` in one namespace, as the view lists it. */
export function routeLines(world: World, ns: Netns): string[] {
  return lines(world, ns, 'ip route show')
}

function netnsView(world: World, cluster: Cluster | null, ns: Netns): NetnsView {
  const role = roleOf(cluster, ns.name)
  const v: NetnsView = {
    name: ns.name,
    role,
    devices: ns.deviceList().map(deviceView),
    routes: routeLines(world, ns),
    neighbours: lines(world, ns, 'ip neigh show'),
    fdb: fdbLines(world, ns),
    ipForward: ns.sysctl.ipForward,
  }
  if (role === 'pod') {
    const node = cluster?.podNode(ns.name)
    if (node) v.node = node.name
  }
  return v
}

/** The namespaces a view shows: every named one, and the host's only when something was built there. */
function visibleNamespaces(world: World): Netns[] {
  const out = [...world.namespaces.values()]
  if (world.root.deviceList().some((d) => !d.isLoopback)) out.unshift(world.root)
  return out
}

/** Each veth pair once, named by its ends in a stable order. */
function vethLinks(spaces: readonly Netns[]): LinkView[] {
  const seen = new Set<string>()
  const out: LinkView[] = []
  for (const ns of spaces) {
    for (const d of ns.deviceList()) {
      if (!(d instanceof VethDevice) || !d.peer) continue
      const a = `${ns.name}/${d.name}`
      const b = `${d.peer.netns.name}/${d.peer.name}`
      const id = a < b ? `${a}|${b}` : `${b}|${a}`
      if (seen.has(id)) continue
      seen.add(id)
      out.push({ id, a: { netns: ns.name, device: d.name }, b: { netns: d.peer.netns.name, device: d.peer.name } })
    }
  }
  return out
}

/**
 * VXLAN tunnels as configured (not as used): a VXLAN device's FDB remote that is an address of
 * another namespace holding a VXLAN device with the same VNI. Each pair once.
 */
function vxlanTunnels(spaces: readonly Netns[]): LinkView[] {
  const byAddr = new Map<number, Netns>()
  for (const ns of spaces) for (const d of ns.deviceList()) if (!d.isLoopback) for (const a of d.inet) byAddr.set(a.local, ns)
  const seen = new Set<string>()
  const out: LinkView[] = []
  for (const ns of spaces) {
    for (const d of ns.deviceList()) {
      if (!(d instanceof VxlanDevice)) continue
      for (const e of d.fdb.values()) {
        for (const r of e.remotes) {
          const other = byAddr.get(r.ip)
          if (!other || other === ns) continue
          const vni = r.vni < 0 ? d.cfg.vni : r.vni
          const peer = other.deviceList().find((x): x is VxlanDevice => x instanceof VxlanDevice && x.cfg.vni === vni)
          if (!peer) continue
          const a = `${ns.name}/${d.name}`
          const b = `${other.name}/${peer.name}`
          const id = a < b ? `vxlan:${a}|${b}` : `vxlan:${b}|${a}`
          if (seen.has(id)) continue
          seen.add(id)
          out.push({ id, a: { netns: ns.name, device: d.name }, b: { netns: other.name, device: peer.name } })
        }
      }
    }
  }
  return out
}

function eventViews(cluster: Cluster | null, lang: Lang): ControlEventView[] {
  if (!cluster) return []
  const list = cluster.events.list
  return list.slice(Math.max(0, list.length - EVENT_VIEW_LIMIT)).map((e) => ({ seq: e.seq, timeNs: e.timeNs, actor: e.actor, text: formatMessage(e.msg, e.params, lang), msg: e.msg, params: { ...e.params } }))
}

export function topologyView(world: World, cluster: Cluster | null, lang: Lang = 'en'): Topology {
  const spaces = visibleNamespaces(world)
  return {
    mode: cluster ? cluster.mode : null,
    namespaces: spaces.map((ns) => netnsView(world, cluster, ns)),
    links: vethLinks(spaces),
    tunnels: vxlanTunnels(spaces),
    events: eventViews(cluster, lang),
    eventCount: cluster?.events.list.length ?? 0,
  }
}

/** The whole state the editor renders after every call. */
export function labStateView(session: LabSession, opts: { path?: string; lang?: Lang } = {}): LabState {
  const s: LabState = {
    name: session.doc.metadata.name,
    dirty: session.dirty,
    canUndo: session.canUndo,
    canRedo: session.canRedo,
    history: session.history.map((h) => ({ line: h.run, atNs: secondsToNs(h.at) })),
    timeNs: session.world.sched.now,
    topology: topologyView(session.world, session.cluster, opts.lang),
  }
  if (session.doc.metadata.description !== undefined) s.description = session.doc.metadata.description
  if (opts.path !== undefined) s.path = opts.path
  if (session.doc.exercise) s.exercise = session.doc.exercise.id
  return s
}
