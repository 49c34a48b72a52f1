import { describe, expect, it } from 'vitest'
import type { Topology } from '../../shared/api.ts'
// Real engine output for every scenario (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildGraph, deviceElement, ifId, nsId, stepElement, traceWaypoints } from './graph.ts'

async function topology(scenario: string): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  return (await h.newLab({ scenario })).topology
}

describe('buildGraph', () => {
  for (const scenario of ['same-node', 'routed', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw', 'host-gw-behind-router', 'vxlan-behind-router']) {
    it(`draws every namespace of ${scenario} with consistent elements`, async () => {
      const topo = await topology(scenario)
      const g = buildGraph(topo)
      const ids = new Set(g.nodes.map((n) => n.id))
      expect(ids.size).toBe(g.nodes.length)
      for (const n of topo.namespaces) expect(ids.has(nsId(n.name)), n.name).toBe(true)
      for (const n of g.nodes) if (n.parent) expect(ids.has(n.parent), `${n.id} parent`).toBe(true)
      // Boxes come before their children, as Cytoscape needs parents first.
      const seen = new Set<string>()
      for (const n of g.nodes) {
        if (n.parent) expect(seen.has(n.parent)).toBe(true)
        seen.add(n.id)
      }
      for (const e of g.edges) {
        expect(ids.has(e.source), `${e.id} source`).toBe(true)
        expect(ids.has(e.target), `${e.id} target`).toBe(true)
      }
      expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length)
      // Leaves have positions; no two leaves share one.
      const spots = g.nodes.filter((n) => n.position).map((n) => `${n.position!.x},${n.position!.y}`)
      expect(new Set(spots).size).toBe(spots.length)
    })
  }

  it('nests pods in their node box and draws their interfaces as labels', async () => {
    const topo = await topology('flannel-vxlan')
    const g = buildGraph(topo)
    const pod1 = g.nodes.find((n) => n.id === nsId('pod1'))!
    expect(pod1.parent).toBe(nsId('node1'))
    expect(pod1.classes).toBe('pod')
    expect(pod1.label).toBe('pod1\neth0 10.244.1.2')
    expect(g.nodes.some((n) => n.id === ifId('pod1', 'eth0'))).toBe(false)
    const flannel = g.nodes.find((n) => n.id === ifId('node1', 'flannel.1'))!
    expect(flannel).toMatchObject({ parent: nsId('node1'), classes: 'iface kind-vxlan', label: 'flannel.1\n10.244.1.0/32' })
    expect(g.nodes.find((n) => n.id === nsId('underlay'))?.label).toBe('underlay  (L2 switch)')
    expect(g.edges.filter((e) => e.classes === 'tunnel')).toHaveLength(1)
    expect(g.edges.filter((e) => e.classes === 'port').length).toBeGreaterThanOrEqual(6)
  })

  it('marks down devices and their links', async () => {
    const h = createHandlers(new LabService(null))
    await h.newLab({ scenario: 'same-node' })
    const s = (await h.edit({ type: 'setLink', netns: 'pod1', device: 'eth0', up: false })).state
    const g = buildGraph(s.topology)
    expect(g.nodes.find((n) => n.id === nsId('pod1'))?.classes).toBe('pod down')
    const veth = s.topology.namespaces.find((n) => n.name === 'pod1')!.devices.find((d) => d.name === 'eth0')!.peer!
    expect(g.nodes.find((n) => n.id === ifId('node1', veth.device))?.classes).toContain('nocarrier')
    expect(g.edges.find((e) => e.id.startsWith('veth:') && (e.source === nsId('pod1') || e.target === nsId('pod1')))?.classes).toBe('veth down')
  })

  it('lays out namespaces made by commands in their own row', async () => {
    const h = createHandlers(new LabService(null))
    await h.exec({ line: 'ip netns add red' })
    await h.exec({ line: 'ip netns add blue' })
    const s = (await h.exec({ line: 'ip link add veth-r netns red type veth peer name veth-b netns blue' })).state
    const g = buildGraph(s.topology)
    expect(g.nodes.find((n) => n.id === nsId('red'))?.classes).toBe('box role-other')
    expect(g.edges).toHaveLength(1)
    expect(new Set([g.edges[0].source, g.edges[0].target])).toEqual(new Set([ifId('red', 'veth-r'), ifId('blue', 'veth-b')]))
    // New veth ends start down, as in Linux.
    expect(g.edges[0].classes).toBe('veth down')
  })
})

describe('trace geometry', () => {
  it('walks a VXLAN trace through the tunnel endpoints', async () => {
    const h = createHandlers(new LabService(null))
    const s = await h.newLab({ scenario: 'flannel-vxlan' })
    const t = await h.trace({ from: 'pod1', to: 'pod4', warm: true })
    const wps = traceWaypoints(s.topology, t.steps)
    expect(wps[0]).toMatchObject({ id: nsId('pod1'), step: 0, role: 'request' })
    expect(wps.some((w) => w.id === ifId('node1', 'flannel.1') && w.role === 'tunnel')).toBe(true)
    expect(wps.some((w) => w.id === nsId('pod4'))).toBe(true)
    const ids = new Set(buildGraph(s.topology).nodes.map((n) => n.id))
    for (const w of wps) expect(ids.has(w.id), w.id).toBe(true)
    const crossing = t.steps.find((x) => x.msg === 'step.veth' && x.netns === 'pod1')!
    expect(stepElement(s.topology, crossing)).toBe(ifId('node1', String(crossing.params.peer)))
    expect(deviceElement(s.topology, 'nowhere', 'eth0')).toBe(nsId('nowhere'))
  })
})
