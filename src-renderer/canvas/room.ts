import type { Point } from '../../shared/api.ts'
import type { Bounds } from './graph.ts'

/**
 * Room between the boxes of a drawing arranged by hand. A box is anchored at its top-left corner
 * and grows right and down as pods and wires are added; where it then covers a neighbour, one of
 * the two moves away, right or down, the shorter way: boxes side by side (overlapping more in
 * height than in width) are set apart sideways, the one further right going right; boxes one
 * above the other go apart up and down, the lower going down; and so on down the line. Nothing
 * moves that covers nothing: positions the user chose stay as chosen. Pure, and a function of the
 * boxes alone, so the same lab and layout give the same drawing (on reopening too), and undoing
 * the change that grew a box takes the push back with it.
 */

/** A top-level item of the drawing: what it covers on the canvas (its frame and its name). */
export interface RoomItem {
  id: string
  r: Bounds
}

/** The free space kept between two items that were pushed apart. */
export const ROOM_GAP = 24

const overlaps = (a: Bounds, b: Bounds, gap: number): boolean => a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 + gap && b.y1 < a.y2 + gap

/** Reading order of top-left corners (top to bottom, then left to right), then by id. */
const reading = (a: RoomItem, b: RoomItem): number => a.r.y1 - b.r.y1 || a.r.x1 - b.r.x1 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * How two covering items go apart: which of them moves (`first`: the one earlier in reading
 * order) and by how much. Sideways the one starting further right goes right past the other;
 * down the one starting lower goes down past it; whichever moves less. So a box grown a little
 * into its right neighbour pushes it right even when it sits a little lower, rather than going
 * down a whole row itself.
 */
export function apart(first: Bounds, second: Bounds, gap = ROOM_GAP): { first: boolean; by: Point } {
  const [left, right, rightIsFirst] = second.x1 >= first.x1 ? [first, second, false] : [second, first, true]
  const [upper, lower, lowerIsFirst] = second.y1 >= first.y1 ? [first, second, false] : [second, first, true]
  const sideways = left.x2 + gap - right.x1
  const down = upper.y2 + gap - lower.y1
  return sideways < down ? { first: rightIsFirst, by: { x: sideways, y: 0 } } : { first: lowerIsFirst, by: { x: 0, y: down } }
}

/**
 * How far each item moves (only those that move are listed). Items are taken in reading order of
 * their top-left corners, each pair that covers one another set apart (apart), pass after pass
 * until none does: every move goes right or down past the other item for good, so this ends; the
 * bound on passes is a guard.
 */
export function makeRoom(items: readonly RoomItem[], gap = ROOM_GAP): Map<string, Point> {
  const order = [...items].sort(reading)
  const at = order.map((it) => ({ ...it.r }))
  const move = (r: Bounds, d: Point): void => {
    r.x1 += d.x
    r.x2 += d.x
    r.y1 += d.y
    r.y2 += d.y
  }
  for (let pass = 0; pass <= order.length; pass++) {
    let moved = false
    for (let i = 0; i < at.length; i++) {
      for (let j = i + 1; j < at.length; j++) {
        if (!overlaps(at[i], at[j], gap)) continue
        const { first, by } = apart(at[i], at[j], gap)
        move(first ? at[i] : at[j], by)
        moved = true
      }
    }
    if (!moved) break
  }
  const moved = new Map<string, Point>()
  order.forEach((it, i) => {
    if (at[i].x1 !== it.r.x1 || at[i].y1 !== it.r.y1) moved.set(it.id, { x: at[i].x1 - it.r.x1, y: at[i].y1 - it.r.y1 })
  })
  return moved
}
