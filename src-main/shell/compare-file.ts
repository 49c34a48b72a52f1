/**
 * A Compare request from the window may ask for another lab file with `{ file: 'dialog' }` (the
 * page never names a path): the shell shows its Open dialog, reads the file the user chose and
 * sends its text in that side's place. Pure, so it is tested without Electron.
 */

/** Which side of a compare payload asks for the Open dialog (-1: none; only one side may). */
export function dialogSide(payload: unknown): number {
  if (typeof payload !== 'object' || payload === null) return -1
  const sides = (payload as { sides?: unknown }).sides
  if (!Array.isArray(sides)) return -1
  return sides.findIndex((s) => typeof s === 'object' && s !== null && !Array.isArray(s) && (s as { file?: unknown }).file === 'dialog' && Object.keys(s).length === 1)
}

/** The payload with side `i` replaced by the file's text and name (a copy; the rest as sent). */
export function withFileText(payload: unknown, i: number, text: string, name: string): unknown {
  const p = payload as { sides: unknown[] }
  const sides = [...p.sides]
  sides[i] = { text, name }
  return { ...p, sides }
}
