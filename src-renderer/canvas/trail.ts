import type { TraceStepView, Topology } from '../../shared/api.ts'
import { deviceElement, nsId, type BoxModel, type CanvasModel, type Graph } from './graph.ts'
import { DETAIL_BUDGET, sceneFor } from './scene.ts'

/**
 * The geometry of a trace on the canvas: where each step happens, where that copy of the packet
 * came from, and the edges of the graph it travelled along to get there. A trace is a story told
 * in time order, so consecutive steps can be about different copies (a flooded broadcast, the
 * reply that comes back); joining them with straight lines would draw links that do not exist.
 */

export interface Waypoint {
  id: string
  step: number
  role: TraceStepView['role']
  drop: boolean
  /** A copy of a flooded frame that goes nowhere (the bridge sent it out of every port). */
  flood: boolean
  /** Index of the waypoint this copy of the packet moves here from (-1: it starts here). */
  from: number
  /**
   * Inside a VXLAN tunnel (from the encapsulation to the decapsulation): the two VTEPs' elements
   * and how far along the tunnel the inner packet is (0 to 1), so it can be drawn riding the
   * tunnel inside the outer packet that crosses the underlay.
   */
  tunnel?: { a: string; b: string; frac: number; inner: TraceStepView['role'] }
}

/** A trace ready to draw: where each step happens and how the packet got there. */
export interface Trail {
  waypoints: Waypoint[]
  hops: Hop[]
}

/** How the packet gets to a waypoint. */
export interface Hop {
  /**
   * stay: it is already there; link: along `path`, edges of the graph; inside: from one device
   * to another of the same namespace (the kernel hands it over, no link); jump: the story goes on
   * with another copy, elsewhere.
   */
  kind: 'stay' | 'link' | 'inside' | 'jump'
  /** Elements from where this copy was to where it is now (one element for stay and jump). */
  path: string[]
}

/** Steps where a flooded copy is seen and ignored: the end of a copy that was not for this host. */
const DEAD_ENDS = new Set(['arp.request_not_for_us', 'drop.not_for_us', 'drop.forward_not_host'])

/** Detours longer than this are not drawn as a trail (the trace skipped too much to guess). */
const MAX_DETOUR = 4

const crossingTo = (s: TraceStepView): string => String(s.params.peerNetns ?? '')

/**
 * The veth crossings that leave a bridge by flooding (branches), and the steps of the copies
 * that went nowhere: a branch whose namespace on the far side only ignores or drops the frame.
 */
export function floodBranches(steps: readonly TraceStepView[]): { branches: Set<number>; copies: Set<number> } {
  const branches = new Set<number>()
  const copies = new Set<number>()
  // The steps of each packet in each namespace, in order (a flood over a 1,000-port underlay has
  // a thousand copies to follow: looking each one's steps up, not scanning the whole trace).
  let at: Map<string, number[]> | null = null
  const stepsOf = (packet: TraceStepView['packet'], netns: string): number[] => {
    if (!at) {
      at = new Map()
      steps.forEach((x, k) => {
        const key = `${x.packet}\u0000${x.netns}`
        const list = at!.get(key)
        if (list) list.push(k)
        else at!.set(key, [k])
      })
    }
    return at.get(`${packet}\u0000${netns}`) ?? []
  }
  steps.forEach((s, i) => {
    if (!s.msg.startsWith('bridge.flood')) return
    const ports = new Set(String(s.params.ports ?? '').split(/,\s*/))
    for (let j = i + 1; j < steps.length; j++) {
      const x = steps[j]
      if (x.msg !== 'step.veth' || x.packet !== s.packet || x.netns !== s.netns || !ports.has(x.device ?? '') || branches.has(j)) continue
      ports.delete(x.device ?? '')
      branches.add(j)
      const after = stepsOf(s.packet, crossingTo(x)).filter((k) => k > j)
      const taken = after.some((k) => steps[k].kind !== 'drop' && !DEAD_ENDS.has(steps[k].msg))
      if (!taken) for (const k of [j, ...after]) copies.add(k)
    }
  })
  return { branches, copies }
}

/**
 * Where each step happens (a veth crossing goes from one end to the other) and where the packet
 * was before: the last place of the same packet in the same namespace, else the last place
 * anything happened there (a reply starts where the request ended).
 */
export function traceWaypoints(topo: Topology, steps: readonly TraceStepView[]): Waypoint[] {
  const { branches, copies } = floodBranches(steps)
  const out: Waypoint[] = []
  const lastOfPacket = new Map<string, number>()
  const lastInNs = new Map<string, number>()
  const visit = (ns: string, packet: number, index: number): void => {
    lastOfPacket.set(`${packet}@${ns}`, index)
    lastInNs.set(ns, index)
  }
  steps.forEach((s, i) => {
    const base = { step: i, role: s.role, drop: s.kind === 'drop', flood: copies.has(i) }
    const from = lastOfPacket.get(`${s.packet}@${s.netns}`) ?? lastInNs.get(s.netns) ?? out.length - 1
    out.push({ ...base, id: deviceElement(topo, s.netns, s.device), from })
    const here = out.length - 1
    // A flooded copy leaves, but the frame it was copied from stays at the bridge.
    if (!branches.has(i)) visit(s.netns, s.packet, here)
    if (s.msg === 'step.veth') {
      out.push({ ...base, id: deviceElement(topo, crossingTo(s), String(s.params.peer ?? '')), from: here })
      visit(crossingTo(s), s.packet, out.length - 1)
    }
  })
  markTunnels(topo, steps, out)
  return out
}

/** Marks the waypoints of each run of tunnel steps with the VTEPs it goes between. */
function markTunnels(topo: Topology, steps: readonly TraceStepView[], wps: Waypoint[]): void {
  steps.forEach((s, i) => {
    if (s.kind !== 'encap') return
    const decap = steps.findIndex((x, j) => j > i && x.kind === 'decap')
    if (decap < 0) return
    const a = deviceElement(topo, s.netns, s.device)
    const b = deviceElement(topo, steps[decap].netns, steps[decap].device)
    const run = wps.filter((w) => w.step >= i && w.step < decap && steps[w.step].role === 'tunnel')
    run.forEach((w, k) => (w.tunnel = { a, b, frac: run.length > 1 ? k / (run.length - 1) : 1, inner: steps[decap].role }))
  })
}

/** The element a step is about (for a crossing: where the frame arrives). */
export function stepElement(topo: Topology, s: TraceStepView): string {
  if (s.msg === 'step.veth') return deviceElement(topo, crossingTo(s), String(s.params.peer ?? ''))
  return deviceElement(topo, s.netns, s.device)
}

/** Neighbours of every element along the edges of the graph (edges have no direction here). */
export function adjacency(graph: Graph): Map<string, Set<string>> {
  const adj = new Map<string, Set<string>>()
  const link = (a: string, b: string): void => {
    const set = adj.get(a)
    if (set) set.add(b)
    else adj.set(a, new Set([b]))
  }
  for (const e of graph.edges) {
    link(e.source, e.target)
    link(e.target, e.source)
  }
  return adj
}

/** A shortest path of at most `max` edges from a to b, or null. */
function shortestPath(adj: Map<string, Set<string>>, a: string, b: string, max: number): string[] | null {
  const prev = new Map<string, string>([[a, a]])
  let frontier = [a]
  for (let depth = 0; depth < max && frontier.length; depth++) {
    const next: string[] = []
    for (const x of frontier) {
      for (const y of adj.get(x) ?? []) {
        if (prev.has(y)) continue
        prev.set(y, x)
        if (y === b) {
          const path = [b]
          while (path[0] !== a) path.unshift(prev.get(path[0])!)
          return path
        }
        next.push(y)
      }
    }
    frontier = next
  }
  return null
}

/** How the packet reaches each waypoint, along edges of the graph only. */
export function trailHops(graph: Graph, wps: readonly Waypoint[]): Hop[] {
  const adj = adjacency(graph)
  const nsOf = new Map(graph.nodes.map((n) => [n.id, n.ns]))
  return wps.map((w, k) => {
    const origin = w.from >= 0 ? wps[w.from].id : null
    const previous = k > 0 ? wps[k - 1].id : null
    if (origin === null) return { kind: 'stay', path: [w.id] }
    if (origin === w.id) return { kind: previous === w.id ? 'stay' : 'jump', path: [w.id] }
    if (adj.get(origin)?.has(w.id)) return { kind: 'link', path: [origin, w.id] }
    // Within one namespace the kernel hands the packet over; a detour over links would be invented.
    if (nsOf.get(origin) !== undefined && nsOf.get(origin) === nsOf.get(w.id)) return { kind: 'inside', path: [origin, w.id] }
    const path = shortestPath(adj, origin, w.id, MAX_DETOUR)
    return path ? { kind: 'link', path } : { kind: 'jump', path: [w.id] }
  })
}

export function buildTrail(topo: Topology, graph: Graph, steps: readonly TraceStepView[]): Trail {
  const waypoints = traceWaypoints(topo, steps)
  return { waypoints, hops: trailHops(graph, waypoints) }
}

/**
 * The elements a trace's hops are found along: the boxes of the namespaces the packet passes
 * through (`pinned`, drawn in full whatever the view) with the underlay's ports toward them, every
 * other box as its summary; and the boxes that only a flooded copy reaches (`reached`) in full as
 * well while they are few (DETAIL_BUDGET elements), so a small lab's flood is drawn hop by hop. A
 * big cluster's boxes are made when first drawn in full: a trace in it makes no more of them
 * than it shows (a broadcast over a 1,000-node underlay reaches every node).
 */
export function trailScene(model: CanvasModel, pinned: ReadonlySet<string>, reached: Iterable<string>): Graph {
  const open = new Set(pinned)
  const openBox = new Set<BoxModel>()
  for (const ns of pinned) {
    const b = model.boxOf.get(nsId(ns))
    if (b) openBox.add(b)
  }
  const more = new Set<BoxModel>()
  let budget = DETAIL_BUDGET
  for (const ns of reached) {
    const b = model.boxOf.get(nsId(ns))
    if (!b || openBox.has(b) || more.has(b) || b.cull) continue
    more.add(b)
    budget -= b.size
    if (budget < 0) break
  }
  if (budget >= 0) for (const b of more) open.add(b.ns)
  // (Without the grid's captions: words beside the drawing, no part of any path.)
  return sceneFor({ ...model, captions: [] }, { zoom: 1, extent: model.extent, detail: false }, open).graph
}

/** Every namespace a trace's steps are in, flooded copies' included. */
export function traceNamespaces(steps: readonly TraceStepView[]): Set<string> {
  const set = new Set<string>()
  for (const s of steps) {
    set.add(s.netns)
    if (s.msg === 'step.veth') set.add(crossingTo(s))
  }
  return set
}
