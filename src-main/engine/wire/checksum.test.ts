import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  checksumAdd, checksumAdd32, checksumFinish, checksumFold, checksumUpdate16, internetChecksum, pseudoHeaderSum,
} from './checksum.ts'

// Straightforward reference: 16-bit words, end-around carry after every addition.
function refChecksum(b: Uint8Array): number {
  let s = 0
  for (let i = 0; i < b.length; i += 2) {
    s += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0)
    s = (s & 0xffff) + (s >>> 16)
  }
  return ~s & 0xffff
}

describe('internetChecksum', () => {
  it('matches the RFC 1071 section 3 example', () => {
    // Words 0001 f203 f4f5 f6f7 sum to ddf2 after end-around carry.
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7)
    expect(checksumFold(checksumAdd(b, 0, 8))).toBe(0xddf2)
    expect(internetChecksum(b, 0, 8)).toBe(0x220d)
  })

  it('checks a real IPv4 header from a Linux capture (sums to zero)', () => {
    // 10.0.1.2 > 10.0.2.2 ICMP echo request, header checksum 0xf2eb.
    const h = Uint8Array.of(0x45, 0, 0, 0x54, 0x30, 0xba, 0x40, 0, 0x40, 1, 0xf2, 0xeb, 10, 0, 1, 2, 10, 0, 2, 2)
    expect(internetChecksum(h, 0, 20)).toBe(0)
    h[10] = 0
    h[11] = 0
    expect(internetChecksum(h, 0, 20)).toBe(0xf2eb)
  })

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x12), 0, 1)).toBe(~0x1200 & 0xffff)
    expect(internetChecksum(Uint8Array.of(0xff, 0x12, 0x34), 1, 2)).toBe(~0x1234 & 0xffff)
  })

  it('is 0xffff over nothing or over zeros', () => {
    expect(internetChecksum(new Uint8Array(0), 0, 0)).toBe(0xffff)
    expect(internetChecksum(new Uint8Array(7), 0, 7)).toBe(0xffff)
  })

  it('agrees with a word-by-word reference at any offset and length', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(5), (b, pre) => {
      const buf = new Uint8Array(pre + b.length)
      buf.set(b, pre)
      return internetChecksum(buf, pre, b.length) === refChecksum(b)
    }))
  })

  it('makes a buffer verify once the checksum is stored in it', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 2, maxLength: 200 }), fc.nat(), (b, at) => {
      const pos = (at % (b.length >> 1)) * 2
      b[pos] = 0
      b[pos + 1] = 0
      const ck = internetChecksum(b, 0, b.length)
      b[pos] = ck >> 8
      b[pos + 1] = ck & 0xff
      return internetChecksum(b, 0, b.length) === 0
    }))
  })

  it('folds sums of any size with end-around carry', () => {
    // For s > 0 the folded one's-complement value is ((s - 1) mod 0xffff) + 1.
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 52 }), (s) => checksumFold(s) === ((s - 1) % 0xffff) + 1))
    expect(checksumFold(0)).toBe(0)
    expect(checksumFold(0xffff * 70000)).toBe(0xffff)
    expect(checksumFinish(0x1_0000_0000 + 5)).toBe(~6 & 0xffff)
  })
})

describe('pseudo-header helpers', () => {
  it('adds addresses as two words each', () => {
    expect(checksumAdd32(0x0a00_0102)).toBe(0x0a00 + 0x0102)
    expect(pseudoHeaderSum(0x0a00_0102, 0x0a00_0202, 17, 14)).toBe(0x1723)
  })
})

describe('checksumUpdate16 (RFC 1624)', () => {
  it('equals a full recomputation after changing one word', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 8 }),
      (h, newWord, wi) => {
        const w = wi === 5 ? 4 : wi // never the checksum word itself
        h[10] = 0
        h[11] = 0
        const ck = internetChecksum(h, 0, 20)
        h[10] = ck >> 8
        h[11] = ck & 0xff
        const old = (h[2 * w] << 8) | h[2 * w + 1]
        const updated = checksumUpdate16(ck, old, newWord)
        h[2 * w] = newWord >> 8
        h[2 * w + 1] = newWord & 0xff
        h[10] = 0
        h[11] = 0
        return updated === internetChecksum(h, 0, 20)
      }))
  })

  it('matches Linux ip_decrease_ttl (checksum + 0x0100, end-around carry) for every checksum value', () => {
    const mismatches: number[] = []
    for (let ck = 0; ck <= 0xffff; ck++) {
      const linux = ck + 0x0100
      const want = (linux + (linux >= 0xffff ? 1 : 0)) & 0xffff
      if (checksumUpdate16(ck, 0x4001, 0x3f01) !== want) mismatches.push(ck)
    }
    expect(mismatches).toEqual([])
  })
})
