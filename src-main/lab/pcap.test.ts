import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { LINKTYPE_ETHERNET, PCAP_MAGIC_USEC, readPcap, writePcap } from './pcap.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

const ARP = 'ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002'

describe('writePcap', () => {
  it('writes a classic little-endian microsecond pcap', () => {
    // `tcpdump -n -r` on these bytes prints
    // "00:00:01.000001 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28" (TZ=UTC).
    const out = writePcap([{ timeNs: 1_000_001_999, frame: hex(ARP) }])
    expect(toHex(out)).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000' + // global header
      '01000000' + '01000000' + '2a000000' + '2a000000' + ARP) // ts 1 s + 1 us, caplen = len = 42
    expect(PCAP_MAGIC_USEC).toBe(0xa1b2c3d4)
    expect(LINKTYPE_ETHERNET).toBe(1)
  })

  it('writes just the header for no records', () => {
    expect(writePcap([])).toHaveLength(24)
  })

  it('round-trips through readPcap (times truncated to microseconds)', () => {
    const rec = fc.record({ timeNs: fc.integer({ min: 0, max: 2 ** 52 }), frame: fc.uint8Array({ maxLength: 100 }) })
    fc.assert(fc.property(fc.array(rec, { maxLength: 10 }), (records) => {
      const back = readPcap(writePcap(records))
      expect(back.linktype).toBe(1)
      expect(back.records.map((r) => r.timeNs)).toEqual(records.map((r) => Math.floor(r.timeNs / 1000) * 1000))
      expect(back.records.map((r) => toHex(r.frame))).toEqual(records.map((r) => toHex(r.frame)))
    }))
  })

  it('caps oversized frames at the snaplength but keeps the original length', () => {
    const big = new Uint8Array(262144 + 10)
    const out = writePcap([{ timeNs: 0, frame: big }])
    const dv = new DataView(out.buffer)
    expect(dv.getUint32(24 + 8, true)).toBe(262144)
    expect(dv.getUint32(24 + 12, true)).toBe(262154)
  })
})

describe('readPcap', () => {
  it('reads big-endian nanosecond files too', () => {
    const f = new Uint8Array(24 + 16 + 2)
    const dv = new DataView(f.buffer)
    dv.setUint32(0, 0xa1b23c4d, false)
    dv.setUint32(20, 1, false)
    dv.setUint32(24, 2, false)
    dv.setUint32(28, 5, false)
    dv.setUint32(32, 2, false)
    dv.setUint32(36, 2, false)
    f.set([0xab, 0xcd], 40)
    expect(readPcap(f)).toEqual({ linktype: 1, records: [{ timeNs: 2_000_000_005, frame: Uint8Array.of(0xab, 0xcd) }] })
  })

  it('rejects bad magic and truncation', () => {
    expect(() => readPcap(new Uint8Array(10))).toThrow(/24-byte header/)
    expect(() => readPcap(new Uint8Array(24))).toThrow(/bad magic/)
    const ok = writePcap([{ timeNs: 0, frame: hex(ARP) }])
    expect(() => readPcap(ok.subarray(0, 30))).toThrow(/truncated record header/)
    expect(() => readPcap(ok.subarray(0, 50))).toThrow(/truncated record at byte 24/)
  })
})

describe('writePcap with an epoch', () => {
  it('adds whole seconds so simulated nanoseconds stay exact', () => {
    const out = writePcap([{ timeNs: 3_000_015_000, frame: hex(ARP) }], { epochSec: 946_684_800 })
    // 946684803 s = 0x386d4383; 15 us.
    expect(toHex(out.subarray(24, 32))).toBe('83436d38' + '0f000000')
  })
})
