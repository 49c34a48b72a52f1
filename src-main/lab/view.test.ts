import { describe, expect, it } from 'vitest'
import type { LinkView } from '../../shared/api.ts'
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
