import type { DeviceView, LinkView, NetnsView, Point, Topology } from '../../shared/api.ts'
import { tunnelCount, tunnelList, tunnelsOf } from '../../shared/tunnels.ts'
import { boxLabel, DEFAULT_LABELS, deviceKind, displayName, ifaceClasses, ifaceLabel, isInfra, podClasses, podLabel, shown, summaryLines, type GraphLabels } from './labels.ts'
import { BOX_GAP, laneX, planGrid } from './layout.ts'
import { halfSize, BOX_PADDING, EMPTY_BOX, SIZES } from './style.ts'
import { makeRoom, type RoomItem } from './room.ts'
import { placePorts, type PortEnd } from './ports.ts'
import { sceneFor } from './scene.ts'

export { DEFAULT_LABELS, labelsFrom, type GraphLabels } from './labels.ts'

/**
 * The topology as a canvas model: plain data with precomputed labels, classes and positions, so
 * the Cytoscape stylesheet needs no per-element functions. Node namespaces are boxes holding
 * their interfaces and their pods; a pod is a box holding its own interfaces (node ⊃ pod ⊃
 * interface), its eth0 joined by its veth to the host end in the node; the underlay switch or
 * router is a box above the grid of nodes (layout.ts). The model
 * knows every element and where it goes; scene.ts picks what is drawn in full for a view.
 */

export interface GraphNode {
  id: string
  parent?: string
  label: string
  classes: string
  /** The namespace the element stands for or belongs to ('' is the host). */
  ns: string
  dev?: string
  /** Where the layout puts it (leaf nodes only; boxes wrap their children). */
  position?: { x: number; y: number }
  /** A leaf drawn as a box (a collapsed namespace): its size and the size of its text. */
  size?: { w: number; h: number; font: number }
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  classes: string
  label?: string
  /** Bezier bulge for tunnels, so tunnels between far nodes do not overlap near ones. */
  cpd?: number
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Rows of node boxes in the layout. */
  rows?: number
  tunnels?: TunnelInfo
}

/** A rectangle in model coordinates. */
export interface Bounds {
  x1: number
  y1: number
  x2: number
  y2: number
}

/** One namespace drawn as a box: what it holds, and how it looks when drawn as one summary box. */
export interface BoxModel {
  id: string
  ns: string
  role: NetnsView['role']
  /** The box as a compound element (no position: it wraps its children). */
  node: GraphNode
  /** The box drawn as one leaf: its name, address, pod count and state, at its full size. */
  summary: GraphNode
  /** The same leaf when even that is too small to read: its name and pod count, in a larger type. */
  far: GraphNode
  /** Farther out still, when the count makes the name much smaller: the name alone, larger again. */
  name?: GraphNode
  /** Its elements (a node of a big cluster makes them when they are first asked for). */
  readonly children: GraphNode[]
  /** Edges between this box's own children. */
  readonly edges: GraphEdge[]
  /** How many children it has (known without making them). */
  size: number
  /** The pods drawn inside it. */
  pods: ReadonlySet<string>
  /**
   * An underlay over a grid of nodes, seen from far out: a band above it with its name and port
   * count, tall enough to read (the box itself, one row of ports over a grid many rows deep, is
   * a line at the zoom that fits the grid).
   */
  banner?: GraphNode
  /** What the children cover (centres plus half sizes), without the box padding. */
  bounds: Bounds
  /** Many ports side by side (a big underlay): only those near the view are drawn. */
  cull: boolean
  /** Children drawn whatever the view (the underlay's own bridge). */
  core: ReadonlySet<string>
  /** The namespace at the far end of each port (veth peer), for ports of the underlay. */
  peers: ReadonlyMap<string, string>
}

export interface CanvasModel {
  boxes: BoxModel[]
  /** Box of every box and child element, by element id. */
  boxOf: BoxIndex
  /** Leaves outside any box (a pod whose node is not a Kubernetes node). */
  loose: GraphNode[]
  /** Edges between elements of different boxes: uplinks, tunnels, veths between namespaces. */
  cross: GraphEdge[]
  rows: number
  tunnels: TunnelInfo
  /** Everything, box padding and names included. */
  extent: Bounds
  /**
   * Far out, beside a big grid (whose node names do not read at the zoom that fits it): which
   * nodes each band of rows holds, and how many of them have a problem.
   */
  captions: GraphNode[]
  /** Every element, every box in full (built on first use). */
  full(): Graph
  /** The same model drawing the tunnels of another selection (cheap: nothing is laid out again). */
  refocus(ns: string | null): CanvasModel
  /**
   * The same model in other words (a change of language): nothing is laid out again and no
   * box's elements are made; the leaves that carry words (summaries, banners, captions, the
   * boxes' names) are made again, in their places.
   */
  relabel(words: GraphLabels): CanvasModel
  /**
   * Where each namespace is, in the terms of a lab file's layout (LabLayout): a box at the
   * top-left corner of its contents as laid out, a pod in a node relative to its node's position.
   */
  places: ReadonlyMap<string, Place>
}

/** The box an element is in (or is), by element id. */
export interface BoxIndex {
  get(id: string): BoxModel | undefined
}

/** A namespace's position in layout terms; `node`: the node a pod's position is relative to. */
export interface Place extends Point {
  node?: string
}

const HOST = '@host'
export const nsId = (ns: string): string => `ns:${ns === '' ? HOST : ns}`
export const ifId = (ns: string, dev: string): string => `if:${ns === '' ? HOST : ns}/${dev}`

// Layout inside a node box and around the grid, in model coordinates.
const SLOT = 122
const Y_INFRA_CORE = -45
const Y_INFRA_PORT = 15
/** A switch's ports toward a router above it, over its bridge. */
const Y_INFRA_UP = -100
/** A router joining several segments, above them. */
const Y_ROUTER_ABOVE = -250
/** Between the nodes of one switch and those of the next. */
const GROUP_GAP = 2 * SLOT
const Y_UPLINK = 125
const Y_VXLAN = 125
const Y_BRIDGE = 190
const Y_PORT = 250
/** A pod's interfaces; the pod's box reaches below them, its name and address inside. */
const Y_POD_IF = 304
/** From the top of a pod's box to the middle of its interfaces (the box's padding and half an interface). */
const POD_IF_TOP = 13
const Y_OTHER = 480
/** Pods side by side in a node up to this many; a node with more lays them out in rows. */
const POD_ROW_MAX = 20
/** From one row of pods (their bridge ports above them) to the next. */
const POD_ROW_PITCH = 150

/**
 * How many pods go side by side in a node: all of them up to POD_ROW_MAX; beyond, rows of an even
 * number, so the box is closer to square (legible far out, where a box of 30 pods in one row is a
 * sliver) and the bus from the lower rows' bridge ports rises to the bridge between two pods.
 */
export function podColumns(pods: number): number {
  if (pods <= POD_ROW_MAX) return pods
  const c = Math.max(10, Math.ceil(Math.sqrt(2.5 * pods)))
  return c + (c % 2)
}

/** How many rows of pods a node with this many has. */
const podRows = (pods: number): number => (pods === 0 ? 1 : Math.ceil(pods / podColumns(pods)))

/** An underlay with more ports than this draws only those near the view. */
const CULL_PORTS = 120
/** Room under a box for its name (drawn below it). */
const NAME_ROOM = 40

/** Tunnels are named "VXLAN" on the canvas when at most this many are drawn. */
const LABELLED_TUNNELS = 12

/** Above this many VXLAN tunnels the canvas draws only the selected node's (the tables list all). */
export const MAX_TUNNELS_DRAWN = 45

/** Namespaces by name, made once per topology (a trace looks up hundreds of steps). */
const indexes = new WeakMap<Topology, Map<string, NetnsView>>()
function namespacesByName(topo: Topology): Map<string, NetnsView> {
  let m = indexes.get(topo)
  if (!m) indexes.set(topo, (m = new Map(topo.namespaces.map((n) => [n.name, n]))))
  return m
}

/** The element that stands for a device: the interface when it is drawn, else its namespace. */
export function deviceElement(topo: Topology, ns: string, dev: string | undefined): string {
  const n = namespacesByName(topo).get(ns)
  if (!n) return nsId(ns)
  if (dev && n.devices.some((d) => d.name === dev && shown(d))) return ifId(ns, dev)
  return nsId(ns)
}

/** How many VXLAN tunnels the lab has and which of them the canvas draws. */
export interface TunnelInfo {
  total: number
  drawn: number
  /** Set when only the tunnels of this node are drawn. */
  node: string | null
}

export interface GraphOptions {
  /** The selected namespace: when tunnels are too many to draw, those of its node are drawn. */
  focus?: string | null
  /** Positions the user chose (LabLayout.positions); the rest is laid out automatically. */
  positions?: Readonly<Record<string, Point>>
}

/** Moves elements (and their places in `pos`) by d. */
function shift(items: readonly GraphNode[], d: Point, pos: Map<string, Point>): void {
  if (d.x === 0 && d.y === 0) return
  for (const it of items) {
    if (!it.position) continue
    it.position = { x: it.position.x + d.x, y: it.position.y + d.y }
    if (pos.has(it.id)) pos.set(it.id, it.position)
  }
}

/** The top-left corner of what elements cover (centres and half sizes). */
function topLeft(items: readonly GraphNode[]): Point {
  const b = emptyBounds()
  for (const it of items) grow(b, it)
  return Number.isFinite(b.x1) ? { x: b.x1, y: b.y1 } : { x: 0, y: 0 }
}

/**
 * Puts a box's contents where the user put the box (`at`: the top-left corner of its contents,
 * for a switch of its bridge), or leaves them as laid out; either way records where the box is.
 */
function placeBox(ns: string, items: readonly GraphNode[], at: Point | undefined, pos: Map<string, Point>, places: Map<string, Place>, role?: NetnsView['role']): void {
  const bridge = role === 'switch' ? items.find((c) => /\bkind-bridge\b/.test(c.classes)) : undefined
  const tl = topLeft(bridge ? [bridge] : items)
  if (at) shift(items, { x: at.x - tl.x, y: at.y - tl.y }, pos)
  places.set(ns, at ? { x: at.x, y: at.y } : tl)
}

/**
 * Where a box that holds nothing yet is drawn (its middle) for a layout position: the top-left
 * corner of its inside, as for a box with contents, so it does not move when its first port comes.
 */
function emptyBoxAt(at: Point): Point {
  return { x: at.x + EMPTY_BOX.w / 2, y: at.y + EMPTY_BOX.h / 2 }
}

/** What a top-level item covers: its frame, and its name (below a node, above anything else). */
function coverOf(b: Bounds, role: NetnsView['role'] | 'pod-leaf'): Bounds {
  const pad = role === 'pod-leaf' ? 0 : BOX_PADDING
  const r = { x1: b.x1 - pad, y1: b.y1 - pad, x2: b.x2 + pad, y2: b.y2 + pad }
  if (role === 'node') r.y2 += NAME_ROOM
  else if (role !== 'pod-leaf') r.y1 -= NAME_ROOM
  return r
}

/** About how wide a character of a device's name is drawn (10.5 px type), to reckon with labels. */
const CHAR_W = 6.2
const LINE_H = 13
/** From a pod box's right edge to the end of the name of its veth's host end, right of it. */
const VETH_NAME_REACH = SIZES.veth.w / 2 + 4 + 12 * CHAR_W - SIZES.pod.w / 2

/**
 * What a box covers once drawn: Cytoscape sizes a box around its devices' names too (to the right
 * of a device; below it for `label-below` (to the right) and VXLAN devices (centred); down the lane for a rotated one).
 */
function drawnBounds(b: BoxModel): Bounds {
  const r = { ...b.bounds }
  for (const c of b.children) {
    if (!c.position || !c.dev || c.ns !== b.ns) continue
    const lines = c.label.split('\n')
    const w = Math.max(...lines.map((l) => l.length)) * CHAR_W
    const h = halfSize(c.classes)
    if (/\binfra-port\b/.test(c.classes)) r.y2 = Math.max(r.y2, c.position.y + h.h + 4 + w)
    else if (/\blabel-below\b/.test(c.classes)) {
      r.x2 = Math.max(r.x2, c.position.x + h.w + 4 + w)
      r.y2 = Math.max(r.y2, c.position.y + h.h + 3 + lines.length * LINE_H)
    } else if (/\bdev-vxlan\b/.test(c.classes)) {
      r.x1 = Math.min(r.x1, c.position.x - w / 2)
      r.x2 = Math.max(r.x2, c.position.x + w / 2)
      r.y2 = Math.max(r.y2, c.position.y + h.h + 3 + lines.length * LINE_H)
    } else r.x2 = Math.max(r.x2, c.position.x + h.w + 4 + w)
  }
  return r
}

/**
 * Keeps the names of an underlay box's ports off their wires in a drawing arranged by hand: a
 * name goes right of its port, but a wire that leaves the port toward the right would run
 * through it; then the name goes below the port (the wire rising) or above it (the wire falling).
 */
function clearWires(boxes: readonly BoxModel[], pos: ReadonlyMap<string, Point>, cross: readonly GraphEdge[]): void {
  const byId = new Map<string, GraphNode>()
  for (const b of boxes) if (b.role === 'switch' || b.role === 'router') for (const c of b.children) byId.set(c.id, c)
  const at = (id: string): Point | undefined => byId.get(id)?.position ?? pos.get(id)
  for (const e of cross) {
    for (const [end, other] of [[e.source, e.target], [e.target, e.source]]) {
      const port = byId.get(end)
      const q = at(other)
      if (!port?.position || !q || /\binfra-port\b/.test(port.classes)) continue
      const dx = q.x - port.position.x
      const dy = q.y - port.position.y
      const side = dx > Math.abs(dy) ? (dy >= 0 ? ' label-above' : ' label-below') : /\blabel-below\b/.test(port.classes) ? ' label-below' : ''
      port.classes = port.classes.replace(/ label-(below|above)\b/, '') + side
    }
  }
}

/** Moves boxes and loose leaves apart where they cover one another (room.ts), places included. */
/** A node box whose elements are made later (graph.ts laterBox): what they will be moved by, and the ids of those already placed. */
interface LaterRoom {
  room: Point
  placed: readonly string[]
  /** How far right the names of its own devices (uplink, bridge, VXLAN device) reach, as laid out. */
  reach: number
}

/** Whether anything moved. */
function makeRoomFor(boxes: BoxModel[], loose: GraphNode[], pos: Map<string, Point>, places: Map<string, Place>, later: ReadonlyMap<BoxModel, LaterRoom>): boolean {
  // A node box whose elements are not made yet is not made for this: the name of the host end of
  // its last pod's veth (12 characters) reaches past that pod's box.
  // Nor do the names of its own devices (a node without pods is as narrow as its bridge).
  const lazyBounds = (b: BoxModel, l: LaterRoom): Bounds => ({ ...b.bounds, x2: Math.max(b.bounds.x2 + (b.pods.size ? VETH_NAME_REACH : 0), l.reach + l.room.x) })
  const items: RoomItem[] = boxes.map((b) => {
    const l = later.get(b)
    return { id: b.id, r: coverOf(l ? lazyBounds(b, l) : drawnBounds(b), b.role) }
  })
  for (const n of loose) {
    if (!n.position) continue
    const box = n.classes.startsWith('box')
    const h = box ? EMPTY_BOX : { w: 2 * halfSize(n.classes).w, h: 2 * halfSize(n.classes).h }
    const r = { x1: n.position.x - h.w / 2, y1: n.position.y - h.h / 2, x2: n.position.x + h.w / 2, y2: n.position.y + h.h / 2 }
    items.push({ id: n.id, r: coverOf(r, box ? 'other' : 'pod-leaf') })
  }
  const moved = makeRoom(items)
  if (moved.size === 0) return false
  const by = (ns: string, d: Point): void => {
    const p = places.get(ns)
    if (p) places.set(ns, { ...p, x: p.x + d.x, y: p.y + d.y })
  }
  for (const b of boxes) {
    const d = moved.get(b.id)
    if (!d) continue
    const lazy = later.get(b)
    if (lazy) {
      lazy.room.x += d.x
      lazy.room.y += d.y
      for (const id of lazy.placed) {
        const p = pos.get(id)
        if (p) pos.set(id, { x: p.x + d.x, y: p.y + d.y })
      }
    } else shift(b.children, d, pos)
    Object.assign(b.bounds, { x1: b.bounds.x1 + d.x, y1: b.bounds.y1 + d.y, x2: b.bounds.x2 + d.x, y2: b.bounds.y2 + d.y })
    for (const leaf of [b.summary, b.far, b.name]) if (leaf?.position) leaf.position = { x: leaf.position.x + d.x, y: leaf.position.y + d.y }
    by(b.ns, d)
  }
  for (const n of loose) {
    const d = moved.get(n.id)
    if (!d || !n.position) continue
    n.position = { x: n.position.x + d.x, y: n.position.y + d.y }
    if (pos.has(n.id)) pos.set(n.id, n.position)
    by(n.ns, d)
  }
  return true
}

function emptyBounds(): Bounds {
  return { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity }
}

function grow(b: Bounds, n: GraphNode): void {
  if (!n.position) return
  const h = halfSize(n.classes)
  b.x1 = Math.min(b.x1, n.position.x - h.w)
  b.y1 = Math.min(b.y1, n.position.y - h.h)
  b.x2 = Math.max(b.x2, n.position.x + h.w)
  b.y2 = Math.max(b.y2, n.position.y + h.h)
}

/**
 * The summary of a namespace drawn as one box: its name, its address, how many pods it runs and
 * what is wrong with it (links down, forwarding off), at the size of the full box, the text scaled
 * to the box so it reads when the box is small on screen; for far out, the name and a node's pod
 * count alone in a larger type; and farther still the name alone, larger again. `grid`: a box of
 * a grid of hundreds, whose far-out text fills it and whose outline stays visible.
 */
function summaryOf(n: NetnsView, pods: readonly NetnsView[], words: GraphLabels, node: GraphNode, b: Bounds, grid = false): Summary {
  const w = Math.max(b.x2 - b.x1, 1) + 2 * BOX_PADDING
  const h = Math.max(b.y2 - b.y1, 1) + 2 * BOX_PADDING
  return summaryAt(n, pods, words, node, { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 }, w, h, grid)
}

/** The summary leaves of a box `w` x `h` centred at `position`: their words, and the type that fits them. */
function summaryAt(n: NetnsView, pods: readonly NetnsView[], words: GraphLabels, node: GraphNode, position: Point, w: number, h: number, grid: boolean): Summary {
  const { lines, problems } = summaryLines(n, pods, words)
  const fit = (text: string[]): number => Math.round(Math.max(12, Math.min(h / (text.length * 1.5 + 0.5), (w / Math.max(...text.map((l) => l.length))) * 1.6)))
  // Far out in a grid, the text fills the box (lines 1.25 apart, a character about 0.6 of the type wide).
  const fitFar = (text: string[]): number => (grid ? Math.round(Math.max(12, Math.min(h / (text.length * 1.3), (w / Math.max(...text.map((l) => l.length))) * 1.6))) : fit(text))
  const classes = `${node.classes.replace(/ (big|mid)-label/, '')} collapsed${problems ? ' warn' : ''}`
  const name = problems ? `⚠ ${lines[0]}` : lines[0]
  // Far out a node still says how many pods it runs: on the name's line (a wide box), or under it,
  // whichever reads larger; the name alone when either would be less than half its size.
  const count = n.role === 'node' ? words.pods(pods.length) : null
  const alone = fitFar([name])
  let best = { t: [name], font: alone, counted: false }
  for (const t of count ? [[`${name}  ·  ${count}`], [name, count]] : []) {
    const font = fitFar(t)
    if (font >= alone * 0.5 && (!best.counted || font > best.font)) best = { t, font, counted: true }
  }
  const leaf = (label: string, font: number, far = ''): GraphNode => ({ id: node.id, label, classes: classes + far, ns: n.name, position, size: { w, h, font } })
  const farClass = grid ? ' far' : ''
  return {
    summary: leaf(lines.join('\n'), Math.min(90, fit(lines))),
    far: leaf(best.t.join('\n'), best.font, farClass),
    // Where the count would be much smaller than the name alone, the name alone comes first.
    ...(best.counted && best.font < alone * 0.8 ? { name: leaf(name, alone, farClass) } : {}),
  }
}

/** Height of an underlay's far-out band, as a share of the grid's width (about 30 pixels at the zoom that fits the grid). */
const BANNER_SHARE = 1 / 36

/** An underlay's far-out band: above its box, as wide, its name, kind and port count on one line. */
function bannerOf(n: NetnsView, b: BoxModel, ports: number, words: GraphLabels): GraphNode {
  const w = b.bounds.x2 - b.bounds.x1 + 2 * BOX_PADDING
  const h = Math.max(b.bounds.y2 - b.bounds.y1 + 2 * BOX_PADDING, w * BANNER_SHARE)
  const { problems } = summaryLines(n, [], words)
  // Its bottom just above the box's name, so the box and its ports stay as they are.
  const y = b.bounds.y1 - BOX_PADDING - NAME_ROOM - h / 2
  const at = { id: `${b.id}#banner`, label: '', classes: `box role-${n.role} collapsed banner${problems ? ' warn' : ''}`, ns: n.name, position: { x: (b.bounds.x1 + b.bounds.x2) / 2, y }, size: { w, h, font: 0 } }
  return bannerWords(n, ports, words, at)
}

/** A banner's words and the type that fits them in its band (`at`: the band, where and how big). */
function bannerWords(n: NetnsView, ports: number, words: GraphLabels, at: GraphNode): GraphNode {
  const { w, h } = at.size!
  const warn = /\bwarn\b/.test(at.classes)
  const text = `${warn ? '⚠ ' : ''}${displayName(n, words)}  ·  ${n.role === 'switch' ? words.switch : words.router}  ·  ${words.ports(ports)}`
  const font = Math.round(Math.max(12, Math.min(h * 0.55, (w / text.length) * 1.6)))
  return { ...at, label: text, size: { w, h, font } }
}

/** A grid of more nodes than this is captioned far out (a 1,000-node grid's names read from about twice the zoom that fits it). */
export const CAPTION_ABOVE = 200
/** At most this many captions down a grid: beyond it, one for a band of several rows. */
const CAPTIONS_MAX = 12

/** About how wide a line of text is, in ems: a wide (CJK) character is one, another about 0.62. */
const textWidth = (line: string): number => {
  let w = 0
  for (const ch of line) w += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.62
  return w
}

/** "node101–node120" as "node101–120": a shared name before the numbers is said once. */
function nameRange(first: string, last: string): string {
  if (first === last) return first
  const a = /^(.*?)(\d+)$/.exec(first)
  const b = /^(.*?)(\d+)$/.exec(last)
  return a && b && a[1] === b[1] ? `${first}–${b[2]}` : `${first}–${last}`
}

/**
 * Captions for the rows of a big grid of node boxes, seen from far out: right of the grid (the
 * left edge of the canvas is under the palette), one for
 * each band of rows (the rows' first and last node, so a node is found by its name), and under
 * it how many of the band's nodes have a problem (their boxes keep the warning colour). The type
 * is a share of the band's height, so it reads at the zoom that fits the grid.
 */
function gridCaptions(boxes: readonly BoxModel[], cellOf: ReadonlyMap<string, { row: number; col: number }>, rows: number, pitch: number, words: GraphLabels): GraphNode[] {
  const per = Math.ceil(rows / CAPTIONS_MAX)
  const bands: { names: string[]; problems: number; y1: number; y2: number }[] = []
  let right = -Infinity
  for (const b of boxes) {
    const cell = b.role === 'node' ? cellOf.get(b.ns) : undefined
    if (!cell) continue
    const band = (bands[Math.floor(cell.row / per)] ??= { names: [], problems: 0, y1: Infinity, y2: -Infinity })
    band.names.push(b.ns)
    if (/\bwarn\b/.test(b.summary.classes)) band.problems++
    band.y1 = Math.min(band.y1, b.bounds.y1 - BOX_PADDING)
    band.y2 = Math.max(band.y2, b.bounds.y2 + BOX_PADDING)
    right = Math.max(right, b.bounds.x2 + BOX_PADDING)
  }
  const font = Math.round(Math.max(12, per * pitch * 0.3))
  return bands.flatMap((band, i) => {
    if (!band) return []
    const lines = [nameRange(band.names[0], band.names[band.names.length - 1]), ...(band.problems ? [`⚠ ${words.problems(band.problems)}`] : [])]
    const w = Math.max(...lines.map(textWidth)) * font + font
    const h = lines.length * font * 1.3
    const position = { x: right + font + w / 2, y: (band.y1 + Math.min(band.y2, band.y1 + per * pitch)) / 2 }
    return [{ id: `caption:${i}`, label: lines.join('\n'), classes: `caption${band.problems ? ' warn' : ''}`, ns: '', position, size: { w, h, font } }]
  })
}

/**
 * A node box and its contents, laid out with the box's slot area starting at x = 0. A big
 * cluster's boxes are drawn as summaries until zoomed in, so a draft first gives only their
 * shape (what they cover, where their own devices and pods are); the elements are made when the
 * box is first drawn in full (`full`), by the same code, so both agree.
 */
interface NodeDraft {
  ns: NetnsView
  pods: NetnsView[]
  box: GraphNode
  /** The elements (empty unless drafted in full). */
  items: GraphNode[]
  edges: GraphEdge[]
  width: number
  /** What the elements cover (centres and half sizes), how many there are, the smallest centre x. */
  cover: Bounds
  count: number
  minX: number
  /** How far right the names of its own devices reach (not those toward its pods). */
  reach: number
  /** Where the elements the underlay and tunnels join are (by element id), and each pod. */
  at: Map<string, Point>
  podAt: Point[]
}

function draftNode(n: NetnsView, pods: NetnsView[], words: GraphLabels, byName: Map<string, NetnsView>, full: boolean): NodeDraft {
  const box: GraphNode = { id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}`, ns: n.name }
  const items: GraphNode[] = []
  const edges: GraphEdge[] = []
  const cover = emptyBounds()
  const at = new Map<string, Point>()
  const podAt: Point[] = []
  let count = 0
  let minX = Infinity
  let reach = -Infinity
  const put = (x: number, y: number, size: { w: number; h: number }): void => {
    count++
    minX = Math.min(minX, x)
    cover.x1 = Math.min(cover.x1, x - size.w / 2)
    cover.y1 = Math.min(cover.y1, y - size.h / 2)
    cover.x2 = Math.max(cover.x2, x + size.w / 2)
    cover.y2 = Math.max(cover.y2, y + size.h / 2)
  }
  const addIface = (d: DeviceView, x: number, y: number, toPod = false): void => {
    const peer = d.peer ? byName.get(d.peer.netns) : undefined
    const kind = deviceKind(n, d, peer)
    const id = ifId(n.name, d.name)
    put(x, y, SIZES[kind])
    // What the underlay and the tunnels are joined to (a port toward a pod is not), and how far its name reaches.
    if (!toPod) {
      at.set(id, { x, y })
      reach = Math.max(reach, x + SIZES[kind].w / 2 + 4 + Math.max(...ifaceLabel(d).split('\n').map((l) => l.length)) * CHAR_W)
    }
    if (full) items.push({ id, parent: box.id, label: ifaceLabel(d), classes: ifaceClasses(d, kind), ns: n.name, dev: d.name, position: { x, y } })
  }
  // Uplink on top, bridge, bridge ports, pods below; VXLAN devices and anything else beside the uplink.
  const devs = n.devices.filter(shown)
  const podX = new Map<string, Point>()
  const cols = podColumns(pods.length)
  pods.forEach((p, j) => {
    const x = SLOT / 2 + (j % cols) * SLOT
    // Each row of pods lower by a pitch, with its bridge ports above it.
    const dy = Math.floor(j / cols) * POD_ROW_PITCH
    const eth = p.devices.find((d) => d.peer?.netns === n.name)
    if (eth?.peer) podX.set(eth.peer.device, { x, y: Y_PORT + dy })
    // The pod's box is drawn around its interfaces; its position is the middle of that box.
    const y = Y_POD_IF - POD_IF_TOP + SIZES.pod.h / 2 + dy
    put(x, y, SIZES.pod)
    podAt.push({ x, y })
    if (full) items.push({ id: nsId(p.name), parent: box.id, label: podLabel(p), classes: podClasses(p), ns: p.name, position: { x, y } })
    const own = p.devices.filter(shown)
    own.forEach((d, i) => {
      const peer = d.peer ? byName.get(d.peer.netns) : undefined
      const kind = deviceKind(p, d, peer)
      const ix = x + (i - (own.length - 1) / 2) * 34
      const iy = Y_POD_IF + dy
      put(ix, iy, SIZES[kind])
      // Where the underlay or a tunnel may need it (not the pod's own veth to its node).
      if (d.peer?.netns !== n.name) at.set(ifId(p.name, d.name), { x: ix, y: iy })
      if (full) items.push({ id: ifId(p.name, d.name), parent: nsId(p.name), label: ifaceLabel({ ...d, addresses: [] }), classes: ifaceClasses(d, kind), ns: p.name, dev: d.name, position: { x: ix, y: iy } })
    })
  })
  const slots = Math.max(2, cols)
  const cx = (slots * SLOT) / 2
  const vxlans = devs.filter((d) => d.kind === 'vxlan')
  const bridges = devs.filter((d) => d.kind === 'bridge')
  let extraX = cx + (vxlans.length ? 70 + vxlans.length * SLOT : 90)
  const uplink = devs.find((d) => d.name === 'eth0')
  if (uplink) addIface(uplink, vxlans.length ? cx - 70 : cx, Y_UPLINK)
  vxlans.forEach((d, i) => addIface(d, cx + 70 + i * SLOT, Y_VXLAN))
  bridges.forEach((d, i) => addIface(d, cx + (i - (bridges.length - 1) / 2) * SLOT, Y_BRIDGE))
  for (const d of devs) {
    if (d === uplink || vxlans.includes(d) || bridges.includes(d)) continue
    const port = podX.get(d.name)
    if (port) addIface(d, port.x, port.y, true)
    else {
      addIface(d, extraX, Y_UPLINK)
      extraX += SLOT * 0.8
    }
  }
  // Bridge ports join their bridge through one bus above them, not a fan of diagonals across labels.
  if (full) for (const d of devs) if (d.master) edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: 'port bus' })
  return { ns: n, pods, box, items, edges, width: Math.max(slots * SLOT, extraX - SLOT / 2), cover, count, minX, reach, at, podAt }
}

type Summary = { summary: GraphNode; far: GraphNode; name?: GraphNode }

const NONE: ReadonlyMap<string, string> = new Map()

const NO_PODS: ReadonlySet<string> = new Set()

function boxModel(ns: NetnsView, node: GraphNode, summary: (b: Bounds) => Summary, children: GraphNode[], edges: GraphEdge[], infra?: { cull: boolean; core: ReadonlySet<string>; peers: ReadonlyMap<string, string> }, pods: ReadonlySet<string> = NO_PODS): BoxModel {
  const bounds = emptyBounds()
  for (const c of children) grow(bounds, c)
  if (!Number.isFinite(bounds.x1)) Object.assign(bounds, { x1: 0, y1: 0, x2: 1, y2: 1 })
  return { id: node.id, ns: ns.name, role: ns.role, node, ...summary(bounds), children, edges, size: children.length, pods, bounds, cull: infra?.cull ?? false, core: infra?.core ?? new Set(), peers: infra?.peers ?? NONE }
}

/** A node box whose elements are made when first asked for (`make`): far out, none are. */
function laterBox(ns: NetnsView, node: GraphNode, summary: (b: Bounds) => Summary, bounds: Bounds, size: number, pods: ReadonlySet<string>, make: () => { children: GraphNode[]; edges: GraphEdge[] }): BoxModel {
  let made: { children: GraphNode[]; edges: GraphEdge[] } | null = null
  return {
    id: node.id,
    ns: ns.name,
    role: ns.role,
    node,
    ...summary(bounds),
    get children() {
      return (made ??= make()).children
    },
    get edges() {
      return (made ??= make()).edges
    },
    size,
    pods,
    bounds,
    cull: false,
    core: new Set(),
    peers: NONE,
  }
}

export function buildModel(topo: Topology, words: GraphLabels = DEFAULT_LABELS, opts: GraphOptions = {}): CanvasModel {
  const boxes: BoxModel[] = []
  const loose: GraphNode[] = []
  const cross: GraphEdge[] = []
  const pos = new Map<string, { x: number; y: number }>()
  const places = new Map<string, Place>()
  const saved = opts.positions ?? {}
  const byName = namespacesByName(topo)
  const nodeNs = topo.namespaces.filter((n) => n.role === 'node')
  const podsOf = new Map<string, NetnsView[]>()
  for (const n of topo.namespaces) {
    if (n.role !== 'pod' || !n.node || byName.get(n.node)?.role !== 'node') continue
    const list = podsOf.get(n.node)
    if (list) list.push(n)
    else podsOf.set(n.node, [n])
  }
  // A pod stands for its devices not drawn yet; it is where its place says (relative to its node).
  const podPlace = (ns: string): Point | undefined => {
    const p = places.get(ns)
    const o = p?.node !== undefined ? places.get(p.node) : undefined
    return p && o ? { x: o.x + p.x, y: o.y + p.y } : pos.get(nsId(ns))
  }
  const placed = (ns: string, dev: string): { x: number; y: number } | undefined => pos.get(ifId(ns, dev)) ?? (byName.get(ns)?.role === 'pod' ? podPlace(ns) : undefined)

  // The underlay: switches first, then routers.
  const infra = topo.namespaces.filter(isInfra).sort((a, b) => (a.role === b.role ? 0 : a.role === 'switch' ? -1 : 1))
  // Nodes grouped by the switch or router they hang from (unwired last), a gap between groups, so
  // each switch sits above its own nodes and several segments do not overlap.
  const infraIndex = new Map(infra.map((n, i) => [n.name, i]))
  const groupOf = (n: NetnsView): number => {
    for (const d of n.devices) if (d.peer && infraIndex.has(d.peer.netns)) return infraIndex.get(d.peer.netns)!
    return infra.length
  }
  const groups = new Map(nodeNs.map((n) => [n.name, groupOf(n)]))
  const grouped = new Set(groups.values()).size > 1
  const ordered = grouped ? [...nodeNs].sort((a, b) => groups.get(a.name)! - groups.get(b.name)!) : nodeNs
  // Kubernetes nodes in a grid, each centred in its column.
  // A node with pods the user moved is drafted in full at once (its pods' places need the elements).
  // (Looked up only when something was placed by hand: looking up 30,000 pod names in an empty object is not free.)
  const anySaved = Object.keys(saved).length > 0
  const movedPods = (n: NetnsView): boolean => anySaved && (podsOf.get(n.name) ?? []).some((p) => saved[p.name])
  const drafts = ordered.map((n) => draftNode(n, podsOf.get(n.name) ?? [], words, byName, movedPods(n)))
  const gapBefore = drafts.map((d, i) => (grouped && i > 0 && groups.get(d.ns.name) !== groups.get(drafts[i - 1].ns.name) ? GROUP_GAP : 0))
  const taller = Math.max(0, ...drafts.map((d) => podRows(d.pods.length) - 1)) * POD_ROW_PITCH
  const plan = planGrid(drafts.map((d, i) => d.width + gapBefore[i]), taller)
  const multiRow = plan.rows > 1
  // Links inside a node whose elements are made later (veth pairs between its pods and itself, found below).
  const innerLater = new Map<string, LinkView[]>()
  const later = new Map<BoxModel, LaterRoom>()
  // The lowest centre x of everything laid out so far.
  let lowX = Infinity
  // A grid is shown small: box names in a larger type stay readable at the zoom that fits it (a
  // little smaller in narrow boxes, so neighbouring names keep apart).
  const cellOf = new Map<string, { row: number; col: number }>()
  drafts.forEach((d, i) => {
    if (multiRow) d.box.classes += d.width >= 3 * SLOT ? ' big-label' : ' mid-label'
    const { row, col } = plan.cells[i]
    cellOf.set(d.ns.name, { row, col })
    // The grid's place for the node, or the user's (the top-left corner of its contents as laid out).
    const local = Number.isFinite(d.cover.x1) ? { x: d.cover.x1, y: d.cover.y1 } : { x: 0, y: 0 }
    const at = saved[d.ns.name]
    const dx = at ? at.x - local.x : plan.colX[col] + (plan.colW[col] - d.width - gapBefore[i]) / 2 + gapBefore[i]
    const dy = at ? at.y - local.y : row * plan.pitch
    const moved = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy })
    for (const [id, p] of d.at) pos.set(id, moved(p))
    lowX = Math.min(lowX, d.minX + dx)
    const origin = { x: local.x + dx, y: local.y + dy }
    places.set(d.ns.name, origin)
    const summary = (b: Bounds): Summary => summaryOf(d.ns, d.pods, words, d.box, b, multiRow)
    const podNames = new Set(d.pods.map((p) => p.name))
    if (d.items.length === 0 && d.count > 0) {
      // Drafted in shape only: the elements are made the first time the box is drawn in full.
      d.pods.forEach((p, j) => places.set(p.name, { x: d.podAt[j].x + dx - origin.x, y: d.podAt[j].y + dy - origin.y, node: d.ns.name }))
      const cover = { x1: d.cover.x1 + dx, y1: d.cover.y1 + dy, x2: d.cover.x2 + dx, y2: d.cover.y2 + dy }
      // Where room.ts moved the box, if it did, by the time its elements are made.
      const room = { x: 0, y: 0 }
      const make = (): { children: GraphNode[]; edges: GraphEdge[] } => {
        const again = draftNode(d.ns, d.pods, words, byName, true)
        for (const item of again.items) item.position = moved({ x: item.position!.x + room.x, y: item.position!.y + room.y })
        return { children: again.items, edges: [...again.edges, ...(innerLater.get(d.box.id) ?? []).map((l) => linkEdge(l))] }
      }
      const b = laterBox(d.ns, d.box, summary, cover, d.count, podNames, make)
      later.set(b, { room, placed: [...d.at.keys()], reach: d.reach + dx })
      boxes.push(b)
      return
    }
    for (const item of d.items) {
      item.position = moved(item.position!)
      pos.set(item.id, item.position)
    }
    // Pods the user moved inside their node: relative to the node's position.
    const itemOf = d.pods.length ? new Map(d.items.map((it) => [it.id, it])) : null
    for (const p of d.pods) {
      const podId = nsId(p.name)
      const podItem = itemOf!.get(podId)!
      const want = saved[p.name]
      if (want) shift(d.items.filter((it) => it.id === podId || it.parent === podId), { x: origin.x + want.x - podItem.position!.x, y: origin.y + want.y - podItem.position!.y }, pos)
      places.set(p.name, { x: podItem.position!.x - origin.x, y: podItem.position!.y - origin.y, node: d.ns.name })
    }
    boxes.push(boxModel(d.ns, d.box, summary, d.items, d.edges, undefined, podNames))
  })
  const width = Math.max(plan.width, SLOT * 2)
  // Ports toward other underlay boxes go left of everything, lanes included.
  let minX = multiRow ? laneX(plan, plan.rows - 1, 0) - SLOT / 2 : 0
  for (const p of pos.values()) minX = Math.min(minX, p.x - SLOT / 2)
  if (Number.isFinite(lowX)) minX = Math.min(minX, lowX - SLOT / 2)

  // The underlay above: ports straight over the uplinks of the first row, over the lanes of the
  // rows below; the router of the cloud route table beside the switch.
  const laneLinks = new Set<string>()
  let leftSlot = 0
  // Switches and routers wired to no node go right of the grid, one after another.
  let freeX = width + BOX_GAP + SLOT
  /** Whether underlay box `peer` is above `ns`: as the user put them, else a router joining segments (laid out above them). */
  const isAbove = (ns: string, peer: NetnsView): boolean => {
    const [a, b] = [saved[ns], saved[peer.name]]
    if (a && b) return b.y < a.y
    return peer.role === 'router' && peer.devices.filter((d) => d.peer && isInfra(byName.get(d.peer.netns))).length > 1
  }
  // Boxes placed by hand lay their ports again once room is made (their far ends may have moved).
  const relay: (() => void)[] = []
  const overNodes = infra.filter((n) => n.devices.some((d) => d.peer && byName.get(d.peer.netns)?.role === 'node')).length
  // Placed by hand (in a lab of one row of nodes): ports on the side facing their far ends (ports.ts).
  const byHand = (n: NetnsView): boolean => !multiRow && saved[n.name] !== undefined && n.devices.some(shown)
  // Routers placed by hand first: the switches below them put their ports toward them by where they are.
  const infraOrder = [...infra.filter((n) => n.role === 'router' && byHand(n)), ...infra.filter((n) => !(n.role === 'router' && byHand(n)))]
  for (const n of infraOrder) {
    const box: GraphNode = { id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}${multiRow ? ' big-label' : ''}`, ns: n.name }
    const children: GraphNode[] = []
    const peers = new Map<string, string>()
    const addIface = (d: DeviceView, x: number, y: number): void => {
      const id = ifId(n.name, d.name)
      pos.set(id, { x, y })
      if (d.peer) peers.set(id, d.peer.netns)
      const peerNs = d.peer ? byName.get(d.peer.netns) : undefined
      const kind = deviceKind(n, d, peerNs)
      // Ports in a row over the nodes have their names run down beside them, clear of the lanes;
      // a link toward another underlay box runs sideways or up, so its end's name goes below, to the right.
      const rotated = multiRow && peerNs?.role === 'node'
      const row = rotated ? ' infra-port' : isInfra(peerNs) ? ' label-below' : ''
      // A name written down the lane has room for one line only.
      const label = rotated ? ifaceLabel(d).replace('\n', '  ') : ifaceLabel(d)
      children.push({ id, parent: box.id, label, classes: ifaceClasses(d, kind) + row, ns: n.name, dev: d.name, position: { x, y } })
    }
    const devs = n.devices.filter(shown)
    if (devs.length === 0) {
      // Nothing wired yet: a childless box, placed like a leaf.
      const leaf = { ...box, position: emptyBoxAt(saved[n.name] ?? { x: freeX, y: Y_INFRA_PORT }) }
      loose.push(leaf)
      places.set(n.name, saved[n.name] ? { ...saved[n.name] } : { x: freeX, y: Y_INFRA_PORT })
      if (!saved[n.name]) freeX += 2 * SLOT + BOX_GAP
      continue
    }
    if (byHand(n)) {
      places.set(n.name, { ...saved[n.name] })
      const edges: GraphEdge[] = []
      // Where its devices go for where the box and the far ends of its wires are now (ports.ts);
      // again once room is made between the boxes, which may have moved a far end.
      const lay = (): Map<string, Point> => {
        // The bridge first: the box's corner is its top-left.
        const ends = [...devs]
          .sort((a, b) => Number(b.kind === 'bridge') - Number(a.kind === 'bridge'))
          .map((d): PortEnd => {
            const peerNs = d.peer ? byName.get(d.peer.netns) : undefined
            // A switch or router not laid out yet: about the middle of its first device, from its corner.
            const corner = d.peer && isInfra(peerNs) ? places.get(d.peer.netns) : undefined
            const far = d.peer ? (placed(d.peer.netns, d.peer.device) ?? (corner && { x: corner.x + 15, y: corner.y + 10 })) : undefined
            return { id: d.name, half: halfSize(ifaceClasses(d, deviceKind(n, d, peerNs))), core: !d.peer, far, infra: isInfra(peerNs) }
          })
        const at = placePorts(n.role === 'router' ? 'router' : 'switch', places.get(n.name)!, ends)
        edges.length = 0
        for (const d of devs) {
          if (!d.master) continue
          // Ports under their bridge hang off one bus; the rest join it straight.
          const below = at.get(d.name)!.y > (at.get(d.master)?.y ?? Infinity)
          edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: below ? 'port bus' : 'port' })
        }
        return at
      }
      const at = lay()
      for (const d of devs) addIface(d, at.get(d.name)!.x, at.get(d.name)!.y)
      const infraOpts = { cull: devs.length > CULL_PORTS, core: new Set(devs.filter((d) => !d.peer).map((d) => ifId(n.name, d.name))), peers }
      const summary = (b: Bounds): { summary: GraphNode; far: GraphNode } => summaryOf(n, [], words, box, b)
      const handBox = boxModel(n, box, summary, children, edges, infraOpts)
      boxes.push(handBox)
      relay.push(() => {
        const again = lay()
        const b = emptyBounds()
        for (const c of children) {
          c.position = again.get(c.dev!)!
          pos.set(c.id, c.position)
          grow(b, c)
        }
        Object.assign(handBox.bounds, b)
        Object.assign(handBox, summary(handBox.bounds))
      })
      continue
    }
    const core: DeviceView[] = []
    const toInfra: DeviceView[] = []
    // Ports toward an underlay box above (a router joining segments, or one the user put higher):
    // over the bridge, so their wires go up without crossing the bridge and its ports.
    const up: DeviceView[] = []
    // A router between segments goes above them, each port over the switch port it is wired to.
    const between = n.role === 'router' && devs.filter((d) => d.peer && placed(d.peer.netns, d.peer.device) && isInfra(byName.get(d.peer.netns))).length > 1
    for (const d of devs) {
      const peerPos = d.peer ? placed(d.peer.netns, d.peer.device) : undefined
      const peerNs = d.peer ? byName.get(d.peer.netns) : undefined
      const cell = d.peer && peerNs?.role === 'node' ? cellOf.get(d.peer.netns) : undefined
      if (peerPos && peerNs && isInfra(peerNs)) addIface(d, between ? peerPos.x : peerPos.x - 170, between ? Y_ROUTER_ABOVE : peerPos.y)
      else if (cell && cell.row > 0) {
        addIface(d, laneX(plan, cell.row, cell.col), Y_INFRA_PORT)
        laneLinks.add(`${n.name}/${d.name}`)
      } else if (peerPos) addIface(d, peerPos.x, Y_INFRA_PORT)
      else if (peerNs && isInfra(peerNs)) (isAbove(n.name, peerNs) ? up : toInfra).push(d)
      else core.push(d)
    }
    // The box's centre: over the whole grid for the one underlay of a scenario, else over its own ports.
    const xs = children.map((c) => c.position!.x)
    const own = xs.length ? { lo: Math.min(...xs), hi: Math.max(...xs) } : null
    const centre = overNodes <= 1 && own ? width / 2 : own ? (own.lo + own.hi) / 2 : freeX + toInfra.length * SLOT
    if (!own) freeX += (toInfra.length + core.length + 1) * SLOT + BOX_GAP
    if (overNodes <= 1 || !own) for (const d of toInfra) addIface(d, own ? minX - ++leftSlot * SLOT : centre - (toInfra.indexOf(d) + 1) * SLOT, Y_INFRA_PORT)
    else toInfra.forEach((d, j) => addIface(d, own.lo - (j + 1) * SLOT, Y_INFRA_PORT))
    core.forEach((d, i) => addIface(d, centre + (i - (core.length - 1) / 2) * SLOT, Y_INFRA_CORE))
    up.forEach((d, i) => addIface(d, centre + (i - (up.length - 1) / 2) * SLOT, Y_INFRA_UP))
    // Many underlay ports share one bus to their bridge instead of a fan of diagonals.
    const edges: GraphEdge[] = []
    for (const d of devs) if (d.master) edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: multiRow ? 'port bus' : 'port' })
    const infraOpts = { cull: devs.length > CULL_PORTS, core: new Set(core.map((d) => ifId(n.name, d.name))), peers }
    placeBox(n.name, children, saved[n.name], pos, places, n.role)
    const infraBox = boxModel(n, box, (b) => summaryOf(n, [], words, box, b), children, edges, infraOpts)
    if (multiRow) infraBox.banner = bannerOf(n, infraBox, devs.filter((d) => d.kind !== 'bridge').length, words)
    boxes.push(infraBox)
  }

  // Everything else (namespaces made by commands, the host): a row of boxes below.
  const yOther = Y_OTHER + taller + (plan.rows - 1) * plan.pitch
  let ox = 0
  for (const n of topo.namespaces) {
    if (n.role === 'node' || isInfra(n) || (n.role === 'pod' && podsOf.get(n.node ?? '')?.includes(n))) continue
    if (n.role === 'pod') {
      const p = saved[n.name] ? { ...saved[n.name] } : { x: ox + SLOT / 2, y: yOther }
      pos.set(nsId(n.name), p)
      places.set(n.name, { ...p })
      loose.push({ id: nsId(n.name), label: podLabel(n), classes: podClasses(n), ns: n.name, position: p })
      if (!saved[n.name]) ox += SLOT + BOX_GAP
      continue
    }
    const box: GraphNode = { id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}`, ns: n.name }
    const devs = n.devices.filter(shown)
    const children = devs.map((d, i): GraphNode => ({ id: ifId(n.name, d.name), parent: box.id, label: ifaceLabel(d), classes: ifaceClasses(d, deviceKind(n, d, d.peer ? byName.get(d.peer.netns) : undefined)), ns: n.name, dev: d.name, position: { x: ox + SLOT / 2 + i * SLOT, y: yOther } }))
    const edges: GraphEdge[] = []
    for (const d of devs) if (d.master) edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: 'port' })
    if (devs.length === 0) {
      // A namespace without devices is a childless box, placed like a leaf.
      const at = saved[n.name] ?? { x: ox + SLOT / 2, y: yOther }
      loose.push({ ...box, position: emptyBoxAt(at) })
      places.set(n.name, { ...at })
    } else {
      placeBox(n.name, children, saved[n.name], pos, places)
      boxes.push(boxModel(n, box, (b) => summaryOf(n, [], words, box, b), children, edges))
    }
    ox += Math.max(1, devs.length) * SLOT + BOX_GAP
  }

  // A drawing arranged by hand: a box that grew over a neighbour pushes it away (room.ts).
  // Their ports then follow the nodes that were pushed, and a box that grew with them pushes in turn.
  if (Object.keys(saved).length) {
    for (let round = 0; round < 3 && makeRoomFor(boxes, loose, pos, places, later); round++) for (const f of relay) f()
  }

  // veth pairs (each once) between boxes; a pod's own veth stays inside its node's box.
  // Boxes made later are found by the namespace in their elements' ids (`ns:POD`, `if:NS/DEV`).
  const byId = new Map<string, BoxModel>()
  const byNs = new Map<string, BoxModel>()
  for (const b of boxes) {
    byId.set(b.id, b)
    if (later.has(b)) {
      byNs.set(b.ns, b)
      for (const p of b.pods) byNs.set(p, b)
    } else for (const c of b.children) byId.set(c.id, b)
  }
  const nsOfId = (id: string): string => (id.startsWith('ns:') ? id.slice(3) : id.startsWith('if:') ? id.slice(3, id.indexOf('/', 3)) : '')
  const boxOf: BoxIndex = { get: (id) => byId.get(id) ?? byNs.get(nsOfId(id)) }
  const devOf = (ns: string, dev: string): DeviceView | undefined => byName.get(ns)?.devices.find((d) => d.name === dev)
  const linkEdge = (l: LinkView): GraphEdge => {
    const da = devOf(l.a.netns, l.a.device)
    const db = devOf(l.b.netns, l.b.device)
    const down = !da?.up || !db?.up
    // A lane link starts at the underlay port, so it runs down the lane and then across to its node.
    const laneAtB = laneLinks.has(`${l.b.netns}/${l.b.device}`)
    const [a, b] = laneAtB ? [l.b, l.a] : [l.a, l.b]
    const lane = laneAtB || laneLinks.has(`${l.a.netns}/${l.a.device}`)
    return { id: `veth:${l.id}`, source: deviceElement(topo, a.netns, a.device), target: deviceElement(topo, b.netns, b.device), classes: `veth${lane ? ' lane' : ''}${down ? ' down' : ''}` }
  }
  for (const l of topo.links) {
    // A veth pair inside a box not drawn in full yet (a pod's, to its node): made with the box.
    const home = byNs.get(l.a.netns)
    if (home && later.has(home) && home === byNs.get(l.b.netns)) {
      const list = innerLater.get(home.id)
      if (list) list.push(l)
      else innerLater.set(home.id, [l])
      continue
    }
    const e = linkEdge(l)
    const inner = boxOf.get(e.source)
    if (inner && inner === boxOf.get(e.target) && inner.id !== e.source && inner.id !== e.target) inner.edges.push(e)
    else cross.push(e)
  }
  if (Object.keys(saved).length) clearWires(boxes, pos, cross)
  // A tunnel as an edge, bulging by its length so tunnels between far nodes do not overlap near
  // ones. Made only for the tunnels drawn: a big mesh has half a million, and draws a node's own.
  const tunnelEdge = (t: LinkView): GraphEdge => {
    const pa = pos.get(ifId(t.a.netns, t.a.device))
    const pb = pos.get(ifId(t.b.netns, t.b.device))
    const [s, d] = pa && pb && pa.x > pb.x ? [t.b, t.a] : [t.a, t.b]
    const dx = pa && pb ? Math.hypot(pa.x - pb.x, pa.y - pb.y) : 0
    return { id: t.id, source: ifId(s.netns, s.device), target: ifId(d.netns, d.device), classes: 'tunnel', label: 'VXLAN', cpd: -(40 + dx * 0.12) }
  }

  const extent = emptyBounds()
  for (const b of boxes) {
    extent.x1 = Math.min(extent.x1, b.bounds.x1 - BOX_PADDING)
    extent.y1 = Math.min(extent.y1, b.bounds.y1 - BOX_PADDING - NAME_ROOM)
    extent.x2 = Math.max(extent.x2, b.bounds.x2 + BOX_PADDING)
    extent.y2 = Math.max(extent.y2, b.bounds.y2 + BOX_PADDING + NAME_ROOM)
  }
  for (const b of boxes) {
    if (!b.banner?.position || !b.banner.size) continue
    extent.y1 = Math.min(extent.y1, b.banner.position.y - b.banner.size.h / 2)
    extent.x1 = Math.min(extent.x1, b.banner.position.x - b.banner.size.w / 2)
    extent.x2 = Math.max(extent.x2, b.banner.position.x + b.banner.size.w / 2)
  }
  for (const n of loose) grow(extent, n)
  // A big grid's captions, right of it (placed by the grid: none once a node is placed by hand).
  const captioned = drafts.length > CAPTION_ABOVE && !drafts.some((d) => saved[d.ns.name])
  const captionsFor = (list: readonly BoxModel[], w: GraphLabels): GraphNode[] => (captioned ? gridCaptions(list, cellOf, plan.rows, plan.pitch, w) : [])
  const captions = captionsFor(boxes, words)

  // Another language changes words only: every box keeps its place, its size and its elements
  // (made or still to be made), and only the leaves that carry words are made again.
  const relabel = (w: GraphLabels): ModelBase => {
    const fresh = new Map<BoxModel, BoxModel>()
    const list = boxes.map((b) => {
      const n = byName.get(b.ns)!
      const grid = multiRow && b.role === 'node'
      const again = relabelBox(b, n, grid ? (podsOf.get(n.name) ?? []) : [], w, grid)
      fresh.set(b, again)
      return again
    })
    const said = captionsFor(list, w)
    return {
      ...base,
      boxes: list,
      boxOf: { get: (id) => fresh.get(boxOf.get(id)!) },
      loose: loose.map((l) => (l.classes.startsWith('box') ? { ...l, label: boxLabel(byName.get(l.ns)!, w) } : l)),
      captions: said,
      extent: withCaptions(extent, said),
    }
  }
  const base: ModelBase = { boxes, boxOf, loose, rows: plan.rows, extent: withCaptions(extent, captions), captions, byName, tunnels: { tunnels: topo.tunnels, packedTunnels: topo.packedTunnels }, tunnelEdge, multiRow, places, relabel }
  return withFocus(base, cross, opts.focus ?? null)
}

/** The extent of the boxes with the captions beside them. */
function withCaptions(boxes: Bounds, captions: readonly GraphNode[]): Bounds {
  const extent = { ...boxes }
  for (const c of captions) {
    extent.x2 = Math.max(extent.x2, c.position!.x + c.size!.w / 2)
    extent.y1 = Math.min(extent.y1, c.position!.y - c.size!.h / 2)
    extent.y2 = Math.max(extent.y2, c.position!.y + c.size!.h / 2)
  }
  if (!Number.isFinite(extent.x1)) Object.assign(extent, { x1: 0, y1: 0, x2: 1, y2: 1 })
  return extent
}

/**
 * A box in other words: its frame's name, its summaries and its banner made again where they
 * were, the rest (bounds, elements, made or not yet) shared with `b` (copied as properties, so
 * a box whose elements are made on first use still makes them once, for both).
 */
function relabelBox(b: BoxModel, n: NetnsView, pods: readonly NetnsView[], words: GraphLabels, grid: boolean): BoxModel {
  const again = Object.defineProperties({}, Object.getOwnPropertyDescriptors(b)) as BoxModel
  again.node = { ...b.node, label: boxLabel(n, words) }
  const s = summaryAt(n, pods, words, b.node, b.summary.position!, b.summary.size!.w, b.summary.size!.h, grid)
  again.summary = s.summary
  again.far = s.far
  if (s.name) again.name = s.name
  else delete again.name
  if (b.banner) again.banner = bannerWords(n, n.devices.filter((d) => shown(d) && d.kind !== 'bridge').length, words, b.banner)
  return again
}

type ModelBase = Pick<CanvasModel, 'boxes' | 'boxOf' | 'loose' | 'rows' | 'extent' | 'places' | 'captions'> & {
  byName: Map<string, NetnsView>
  /** The topology's tunnels, in either form (shared/tunnels.ts): objects are made only for those drawn. */
  tunnels: Pick<Topology, 'tunnels' | 'packedTunnels'>
  tunnelEdge: (t: LinkView) => GraphEdge
  multiRow: boolean
  /** The same layout in other words (always from the layout as built). */
  relabel: (words: GraphLabels) => ModelBase
}

/**
 * The model with the tunnels it draws: all of a small lab's; in a grid or a big mesh (which grows
 * with the square of the nodes, and whose arcs would cross other boxes) only the selected node's.
 */
function withFocus(base: ModelBase, cross: GraphEdge[], focusNs: string | null): CanvasModel {
  const total = tunnelCount(base.tunnels)
  const all = total <= MAX_TUNNELS_DRAWN && !base.multiRow
  const focus = all ? null : focusNode(base.byName, focusNs)
  const drawn = (all ? tunnelList(base.tunnels) : focus ? tunnelsOf(base.tunnels, focus) : []).map(base.tunnelEdge)
  let full: Graph | null = null
  const model: CanvasModel = {
    boxes: base.boxes,
    boxOf: base.boxOf,
    loose: base.loose,
    rows: base.rows,
    extent: base.extent,
    captions: base.captions,
    places: base.places,
    // Named when a few are drawn; a fan of a hundred names would hide the drawing (and cost a lot to draw).
    cross: drawn.length ? [...cross, ...drawn.map((e) => (drawn.length <= LABELLED_TUNNELS ? e : { ...e, label: '' }))] : cross,
    tunnels: { total, drawn: drawn.length, node: focus },
    full: () => (full ??= { ...sceneFor(model, null, new Set()).graph, rows: base.rows, tunnels: model.tunnels }),
    refocus: (ns) => withFocus(base, cross, ns),
    relabel: (words) => withFocus(base.relabel(words), cross, focusNs),
  }
  return model
}

/** The whole topology, every element drawn: the model with every box in full. */
export function buildGraph(topo: Topology, words: GraphLabels = DEFAULT_LABELS, opts: GraphOptions = {}): Graph {
  return buildModel(topo, words, opts).full()
}

/** The Kubernetes node a selection stands for: the node itself, or the node of a pod. */
function focusNode(byName: Map<string, NetnsView>, ns: string | null): string | null {
  const n = ns === null ? undefined : byName.get(ns)
  if (n?.role === 'node') return n.name
  if (n?.role === 'pod' && n.node && byName.get(n.node)?.role === 'node') return n.node
  return null
}

/** How far around a box's contents a drop still counts as onto the box (its padding). */
const DROP_MARGIN = 30

/** The Kubernetes node whose box holds point `p` (its contents plus a margin), if any. */
export function nodeBoxAt(model: CanvasModel, p: { x: number; y: number }): string | null {
  for (const b of model.boxes) {
    if (b.role !== 'node') continue
    const r = b.bounds
    if (p.x >= r.x1 - DROP_MARGIN && p.x <= r.x2 + DROP_MARGIN && p.y >= r.y1 - DROP_MARGIN && p.y <= r.y2 + DROP_MARGIN) return b.ns
  }
  return null
}

/** Where the element of namespace `ns` is: its box, or (a pod, a loose namespace) the leaf itself. */
export function locate(model: CanvasModel, ns: string): Bounds | null {
  const id = nsId(ns)
  const b = model.boxOf.get(id)
  if (b && b.id === id) return b.bounds
  const leaf = b?.children.find((c) => c.id === id) ?? model.loose.find((n) => n.id === id)
  if (!leaf?.position) return null
  const h = halfSize(leaf.classes)
  return { x1: leaf.position.x - h.w, y1: leaf.position.y - h.h, x2: leaf.position.x + h.w, y2: leaf.position.y + h.h }
}
