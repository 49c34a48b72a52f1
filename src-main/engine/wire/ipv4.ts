// IPv4 header (RFC 791) without options on emit. Parsing checks what Linux's ip_rcv checks,
// in the same order, so a simulated drop names the same cause the kernel would count.

import type { Ipv4 } from '../addr/ipv4.ts'
import { readIpv4, writeIpv4 } from '../addr/ipv4.ts'
import type { Mac } from '../addr/mac.ts'
import { writeMac } from '../addr/mac.ts'
import { checksumAdd, checksumFinish, checksumFold, checksumUpdate16 } from './checksum.ts'
import { WireError } from './error.ts'

export const IPPROTO_ICMP = 1
export const IPPROTO_TCP = 6
export const IPPROTO_UDP = 17
export const IPV4_HEADER_LEN = 20
export const IPV4_FLAG_DF = 0x4000
export const IPV4_FLAG_MF = 0x2000
export const IPV4_MAX_LEN = 0xffff

export interface Ipv4Repr {
  src: Ipv4
  dst: Ipv4
  protocol: number
  ttl: number
  tos: number
  id: number
  df: boolean
  mf: boolean
  /** In bytes (a multiple of 8), not in the 8-byte units of the wire field. */
  fragOffset: number
  /** IHL * 4: 20 unless the header carries options. */
  headerLen: number
  /** The Total Length field: header plus payload. */
  totalLen: number
}

/** What a sender decides; lengths and checksum follow from the payload. */
export type Ipv4EmitRepr = Omit<Ipv4Repr, 'totalLen' | 'headerLen'>

const LAYER = 'IPv4'

/**
 * Parses and validates the header at `off`: version 4, IHL >= 5, header and Total Length
 * within the buffer, Total Length >= IHL * 4, header checksum (unless `verifyChecksum` is
 * false, for inspectors that show a bad checksum instead of stopping). Bytes after Total
 * Length (Ethernet padding) are allowed and ignored, as ip_rcv trims them.
 */
export function parseIpv4Header(buf: Uint8Array, off: number, verifyChecksum = true): Ipv4Repr {
  const avail = buf.length - off
  if (off < 0 || avail < IPV4_HEADER_LEN) {
    throw new WireError(LAYER, 'header', off, `truncated: need 20 bytes, have ${Math.max(0, avail)}`)
  }
  const b0 = buf[off]
  const version = b0 >>> 4
  if (version !== 4) throw new WireError(LAYER, 'version', off, `expected 4, got ${version}`)
  const headerLen = (b0 & 0x0f) * 4
  if (headerLen < IPV4_HEADER_LEN) throw new WireError(LAYER, 'ihl', off, `header length ${headerLen} is below 20`)
  if (headerLen > avail) throw new WireError(LAYER, 'ihl', off, `header length ${headerLen} exceeds the ${avail} bytes available`)
  if (verifyChecksum && checksumFold(checksumAdd(buf, off, headerLen)) !== 0xffff) {
    const stored = (buf[off + 10] << 8) | buf[off + 11]
    throw new WireError(LAYER, 'checksum', off + 10, `bad header checksum 0x${stored.toString(16).padStart(4, '0')}`)
  }
  const totalLen = (buf[off + 2] << 8) | buf[off + 3]
  if (totalLen > avail) throw new WireError(LAYER, 'totalLen', off + 2, `total length ${totalLen} exceeds the ${avail} bytes available`)
  if (totalLen < headerLen) throw new WireError(LAYER, 'totalLen', off + 2, `total length ${totalLen} is below the header length ${headerLen}`)
  const frag = (buf[off + 6] << 8) | buf[off + 7]
  return {
    src: readIpv4(buf, off + 12),
    dst: readIpv4(buf, off + 16),
    protocol: buf[off + 9],
    ttl: buf[off + 8],
    tos: buf[off + 1],
    id: (buf[off + 4] << 8) | buf[off + 5],
    df: (frag & IPV4_FLAG_DF) !== 0,
    mf: (frag & IPV4_FLAG_MF) !== 0,
    fragOffset: (frag & 0x1fff) * 8,
    headerLen,
    totalLen,
  }
}

/**
 * Writes a 20-byte header (no options) at `off` for a payload of `payloadLen` bytes, with
 * the checksum filled in. The payload itself is the caller's business.
 */
export function writeIpv4Header(buf: Uint8Array, off: number, repr: Ipv4EmitRepr, payloadLen: number): void {
  const totalLen = IPV4_HEADER_LEN + payloadLen
  if (totalLen > IPV4_MAX_LEN) throw new WireError(LAYER, 'totalLen', off + 2, `total length ${totalLen} exceeds 65535`)
  const fo = repr.fragOffset
  if (fo < 0 || fo > 0xfff8 || (fo & 7) !== 0) throw new WireError(LAYER, 'fragOffset', off + 6, `fragment offset ${fo} is not a multiple of 8 in 0..65528`)
  const frag = (repr.df ? IPV4_FLAG_DF : 0) | (repr.mf ? IPV4_FLAG_MF : 0) | (fo >>> 3)
  buf[off] = 0x45
  buf[off + 1] = repr.tos
  buf[off + 2] = totalLen >>> 8
  buf[off + 3] = totalLen
  buf[off + 4] = repr.id >>> 8
  buf[off + 5] = repr.id
  buf[off + 6] = frag >>> 8
  buf[off + 7] = frag
  buf[off + 8] = repr.ttl
  buf[off + 9] = repr.protocol
  buf[off + 10] = 0
  buf[off + 11] = 0
  writeIpv4(buf, off + 12, repr.src)
  writeIpv4(buf, off + 16, repr.dst)
  const ck = checksumFinish(checksumAdd(buf, off, IPV4_HEADER_LEN))
  buf[off + 10] = ck >>> 8
  buf[off + 11] = ck
}

/** A new IPv4 packet: 20-byte header followed by a copy of the payload. */
export function emitIpv4(repr: Ipv4EmitRepr, payload: Uint8Array): Uint8Array {
  const pkt = new Uint8Array(IPV4_HEADER_LEN + payload.length)
  writeIpv4Header(pkt, 0, repr, payload.length)
  pkt.set(payload, IPV4_HEADER_LEN)
  return pkt
}

/**
 * A fresh copy of `src`, written into `into` when given (same length, e.g. a view on the
 * caller's slab: V8 allocates typed arrays over 64 bytes off-heap, several times slower
 * than a view on a shared ArrayBuffer). Never src.slice(): on a Node Buffer that is a view.
 */
function copyOf(src: Uint8Array, into: Uint8Array | undefined): Uint8Array {
  if (into === undefined) {
    const out = new Uint8Array(src.length)
    out.set(src)
    return out
  }
  if (into.length !== src.length) throw new RangeError(`copy target has ${into.length} bytes, need ${src.length}`)
  into.set(src)
  return into
}

/**
 * A copy of `packet` (which may be a whole frame; the IPv4 header starts at `off`) with the
 * TTL replaced and the header checksum updated incrementally. Copies because frames are
 * shared with trace events and must never change after they are sent.
 */
export function ipv4WithTtl(packet: Uint8Array, off: number, newTtl: number, into?: Uint8Array): Uint8Array {
  const out = copyOf(packet, into)
  const oldWord = (packet[off + 8] << 8) | packet[off + 9]
  const newWord = ((newTtl & 0xff) << 8) | packet[off + 9]
  const ck = checksumUpdate16((packet[off + 10] << 8) | packet[off + 11], oldWord, newWord)
  out[off + 8] = newTtl
  out[off + 10] = ck >>> 8
  out[off + 11] = ck
  return out
}

/**
 * What a router puts on the wire for a frame it forwards (ip_forward + neighbour output):
 * a copy with new Ethernet addresses and the TTL decremented by one, in one allocation.
 * Byte-identical to Linux, checked against captures on both sides of a forwarding netns.
 * The caller has already checked that the TTL is above 1.
 */
export function forwardIpv4Frame(frame: Uint8Array, dst: Mac, src: Mac, ipOff = 14, into?: Uint8Array): Uint8Array {
  const out = copyOf(frame, into)
  writeMac(out, 0, dst)
  writeMac(out, 6, src)
  const ttl = frame[ipOff + 8]
  const proto = frame[ipOff + 9]
  const ck = checksumUpdate16((frame[ipOff + 10] << 8) | frame[ipOff + 11], (ttl << 8) | proto, ((ttl - 1) << 8) | proto)
  out[ipOff + 8] = ttl - 1
  out[ipOff + 10] = ck >>> 8
  out[ipOff + 11] = ck
  return out
}

// Field accessors for forwarding decisions without building a repr.

export function ipv4Src(buf: Uint8Array, off: number): Ipv4 {
  return readIpv4(buf, off + 12)
}

export function ipv4Dst(buf: Uint8Array, off: number): Ipv4 {
  return readIpv4(buf, off + 16)
}

export function ipv4Ttl(buf: Uint8Array, off: number): number {
  return buf[off + 8]
}

export function ipv4Protocol(buf: Uint8Array, off: number): number {
  return buf[off + 9]
}

export function ipv4TotalLen(buf: Uint8Array, off: number): number {
  return (buf[off + 2] << 8) | buf[off + 3]
}

export function ipv4HeaderLen(buf: Uint8Array, off: number): number {
  return (buf[off] & 0x0f) * 4
}
