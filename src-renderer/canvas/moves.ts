import type { Edit, Point } from '../../shared/api.ts'
import { nsId, type CanvasModel } from './graph.ts'
import { ROOM_GAP } from './room.ts'
import { BOX_PADDING, EMPTY_BOX, SIZES } from './style.ts'

/** Something dragged on the canvas: which namespace, and by how much (model units). */
export interface Move {
  ns: string
  by: Point
}

/**
 * The layout positions a drag sets (LabLayout terms, graph.ts `places`). The first move of a lab
 * laid out automatically also pins every other box where it is drawn, so a node added later,
 * which changes the automatic grid, does not shuffle what the user has arranged around it.
 * A pod's position is relative to its node, so moving a node takes its pods with it.
 */
export function movedPositions(model: CanvasModel, moves: readonly Move[], current: Readonly<Record<string, Point>>): Record<string, Point> {
  const set = pinned(model, current)
  for (const m of moves) {
    const p = model.places.get(m.ns)
    if (p) set[m.ns] = { x: round(p.x + m.by.x), y: round(p.y + m.by.y) }
  }
  return set
}

/** Every box where it is drawn, when the lab is still laid out automatically (else nothing). */
function pinned(model: CanvasModel, current: Readonly<Record<string, Point>>): Record<string, Point> {
  const set: Record<string, Point> = {}
  if (Object.keys(current).length === 0) {
    for (const [ns, p] of model.places) if (p.node === undefined) set[ns] = { x: round(p.x), y: round(p.y) }
  }
  return set
}

/**
 * From the top-left corner of a new box's contents to the point it is dropped at: the middle of
 * what it first holds (a node its uplink, a switch its bridge); a router or a namespace holds
 * nothing yet: the middle of its empty inside, which starts at the same corner (graph.ts), so
 * the box stays put when it is wired.
 */
const GRIP = {
  node: { x: SIZES.nic.w / 2, y: SIZES.nic.h / 2 },
  switch: { x: SIZES.bridge.w / 2, y: SIZES.bridge.h / 2 },
  empty: { x: EMPTY_BOX.w / 2, y: EMPTY_BOX.h / 2 },
}
/**
 * How far below the switch or router it was dropped on a new node hangs: room for the wire, and
 * for the row of ports a switch with only its bridge grows under it (ports.ts), so the node is
 * not pushed when its port comes.
 */
const HANG = 120

/**
 * Where an item dropped from the palette at `p` (model units) goes, in layout terms, with the
 * pins of a first arrangement (as movedPositions): under the pointer, so it stays where the
 * learner put it. A node dropped on a switch or router hangs below it, at the pointer's x. Null for
 * an edit that adds nothing with a place of its own: a pod takes the next place of its node's pod
 * row (under the pointer it would cover the bridge), a bridge goes inside its namespace's box.
 */
export function droppedPositions(model: CanvasModel, edit: Edit, p: Point, current: Readonly<Record<string, Point>>): Record<string, Point> | null {
  const at = (x: number, y: number): Point => ({ x: round(x), y: round(y) })
  let place: [string, Point]
  switch (edit.type) {
    case 'addSwitch':
      place = [edit.name, at(p.x - GRIP.switch.x, p.y - GRIP.switch.y)]
      break
    case 'addRouter':
    case 'addNamespace':
      place = [edit.name, at(p.x - GRIP.empty.x, p.y - GRIP.empty.y)]
      break
    case 'addNode':
      place = [edit.name, at(p.x - GRIP.node.x, p.y - GRIP.node.y)]
      break
    case 'addWiredNode': {
      const b = model.boxOf.get(nsId(edit.wire))?.bounds ?? boundsOfLoose(model, edit.wire)
      const y = (b ? b.y2 : p.y) + HANG
      place = [edit.name, at(besideNodes(model, p.x - GRIP.node.x, y), y)]
      break
    }
    default:
      return null
  }
  return { ...pinned(model, current), [place[0]]: place[1] }
}

/** A new node's box with the names of its uplink and bridge, and its own name below. */
const NEW_NODE = { w: 150, h: 150 }
/** From a node box's devices to the end of their names, right of them. */
const NAME_REACH = 120

/**
 * Where a node hanging at x, y goes so it covers no node there already (a second node dropped on
 * the same switch): right of them, so the nodes of a switch stand in a row, their wires side by side.
 */
function besideNodes(model: CanvasModel, x: number, y: number): number {
  const gap = 2 * BOX_PADDING + ROOM_GAP
  for (let guard = 0; guard < model.boxes.length; guard++) {
    const hit = model.boxes.find((o) => o.role === 'node' && o.bounds.x1 - gap < x + NEW_NODE.w && x < o.bounds.x2 + NAME_REACH + gap && o.bounds.y1 - gap < y + NEW_NODE.h && y < o.bounds.y2 + gap)
    if (!hit) break
    x = hit.bounds.x2 + NAME_REACH + gap
  }
  return x
}

function boundsOfLoose(model: CanvasModel, ns: string): { y2: number } | null {
  const leaf = model.loose.find((n) => n.ns === ns)
  return leaf?.position ? { y2: leaf.position.y + 30 } : null
}

const round = (v: number): number => Math.round(v * 10) / 10

/**
 * What a change of positions was, for the view (use-cytoscape `show`): 'moved' (a drag or its
 * undo: the view stays), 'added' (with a namespace not drawn before: something dropped from the
 * palette), or null (positions unchanged). The namespaces' list may be a new one beside a drag (a
 * device's view changed, the whole state fetched again): that is still a drag.
 */
export function placement(positionsChanged: boolean, now: readonly { name: string }[] | undefined, before: readonly { name: string }[] | undefined): 'moved' | 'added' | null {
  if (!positionsChanged) return null
  if (now === before || !now) return 'moved'
  if (!before) return 'added'
  const had = new Set(before.map((n) => n.name))
  return now.some((n) => !had.has(n.name)) ? 'added' : 'moved'
}
