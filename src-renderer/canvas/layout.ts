/**
 * Where the Kubernetes node boxes go: a grid filled row by row, shaped to fill a wide view. The
 * underlay sits above the grid; nodes below the first row are reached through vertical lanes in
 * the gap left of their column, so no underlay link crosses another node's box.
 */

/** Gap between the slot areas of two columns, without lanes. */
export const BOX_GAP = 70
/** Vertical distance from one row of node boxes to the next. */
export const ROW_PITCH = 360
/** Distance between two lanes in a gap: enough for the port labels, which alternate in two bands. */
export const LANE = 40
/** From a column's slot area to its nearest lane (the box padding and some air). */
const LANE_CLEAR = 30
/** The view the grid is shaped for (width : height), about the canvas of a 1280 x 800 window. */
const VIEW = { w: 2, h: 1 }
/** Height of the underlay drawn above the grid, counted when choosing the shape. */
const INFRA_HEIGHT = 200

export interface GridPlan {
  rows: number
  /** From one row of node boxes to the next: ROW_PITCH, more for nodes whose pods are in several rows. */
  pitch: number
  cols: number
  /** Left edge of each column's slot area. */
  colX: number[]
  /** Width of each column: its widest node. */
  colW: number[]
  /** From the first column's left edge to the last one's right edge. */
  width: number
  /** Row and column of each node, in the order given. */
  cells: { row: number; col: number }[]
}

function columnWidths(widths: readonly number[], cols: number): number[] {
  const colW = new Array<number>(cols).fill(0)
  widths.forEach((w, i) => (colW[i % cols] = Math.max(colW[i % cols], w)))
  return colW
}

/** The gap before a column: the plain gap plus one lane for every row below the first. */
const gapBefore = (rows: number): number => BOX_GAP + (rows - 1) * LANE

/**
 * Picks the number of rows whose grid, at the zoom that fits it into the view, is drawn largest;
 * ties go to fewer rows, so a few nodes stay in one row. `taller`: how much taller than one row
 * of pods the tallest node is.
 */
export function planGrid(widths: readonly number[], taller = 0): GridPlan {
  const n = widths.length
  const pitch = ROW_PITCH + taller
  let best = { rows: 1, cols: Math.max(1, n), zoom: -1 }
  for (let rows = 1; rows <= Math.max(1, n); rows++) {
    const cols = Math.ceil(n / rows)
    // Rows that would stay empty are not worth a try.
    if (rows > 1 && Math.ceil(n / cols) < rows) continue
    const w = columnWidths(widths, cols).reduce((a, b) => a + b, 0) + (cols - 1) * gapBefore(rows) + (rows - 1) * LANE
    const h = rows * pitch + INFRA_HEIGHT
    const zoom = Math.min(VIEW.w / Math.max(w, 1), VIEW.h / h)
    if (zoom > best.zoom * 1.0001) best = { rows, cols, zoom }
  }
  const { rows, cols } = best
  const colW = columnWidths(widths, cols)
  const colX: number[] = []
  let x = 0
  for (let c = 0; c < cols; c++) {
    colX.push(x)
    x += colW[c] + gapBefore(rows)
  }
  return { rows, pitch, cols, colX, colW, width: Math.max(0, x - gapBefore(rows)), cells: widths.map((_, i) => ({ row: Math.floor(i / cols), col: i % cols })) }
}

/**
 * The x of the lane that brings the underlay down to the node at (row, col), row >= 1: deeper
 * rows use lanes further left, so a lane's last turn toward its node crosses no other lane.
 */
export function laneX(plan: GridPlan, row: number, col: number): number {
  return plan.colX[col] - LANE_CLEAR - (row - 1) * LANE
}
