import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  emitEthernet, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, frameDst, frameEthertype, frameSrc,
  frameWithMacs, parseEthernet, writeEthernetHeader,
} from './ethernet.ts'
import { WireError } from './error.ts'
import { formatMac, parseMac } from '../addr/mac.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

// Linux's first ARP request on a veth (captured with tcpdump; tshark: eth.dst ff:ff:ff:ff:ff:ff,
// eth.src 02:00:00:00:01:02, eth.type 0x0806). Unpadded: 42 bytes.
const LINUX_ARP = 'ffffffffffff020000000102080600010800060400010200000001020a0001020000000000000a000101'

describe('Ethernet', () => {
  it('has the usual constants', () => {
    expect([ETHERTYPE_IPV4, ETHERTYPE_ARP, ETHERTYPE_IPV6, ETHERNET_HEADER_LEN]).toEqual([0x0800, 0x0806, 0x86dd, 14])
  })

  it('parses a captured frame', () => {
    const f = hex(LINUX_ARP)
    const r = parseEthernet(f)
    expect(formatMac(r.dst)).toBe('ff:ff:ff:ff:ff:ff')
    expect(formatMac(r.src)).toBe('02:00:00:00:01:02')
    expect(r.ethertype).toBe(ETHERTYPE_ARP)
    expect(formatMac(frameDst(f))).toBe('ff:ff:ff:ff:ff:ff')
    expect(formatMac(frameSrc(f))).toBe('02:00:00:00:01:02')
    expect(frameEthertype(f)).toBe(0x0806)
  })

  it('emits the same bytes', () => {
    const f = hex(LINUX_ARP)
    const out = emitEthernet({ dst: parseMac('ff:ff:ff:ff:ff:ff')!, src: parseMac('02:00:00:00:01:02')!, ethertype: 0x0806 }, f.subarray(14))
    expect(toHex(out)).toBe(LINUX_ARP)
  })

  it('parses at an offset (inner frames)', () => {
    const f = new Uint8Array(8 + 14)
    writeEthernetHeader(f, 8, { dst: 1, src: 2, ethertype: 0x88b5 })
    expect(parseEthernet(f, 8)).toEqual({ dst: 1, src: 2, ethertype: 0x88b5 })
  })

  it('round-trips any header and payload', () => {
    const mac = fc.integer({ min: 0, max: 2 ** 48 - 1 })
    fc.assert(fc.property(mac, mac, fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 64 }), (dst, src, ethertype, payload) => {
      const f = emitEthernet({ dst, src, ethertype }, payload)
      const r = parseEthernet(f)
      return f.length === 14 + payload.length && r.dst === dst && r.src === src && r.ethertype === ethertype &&
        toHex(f.subarray(14)) === toHex(payload) && frameDst(f) === dst && frameSrc(f) === src && frameEthertype(f) === ethertype
    }))
  })

  it('rejects truncated headers with a WireError', () => {
    expect(() => parseEthernet(new Uint8Array(13))).toThrowError(WireError)
    expect(() => parseEthernet(new Uint8Array(13))).toThrowError(/Ethernet header at byte 0: truncated: need 14 bytes, have 13/)
    expect(() => parseEthernet(new Uint8Array(20), 10)).toThrowError(expect.objectContaining({ field: 'header', offset: 10 }) as Error)
  })

  it('rewrites MACs on a copy and leaves the original alone, even for a Node Buffer', () => {
    const orig = hex(LINUX_ARP)
    const buf = Buffer.from(orig)
    const out = frameWithMacs(buf, 0x0200_0000_0009, 0x0200_0000_0008)
    expect(formatMac(frameDst(out))).toBe('02:00:00:00:00:09')
    expect(formatMac(frameSrc(out))).toBe('02:00:00:00:00:08')
    expect(toHex(out.subarray(12))).toBe(LINUX_ARP.slice(24))
    expect(toHex(buf)).toBe(LINUX_ARP)
    const into = new Uint8Array(42)
    expect(frameWithMacs(buf, 1, 2, into)).toBe(into)
    expect(() => frameWithMacs(buf, 1, 2, new Uint8Array(41))).toThrow(RangeError)
  })
})
