// Malformed input is an expected event in a network simulator (users craft packets, the
// inspector decodes anything), so errors say which header, which field and where.

export class WireError extends Error {
  /** Header being parsed, e.g. "IPv4". */
  readonly layer: string
  /** Field at fault, e.g. "checksum", "version", "length". */
  readonly field: string
  /** Byte offset of that field in the buffer that was handed to the parser. */
  readonly offset: number
  /** Human-readable cause without the location, e.g. "expected 4, got 6". */
  readonly reason: string

  constructor(layer: string, field: string, offset: number, reason: string) {
    super(`${layer} ${field} at byte ${offset}: ${reason}`)
    this.name = 'WireError'
    this.layer = layer
    this.field = field
    this.offset = offset
    this.reason = reason
  }
}

/** Throws unless `need` bytes are available at `off`; `field` names what was being read. */
export function ensureLength(buf: Uint8Array, off: number, need: number, layer: string, field = 'length'): void {
  if (off < 0 || off + need > buf.length) {
    throw new WireError(layer, field, off, `truncated: need ${need} bytes, have ${Math.max(0, buf.length - off)}`)
  }
}
