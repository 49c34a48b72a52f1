import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  formatIpv4, formatPrefix, ipv4Of, isLimitedBroadcast, isLinkLocalIpv4, isLoopbackIpv4, isMulticastIpv4, isZeroIpv4,
  maskToLen, parseIpv4, parseIpv4Loose, parsePrefix, prefixBroadcast, prefixContains, prefixIsNetwork, prefixMask,
  prefixNetwork, readIpv4, writeIpv4,
} from './ipv4.ts'

const arbIp = fc.integer({ min: 0, max: 0xffff_ffff })
const arbLen = fc.integer({ min: 0, max: 32 })

describe('parseIpv4 (strict)', () => {
  it('parses dotted quads', () => {
    expect(parseIpv4('10.0.0.1')).toBe(0x0a00_0001)
    expect(parseIpv4('255.255.255.255')).toBe(0xffff_ffff)
    expect(parseIpv4('0.0.0.0')).toBe(0)
    expect(parseIpv4('192.168.1.254')).toBe(0xc0a8_01fe)
  })

  it.each([
    '', '10', '10.1', '10.0.0', '10.0.0.1.', '10.0.0.1.5', '256.0.0.1', '10.0.0.256', '1.2.3.-4', '+1.2.3.4',
    ' 1.2.3.4', '1.2.3.4 ', '01.2.3.4', '1.2.3.04', '0x1.2.3.4', '1..3.4', '1.2.3.4/24', 'a.b.c.d', '1000.0.0.1',
  ])('rejects %j', (s) => {
    expect(parseIpv4(s)).toBeNull()
  })

  it('round-trips with formatIpv4', () => {
    fc.assert(fc.property(arbIp, (ip) => parseIpv4(formatIpv4(ip)) === ip))
  })
})

describe('parseIpv4Loose (iproute2 get_addr_ipv4)', () => {
  // Each accepted/rejected form was checked with `ip route add <form> dev X` on iproute2 6.1.
  it.each([
    ['10', '10.0.0.0'],
    ['10.1', '10.1.0.0'],
    ['172.16.1', '172.16.1.0'],
    ['0x0b.2', '11.2.0.0'],
    ['012.3', '10.3.0.0'],
    [' 11', '11.0.0.0'],
    ['+12', '12.0.0.0'],
    ['-0.1', '0.1.0.0'],
    ['0xa0', '160.0.0.0'],
    ['010', '8.0.0.0'],
    ['28.2.3.4', '28.2.3.4'],
    ['0XFF.0x0.00.1', '255.0.0.1'],
  ])('accepts %j as %s', (s, want) => {
    expect(formatIpv4(parseIpv4Loose(s)!)).toBe(want)
  })

  it.each(['', '1.2.3.4.5', '10.', '019', '-1.0.0.0', '0x1f0', '23..1', '256', '1.2.3.4 ', '10 .1', 'x', '0x', '1,2'])(
    'rejects %j', (s) => {
      expect(parseIpv4Loose(s)).toBeNull()
    })

  it('agrees with the strict parser on canonical text', () => {
    fc.assert(fc.property(arbIp, (ip) => parseIpv4Loose(formatIpv4(ip)) === ip))
  })
})

describe('bytes', () => {
  it('reads and writes big-endian', () => {
    const b = new Uint8Array(6)
    writeIpv4(b, 1, 0xc0a8_0001)
    expect([...b]).toEqual([0, 192, 168, 0, 1, 0])
    expect(readIpv4(b, 1)).toBe(0xc0a8_0001)
    fc.assert(fc.property(arbIp, (ip) => {
      const x = new Uint8Array(4)
      writeIpv4(x, 0, ip)
      return readIpv4(x, 0) === ip
    }))
  })

  it('builds from octets', () => {
    expect(ipv4Of(224, 0, 0, 251)).toBe(0xe000_00fb)
  })
})

describe('prefixes', () => {
  it('computes masks, networks and broadcasts', () => {
    expect(prefixMask(0)).toBe(0)
    expect(prefixMask(1)).toBe(0x8000_0000)
    expect(prefixMask(24)).toBe(0xffff_ff00)
    expect(prefixMask(32)).toBe(0xffff_ffff)
    const p = parsePrefix('10.0.0.5/24')!
    expect(p).toEqual({ addr: 0x0a00_0005, len: 24 })
    expect(formatIpv4(prefixNetwork(p))).toBe('10.0.0.0')
    expect(formatIpv4(prefixBroadcast(p))).toBe('10.0.0.255')
    expect(prefixContains(p, parseIpv4('10.0.0.200')!)).toBe(true)
    expect(prefixContains(p, parseIpv4('10.0.1.1')!)).toBe(false)
    expect(prefixIsNetwork(p)).toBe(false)
    expect(prefixIsNetwork({ addr: 0x0a00_0000, len: 24 })).toBe(true)
    expect(prefixContains({ addr: 0, len: 0 }, 0xffff_ffff)).toBe(true)
    expect(formatIpv4(prefixBroadcast({ addr: 0, len: 0 }))).toBe('255.255.255.255')
  })

  it('contains exactly the addresses between network and broadcast', () => {
    fc.assert(fc.property(arbIp, arbLen, arbIp, (addr, len, ip) => {
      const p = { addr, len }
      const inside = ip >= prefixNetwork(p) && ip <= prefixBroadcast(p)
      return prefixContains(p, ip) === inside && prefixContains(p, addr)
    }))
  })

  it('converts masks to lengths and rejects holes', () => {
    fc.assert(fc.property(arbLen, (len) => maskToLen(prefixMask(len)) === len))
    expect(maskToLen(0xff00_ff00)).toBe(-1)
    expect(maskToLen(0x0000_00ff)).toBe(-1)
  })

  it('parses strict prefixes; a bare address is a /32', () => {
    expect(parsePrefix('10.0.0.0/8')).toEqual({ addr: 0x0a00_0000, len: 8 })
    expect(parsePrefix('10.1.2.3')).toEqual({ addr: 0x0a01_0203, len: 32 })
    expect(parsePrefix('0.0.0.0/0')).toEqual({ addr: 0, len: 0 })
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '10/8', '10.0.0.0/ 8', '10.0.0.0/255.0.0.0', 'default', '10.0.0.0/8/8', '10.0.0.0/-1']) {
      expect(parsePrefix(bad), bad).toBeNull()
    }
  })

  // Checked with `ip route add <form> dev X` and `ip route show` on iproute2 6.1 / Linux 6.18.
  it.each([
    ['10/8', '10.0.0.0/8'],
    ['10.1/16', '10.1.0.0/16'],
    ['172.16.1/24', '172.16.1.0/24'],
    ['14.1/0x10', '14.1.0.0/16'],
    ['15.0/255.255.0.0', '15.0.0.0/16'],
    ['18', '18.0.0.0'],
    ['20.0.0.0/ 8', '20.0.0.0/8'],
    ['21.0.0.0/010', '21.0.0.0/8'],
    ['24.0.0.0/+8', '24.0.0.0/8'],
    ['29.0.0.0/255.255.255.255', '29.0.0.0'],
    ['10.0.0.5/24', '10.0.0.5/24'],
    ['default', '0.0.0.0/0'],
    ['all', '0.0.0.0/0'],
    ['any', '0.0.0.0/0'],
    ['25.0.0.0/-0', '25.0.0.0/0'],
    ['30.0.0.0/0.0.0.0', '30.0.0.0/0'],
  ])('loose %j -> %s', (s, want) => {
    expect(formatPrefix(parsePrefix(s, true)!)).toBe(want)
  })

  it.each(['1.2.3.4.5/32', '10./8', '16/255.0.255.0', '17/33', '019/8', '26.0.0.0/8 ', '27.0.0.0 /8', '-1.0.0.0/8',
    '0x1f0/8', '22.0.0.0/', '23..1/32', 'default/8', 'any/8', 'all/16', '10/255'])('loose rejects %j', (s) => {
    expect(parsePrefix(s, true)).toBeNull()
  })

  it('formats like iproute2: /32 bare for routes, always with length for addresses', () => {
    expect(formatPrefix({ addr: 0x0a00_0000, len: 24 })).toBe('10.0.0.0/24')
    expect(formatPrefix({ addr: 0x0a09_0909, len: 32 })).toBe('10.9.9.9')
    expect(formatPrefix({ addr: 0x0a09_0909, len: 32 }, true)).toBe('10.9.9.9/32')
    expect(formatPrefix({ addr: 0, len: 0 })).toBe('0.0.0.0/0')
  })

  it('round-trips strict prefixes', () => {
    fc.assert(fc.property(arbIp, arbLen, (addr, len) => {
      const p = parsePrefix(formatPrefix({ addr, len }))
      return p !== null && p.addr === addr && p.len === len
    }))
  })
})

describe('address classes', () => {
  it('classifies', () => {
    expect(isMulticastIpv4(parseIpv4('224.0.0.1')!)).toBe(true)
    expect(isMulticastIpv4(parseIpv4('239.255.255.255')!)).toBe(true)
    expect(isMulticastIpv4(parseIpv4('240.0.0.0')!)).toBe(false)
    expect(isMulticastIpv4(parseIpv4('223.255.255.255')!)).toBe(false)
    expect(isLoopbackIpv4(parseIpv4('127.1.2.3')!)).toBe(true)
    expect(isLoopbackIpv4(parseIpv4('128.0.0.1')!)).toBe(false)
    expect(isLimitedBroadcast(0xffff_ffff)).toBe(true)
    expect(isLimitedBroadcast(-1)).toBe(true)
    expect(isLimitedBroadcast(parseIpv4('10.255.255.255')!)).toBe(false)
    expect(isZeroIpv4(0)).toBe(true)
    expect(isZeroIpv4(1)).toBe(false)
    expect(isLinkLocalIpv4(parseIpv4('169.254.1.1')!)).toBe(true)
    expect(isLinkLocalIpv4(parseIpv4('169.253.1.1')!)).toBe(false)
  })
})
