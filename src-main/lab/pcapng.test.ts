import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { emitEpb, emitIdb, emitOption, emitShb, parsePcapng, writePcapng, type EnhancedPacket } from './pcapng.ts'

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)))
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

const ARP = 'ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002'

// Recorded from the writer and read back with tshark 4.0 (TZ=UTC): frame 1 is
// "2000-01-01 00:00:01.000000123", interface "pod1:eth0" ("eth0 in pod1"), Ethernet,
// packet_flags_direction 0x00000002 (outbound), comment "who-has", ARP who-has 10.0.0.2.
const SHB = `0a0d0d0a 2c000000 4d3c2b1a 0100 0000 ffffffffffffffff
  0400 0600 506f644e6574 0000   0000 0000   2c000000` // shb_userappl "PodNet", opt_endofopt
const IDB = `01000000 40000000 0100 0000 00000400
  0200 0900 706f64313a65746830 000000   0300 0c00 6574683020696e20706f6431
  0900 0100 09 000000   0000 0000   40000000` // if_name, if_description, if_tsresol 9
const EPB = `06000000 64000000 00000000 cf4c230d 7bcadd8d 2a000000 2a000000 ${ARP} 0000
  0100 0700 77686f2d686173 00   0200 0400 02000000   0000 0000   64000000` // comment, epb_flags outbound

describe('pcapng blocks', () => {
  it('emits a section header block', () => {
    expect(toHex(emitShb({ application: 'PodNet' }))).toBe(toHex(hex(SHB)))
  })

  it('emits an interface description block with name, description and nanosecond resolution', () => {
    expect(toHex(emitIdb({ name: 'pod1:eth0', description: 'eth0 in pod1' }))).toBe(toHex(hex(IDB)))
  })

  it('emits an enhanced packet block: 64-bit nanosecond timestamp, padded frame, comment, direction', () => {
    const b = emitEpb({ interfaceId: 0, timestampNs: 946_684_801_000_000_123n, frame: hex(ARP), direction: 'outbound', comment: 'who-has' })
    expect(toHex(b)).toBe(toHex(hex(EPB)))
  })

  it('emits no option list at all for a block without options', () => {
    const b = emitEpb({ interfaceId: 1, timestampNs: 0n, frame: Uint8Array.of(1, 2, 3, 4) })
    expect(toHex(b)).toBe('06000000' + '24000000' + '01000000' + '00000000' + '00000000' + '04000000' + '04000000' + '01020304' + '24000000')
  })

  it('pads option values to 32 bits and refuses values that do not fit their length field', () => {
    expect(toHex(emitOption(1, Uint8Array.of(0xaa)))).toBe('01000100aa000000')
    expect(() => emitOption(1, new Uint8Array(70000))).toThrow(/longer than 65535/)
  })

  it('writes a whole file and refuses packets on undescribed interfaces', () => {
    const f = writePcapng({ application: 'PodNet' }, [{ name: 'pod1:eth0', description: 'eth0 in pod1' }], [{ interfaceId: 0, timestampNs: 946_684_801_000_000_123n, frame: hex(ARP), direction: 'outbound', comment: 'who-has' }])
    expect(toHex(f)).toBe(toHex(hex(SHB + IDB + EPB)))
    expect(() => writePcapng({}, [], [{ interfaceId: 0, timestampNs: 0n, frame: new Uint8Array(1) }])).toThrow(/interface 0, but only 0/)
  })

  it('cuts frames at the interface snap length and keeps the original length', () => {
    const f = parsePcapng(writePcapng({}, [{ name: 'a', snaplen: 10 }], [{ interfaceId: 0, timestampNs: 5n, frame: new Uint8Array(25).fill(7) }]))
    expect(f.packets[0]).toMatchObject({ originalLength: 25, frame: new Uint8Array(10).fill(7) })
  })
})

describe('parsePcapng', () => {
  it('reads back what was written', () => {
    const iface = fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), description: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(iface, { minLength: 1, maxLength: 4 }), fc.array(fc.record({ i: fc.nat(), t: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), frame: fc.uint8Array({ maxLength: 70 }), dir: fc.constantFrom(undefined, 'inbound' as const, 'outbound' as const), comment: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }) }), { maxLength: 8 }), (ifaces, pkts) => {
        const packets: EnhancedPacket[] = pkts.map((p) => ({ interfaceId: p.i % ifaces.length, timestampNs: p.t, frame: p.frame, direction: p.dir, comment: p.comment }))
        const back = parsePcapng(writePcapng({ application: 'PodNet Lab' }, ifaces, packets))
        expect(back.section.application).toBe('PodNet Lab')
        expect(back.interfaces.map((i) => [i.name, i.description, i.linktype, i.unitsPerSec])).toEqual(ifaces.map((i) => [i.name, i.description, 1, 1_000_000_000n]))
        expect(back.packets).toEqual(packets.map((p) => ({ interfaceId: p.interfaceId, timestampNs: p.timestampNs, frame: p.frame, originalLength: p.frame.length, ...(p.direction ? { direction: p.direction } : {}), ...(p.comment ? { comment: p.comment } : {}) })))
      }),
    )
  })

  it('reads big-endian files and microsecond interfaces', () => {
    // SHB, IDB (Ethernet, no options: microseconds), EPB at 1.5 s, big-endian.
    const be = hex(`0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
      00000001 00000014 0001 0000 00040000 00000014
      00000006 00000024 00000000 00000000 0016e360 00000003 00000003 aabbcc00 00000024`)
    const f = parsePcapng(be)
    expect(f.interfaces).toEqual([{ linktype: 1, snaplen: 262144, name: undefined, description: undefined, unitsPerSec: 1_000_000n }])
    expect(f.packets).toEqual([{ interfaceId: 0, timestampNs: 1_500_000_000n, frame: Uint8Array.of(0xaa, 0xbb, 0xcc), originalLength: 3 }])
  })

  it('names the byte offset of what is malformed', () => {
    const good = hex(SHB + IDB + EPB)
    expect(() => parsePcapng(new Uint8Array(8))).toThrow(/no section header block at byte 0/)
    expect(() => parsePcapng(good.subarray(0, good.length - 4))).toThrow(/bad block length 100 at byte 108/)
    const broken = good.slice()
    broken[108 + 8] = 5 // the packet names interface 5
    expect(() => parsePcapng(broken)).toThrow(/packet at byte 108 names interface 5/)
    const badEnd = good.slice()
    badEnd[good.length - 4] = 0
    expect(() => parsePcapng(badEnd)).toThrow(/block at byte 108 does not end with its length/)
  })
})
