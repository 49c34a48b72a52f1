import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  emitIpv4, forwardIpv4Frame, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, ipv4Dst, ipv4HeaderLen, ipv4Protocol, ipv4Src,
  ipv4TotalLen, ipv4Ttl, ipv4WithTtl, parseIpv4Header, writeIpv4Header, type Ipv4EmitRepr,
} from './ipv4.ts'
import { internetChecksum } from './checksum.ts'
import { WireError } from './error.ts'
import { formatIpv4 } from '../addr/ipv4.ts'
import { frameDst, frameSrc } from './ethernet.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

// Frames captured on both sides of a Linux 6.18 router netns (tcpdump on its two veths):
// `in` as it arrived, `out` as the kernel forwarded it (new MACs, TTL - 1, checksum updated).
const FORWARDED = [
  { // ping -p 5a: echo request, DF, TTL 64 -> 63
    in: '02000000010102000000010208004500005430ba40004001f2eb0a0001020a00020208002b4e0e9c0001171c076b000000008e7e0200000000005a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    out: '02000000020202000000020108004500005430ba40003f01f3eb0a0001020a00020208002b4e0e9c0001171c076b000000008e7e0200000000005a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
  },
  { // its echo reply (no DF on Linux echo replies)
    in: '0200000002010200000002020800450000549c5800004001c74d0a0002020a0001020000334e0e9c0001171c076b000000008e7e0200000000005a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    out: '0200000001020200000001010800450000549c5800003f01c84d0a0002020a0001020000334e0e9c0001171c076b000000008e7e0200000000005a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
  },
  { // an ICMP port unreachable (tos 0xc0) on its way back
    in: '020000000201020000000202080045c0003e9c7c00004001c67f0a0002020a00010203039c8f0000000045000022b91140003f116bb60a0001020a000202de50270f000e172368656c6c6f0a',
    out: '020000000102020000000101080045c0003e9c7c00003f01c77f0a0002020a00010203039c8f0000000045000022b91140003f116bb60a0001020a000202de50270f000e172368656c6c6f0a',
  },
]

/** Recomputes the header checksum after a test mutates a field. */
function refresh(b: Uint8Array, off = 0): Uint8Array {
  b[off + 10] = 0
  b[off + 11] = 0
  const ck = internetChecksum(b, off, (b[off] & 0x0f) * 4)
  b[off + 10] = ck >> 8
  b[off + 11] = ck & 0xff
  return b
}

const base: Ipv4EmitRepr = { src: 0x0a00_0001, dst: 0x0a00_0002, protocol: IPPROTO_UDP, ttl: 64, tos: 0, id: 1, df: true, mf: false, fragOffset: 0 }

describe('parseIpv4Header', () => {
  it('decodes a real header', () => {
    const f = hex(FORWARDED[0].in)
    expect(parseIpv4Header(f, 14)).toEqual({
      src: 0x0a00_0102, dst: 0x0a00_0202, protocol: IPPROTO_ICMP, ttl: 64, tos: 0, id: 0x30ba,
      df: true, mf: false, fragOffset: 0, headerLen: 20, totalLen: 84,
    })
    expect(formatIpv4(ipv4Src(f, 14))).toBe('10.0.1.2')
    expect(formatIpv4(ipv4Dst(f, 14))).toBe('10.0.2.2')
    expect([ipv4Ttl(f, 14), ipv4Protocol(f, 14), ipv4TotalLen(f, 14), ipv4HeaderLen(f, 14)]).toEqual([64, 1, 84, 20])
    expect(IPPROTO_TCP).toBe(6)
  })

  it('accepts trailing Ethernet padding', () => {
    const p = new Uint8Array(46)
    p.set(emitIpv4(base, Uint8Array.of(1, 2, 3)))
    expect(parseIpv4Header(p, 0).totalLen).toBe(23)
  })

  it('accepts options (IHL 6)', () => {
    const p = new Uint8Array(24)
    p.set(emitIpv4(base, new Uint8Array(0)))
    p[0] = 0x46
    p[3] = 24
    p[20] = 1 // NOP options
    p[21] = 1
    p[22] = 1
    p[23] = 0
    expect(parseIpv4Header(refresh(p), 0).headerLen).toBe(24)
  })

  const cases: [string, (b: Uint8Array) => Uint8Array, string, number][] = [
    ['version', (b) => refresh(Object.assign(b, { 0: 0x65 })), 'expected 4, got 6', 0],
    ['ihl', (b) => refresh(Object.assign(b, { 0: 0x44 })), 'header length 16 is below 20', 0],
    ['ihl', (b) => Object.assign(b, { 0: 0x4f }), 'header length 60 exceeds the 23 bytes available', 0],
    ['checksum', (b) => Object.assign(b, { 8: 63 }), 'bad header checksum 0x', 10],
    ['totalLen', (b) => refresh(Object.assign(b, { 3: 24 })), 'total length 24 exceeds the 23 bytes available', 2],
    ['totalLen', (b) => refresh(Object.assign(b, { 3: 19 })), 'total length 19 is below the header length 20', 2],
  ]
  it.each(cases)('rejects a bad %s', (field, mutate, reason, offset) => {
    const p = mutate(emitIpv4(base, Uint8Array.of(1, 2, 3)))
    let err: unknown
    try {
      parseIpv4Header(p, 0)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WireError)
    expect(err).toMatchObject({ layer: 'IPv4', field, offset })
    expect((err as WireError).reason).toContain(reason)
  })

  it('rejects a truncated header', () => {
    expect(() => parseIpv4Header(new Uint8Array(19), 0)).toThrowError(expect.objectContaining({ field: 'header', reason: 'truncated: need 20 bytes, have 19' }) as Error)
    expect(() => parseIpv4Header(hex(FORWARDED[0].in), 90)).toThrowError(WireError)
  })
})

describe('emitIpv4', () => {
  it('reproduces the header Linux sent', () => {
    const f = hex(FORWARDED[0].in)
    const pkt = emitIpv4({ src: 0x0a00_0102, dst: 0x0a00_0202, protocol: 1, ttl: 64, tos: 0, id: 0x30ba, df: true, mf: false, fragOffset: 0 }, f.subarray(34))
    expect(toHex(pkt)).toBe(FORWARDED[0].in.slice(28))
  })

  it('encodes fragments in bytes and refuses offsets that are not multiples of 8', () => {
    const p = emitIpv4({ ...base, df: false, mf: true, fragOffset: 1480 }, new Uint8Array(8))
    expect(toHex(p.subarray(6, 8))).toBe('20b9') // MF | 1480/8
    expect(parseIpv4Header(p, 0)).toMatchObject({ mf: true, df: false, fragOffset: 1480 })
    expect(() => emitIpv4({ ...base, fragOffset: 1481 }, new Uint8Array(0))).toThrowError(expect.objectContaining({ field: 'fragOffset' }) as Error)
    expect(() => emitIpv4({ ...base, fragOffset: 65536 }, new Uint8Array(0))).toThrowError(WireError)
    expect(() => emitIpv4(base, new Uint8Array(65516))).toThrowError(expect.objectContaining({ field: 'totalLen' }) as Error)
  })

  it('round-trips', () => {
    const arb = fc.record({
      src: fc.integer({ min: 0, max: 0xffff_ffff }), dst: fc.integer({ min: 0, max: 0xffff_ffff }),
      protocol: fc.integer({ min: 0, max: 255 }), ttl: fc.integer({ min: 0, max: 255 }), tos: fc.integer({ min: 0, max: 255 }),
      id: fc.integer({ min: 0, max: 0xffff }), df: fc.boolean(), mf: fc.boolean(), fragOffset: fc.integer({ min: 0, max: 8191 }).map((x) => x * 8),
    })
    fc.assert(fc.property(arb, fc.uint8Array({ maxLength: 100 }), (r, payload) => {
      const p = emitIpv4(r, payload)
      expect(parseIpv4Header(p, 0)).toEqual({ ...r, headerLen: 20, totalLen: 20 + payload.length })
      expect(internetChecksum(p, 0, 20)).toBe(0)
      expect(toHex(p.subarray(20))).toBe(toHex(payload))
    }))
  })

  it('writes in place at an offset', () => {
    const buf = new Uint8Array(14 + 20 + 4)
    writeIpv4Header(buf, 14, base, 4)
    expect(parseIpv4Header(buf, 14).totalLen).toBe(24)
  })
})

describe('TTL rewrite', () => {
  it.each(FORWARDED.map((f, i) => [i, f] as const))('ipv4WithTtl + new MACs reproduce the Linux router (pair %i)', (_, f) => {
    const input = hex(f.in)
    const expected = hex(f.out)
    const out = ipv4WithTtl(input, 14, input[22] - 1)
    expect(toHex(out.subarray(14))).toBe(f.out.slice(28))
    expect(toHex(input)).toBe(f.in) // the original is untouched
    expect(toHex(forwardIpv4Frame(input, frameDst(expected), frameSrc(expected)))).toBe(f.out)
  })

  it('writes into a caller-provided buffer of the same length', () => {
    const input = hex(FORWARDED[0].in)
    const slab = new Uint8Array(1024)
    const view = slab.subarray(64, 64 + input.length)
    expect(ipv4WithTtl(input, 14, 63, view)).toBe(view)
    expect(toHex(view.subarray(14))).toBe(FORWARDED[0].out.slice(28))
    const out = hex(FORWARDED[0].out)
    const view2 = slab.subarray(512, 512 + input.length)
    expect(toHex(forwardIpv4Frame(input, frameDst(out), frameSrc(out), 14, view2))).toBe(FORWARDED[0].out)
    expect(() => ipv4WithTtl(input, 14, 63, new Uint8Array(5))).toThrow(RangeError)
  })

  it('copies even when handed a Node Buffer (whose slice() is a view)', () => {
    const buf = Buffer.from(hex(FORWARDED[0].in))
    const out = ipv4WithTtl(buf, 14, 1)
    expect(out[22]).toBe(1)
    expect(buf[22]).toBe(64)
    expect(out).not.toBeInstanceOf(Buffer)
  })

  it('always leaves a valid checksum, for any TTL change', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff }), (ttl, newTtl, id) => {
      const p = emitIpv4({ ...base, ttl, id }, new Uint8Array(4))
      const q = ipv4WithTtl(p, 0, newTtl)
      return internetChecksum(q, 0, 20) === 0 && q[8] === newTtl &&
        toHex(q.subarray(10, 12)) === toHex(emitIpv4({ ...base, ttl: newTtl, id }, new Uint8Array(4)).subarray(10, 12))
    }))
  })
})
