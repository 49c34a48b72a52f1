import { writeMac, type Mac } from '../addr/mac.ts'
import { checksumAdd, checksumFinish } from '../wire/checksum.ts'
import { ETHERTYPE_IPV6 } from '../wire/ethernet.ts'

/**
 * The few IPv6 packets every Linux interface sends when it comes up (an MLDv2 report, the
 * duplicate address detection probe, router solicitations). The lab does not simulate IPv6,
 * but these frames matter to IPv4 learners: bridges learn the senders' MACs from them, so
 * `bridge fdb show` lists pods before any IPv4 traffic, exactly as on a real host.
 */

const ALL_ROUTERS = new Uint8Array([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
const MLDV2_ROUTERS = new Uint8Array([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16])

const SOLICITED_NODE_PREFIX = new Uint8Array([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff])
/** Next header ICMPv6, length 0, Router Alert (MLD), PadN. */
const HBH_ROUTER_ALERT = new Uint8Array([58, 0, 5, 2, 0, 0, 1, 0])

const IP = 14
const IP_SRC = IP + 8
const IP_DST = IP + 24

/**
 * Writes the EUI-64 link-local address made from `llMac` (fe80::/64 with the MAC's bytes around
 * ff:fe, the universal/local bit flipped) at `at`: the frames are written from the MAC, without
 * the address as an array of its own.
 */
function writeLinkLocal(f: Uint8Array, at: number, llMac: Mac): void {
  const hi = Math.floor(llMac / 0x1_0000_0000)
  const lo = llMac >>> 0
  f[at] = 0xfe
  f[at + 1] = 0x80
  f[at + 8] = (hi >>> 8) ^ 0x02
  f[at + 9] = hi & 0xff
  f[at + 10] = lo >>> 24
  f[at + 11] = 0xff
  f[at + 12] = 0xfe
  f[at + 13] = (lo >>> 16) & 0xff
  f[at + 14] = (lo >>> 8) & 0xff
  f[at + 15] = lo & 0xff
}

/** Writes the solicited-node group of the link-local address of `llMac` (ff02::1:ffXX:XXXX) at `at`. */
function writeSolicitedNode(f: Uint8Array, at: number, llMac: Mac): void {
  f.set(SOLICITED_NODE_PREFIX, at)
  f[at + 13] = (llMac >>> 16) & 0xff
  f[at + 14] = (llMac >>> 8) & 0xff
  f[at + 15] = llMac & 0xff
}

/** The Ethernet address of the solicited-node group of that address (33:33:ff:XX:XX:XX). */
export function solicitedNodeMacOf(llMac: Mac): Mac {
  return 0x3333_ff00_0000 + ((llMac >>> 0) & 0xffffff)
}

function multicastMac(group: Uint8Array): Mac {
  return 0x3333_0000_0000 + (((group[12] << 24) | (group[13] << 16) | (group[14] << 8) | group[15]) >>> 0)
}

/** Where a frame's zeroed bytes come from (the World, in the kernel). */
export interface FrameAlloc {
  frameBytes(n: number): Uint8Array
}

const ownBytes: FrameAlloc = { frameBytes: (n) => new Uint8Array(n) }

/**
 * A frame of Ethernet + IPv6 header (+ optional hop-by-hop Router Alert) for an ICMPv6 body of
 * `icmpLen` bytes, which the caller writes at icmpOffset(hopByHopRA) before `finish`. Written in
 * place: every device of a lab sends these when it comes up, tens of thousands in a big build.
 * The source address (the link-local address of the MAC given) is left unspecified (zeros) when null; the destination is written by the
 * caller when null.
 */
function header(alloc: FrameAlloc, srcMac: Mac, dstMac: Mac, srcLlMac: Mac | null, dst: Uint8Array | null, hopByHopRA: boolean, icmpLen: number): Uint8Array {
  const payloadLen = (hopByHopRA ? 8 : 0) + icmpLen
  const f = alloc.frameBytes(14 + 40 + payloadLen)
  writeMac(f, 0, dstMac)
  writeMac(f, 6, srcMac)
  f[12] = ETHERTYPE_IPV6 >> 8
  f[13] = ETHERTYPE_IPV6 & 0xff
  f[IP] = 0x60
  f[IP + 4] = payloadLen >> 8
  f[IP + 5] = payloadLen & 0xff
  f[IP + 6] = hopByHopRA ? 0 : 58
  f[IP + 7] = hopByHopRA ? 1 : 255
  if (srcLlMac !== null) writeLinkLocal(f, IP_SRC, srcLlMac)
  if (dst !== null) f.set(dst, IP_DST)
  if (hopByHopRA) f.set(HBH_ROUTER_ALERT, IP + 40)
  return f
}

function icmpOffset(hopByHopRA: boolean): number {
  return IP + 40 + (hopByHopRA ? 8 : 0)
}

/** The ICMPv6 checksum over the pseudo-header (source, destination, length, next header 58). */
function finish(f: Uint8Array, off: number): Uint8Array {
  const icmpLen = f.length - off
  let sum = checksumAdd(f, IP_SRC, 32)
  sum += icmpLen
  sum += 58
  sum = checksumAdd(f, off, icmpLen, sum)
  const ck = checksumFinish(sum)
  f[off + 2] = ck >> 8
  f[off + 3] = ck & 0xff
  return f
}

/**
 * MLDv2 report: CHANGE_TO_EXCLUDE for the solicited-node group of the link-local address made
 * from `llMac`, sent from :: while that address is tentative.
 */
export function mldReport(mac: Mac, llMac: Mac, tentative: boolean, alloc = ownBytes): Uint8Array {
  const f = header(alloc, mac, multicastMac(MLDV2_ROUTERS), tentative ? null : llMac, MLDV2_ROUTERS, true, 8 + 20)
  const off = icmpOffset(true)
  f[off] = 143
  f[off + 7] = 1
  f[off + 8] = 4
  writeSolicitedNode(f, off + 12, llMac)
  return finish(f, off)
}

/**
 * Neighbour solicitation for duplicate address detection (from ::) of the link-local address
 * made from `llMac`, with the nonce option of enhanced DAD (RFC 7527, on by default): 6 bytes
 * the caller draws, first byte first (`nonce` = b0 * 2^40 + ... + b5).
 */
export function dadProbe(mac: Mac, llMac: Mac, nonce: number, alloc = ownBytes): Uint8Array {
  const f = header(alloc, mac, solicitedNodeMacOf(llMac), null, null, false, 24 + 8)
  writeSolicitedNode(f, IP_DST, llMac)
  const off = icmpOffset(false)
  f[off] = 135
  writeLinkLocal(f, off + 8, llMac)
  f[off + 24] = 14
  f[off + 25] = 1
  const hi = Math.floor(nonce / 0x1_0000_0000)
  const lo = nonce >>> 0
  f[off + 26] = hi >>> 8
  f[off + 27] = hi & 0xff
  f[off + 28] = lo >>> 24
  f[off + 29] = (lo >>> 16) & 0xff
  f[off + 30] = (lo >>> 8) & 0xff
  f[off + 31] = lo & 0xff
  return finish(f, off)
}

/** Router solicitation from the link-local address made from `llMac`, with the source link-layer address option. */
export function routerSolicitation(mac: Mac, llMac: Mac, alloc = ownBytes): Uint8Array {
  const f = header(alloc, mac, multicastMac(ALL_ROUTERS), llMac, ALL_ROUTERS, false, 16)
  const off = icmpOffset(false)
  f[off] = 133
  f[off + 8] = 1
  f[off + 9] = 1
  writeMac(f, off + 10, mac)
  return finish(f, off)
}
