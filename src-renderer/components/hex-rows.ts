/**
 * How many bytes a row of the hex view holds: 16 as Wireshark shows them when the panel is wide
 * enough, else 8, so the ASCII column is never cut off at the panel's edge.
 *
 * A row is laid out in `ch` units (HexView.vue's styles): the 4-digit offset, a 1ch gap, each byte
 * as 2 digits with 1ch between bytes (2ch after the eighth when more follow), a 1ch gap, then one
 * character a byte.
 */
export function hexRowWidthCh(perRow: number): number {
  return 4 + 1 + perRow * 2 + (perRow - 1) + (perRow > 8 ? 1 : 0) + 1 + perRow
}

/** `widthPx`: the room inside the view; `chPx`: the width of one monospace character. */
export function bytesPerRow(widthPx: number, chPx: number): 8 | 16 {
  return chPx > 0 && widthPx >= hexRowWidthCh(16) * chPx ? 16 : 8
}
