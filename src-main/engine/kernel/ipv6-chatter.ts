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
const UNSPECIFIED = new Uint8Array(16)

const SOLICITED_NODE_PREFIX = new Uint8Array([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff])
/** Next header ICMPv6, length 0, Router Alert (MLD), PadN. */
const HBH_ROUTER_ALERT = new Uint8Array([58, 0, 5, 2, 0, 0, 1, 0])

function solicitedNode(addr: Uint8Array): Uint8Array {
  const g = new Uint8Array(16)
  g.set(SOLICITED_NODE_PREFIX)
  g[13] = addr[13]
  g[14] = addr[14]
  g[15] = addr[15]
  return g
}

function multicastMac(group: Uint8Array): Mac {
  return 0x3333_0000_0000 + (((group[12] << 24) | (group[13] << 16) | (group[14] << 8) | group[15]) >>> 0)
}

/** Ethernet + IPv6 header (+ optional hop-by-hop Router Alert) + ICMPv6 body with its checksum. */
function frame(srcMac: Mac, dstMac: Mac, src: Uint8Array, dst: Uint8Array, hopByHopRA: boolean, icmp: Uint8Array): Uint8Array {
  const hbh = hopByHopRA ? 8 : 0
  const payloadLen = hbh + icmp.length
  const f = new Uint8Array(14 + 40 + payloadLen)
  writeMac(f, 0, dstMac)
  writeMac(f, 6, srcMac)
  f[12] = ETHERTYPE_IPV6 >> 8
  f[13] = ETHERTYPE_IPV6 & 0xff
  const ip = 14
  f[ip] = 0x60
  f[ip + 4] = payloadLen >> 8
  f[ip + 5] = payloadLen & 0xff
  f[ip + 6] = hopByHopRA ? 0 : 58
  f[ip + 7] = hopByHopRA ? 1 : 255
  f.set(src, ip + 8)
  f.set(dst, ip + 24)
  let off = ip + 40
  if (hopByHopRA) {
    f.set(HBH_ROUTER_ALERT, off)
    off += 8
  }
  f.set(icmp, off)
  // ICMPv6 checksum over the pseudo-header (source, destination, length, next header 58).
  let sum = checksumAdd(f, ip + 8, 32)
  sum += icmp.length
  sum += 58
  sum = checksumAdd(f, off, icmp.length, sum)
  const ck = checksumFinish(sum)
  f[off + 2] = ck >> 8
  f[off + 3] = ck & 0xff
  return f
}

/** MLDv2 report: CHANGE_TO_EXCLUDE for the solicited-node group of the link-local address. */
export function mldReport(mac: Mac, src: Uint8Array | null, linkLocal: Uint8Array): Uint8Array {
  const group = solicitedNode(linkLocal)
  const icmp = new Uint8Array(8 + 20)
  icmp[0] = 143
  icmp[7] = 1
  icmp[8] = 4
  icmp.set(group, 12)
  return frame(mac, multicastMac(MLDV2_ROUTERS), src ?? UNSPECIFIED, MLDV2_ROUTERS, true, icmp)
}

/**
 * Neighbour solicitation for duplicate address detection (from ::), with the nonce option of
 * enhanced DAD (RFC 7527, on by default): 6 bytes the caller draws.
 */
export function dadProbe(mac: Mac, linkLocal: Uint8Array, nonce: Uint8Array): Uint8Array {
  const group = solicitedNode(linkLocal)
  const icmp = new Uint8Array(24 + 8)
  icmp[0] = 135
  icmp.set(linkLocal, 8)
  icmp[24] = 14
  icmp[25] = 1
  icmp.set(nonce.subarray(0, 6), 26)
  return frame(mac, multicastMac(group), UNSPECIFIED, group, false, icmp)
}

/** Router solicitation with the source link-layer address option. */
export function routerSolicitation(mac: Mac, linkLocal: Uint8Array): Uint8Array {
  const icmp = new Uint8Array(16)
  icmp[0] = 133
  icmp[8] = 1
  icmp[9] = 1
  writeMac(icmp, 10, mac)
  return frame(mac, multicastMac(ALL_ROUTERS), linkLocal, ALL_ROUTERS, false, icmp)
}
