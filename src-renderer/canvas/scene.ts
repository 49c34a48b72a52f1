import type { Bounds, BoxModel, CanvasModel, Graph, GraphEdge, GraphNode } from './graph.ts'

/**
 * Level of detail: what of the model the canvas draws for a view. Far out, each namespace is one
 * summary box (name, address, pod count, state) at its full size, so nothing moves when detail
 * comes and goes; from DETAIL_ZOOM on, the boxes in (or near) the view are drawn in full with
 * their pods and interfaces. A big underlay's ports are drawn only where the view is, and only
 * from DETAIL_ZOOM on. Pinned
 * namespaces (the selection, the namespaces a trace passes through) are always drawn in full, so
 * the packet's animation finds every element it moves along.
 */

/** Boxes open at this zoom and above... */
export const DETAIL_ZOOM = 0.3
/** ...and close again below this one (a little lower, so a zoom near the limit does not flicker). */
export const OVERVIEW_ZOOM = 0.24
/** How much of the view's size around it still counts as near (detail is ready before it scrolls in). */
const NEAR = 0.08
/** A summary whose text would be drawn smaller than this (pixels) shows the name alone, larger. */
const READABLE_PX = 9
/** At most this many elements inside open boxes: beyond it, the boxes nearest the centre open. */
export const DETAIL_BUDGET = 2500

export interface View {
  zoom: number
  /** The model area on screen. */
  extent: Bounds
  /** Whether boxes in view are drawn in full (the caller keeps it, with hysteresis). */
  detail: boolean
}

/** The detail mode for a zoom, given the current one: open at DETAIL_ZOOM, closed below OVERVIEW_ZOOM. */
export function detailAt(zoom: number, was: boolean): boolean {
  return was ? zoom >= OVERVIEW_ZOOM : zoom >= DETAIL_ZOOM
}

const intersects = (a: Bounds, b: Bounds): boolean => a.x1 <= b.x2 && b.x1 <= a.x2 && a.y1 <= b.y2 && b.y1 <= a.y2

function inflate(b: Bounds, k: number): Bounds {
  const dx = (b.x2 - b.x1) * k
  const dy = (b.y2 - b.y1) * k
  return { x1: b.x1 - dx, y1: b.y1 - dy, x2: b.x2 + dx, y2: b.y2 + dy }
}

/** Which boxes are drawn in full for a view (all of them without one). */
export function openBoxes(model: CanvasModel, view: View | null, pinned: ReadonlySet<string>): Set<string> {
  const open = new Set<string>()
  if (!view) {
    for (const b of model.boxes) open.add(b.id)
    return open
  }
  let budget = DETAIL_BUDGET
  // (Asked without the boxes' elements: a big cluster's are made only for the boxes drawn in full.)
  const holdsPinned = (b: BoxModel): boolean => {
    if (pinned.has(b.ns)) return true
    for (const ns of pinned) if (b.pods.has(ns)) return true
    return false
  }
  const pinnedBoxes = model.boxes.filter((b) => !b.cull && holdsPinned(b))
  for (const b of pinnedBoxes) {
    open.add(b.id)
    budget -= b.size
  }
  // The underlay is always open: its ports are where the lanes to the nodes start (and a big
  // one draws only the ports near the view).
  for (const b of model.boxes) if (b.role === 'switch' || b.role === 'router') open.add(b.id)
  if (!view.detail) return open
  const near = inflate(view.extent, NEAR)
  const cx = (view.extent.x1 + view.extent.x2) / 2
  const cy = (view.extent.y1 + view.extent.y2) / 2
  const dist = (b: BoxModel): number => Math.hypot((b.bounds.x1 + b.bounds.x2) / 2 - cx, (b.bounds.y1 + b.bounds.y2) / 2 - cy)
  const candidates = model.boxes.filter((b) => !open.has(b.id) && intersects(b.bounds, near)).sort((a, b) => dist(a) - dist(b))
  for (const b of candidates) {
    if (b.size > budget) break
    open.add(b.id)
    budget -= b.size
  }
  return open
}

/**
 * The children of an open box that are drawn: all, or for a culled underlay those near the view,
 * and far out none but its own bridge (a thousand ports and their lanes, too small to see, were
 * two thirds of what a 1,000-node lab drew far out). The ports of the boxes drawn in full (the
 * selection's, the trace's) always are, with their lanes.
 */
function drawnChildren(b: BoxModel, view: View | null, full: ReadonlySet<string>): GraphNode[] {
  if (!b.cull || !view) return b.children
  const near = inflate(view.extent, NEAR)
  return b.children.filter((c) => {
    if (b.core.has(c.id)) return true
    const x = c.position?.x ?? 0
    if (view.detail && x >= near.x1 && x <= near.x2) return true
    const peer = b.peers.get(c.id)
    return peer !== undefined && full.has(peer)
  })
}

/** Where a culled box's corners are, so it keeps its size whichever of its ports are drawn. */
function anchors(b: BoxModel): GraphNode[] {
  const at = (x: number, y: number, k: string): GraphNode => ({ id: `${b.id}#${k}`, parent: b.id, label: '', classes: 'anchor', ns: b.ns, position: { x, y } })
  return [at(b.bounds.x1, b.bounds.y1, 'a'), at(b.bounds.x2, b.bounds.y2, 'b')]
}

/**
 * The elements to draw: open boxes with their drawn children and inner edges, closed boxes as
 * summary leaves, and the edges between boxes joined to whatever stands for their ends (a closed
 * box stands for everything in it; edges that end up on the same element, or several on the same
 * pair, are drawn once).
 */
export function sceneFor(model: CanvasModel, view: View | null, pinned: ReadonlySet<string>): { graph: Graph; open: Set<string>; key: string } {
  const open = openBoxes(model, view, pinned)
  // The namespaces drawn in full: pinned ones and those of open boxes (a pinned pod's node).
  const full = new Set(pinned)
  for (const b of model.boxes) if (open.has(b.id)) full.add(b.ns)
  let farCount = 0
  let nameCount = 0
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const drawn = new Set<string>()
  for (const b of model.boxes) {
    if (!open.has(b.id)) {
      // The most the box says that still reads: its summary, else its name and pod count, else its name.
      const small = (leaf: GraphNode): boolean => view !== null && view.zoom * (leaf.size?.font ?? 0) < READABLE_PX
      const leaf = !small(b.summary) ? b.summary : b.name && small(b.far) ? b.name : b.far
      if (leaf === b.far) farCount++
      else if (leaf === b.name) nameCount++
      nodes.push(leaf)
      drawn.add(b.id)
      continue
    }
    nodes.push(b.node)
    drawn.add(b.id)
    // Far out, an underlay over a grid is named in a band above it (graph.ts bannerOf).
    if (b.banner && view && !view.detail) nodes.push(b.banner)
    const kids = drawnChildren(b, view, full)
    if (kids.length < b.children.length) nodes.push(...anchors(b))
    for (const c of kids) {
      nodes.push(c)
      drawn.add(c.id)
    }
    for (const e of b.edges) if (drawn.has(e.source) && drawn.has(e.target)) edges.push(e)
  }
  for (const n of model.loose) {
    nodes.push(n)
    drawn.add(n.id)
  }
  // Far out, a big grid's rows are captioned with the nodes they hold (graph.ts gridCaptions).
  if (view && !view.detail) nodes.push(...model.captions)
  // A closed box stands for its children; a culled port stands for nothing (its edge is not drawn).
  const stand = (id: string): string | null => {
    if (drawn.has(id)) return id
    const b = model.boxOf.get(id)
    return b && !open.has(b.id) ? b.id : null
  }
  const seen = new Set<string>()
  for (const e of model.cross) {
    const s = stand(e.source)
    const t = stand(e.target)
    if (s === null || t === null || s === t) continue
    if (s === e.source && t === e.target) {
      edges.push(e)
      continue
    }
    const id = `via:${e.classes}:${s}|${t}`
    if (seen.has(id)) continue
    seen.add(id)
    edges.push({ ...e, id, source: s, target: t })
  }
  // What decides the drawing, to skip a redraw that would change nothing.
  const key = `${[...open].join(',')}|${farCount}|${nameCount}|${nodes.length}|${edges.length}`
  return { graph: { nodes, edges, rows: model.rows, tunnels: model.tunnels }, open, key }
}

