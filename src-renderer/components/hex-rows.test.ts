import { describe, expect, it } from 'vitest'
import { bytesPerRow, hexRowWidthCh } from './hex-rows.ts'

describe('hex view rows', () => {
  it('counts a row in characters as HexView lays it out', () => {
    // "0000 45 00 00 54 00 00 40 00  40 01 21 bd 0a f4 01 02 E..T..@.@.!....."
    expect(hexRowWidthCh(16)).toBe('0000 45 00 00 54 00 00 40 00  40 01 21 bd 0a f4 01 02 E..T..@.@.!.....'.length)
    expect(hexRowWidthCh(8)).toBe('0000 45 00 00 54 00 00 40 00 E..T..@.'.length)
  })

  it('holds 16 bytes where the whole row fits and 8 otherwise', () => {
    const ch = 6.6
    expect(bytesPerRow(70 * ch, ch)).toBe(16)
    expect(bytesPerRow(70 * ch - 1, ch)).toBe(8)
    expect(bytesPerRow(330, ch)).toBe(8)
    // not measured yet (no layout): the narrow form, which fits anywhere the wide one does
    expect(bytesPerRow(1000, 0)).toBe(8)
  })
})
