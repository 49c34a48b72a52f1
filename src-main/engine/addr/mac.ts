// 48-bit Ethernet addresses held in a plain number: comparable with ===, usable as a Map key,
// and cheap to copy through the bridge FDB and ARP tables (no object per address).

import type { Ipv4 } from './ipv4.ts'

export type Mac = number

const TWO_32 = 0x1_0000_0000
const TWO_40 = 0x100_0000_0000

export const MAC_BROADCAST: Mac = 0xffff_ffff_ffff
export const MAC_ZERO: Mac = 0

// Lookup table so formatting a MAC costs six string concatenations and no toString(16) calls.
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16))

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48 // 0-9
  const l = c | 0x20 // fold A-F onto a-f
  if (l >= 97 && l <= 102) return l - 87
  return -1
}

/**
 * `aa:bb:cc:dd:ee:ff`, case-insensitive, one or two hex digits per group (iproute2 accepts
 * `2:0:0:0:0:1` because it scans each group with %x). Anything else is null.
 */
export function parseMac(s: string): Mac | null {
  let hi = 0 // first two octets
  let lo = 0 // last four octets, kept unsigned
  let i = 0
  const n = s.length
  for (let group = 0; group < 6; group++) {
    if (group > 0) {
      if (i >= n || s.charCodeAt(i) !== 58 /* : */) return null
      i++
    }
    const d0 = i < n ? hexDigit(s.charCodeAt(i)) : -1
    if (d0 < 0) return null
    i++
    let v = d0
    const d1 = i < n ? hexDigit(s.charCodeAt(i)) : -1
    if (d1 >= 0) {
      v = (v << 4) | d1
      i++
    }
    if (group < 2) hi = (hi << 8) | v
    else lo = ((lo << 8) | v) >>> 0
  }
  if (i !== n) return null
  return hi * TWO_32 + lo
}

export function formatMac(m: Mac): string {
  const hi = Math.floor(m / TWO_32)
  const lo = m >>> 0
  return HEX2[(hi >>> 8) & 0xff] + ':' + HEX2[hi & 0xff] + ':' + HEX2[lo >>> 24] + ':' +
    HEX2[(lo >>> 16) & 0xff] + ':' + HEX2[(lo >>> 8) & 0xff] + ':' + HEX2[lo & 0xff]
}

export function readMac(buf: Uint8Array, off: number): Mac {
  const hi = (buf[off] << 8) | buf[off + 1]
  const lo = ((buf[off + 2] << 24) | (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5]) >>> 0
  return hi * TWO_32 + lo
}

export function writeMac(buf: Uint8Array, off: number, m: Mac): void {
  const hi = Math.floor(m / TWO_32)
  const lo = m >>> 0
  buf[off] = hi >>> 8
  buf[off + 1] = hi
  buf[off + 2] = lo >>> 24
  buf[off + 3] = lo >>> 16
  buf[off + 4] = lo >>> 8
  buf[off + 5] = lo
}

/** The I/G bit: the least significant bit of the first octet (broadcast is multicast too). */
export function isMulticastMac(m: Mac): boolean {
  return (Math.floor(m / TWO_40) & 1) === 1
}

export function isBroadcastMac(m: Mac): boolean {
  return m === MAC_BROADCAST
}

export function isZeroMac(m: Mac): boolean {
  return m === 0
}

/** The U/L bit: set on addresses like the ones Linux generates for veth and bridges (random_ether_addr). */
export function isLocalMac(m: Mac): boolean {
  return (Math.floor(m / TWO_40) & 2) === 2
}

/** A usable unicast station address: not multicast/broadcast and not all zeros (is_valid_ether_addr). */
export function isValidUnicastMac(m: Mac): boolean {
  return m !== 0 && !isMulticastMac(m)
}

/** RFC 1112: 01:00:5e followed by the low 23 bits of the group (ip_eth_mc_map). */
export function ipv4MulticastMac(group: Ipv4): Mac {
  return 0x0100_5e00_0000 + ((group >>> 0) & 0x7f_ffff)
}

/** RFC 2464: 33:33 followed by the last four bytes of the IPv6 group (ipv6_eth_mc_map). */
export function ipv6MulticastMac(last32bits: number): Mac {
  return 0x3333_0000_0000 + (last32bits >>> 0)
}

/** Builds a MAC from its six octets; handy for fixtures and for generated addresses. */
export function macFromOctets(a: number, b: number, c: number, d: number, e: number, f: number): Mac {
  return ((a & 0xff) * 256 + (b & 0xff)) * TWO_32 + ((((c & 0xff) << 24) | ((d & 0xff) << 16) | ((e & 0xff) << 8) | (f & 0xff)) >>> 0)
}
