import { formatIpv4 } from '../engine/addr/ipv4.ts'
import { formatMac } from '../engine/addr/mac.ts'
import { BridgeDevice } from '../engine/kernel/bridge.ts'
import type { NetDevice } from '../engine/kernel/device.ts'
import { Nud } from '../engine/kernel/neigh.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { VethDevice } from '../engine/kernel/veth.ts'
import { VxlanDevice } from '../engine/kernel/vxlan.ts'
import type { World } from '../engine/kernel/world.ts'

/**
 * A lab's configuration as plain data: what a saved lab must reproduce when it is replayed. "The
 * live lab equals its replay" means equal snapshots: the same clock, namespaces, devices (name,
 * kind, MAC, MTU, admin state, master, veth peer, VXLAN settings), addresses, routes of every
 * table, permanent neighbour entries, static FDB entries and sysctls. Learned state (dynamic
 * neighbours, learned FDB entries, counters, route exceptions) is not configuration.
 */
export interface ConfigSnapshot {
  clockNs: number
  namespaces: NetnsConfig[]
}

export interface NetnsConfig {
  /** '' for the host's own namespace. */
  name: string
  devices: DeviceConfig[]
  routes: RouteConfig[]
  neighbours: NeighConfig[]
  fdb: FdbConfig[]
  /** The sysctls that differ from a fresh namespace's. */
  sysctls: Record<string, string>
}

export interface DeviceConfig {
  name: string
  ifindex: number
  kind: string
  mac: string
  mtu: number
  up: boolean
  txqlen: number
  promisc: boolean
  alias: string | null
  master: string | null
  peer: { netns: string; name: string } | null
  vxlan: { vni: number; local: string; remote: string; lower: string | null; dstport: number; learning: boolean; ttl: number; srcPorts: [number, number]; ageing: number } | null
  addresses: { local: string; prefixLen: number; broadcast: string; scope: number; label: string; secondary: boolean }[]
}

export interface RouteConfig {
  table: number
  type: number
  dst: string
  tos: number
  metric: number
  protocol: number
  scope: number
  prefsrc: string
  gateway: string
  dev: string | null
  onlink: boolean
  mtu: number
}

export interface NeighConfig {
  dev: string
  ip: string
  mac: string | null
  state: number
  router: boolean
}

export interface FdbConfig {
  dev: string
  mac: string
  /** 'master': a bridge's entry for this port; 'self': the device's own table. */
  where: 'master' | 'self'
  state: string
  remotes?: { ip: string; port: number; vni: number }[]
}

/** The configuration snapshot of a World (see ConfigSnapshot). */
export function configSnapshot(world: World): ConfigSnapshot {
  return { clockNs: world.sched.now, namespaces: [world.root, ...world.namespaces.values()].map(netnsConfig) }
}

function netnsConfig(ns: Netns): NetnsConfig {
  const devices = ns.deviceList()
  return {
    name: ns.name,
    devices: devices.map(deviceConfig),
    routes: [...ns.tables.values()].flatMap((t) =>
      t.routes().map((r) => ({
        table: r.table,
        type: r.type,
        dst: `${formatIpv4(r.dst)}/${r.len}`,
        tos: r.tos,
        metric: r.priority,
        protocol: r.protocol,
        scope: r.scope,
        prefsrc: formatIpv4(r.prefsrc),
        gateway: formatIpv4(r.gateway),
        dev: r.dev?.name ?? null,
        onlink: r.onlink,
        mtu: r.mtu,
      })),
    ),
    neighbours: ns.neigh
      .entries()
      .filter((n) => (n.state & (Nud.Permanent | Nud.Noarp)) !== 0)
      .map((n) => ({ dev: n.dev.name, ip: formatIpv4(n.ip), mac: n.mac === null ? null : formatMac(n.mac), state: n.state, router: n.isRouter })),
    fdb: devices.flatMap(fdbConfig),
    sysctls: ns.sysctl.changed(),
  }
}

function deviceConfig(d: NetDevice): DeviceConfig {
  const c = d instanceof VxlanDevice ? d.cfg : null
  return {
    name: d.name,
    ifindex: d.ifindex,
    kind: d.kind,
    mac: formatMac(d.mac),
    mtu: d.mtu,
    up: d.adminUp,
    txqlen: d.txQueueLen,
    promisc: d.userPromisc,
    alias: d.alias,
    master: d.master?.name ?? null,
    peer: d instanceof VethDevice && d.peer ? { netns: d.peer.netns.name, name: d.peer.name } : null,
    vxlan: c && { vni: c.vni, local: formatIpv4(c.local), remote: formatIpv4(c.remote), lower: c.lower?.name ?? null, dstport: c.dstport, learning: c.learning, ttl: c.ttl, srcPorts: [c.srcPortMin, c.srcPortMax], ageing: c.ageingSec },
    addresses: d.inet.map((a) => ({ local: formatIpv4(a.local), prefixLen: a.prefixLen, broadcast: formatIpv4(a.broadcast), scope: a.scope, label: a.label, secondary: a.secondary })),
  }
}

function fdbConfig(d: NetDevice): FdbConfig[] {
  const out: FdbConfig[] = []
  if (d instanceof BridgeDevice || d.master instanceof BridgeDevice) {
    const br = d instanceof BridgeDevice ? d : (d.master as BridgeDevice)
    const port = d instanceof BridgeDevice ? null : d
    for (const e of br.fdb.values()) if (e.port === port && e.isStatic) out.push({ dev: d.name, mac: formatMac(e.mac), where: 'master', state: e.local ? 'permanent' : 'static' })
  }
  if (d instanceof VxlanDevice) {
    for (const e of d.fdb.values()) {
      if (e.state === 'reachable') continue
      out.push({ dev: d.name, mac: formatMac(e.mac), where: 'self', state: e.state, remotes: e.remotes.map((r) => ({ ip: formatIpv4(r.ip), port: r.port, vni: r.vni })) })
    }
  }
  for (const m of d.uc) out.push({ dev: d.name, mac: formatMac(m), where: 'self', state: 'permanent' })
  return out.sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : a.dev < b.dev ? -1 : a.dev > b.dev ? 1 : 0))
}

/** Whether two snapshots describe the same configuration (and clock). */
export function sameConfig(a: ConfigSnapshot, b: ConfigSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
