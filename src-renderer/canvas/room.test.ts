import { describe, expect, it } from 'vitest'
import type { Point, Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildModel, ifId, nsId, type Bounds, type CanvasModel } from './graph.ts'
import { droppedPositions } from './moves.ts'
import { makeRoom, ROOM_GAP } from './room.ts'
import { BOX_PADDING } from './style.ts'

const box = (id: string, x1: number, y1: number, w: number, h: number): { id: string; r: Bounds } => ({ id, r: { x1, y1, x2: x1 + w, y2: y1 + h } })

describe('room between boxes', () => {
  it('moves nothing when nothing is covered', () => {
    expect(makeRoom([box('a', 0, 0, 100, 100), box('b', 100 + ROOM_GAP, 0, 100, 100), box('c', 0, 200, 50, 50)]).size).toBe(0)
  })

  it('a box grown over its right neighbour pushes it right by what it covers, and that one its own neighbour', () => {
    // a grew to x = 260: b (starting at 200) is covered by 60 + the gap; c, 10 past b, is then covered too.
    const moved = makeRoom([box('a', 0, 0, 260, 100), box('b', 200, 0, 100, 100), box('c', 310, 10, 100, 100), box('far', 2000, 0, 10, 10)])
    expect(moved.get('b')).toEqual({ x: 60 + ROOM_GAP, y: 0 })
    expect(moved.get('c')).toEqual({ x: 200 + 100 + 60 + 2 * ROOM_GAP - 310, y: 0 })
    expect(moved.has('a')).toBe(false)
    expect(moved.has('far')).toBe(false)
  })

  it('boxes one above the other go apart down, boxes side by side go apart sideways: whichever moves less', () => {
    // b is covered from above by 30 (shorter than going right by 200): down.
    expect(makeRoom([box('a', 0, 0, 300, 100), box('b', 100, 70, 100, 50)]).get('b')).toEqual({ x: 0, y: 30 + ROOM_GAP })
    // c, left of the tall a, covers 50 of its width and all its height: a goes right past c (not c down past a).
    const side = makeRoom([box('a', 50, 0, 100, 300), box('c', 0, 20, 100, 40)])
    expect(side.get('a')).toEqual({ x: 50 + ROOM_GAP, y: 0 })
    expect(side.has('c')).toBe(false)
  })

  it('a node grown into its right neighbour pushes it right even when it was put a little lower', () => {
    // node1 dropped 10 below node2's top and grown 60 into it: node2 goes right by 60 + the gap;
    // node1 does not go down a whole row.
    const moved = makeRoom([box('node1', 0, 10, 260, 300), box('node2', 200, 0, 240, 300)])
    expect(moved.get('node2')).toEqual({ x: 60 + ROOM_GAP, y: 0 })
    expect(moved.has('node1')).toBe(false)
    // The same a little higher.
    expect(makeRoom([box('node1', 0, -10, 260, 300), box('node2', 200, 0, 240, 300)]).get('node2')).toEqual({ x: 60 + ROOM_GAP, y: 0 })
  })

  it('in a 100-node lab arranged by hand, a node that grows pushes its own row right, by no more than it grew', () => {
    // Ten rows of ten, the rows a little uneven as a hand puts them; node 3 of row 4 grows by 150.
    const items = Array.from({ length: 100 }, (_, i) => box(`n${i}`, (i % 10) * 300, Math.floor(i / 10) * 400 + ((i * 7) % 3) * 8, 250, 320))
    items[43] = { id: 'n43', r: { ...items[43].r, x2: items[43].r.x2 + 150 } }
    const moved = makeRoom(items)
    // Each neighbour goes right by what it is covered by, the 50 between columns taking up some
    // of it each time, until the push dies out (n49 stays).
    const ids = ['n44', 'n45', 'n46', 'n47', 'n48']
    expect([...moved.keys()].sort()).toEqual(ids)
    ids.forEach((id, k) => expect(moved.get(id), id).toEqual({ x: 150 - (k + 1) * (50 - ROOM_GAP), y: 0 }))
  })

  it('gives the same result whatever order the boxes come in', () => {
    const items = [box('a', 0, 0, 260, 100), box('b', 200, 0, 100, 100), box('c', 100, 90, 100, 100), box('d', 150, 150, 40, 40)]
    const one = makeRoom(items)
    expect(makeRoom([...items].reverse())).toEqual(one)
    // Nothing covers anything afterwards.
    const after = items.map((b) => ({ ...b.r, ...shifted(b.r, one.get(b.id)) }))
    for (let i = 0; i < after.length; i++) for (let j = i + 1; j < after.length; j++) expect(overlap(after[i], after[j]), `${i} ${j}`).toBe(false)
  })
})

function shifted(r: Bounds, d: Point | undefined): Bounds {
  return d ? { x1: r.x1 + d.x, y1: r.y1 + d.y, x2: r.x2 + d.x, y2: r.y2 + d.y } : r
}
const overlap = (a: Bounds, b: Bounds): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2

/** An empty lab after these lines, and the layout the same session keeps. */
async function labAfter(lines: string[]): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  await h.newLab({ scenario: 'empty' })
  for (const line of lines) expect((await h.exec({ line })).exitCode, line).toBe(0)
  return (await h.getState()).topology
}

/** The frames of the top-level boxes and leaves, with their padding. */
function frames(m: CanvasModel): { ns: string; r: Bounds }[] {
  const out = m.boxes.map((b) => ({ ns: b.ns, r: { x1: b.bounds.x1 - BOX_PADDING, y1: b.bounds.y1 - BOX_PADDING, x2: b.bounds.x2 + BOX_PADDING, y2: b.bounds.y2 + BOX_PADDING } }))
  for (const n of m.loose) out.push({ ns: n.ns, r: { x1: n.position!.x - 58, y1: n.position!.y - 43, x2: n.position!.x + 58, y2: n.position!.y + 43 } })
  return out
}

describe('a drawing built by hand', () => {
  it('a node that grows as pods are added pushes the node to its right away, and the switch above stays', async () => {
    const lines = ['podnet switch add sw1', 'podnet node add node1 --switch sw1', 'podnet node add node2 --switch sw1']
    const positions = { sw1: { x: 0, y: -200 }, node1: { x: 0, y: 0 }, node2: { x: 400, y: 0 } }
    const before = buildModel(await labAfter(lines), undefined, { positions })
    expect(before.places.get('node2')).toEqual({ x: 400, y: 0 })
    const grown = buildModel(await labAfter([...lines, 'podnet pod add pod1 --node node1', 'podnet pod add pod2 --node node1', 'podnet pod add pod3 --node node1', 'podnet pod add pod4 --node node1']), undefined, { positions })
    const all = frames(grown)
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlap(all[i].r, all[j].r), `${all[i].ns} / ${all[j].ns}`).toBe(false)
    // node1 stays where it was put; node2 goes right (not down), past node1's box.
    expect(grown.places.get('node1')).toEqual({ x: 0, y: 0 })
    expect(grown.places.get('node2')!.y).toBe(0)
    expect(grown.places.get('node2')!.x).toBeGreaterThan(400)
    const n1 = grown.boxOf.get(nsId('node1'))!.bounds
    expect(grown.boxOf.get(nsId('node2'))!.bounds.x1 - BOX_PADDING).toBeGreaterThanOrEqual(n1.x2 + BOX_PADDING + ROOM_GAP - 0.01)
    expect(grown.places.get('sw1')).toEqual({ x: 0, y: -200 })
    // Its elements, made when it is first drawn in full, are inside the box where it went.
    const n2 = grown.boxOf.get(nsId('node2'))!
    for (const c of n2.children) expect(c.position!.x, c.id).toBeGreaterThanOrEqual(n2.bounds.x1)
    const uplink = n2.children.find((c) => c.dev === 'eth0')!
    expect(uplink.position!.x).toBeGreaterThan(before.boxOf.get(nsId('node2'))!.children.find((c) => c.dev === 'eth0')!.position!.x + 100)
  })

  it('two nodes without pods dropped on a switch side by side are set apart by what they draw (their devices names too)', async () => {
    // Node boxes of a small lab are made when first drawn: the room between them counts the
    // names of their uplink and bridge, which reach well right of a node without pods.
    const m = buildModel(await labAfter(['podnet switch add sw1', 'podnet node add node1 --switch sw1', 'podnet node add node2 --switch sw1']), undefined, {
      positions: { sw1: { x: -86, y: -144 }, node1: { x: -80, y: -34 }, node2: { x: 16, y: 0 } },
    })
    const n1 = m.boxOf.get(nsId('node1'))!
    const eth0 = n1.children.find((c) => c.dev === 'eth0')!
    // The name "192.168.0.11/24" right of eth0 ends left of node2's frame.
    const nameEnd = eth0.position!.x + 11 + 4 + '192.168.0.11/24'.length * 6.2
    expect(m.boxOf.get(nsId('node2'))!.bounds.x1 - BOX_PADDING).toBeGreaterThan(nameEnd + BOX_PADDING)
  })

  it('a lab laid out automatically is left as it is', async () => {
    const topo = await labAfter(['podnet switch add sw1', 'podnet node add node1 --switch sw1', 'podnet pod add pod1 --node node1'])
    const auto = buildModel(topo)
    const pinned: Record<string, Point> = {}
    for (const [ns, p] of auto.places) if (p.node === undefined) pinned[ns] = { x: p.x, y: p.y }
    expect(buildModel(topo, undefined, { positions: pinned }).places).toEqual(auto.places)
  })

  it('an empty router dropped from the palette keeps its corner once wired, and after reopening', async () => {
    const empty = await labAfter(['podnet router add r1'])
    const model = buildModel(empty)
    const positions = droppedPositions(model, { type: 'addRouter', name: 'r1' }, { x: 500, y: 100 }, {})!
    const dropped = buildModel(empty, undefined, { positions })
    // Its middle is where it was let go.
    expect(dropped.loose.find((n) => n.ns === 'r1')!.position).toEqual({ x: 500, y: 100 })
    const corner = frames(dropped).find((f) => f.ns === 'r1')!.r
    const wired = buildModel(await labAfter(['podnet router add r1', 'podnet switch add sw1', 'podnet link add r1 sw1']), undefined, { positions: { ...positions, sw1: { x: 0, y: 400 } } })
    const frame = frames(wired).find((f) => f.ns === 'r1')!.r
    expect(frame.x1).toBeCloseTo(corner.x1, 5)
    expect(frame.y1).toBeCloseTo(corner.y1, 5)
    expect(wired.places.get('r1')).toEqual(positions.r1)
  })
})

describe('wires of an underlay built by hand', () => {
  // The two-subnet underlay as a learner builds it: the router dropped above between the two
  // switches, a node dropped on each switch (hanging below it).
  const lines = ['podnet router add r1', 'podnet switch add sw1', 'podnet switch add sw2', 'podnet link add r1 sw1', 'podnet link add r1 sw2', 'podnet node add node1 --switch sw1', 'podnet node add node2 --switch sw2', 'podnet pod add pod1 --node node1']
  const positions = { r1: { x: 280, y: -160 }, sw1: { x: 0, y: 60 }, sw2: { x: 600, y: 60 }, node1: { x: -40, y: 240 }, node2: { x: 560, y: 240 } }
  const child = (m: CanvasModel, ns: string, dev: string) => m.boxOf.get(ifId(ns, dev))!.children.find((c) => c.id === ifId(ns, dev))!

  it('no wire runs through a box other than its ends, nor across a switch bus', async () => {
    const m = buildModel(await labAfter(lines), undefined, { positions })
    const at = (id: string): Point => {
      const b = m.boxOf.get(id)!
      return b.children.find((c) => c.id === id)!.position!
    }
    // Arranged with room to spare: nothing is pushed.
    for (const [ns, p] of Object.entries(positions)) expect(m.places.get(ns), ns).toEqual(p)
    const wires = m.cross.filter((e) => e.classes.startsWith('veth'))
    expect(wires).toHaveLength(4)
    for (const e of wires) {
      const [p, q] = [at(e.source), at(e.target)]
      const ends = new Set([m.boxOf.get(e.source)!.ns, m.boxOf.get(e.target)!.ns])
      for (const f of frames(m)) if (!ends.has(f.ns)) expect(crosses(p, q, f.r), `${e.id} through ${f.ns}`).toBe(false)
      // Nor the lines from a switch's ports to its bridge (the other ends of those lines).
      for (const b of m.boxes.filter((b) => b.role === 'switch' && ends.has(b.ns))) {
        for (const bus of b.edges) {
          if (bus.source === e.source || bus.source === e.target) continue
          expect(segmentsCross(p, q, at(bus.source), at(bus.target)), `${e.id} across ${bus.id}`).toBe(false)
        }
      }
    }
    // A switch's port toward the router is beside its bridge, on the router's side; toward its node, over the node's uplink.
    expect(child(m, 'sw1', 'to-r1').position!.y).toBe(child(m, 'sw1', 'br0').position!.y)
    expect(child(m, 'sw1', 'to-r1').position!.x).toBeGreaterThan(child(m, 'sw1', 'to-node1').position!.x)
    expect(child(m, 'sw1', 'to-node1').position!.x).toBe(child(m, 'node1', 'eth0').position!.x)
    // The router's ports in the order of the switches: toward sw1 on the left.
    expect(child(m, 'r1', 'eth0').position!.x).toBeLessThan(child(m, 'r1', 'eth1').position!.x)
  })

  it('a node pushed aside takes the end of its wire along: its switch port stays over its uplink', async () => {
    // node2 dropped under the bridge, over node1 (which has a pod): pushed right, its port follows.
    const m = buildModel(await labAfter(['podnet switch add sw1', 'podnet node add node1 --switch sw1', 'podnet node add node2 --switch sw1', 'podnet pod add pod1 --node node1']), undefined, {
      positions: { sw1: { x: 300, y: 0 }, node1: { x: 0, y: 150 }, node2: { x: 150, y: 160 } },
    })
    expect(m.places.get('node2')!.x).toBeGreaterThan(150)
    for (const n of ['node1', 'node2']) expect(child(m, 'sw1', `to-${n}`).position!.x, n).toBe(child(m, n, 'eth0').position!.x)
    expect(child(m, 'sw1', 'br0').position).toEqual({ x: 317, y: 10 })
  })

  it('a switch keeps its bridge where it was as its first router port and its first node come', async () => {
    const bridgeAt = async (upTo: number): Promise<Point> => child(buildModel(await labAfter(lines.slice(0, upTo)), undefined, { positions }), 'sw1', 'br0').position!
    const alone = await bridgeAt(3)
    expect(alone).toEqual({ x: 17, y: 70 })
    expect(await bridgeAt(4)).toEqual(alone)
    expect(await bridgeAt(6)).toEqual(alone)
    // And the router keeps its corner: its first port's top-left.
    const r1 = child(buildModel(await labAfter(lines), undefined, { positions }), 'r1', 'eth0').position!
    expect({ x: r1.x - 11, y: r1.y - 9 }).toEqual(positions.r1)
  })

  it('a node level with its switch has its port over its uplink; laid out automatically a router joining two segments is above them', async () => {
    const topo = await labAfter(['podnet router add r1', 'podnet switch add sw1', 'podnet switch add sw2', 'podnet link add r1 sw1', 'podnet link add r1 sw2', 'podnet node add node1 --switch sw1'])
    const m = buildModel(topo, undefined, { positions: { r1: { x: 200, y: -400 }, sw1: { x: 0, y: 0 }, sw2: { x: 700, y: 0 }, node1: { x: 500, y: 40 } } })
    // node1 is to the right of sw1, about level with it: its port is beside the bridge's row, over
    // its uplink, the wire straight down (its name right of it, off the wire).
    expect(child(m, 'sw1', 'to-node1').position!.x).toBe(child(m, 'node1', 'eth0').position!.x)
    expect(child(m, 'sw1', 'to-node1').classes).not.toMatch(/label-/)
    const auto = buildModel(topo)
    expect(auto.boxOf.get(nsId('r1'))!.bounds.y2).toBeLessThan(auto.boxOf.get(nsId('sw1'))!.bounds.y1)
    expect(child(auto, 'sw1', 'to-r1').position!.y).toBeLessThan(child(auto, 'sw1', 'br0').position!.y)
    // Its place is its bridge's top-left, so the first drag of the lab pins it where it is drawn.
    const br = child(auto, 'sw1', 'br0').position!
    expect(auto.places.get('sw1')).toEqual({ x: br.x - 17, y: br.y - 10 })
  })
})

/** Whether segment p-q passes through the inside of rectangle r. */
function crosses(p: Point, q: Point, r: Bounds): boolean {
  const inside = (a: Point): boolean => a.x > r.x1 && a.x < r.x2 && a.y > r.y1 && a.y < r.y2
  if (inside(p) || inside(q)) return true
  const corners = [{ x: r.x1, y: r.y1 }, { x: r.x2, y: r.y1 }, { x: r.x2, y: r.y2 }, { x: r.x1, y: r.y2 }]
  return corners.some((c, i) => segmentsCross(p, q, c, corners[(i + 1) % 4]))
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const side = (p: Point, q: Point, r: Point): number => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x))
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0
}
