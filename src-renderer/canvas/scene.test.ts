import { beforeAll, describe, expect, it } from 'vitest'
import type { Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildModel, ifId, nsId, type Bounds, type CanvasModel, type Graph } from './graph.ts'
import { DETAIL_BUDGET, detailAt, DETAIL_ZOOM, OVERVIEW_ZOOM, sceneFor, type View } from './scene.ts'

async function topology(nodes: number, pods: number): Promise<Topology> {
  return (await createHandlers(new LabService(null)).newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode: pods })).topology
}

/** Every edge ends on a drawn element, every child's box is drawn before it, ids are unique. */
function expectConsistent(g: Graph): void {
  const ids = new Set<string>()
  for (const n of g.nodes) {
    expect(ids.has(n.id), `${n.id} twice`).toBe(false)
    if (n.parent) expect(ids.has(n.parent), `${n.id}: parent ${n.parent} first`).toBe(true)
    ids.add(n.id)
  }
  for (const e of g.edges) {
    expect(ids.has(e.source), `${e.id} source ${e.source}`).toBe(true)
    expect(ids.has(e.target), `${e.id} target ${e.target}`).toBe(true)
    expect(e.source).not.toBe(e.target)
  }
  expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length)
}

const centre = (b: Bounds) => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 })
/** The view a canvas of w x h pixels shows at `zoom`, centred on `c`. */
function viewAt(c: { x: number; y: number }, zoom: number, w = 1200, h = 600): View {
  return { zoom, detail: detailAt(zoom, false), extent: { x1: c.x - w / zoom / 2, y1: c.y - h / zoom / 2, x2: c.x + w / zoom / 2, y2: c.y + h / zoom / 2 } }
}

describe('level of detail', () => {
  let model: CanvasModel
  beforeAll(async () => {
    model = buildModel(await topology(40, 5))
  })

  it('without a view draws everything: the full graph', () => {
    const { graph, open } = sceneFor(model, null, new Set())
    expect(open.size).toBe(model.boxes.length)
    expect(graph).toEqual(model.full())
    expectConsistent(graph)
  })

  it('far out draws each node as one box with its pod count, edges joined to the boxes', () => {
    const { graph } = sceneFor(model, viewAt(centre(model.extent), 0.05), new Set())
    expectConsistent(graph)
    const node7 = graph.nodes.find((n) => n.id === nsId('node7'))!
    expect(node7.classes).toContain('collapsed')
    expect(node7.size!.w).toBeGreaterThan(5 * 100)
    // Pods and interfaces of nodes are not drawn; the box stands for them.
    expect(graph.nodes.some((n) => n.id === nsId('pod1') || n.id === ifId('node7', 'eth0'))).toBe(false)
    expect(graph.nodes.length).toBeLessThan(40 + 50)
    // The underlay's port toward node7 is joined to node7's box, once.
    const toBox = graph.edges.filter((e) => e.target === nsId('node7') || e.source === nsId('node7'))
    expect(toBox).toHaveLength(1)
    expect([toBox[0].source, toBox[0].target]).toContain(ifId('underlay', 'to-node7'))
    // Its text reads: the name, the address, the pods.
    const readable = sceneFor(model, viewAt(centre(model.extent), 0.2), new Set()).graph.nodes.find((n) => n.id === nsId('node7'))!
    expect(readable.label).toBe('node7\n192.168.0.17\n5 pods')
    // Too small for that: the name and the pod count alone, larger; smaller still, the name alone, larger again.
    const box = model.boxes.find((b) => b.ns === 'node7')!
    expect(box.far.label).toMatch(/^node7( {2}· {2}|\n)5 pods$/)
    expect(box.far.size!.font).toBeGreaterThan(readable.size!.font)
    const at = (zoom: number): string => sceneFor(model, viewAt(centre(model.extent), zoom), new Set()).graph.nodes.find((n) => n.id === nsId('node7'))!.label
    expect(at(9.5 / box.far.size!.font)).toBe(box.far.label)
    expect(box.name?.label).toBe('node7')
    expect(box.name!.size!.font).toBeGreaterThan(box.far.size!.font)
    expect(at(5 / box.far.size!.font)).toBe('node7')
    expect(node7.label).toBe(at(0.05))
  })

  it('opens the boxes in view at detail zoom, and only those', () => {
    const b = model.boxes.find((x) => x.ns === 'node12')!
    const { graph, open } = sceneFor(model, viewAt(centre(b.bounds), 0.8), new Set())
    expectConsistent(graph)
    expect(open.has(nsId('node12'))).toBe(true)
    expect(graph.nodes.find((n) => n.id === nsId('node12'))!.classes).not.toContain('collapsed')
    const inside = new Set(b.children.map((c) => c.id))
    expect(graph.nodes.filter((n) => inside.has(n.id))).toHaveLength(b.children.length)
    const openNodes = [...open].filter((id) => model.boxOf.get(id)?.role === 'node')
    expect(openNodes.length).toBeLessThan(8)
    for (const id of openNodes) {
      const r = model.boxOf.get(id)!.bounds
      const v = viewAt(centre(b.bounds), 0.8).extent
      const m = 0.08 * (v.x2 - v.x1)
      expect(r.x1 <= v.x2 + m && r.x2 >= v.x1 - m, id).toBe(true)
    }
  })

  it('keeps the number of elements in open boxes within its budget', () => {
    const all = sceneFor(model, { zoom: DETAIL_ZOOM, detail: true, extent: model.extent }, new Set())
    const inside = all.graph.nodes.filter((n) => n.parent && model.boxOf.get(n.parent)?.role === 'node').length
    expect(inside).toBeLessThanOrEqual(DETAIL_BUDGET)
  })

  it('always opens pinned namespaces (the selection, the trace), even far out', () => {
    const { graph, open } = sceneFor(model, viewAt(centre(model.extent), 0.05), new Set(['pod33']))
    expectConsistent(graph)
    expect([...open].filter((id) => model.boxOf.get(id)?.role === 'node')).toEqual([nsId('node7')])
    expect(graph.nodes.find((n) => n.id === nsId('pod33'))?.parent).toBe(nsId('node7'))
  })

  it('opens at one zoom and closes at a lower one, so the limit does not flicker', () => {
    expect(detailAt(DETAIL_ZOOM, false)).toBe(true)
    expect(detailAt((DETAIL_ZOOM + OVERVIEW_ZOOM) / 2, false)).toBe(false)
    expect(detailAt((DETAIL_ZOOM + OVERVIEW_ZOOM) / 2, true)).toBe(true)
    expect(detailAt(OVERVIEW_ZOOM * 0.99, true)).toBe(false)
  })
})

describe('a big underlay', () => {
  it('draws only the ports near the view, at its full size, and the ports of pinned nodes', async () => {
    const model = buildModel(await topology(130, 0))
    const underlay = model.boxes.find((b) => b.ns === 'underlay')!
    expect(underlay.cull).toBe(true)
    const node1 = model.boxes.find((b) => b.ns === 'node1')!
    const { graph } = sceneFor(model, viewAt(centre(node1.bounds), 1), new Set(['node130']))
    expectConsistent(graph)
    const ports = graph.nodes.filter((n) => n.parent === underlay.id && n.classes.startsWith('iface'))
    expect(ports.length).toBeLessThan(30)
    expect(ports.some((p) => p.id === ifId('underlay', 'to-node1'))).toBe(true)
    expect(ports.some((p) => p.id === ifId('underlay', 'to-node130'))).toBe(true)
    expect(ports.some((p) => p.id === ifId('underlay', 'br0'))).toBe(true)
    // Invisible corners keep the box as wide as all its ports.
    const anchors = graph.nodes.filter((n) => n.parent === underlay.id && n.classes === 'anchor')
    expect(anchors.map((a) => a.position)).toEqual([
      { x: underlay.bounds.x1, y: underlay.bounds.y1 },
      { x: underlay.bounds.x2, y: underlay.bounds.y2 },
    ])
  })

  it('far out draws none of its ports but those of pinned nodes, and no lanes to the others', async () => {
    const model = buildModel(await topology(130, 0))
    const underlay = model.boxes.find((b) => b.ns === 'underlay')!
    const node1 = model.boxes.find((b) => b.ns === 'node1')!
    const far = viewAt(centre(node1.bounds), OVERVIEW_ZOOM / 2)
    expect(far.detail).toBe(false)
    const { graph } = sceneFor(model, far, new Set(['node130']))
    expectConsistent(graph)
    const ports = graph.nodes.filter((n) => n.parent === underlay.id && n.classes.startsWith('iface')).map((n) => n.id)
    expect(ports.sort()).toEqual([ifId('underlay', 'br0'), ifId('underlay', 'to-node130')].sort())
    // The box keeps its size; every node is still drawn, as a summary.
    expect(graph.nodes.filter((n) => n.parent === underlay.id && n.classes === 'anchor')).toHaveLength(2)
    for (let i = 1; i <= 130; i++) expect(graph.nodes.some((n) => n.id === nsId(`node${i}`))).toBe(true)
    const lanes = graph.edges.filter((e) => e.source.startsWith(ifId('underlay', '')) || e.target.startsWith(ifId('underlay', '')))
    expect(lanes.length).toBeLessThanOrEqual(2)
    // A pinned pod opens its node, which keeps its port and its lane.
    const withPods = buildModel(await topology(130, 1))
    const pod = (await topology(130, 1)).namespaces.find((n) => n.role === 'pod' && n.node === 'node7')!.name
    const byPod = sceneFor(withPods, far, new Set([pod])).graph
    expectConsistent(byPod)
    const port = ifId('underlay', 'to-node7')
    expect(byPod.nodes.some((n) => n.id === port)).toBe(true)
    expect(byPod.edges.some((e) => e.source === port || e.target === port)).toBe(true)
    // Zoomed in on the same spot, the ports near the view come back.
    const near = sceneFor(model, viewAt(centre(node1.bounds), 1), new Set()).graph
    expect(near.nodes.some((n) => n.id === ifId('underlay', 'to-node1'))).toBe(true)
  })
})
