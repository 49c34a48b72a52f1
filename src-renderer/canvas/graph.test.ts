import { describe, expect, it } from 'vitest'
import type { Topology } from '../../shared/api.ts'
import { packTunnels } from '../../shared/tunnels.ts'
// Real engine output for every scenario (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildGraph, ifId, MAX_TUNNELS_DRAWN, nsId, podColumns, type Graph, type GraphNode } from './graph.ts'
import { planGrid } from './layout.ts'

async function topology(scenario: string, nodes?: number, podsPerNode?: number): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  return (await h.newLab({ scenario, nodes, podsPerNode })).topology
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

  it('nests node ⊃ pod ⊃ interface, joins the pod\'s eth0 to its host end, and draws each kind of device its own way', async () => {
    const topo = await topology('flannel-vxlan')
    const g = buildGraph(topo)
    const at = new Map(g.nodes.map((n) => [n.id, n]))
    const pod1 = at.get(nsId('pod1'))!
    expect(pod1).toMatchObject({ parent: nsId('node1'), classes: 'pod', label: 'pod1\n10.244.1.2' })
    const eth0 = at.get(ifId('pod1', 'eth0'))!
    expect(eth0).toMatchObject({ parent: nsId('pod1'), classes: 'iface kind-veth dev-veth', label: 'eth0' })
    const host = topo.namespaces.find((n) => n.name === 'pod1')!.devices.find((d) => d.name === 'eth0')!.peer!
    const veth = g.edges.find((e) => e.id.startsWith('veth:') && [e.source, e.target].includes(eth0.id))!
    expect([veth.source, veth.target].sort()).toEqual([eth0.id, ifId('node1', host.device)].sort())
    expect(at.get(ifId('node1', host.device))?.classes).toBe('iface kind-veth dev-veth')
    // The node's uplink is a network card, cbr0 a bridge, flannel.1 a VXLAN device, the switch's ends ports.
    expect(at.get(ifId('node1', 'eth0'))?.classes).toBe('iface kind-veth dev-nic')
    expect(at.get(ifId('node1', 'cbr0'))?.classes).toBe('iface kind-bridge dev-bridge')
    expect(at.get(ifId('node1', 'flannel.1'))).toMatchObject({ parent: nsId('node1'), classes: 'iface kind-vxlan dev-vxlan', label: 'flannel.1\n10.244.1.0/32' })
    expect(at.get(ifId('underlay', 'to-node1'))?.classes).toBe('iface kind-veth dev-port')
    expect(at.get(nsId('underlay'))?.label).toBe('underlay  (L2 switch)')
    expect(g.edges.filter((e) => e.classes === 'tunnel')).toHaveLength(1)
    // A node's bridge ports share a bus; the underlay's fan out from its bridge.
    expect(g.edges.filter((e) => e.classes === 'port bus')).toHaveLength(4)
    expect(g.edges.filter((e) => e.classes === 'port')).toHaveLength(2)
  })

  it('marks down devices and their links', async () => {
    const h = createHandlers(new LabService(null))
    await h.newLab({ scenario: 'same-node' })
    await h.edit({ type: 'setLink', netns: 'pod1', device: 'eth0', up: false })
    const s = await h.getState()
    const g = buildGraph(s.topology)
    expect(g.nodes.find((n) => n.id === nsId('pod1'))?.classes).toBe('pod down')
    const veth = s.topology.namespaces.find((n) => n.name === 'pod1')!.devices.find((d) => d.name === 'eth0')!.peer!
    expect(g.nodes.find((n) => n.id === ifId('node1', veth.device))?.classes).toContain('nocarrier')
    expect(g.edges.find((e) => e.id.startsWith('veth:') && (e.source === ifId('pod1', 'eth0') || e.target === ifId('pod1', 'eth0')))?.classes).toBe('veth down')
  })

  it('lays out namespaces made by commands in their own row', async () => {
    const h = createHandlers(new LabService(null))
    await h.exec({ line: 'ip netns add red' })
    await h.exec({ line: 'ip netns add blue' })
    await h.exec({ line: 'ip link add veth-r netns red type veth peer name veth-b netns blue' })
    const s = await h.getState()
    const g = buildGraph(s.topology)
    expect(g.nodes.find((n) => n.id === nsId('red'))?.classes).toBe('box role-other')
    expect(g.edges).toHaveLength(1)
    expect(new Set([g.edges[0].source, g.edges[0].target])).toEqual(new Set([ifId('red', 'veth-r'), ifId('blue', 'veth-b')]))
    // New veth ends start down, as in Linux.
    expect(g.edges[0].classes).toBe('veth down')
  })
})

interface Rect {
  x1: number
  y1: number
  x2: number
  y2: number
}

/** Half sizes of leaves as the stylesheet draws them, a little generous. */
function halfSize(n: GraphNode): { w: number; h: number } {
  if (n.classes.startsWith('pod')) return { w: 53, h: 30 }
  if (n.classes.includes('dev-bridge')) return { w: 18, h: 11 }
  return { w: 12, h: 11 }
}

/** Where each node box is drawn: its children, the box padding (18) and its name underneath. */
function nodeBoxes(g: Graph): Map<string, Rect> {
  const boxes = new Map<string, Rect>()
  for (const n of g.nodes) {
    if (!n.parent?.startsWith('ns:') || !n.position || !g.nodes.find((b) => b.id === n.parent)?.classes.includes('role-node')) continue
    const { w, h } = halfSize(n)
    const r = boxes.get(n.parent) ?? { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity }
    boxes.set(n.parent, { x1: Math.min(r.x1, n.position.x - w), y1: Math.min(r.y1, n.position.y - h), x2: Math.max(r.x2, n.position.x + w), y2: Math.max(r.y2, n.position.y + h) })
  }
  for (const [id, r] of boxes) boxes.set(id, { x1: r.x1 - 18, y1: r.y1 - 18, x2: r.x2 + 18, y2: r.y2 + 18 + 24 })
  return boxes
}

const overlaps = (a: Rect, b: Rect): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2

describe('grid layout of node boxes', () => {
  it('keeps up to four nodes in one row and puts more in several', () => {
    for (const n of [1, 2, 3, 4]) expect(planGrid(new Array<number>(n).fill(244)).rows, `${n} nodes`).toBe(1)
    expect(planGrid(new Array<number>(8).fill(488)).rows).toBeGreaterThan(1)
    const big = planGrid(new Array<number>(100).fill(244))
    expect(big.rows).toBeGreaterThan(4)
    expect(big.cols).toBeGreaterThan(4)
    expect(big.cells.map((c) => `${c.row},${c.col}`)).toHaveLength(new Set(big.cells.map((c) => `${c.row},${c.col}`)).size)
  })

  for (const [n, pods] of [
    [1, 2],
    [3, 2],
    [8, 4],
    [16, 2],
    [100, 2],
    [12, 30],
  ] as const) {
    it(`lays out ${n} nodes x ${pods} pods without overlapping boxes, and the underlay reaches every node around them`, async () => {
      const topo = await topology('flannel-vxlan', n, pods)
      const g = buildGraph(topo)
      const boxes = nodeBoxes(g)
      expect(boxes.size).toBe(n)
      const rects = [...boxes.values()]
      for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j]), `boxes ${i} and ${j}`).toBe(false)
      const rows = new Set(rects.map((r) => Math.round(r.y1)))
      expect(rows.size).toBe(g.rows)
      if (n <= 3) expect(g.rows).toBe(1)
      if (n >= 8) expect(g.rows).toBeGreaterThan(1)
      // The grid is about as wide as the canvas, not one long row.
      const width = Math.max(...rects.map((r) => r.x2)) - Math.min(...rects.map((r) => r.x1))
      const height = Math.max(...rects.map((r) => r.y2)) - Math.min(...rects.map((r) => r.y1))
      if (n >= 8) expect(width / height).toBeLessThan(4)

      // Each underlay link runs straight down to the first row, or down a lane and across to its
      // uplink: neither part may pass through a node box other than its own.
      const at = new Map(g.nodes.map((x) => [x.id, x]))
      const links = g.edges.filter((e) => e.source.startsWith('if:underlay/') && e.classes.startsWith('veth'))
      expect(links).toHaveLength(n)
      for (const e of links) {
        const port = at.get(e.source)!.position!
        const uplink = at.get(e.target)!.position!
        const own = boxes.get(at.get(e.target)!.parent!)!
        const down: Rect = { x1: port.x - 1, y1: port.y + 10, x2: port.x + 1, y2: uplink.y - 12 }
        const across: Rect = { x1: Math.min(port.x, uplink.x), y1: uplink.y - 1, x2: Math.max(port.x, uplink.x), y2: uplink.y + 1 }
        if (e.classes.includes('lane')) expect(port.x).toBeLessThan(own.x1)
        else expect(port.x).toBe(uplink.x)
        for (const r of rects) {
          if (r === own) continue
          expect(overlaps(down, r), `${e.id} down`).toBe(false)
          expect(overlaps(across, r), `${e.id} across`).toBe(false)
        }
      }
      // Port names never collide: side by side, 60 apart at least; in a grid they run down their lane, one line.
      const ports = g.nodes.filter((x) => x.parent === nsId('underlay') && x.dev !== 'br0')
      for (const a of ports) {
        if (a.classes.includes('infra-port')) expect(a.label).not.toContain('\n')
        for (const b of ports) if (a !== b) expect(Math.abs(a.position!.x - b.position!.x), `${a.id} ${b.id}`).toBeGreaterThanOrEqual(a.classes.includes('infra-port') ? 40 : 60)
      }
    })
  }

  it('puts a node\'s pods in one row up to 20, in rows of an even number beyond (a box closer to square), each under its bridge port', async () => {
    expect([1, 2, 20].map(podColumns)).toEqual([1, 2, 20])
    expect(podColumns(30)).toBe(10)
    expect(podColumns(250) % 2).toBe(0)
    for (const pods of [20, 30]) {
      const topo = await topology('flannel-vxlan', 2, pods)
      const g = buildGraph(topo)
      const at = new Map(g.nodes.map((n) => [n.id, n]))
      const podBoxes = g.nodes.filter((n) => n.parent === nsId('node1') && n.classes.startsWith('pod'))
      expect(podBoxes).toHaveLength(pods)
      const rows = new Set(podBoxes.map((p) => p.position!.y))
      expect(rows.size).toBe(pods === 20 ? 1 : 3)
      // No two pods overlap (their boxes, 104 x 58, with the name inside).
      for (const a of podBoxes) for (const b of podBoxes) if (a !== b) expect(Math.abs(a.position!.x - b.position!.x) >= 104 || Math.abs(a.position!.y - b.position!.y) >= 58, `${a.id} ${b.id}`).toBe(true)
      const cbr0 = at.get(ifId('node1', 'cbr0'))!.position!
      for (const p of podBoxes) {
        // The pod's eth0 is joined to its host end straight above it, below the bridge; the host end is on the bridge's bus.
        const eth0 = at.get(ifId(p.ns, 'eth0'))!
        const veth = g.edges.find((e) => e.id.startsWith('veth:') && (e.source === eth0.id || e.target === eth0.id))!
        const host = at.get(veth.source === eth0.id ? veth.target : veth.source)!
        expect(host.parent).toBe(nsId('node1'))
        expect(host.position!.x).toBe(eth0.position!.x)
        expect(host.position!.y).toBeLessThan(eth0.position!.y)
        expect(host.position!.y).toBeGreaterThan(cbr0.y)
        expect(g.edges.some((e) => e.classes === 'port bus' && e.source === host.id && e.target === ifId('node1', 'cbr0'))).toBe(true)
        // A lower row's host ends sit below the row above's pods, clear of them.
        for (const q of podBoxes) if (q.position!.y < p.position!.y) expect(host.position!.y - 7).toBeGreaterThan(q.position!.y + 29)
      }
      const box = nodeBoxes(g).get(nsId('node1'))!
      const ratio = (box.x2 - box.x1) / (box.y2 - box.y1)
      if (pods === 30) expect(ratio).toBeLessThan(3)
      else expect(ratio).toBeGreaterThan(6)
    }
  })

  it('draws all tunnels of a small lab, and only the selected node\'s in a grid', async () => {
    const small = buildGraph(await topology('flannel-vxlan', 3, 2))
    expect(small.tunnels).toEqual({ total: 3, drawn: 3, node: null })
    const topo = await topology('flannel-vxlan', 8, 4)
    const big = buildGraph(topo)
    expect(big.tunnels).toEqual({ total: 28, drawn: 0, node: null })
    expect(big.edges.some((e) => e.classes === 'tunnel')).toBe(false)
    const focused = buildGraph(topo, undefined, { focus: 'pod5' })
    expect(focused.tunnels).toEqual({ total: 28, drawn: 7, node: 'node2' })
    for (const e of focused.edges.filter((x) => x.classes === 'tunnel')) expect([e.source, e.target]).toContain(ifId('node2', 'flannel.1'))
    // The same elements either way: selecting a node adds edges, it moves no box.
    expect(focused.nodes).toEqual(big.nodes)
    expect(MAX_TUNNELS_DRAWN).toBeGreaterThanOrEqual(3)
  })

  it('draws the same from tunnels packed as from their objects (a big lab\'s state keeps them packed)', async () => {
    const topo = await topology('flannel-vxlan', 8, 4)
    const packed: Topology = { ...topo, tunnels: undefined, packedTunnels: packTunnels(topo.tunnels!)! }
    for (const focus of [null, 'pod5', 'node7']) expect(buildGraph(packed, undefined, { focus })).toEqual(buildGraph(topo, undefined, { focus }))
    const small = await topology('flannel-vxlan', 3, 2)
    expect(buildGraph({ ...small, tunnels: undefined, packedTunnels: packTunnels(small.tunnels!)! })).toEqual(buildGraph(small))
  })
})

describe('an underlay built by hand', () => {
  it('puts each switch over its own nodes, a router joining them above, and unwired ones aside: no two boxes overlap', async () => {
    const h = createHandlers(new LabService(null))
    await h.newLab({ scenario: 'empty' })
    for (const line of ['podnet switch add lan1', 'podnet switch add lan2', 'podnet router add r1', 'podnet link add r1 lan1', 'podnet link add r1 lan2', 'podnet node add node1 --switch lan1', 'podnet node add node2 --switch lan2', 'podnet node add node3 --switch lan1', 'podnet pod add pod1 --node node1', 'podnet pod add pod2 --node node2', 'podnet node add node4 --unwired', 'podnet switch add lan3', 'podnet router add r2']) {
      expect((await h.exec({ line })).exitCode, line).toBe(0)
    }
    const g = buildGraph((await h.getState()).topology)
    // Every box (namespace) as the rectangle its children cover, or its own leaf.
    const rects = new Map<string, Rect>()
    for (const n of g.nodes) {
      if (!n.position) continue
      const id = n.parent ?? n.id
      if (n.parent && !id.startsWith('ns:')) continue
      const { w, h: hh } = halfSize(n)
      const r = rects.get(id) ?? { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity }
      rects.set(id, { x1: Math.min(r.x1, n.position.x - w), y1: Math.min(r.y1, n.position.y - hh), x2: Math.max(r.x2, n.position.x + w), y2: Math.max(r.y2, n.position.y + hh) })
    }
    // Pods sit inside their nodes; every other pair of top-level boxes must be apart.
    const top = [...rects].filter(([id]) => !id.startsWith('ns:pod'))
    expect(top.map(([id]) => id).sort()).toEqual(['lan1', 'lan2', 'lan3', 'node1', 'node2', 'node3', 'node4', 'r1', 'r2'].map(nsId).sort())
    for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) expect(overlaps(top[i][1], top[j][1]), `${top[i][0]} and ${top[j][0]}`).toBe(false)
    const x = (id: string) => (rects.get(nsId(id))!.x1 + rects.get(nsId(id))!.x2) / 2
    // lan1's nodes come first, under lan1; lan2's after them; the router above both switches.
    expect(Math.abs(x('lan1') - (x('node1') + x('node3')) / 2)).toBeLessThan(60)
    expect(x('node2')).toBeGreaterThan(x('node3'))
    expect(rects.get(nsId('r1'))!.y2).toBeLessThan(Math.min(rects.get(nsId('lan1'))!.y1, rects.get(nsId('lan2'))!.y1))
    expect(rects.get(nsId('r1'))!.x1).toBeLessThan(x('lan1'))
    expect(rects.get(nsId('r1'))!.x2).toBeGreaterThan(rects.get(nsId('lan2'))!.x1)
  })
})
