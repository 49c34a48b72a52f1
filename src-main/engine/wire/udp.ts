// UDP (RFC 768) over IPv4, checksum with the pseudo-header. A zero checksum field means
// "not computed" on IPv4, which is what Linux VXLAN sends with `noudpcsum`.

import type { Ipv4 } from '../addr/ipv4.ts'
import { checksumAdd, checksumFinish, checksumFold, pseudoHeaderSum } from './checksum.ts'
import { WireError } from './error.ts'

export const UDP_HEADER_LEN = 8
const IPPROTO_UDP = 17
const LAYER = 'UDP'

export interface UdpRepr {
  srcPort: number
  dstPort: number
  /** The Length field: header plus payload. */
  length: number
}

/**
 * Parses the datagram in the `len` bytes at `off` (the IP payload). Like udp_rcv, a Length
 * field larger than the IP payload is an error and a smaller one is accepted (the rest is
 * padding); the checksum, when non-zero, is verified over Length bytes unless
 * `verifyChecksum` is false (a receiver that trusts offload, or an inspector).
 */
export function parseUdp(buf: Uint8Array, off: number, len: number, srcIp: Ipv4, dstIp: Ipv4, verifyChecksum = true): UdpRepr {
  if (len < UDP_HEADER_LEN) throw new WireError(LAYER, 'header', off, `truncated: need 8 bytes, have ${Math.max(0, len)}`)
  if (off + len > buf.length) throw new WireError(LAYER, 'header', off, `truncated: need ${len} bytes, have ${Math.max(0, buf.length - off)}`)
  const length = (buf[off + 4] << 8) | buf[off + 5]
  if (length < UDP_HEADER_LEN) throw new WireError(LAYER, 'length', off + 4, `length ${length} is below 8`)
  if (length > len) throw new WireError(LAYER, 'length', off + 4, `length ${length} exceeds the ${len} bytes of IP payload`)
  const stored = (buf[off + 6] << 8) | buf[off + 7]
  if (verifyChecksum && stored !== 0) {
    const sum = checksumAdd(buf, off, length, pseudoHeaderSum(srcIp, dstIp, IPPROTO_UDP, length))
    if (checksumFold(sum) !== 0xffff) {
      throw new WireError(LAYER, 'checksum', off + 6, `bad checksum 0x${stored.toString(16).padStart(4, '0')}`)
    }
  }
  return {
    srcPort: (buf[off] << 8) | buf[off + 1],
    dstPort: (buf[off + 2] << 8) | buf[off + 3],
    length,
  }
}

/**
 * How the checksum field is filled: true computes it (a computed 0 is sent as 0xffff),
 * false leaves 0 ("none", legal on IPv4), and 'partial' stores what a capture on a Linux
 * veth shows for a locally generated datagram: checksum offload (CHECKSUM_PARTIAL) is never
 * completed there, so the field holds the folded pseudo-header sum, uncomplemented, and
 * `tcpdump -vv` reports it as a bad checksum. Use 'partial' to match real captures byte for byte.
 */
export type UdpChecksumMode = boolean | 'partial'

/** Writes the UDP header at `off` for the `payloadLen` bytes already placed right after it. */
export function writeUdpHeader(
  buf: Uint8Array, off: number, srcPort: number, dstPort: number, payloadLen: number,
  srcIp: Ipv4, dstIp: Ipv4, withChecksum: UdpChecksumMode = true,
): void {
  const length = UDP_HEADER_LEN + payloadLen
  if (length > 0xffff) throw new WireError(LAYER, 'length', off + 4, `length ${length} exceeds 65535`)
  buf[off] = srcPort >>> 8
  buf[off + 1] = srcPort
  buf[off + 2] = dstPort >>> 8
  buf[off + 3] = dstPort
  buf[off + 4] = length >>> 8
  buf[off + 5] = length
  buf[off + 6] = 0
  buf[off + 7] = 0
  if (withChecksum === false) return
  if (withChecksum === 'partial') {
    const partial = checksumFold(pseudoHeaderSum(srcIp, dstIp, IPPROTO_UDP, length))
    buf[off + 6] = partial >>> 8
    buf[off + 7] = partial
    return
  }
  const ck = checksumFinish(checksumAdd(buf, off, length, pseudoHeaderSum(srcIp, dstIp, IPPROTO_UDP, length))) || 0xffff
  buf[off + 6] = ck >>> 8
  buf[off + 7] = ck
}

/** A new UDP datagram (header + copy of payload), by default with its checksum computed. */
export function emitUdp(
  srcPort: number, dstPort: number, payload: Uint8Array, srcIp: Ipv4, dstIp: Ipv4, withChecksum: UdpChecksumMode = true,
): Uint8Array {
  const buf = new Uint8Array(UDP_HEADER_LEN + payload.length)
  buf.set(payload, UDP_HEADER_LEN)
  writeUdpHeader(buf, 0, srcPort, dstPort, payload.length, srcIp, dstIp, withChecksum)
  return buf
}
