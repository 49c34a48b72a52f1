import type { Point } from '../../shared/api.ts'
import type { CanvasModel } from './graph.ts'

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
  const set: Record<string, Point> = {}
  if (Object.keys(current).length === 0) {
    for (const [ns, p] of model.places) if (p.node === undefined) set[ns] = { x: round(p.x), y: round(p.y) }
  }
  for (const m of moves) {
    const p = model.places.get(m.ns)
    if (p) set[m.ns] = { x: round(p.x + m.by.x), y: round(p.y + m.by.y) }
  }
  return set
}

const round = (v: number): number => Math.round(v * 10) / 10
