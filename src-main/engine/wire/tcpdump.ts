// One-line summaries byte-for-byte like `tcpdump -n` (and `-n -e`) 4.99 print after the
// timestamp, for the packets the simulator makes and the malformed ones a user can craft.
// Checked against the real tcpdump on pcaps of these exact frames (see tcpdump.test.ts).
// Generic UDP ports print as "UDP, length N"; real tcpdump decodes well-known ports (53 DNS,
// 67 BOOTP, 123 NTP, ...) and the simulator should avoid them when an exact match matters.
// TCP is not decoded; of IPv6 only the header, UDP and the ICMPv6 echo/RS/NS/NA messages are.

import { formatIpv4, readIpv4 } from '../addr/ipv4.ts'
import { formatIpv6 } from '../addr/ipv6.ts'
import { formatMac, readMac } from '../addr/mac.ts'
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_VLAN } from './ethernet.ts'
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './ipv4.ts'
import { VXLAN_PORT_IANA, VXLAN_PORT_LINUX } from './vxlan.ts'

export interface TcpdumpOptions {
  /** -e: print the link-level header. */
  linkHeader: boolean
}

const UNREACH: readonly string[] = [
  'net %s unreachable',
  'host %s unreachable',
  '', // protocol: special-cased
  '', // port: special-cased
  '', // frag needed: special-cased
  '%s unreachable - source route failed',
  'net %s unreachable - unknown',
  'host %s unreachable - unknown',
  '%s unreachable - source host isolated',
  'net %s unreachable - admin prohibited',
  'host %s unreachable - admin prohibited',
  'net %s unreachable - tos prohibited',
  'host %s unreachable - tos prohibited',
  'host %s unreachable - admin prohibited filter',
  'host %s unreachable - host precedence violation',
  'host %s unreachable - precedence cutoff',
]

const REDIRECT: readonly string[] = [
  'redirect %s to net %s',
  'redirect %s to host %s',
  'redirect-tos %s to net %s',
  'redirect-tos %s to host %s',
]

const ICMP_OTHER: Readonly<Record<number, string>> = {
  4: 'source quench',
  10: 'router solicitation',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
}

const ARP_OPS: Readonly<Record<number, string>> = {
  1: 'Request',
  2: 'Reply',
  3: 'Reverse Request',
  4: 'Reverse Reply',
  8: 'Inverse Request',
  9: 'Inverse Reply',
  10: 'NACK Reply',
}

function ethertypeName(t: number): string {
  switch (t) {
    case ETHERTYPE_IPV4: return 'IPv4'
    case ETHERTYPE_ARP: return 'ARP'
    case ETHERTYPE_IPV6: return 'IPv6'
    case ETHERTYPE_VLAN: return '802.1Q'
    default: return 'Unknown'
  }
}

function hex2(v: number): string {
  return (v < 16 ? '0' : '') + v.toString(16)
}

function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0')
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1]
}

/** hex_and_ascii_print: what tcpdump dumps for a payload it cannot decode. */
function hexAscii(b: Uint8Array, o: number, end: number): string {
  let out = ''
  for (let line = o; line < end; line += 16) {
    let hex = ''
    let ascii = ''
    for (let i = line; i < Math.min(line + 16, end); i++) {
      if (i > line && ((i - line) & 1) === 0) hex += ' '
      hex += hex2(b[i])
      ascii += b[i] >= 0x20 && b[i] < 0x7f ? String.fromCharCode(b[i]) : '.'
    }
    out += `\n\t0x${(line - o).toString(16).padStart(4, '0')}:  ${hex.padEnd(39)}  ${ascii}`
  }
  return out
}

/**
 * icmp_print without -v. `len` is the ICMP length from the IP header; `end` is where the
 * captured bytes stop (earlier than o + len for a truncated datagram).
 */
function icmpText(b: Uint8Array, o: number, len: number, end: number): string {
  const TRUNC = ' [|icmp]'
  if (o + 4 > end) return TRUNC
  const type = b[o]
  const code = b[o + 1]
  let s: string
  switch (type) {
    case 0:
    case 8:
      if (o + 8 > end) return TRUNC
      s = `echo ${type === 8 ? 'request' : 'reply'}, id ${u16(b, o + 4)}, seq ${u16(b, o + 6)}`
      break
    case 3: {
      // The quoted header's destination must be captured (icmp_ip.ip_dst).
      if (o + 8 + 20 > end) return TRUNC
      const odst = formatIpv4(readIpv4(b, o + 8 + 16))
      if (code === 2) {
        s = `${odst} protocol ${b[o + 8 + 9]} unreachable`
      } else if (code === 3) {
        const dportOff = o + 8 + (b[o + 8] & 0x0f) * 4 + 2
        if (dportOff + 2 > end) return TRUNC
        const dport = u16(b, dportOff)
        const oproto = b[o + 8 + 9]
        if (oproto === IPPROTO_TCP) s = `${odst} tcp port ${dport} unreachable`
        else if (oproto === IPPROTO_UDP) s = `${odst} udp port ${dport} unreachable`
        else s = `${odst} protocol ${oproto} port ${dport} unreachable`
      } else if (code === 4) {
        const mtu = u16(b, o + 6)
        s = mtu !== 0 ? `${odst} unreachable - need to frag (mtu ${mtu})` : `${odst} unreachable - need to frag`
      } else if (code < UNREACH.length) {
        s = UNREACH[code].replace('%s', odst)
      } else {
        s = `${odst} unreachable - #${code}`
      }
      break
    }
    case 5: {
      if (o + 8 + 20 > end) return TRUNC
      const odst = formatIpv4(readIpv4(b, o + 8 + 16))
      const gw = formatIpv4(readIpv4(b, o + 4))
      s = (code < REDIRECT.length ? REDIRECT[code] : `redirect-#${code} %s to %s`).replace('%s', odst).replace('%s', gw)
      break
    }
    case 11:
      if (o + 8 + 20 > end) return TRUNC
      s = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`
      break
    case 13:
      if (o + 8 > end) return TRUNC
      s = `time stamp query id ${u16(b, o + 4)} seq ${u16(b, o + 6)}`
      break
    case 12:
      if (code === 0 && o + 5 > end) return TRUNC
      s = code !== 0 ? `parameter problem - code ${code}` : `parameter problem - octet ${b[o + 4]}`
      break
    default:
      s = ICMP_OTHER[type] ?? `type-#${type}`
  }
  return `ICMP ${s}, length ${len}`
}

/** ip_print without -v, from the first IP byte at o to the end of the capture. */
function ipText(b: Uint8Array, o: number, capEnd: number, opts: TcpdumpOptions): string {
  if (o >= capEnd) return ' [|ip]'
  const version = b[o] >>> 4
  if (version !== 4) return version === 6 ? 'IP6, wrong link-layer encapsulation (invalid)' : `IP${version} (invalid)`
  const prefix = opts.linkHeader ? '' : 'IP '
  if (o + 20 > capEnd) return prefix + ' [|ip]'
  const hl = (b[o] & 0x0f) * 4
  if (hl < 20) return `${prefix}bad-hlen ${hl}`
  const totalLen = u16(b, o + 2)
  if (totalLen < hl) return `${prefix}bad-len ${totalLen}`
  let s = prefix
  const avail = capEnd - o
  if (avail < totalLen) s += `truncated-ip - ${totalLen - avail} bytes missing! `
  const end = o + Math.min(totalLen, avail)
  const proto = b[o + 9]
  const src = formatIpv4(readIpv4(b, o + 12))
  const dst = formatIpv4(readIpv4(b, o + 16))
  const l4 = o + hl
  const l4len = totalLen - hl
  if ((u16(b, o + 6) & 0x1fff) !== 0) return `${s}${src} > ${dst}: ip-proto-${proto}`
  if (proto === IPPROTO_ICMP) return `${s}${src} > ${dst}: ${icmpText(b, l4, l4len, end)}`
  if (proto === IPPROTO_UDP) return s + udpText(b, l4, l4len, end, src, dst, opts)
  return `${s}${src} > ${dst}:  ip-proto-${proto} ${l4len}`
}

function udpText(b: Uint8Array, o: number, len: number, end: number, src: string, dst: string, opts: TcpdumpOptions): string {
  if (o + 4 > end) return `${src} > ${dst}:  [|udp]`
  const sport = u16(b, o)
  const dport = u16(b, o + 2)
  const head = `${src}.${sport} > ${dst}.${dport}: `
  if (len < 8) return `${head}truncated-udp ${len}`
  if (o + 8 > end) return `${head} [|udp]`
  const ulen = u16(b, o + 4)
  if (ulen < 8) return `${head}truncated-udplength ${ulen}`
  if (ulen > len) return `${head}UDP, bad length ${ulen - 8} > ${len - 8}`
  const isVxlan = sport === VXLAN_PORT_IANA || dport === VXLAN_PORT_IANA
  const isOtv = !isVxlan && (sport === VXLAN_PORT_LINUX || dport === VXLAN_PORT_LINUX)
  if (isVxlan || isOtv) {
    const v = o + 8
    const vEnd = Math.min(o + ulen, end)
    if (ulen - 8 < 8) return isVxlan ? `${head}VXLAN (invalid)` : `${head}OTV, [length ${ulen - 8} < 8] (invalid)`
    if (v + 8 > vEnd) return `${head}${isVxlan ? 'VXLAN' : 'OTV'} [|${isVxlan ? 'vxlan' : 'otv'}]`
    const flags = b[v]
    const id24 = (b[v + 4] << 16) | (b[v + 5] << 8) | b[v + 6]
    // tcpdump's two printers disagree on how to show a missing I flag.
    const tag = isVxlan
      ? `VXLAN, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex2(flags)}), vni ${id24}`
      : `OTV, flags [${flags & 0x08 ? 'I' : '.'}] (0x${hex2(flags)}), overlay ${(b[v + 1] << 16) | (b[v + 2] << 8) | b[v + 3]}, instance ${id24}`
    return `${head}${tag}\n${frameText(b, v + 8, vEnd, opts)}`
  }
  return `${head}UDP, length ${ulen - 8}`
}

const ICMP6_SIMPLE: Readonly<Record<number, string>> = { 133: 'router solicitation' }

/** ip6_print without -v for the few IPv6 packets a Linux host sends on its own. */
function ip6Text(b: Uint8Array, o: number, capEnd: number, opts: TcpdumpOptions): string {
  if (o >= capEnd) return ' [|ip6]'
  if (b[o] >>> 4 !== 6) return `version error: ${b[o] >>> 4} != 6`
  if (o + 40 > capEnd) return ' [|ip6]'
  let plen = u16(b, o + 4)
  let nh = b[o + 6]
  const src = formatIpv6(b.subarray(o + 8, o + 24))
  const dst = formatIpv6(b.subarray(o + 24, o + 40))
  let p = o + 40
  const end = Math.min(capEnd, p + plen)
  let hbh = ''
  if (nh === 0 && p + 2 <= end) {
    // Hop-by-hop options (the router alert on every MLD report Linux sends).
    const extLen = (b[p + 1] + 1) * 8
    hbh = 'HBH '
    nh = b[p]
    p += extLen
    plen -= extLen
  }
  if (nh === IPPROTO_UDP) return hbh + udpText(b, p, plen, end, src, dst, opts)
  if (nh !== 58) return `${src} > ${dst}: ${hbh} ip-proto-${nh} ${plen}`
  const head = `${src} > ${dst}: ${hbh}ICMP6, `
  if (p + 4 > end) return `${src} > ${dst}: ${hbh}ICMP6 [|icmp6]`
  const type = b[p]
  switch (type) {
    case 143:
      if (p + 8 > end) return `${head}multicast listener report v2 [|icmp6]`
      return `${head}multicast listener report v2, ${u16(b, p + 6)} group record(s), length ${plen}`
    case 128:
    case 129:
      if (p + 8 > end) return `${head}echo ${type === 128 ? 'request' : 'reply'} [|icmp6]`
      return `${head}echo ${type === 128 ? 'request' : 'reply'}, id ${u16(b, p + 4)}, seq ${u16(b, p + 6)}, length ${plen}`
    case 135:
    case 136: {
      const what = type === 135 ? 'neighbor solicitation' : 'neighbor advertisement'
      if (p + 24 > end) return `${head}${what} [|icmp6]`
      return `${head}${what}, ${type === 135 ? 'who has' : 'tgt is'} ${formatIpv6(b.subarray(p + 8, p + 24))}, length ${plen}`
    }
    default:
      // Verified wording only for the types above; others follow tcpdump's "name, length" shape.
      return `${head}${ICMP6_SIMPLE[type] ?? `type ${type}`}, length ${plen}`
  }
}

function arpText(b: Uint8Array, o: number, end: number, opts: TcpdumpOptions): string {
  const length = end - o
  if (length < 8) return ' [|arp]'
  const hrd = u16(b, o)
  const pro = u16(b, o + 2)
  const hln = b[o + 4]
  const pln = b[o + 5]
  const op = u16(b, o + 6)
  if (length < 8 + 2 * hln + 2 * pln) return ' [|arp]'
  const prefix = opts.linkHeader ? '' : 'ARP, '
  if (pro !== ETHERTYPE_IPV4 || pln !== 4 || hln === 0) {
    const hw = hrd === 1 ? 'Ethernet' : `Unknown Hardware (${hrd})`
    const pr = ethertypeName(pro) === 'Unknown' ? `Unknown Protocol (${hex4(pro)})` : ethertypeName(pro)
    return `${prefix}${hw} (len ${hln}), ${pr} (len ${pln}), length ${length}`
  }
  const sha = formatMac(readMac(b, o + 8))
  const spa = formatIpv4(readIpv4(b, o + 8 + hln))
  const thaRaw = readMac(b, o + 12 + hln)
  const tha = formatMac(thaRaw)
  const tpa = formatIpv4(readIpv4(b, o + 12 + 2 * hln))
  let s: string
  switch (op) {
    case 1: s = `who-has ${tpa}${thaRaw !== 0 ? ` (${tha})` : ''} tell ${spa}`; break
    case 2: s = `${spa} is-at ${sha}`; break
    case 3: s = `who-is ${tha} tell ${sha}`; break
    case 4: s = `${tha} at ${tpa}`; break
    case 8: s = `who-is ${tha} tell ${sha}`; break
    case 9: s = `${sha} at ${spa}`; break
    default: return `${prefix}${ARP_OPS[op] ?? `Unknown (${op})`} ${hexAscii(b, o, end)}`
  }
  return `${prefix}${ARP_OPS[op]} ${s}, length ${length}`
}

/** Everything tcpdump prints for a frame occupying [o, end) of b. */
function frameText(b: Uint8Array, o: number, end: number, opts: TcpdumpOptions): string {
  const length = end - o
  if (length < 14) return ' [|ether]'
  const ethertype = u16(b, o + 12)
  const link = `${formatMac(readMac(b, o + 6))} > ${formatMac(readMac(b, o))}, ethertype ${ethertypeName(ethertype)} (${hex4(ethertype)}), length ${length}: `
  return payloadText(b, o + 14, end, ethertype, opts.linkHeader ? link : '', link, opts)
}

/** The frame body after its ethertype; `head` is what -e has printed so far, `link` the forced header. */
function payloadText(b: Uint8Array, p: number, end: number, ethertype: number, head: string, link: string, opts: TcpdumpOptions): string {
  switch (ethertype) {
    case ETHERTYPE_IPV4:
      return head + ipText(b, p, end, opts)
    case ETHERTYPE_ARP:
      return head + arpText(b, p, end, opts)
    case ETHERTYPE_IPV6:
      return head + (opts.linkHeader ? '' : 'IP6 ') + ip6Text(b, p, end, opts)
    case ETHERTYPE_VLAN: {
      if (p + 4 > end) return head + ' [|vlan]'
      const tci = u16(b, p)
      const inner = u16(b, p + 2)
      const tag = opts.linkHeader
        ? `vlan ${tci & 0xfff}, p ${tci >>> 13}${tci & 0x1000 ? ', DEI' : ''}, ethertype ${ethertypeName(inner)} (${hex4(inner)}), `
        : ''
      return payloadText(b, p + 4, end, inner, head + tag, link, opts)
    }
    default:
      // Unknown ethertypes get the link header even without -e, then a hex dump. (tcpdump
      // knows many more ethertypes than these; anything the simulator sends is covered.)
      return link + hexAscii(b, p, end)
  }
}

/**
 * The text `tcpdump -n` prints after the timestamp (`-n -e` when linkHeader is set). A
 * VXLAN/OTV packet spans two lines, the second being the inner frame, as tcpdump prints it.
 */
export function tcpdumpLine(frame: Uint8Array, opts: TcpdumpOptions): string {
  return frameText(frame, 0, frame.length, opts)
}
