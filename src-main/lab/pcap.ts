// Classic libpcap files (not pcapng) so every tool opens them: tcpdump -r, tshark, Wireshark.
// Microsecond resolution (magic 0xa1b2c3d4) for the widest compatibility; written
// little-endian, which readers detect from the magic. Pure: returns bytes, writes no file.

export const PCAP_MAGIC_USEC = 0xa1b2c3d4
export const PCAP_MAGIC_NSEC = 0xa1b23c4d
export const LINKTYPE_ETHERNET = 1
export const PCAP_SNAPLEN = 262144
const GLOBAL_HEADER_LEN = 24
const RECORD_HEADER_LEN = 16

export interface PcapRecord {
  /** Capture time in nanoseconds since the epoch of the file (simulated time is fine). */
  timeNs: number
  frame: Uint8Array
}

/** `epochSec` is added to every record's time (whole seconds, so nanoseconds stay exact). */
export function writePcap(records: readonly PcapRecord[], { epochSec = 0 }: { epochSec?: number } = {}): Uint8Array {
  let size = GLOBAL_HEADER_LEN
  for (const r of records) size += RECORD_HEADER_LEN + Math.min(r.frame.length, PCAP_SNAPLEN)
  const out = new Uint8Array(size)
  const dv = new DataView(out.buffer)
  dv.setUint32(0, PCAP_MAGIC_USEC, true)
  dv.setUint16(4, 2, true) // version 2.4
  dv.setUint16(6, 4, true)
  dv.setInt32(8, 0, true) // thiszone
  dv.setUint32(12, 0, true) // sigfigs
  dv.setUint32(16, PCAP_SNAPLEN, true)
  dv.setUint32(20, LINKTYPE_ETHERNET, true)
  let off = GLOBAL_HEADER_LEN
  for (const r of records) {
    const t = Math.max(0, Math.floor(r.timeNs))
    const sec = Math.floor(t / 1e9)
    const usec = Math.floor((t - sec * 1e9) / 1000)
    const incl = Math.min(r.frame.length, PCAP_SNAPLEN)
    dv.setUint32(off, (epochSec + sec) >>> 0, true)
    dv.setUint32(off + 4, usec, true)
    dv.setUint32(off + 8, incl, true)
    dv.setUint32(off + 12, r.frame.length, true)
    out.set(incl === r.frame.length ? r.frame : r.frame.subarray(0, incl), off + RECORD_HEADER_LEN)
    off += RECORD_HEADER_LEN + incl
  }
  return out
}

/**
 * Reads a classic pcap file of either byte order and resolution back into records (for
 * importing captures and for tests). Throws on a bad magic or a truncated record.
 */
export function readPcap(data: Uint8Array): { linktype: number; records: PcapRecord[] } {
  if (data.length < GLOBAL_HEADER_LEN) throw new Error('pcap: file shorter than its 24-byte header')
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let le = true
  let magic = dv.getUint32(0, true)
  if (magic !== PCAP_MAGIC_USEC && magic !== PCAP_MAGIC_NSEC) {
    le = false
    magic = dv.getUint32(0, false)
    if (magic !== PCAP_MAGIC_USEC && magic !== PCAP_MAGIC_NSEC) {
      throw new Error(`pcap: bad magic 0x${dv.getUint32(0, false).toString(16)}`)
    }
  }
  const fracNs = magic === PCAP_MAGIC_NSEC ? 1 : 1000
  const linktype = dv.getUint32(20, le) & 0x0fff_ffff
  const records: PcapRecord[] = []
  let off = GLOBAL_HEADER_LEN
  while (off < data.length) {
    if (off + RECORD_HEADER_LEN > data.length) throw new Error(`pcap: truncated record header at byte ${off}`)
    const sec = dv.getUint32(off, le)
    const frac = dv.getUint32(off + 4, le)
    const incl = dv.getUint32(off + 8, le)
    if (off + RECORD_HEADER_LEN + incl > data.length) throw new Error(`pcap: truncated record at byte ${off}`)
    records.push({ timeNs: sec * 1e9 + frac * fracNs, frame: new Uint8Array(data.subarray(off + RECORD_HEADER_LEN, off + RECORD_HEADER_LEN + incl)) })
    off += RECORD_HEADER_LEN + incl
  }
  return { linktype, records }
}
