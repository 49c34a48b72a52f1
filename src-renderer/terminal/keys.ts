/**
 * Terminal input as keys: what xterm's onData delivers (typed keys, pastes, escape sequences)
 * cut into units a line editor acts on. A run of printable characters is one unit (a paste of
 * plain text is inserted at once); every control character and escape sequence is one unit.
 */
export function splitKeys(data: string): string[] {
  const keys: string[] = []
  let i = 0
  const n = data.length
  while (i < n) {
    const c = data.charCodeAt(i)
    if (c === 0x1b) {
      const next = data[i + 1]
      if (next === '[') {
        // CSI: parameters and intermediates, then one final byte in @..~.
        let j = i + 2
        while (j < n && !/[@-~]/.test(data[j])) j++
        keys.push(data.slice(i, Math.min(j + 1, n)))
        i = j + 1
      } else if (next === 'O' && i + 2 < n) {
        keys.push(data.slice(i, i + 3))
        i += 3
      } else if (next !== undefined) {
        // Alt+key arrives as ESC followed by the key.
        const len = next.codePointAt(0)! > 0xffff ? 3 : 2
        keys.push(data.slice(i, i + len))
        i += len
      } else {
        keys.push('\x1b')
        i++
      }
      continue
    }
    if (c < 0x20 || c === 0x7f) {
      keys.push(data[i])
      i++
      continue
    }
    let j = i + 1
    while (j < n) {
      const d = data.charCodeAt(j)
      if (d < 0x20 || d === 0x7f || d === 0x1b) break
      j++
    }
    keys.push(data.slice(i, j))
    i = j
  }
  return keys
}

/** Whether a key unit is text to insert (not a control character or escape sequence). */
export function isText(key: string): boolean {
  const c = key.charCodeAt(0)
  return c >= 0x20 && c !== 0x7f && c !== 0x1b
}

/** Columns a character takes on the terminal: 2 for East Asian wide and fullwidth, 0 for combining marks. */
export function charWidth(cp: number): number {
  if (cp === 0) return 0
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2
  return 1
}

/** Columns a string takes, escape sequences (colours) not counted. */
export function textWidth(s: string): number {
  let w = 0
  // eslint-disable-next-line no-control-regex -- colour sequences are what is being skipped
  const plain = s.replace(/\x1b\[[0-9;?]*[@-~]/g, '')
  for (const ch of plain) w += charWidth(ch.codePointAt(0)!)
  return w
}
