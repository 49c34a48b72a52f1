import type { Point } from '../../shared/api.ts'
import type { Bounds } from './graph.ts'

/**
 * Room between the boxes of a drawing arranged by hand. A box is anchored at its top-left corner
 * and grows right and down as pods and wires are added; where it then covers a neighbour, the
 * neighbour to its right or below moves away by what it is covered by, right or down (the
 * shorter way), and so on down the line. Nothing moves that covers nothing: positions the user
 * chose stay as chosen. Pure, and a function of the boxes alone, so the same lab and layout give
 * the same drawing (on reopening too), and undoing the change that grew a box takes the push
 * back with it.
 */

/** A top-level item of the drawing: what it covers on the canvas (its frame and its name). */
export interface RoomItem {
  id: string
  r: Bounds
}

/** The free space kept between two items that were pushed apart. */
export const ROOM_GAP = 24

const overlaps = (a: Bounds, b: Bounds, gap: number): boolean => a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 + gap && b.y1 < a.y2 + gap

/**
 * How far each item moves (only those that move are listed). Items are taken in reading order of
 * their top-left corners (top to bottom, then left to right): each stays where it is unless it
 * covers one taken before it, in which case it goes right or down past it, whichever is shorter
 * (right only when it starts right of that item's left edge), and again past anything that puts
 * it on.
 */
export function makeRoom(items: readonly RoomItem[], gap = ROOM_GAP): Map<string, Point> {
  const order = [...items].sort((a, b) => a.r.y1 - b.r.y1 || a.r.x1 - b.r.x1 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const taken: Bounds[] = []
  const moved = new Map<string, Point>()
  for (const it of order) {
    const r = { ...it.r }
    // Each push goes past one item for good (right or down only), so this ends; the bound is a guard.
    for (let guard = 0; guard <= taken.length; guard++) {
      const hit = taken.find((t) => overlaps(t, r, gap))
      if (!hit) break
      const down = hit.y2 + gap - r.y1
      const right = r.x1 >= hit.x1 ? hit.x2 + gap - r.x1 : Infinity
      const d = right < down ? { x: right, y: 0 } : { x: 0, y: down }
      r.x1 += d.x
      r.x2 += d.x
      r.y1 += d.y
      r.y2 += d.y
    }
    taken.push(r)
    if (r.x1 !== it.r.x1 || r.y1 !== it.r.y1) moved.set(it.id, { x: r.x1 - it.r.x1, y: r.y1 - it.r.y1 })
  }
  return moved
}
