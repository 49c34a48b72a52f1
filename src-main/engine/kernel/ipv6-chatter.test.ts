import { describe, expect, it } from 'vitest'
import { dadProbe, mldReport, routerSolicitation } from './ipv6-chatter.ts'
import { World } from './world.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/**
 * Byte fixtures of the frames every interface sends when it comes up (Ethernet, IPv6, hop-by-hop
 * Router Alert for MLD, ICMPv6 with its checksum), for two MACs (one whose EUI-64 flips the
 * universal/local bit on, one all ones).
 */
const FIXTURES: [number, { mldTentative: string; mld: string; dad: string; rs: string }][] = [
  [
    0x02_42_ac_11_00_02,
    {
      mldTentative: '3333000000160242ac11000286dd600000000024000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006f770000000104000000ff0200000000000000000001ff110002',
      mld: '3333000000160242ac11000286dd6000000000240001fe800000000000000042acfffe110002ff0200000000000000000000000000163a000502000001008f00c5a00000000104000000ff0200000000000000000001ff110002',
      dad: '3333ff1100020242ac11000286dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ff1100028700c1bc00000000fe800000000000000042acfffe1100020e01010203fafbfc',
      rs: '3333000000020242ac11000286dd6000000000103afffe800000000000000042acfffe110002ff020000000000000000000000000002850022830000000001010242ac110002',
    },
  ],
  [
    0xfe_ff_ff_ff_ff_ff,
    {
      mldTentative: '333300000016feffffffffff86dd600000000024000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006e8b0000000104000000ff0200000000000000000001ffffffff',
      mld: '333300000016feffffffffff86dd6000000000240001fe80000000000000fcfffffffeffffffff0200000000000000000000000000163a000502000001008f00740a0000000104000000ff0200000000000000000001ffffffff',
      dad: '3333fffffffffeffffffffff86dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ffffffff8700702600000000fe80000000000000fcfffffffeffffff0e01010203fafbfc',
      rs: '333300000002feffffffffff86dd6000000000103afffe80000000000000fcfffffffeffffffff0200000000000000000000000000028500812e000000000101feffffffffff',
    },
  ],
]

describe('IPv6 housekeeping frames', () => {
  for (const [mac, want] of FIXTURES) {
    it(`are written byte for byte for ${mac.toString(16)}`, () => {
      expect(hex(mldReport(mac, mac, true))).toBe(want.mldTentative)
      expect(hex(mldReport(mac, mac, false))).toBe(want.mld)
      expect(hex(dadProbe(mac, mac, 0x01_02_03_fa_fb_fc))).toBe(want.dad)
      expect(hex(routerSolicitation(mac, mac))).toBe(want.rs)
    })
  }
})

describe('frames cut from the World', () => {
  it('are the same bytes, in one shared buffer without overlapping, and each its own while a trace records', () => {
    const w = new World()
    const [mac, want] = FIXTURES[0]
    const a = mldReport(mac, mac, true, w)
    const b = routerSolicitation(mac, mac, w)
    const c = dadProbe(mac, mac, 0x01_02_03_fa_fb_fc, w)
    expect([hex(a), hex(b), hex(c)]).toEqual([want.mldTentative, want.rs, want.dad])
    expect(a.buffer).toBe(b.buffer)
    expect(b.byteOffset).toBe(a.byteOffset + a.length)
    expect(c.byteOffset).toBe(b.byteOffset + b.length)
    // Enough frames for a new buffer: still the right bytes, zeroed where not written.
    for (let i = 0; i < 2000; i++) expect(hex(routerSolicitation(mac, mac, w))).toBe(want.rs)
    w.trace.start()
    const d = mldReport(mac, mac, false, w)
    expect(hex(d)).toBe(want.mld)
    expect(d.byteOffset).toBe(0)
    expect(d.buffer.byteLength).toBe(d.length)
  })
})
