// ARP for Ethernet/IPv4 only (RFC 826): the only combination the simulated kernel speaks,
// so anything else is rejected up front instead of half-parsed.

import type { Ipv4 } from '../addr/ipv4.ts'
import { readIpv4, writeIpv4 } from '../addr/ipv4.ts'
import type { Mac } from '../addr/mac.ts'
import { readMac, writeMac } from '../addr/mac.ts'
import { ensureLength, WireError } from './error.ts'

export const ARP_REQUEST = 1
export const ARP_REPLY = 2
export const ARP_LEN = 28
export const ARP_HTYPE_ETHERNET = 1
export const ARP_PTYPE_IPV4 = 0x0800

export interface ArpRepr {
  op: 1 | 2
  senderMac: Mac
  senderIp: Ipv4
  /** Zero in requests as Linux sends them (arp_send with a NULL target hardware address). */
  targetMac: Mac
  targetIp: Ipv4
}

const LAYER = 'ARP'

/** Parses the 28-byte ARP body at `off` (trailing Ethernet padding is ignored). */
export function parseArp(buf: Uint8Array, off: number): ArpRepr {
  ensureLength(buf, off, ARP_LEN, LAYER, 'header')
  const htype = (buf[off] << 8) | buf[off + 1]
  if (htype !== ARP_HTYPE_ETHERNET) throw new WireError(LAYER, 'htype', off, `expected 1 (Ethernet), got ${htype}`)
  const ptype = (buf[off + 2] << 8) | buf[off + 3]
  if (ptype !== ARP_PTYPE_IPV4) throw new WireError(LAYER, 'ptype', off + 2, `expected 0x0800 (IPv4), got 0x${ptype.toString(16).padStart(4, '0')}`)
  if (buf[off + 4] !== 6) throw new WireError(LAYER, 'hlen', off + 4, `expected 6, got ${buf[off + 4]}`)
  if (buf[off + 5] !== 4) throw new WireError(LAYER, 'plen', off + 5, `expected 4, got ${buf[off + 5]}`)
  const op = (buf[off + 6] << 8) | buf[off + 7]
  if (op !== ARP_REQUEST && op !== ARP_REPLY) throw new WireError(LAYER, 'op', off + 6, `expected 1 (request) or 2 (reply), got ${op}`)
  return {
    op,
    senderMac: readMac(buf, off + 8),
    senderIp: readIpv4(buf, off + 14),
    targetMac: readMac(buf, off + 18),
    targetIp: readIpv4(buf, off + 24),
  }
}

export function writeArp(buf: Uint8Array, off: number, repr: ArpRepr): void {
  buf[off] = 0
  buf[off + 1] = ARP_HTYPE_ETHERNET
  buf[off + 2] = ARP_PTYPE_IPV4 >>> 8
  buf[off + 3] = 0
  buf[off + 4] = 6
  buf[off + 5] = 4
  buf[off + 6] = 0
  buf[off + 7] = repr.op
  writeMac(buf, off + 8, repr.senderMac)
  writeIpv4(buf, off + 14, repr.senderIp)
  writeMac(buf, off + 18, repr.targetMac)
  writeIpv4(buf, off + 24, repr.targetIp)
}

export function emitArp(repr: ArpRepr): Uint8Array {
  const buf = new Uint8Array(ARP_LEN)
  writeArp(buf, 0, repr)
  return buf
}
