// pcapng (draft-ietf-opsawg-pcapng): the capture format that keeps several interfaces apart, each
// with its name and link type, so Wireshark shows which device saw each frame. Written
// little-endian with nanosecond timestamps; read in either byte order. Blocks are emitted by one
// function each; pure: returns bytes, writes no file.

import { LINKTYPE_ETHERNET, PCAP_SNAPLEN as SNAPLEN } from './pcap.ts'

export const BT_SHB = 0x0a0d0d0a
export const BT_IDB = 0x00000001
export const BT_EPB = 0x00000006
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d

const OPT_ENDOFOPT = 0
const OPT_COMMENT = 1
const SHB_HARDWARE = 2
const SHB_OS = 3
const SHB_USERAPPL = 4
const IF_NAME = 2
const IF_DESCRIPTION = 3
const IF_TSRESOL = 9
const EPB_FLAGS = 2

export type Direction = 'inbound' | 'outbound'

export interface SectionHeader {
  hardware?: string
  os?: string
  /** The application that wrote the file, e.g. "PodNet Lab 0.1.0". */
  application?: string
}

export interface InterfaceDescription {
  /** if_name: how Wireshark names the interface. */
  name: string
  description?: string
  linktype?: number
  snaplen?: number
}

export interface EnhancedPacket {
  interfaceId: number
  /** Nanoseconds since 1970-01-01T00:00:00Z (if_tsresol is 9). */
  timestampNs: bigint
  frame: Uint8Array
  /** Length on the wire when the frame was cut at the snap length. */
  originalLength?: number
  direction?: Direction
  comment?: string
}

const utf8 = new TextEncoder()
const pad4 = (n: number): number => (n + 3) & ~3

/** One option: code, length, value padded to 32 bits. */
export function emitOption(code: number, value: Uint8Array): Uint8Array {
  if (value.length > 0xffff) throw new Error(`pcapng: option ${code} longer than 65535 bytes`)
  const out = new Uint8Array(4 + pad4(value.length))
  const dv = new DataView(out.buffer)
  dv.setUint16(0, code, true)
  dv.setUint16(2, value.length, true)
  out.set(value, 4)
  return out
}

/** Options in order, closed by opt_endofopt; nothing at all when there are none. */
function emitOptions(opts: (Uint8Array | null)[]): Uint8Array {
  const present = opts.filter((o): o is Uint8Array => o !== null)
  if (!present.length) return new Uint8Array(0)
  return concat([...present, emitOption(OPT_ENDOFOPT, new Uint8Array(0))])
}

const textOption = (code: number, s: string | undefined): Uint8Array | null => (s === undefined || s === '' ? null : emitOption(code, utf8.encode(s)))

/** A block: type, total length, body (already padded), total length again. */
function emitBlock(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length
  const out = new Uint8Array(total)
  const dv = new DataView(out.buffer)
  dv.setUint32(0, type, true)
  dv.setUint32(4, total, true)
  out.set(body, 8)
  dv.setUint32(total - 4, total, true)
  return out
}

export function emitShb(h: SectionHeader = {}): Uint8Array {
  const opts = emitOptions([textOption(SHB_HARDWARE, h.hardware), textOption(SHB_OS, h.os), textOption(SHB_USERAPPL, h.application)])
  const body = new Uint8Array(16 + opts.length)
  const dv = new DataView(body.buffer)
  dv.setUint32(0, BYTE_ORDER_MAGIC, true)
  dv.setUint16(4, 1, true) // major
  dv.setUint16(6, 0, true) // minor
  dv.setBigInt64(8, -1n, true) // section length not given
  body.set(opts, 16)
  return emitBlock(BT_SHB, body)
}

export function emitIdb(i: InterfaceDescription): Uint8Array {
  const opts = emitOptions([textOption(IF_NAME, i.name), textOption(IF_DESCRIPTION, i.description), emitOption(IF_TSRESOL, Uint8Array.of(9))])
  const body = new Uint8Array(8 + opts.length)
  const dv = new DataView(body.buffer)
  dv.setUint16(0, i.linktype ?? LINKTYPE_ETHERNET, true)
  dv.setUint16(2, 0, true)
  dv.setUint32(4, i.snaplen ?? SNAPLEN, true)
  body.set(opts, 8)
  return emitBlock(BT_IDB, body)
}

export function emitEpb(p: EnhancedPacket, snaplen = SNAPLEN): Uint8Array {
  const caplen = Math.min(p.frame.length, snaplen)
  const flags = p.direction ? new Uint8Array(4) : null
  if (flags) new DataView(flags.buffer).setUint32(0, p.direction === 'inbound' ? 1 : 2, true)
  const opts = emitOptions([textOption(OPT_COMMENT, p.comment), flags && emitOption(EPB_FLAGS, flags)])
  const body = new Uint8Array(20 + pad4(caplen) + opts.length)
  const dv = new DataView(body.buffer)
  dv.setUint32(0, p.interfaceId, true)
  dv.setUint32(4, Number(p.timestampNs >> 32n), true)
  dv.setUint32(8, Number(p.timestampNs & 0xffff_ffffn), true)
  dv.setUint32(12, caplen, true)
  dv.setUint32(16, p.originalLength ?? p.frame.length, true)
  body.set(caplen === p.frame.length ? p.frame : p.frame.subarray(0, caplen), 20)
  body.set(opts, 20 + pad4(caplen))
  return emitBlock(BT_EPB, body)
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

/** A whole file: one section, its interfaces, then the packets in order. */
export function writePcapng(section: SectionHeader, interfaces: readonly InterfaceDescription[], packets: readonly EnhancedPacket[]): Uint8Array {
  for (const p of packets) {
    if (p.interfaceId < 0 || p.interfaceId >= interfaces.length) throw new Error(`pcapng: packet on interface ${p.interfaceId}, but only ${interfaces.length} are described`)
  }
  return concat([emitShb(section), ...interfaces.map(emitIdb), ...packets.map((p) => emitEpb(p, interfaces[p.interfaceId].snaplen ?? SNAPLEN))])
}

export interface ParsedInterface extends Required<Pick<InterfaceDescription, 'linktype' | 'snaplen'>> {
  name?: string
  description?: string
  /** Units per second of this interface's timestamps (if_tsresol; 10^6 by default). */
  unitsPerSec: bigint
}

export interface ParsedPacket {
  interfaceId: number
  timestampNs: bigint
  frame: Uint8Array
  originalLength: number
  direction?: Direction
  comment?: string
}

export interface ParsedPcapng {
  section: SectionHeader
  interfaces: ParsedInterface[]
  packets: ParsedPacket[]
}

const utf8d = new TextDecoder()

/**
 * Reads a pcapng file of either byte order (one section; blocks of other types are skipped).
 * Throws with the byte offset on anything malformed.
 */
export function parsePcapng(data: Uint8Array): ParsedPcapng {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
  if (data.length < 28 || dv.getUint32(0, true) !== BT_SHB) throw new Error('pcapng: no section header block at byte 0')
  const le = dv.getUint32(8, true) === BYTE_ORDER_MAGIC
  if (!le && dv.getUint32(8, false) !== BYTE_ORDER_MAGIC) throw new Error('pcapng: bad byte-order magic at byte 8')
  const u16 = (o: number): number => dv.getUint16(o, le)
  const u32 = (o: number): number => dv.getUint32(o, le)
  const options = (start: number, end: number): Map<number, Uint8Array[]> => {
    const m = new Map<number, Uint8Array[]>()
    let o = start
    while (o + 4 <= end) {
      const code = u16(o)
      const len = u16(o + 2)
      if (code === OPT_ENDOFOPT) break
      if (o + 4 + len > end) throw new Error(`pcapng: option ${code} at byte ${o} runs past its block`)
      m.set(code, [...(m.get(code) ?? []), data.subarray(o + 4, o + 4 + len)])
      o += 4 + pad4(len)
    }
    return m
  }
  const text = (m: Map<number, Uint8Array[]>, code: number): string | undefined => {
    const v = m.get(code)?.[0]
    return v ? utf8d.decode(v) : undefined
  }
  const out: ParsedPcapng = { section: {}, interfaces: [], packets: [] }
  let off = 0
  while (off < data.length) {
    if (off + 12 > data.length) throw new Error(`pcapng: truncated block header at byte ${off}`)
    const type = u32(off)
    const total = u32(off + 4)
    if (total < 12 || total % 4 !== 0 || off + total > data.length) throw new Error(`pcapng: bad block length ${total} at byte ${off}`)
    if (u32(off + total - 4) !== total) throw new Error(`pcapng: block at byte ${off} does not end with its length`)
    const body = off + 8
    const end = off + total - 4
    if (type === BT_SHB) {
      if (off !== 0) throw new Error(`pcapng: a second section at byte ${off} is not supported`)
      const m = options(body + 16, end)
      out.section = { hardware: text(m, SHB_HARDWARE), os: text(m, SHB_OS), application: text(m, SHB_USERAPPL) }
    } else if (type === BT_IDB) {
      const m = options(body + 8, end)
      const res = m.get(IF_TSRESOL)?.[0]?.[0] ?? 6
      const unitsPerSec = res & 0x80 ? 2n ** BigInt(res & 0x7f) : 10n ** BigInt(res)
      out.interfaces.push({ linktype: u16(body), snaplen: u32(body + 4), name: text(m, IF_NAME), description: text(m, IF_DESCRIPTION), unitsPerSec })
    } else if (type === BT_EPB) {
      const interfaceId = u32(body)
      const iface = out.interfaces[interfaceId]
      if (!iface) throw new Error(`pcapng: packet at byte ${off} names interface ${interfaceId}, which is not described`)
      const units = (BigInt(u32(body + 4)) << 32n) | BigInt(u32(body + 8))
      const caplen = u32(body + 12)
      if (body + 20 + caplen > end) throw new Error(`pcapng: packet at byte ${off} runs past its block`)
      const m = options(body + 20 + pad4(caplen), end)
      const flags = m.get(EPB_FLAGS)?.[0]
      const dir = flags ? new DataView(flags.buffer, flags.byteOffset, 4).getUint32(0, le) & 3 : 0
      out.packets.push({
        interfaceId,
        timestampNs: (units * 1_000_000_000n) / iface.unitsPerSec,
        frame: data.slice(body + 20, body + 20 + caplen),
        originalLength: u32(body + 16),
        ...(dir === 1 ? { direction: 'inbound' as const } : dir === 2 ? { direction: 'outbound' as const } : {}),
        ...(m.has(OPT_COMMENT) ? { comment: text(m, OPT_COMMENT) } : {}),
      })
    }
    off += total
  }
  return out
}
