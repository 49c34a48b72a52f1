import { textWidth } from './keys.ts'

/**
 * Redraws an edited line on a terminal, wrapped over as many rows as it needs: the escape
 * sequences that take the cursor back to where the line starts, clear it, write prompt and text,
 * and put the cursor where the editor's cursor is. Pure, so it is tested without a terminal.
 */

/** Where the last drawing left things: its rows and the row (from its first) the cursor is on. */
export interface Drawn {
  rows: number
  cursorRow: number
  /** The text filled its last row exactly, so the last row is an empty one the cursor moved to. */
  wrapped?: boolean
}

export const NOTHING_DRAWN: Drawn = { rows: 1, cursorRow: 0 }

export interface LineImage {
  /** The prompt as written (may carry colours). */
  prompt: string
  text: string
  /** Cursor position in `text` (UTF-16 units). */
  cursor: number
}

/** Escape sequences that replace the drawing `prev` with `line` on a terminal `cols` wide. */
export function redraw(prev: Drawn, line: LineImage, cols: number): { out: string; drawn: Drawn } {
  const width = Math.max(1, cols)
  let out = ''
  if (prev.cursorRow > 0) out += `\x1b[${prev.cursorRow}A`
  out += '\r\x1b[J'
  out += line.prompt + line.text
  const promptW = textWidth(line.prompt)
  const total = promptW + textWidth(line.text)
  // A line that fills its last row exactly leaves the cursor waiting to wrap: move it down
  // so that the row arithmetic below holds (readline does the same).
  if (total > 0 && total % width === 0) out += '\r\n'
  const endRow = Math.floor(total / width)
  const at = promptW + textWidth(line.text.slice(0, line.cursor))
  const row = Math.floor(at / width)
  const col = at % width
  if (endRow > row) out += `\x1b[${endRow - row}A`
  out += '\r'
  if (col > 0) out += `\x1b[${col}C`
  return { out, drawn: { rows: endRow + 1, cursorRow: row, wrapped: total > 0 && total % width === 0 } }
}

/** Where a line drawn for a terminal `cols` wide has its cursor, after the terminal reflowed it. */
export function drawnAt(line: LineImage, cols: number): Drawn {
  const width = Math.max(1, cols)
  const promptW = textWidth(line.prompt)
  const total = promptW + textWidth(line.text)
  const at = promptW + textWidth(line.text.slice(0, line.cursor))
  return { rows: Math.floor(total / width) + 1, cursorRow: Math.floor(at / width), wrapped: total > 0 && total % width === 0 }
}

/** Moves from the cursor's row to below the line's last row: where output after Enter starts. */
export function leaveLine(drawn: Drawn): string {
  const down = drawn.rows - 1 - drawn.cursorRow
  return (down > 0 ? `\x1b[${down}B` : '') + (drawn.wrapped ? '\r' : '\r\n')
}
