import { describe, expect, it } from 'vitest'
import type { TraceView, Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { unpackValue } from '../../shared/tunnels.ts'
import { buildGraph, buildModel, deviceElement, ifId, nsId, type CanvasModel, type Graph } from './graph.ts'
import { adjacency, buildTrail, floodBranches, stepElement, traceNamespaces, trailHops, trailScene, traceWaypoints, type Trail, type Waypoint } from './trail.ts'

async function traced(from: string, to: string, opts: { nodes?: number; podsPerNode?: number; warm?: boolean } = {}): Promise<{ topo: Topology; graph: Graph; trace: TraceView; trail: Trail }> {
  const h = createHandlers(new LabService(null))
  const s = await h.newLab({ scenario: 'flannel-vxlan', nodes: opts.nodes, podsPerNode: opts.podsPerNode })
  const trace = await h.trace({ from, to, warm: opts.warm ?? false })
  const graph = buildGraph(s.topology)
  return { topo: s.topology, graph, trace, trail: buildTrail(s.topology, graph, trace.steps) }
}

/** Every line the trail draws runs along an edge of the graph. */
function expectOnlyRealEdges(graph: Graph, trail: Trail): void {
  const adj = adjacency(graph)
  const ids = new Set(graph.nodes.map((n) => n.id))
  trail.hops.forEach((hop, k) => {
    for (const id of hop.path) expect(ids.has(id), id).toBe(true)
    if (hop.kind !== 'link') return
    for (let i = 1; i < hop.path.length; i++) expect(adj.get(hop.path[i - 1])?.has(hop.path[i]), `hop ${k}: ${hop.path[i - 1]} - ${hop.path[i]}`).toBe(true)
  })
}

/** The pairs of elements the trail connects with a line, either way round. */
function drawnPairs(trail: Trail): Set<string> {
  const pairs = new Set<string>()
  for (const hop of trail.hops) {
    if (hop.kind !== 'link') continue
    for (let i = 1; i < hop.path.length; i++) pairs.add([hop.path[i - 1], hop.path[i]].sort().join(' '))
  }
  return pairs
}

describe('the trail of a trace', () => {
  it('follows links only: no line from pod1 across to pod2 after the ARP broadcast', async () => {
    const { graph, trace, trail } = await traced('pod1', 'pod4')
    expectOnlyRealEdges(graph, trail)
    expect(drawnPairs(trail).has([ifId('pod1', 'eth0'), ifId('pod2', 'eth0')].sort().join(' '))).toBe(false)
    // The walk does get to pod2 (the flooded ARP request) and back to pod1.
    expect(trail.waypoints.some((w) => w.id === ifId('pod2', 'eth0'))).toBe(true)
    expect(trail.waypoints.at(-1)?.id).toBe(ifId('pod1', 'eth0'))
    expect(trace.delivered).toBe(true)
  })

  it('marks the copies of a flooded broadcast that nobody answers', async () => {
    const { trace, trail } = await traced('pod1', 'pod4')
    const steps = trace.steps
    const { copies } = floodBranches(steps)
    const toPod = (pod: string, role: string) => steps.findIndex((s) => s.msg === 'step.veth' && s.params.peerNetns === pod && s.role === role)
    // node1's cbr0 floods the ARP request for the gateway to pod2: a copy. node2's cbr0 floods
    // the ARP request for pod4 to pod3 (a copy) and to pod4 (which answers: the packet's own way).
    expect(copies.has(toPod('pod2', 'arp'))).toBe(true)
    expect(copies.has(toPod('pod3', 'arp'))).toBe(true)
    expect(copies.has(toPod('pod4', 'arp'))).toBe(false)
    const ignored = steps.findIndex((s) => s.msg === 'arp.request_not_for_us' && s.netns === 'pod2')
    expect(copies.has(ignored)).toBe(true)
    // The request itself is never a copy.
    for (const i of copies) expect(steps[i].role).toBe('arp')
    const flooded = trail.waypoints.filter((w) => w.flood)
    expect(flooded.map((w) => w.id)).toContain(ifId('pod2', 'eth0'))
    expect(flooded.map((w) => w.id)).not.toContain(ifId('pod4', 'eth0'))
  })

  it('starts a copy from where that copy is: the bridge, not the port another copy left by', async () => {
    const { topo, trace } = await traced('pod1', 'pod4')
    const wps = traceWaypoints(topo, trace.steps)
    const cbr0 = ifId('node1', 'cbr0')
    // After flooding to pod2, node1's bridge passes its own copy up from cbr0 itself.
    const local = wps.find((w) => trace.steps[w.step].msg === 'bridge.local' && trace.steps[w.step].netns === 'node1')!
    expect(local.id).toBe(cbr0)
    expect(wps[local.from].id).toBe(cbr0)
    // A pod hears the flooded request where that copy arrived, however much happened in between.
    const heard = wps.find((w) => trace.steps[w.step].msg === 'arp.request_not_for_us' && trace.steps[w.step].netns === 'pod2')!
    expect(wps[heard.from].id).toBe(ifId('pod2', 'eth0'))
  })

  it('walks a VXLAN trace through the tunnel endpoints and across the underlay', async () => {
    const { topo, graph, trace, trail } = await traced('pod1', 'pod4', { warm: true })
    const wps = trail.waypoints
    // The route lookup happens in pod1 as a whole; the packet then leaves by its eth0.
    expect(wps[0]).toMatchObject({ id: nsId('pod1'), step: 0, role: 'request', from: -1, flood: false })
    expect(wps[1].id).toBe(ifId('pod1', 'eth0'))
    expect(wps.some((w) => w.id === ifId('node1', 'flannel.1') && w.role === 'tunnel')).toBe(true)
    expect(wps.some((w) => w.id === ifId('pod4', 'eth0'))).toBe(true)
    expectOnlyRealEdges(graph, trail)
    // Routing inside node1 hands the packet from cbr0 to flannel.1 without a link to draw.
    expect(trail.hops.some((h) => h.kind === 'inside' && h.path.join(' ') === `${ifId('node1', 'cbr0')} ${ifId('node1', 'flannel.1')}`)).toBe(true)
    // Bridge ports are links too, inside the namespace of their bridge.
    for (const [a, b] of [
      [ifId('node1', 'eth0'), ifId('underlay', 'to-node1')],
      [ifId('underlay', 'to-node1'), ifId('underlay', 'br0')],
      [ifId('underlay', 'br0'), ifId('underlay', 'to-node2')],
      [ifId('pod1', 'eth0'), ifId('node1', String(trace.steps.find((x) => x.msg === 'step.veth' && x.netns === 'pod1')!.params.peer))],
    ])
      expect(drawnPairs(trail).has([a, b].sort().join(' ')), `${a} - ${b}`).toBe(true)
    expect([...drawnPairs(trail)].some((p) => p.includes(ifId('node1', 'cbr0')))).toBe(true)
    const crossing = trace.steps.find((x) => x.msg === 'step.veth' && x.netns === 'pod1')!
    expect(stepElement(topo, crossing)).toBe(ifId('node1', String(crossing.params.peer)))
    expect(deviceElement(topo, 'nowhere', 'eth0')).toBe(nsId('nowhere'))
  })

  it('marks the tunnel hops with the VTEPs they run between, the inner packet going from one to the other', async () => {
    const { trace, trail } = await traced('pod1', 'pod4', { warm: true })
    const inTunnel = trail.waypoints.filter((w) => w.tunnel)
    // The request's tunnel (node1 -> node2), then the reply's (node2 -> node1).
    const there = inTunnel.filter((w) => w.tunnel!.a === ifId('node1', 'flannel.1'))
    const back = inTunnel.filter((w) => w.tunnel!.a === ifId('node2', 'flannel.1'))
    expect(there.length).toBeGreaterThan(3)
    expect(back.length).toBeGreaterThan(3)
    expect(there.every((w) => w.tunnel!.b === ifId('node2', 'flannel.1'))).toBe(true)
    expect(back.every((w) => w.tunnel!.b === ifId('node1', 'flannel.1'))).toBe(true)
    // Only steps of the outer packet, from the encapsulation to before the decapsulation; progress grows 0 -> 1.
    for (const w of inTunnel) expect(trace.steps[w.step].role).toBe('tunnel')
    const fr = there.map((w) => w.tunnel!.frac)
    expect(fr[0]).toBe(0)
    expect(fr[fr.length - 1]).toBe(1)
    expect([...fr].sort((x, y) => x - y)).toEqual(fr)
    const encap = trace.steps.findIndex((s) => s.kind === 'encap')
    expect(there[0].step).toBe(encap)
    expect(trail.waypoints.filter((w) => trace.steps[w.step].kind === 'decap').every((w) => !w.tunnel)).toBe(true)
  })

  it('follows the lanes of a grid and the flood of the underlay in a lab of 8 nodes', async () => {
    const { graph, trace, trail } = await traced('pod1', 'pod32', { nodes: 8, podsPerNode: 4 })
    expect(graph.rows).toBeGreaterThan(1)
    expect(trace.delivered).toBe(true)
    expectOnlyRealEdges(graph, trail)
    // The node network's ARP request reaches all other nodes; only node8 answers it.
    const copies = trail.waypoints.filter((w) => w.flood && w.id.startsWith('if:node'))
    expect(copies.length).toBeGreaterThan(0)
    expect(copies.some((w) => w.id === ifId('node8', 'eth0'))).toBe(false)
    expect(drawnPairs(trail).has([ifId('underlay', 'to-node8'), ifId('node8', 'eth0')].sort().join(' '))).toBe(true)
  })

  it('never joins places that are not linked: a short detour along edges, or no line', () => {
    const graph: Graph = {
      nodes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, label: id, classes: 'iface', ns: id === 'g' ? 'a' : id })),
      edges: [
        { id: 'ab', source: 'a', target: 'b', classes: 'veth' },
        { id: 'bc', source: 'b', target: 'c', classes: 'veth' },
        { id: 'de', source: 'd', target: 'e', classes: 'veth' },
      ],
    }
    const wp = (id: string, from: number): Waypoint => ({ id, step: 0, role: 'request', drop: false, flood: false, from })
    const wps = [wp('a', -1), wp('c', 0), wp('d', 1), wp('e', 2), wp('e', 3), wp('c', 1), wp('g', 0), wp('f', 3), wp('h', 0)]
    graph.nodes.push({ id: 'h', label: 'h', classes: 'iface', ns: 'a' })
    graph.edges.push({ id: 'ah', source: 'a', target: 'h', classes: 'port' })
    const hops = trailHops(graph, wps)
    expect(hops.map((h) => h.kind)).toEqual(['stay', 'link', 'jump', 'link', 'stay', 'jump', 'inside', 'jump', 'link'])
    expect(hops[1].path).toEqual(['a', 'b', 'c'])
    expect(hops[3].path).toEqual(['d', 'e'])
    expect(hops[7].path).toEqual(['f'])
  })
})

describe('the trail of a trace in a big cluster', () => {
  async function lab(nodes: number, podsPerNode: number, to: string): Promise<{ topo: Topology; trace: TraceView; model: CanvasModel; made: Set<string> }> {
    const h = createHandlers(new LabService(null))
    // As the page gets it: a big lab's namespaces come packed.
    const s = unpackValue(await h.newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode }))
    const trace = await h.trace({ from: 'pod1', to, warm: false })
    const model = buildModel(s.topology)
    // Which boxes have their elements asked for (a big cluster's node boxes make them then).
    const made = new Set<string>()
    for (const b of model.boxes) {
      const get = Object.getOwnPropertyDescriptor(b, 'children')?.get
      if (get) Object.defineProperty(b, 'children', { get: () => (made.add(b.ns), get.call(b)) })
    }
    return { topo: s.topology, trace, model, made }
  }

  const pinnedOf = (trace: TraceView): Set<string> => {
    const { copies } = floodBranches(trace.steps)
    return traceNamespaces(trace.steps.filter((_, i) => !copies.has(i)))
  }

  it('in a small lab finds the same hops as over every element, flooded copies included', async () => {
    const { topo, trace, model } = await lab(3, 2, 'pod6')
    const all = buildTrail(topo, model.full(), trace.steps)
    const shown = buildTrail(topo, trailScene(model, pinnedOf(trace), traceNamespaces(trace.steps)), trace.steps)
    expect(shown).toEqual(all)
    expect(all.hops.filter((h) => h.kind === 'link').length).toBeGreaterThan(10)
  })

  it('makes the elements of the boxes the packet passes through only, and finds the packet\'s hops as over every element', async () => {
    const { topo, trace, model, made } = await lab(30, 30, 'pod900')
    // The underlay's ARP broadcast reaches every node: too many boxes to make for a copy that goes nowhere.
    const reached = traceNamespaces(trace.steps)
    expect(model.boxes.filter((b) => b.role === 'node' && reached.has(b.ns))).toHaveLength(30)
    const pinned = pinnedOf(trace)
    const shown = buildTrail(topo, trailScene(model, pinned, reached), trace.steps)
    expect([...made].sort()).toEqual(['node1', 'node30'])
    const all = buildTrail(topo, model.full(), trace.steps)
    const { copies } = floodBranches(trace.steps)
    shown.waypoints.forEach((w, k) => {
      if (copies.has(w.step)) return
      expect(shown.hops[k], `waypoint ${k} (${w.id})`).toEqual(all.hops[k])
    })
    expect(shown.hops.filter((h) => h.kind === 'link').length).toBeGreaterThan(10)
  })
})
