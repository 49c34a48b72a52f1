import type { Edit, NetnsView, Topology } from '../../shared/api.ts'
import type { CanvasModel } from './graph.ts'
import { halfSize } from './style.ts'

/**
 * Building on the canvas: what a palette item dropped at a point, or a wire drawn from one point to
 * another, asks of the lab (one edit, so one step of the history and one undo), or why it cannot
 * be done there. Pure: positions are model coordinates, the boxes are the canvas model's.
 */

export type PaletteItem = 'node' | 'pod' | 'switch' | 'router' | 'namespace' | 'bridge'

export const PALETTE_ITEMS: readonly PaletteItem[] = ['node', 'pod', 'switch', 'router', 'namespace', 'bridge']

/** What a wire drawn with the pointer makes: an underlay link (`podnet link add`) or a plain veth pair. */
export type WireKind = 'wire' | 'veth'

/** Why a drop or a wire is refused: a key of the UI catalogue (canvas.build.*) and its parameters. */
export interface Refusal {
  key:
    | 'canvas.build.podOutside'
    | 'canvas.build.bridgeOutside'
    | 'canvas.build.wireNothing'
    | 'canvas.build.vethNothing'
    | 'canvas.build.wireSelf'
    | 'canvas.build.wireKinds'
    | 'canvas.build.wirePod'
  params?: Record<string, string>
}

export type BuildResult = { edit: Edit } | { refused: Refusal }

const PREFIX: Record<Exclude<PaletteItem, 'bridge'>, string> = { node: 'node', pod: 'pod', switch: 'sw', router: 'r', namespace: 'ns' }

/** The first free name of the item's kind: node3 after node1 and node2 (any namespace counts). */
export function nextName(topo: Topology, item: Exclude<PaletteItem, 'bridge'>): string {
  const taken = new Set(topo.namespaces.map((n) => n.name))
  for (let i = 1; ; i++) if (!taken.has(`${PREFIX[item]}${i}`)) return `${PREFIX[item]}${i}`
}

/** The first free device name `PREFIXn` (from 0, as `ip` users name them) in a namespace. */
export function nextDevice(topo: Topology, ns: string, prefix: string): string {
  const taken = new Set(topo.namespaces.find((n) => n.name === ns)?.devices.map((d) => d.name) ?? [])
  for (let i = 0; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`
}

/** Extra room around a box that still counts as on it. */
const MARGIN = 30
/** A pod's box around its elements. */
const POD_PADDING = 14

interface Hit {
  ns: string
  role: NetnsView['role']
  area: number
}

/** The innermost namespace drawn at `p` (a pod before its node), if any. */
export function namespaceAt(topo: Topology, model: CanvasModel, p: { x: number; y: number }): { ns: string; role: NetnsView['role'] } | null {
  const role = new Map(topo.namespaces.map((n) => [n.name, n.role]))
  let best: Hit | null = null
  const consider = (ns: string, r: { x1: number; y1: number; x2: number; y2: number }, margin: number): void => {
    if (p.x < r.x1 - margin || p.x > r.x2 + margin || p.y < r.y1 - margin || p.y > r.y2 + margin) return
    const area = (r.x2 - r.x1) * (r.y2 - r.y1)
    if (!best || area < best.area) best = { ns, role: role.get(ns) ?? 'other', area }
  }
  for (const b of model.boxes) {
    consider(b.ns, b.bounds, MARGIN)
    // Pods are boxes inside their node's box (only a box around `p` is looked into: a big
    // cluster's boxes make their elements when first asked for).
    const r = b.bounds
    if (p.x < r.x1 - MARGIN || p.x > r.x2 + MARGIN || p.y < r.y1 - MARGIN || p.y > r.y2 + MARGIN) continue
    // What the pods' own elements cover, and the box's padding.
    const inner = new Map<string, { x1: number; y1: number; x2: number; y2: number }>()
    for (const c of b.children) {
      if (c.ns === b.ns || !c.position) continue
      const h = c.size ? { w: c.size.w / 2, h: c.size.h / 2 } : halfSize(c.classes)
      const r = inner.get(c.ns) ?? { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity }
      inner.set(c.ns, { x1: Math.min(r.x1, c.position.x - h.w), y1: Math.min(r.y1, c.position.y - h.h), x2: Math.max(r.x2, c.position.x + h.w), y2: Math.max(r.y2, c.position.y + h.h) })
    }
    for (const [ns, r] of inner) consider(ns, r, POD_PADDING)
  }
  for (const n of model.loose) {
    if (!n.position) continue
    const h = halfSize(n.classes)
    consider(n.ns, { x1: n.position.x - h.w, y1: n.position.y - h.h, x2: n.position.x + h.w, y2: n.position.y + h.h }, MARGIN)
  }
  const hit = best as Hit | null
  return hit ? { ns: hit.ns, role: hit.role } : null
}

/** What dropping a palette item at `p` does. */
export function dropEdit(topo: Topology, model: CanvasModel, item: PaletteItem, p: { x: number; y: number }): BuildResult {
  const at = namespaceAt(topo, model, p)
  // A bridge goes into the namespace it is dropped in (`ip link add br0 type bridge`), a node's or a pod's.
  if (item === 'bridge') return at ? { edit: { type: 'addBridge', netns: at.ns, name: nextDevice(topo, at.ns, 'br') } } : { refused: { key: 'canvas.build.bridgeOutside' } }
  const name = nextName(topo, item)
  switch (item) {
    case 'node':
      // On a switch or router: wired there. Elsewhere: where the lab's underlay puts a new node.
      if (at && (at.role === 'switch' || at.role === 'router')) return { edit: { type: 'addWiredNode', name, wire: at.ns } }
      return { edit: { type: 'addNode', name } }
    case 'pod': {
      const node = at?.role === 'node' ? at.ns : at?.role === 'pod' ? topo.namespaces.find((n) => n.name === at.ns)?.node : undefined
      if (!node) return { refused: { key: 'canvas.build.podOutside' } }
      return { edit: { type: 'addPod', name, node } }
    }
    case 'switch':
      return { edit: { type: 'addSwitch', name } }
    case 'router':
      return { edit: { type: 'addRouter', name } }
    case 'namespace':
      return { edit: { type: 'addNamespace', name } }
  }
}

/**
 * What a wire drawn from `from` to `to` does: connect a node (or namespace, or router) to a switch
 * or router, or (kind 'veth') put a veth pair between any two namespaces, one end in each.
 */
export function wireEdit(topo: Topology, model: CanvasModel, from: { x: number; y: number }, to: { x: number; y: number }, kind: WireKind = 'wire'): BuildResult {
  const a = namespaceAt(topo, model, from)
  const b = namespaceAt(topo, model, to)
  if (kind === 'veth') return vethEdit(topo, a, b)
  if (!a || !b) return { refused: { key: 'canvas.build.wireNothing' } }
  if (a.ns === b.ns) return { refused: { key: 'canvas.build.wireSelf', params: { name: a.ns } } }
  const pod = a.role === 'pod' ? a : b.role === 'pod' ? b : null
  if (pod) return { refused: { key: 'canvas.build.wirePod', params: { pod: pod.ns } } }
  const infra = (r: NetnsView['role']): boolean => r === 'switch' || r === 'router'
  if (!infra(a.role) && !infra(b.role)) return { refused: { key: 'canvas.build.wireKinds', params: { a: a.ns, b: b.ns } } }
  // The lab checks the rest (two switches, a node wired twice) and says why in its own words.
  return { edit: { type: 'connect', a: a.ns, b: b.ns } }
}

function vethEdit(topo: Topology, a: { ns: string } | null, b: { ns: string } | null): BuildResult {
  if (!a || !b) return { refused: { key: 'canvas.build.vethNothing' } }
  // Linux allows both ends in one namespace; on the canvas that is a click, not a wire.
  if (a.ns === b.ns) return { refused: { key: 'canvas.build.wireSelf', params: { name: a.ns || 'host' } } }
  return { edit: { type: 'addVethPair', a: { netns: a.ns, name: nextDevice(topo, a.ns, 'veth') }, b: { netns: b.ns, name: nextDevice(topo, b.ns, 'veth') } } }
}
