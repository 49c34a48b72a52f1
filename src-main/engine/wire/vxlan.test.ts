import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  emitVxlan, emitVxlanFrame, flowHash, jhash3, parseVxlan, VXLAN_FLAG_I, VXLAN_HEADER_LEN, VXLAN_OVERHEAD, vxlanHasReservedBits,
  vxlanSourcePort, writeVxlanHeader,
} from './vxlan.ts'
import { parseIpv4Header } from './ipv4.ts'
import { parseUdp } from './udp.ts'
import { WireError } from './error.ts'
import { parseMac } from '../addr/mac.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

// Linux 6.18 `type vxlan id 42 dstport 8472` over a veth underlay (192.168.0.1 <-> .2), captured
// with tcpdump: a ping and its reply, and the ARP exchange before them. Both directions of each
// flow leave with the same UDP source port (35652 for the ping, 36708 for ARP). The UDP checksum
// field is the partial (offload) value veth captures show.
const PING = 'ce0beca2476042ffa48530ba08004500008695fd000040116316c0a80001c0a800028b442118007281d70800000000002a00020000000a02020000000a010800450000540ca94000400118160af400010af400020800894c3a580001af19076b00000000b3020c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'
const PONG = '42ffa48530bace0beca24760080045000086720600004011870dc0a80002c0a800018b442118007281d70800000000002a00020000000a01020000000a0208004500005471cf00004001f2ef0af400020af400010000914c3a580001af19076b00000000b3020c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637'
const ARP_REQ = 'ce0beca2476042ffa48530ba08004500004e95fc00004011634fc0a80001c0a800028f642118003a819f0800000000002a00ffffffffffff020000000a0108060001080006040001020000000a010af400010000000000000af40002'
const ARP_REP = '42ffa48530bace0beca2476008004500004e7205000040118746c0a80002c0a800018f642118003a819f0800000000002a00020000000a01020000000a0208060001080006040002020000000a020af40002020000000a010af40001'

describe('VXLAN header', () => {
  it('parses the real header', () => {
    expect(parseVxlan(hex(PING), 42)).toEqual({ vni: 42, flags: VXLAN_FLAG_I })
    expect(vxlanHasReservedBits(hex(PING), 42)).toBe(false)
    expect([VXLAN_HEADER_LEN, VXLAN_OVERHEAD]).toEqual([8, 50])
  })

  it('emits header + inner frame', () => {
    const f = hex(PING)
    expect(toHex(emitVxlan(42, f.subarray(50)))).toBe(PING.slice(84))
  })

  it('round-trips any 24-bit VNI', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xff_ffff }), fc.uint8Array({ maxLength: 30 }), (vni, inner) => {
      const b = emitVxlan(vni, inner)
      return parseVxlan(b, 0).vni === vni && !vxlanHasReservedBits(b, 0) && toHex(b.subarray(8)) === toHex(inner)
    }))
    expect(() => writeVxlanHeader(new Uint8Array(8), 0, 0x100_0000)).toThrowError(expect.objectContaining({ field: 'vni' }) as Error)
  })

  it('rejects a missing I flag and truncation', () => {
    const b = emitVxlan(1, new Uint8Array(0))
    b[0] = 0
    expect(() => parseVxlan(b, 0)).toThrowError(expect.objectContaining({ layer: 'VXLAN', field: 'flags', offset: 0 }) as Error)
    expect(() => parseVxlan(new Uint8Array(7), 0)).toThrowError(WireError)
  })

  it('flags reserved bits that Linux would drop', () => {
    const b = emitVxlan(1, new Uint8Array(0))
    b[7] = 1
    expect(vxlanHasReservedBits(b, 0)).toBe(true)
    expect(parseVxlan(b, 0).vni).toBe(1)
  })
})

describe('emitVxlanFrame', () => {
  it('rebuilds the captured frame byte for byte', () => {
    const f = hex(PING)
    const out = emitVxlanFrame({
      dstMac: parseMac('ce:0b:ec:a2:47:60')!, srcMac: parseMac('42:ff:a4:85:30:ba')!, srcIp: 0xc0a8_0001, dstIp: 0xc0a8_0002,
      ttl: 64, tos: 0, id: 0x95fd, df: false, srcPort: 35652, dstPort: 8472, vni: 42, udpChecksum: 'partial',
    }, f.subarray(50))
    expect(toHex(out)).toBe(PING)
  })

  it('computes a verifiable outer checksum, or none', () => {
    const f = hex(PING)
    const spec = { dstMac: 1, srcMac: 2, srcIp: 0xc0a8_0001, dstIp: 0xc0a8_0002, ttl: 64, tos: 0, id: 1, df: false, srcPort: 40000, dstPort: 4789, vni: 7 }
    for (const udpChecksum of [true, false]) {
      const out = emitVxlanFrame({ ...spec, udpChecksum }, f.subarray(50))
      const ip = parseIpv4Header(out, 14)
      expect(ip.totalLen).toBe(out.length - 14)
      expect(parseUdp(out, 34, ip.totalLen - 20, spec.srcIp, spec.dstIp)).toEqual({ srcPort: 40000, dstPort: 4789, length: out.length - 34 })
      expect(out[40] | out[41]).toSatisfy((v: number) => (udpChecksum ? v !== 0 : v === 0))
    }
  })
})

describe('source port and flow hash', () => {
  it('jhash3 matches the kernel jhash_3words', () => {
    // From the kernel's <linux/jhash.h>, compiled with gcc.
    const vectors = [
      [0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x1b68e557],
      [0x00000001, 0x00000002, 0x00000003, 0x00000004, 0x8103143f],
      [0x0a000001, 0x0a000002, 0x9c40270f, 0x00000011, 0x26f152f3],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xc343af0b],
      [0xc0a80001, 0xc0a80002, 0x12345678, 0x00000000, 0x9d7d8cda],
    ]
    for (const [a, b, c, iv, want] of vectors) expect(jhash3(a, b, c, iv)).toBe(want)
  })

  it("matches udp_flow_src_port's fold and scaling", () => {
    // From the kernel's expression compiled with gcc: [hash, 32768..60999, 1000..2000].
    const vectors = [
      [0x00000000, 32768, 1000], [0x00000001, 32768, 1000], [0x0000ffff, 60998, 1999], [0x00010000, 32768, 1000],
      [0x80000000, 46883, 1500], [0xffffffff, 32768, 1000], [0xdeadbeef, 43383, 1376], [0x12345678, 40299, 1266],
    ]
    for (const [h, def, small] of vectors) {
      expect(vxlanSourcePort(h)).toBe(def)
      expect(vxlanSourcePort(h, 1000, 2000)).toBe(small)
    }
    expect(vxlanSourcePort(0x80000000, 5, 5)).toBe(46883) // min >= max: ip_local_port_range
  })

  it('stays in [min, max) and agrees with 64-bit arithmetic', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 1, max: 0xfffe }), fc.integer({ min: 1, max: 0xffff }), (hash, a, span) => {
      const min = a
      const max = Math.min(0xffff, a + span)
      if (min >= max) return true
      const h = BigInt(((hash ^ (hash << 16)) >>> 0))
      const want = Number((h * BigInt(max - min)) >> 32n) + min
      const got = vxlanSourcePort(hash, min, max)
      return got === want && got >= min && got < max
    }))
  })

  it('hashes both directions of a flow alike, as the captures show', () => {
    expect(flowHash(hex(PING).subarray(50))).toBe(flowHash(hex(PONG).subarray(50)))
    expect(flowHash(hex(ARP_REQ).subarray(50))).toBe(flowHash(hex(ARP_REP).subarray(50)))
    expect(flowHash(hex(PING).subarray(50))).not.toBe(flowHash(hex(ARP_REQ).subarray(50)))
  })

  it('is deterministic, seeded, and separates ICMP identifiers and UDP ports', () => {
    const ping = hex(PING).subarray(50)
    expect(flowHash(ping)).toBe(flowHash(new Uint8Array(ping)))
    expect(flowHash(ping, 1)).not.toBe(flowHash(ping, 2))
    const other = new Uint8Array(ping)
    other[38] ^= 1 // ICMP identifier
    expect(flowHash(other)).not.toBe(flowHash(ping))
    const ports = new Set<number>()
    for (let p = 0; p < 64; p++) {
      const f = new Uint8Array(ping)
      f[23] = 17 // pretend UDP: the ports are the first four bytes of the payload
      f[35] = p
      ports.add(vxlanSourcePort(flowHash(f)))
    }
    expect(ports.size).toBeGreaterThan(60)
    expect(flowHash(new Uint8Array(5))).toBeTypeOf('number')
    expect(flowHash(new Uint8Array(60).fill(0x33))).toBe(flowHash(new Uint8Array(60).fill(0x33)))
  })
})

describe('caller-provided buffers', () => {
  it('writes the outer frame into a slab view', () => {
    const inner = hex(PING).subarray(50)
    const spec = { dstMac: 1, srcMac: 2, srcIp: 3, dstIp: 4, ttl: 64, tos: 0, id: 5, df: false, srcPort: 6, dstPort: 4789, vni: 9, udpChecksum: true }
    const slab = new ArrayBuffer(4096)
    const view = new Uint8Array(slab, 100, VXLAN_OVERHEAD + inner.length)
    const out = emitVxlanFrame(spec, inner, view)
    expect(out).toBe(view)
    expect(toHex(out)).toBe(toHex(emitVxlanFrame(spec, inner)))
    expect(() => emitVxlanFrame(spec, inner, new Uint8Array(10))).toThrow(RangeError)
  })
})
