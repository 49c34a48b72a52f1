import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  emitIcmp, ICMP_DEST_UNREACH, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_ERROR_MAX_QUOTE, ICMP_EXC_TTL, ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH, ICMP_NET_UNREACH, ICMP_PKT_FILTERED, ICMP_PORT_UNREACH, ICMP_PREC_CUTOFF, ICMP_REDIR_HOST, ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED, icmpErrorQuote, icmpLength, icmpType, isIcmpErrorType, parseIcmp, writeIcmp, type IcmpRepr,
} from './icmp.ts'
import { emitIpv4, type Ipv4EmitRepr } from './ipv4.ts'
import { internetChecksum } from './checksum.ts'
import { WireError } from './error.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

// Captured on Linux 6.18 (tcpdump on the sender's veth, behind a forwarding netns):
// `ping -t 1 -s 1000` and the router's ICMP time exceeded, which quotes 548 bytes.
const PING_TTL1 = '020000000101020000000102080045000404e64d4000010178a80a0001020a00020208008bb81a2100018919076b000000005e5d0a0000'
  + '000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40414243'
  + '4445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a'
  + '7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1'
  + 'b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8'
  + 'e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
  + '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50515253545556'
  + '5758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d'
  + '8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4'
  + 'c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafb'
  + 'fcfdfeff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132'
  + '333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263646566676869'
  + '6a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0'
  + 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7'
  + 'd8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e'
  + '0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445'
  + '464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c'
  + '7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3'
  + 'b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7'
const TIME_EXCEEDED = '020000000102020000000101080045c00240ddd80000400184220a0001010a0001020b00f9f30000000045000404e64d4000010178a80a'
  + '0001020a00020208008bb81a2100018919076b000000005e5d0a0000000000101112131415161718191a1b1c1d1e1f2021222324252627'
  + '28292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e'
  + '5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495'
  + '969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcc'
  + 'cdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203'
  + '0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a'
  + '3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f7071'
  + '72737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8'
  + 'a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf'
  + 'e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0001020304050607'
// `ping 10.0.5.5` with no route at the router, and its ICMP net unreachable (whole datagram quoted).
const PING_NOROUTE = '020000000101020000000102080045000054c293400040015e0f0a0001020a00050508002f121a2300018919076b0000000055720a0000'
  + '000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'
const NET_UNREACH = '020000000102020000000101080045c00070ddda0000400185f00a0001010a0001020300fcff0000000045000054c293400040015e0f0a'
  + '0001020a00050508002f121a2300018919076b0000000055720a0000000000101112131415161718191a1b1c1d1e1f2021222324252627'
  + '28292a2b2c2d2e2f3031323334353637'
// A 3-byte UDP datagram to a closed port on the router, and the port unreachable it sent.
const UDP_CLOSED = '02000000010102000000010208004500001fb62a400040116ea10a0001020a000101b7991e61000b161f68690a'
const PORT_UNREACH = '020000000102020000000101080045c0003be0520000400183ad0a0001010a00010203039e6e000000004500001fb62a400040116ea10a0001020a000101b7991e61000b161f68690a'

/** The IP header Linux puts on ICMP errors: tos 0xc0, ttl 64, DF clear. */
const errorIp = (src: number, dst: number, id: number): Ipv4EmitRepr =>
  ({ src, dst, protocol: 1, ttl: 64, tos: 0xc0, id, df: false, mf: false, fragOffset: 0 })

describe('constants', () => {
  it('uses the kernel values', () => {
    expect([ICMP_ECHO_REPLY, ICMP_DEST_UNREACH, ICMP_REDIRECT, ICMP_ECHO_REQUEST, ICMP_TIME_EXCEEDED]).toEqual([0, 3, 5, 8, 11])
    expect([ICMP_NET_UNREACH, ICMP_HOST_UNREACH, ICMP_PORT_UNREACH, ICMP_FRAG_NEEDED, ICMP_PKT_FILTERED, ICMP_PREC_CUTOFF]).toEqual([0, 1, 3, 4, 13, 15])
    expect(ICMP_ERROR_MAX_QUOTE).toBe(548)
    expect([3, 4, 5, 11, 12].every(isIcmpErrorType)).toBe(true)
    expect([0, 8, 13].some(isIcmpErrorType)).toBe(false)
  })
})

describe('echo', () => {
  it('parses a real ping and its reply', () => {
    const req = hex(PING_NOROUTE)
    const r = parseIcmp(req, 34, req.length - 34)
    expect(r).toMatchObject({ kind: 'echoRequest', ident: 0x1a23, seq: 1 })
    expect((r as { data: Uint8Array }).data).toHaveLength(56)
    expect(icmpType(r)).toBe(8)
    expect(toHex(emitIcmp(r))).toBe(PING_NOROUTE.slice(68))
  })

  it('round-trips', () => {
    fc.assert(fc.property(fc.boolean(), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 100 }),
      (isReq, ident, seq, data) => {
        const repr: IcmpRepr = { kind: isReq ? 'echoRequest' : 'echoReply', ident, seq, data }
        const b = emitIcmp(repr)
        expect(b[0]).toBe(isReq ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY)
        expect(internetChecksum(b, 0, b.length)).toBe(0)
        expect(parseIcmp(b, 0, b.length)).toEqual(repr)
      }))
  })
})

describe('errors, byte for byte against Linux', () => {
  it('time exceeded quotes 548 bytes of a 1028-byte datagram (576-byte error)', () => {
    const orig = hex(PING_TTL1).subarray(14)
    const quote = icmpErrorQuote(orig)
    expect(quote).toHaveLength(548)
    const pkt = emitIpv4(errorIp(0x0a00_0101, 0x0a00_0102, 0xddd8), emitIcmp({ kind: 'timeExceeded', code: ICMP_EXC_TTL, original: quote }))
    expect(pkt).toHaveLength(576)
    expect(toHex(pkt)).toBe(TIME_EXCEEDED.slice(28))
    const parsed = parseIcmp(hex(TIME_EXCEEDED), 34, 556)
    expect(parsed.kind).toBe('timeExceeded')
    expect(toHex((parsed as { original: Uint8Array }).original)).toBe(toHex(quote))
  })

  it('net unreachable quotes a short datagram whole', () => {
    const orig = hex(PING_NOROUTE).subarray(14)
    expect(icmpErrorQuote(orig)).toHaveLength(84)
    const pkt = emitIpv4(errorIp(0x0a00_0101, 0x0a00_0102, 0xddda), emitIcmp({ kind: 'destUnreachable', code: ICMP_NET_UNREACH, original: icmpErrorQuote(orig) }))
    expect(toHex(pkt)).toBe(NET_UNREACH.slice(28))
  })

  it('port unreachable for a tiny UDP datagram', () => {
    const orig = hex(UDP_CLOSED).subarray(14)
    const pkt = emitIpv4(errorIp(0x0a00_0101, 0x0a00_0102, 0xe052), emitIcmp({ kind: 'destUnreachable', code: ICMP_PORT_UNREACH, original: icmpErrorQuote(orig) }))
    expect(toHex(pkt)).toBe(PORT_UNREACH.slice(28))
    const r = parseIcmp(hex(PORT_UNREACH), 34, 39)
    expect(r).toMatchObject({ kind: 'destUnreachable', code: 3 })
    expect(r).not.toHaveProperty('nextHopMtu')
  })
})

describe('icmpErrorQuote', () => {
  it('stops at Total Length, so Ethernet padding is never quoted', () => {
    const orig = hex(UDP_CLOSED).subarray(14)
    const padded = new Uint8Array(46)
    padded.set(orig)
    expect(icmpErrorQuote(padded)).toHaveLength(31)
  })

  it('shrinks with a small route MTU and gives up below 49 bytes', () => {
    const orig = hex(PING_TTL1).subarray(14)
    expect(icmpErrorQuote(orig, 1500)).toHaveLength(548)
    expect(icmpErrorQuote(orig, 100)).toHaveLength(72)
    expect(icmpErrorQuote(orig, 49)).toHaveLength(21)
    expect(icmpErrorQuote(orig, 48)).toHaveLength(0)
  })

  it('returns a view, not a copy', () => {
    const orig = hex(PING_NOROUTE).subarray(14)
    expect(icmpErrorQuote(orig).buffer).toBe(orig.buffer)
  })
})

describe('other messages', () => {
  // Checked with tshark: icmp.type 3, icmp.code 4, icmp.mtu 1400, checksum good.
  const FRAG_NEEDED_ICMP = '0304f783000005784500005412344000400114730a0000010a00000208000071007b0001000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'
  // tshark: icmp.type 5, icmp.code 1, icmp.redir_gw 10.0.0.253.
  const REDIRECT_ICMP = '0501f0010a0000fd4500005412344000400114730a0000010a00000208000071007b0001000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'

  it('carries the next-hop MTU for frag needed (RFC 1191)', () => {
    const b = hex(FRAG_NEEDED_ICMP)
    const r = parseIcmp(b, 0, b.length)
    expect(r).toMatchObject({ kind: 'destUnreachable', code: ICMP_FRAG_NEEDED, nextHopMtu: 1400 })
    expect(toHex(emitIcmp(r))).toBe(FRAG_NEEDED_ICMP)
  })

  it('carries the gateway for redirects', () => {
    const b = hex(REDIRECT_ICMP)
    const r = parseIcmp(b, 0, b.length)
    expect(r).toMatchObject({ kind: 'redirect', code: ICMP_REDIR_HOST, gateway: 0x0a00_00fd })
    expect(toHex(emitIcmp(r))).toBe(REDIRECT_ICMP)
  })

  it('keeps unknown types whole', () => {
    const b = emitIcmp({ kind: 'other', type: 13, code: 0, rest: 0x0001_0002, data: new Uint8Array(12) })
    expect(toHex(b.subarray(0, 8))).toBe('0d00f2fc00010002')
    expect(parseIcmp(b, 0, b.length)).toEqual({ kind: 'other', type: 13, code: 0, rest: 0x0001_0002, data: new Uint8Array(12) })
  })

  it('round-trips every error kind', () => {
    const original = fc.uint8Array({ maxLength: 60 })
    const code = fc.integer({ min: 0, max: 255 })
    const arb: fc.Arbitrary<IcmpRepr> = fc.oneof(
      fc.record({ kind: fc.constant('destUnreachable' as const), code: code.filter((c) => c !== 4), original }),
      fc.record({ kind: fc.constant('destUnreachable' as const), code: fc.constant(4), nextHopMtu: fc.integer({ min: 0, max: 0xffff }), original }),
      fc.record({ kind: fc.constant('timeExceeded' as const), code, original }),
      fc.record({ kind: fc.constant('redirect' as const), code, gateway: fc.integer({ min: 0, max: 0xffff_ffff }), original }),
      fc.record({ kind: fc.constant('other' as const), type: fc.constantFrom(4, 12, 13, 14, 17, 42), code, rest: fc.integer({ min: 0, max: 0xffff_ffff }), data: original }),
    )
    fc.assert(fc.property(arb, fc.nat(8), (r, off) => {
      const buf = new Uint8Array(off + icmpLength(r))
      writeIcmp(buf, off, r)
      expect(parseIcmp(buf, off, icmpLength(r))).toEqual(r)
    }))
  })
})

describe('bad input', () => {
  it('rejects a bad checksum, naming the field', () => {
    const b = hex(PING_NOROUTE)
    b[40] ^= 1
    expect(() => parseIcmp(b, 34, 64)).toThrowError(expect.objectContaining({ layer: 'ICMP', field: 'checksum', offset: 36 }) as Error)
  })

  it('rejects truncated messages', () => {
    const b = hex(PING_NOROUTE)
    expect(() => parseIcmp(b, 34, 7)).toThrowError(expect.objectContaining({ field: 'header', offset: 34 }) as Error)
    expect(() => parseIcmp(b, 34, 65)).toThrowError(expect.objectContaining({ field: 'length' }) as Error)
    expect(() => parseIcmp(b, 34, 65)).toThrowError(WireError)
  })
})
