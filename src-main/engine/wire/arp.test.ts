import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { ARP_LEN, ARP_REPLY, ARP_REQUEST, emitArp, parseArp, writeArp, type ArpRepr } from './arp.ts'
import { WireError } from './error.ts'
import { formatIpv4 } from '../addr/ipv4.ts'
import { formatMac, parseMac } from '../addr/mac.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

// Real Linux 6.18 ARP exchange across a veth, as captured by tcpdump (whole frames; the ARP
// body starts at byte 14). Requests carry an all-zero target MAC.
const REQUEST = 'ffffffffffff020000000102080600010800060400010200000001020a0001020000000000000a000101'
const REPLY = '020000000102020000000101080600010800060400020200000001010a0001010200000001020a000102'

describe('ARP', () => {
  it('parses a real request and reply', () => {
    expect(parseArp(hex(REQUEST), 14)).toEqual({
      op: ARP_REQUEST, senderMac: parseMac('02:00:00:00:01:02'), senderIp: 0x0a00_0102, targetMac: 0, targetIp: 0x0a00_0101,
    })
    const r = parseArp(hex(REPLY), 14)
    expect(r.op).toBe(ARP_REPLY)
    expect(formatMac(r.senderMac)).toBe('02:00:00:00:01:01')
    expect(formatIpv4(r.senderIp)).toBe('10.0.1.1')
    expect(formatMac(r.targetMac)).toBe('02:00:00:00:01:02')
    expect(formatIpv4(r.targetIp)).toBe('10.0.1.2')
  })

  it('emits what Linux sends', () => {
    for (const f of [REQUEST, REPLY]) {
      const bytes = hex(f)
      expect(toHex(emitArp(parseArp(bytes, 14)))).toBe(f.slice(28))
    }
    expect(emitArp({ op: 1, senderMac: 1, senderIp: 2, targetMac: 0, targetIp: 3 })).toHaveLength(ARP_LEN)
  })

  it('ignores Ethernet padding after the 28 bytes', () => {
    const padded = new Uint8Array(60)
    padded.set(hex(REQUEST))
    expect(parseArp(padded, 14).targetIp).toBe(0x0a00_0101)
  })

  it('round-trips', () => {
    const arb = fc.record({
      op: fc.constantFrom(1 as const, 2 as const),
      senderMac: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
      senderIp: fc.integer({ min: 0, max: 0xffff_ffff }),
      targetMac: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
      targetIp: fc.integer({ min: 0, max: 0xffff_ffff }),
    })
    fc.assert(fc.property(arb, fc.nat(20), (r: ArpRepr, off) => {
      const buf = new Uint8Array(off + ARP_LEN)
      writeArp(buf, off, r)
      expect(parseArp(buf, off)).toEqual(r)
    }))
  })

  const mutate = (i: number, v: number): Uint8Array => {
    const b = hex(REQUEST)
    b[14 + i] = v
    return b
  }

  it.each([
    ['htype', 1, 6, 14, 'expected 1 (Ethernet), got 6'],
    ['ptype', 2, 0x86, 16, 'expected 0x0800 (IPv4), got 0x8600'],
    ['hlen', 4, 8, 18, 'expected 6, got 8'],
    ['plen', 5, 16, 19, 'expected 4, got 16'],
    ['op', 7, 3, 20, 'expected 1 (request) or 2 (reply), got 3'],
  ])('rejects a bad %s', (field, i, v, offset, reason) => {
    expect(() => parseArp(mutate(i as number, v as number), 14)).toThrowError(expect.objectContaining({ layer: 'ARP', field, offset, reason }) as Error)
  })

  it('rejects a truncated body', () => {
    expect(() => parseArp(hex(REQUEST).subarray(0, 41), 14)).toThrowError(WireError)
    expect(() => parseArp(hex(REQUEST).subarray(0, 41), 14)).toThrowError(/ARP header at byte 14: truncated: need 28 bytes, have 27/)
  })
})
