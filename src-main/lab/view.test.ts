import { describe, expect, it } from 'vitest'
import type { DeviceView, LabState, LinkView, NetnsView } from '../../shared/api.ts'
import { applyDelta } from '../../shared/delta.ts'
import { PACK_NAMESPACES_ABOVE, packNamespaces, unpackNamespaces } from '../../shared/netns-pack.ts'
import { formatIpv4 } from '../engine/addr/ipv4.ts'
import { formatMac } from '../engine/addr/mac.ts'
import { VethDevice } from '../engine/kernel/veth.ts'
import { packTunnels, tunnelId, tunnelList } from '../../shared/tunnels.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { VxlanDevice } from '../engine/kernel/vxlan.ts'
import { LabSession, scenarioLab } from './session.ts'
import { ViewTracker } from './view.ts'

/** The tunnels as the view defines them, worked out the plain way (one search per remote). */
function reference(spaces: readonly Netns[]): LinkView[] {
  const byAddr = new Map<number, Netns>()
  for (const ns of spaces) for (const d of ns.devices.values()) if (!d.isLoopback) for (const a of d.inet) byAddr.set(a.local, ns)
  const out = new Map<string, LinkView>()
  for (const ns of spaces) {
    for (const d of ns.deviceList()) {
      if (!(d instanceof VxlanDevice)) continue
      for (const e of d.fdb.values()) {
        for (const r of e.remotes) {
          const other = byAddr.get(r.ip)
          if (!other || other === ns) continue
          const vni = r.vni < 0 ? d.cfg.vni : r.vni
          const peer = other.deviceList().find((x) => x instanceof VxlanDevice && x.cfg.vni === vni)
          if (!peer) continue
          const a = { netns: ns.name, device: d.name }
          const b = { netns: other.name, device: peer.name }
          const id = tunnelId(a, b)
          if (!out.has(id)) out.set(id, { id, a, b })
        }
      }
    }
  }
  return [...out.values()]
}

describe('the view of VXLAN tunnels', () => {
  it('lists each configured pair once, in the order met, the end whose FDB names the other first', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan', 5, 1))
    // A second VXLAN device of another VNI in two nodes, one naming the other: one more tunnel, one way.
    for (const line of ['ip -n node2 link add vx9 type vxlan id 9 dstport 4789 dev eth0', 'ip -n node4 link add vx9 type vxlan id 9 dstport 4789 dev eth0', 'bridge fdb append 00:00:00:00:00:00 dev vx9 dst 192.168.0.12 self']) {
      expect(s.exec(line.startsWith('bridge') ? `ip netns exec node4 ${line}` : line).exitCode).toBe(0)
    }
    const tunnels = new ViewTracker().full(s).topology.tunnels!
    const spaces = [...s.world.namespaces.values()]
    expect(tunnels).toEqual(reference(spaces))
    expect(tunnels).toHaveLength(11)
    expect(tunnels.at(-1)).toEqual({ id: 'vxlan:node2/vx9|node4/vx9', a: { netns: 'node4', device: 'vx9' }, b: { netns: 'node2', device: 'vx9' } })
    expect(packTunnels(tunnels)).not.toBeNull()
  })

  it('a big mesh\'s tunnels are packed in the state, the same tunnels in the same order; a change sends only the tunnels that went or came', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan', 48, 1))
    const tracker = new ViewTracker()
    const topo = tracker.full(s).topology
    expect(topo.tunnels).toBeUndefined()
    expect(topo.packedTunnels!.a).toHaveLength((48 * 47) / 2)
    const spaces = [...s.world.namespaces.values()]
    expect(tunnelList(topo)).toEqual(reference(spaces))
    // node5's VXLAN device gone (its 47 tunnels go), a VXLAN device of another VNI in node2 and node4, one naming the other (one tunnel comes).
    for (const line of ['ip -n node5 link del flannel.1', 'ip -n node2 link add vx9 type vxlan id 9 dstport 4789 dev eth0', 'ip -n node4 link add vx9 type vxlan id 9 dstport 4789 dev eth0', 'ip netns exec node4 bridge fdb append 00:00:00:00:00:00 dev vx9 dst 192.168.0.12 self']) {
      expect(s.exec(line).exitCode).toBe(0)
    }
    const d = tracker.delta(s)
    expect(d.tunnels.set).toEqual([{ id: 'vxlan:node2/vx9|node4/vx9', a: { netns: 'node4', device: 'vx9' }, b: { netns: 'node2', device: 'vx9' } }])
    expect(d.tunnels.remove).toHaveLength(47)
    expect(d.tunnels.remove.every((id) => id.includes('node5/flannel.1'))).toBe(true)
    const after = tracker.full(s).topology
    expect(tunnelList(after)).toEqual(reference([...s.world.namespaces.values()]))
  })
})

/**
 * The namespaces and veth pairs as the view defines them, made the plain way: an object per
 * namespace and device, each namespace's pairs with their ids, kept in a map where first met.
 */
function referenceViews(s: LabSession): { namespaces: NetnsView[]; links: LinkView[] } {
  const world = s.world
  const spaces = [...world.namespaces.values()]
  if (world.root.deviceList().some((d) => !d.isLoopback)) spaces.unshift(world.root)
  const order = new Map(spaces.map((ns, i) => [ns.name, i]))
  const podNode = new Map<string, string>()
  for (const n of s.cluster?.nodes.values() ?? []) for (const p of n.pods.keys()) podNode.set(p, n.name)
  const links = new Map<string, LinkView>()
  const namespaces = spaces.map((ns, i): NetnsView => {
    const role = s.cluster?.roles.get(ns.name) ?? 'other'
    const devices = ns.deviceList().map((d): DeviceView => {
      const v: DeviceView = { name: d.name, ifindex: d.ifindex, kind: d.kind, mac: formatMac(d.mac), mtu: d.mtu, up: d.adminUp, carrier: d.running, operState: d.operState, addresses: d.inet.map((a) => `${formatIpv4(a.local)}/${a.prefixLen}`) }
      if (d.master) v.master = d.master.name
      if (d instanceof VethDevice && d.peer) {
        v.peer = { netns: d.peer.netns.name, device: d.peer.name }
        const here = { netns: ns.name, device: d.name }
        const there = { netns: d.peer.netns.name, device: d.peer.name }
        const [x, y] = [`${here.netns}/${here.device}`, `${there.netns}/${there.device}`]
        const id = x < y ? `${x}|${y}` : `${y}|${x}`
        const theirs = order.get(there.netns) ?? Infinity
        const hereFirst = i < theirs || (i === theirs && d.ifindex < d.peer.ifindex)
        if (!links.has(id)) links.set(id, { id, a: hereFirst ? here : there, b: hereFirst ? there : here })
      }
      return v
    })
    const v: NetnsView = { name: ns.name, role, devices, ipForward: ns.sysctl.ipForward }
    if (role === 'pod' && podNode.has(ns.name)) v.node = podNode.get(ns.name)
    return v
  })
  return { namespaces, links: [...links.values()] }
}

/** A lab with veth pairs of every kind: in one namespace, to the host's namespace, and two made in one namespace and moved apart. */
function withPairs(nodes: number, pods: number): LabSession {
  const s = new LabSession(scenarioLab('flannel-vxlan', nodes, pods))
  for (const line of ['ip -n node2 link add va type veth peer name vb', 'ip link add h0 type veth peer name p0 netns pod1', 'ip netns add zz', 'ip -n node2 link add vc type veth peer name vd', 'ip -n node2 link set vc netns zz', 'ip -n zz link set vc up']) {
    expect(s.exec(line).exitCode, line).toBe(0)
  }
  return s
}

/** A state as the page holds it: a big lab's namespaces unpacked. */
function unpacked(state: LabState): LabState {
  const { packedNamespaces, ...topology } = state.topology
  return { ...state, topology: { ...topology, namespaces: packedNamespaces ? unpackNamespaces(packedNamespaces) : topology.namespaces } }
}

describe('the view of namespaces and veth pairs', () => {
  it('a small lab: the namespaces as objects and the pairs, as made the plain way', () => {
    const s = withPairs(4, 2)
    const topo = new ViewTracker().full(s).topology
    const ref = referenceViews(s)
    expect(topo.packedNamespaces).toBeUndefined()
    expect(topo.namespaces).toEqual(ref.namespaces)
    expect(topo.links).toEqual(ref.links)
    expect(topo.links.map((l) => l.id)).toEqual(expect.arrayContaining(['node2/va|node2/vb', '/h0|pod1/p0', 'node2/vd|zz/vc']))
  })

  it('a lab of more than PACK_NAMESPACES_ABOVE namespaces: packed as packNamespaces packs the plain views', () => {
    const s = withPairs(25, 20)
    const state = new ViewTracker().full(s)
    const ref = referenceViews(s)
    expect(ref.namespaces.length).toBeGreaterThan(PACK_NAMESPACES_ABOVE)
    expect(state.topology.namespaces).toEqual([])
    expect(state.topology.packedNamespaces).toEqual(packNamespaces(ref.namespaces))
    expect(unpacked(state).topology.namespaces).toEqual(ref.namespaces)
    expect(state.topology.links).toEqual(ref.links)
  })

  it('a state settled after it was made gives the same deltas as one settled at once', () => {
    for (const [nodes, pods] of [
      [3, 2],
      [25, 20],
    ]) {
      const now = withPairs(nodes, pods)
      const later = withPairs(nodes, pods)
      const a = new ViewTracker()
      const b = new ViewTracker()
      let sa = unpacked(a.full(now))
      let sb = unpacked(b.full(later, undefined, false))
      expect(b.unsettled).toBe(true)
      expect(sb).toEqual(sa)
      b.settle()
      expect(b.unsettled).toBe(false)
      for (const line of ['ip -n node2 link set va up', 'ip -n node1 link set eth0 mtu 1400', 'ip -n zz link del vc', 'podnet pod add pod-x --node node3', 'ip link del h0']) {
        for (const s of [now, later]) expect(s.exec(line).exitCode, line).toBe(0)
        const da = a.delta(now)
        expect(b.delta(later)).toEqual(da)
        sa = applyDelta(sa, da)!
        sb = applyDelta(sb, da)!
        expect(sb).toEqual(sa)
        // Pairs are a set: a delta appends new ones where a whole state lists them in the lab's order.
        const norm = (x: LabState): LabState => ({ ...x, seq: 0, topology: { ...x.topology, links: [...x.topology.links].sort((p, q) => (p.id < q.id ? -1 : 1)) } })
        expect(norm(sa)).toEqual(norm(unpacked(new ViewTracker().full(now))))
      }
    }
  })

  it('a delta settles what is pending first: nothing changed is nothing sent', () => {
    const s = withPairs(3, 2)
    const t = new ViewTracker()
    t.full(s, undefined, false)
    const d = t.delta(s)
    expect(t.unsettled).toBe(false)
    expect(d.namespaces).toEqual({ remove: [], set: [] })
    expect(d.links).toEqual({ remove: [], set: [] })
  })
})
