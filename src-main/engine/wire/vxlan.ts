// VXLAN (RFC 7348): the 8-byte header, Linux's choice of UDP source port, and a one-shot
// encapsulation that builds the whole outer frame in a single allocation (the overlay hot path).

import type { Ipv4 } from '../addr/ipv4.ts'
import { readIpv4 } from '../addr/ipv4.ts'
import type { Mac } from '../addr/mac.ts'
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, writeEthernetHeader } from './ethernet.ts'
import { ensureLength, WireError } from './error.ts'
import { IPV4_HEADER_LEN, writeIpv4Header } from './ipv4.ts'
import { UDP_HEADER_LEN, writeUdpHeader, type UdpChecksumMode } from './udp.ts'

export const VXLAN_HEADER_LEN = 8
export const VXLAN_FLAG_I = 0x08
/** IANA port (RFC 7348); `ip link add ... type vxlan` needs `dstport 4789` to use it. */
export const VXLAN_PORT_IANA = 4789
/** The port Linux used before IANA assigned one, still what flannel's vxlan backend uses. */
export const VXLAN_PORT_LINUX = 8472
/** Outer Ethernet + IPv4 + UDP + VXLAN: why a VXLAN device defaults to MTU 1450 over 1500. */
export const VXLAN_OVERHEAD = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + UDP_HEADER_LEN + VXLAN_HEADER_LEN

export interface VxlanRepr {
  vni: number
  /** The first byte; I (0x08) is always set in a parsed repr. */
  flags: number
}

const LAYER = 'VXLAN'

export function parseVxlan(buf: Uint8Array, off: number): VxlanRepr {
  ensureLength(buf, off, VXLAN_HEADER_LEN, LAYER, 'header')
  const flags = buf[off]
  if ((flags & VXLAN_FLAG_I) === 0) {
    throw new WireError(LAYER, 'flags', off, `I flag (0x08) not set in flags 0x${flags.toString(16).padStart(2, '0')}`)
  }
  return { vni: vxlanVni(buf, off), flags }
}

/** The VNI of the header at `off` (parseVxlan without the object, for the receive path). */
export function vxlanVni(buf: Uint8Array, off: number): number {
  return (buf[off + 4] << 16) | (buf[off + 5] << 8) | buf[off + 6]
}

/**
 * True when any reserved bit is set. RFC 7348 says to ignore them, but Linux (without the
 * GBP/GPE extensions) drops such packets in vxlan_rcv.
 */
export function vxlanHasReservedBits(buf: Uint8Array, off: number): boolean {
  return (buf[off] & ~VXLAN_FLAG_I) !== 0 || buf[off + 1] !== 0 || buf[off + 2] !== 0 || buf[off + 3] !== 0 || buf[off + 7] !== 0
}

export function writeVxlanHeader(buf: Uint8Array, off: number, vni: number): void {
  if (vni < 0 || vni > 0xff_ffff) throw new WireError(LAYER, 'vni', off + 4, `VNI ${vni} is not 24 bits`)
  buf[off] = VXLAN_FLAG_I
  buf[off + 1] = 0
  buf[off + 2] = 0
  buf[off + 3] = 0
  buf[off + 4] = vni >>> 16
  buf[off + 5] = vni >>> 8
  buf[off + 6] = vni
  buf[off + 7] = 0
}

/** VXLAN header followed by a copy of the inner Ethernet frame (the UDP payload). */
export function emitVxlan(vni: number, innerFrame: Uint8Array): Uint8Array {
  const buf = new Uint8Array(VXLAN_HEADER_LEN + innerFrame.length)
  writeVxlanHeader(buf, 0, vni)
  buf.set(innerFrame, VXLAN_HEADER_LEN)
  return buf
}

/**
 * Linux's udp_flow_src_port: the flow hash is folded (hash ^= hash << 16, so the high half,
 * which the scaling keeps, depends on all of it) and scaled into [min, max) with
 * ((u64)hash * (max - min)) >> 32 + min; `max` itself is never chosen. min >= max means the
 * netns ip_local_port_range, 32768-60999 by default (what an unconfigured vxlan device uses).
 */
export function vxlanSourcePort(hash: number, min = 32768, max = 60999): number {
  let lo = min
  let hi = max
  if (lo >= hi) {
    lo = 32768
    hi = 60999
  }
  const h = (hash ^ (hash << 16)) >>> 0
  return Math.floor((h * (hi - lo)) / 0x1_0000_0000) + lo
}

function rol32(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Bob Jenkins' lookup3 jhash_3words, as the kernel's <linux/jhash.h> defines it. */
export function jhash3(a0: number, b0: number, c0: number, initval: number): number {
  const iv = (0xdeadbeef + (3 << 2) + initval) | 0
  let a = (a0 + iv) | 0
  let b = (b0 + iv) | 0
  let c = (c0 + iv) | 0
  c ^= b; c = (c - rol32(b, 14)) | 0
  a ^= c; a = (a - rol32(c, 11)) | 0
  b ^= a; b = (b - rol32(a, 25)) | 0
  c ^= b; c = (c - rol32(b, 16)) | 0
  a ^= c; a = (a - rol32(c, 4)) | 0
  b ^= a; b = (b - rol32(a, 14)) | 0
  c ^= b; c = (c - rol32(b, 24)) | 0
  return c >>> 0
}

/**
 * A deterministic 32-bit flow hash of an inner frame, standing in for skb_get_hash (whose
 * key is random per boot). Like the kernel's it is symmetric: both directions of a flow
 * hash the same (__flow_hash_consistentify), so a ping and its reply leave with the same
 * outer source port, as seen on real captures. IPv4 hashes addresses, protocol and ports
 * (TCP/UDP ports, the ICMP echo identifier); ARP its two IPs; anything else the MACs.
 */
export function flowHash(innerFrame: Uint8Array, seed = 0): number {
  const n = innerFrame.length
  if (n < ETHERNET_HEADER_LEN) return jhash3(n, 0, 0, seed)
  const ethertype = (innerFrame[12] << 8) | innerFrame[13]
  if (ethertype === ETHERTYPE_IPV4 && n >= ETHERNET_HEADER_LEN + IPV4_HEADER_LEN) {
    const o = ETHERNET_HEADER_LEN
    const ihl = (innerFrame[o] & 0x0f) * 4
    const proto = innerFrame[o + 9]
    let src = readIpv4(innerFrame, o + 12)
    let dst = readIpv4(innerFrame, o + 16)
    const l4 = o + ihl
    const firstFragment = (((innerFrame[o + 6] << 8) | innerFrame[o + 7]) & 0x1fff) === 0
    let sport = 0
    let dport = 0
    if (firstFragment && (proto === 6 || proto === 17) && l4 + 4 <= n) {
      sport = (innerFrame[l4] << 8) | innerFrame[l4 + 1]
      dport = (innerFrame[l4 + 2] << 8) | innerFrame[l4 + 3]
    } else if (firstFragment && proto === 1 && l4 + 8 <= n && (innerFrame[l4] === 8 || innerFrame[l4] === 0)) {
      sport = dport = (innerFrame[l4 + 4] << 8) | innerFrame[l4 + 5]
    }
    if (dst < src || (dst === src && dport < sport)) {
      const t = src; src = dst; dst = t
      const p = sport; sport = dport; dport = p
    }
    return jhash3(src, dst, ((sport << 16) | dport) >>> 0, seed ^ proto)
  }
  if (ethertype === ETHERTYPE_ARP && n >= ETHERNET_HEADER_LEN + 28) {
    const a = readIpv4(innerFrame, ETHERNET_HEADER_LEN + 14)
    const b = readIpv4(innerFrame, ETHERNET_HEADER_LEN + 24)
    return jhash3(Math.min(a, b), Math.max(a, b), ethertype, seed)
  }
  // Fallback like udp_flow_src_port's use_eth case: the two MAC addresses and the ethertype.
  const w0 = ((innerFrame[0] << 24) | (innerFrame[1] << 16) | (innerFrame[2] << 8) | innerFrame[3]) >>> 0
  const w1 = ((innerFrame[4] << 24) | (innerFrame[5] << 16) | (innerFrame[6] << 8) | innerFrame[7]) >>> 0
  const w2 = ((innerFrame[8] << 24) | (innerFrame[9] << 16) | (innerFrame[10] << 8) | innerFrame[11]) >>> 0
  return jhash3(w0, w1, w2, seed ^ ethertype)
}

export interface VxlanFrameSpec {
  /** Outer Ethernet addresses (the underlay next hop and the sending interface). */
  dstMac: Mac
  srcMac: Mac
  /** Outer IPv4 (the VTEPs). Linux defaults: ttl 64, tos 0, DF clear, a fresh id per packet. */
  srcIp: Ipv4
  dstIp: Ipv4
  ttl: number
  tos: number
  id: number
  df: boolean
  srcPort: number
  dstPort: number
  vni: number
  /**
   * Outer UDP checksum: true (computed), false (`noudpcsum`: zero), or 'partial' to match
   * a capture of Linux VXLAN on a veth underlay byte for byte (see UdpChecksumMode).
   */
  udpChecksum: UdpChecksumMode
}

/**
 * The complete outer frame (Ethernet/IPv4/UDP/VXLAN) around a copy of `innerFrame`, written
 * into `into` when given (exactly VXLAN_OVERHEAD + innerFrame.length bytes, e.g. a slab view).
 */
export function emitVxlanFrame(spec: VxlanFrameSpec, innerFrame: Uint8Array, into?: Uint8Array): Uint8Array {
  const udpOff = ETHERNET_HEADER_LEN + IPV4_HEADER_LEN
  const vxOff = udpOff + UDP_HEADER_LEN
  const len = vxOff + VXLAN_HEADER_LEN + innerFrame.length
  if (into !== undefined && into.length !== len) throw new RangeError(`frame target has ${into.length} bytes, need ${len}`)
  const frame = into ?? new Uint8Array(len)
  writeEthernetHeader(frame, 0, { dst: spec.dstMac, src: spec.srcMac, ethertype: ETHERTYPE_IPV4 })
  writeVxlanHeader(frame, vxOff, spec.vni)
  frame.set(innerFrame, vxOff + VXLAN_HEADER_LEN)
  const udpPayload = VXLAN_HEADER_LEN + innerFrame.length
  writeUdpHeader(frame, udpOff, spec.srcPort, spec.dstPort, udpPayload, spec.srcIp, spec.dstIp, spec.udpChecksum)
  writeIpv4Header(frame, ETHERNET_HEADER_LEN, {
    src: spec.srcIp, dst: spec.dstIp, protocol: 17, ttl: spec.ttl, tos: spec.tos, id: spec.id,
    df: spec.df, mf: false, fragOffset: 0,
  }, UDP_HEADER_LEN + udpPayload)
  return frame
}
