import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { emitUdp, parseUdp, UDP_HEADER_LEN, writeUdpHeader } from './udp.ts'
import { WireError } from './error.ts'
import { checksumAdd, checksumFold, pseudoHeaderSum } from './checksum.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

const A = 0x0a00_0001 // 10.0.0.1
const B = 0x0a00_0002 // 10.0.0.2

// Emitted frames checked with tshark -o udp.check_checksum:TRUE (udp.checksum.status Good / Not present).
const HELLO = '02000000000202000000000108004500002112344000401114960a0000010a0000029c40270f000de4af68656c6c6f'
const NO_CSUM = '02000000000202000000000108004500001f12344000401114980a0000010a000002c3501e61000b0000000102'
// `echo hi > /dev/udp/10.0.1.1/7777` captured on Linux's veth: the checksum field holds only
// the pseudo-header sum (0x161f) because offload is never completed on veth.
const LINUX_PARTIAL = '02000000010102000000010208004500001fb62a400040116ea10a0001020a000101b7991e61000b161f68690a'

describe('parseUdp', () => {
  it('verifies a computed checksum', () => {
    const f = hex(HELLO)
    expect(parseUdp(f, 34, 13, A, B)).toEqual({ srcPort: 40000, dstPort: 9999, length: 13 })
  })

  it('skips verification when the checksum is zero', () => {
    expect(parseUdp(hex(NO_CSUM), 34, 11, A, B)).toEqual({ srcPort: 50000, dstPort: 7777, length: 11 })
  })

  it('reports a bad checksum with its offset', () => {
    const f = hex(HELLO)
    f[46] ^= 0x20
    expect(() => parseUdp(f, 34, 13, A, B)).toThrowError(expect.objectContaining({ layer: 'UDP', field: 'checksum', offset: 40 }) as Error)
    // The right bytes with the wrong pseudo-header fail too.
    expect(() => parseUdp(hex(HELLO), 34, 13, A, 0x0a00_0003)).toThrowError(WireError)
  })

  it('rejects a real veth capture of a locally generated datagram (partial checksum)', () => {
    expect(() => parseUdp(hex(LINUX_PARTIAL), 34, 11, 0x0a00_0102, 0x0a00_0101)).toThrowError(expect.objectContaining({ field: 'checksum' }) as Error)
  })

  it('rejects bad lengths like udp_rcv', () => {
    const f = hex(HELLO)
    expect(() => parseUdp(f, 34, 7, A, B)).toThrowError(expect.objectContaining({ field: 'header', offset: 34 }) as Error)
    expect(() => parseUdp(f, 34, 12, A, B)).toThrowError(expect.objectContaining({ field: 'length', offset: 38, reason: 'length 13 exceeds the 12 bytes of IP payload' }) as Error)
    expect(() => parseUdp(f, 34, 14, A, B)).toThrowError(expect.objectContaining({ field: 'header' }) as Error)
    const short = hex(NO_CSUM)
    short[39] = 7
    expect(() => parseUdp(short, 34, 11, A, B)).toThrowError(expect.objectContaining({ field: 'length', reason: 'length 7 is below 8' }) as Error)
  })

  it('accepts a Length shorter than the IP payload (trailing bytes are padding)', () => {
    const d = new Uint8Array(20)
    d.set(emitUdp(1, 2, Uint8Array.of(9), A, B))
    expect(parseUdp(d, 0, 20, A, B).length).toBe(9)
  })
})

describe('emitUdp', () => {
  it('produces the fixture bytes', () => {
    expect(toHex(emitUdp(40000, 9999, new TextEncoder().encode('hello'), A, B))).toBe(HELLO.slice(68))
    expect(toHex(emitUdp(50000, 7777, Uint8Array.of(0, 1, 2), A, B, false))).toBe(NO_CSUM.slice(68))
  })

  it("reproduces Linux's veth capture in 'partial' mode", () => {
    expect(toHex(emitUdp(47001, 7777, new TextEncoder().encode('hi\n'), 0x0a00_0102, 0x0a00_0101, 'partial'))).toBe(LINUX_PARTIAL.slice(68))
  })

  it('sends a computed zero as 0xffff', () => {
    // Find a payload word that makes the sum come out as zero, then check the field.
    const probe = emitUdp(1000, 2000, Uint8Array.of(0, 0), A, B)
    const sumWithout = checksumFold(checksumAdd(probe, 0, 10, pseudoHeaderSum(A, B, 17, 10)) - ((probe[6] << 8) | probe[7]))
    const word = (0xffff - sumWithout) & 0xffff
    const d = emitUdp(1000, 2000, Uint8Array.of(word >> 8, word & 0xff), A, B)
    expect(toHex(d.subarray(6, 8))).toBe('ffff')
    expect(parseUdp(d, 0, 10, A, B).length).toBe(10)
  })

  it('writes in place', () => {
    const buf = new Uint8Array(4 + UDP_HEADER_LEN + 2)
    buf.set([7, 7], 12)
    writeUdpHeader(buf, 4, 5, 6, 2, A, B)
    expect(parseUdp(buf, 4, 10, A, B)).toEqual({ srcPort: 5, dstPort: 6, length: 10 })
  })

  it('round-trips', () => {
    const port = fc.integer({ min: 0, max: 0xffff })
    const ip = fc.integer({ min: 0, max: 0xffff_ffff })
    fc.assert(fc.property(port, port, fc.uint8Array({ maxLength: 200 }), ip, ip, fc.boolean(), (sp, dp, payload, s, d, ck) => {
      const b = emitUdp(sp, dp, payload, s, d, ck)
      expect(parseUdp(b, 0, b.length, s, d)).toEqual({ srcPort: sp, dstPort: dp, length: 8 + payload.length })
      expect(b[6] | b[7]).toSatisfy((v: number) => (ck ? v !== 0 : v === 0))
    }))
  })

  it('refuses datagrams over 65535 bytes', () => {
    expect(() => emitUdp(1, 2, new Uint8Array(65528), A, B)).toThrowError(expect.objectContaining({ field: 'length' }) as Error)
  })
})
