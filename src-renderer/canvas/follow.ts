import type { Bounds } from './graph.ts'

/** How close to the canvas's edge (pixels) the current hop may be before the view follows it. */
export const FOLLOW_MARGIN = 60

export interface ViewState {
  zoom: number
  pan: { x: number; y: number }
  /** The canvas's size in pixels. */
  w: number
  h: number
}

/**
 * Where to pan so that `target` (model coordinates) is in view, at the same zoom: null while it is
 * already in view with a margin (the view does not move under the learner), otherwise the pan
 * that centres it. The zoom is never changed: the learner's view stays as near as they chose it.
 */
export function followPan(view: ViewState, target: Bounds, margin = FOLLOW_MARGIN): { x: number; y: number } | null {
  const { zoom, pan, w, h } = view
  if (w <= 0 || h <= 0) return null
  const x1 = target.x1 * zoom + pan.x
  const x2 = target.x2 * zoom + pan.x
  const y1 = target.y1 * zoom + pan.y
  const y2 = target.y2 * zoom + pan.y
  // A target larger than the view counts as in view while its centre is.
  const m = Math.min(margin, w / 4, h / 4)
  const fitsX = x2 - x1 <= w - 2 * m ? x1 >= m && x2 <= w - m : (x1 + x2) / 2 >= m && (x1 + x2) / 2 <= w - m
  const fitsY = y2 - y1 <= h - 2 * m ? y1 >= m && y2 <= h - m : (y1 + y2) / 2 >= m && (y1 + y2) / 2 <= h - m
  if (fitsX && fitsY) return null
  return { x: w / 2 - zoom * ((target.x1 + target.x2) / 2), y: h / 2 - zoom * ((target.y1 + target.y2) / 2) }
}
