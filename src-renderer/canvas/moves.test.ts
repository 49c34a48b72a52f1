import { describe, expect, it } from 'vitest'
import type { Point, Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildModel, ifId, nsId, type CanvasModel } from './graph.ts'
import { droppedPositions, movedPositions, placement } from './moves.ts'

async function topology(scenario: string): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  return (await h.newLab({ scenario })).topology
}

/** A scenario's topology after a command. */
async function built(scenario: string, line: string): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  await h.newLab({ scenario })
  await h.exec({ line })
  return (await h.getState()).topology
}

/** Where an element is drawn in the model's full graph. */
function at(model: CanvasModel, id: string): Point {
  const n = model.full().nodes.find((x) => x.id === id)
  if (!n?.position) throw new Error(`no position for ${id}`)
  return n.position
}

describe('positions the user chose', () => {
  it('move a node with everything in it, and leave the others where they were', async () => {
    const topo = await topology('routed')
    const auto = buildModel(topo)
    const node1 = auto.places.get('node1')!
    const moved = buildModel(topo, undefined, { positions: { node1: { x: node1.x + 300, y: node1.y - 1000 } } })
    for (const id of [ifId('node1', 'eth0'), ifId('node1', 'cbr0'), nsId('pod1'), ifId('pod1', 'eth0')]) {
      expect(at(moved, id)).toEqual({ x: at(auto, id).x + 300, y: at(auto, id).y - 1000 })
    }
    expect(at(moved, nsId('pod3'))).toEqual(at(auto, nsId('pod3')))
    expect(moved.places.get('node1')).toEqual({ x: node1.x + 300, y: node1.y - 1000 })
    // The box's bounds and the whole drawing's extent follow.
    expect(moved.boxOf.get(nsId('node1'))!.bounds.y1).toBeCloseTo(auto.boxOf.get(nsId('node1'))!.bounds.y1 - 1000)
    expect(moved.extent.y1).toBeLessThan(auto.extent.y1 - 800)
  })

  it('place a pod relative to its node, so it goes with its node', async () => {
    const topo = await topology('routed')
    const auto = buildModel(topo)
    const pod1 = auto.places.get('pod1')!
    expect(pod1.node).toBe('node1')
    const p = { pod1: { x: pod1.x + 40, y: pod1.y + 90 } }
    const m1 = buildModel(topo, undefined, { positions: p })
    expect(at(m1, nsId('pod1'))).toEqual({ x: at(auto, nsId('pod1')).x + 40, y: at(auto, nsId('pod1')).y + 90 })
    expect(at(m1, ifId('pod1', 'eth0'))).toEqual({ x: at(auto, ifId('pod1', 'eth0')).x + 40, y: at(auto, ifId('pod1', 'eth0')).y + 90 })
    // The host end of its veth stays in the node where it was.
    const hostEnd = auto.boxOf.get(nsId('node1'))!.children.find((c) => c.dev?.startsWith('veth'))!
    expect(at(m1, hostEnd.id)).toEqual(hostEnd.position)
    const node1 = auto.places.get('node1')!
    const m2 = buildModel(topo, undefined, { positions: { ...p, node1: { x: node1.x - 500, y: node1.y } } })
    expect(at(m2, nsId('pod1'))).toEqual({ x: at(m1, nsId('pod1')).x - 500, y: at(m1, nsId('pod1')).y })
  })

  it('move a switch with its ports, and ignore names that are not in the lab', async () => {
    const topo = await topology('routed')
    const auto = buildModel(topo)
    const sw = auto.places.get('underlay')!
    const m = buildModel(topo, undefined, { positions: { underlay: { x: sw.x, y: sw.y - 200 }, ghost: { x: 1, y: 2 } } })
    const port = auto.boxOf.get(nsId('underlay'))!.children[0]
    expect(at(m, port.id)).toEqual({ x: port.position!.x, y: port.position!.y - 200 })
    expect(m.places.has('ghost')).toBe(false)
  })

  it('a drag sets the new position in layout terms; the first one pins every box', async () => {
    const topo = await topology('routed')
    const model = buildModel(topo)
    const first = movedPositions(model, [{ ns: 'node2', by: { x: 10, y: -20 } }], {})
    const n2 = model.places.get('node2')!
    expect(first.node2).toEqual({ x: Math.round((n2.x + 10) * 10) / 10, y: Math.round((n2.y - 20) * 10) / 10 })
    expect(Object.keys(first).sort()).toEqual(['node1', 'node2', 'underlay'])
    // Pods are not pinned: they go with their node.
    expect(first.pod1).toBeUndefined()
    const pinned = buildModel(topo, undefined, { positions: first })
    const next = movedPositions(pinned, [{ ns: 'pod1', by: { x: 5, y: 5 } }, { ns: 'nosuch', by: { x: 1, y: 1 } }], first)
    expect(Object.keys(next)).toEqual(['pod1'])
    expect(next.pod1).toEqual({ x: model.places.get('pod1')!.x + 5, y: model.places.get('pod1')!.y + 5 })
    // Pinned where they were drawn: nothing moves but node2 and the switch port over its uplink.
    const withNode2 = (id: string): boolean => model.boxOf.get(id)?.ns === 'node2' || model.boxOf.get(id)?.peers.get(id) === 'node2'
    for (const n of model.full().nodes) if (n.position && !withNode2(n.id)) expect(at(pinned, n.id), n.id).toEqual(n.position)
  })

  it('an item dropped from the palette goes where it was let go, the rest pinned where drawn', async () => {
    const topo = await topology('routed')
    const model = buildModel(topo)
    // A switch on a lab laid out automatically pins every box.
    const sw = droppedPositions(model, { type: 'addSwitch', name: 'sw1' }, { x: 900.04, y: -300 }, {})!
    expect(Object.keys(sw).sort()).toEqual(['node1', 'node2', 'sw1', 'underlay'])
    // On a lab already arranged, only the new item; a node's box has its uplink under the pointer.
    const node = droppedPositions(model, { type: 'addNode', name: 'node3' }, { x: 50, y: 60 }, { node1: { x: 0, y: 0 } })!
    expect(Object.keys(node)).toEqual(['node3'])
    expect(node.node3.x).toBeLessThan(50)
    expect(node.node3.y).toBeLessThan(60)
    // A node dropped on the switch hangs below it, at the pointer's x where that is free...
    const free = droppedPositions(model, { type: 'addWiredNode', name: 'node3', wire: 'underlay' }, { x: 3000, y: 0 }, { node1: { x: 0, y: 0 } })!
    expect(free.node3.y).toBeGreaterThan(model.boxOf.get(nsId('underlay'))!.bounds.y2)
    expect(free.node3.x).toBe(node.node3.x + 2950)
    // ... else right of the nodes hanging there, so it stands beside them, not under them.
    const wired = droppedPositions(model, { type: 'addWiredNode', name: 'node3', wire: 'underlay' }, { x: 300, y: 0 }, { node1: { x: 0, y: 0 } })!
    expect(wired.node3.y).toBe(free.node3.y)
    expect(wired.node3.x).toBeGreaterThan(model.boxOf.get(nsId('node2'))!.bounds.x2 + 100)
    expect(wired.node3.x).toBeLessThan(model.boxOf.get(nsId('node2'))!.bounds.x2 + 300)
    // Drawn where it was let go: the new switch's bridge is under the pointer.
    const withSw = buildModel(await built('routed', 'podnet switch add sw1'), undefined, { positions: sw })
    expect(at(withSw, ifId('sw1', 'br0'))).toEqual({ x: 900, y: -300 })
    const r = droppedPositions(model, { type: 'addRouter', name: 'r1' }, { x: 10, y: 20 }, { node1: { x: 0, y: 0 } })!
    expect(buildModel(await built('routed', 'podnet router add r1'), undefined, { positions: r }).loose.find((n) => n.ns === 'r1')?.position).toEqual({ x: 10, y: 20 })
    // A pod takes its node's next place in the pod row; a bridge goes inside its namespace.
    expect(droppedPositions(model, { type: 'addPod', name: 'pod9', node: 'node1' }, { x: 0, y: 0 }, {})).toBeNull()
    expect(droppedPositions(model, { type: 'addBridge', netns: 'node1', name: 'br0' }, { x: 0, y: 0 }, {})).toBeNull()
  })

  it('a drag is a drag even when other namespaces changed beside it; a new namespace is an addition', async () => {
    const before = (await topology('routed')).namespaces
    // A new list of the same names, pod1's view changed beside the drag.
    const changed = (await built('routed', 'ip netns exec pod1 ip link set lo down')).namespaces
    expect(changed).not.toBe(before)
    expect(changed.find((n) => n.name === 'pod1')).not.toEqual(before.find((n) => n.name === 'pod1'))
    expect(changed.map((n) => n.name)).toEqual(before.map((n) => n.name))
    expect(placement(true, changed, before)).toBe('moved')
    expect(placement(true, before, before)).toBe('moved')
    expect(placement(false, changed, before)).toBeNull()
    const added = (await built('routed', 'podnet router add r1')).namespaces
    expect(placement(true, added, before)).toBe('added')
    expect(placement(true, before, undefined)).toBe('added')
  })
})
