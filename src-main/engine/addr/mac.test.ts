import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  formatMac, ipv4MulticastMac, ipv6MulticastMac, isBroadcastMac, isLocalMac, isMulticastMac, isValidUnicastMac,
  isZeroMac, MAC_BROADCAST, MAC_ZERO, macFromOctets, parseMac, readMac, writeMac,
} from './mac.ts'
import { parseIpv4 } from './ipv4.ts'

const arbMac = fc.integer({ min: 0, max: 2 ** 48 - 1 })

describe('parseMac / formatMac', () => {
  it('parses canonical, upper-case and short-group forms like iproute2', () => {
    expect(parseMac('02:00:00:00:01:01')).toBe(0x0200_0000_0101)
    expect(parseMac('AA:bb:CC:dd:EE:ff')).toBe(0xaabb_ccdd_eeff)
    expect(parseMac('2:0:0:0:0:1')).toBe(0x0200_0000_0001)
    expect(parseMac('ff:ff:ff:ff:ff:ff')).toBe(MAC_BROADCAST)
    expect(parseMac('0:0:0:0:0:0')).toBe(MAC_ZERO)
  })

  it.each([
    '', '02:00:00:00:01', '02:00:00:00:01:01:01', '02:00:00:00:01:', ':02:00:00:00:01:01', '002:00:00:00:01:01',
    '02-00-00-00-01-01', '02:00:00:00:01:0g', '02::00:00:01:01', ' 02:00:00:00:01:01', '02:00:00:00:01:01 ',
    '0x2:0:0:0:0:1', '+2:0:0:0:0:1', '0200.0000.0101',
  ])('rejects %j', (s) => {
    expect(parseMac(s)).toBeNull()
  })

  it('formats lowercase with two digits per group', () => {
    expect(formatMac(0x0200_0000_0101)).toBe('02:00:00:00:01:01')
    expect(formatMac(0xaabb_ccdd_eeff)).toBe('aa:bb:cc:dd:ee:ff')
    expect(formatMac(0)).toBe('00:00:00:00:00:00')
    expect(formatMac(MAC_BROADCAST)).toBe('ff:ff:ff:ff:ff:ff')
  })

  it('round-trips every 48-bit value', () => {
    fc.assert(fc.property(arbMac, (m) => parseMac(formatMac(m)) === m))
  })

  it('round-trips every text form with 1-2 digit groups (modulo case and zero padding)', () => {
    const group = fc.integer({ min: 0, max: 255 }).chain((v) =>
      fc.constantFrom(v.toString(16), v.toString(16).toUpperCase(), v.toString(16).padStart(2, '0')))
    fc.assert(fc.property(fc.array(group, { minLength: 6, maxLength: 6 }), (groups) => {
      const m = parseMac(groups.join(':'))
      return m !== null && formatMac(m) === groups.map((g) => g.toLowerCase().padStart(2, '0')).join(':')
    }))
  })
})

describe('readMac / writeMac', () => {
  it('reads and writes network byte order at an offset', () => {
    const buf = Uint8Array.from([9, 9, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02, 9])
    expect(readMac(buf, 2)).toBe(0x0242_ac11_0002)
    const out = new Uint8Array(9).fill(9)
    writeMac(out, 2, 0x0242_ac11_0002)
    expect(out).toEqual(buf)
  })

  it('round-trips through bytes', () => {
    fc.assert(fc.property(arbMac, fc.integer({ min: 0, max: 10 }), (m, off) => {
      const b = new Uint8Array(off + 6)
      writeMac(b, off, m)
      return readMac(b, off) === m
    }))
  })

  it('matches macFromOctets', () => {
    expect(macFromOctets(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff)).toBe(0xfeff_ffff_ffff)
  })
})

describe('address classes', () => {
  it('uses the I/G bit of the first octet for multicast', () => {
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true)
    expect(isMulticastMac(parseMac('01:00:5e:00:00:01')!)).toBe(true)
    expect(isMulticastMac(parseMac('33:33:00:00:00:01')!)).toBe(true)
    expect(isMulticastMac(parseMac('02:00:00:00:00:01')!)).toBe(false)
    expect(isMulticastMac(parseMac('fe:ff:ff:ff:ff:ff')!)).toBe(false)
    expect(isMulticastMac(parseMac('00:00:00:00:01:00')!)).toBe(false)
  })

  it('classifies broadcast, zero, local and valid unicast', () => {
    expect(isBroadcastMac(MAC_BROADCAST)).toBe(true)
    expect(isBroadcastMac(0xffff_ffff_fffe)).toBe(false)
    expect(isZeroMac(MAC_ZERO)).toBe(true)
    expect(isZeroMac(1)).toBe(false)
    expect(isLocalMac(parseMac('02:00:00:00:00:01')!)).toBe(true)
    expect(isLocalMac(parseMac('00:11:22:33:44:55')!)).toBe(false)
    expect(isValidUnicastMac(parseMac('00:11:22:33:44:55')!)).toBe(true)
    expect(isValidUnicastMac(MAC_ZERO)).toBe(false)
    expect(isValidUnicastMac(parseMac('01:00:5e:00:00:01')!)).toBe(false)
  })

  it('maps IPv4 groups to 01:00:5e plus the low 23 bits', () => {
    expect(formatMac(ipv4MulticastMac(parseIpv4('224.0.0.251')!))).toBe('01:00:5e:00:00:fb')
    expect(formatMac(ipv4MulticastMac(parseIpv4('239.129.2.3')!))).toBe('01:00:5e:01:02:03')
    expect(formatMac(ipv4MulticastMac(parseIpv4('224.128.0.1')!))).toBe('01:00:5e:00:00:01')
  })

  it('maps IPv6 groups to 33:33 plus the last 32 bits', () => {
    expect(formatMac(ipv6MulticastMac(0x0000_0001))).toBe('33:33:00:00:00:01')
    expect(formatMac(ipv6MulticastMac(0xff00_0101))).toBe('33:33:ff:00:01:01')
    expect(formatMac(ipv6MulticastMac(-1))).toBe('33:33:ff:ff:ff:ff')
  })
})
