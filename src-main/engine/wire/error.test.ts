import { describe, it, expect } from 'vitest'
import { ensureLength, WireError } from './error.ts'

describe('WireError', () => {
  it('names layer, field and offset', () => {
    const e = new WireError('IPv4', 'checksum', 24, 'bad header checksum 0x1234')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('WireError')
    expect(e.layer).toBe('IPv4')
    expect(e.field).toBe('checksum')
    expect(e.offset).toBe(24)
    expect(e.reason).toBe('bad header checksum 0x1234')
    expect(e.message).toBe('IPv4 checksum at byte 24: bad header checksum 0x1234')
  })

  it('ensureLength throws a WireError when bytes are missing', () => {
    expect(() => ensureLength(new Uint8Array(10), 2, 8, 'ARP')).not.toThrow()
    expect(() => ensureLength(new Uint8Array(10), 4, 8, 'ARP', 'header')).toThrowError(
      expect.objectContaining({ layer: 'ARP', field: 'header', offset: 4, reason: 'truncated: need 8 bytes, have 6' }) as Error)
    expect(() => ensureLength(new Uint8Array(10), -1, 1, 'ARP')).toThrow(WireError)
  })
})
