import { describe, expect, it } from 'vitest'
import type { Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildModel, nsId, type BoxModel } from './graph.ts'
import { sceneFor } from './scene.ts'
import { halfSize } from './style.ts'

async function topology(scenario: string, nodes: number, podsPerNode: number): Promise<Topology> {
  return (await createHandlers(new LabService(null)).newLab({ scenario, nodes, podsPerNode })).topology
}

/** What a box's children cover (centres and half sizes), as the box's bounds are defined. */
function covered(b: BoxModel): { x1: number; y1: number; x2: number; y2: number } {
  const r = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity }
  for (const c of b.children) {
    const h = halfSize(c.classes)
    r.x1 = Math.min(r.x1, c.position!.x - h.w)
    r.y1 = Math.min(r.y1, c.position!.y - h.h)
    r.x2 = Math.max(r.x2, c.position!.x + h.w)
    r.y2 = Math.max(r.y2, c.position!.y + h.h)
  }
  return r
}

describe('node boxes whose elements are made when first drawn in full', () => {
  it('agree with their elements once made: bounds, count, pods, the box of each element, the veth pairs inside', async () => {
    const topo = await topology('flannel-vxlan', 9, 3)
    // A pod the user moved: its node is laid out in full at once, the others later.
    const model = buildModel(topo, undefined, { positions: { pod4: { x: 400, y: 120 } } })
    const nodes = model.boxes.filter((b) => b.role === 'node')
    expect(nodes).toHaveLength(9)
    for (const b of nodes) {
      const r = covered(b)
      for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(b.bounds[k], `${b.ns} ${k}`).toBeCloseTo(r[k], 6)
      expect(b.size).toBe(b.children.length)
      expect([...b.pods].sort()).toEqual(b.children.filter((c) => c.parent === b.id && c.ns !== b.ns).map((c) => c.ns).sort())
      for (const c of b.children) expect(model.boxOf.get(c.id), c.id).toBe(b)
      // Each pod's veth pair to its node is drawn inside the box.
      for (const p of b.pods) expect(b.edges.some((e) => e.id.startsWith('veth:') && (e.source.startsWith(`if:${p}/`) || e.target.startsWith(`if:${p}/`))), p).toBe(true)
    }
    // The moved pod is where the user put it (relative to its node), as the layout's places say.
    expect(model.places.get('pod4')).toMatchObject({ x: 400, y: 120, node: 'node2' })
    // Every element of the whole drawing has its box, and no veth pair is drawn twice.
    const all = model.full()
    const edgeIds = all.edges.map((e) => e.id)
    expect(new Set(edgeIds).size).toBe(edgeIds.length)
    for (const l of topo.links) expect(edgeIds.filter((id) => id === `veth:${l.id}`).length, l.id).toBe(1)
  })

  it('far out, a summary per node is drawn, and a box opened later draws the same elements as one opened first', async () => {
    const topo = await topology('flannel-vxlan', 12, 4)
    const a = buildModel(topo)
    const far = sceneFor(a, { zoom: 0.01, detail: false, extent: a.extent }, new Set())
    expect(far.graph.nodes.filter((n) => n.id.startsWith('ns:node'))).toHaveLength(12)
    const b = buildModel(topo)
    const box = (m: typeof a) => m.boxOf.get(nsId('node7'))!
    // Opened through the view (a) and asked for directly (b): the same elements and edges.
    const near = sceneFor(a, { zoom: 1, detail: true, extent: box(a).bounds }, new Set())
    expect(near.open.has(nsId('node7'))).toBe(true)
    expect(box(a).children).toEqual(box(b).children)
    expect(box(a).edges).toEqual(box(b).edges)
  })
})
