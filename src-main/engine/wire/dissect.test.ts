import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { dissect, type Layer } from './dissect.ts'
import { emitEthernet } from './ethernet.ts'
import { emitIpv4 } from './ipv4.ts'
import { emitUdp } from './udp.ts'
import { emitVxlan } from './vxlan.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const field = (l: Layer, name: string): string | undefined => l.fields.find((f) => f.name === name)?.value

// Linux 6.18 captures: a ping inside VXLAN id 42 (dstport 8472, veth underlay, so the outer
// UDP checksum is the unfinished offload value), an ARP request, and an ICMP net unreachable.
const VXLAN_PING = 'ce0beca2476042ffa48530ba08004500008695fd000040116316c0a80001c0a800028b442118007281d70800000000002a00020000000a02020000000a010800450000540ca94000400118160af400010af400020800894c3a580001af19076b00000000b3020c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'
const ARP_REQUEST = 'ffffffffffff020000000102080600010800060400010200000001020a0001020000000000000a000101'
const NET_UNREACH = '020000000102020000000101080045c00070ddda0000400185f00a0001010a0001020300fcff0000000045000054c293400040015e0f0a0001020a00050508002f121a2300018919076b0000000055720a0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'

describe('dissect', () => {
  it('decodes VXLAN down to the inner ICMP', () => {
    const layers = dissect(hex(VXLAN_PING))
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP', 'VXLAN', 'Inner Ethernet', 'Inner IPv4', 'Inner ICMP'])
    const [eth, ip, udp, vx, ieth, iip, icmp] = layers
    expect(field(eth, 'Destination')).toBe('ce:0b:ec:a2:47:60')
    expect(field(eth, 'Type')).toBe('IPv4 (0x0800)')
    expect(field(ip, 'Source')).toBe('192.168.0.1')
    expect(field(ip, 'Protocol')).toBe('UDP (17)')
    expect(field(ip, 'Header checksum')).toBe('0x6316 [correct]')
    expect(field(udp, 'Destination port')).toBe('8472')
    expect(field(udp, 'Checksum')).toMatch(/^0x81d7 \[incorrect, should be 0x[0-9a-f]{4}\]$/)
    expect(field(vx, 'VNI')).toBe('42')
    expect(vx.fields.find((f) => f.name === 'VNI')).toMatchObject({ offset: 46, length: 3 })
    expect(field(ieth, 'Source')).toBe('02:00:00:00:0a:01')
    expect(field(iip, 'Destination')).toBe('10.244.0.2')
    expect(field(iip, 'Flags')).toBe('0x2 (DF)')
    expect(field(icmp, 'Type')).toBe('Echo request (8)')
    expect(field(icmp, 'Identifier')).toBe('14936 (0x3a58)')
    expect(field(icmp, 'Sequence')).toBe('1')
    expect(icmp).toMatchObject({ offset: 84, length: 64 })
  })

  it('decodes a bare IPv4 packet with offsets from its first byte', () => {
    // The inner packet of VXLAN_PING, without any link header.
    const layers = dissect(hex(VXLAN_PING).subarray(64), 'ipv4')
    expect(layers.map((l) => l.name)).toEqual(['IPv4', 'ICMP'])
    expect(field(layers[0], 'Destination')).toBe('10.244.0.2')
    expect(layers[0].fields.find((f) => f.name === 'Destination')).toMatchObject({ offset: 16, length: 4 })
    expect(layers[1]).toMatchObject({ offset: 20, length: 64 })
  })

  it('decodes ARP field by field', () => {
    const [eth, arp] = dissect(hex(ARP_REQUEST))
    expect(field(eth, 'Destination')).toBe('ff:ff:ff:ff:ff:ff')
    expect(arp.name).toBe('ARP')
    expect(field(arp, 'Opcode')).toBe('request (1)')
    expect(field(arp, 'Sender MAC')).toBe('02:00:00:00:01:02')
    expect(field(arp, 'Sender IP')).toBe('10.0.1.2')
    expect(field(arp, 'Target MAC')).toBe('00:00:00:00:00:00')
    expect(field(arp, 'Target IP')).toBe('10.0.1.1')
    expect(arp.fields.find((f) => f.name === 'Target IP')).toMatchObject({ offset: 38, length: 4 })
  })

  it('decodes the datagram quoted in an ICMP error', () => {
    const layers = dissect(hex(NET_UNREACH))
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'ICMP', 'Quoted IPv4', 'Quoted ICMP'])
    expect(field(layers[1], 'TOS')).toBe('0xc0 (DSCP 48, ECN 0)')
    expect(field(layers[2], 'Code')).toBe('Network unreachable (0)')
    expect(field(layers[3], 'Destination')).toBe('10.0.5.5')
    expect(field(layers[4], 'Type')).toBe('Echo request (8)')
  })

  it('shows a quote cut short by the 548-byte limit without calling it malformed', () => {
    const orig = emitIpv4({ src: 1, dst: 2, protocol: 17, ttl: 1, tos: 0, id: 9, df: true, mf: false, fragOffset: 0 }, emitUdp(5, 6, new Uint8Array(1000), 1, 2))
    const icmp = new Uint8Array(8 + 548)
    icmp.set([11, 0])
    icmp.set(orig.subarray(0, 548), 8)
    let s = 0
    for (let i = 0; i < icmp.length; i += 2) s += (icmp[i] << 8) | icmp[i + 1]
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16)
    icmp[2] = ~s >> 8 & 0xff
    icmp[3] = ~s & 0xff
    const frame = emitEthernet({ dst: 1, src: 2, ethertype: 0x0800 }, emitIpv4({ src: 3, dst: 1, protocol: 1, ttl: 64, tos: 0xc0, id: 1, df: false, mf: false, fragOffset: 0 }, icmp))
    const names = dissect(frame).map((l) => l.name)
    expect(names).toEqual(['Ethernet', 'IPv4', 'ICMP', 'Quoted IPv4', 'Quoted payload'])
  })

  it('turns broken parts into a Malformed layer with the reason', () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(10), 'Ethernet header at byte 0: truncated: need 14 bytes, have 10'],
      [emitEthernet({ dst: 1, src: 2, ethertype: 0x0800 }, Uint8Array.of(0x65, ...new Uint8Array(19))), 'IPv4 version at byte 14: expected 4, got 6'],
      [emitEthernet({ dst: 1, src: 2, ethertype: 0x0806 }, new Uint8Array(10)), 'ARP header at byte 14: truncated: need 28 bytes, have 10'],
      [emitEthernet({ dst: 1, src: 2, ethertype: 0x0800 }, emitIpv4({ src: 1, dst: 2, protocol: 17, ttl: 1, tos: 0, id: 0, df: false, mf: false, fragOffset: 0 }, Uint8Array.of(0, 1, 0, 2, 0, 99, 0, 0))),
        'UDP length at byte 38: length 99 exceeds the 8 bytes of IP payload'],
    ]
    const noI = emitVxlan(5, new Uint8Array(14))
    noI[0] = 0
    cases.push([emitEthernet({ dst: 1, src: 2, ethertype: 0x0800 }, emitIpv4({ src: 1, dst: 2, protocol: 17, ttl: 1, tos: 0, id: 0, df: false, mf: false, fragOffset: 0 }, emitUdp(1, 4789, noI, 1, 2))),
      'VXLAN flags at byte 42: I flag (0x08) not set in flags 0x00'])
    for (const [frame, reason] of cases) {
      const layers = dissect(frame)
      const last = layers[layers.length - 1]
      expect(last.name).toBe('Malformed')
      expect(field(last, 'Reason')).toBe(reason)
    }
  })

  it('marks a bad IPv4 header checksum but keeps decoding', () => {
    const f = hex(NET_UNREACH)
    f[22] = 1 // TTL changed without fixing the checksum
    const layers = dissect(f)
    expect(field(layers[1], 'Header checksum')).toBe('0x85f0 [incorrect, should be 0xc4f0]')
    expect(layers.map((l) => l.name)).toContain('Quoted ICMP')
  })

  it('never throws and keeps every range inside the frame', () => {
    const seeds = [VXLAN_PING, ARP_REQUEST, NET_UNREACH].map(hex)
    const check = (f: Uint8Array): boolean => dissect(f).every((l) => l.offset >= 0 && l.offset + l.length <= f.length &&
      l.fields.every((x) => x.offset >= 0 && x.offset + x.length <= f.length))
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (frame, cut, at, v) => {
      const f = new Uint8Array(frame.subarray(0, cut % (frame.length + 1)))
      if (f.length > 0) f[at % f.length] = v
      return check(f)
    }), { numRuns: 500 })
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), check))
  })
})

describe('dissect: keys, raw values and languages', () => {
  it('names every field by its Wireshark name and gives its raw value', () => {
    const layers = dissect(hex(VXLAN_PING))
    expect(layers.map((l) => l.key)).toEqual(['eth', 'ip', 'udp', 'vxlan', 'inner.eth', 'inner.ip', 'inner.icmp'])
    const get = (layer: string, key: string) => layers.find((l) => l.key === layer)!.fields.find((f) => f.key === key)!
    expect(get('ip', 'ip.ttl')).toMatchObject({ name: 'TTL', raw: '64', offset: 22, length: 1 })
    expect(get('eth', 'eth.type')).toMatchObject({ value: 'IPv4 (0x0800)', raw: '2048' })
    expect(get('inner.ip', 'ip.dst')).toMatchObject({ raw: '10.244.0.2' })
    expect(get('inner.eth', 'eth.src')).toMatchObject({ raw: '02:00:00:00:0a:01' })
    expect(get('vxlan', 'vxlan.vni')).toMatchObject({ raw: '42' })
    const quoted = dissect(hex(NET_UNREACH))
    expect(quoted.map((l) => l.key)).toEqual(['eth', 'ip', 'icmp', 'quoted.ip', 'quoted.icmp'])
  })

  it('speaks Japanese with the same keys, raw values and byte ranges', () => {
    const en = dissect(hex(NET_UNREACH))
    const ja = dissect(hex(NET_UNREACH), 'ethernet', 'ja')
    expect(ja.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'ICMP', '引用された IPv4', '引用された ICMP'])
    const strip = (ls: Layer[]) => ls.map((l) => ({ key: l.key, offset: l.offset, length: l.length, fields: l.fields.map((f) => [f.key, f.raw, f.offset, f.length]) }))
    expect(strip(ja)).toEqual(strip(en))
    const icmp = ja[2]
    expect(icmp.fields.map((f) => [f.name, f.value])).toEqual([
      ['タイプ', '宛先到達不能 (3)'],
      ['コード', 'ネットワーク到達不能 (0)'],
      ['チェックサム', '0xfcff [正しい]'],
    ])
    expect(ja[1].fields.find((f) => f.key === 'ip.hdr_len')!.value).toBe('20 バイト')
    expect(dissect(hex(ARP_REQUEST), 'ethernet', 'ja')[1].fields.find((f) => f.key === 'arp.opcode')!.value).toBe('要求 (1)')
    // Inside VXLAN: "Inner" in either language, and nothing left in English but protocol names.
    const vx = dissect(hex(VXLAN_PING), 'ethernet', 'ja')
    expect(vx.map((l) => l.name).slice(4)).toEqual(['内側の Ethernet', '内側の IPv4', '内側の ICMP'])
    const words = vx.flatMap((l) => l.fields.flatMap((f) => [f.name, f.value])).join(' ')
    expect(words.match(/\b[a-z]{3,}\b/gi)?.filter((w) => !/^(ICMP|IPv4|UDP|VNI|TTL|TOS|DSCP|ECN|MAC|DF|Ethernet)$/.test(w)) ?? []).toEqual([])
  })
})
