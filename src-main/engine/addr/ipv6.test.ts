import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { eui64LinkLocal, formatIpv6, solicitedNodeMulticast, solicitedNodeMulticastMac } from './ipv6.ts'
import { formatMac, parseMac } from './mac.ts'

const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)))

describe('eui64LinkLocal', () => {
  // What Linux 6.18 assigned to a veth with this address (`ip -6 addr show`, addrgenmode eui64).
  it.each([
    ['02:00:00:00:01:01', 'fe80::ff:fe00:101'],
    ['00:11:22:33:44:55', 'fe80::211:22ff:fe33:4455'],
    ['aa:bb:cc:dd:ee:ff', 'fe80::a8bb:ccff:fedd:eeff'],
    ['02:42:ac:11:00:02', 'fe80::42:acff:fe11:2'],
    ['fe:ff:ff:ff:ff:ff', 'fe80::fcff:ffff:feff:ffff'],
    ['00:00:00:00:00:01', 'fe80::200:ff:fe00:1'],
    ['02:00:00:00:0a:01', 'fe80::ff:fe00:a01'],
  ])('%s -> %s', (mac, want) => {
    const a = eui64LinkLocal(parseMac(mac)!)
    expect(a).toHaveLength(16)
    expect(formatIpv6(a)).toBe(want)
  })
})

describe('formatIpv6', () => {
  // Expected strings from glibc inet_ntop (what iproute2 prints), via Python's socket.inet_ntop.
  const GLIBC: [string, string][] = [
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000000000000002', '::2'],
    ['00010000000000000000000000000000', '1::'],
    ['fe80000000000000000000fffe000101', 'fe80::ff:fe00:101'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010000000000010000000000000001', '2001:0:0:1::1'],
    ['00000000000100000000000000000000', '0:0:1::'],
    ['00000001000000000000000000000000', '0:1::'],
    ['00000000000000000000ffff0a000001', '::ffff:10.0.0.1'],
    ['0000000000000000000000000a000001', '::10.0.0.1'],
    ['00000000000000000000ffff00000001', '::ffff:0.0.0.1'],
    ['00000000000000000000000100000000', '::1:0:0'],
    ['00010002000300040005000600070008', '1:2:3:4:5:6:7:8'],
    ['00010000000200000003000000040000', '1:0:2:0:3:0:4:0'],
    ['ff0200000000000000000001ff000101', 'ff02::1:ff00:101'],
    ['00000000000000000001000000000000', '::1:0:0:0'],
    ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
    ['00000000000000000000000000000100', '::100'],
    ['00000000000000000000fffe01020304', '::fffe:102:304'],
    ['abcdef0123456789abcdef0123456789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
    ['0000ca2600000000ffff000000010000', '0:ca26::ffff:0:1:0'],
    ['000000000000ffff0000000000000000', '0:0:0:ffff::'],
    ['ffffffff00000000ffffffffffff0001', 'ffff:ffff::ffff:ffff:ffff:1'],
    ['0000ffff000000005c0a0000ffff0000', '0:ffff::5c0a:0:ffff:0'],
    ['000000000000000000011412ffff0000', '::1:1412:ffff:0'],
    ['c58600000000ffff0001000000000001', 'c586::ffff:1:0:0:1'],
    ['0001000000010000ffff8e8d00000000', '1:0:1:0:ffff:8e8d::'],
    ['0000000076c30000ffff000000000001', '::76c3:0:ffff:0:0:1'],
    ['ffff0000000000010000000100010000', 'ffff::1:0:1:1:0'],
    ['0000af6d0001ffff00000000ffff989f', '0:af6d:1:ffff::ffff:989f'],
    ['00000000000000010000000100000000', '::1:0:1:0:0'],
    ['000000000000ffff0001b0212b680001', '::ffff:1:b021:2b68:1'],
    ['ffffffff00000000000000000000ffff', 'ffff:ffff::ffff'],
    ['00010001000025240001000000004f13', '1:1:0:2524:1::4f13'],
    ['ffff000000000000ffff000000000000', 'ffff::ffff:0:0:0'],
    ['000000000000ffff0000ffff00000000', '::ffff:0:ffff:0:0'],
    ['00000000ffff00000000dd46ffffffff', '::ffff:0:0:dd46:ffff:ffff'],
    ['9d950000000000010000000024350001', '9d95::1:0:0:2435:1'],
    ['00000000ffff00000000000000000001', '0:0:ffff::1'],
    ['9bc500004f7d00000000917f0000dbc5', '9bc5:0:4f7d::917f:0:dbc5'],
    ['09a50001000000002f1321d100000000', '9a5:1::2f13:21d1:0:0'],
    ['8204ffff00000000000032f46f750000', '8204:ffff::32f4:6f75:0'],
  ]
  it.each(GLIBC)('%s -> %s', (hex, want) => {
    expect(formatIpv6(fromHex(hex))).toBe(want)
  })

  it('prints canonical groups: no leading zeros, at most one ::, never for a single zero group', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      const s = formatIpv6(b)
      const parts = s.split(':').filter((p) => p !== '' && !p.includes('.'))
      const groups = s.includes('.') ? 6 : 8
      const shown = parts.length
      return s.split('::').length <= 2 &&
        parts.every((p) => /^(0|[1-9a-f][0-9a-f]{0,3})$/.test(p)) &&
        (s.includes('::') ? groups - shown >= 2 : shown === groups)
    }))
  })
})

describe('solicited-node multicast', () => {
  it('keeps the low 24 bits', () => {
    const ll = eui64LinkLocal(parseMac('02:00:00:00:01:01')!)
    expect(formatIpv6(solicitedNodeMulticast(ll))).toBe('ff02::1:ff00:101')
    expect(formatMac(solicitedNodeMulticastMac(ll))).toBe('33:33:ff:00:01:01')
    expect(formatMac(solicitedNodeMulticastMac(fromHex('20010db80000000000000000abcdef12')))).toBe('33:33:ff:cd:ef:12')
  })
})
