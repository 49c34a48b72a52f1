// Full decode of a frame for the header inspector, field by field with byte ranges so the
// UI can highlight them in a hex view. Never throws: whatever cannot be decoded becomes a
// "Malformed" layer carrying the reason, and the decode stops there. Checksums are checked
// and shown ("[correct]" or "[incorrect, should be 0x....]") but never stop the decode,
// because real captures on veth carry unfinished offload checksums.

import { formatIpv4, readIpv4 } from '../addr/ipv4.ts'
import { checksumAdd, checksumFinish, pseudoHeaderSum } from './checksum.ts'
import { formatMac, readMac } from '../addr/mac.ts'
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_VLAN } from './ethernet.ts'
import { WireError } from './error.ts'
import { parseArp } from './arp.ts'
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, parseIpv4Header } from './ipv4.ts'
import { parseIcmp } from './icmp.ts'
import { parseUdp } from './udp.ts'
import { parseVxlan, VXLAN_HEADER_LEN, VXLAN_PORT_IANA, VXLAN_PORT_LINUX } from './vxlan.ts'

export interface Field {
  name: string
  value: string
  offset: number
  length: number
}

export interface Layer {
  name: string
  offset: number
  length: number
  fields: Field[]
}

const ETHERTYPES: Readonly<Record<number, string>> = {
  [ETHERTYPE_IPV4]: 'IPv4',
  [ETHERTYPE_ARP]: 'ARP',
  [ETHERTYPE_IPV6]: 'IPv6',
  [ETHERTYPE_VLAN]: '802.1Q',
}

const PROTOCOLS: Readonly<Record<number, string>> = { [IPPROTO_ICMP]: 'ICMP', [IPPROTO_TCP]: 'TCP', [IPPROTO_UDP]: 'UDP' }

const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'Echo reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect', 8: 'Echo request',
  11: 'Time exceeded', 12: 'Parameter problem', 13: 'Timestamp', 14: 'Timestamp reply',
}

const UNREACH_CODES: readonly string[] = [
  'Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable',
  'Fragmentation needed', 'Source route failed', 'Destination network unknown',
  'Destination host unknown', 'Source host isolated', 'Network administratively prohibited',
  'Host administratively prohibited', 'Network unreachable for TOS', 'Host unreachable for TOS',
  'Communication administratively prohibited', 'Host precedence violation', 'Precedence cutoff in effect',
]

const hex = (v: number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0')
const named = (v: number, names: Readonly<Record<number, string>>, digits = 0): string => {
  const num = digits > 0 ? hex(v, digits) : String(v)
  const n = names[v]
  return n === undefined ? num : `${n} (${num})`
}
const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1]

/** "[correct]" or what the field should hold; `sum` covers the checksummed bytes including the field. */
function checksumText(stored: number, sum: number): string {
  if (checksumFinish(sum) === 0) return `${hex(stored, 4)} [correct]`
  // Adding ~stored takes the stored value back out of the one's-complement sum.
  return `${hex(stored, 4)} [incorrect, should be ${hex(checksumFinish(sum + (~stored & 0xffff)), 4)}]`
}

function malformed(offset: number, length: number, err: unknown): Layer {
  const reason = err instanceof WireError ? err.message : err instanceof Error ? err.message : String(err)
  const at = err instanceof WireError ? err.offset : offset
  return { name: 'Malformed', offset, length: Math.max(0, length), fields: [{ name: 'Reason', value: reason, offset: at, length: 0 }] }
}

function data(name: string, b: Uint8Array, off: number, end: number): Layer {
  const len = Math.max(0, end - off)
  let shown = ''
  for (let i = off; i < Math.min(end, off + 16); i++) shown += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  return { name, offset: off, length: len, fields: [{ name: 'Bytes', value: `${len} bytes${len > 0 ? ': ' + shown + (len > 16 ? '…' : '') : ''}`, offset: off, length: len }] }
}

function ethernet(b: Uint8Array, off: number, end: number, out: Layer[], pre: string): void {
  if (end - off < ETHERNET_HEADER_LEN) {
    out.push(malformed(off, end - off, new WireError('Ethernet', 'header', off, `truncated: need 14 bytes, have ${end - off}`)))
    return
  }
  const ethertype = u16(b, off + 12)
  out.push({
    name: pre + 'Ethernet', offset: off, length: ETHERNET_HEADER_LEN, fields: [
      { name: 'Destination', value: formatMac(readMac(b, off)), offset: off, length: 6 },
      { name: 'Source', value: formatMac(readMac(b, off + 6)), offset: off + 6, length: 6 },
      { name: 'Type', value: named(ethertype, ETHERTYPES, 4), offset: off + 12, length: 2 },
    ],
  })
  const p = off + ETHERNET_HEADER_LEN
  if (ethertype === ETHERTYPE_IPV4) ipv4(b, p, end, out, pre, false)
  else if (ethertype === ETHERTYPE_ARP) arp(b, p, end, out, pre)
  else if (p < end) out.push(data(pre + 'Data', b, p, end))
}

function arp(b: Uint8Array, off: number, end: number, out: Layer[], pre: string): void {
  try {
    const r = parseArp(b.subarray(0, end), off)
    out.push({
      name: pre + 'ARP', offset: off, length: 28, fields: [
        { name: 'Hardware type', value: 'Ethernet (1)', offset: off, length: 2 },
        { name: 'Protocol type', value: 'IPv4 (0x0800)', offset: off + 2, length: 2 },
        { name: 'Hardware size', value: '6', offset: off + 4, length: 1 },
        { name: 'Protocol size', value: '4', offset: off + 5, length: 1 },
        { name: 'Opcode', value: r.op === 1 ? 'request (1)' : 'reply (2)', offset: off + 6, length: 2 },
        { name: 'Sender MAC', value: formatMac(r.senderMac), offset: off + 8, length: 6 },
        { name: 'Sender IP', value: formatIpv4(r.senderIp), offset: off + 14, length: 4 },
        { name: 'Target MAC', value: formatMac(r.targetMac), offset: off + 18, length: 6 },
        { name: 'Target IP', value: formatIpv4(r.targetIp), offset: off + 24, length: 4 },
      ],
    })
    if (off + 28 < end) out.push(data(pre + 'Padding', b, off + 28, end))
  } catch (e) {
    out.push(malformed(off, end - off, e))
  }
}

/** Decodes an IPv4 datagram in [off, end); `quoted` marks the copy inside an ICMP error, which may be cut short. */
function ipv4(b: Uint8Array, off: number, end: number, out: Layer[], pre: string, quoted: boolean): void {
  const view = b.subarray(0, end)
  let r
  try {
    r = parseIpv4Header(view, off, false)
  } catch (e) {
    // A quoted header legitimately ends early: show it when only the length disagrees.
    if (!(quoted && e instanceof WireError && e.field === 'totalLen')) {
      out.push(malformed(off, end - off, e))
      return
    }
    r = null
  }
  const hl = (b[off] & 0x0f) * 4
  const totalLen = u16(b, off + 2)
  const frag = u16(b, off + 6)
  const flags = [frag & 0x8000 ? 'reserved' : '', frag & 0x4000 ? 'DF' : '', frag & 0x2000 ? 'MF' : ''].filter((s) => s !== '').join(', ')
  const proto = b[off + 9]
  out.push({
    name: pre + (quoted ? 'Quoted IPv4' : 'IPv4'), offset: off, length: hl, fields: [
      { name: 'Version', value: '4', offset: off, length: 1 },
      { name: 'Header length', value: `${hl} bytes`, offset: off, length: 1 },
      { name: 'TOS', value: `${hex(b[off + 1], 2)} (DSCP ${b[off + 1] >>> 2}, ECN ${b[off + 1] & 3})`, offset: off + 1, length: 1 },
      { name: 'Total length', value: String(totalLen), offset: off + 2, length: 2 },
      { name: 'Identification', value: `${hex(u16(b, off + 4), 4)} (${u16(b, off + 4)})`, offset: off + 4, length: 2 },
      { name: 'Flags', value: `${hex(frag >>> 13, 1)}${flags ? ' (' + flags + ')' : ''}`, offset: off + 6, length: 1 },
      { name: 'Fragment offset', value: String((frag & 0x1fff) * 8), offset: off + 6, length: 2 },
      { name: 'TTL', value: String(b[off + 8]), offset: off + 8, length: 1 },
      { name: 'Protocol', value: named(proto, PROTOCOLS), offset: off + 9, length: 1 },
      { name: 'Header checksum', value: checksumText(u16(b, off + 10), checksumAdd(b, off, hl)), offset: off + 10, length: 2 },
      { name: 'Source', value: formatIpv4(readIpv4(b, off + 12)), offset: off + 12, length: 4 },
      { name: 'Destination', value: formatIpv4(readIpv4(b, off + 16)), offset: off + 16, length: 4 },
    ],
  })
  if (hl > 20) out.push(data(pre + 'IPv4 options', b, off + 20, off + hl))
  const p = off + hl
  const pEnd = Math.min(end, off + totalLen)
  if (r === null || (frag & 0x1fff) !== 0 || (frag & 0x2000) !== 0) {
    // Fragments and quotes cannot be checked end to end: show their transport header bytes raw.
    if (p < pEnd) out.push(data(pre + (r === null ? 'Quoted payload' : 'Fragment data'), b, p, pEnd))
    return
  }
  const inner = quoted ? pre + 'Quoted ' : pre
  if (proto === IPPROTO_ICMP) icmp(b, p, pEnd, out, inner)
  else if (proto === IPPROTO_UDP) udp(b, p, pEnd, readIpv4(b, off + 12), readIpv4(b, off + 16), out, inner)
  else if (p < pEnd) out.push(data(`${pre}${PROTOCOLS[proto] ?? 'IP protocol ' + proto} payload`, b, p, pEnd))
  if (!quoted && pEnd < end) out.push(data(pre + 'Padding', b, pEnd, end))
}

function icmp(b: Uint8Array, off: number, end: number, out: Layer[], pre: string): void {
  let r
  try {
    r = parseIcmp(b, off, end - off, false)
  } catch (e) {
    out.push(malformed(off, end - off, e))
    return
  }
  const type = b[off]
  const code = b[off + 1]
  const codeText = type === 3 && code < UNREACH_CODES.length ? `${UNREACH_CODES[code]} (${code})` : String(code)
  const fields: Field[] = [
    { name: 'Type', value: named(type, ICMP_TYPES), offset: off, length: 1 },
    { name: 'Code', value: codeText, offset: off + 1, length: 1 },
    { name: 'Checksum', value: checksumText(u16(b, off + 2), checksumAdd(b, off, end - off)), offset: off + 2, length: 2 },
  ]
  const layer: Layer = { name: pre + 'ICMP', offset: off, length: 8, fields }
  out.push(layer)
  switch (r.kind) {
    case 'echoRequest':
    case 'echoReply':
      fields.push({ name: 'Identifier', value: `${r.ident} (${hex(r.ident, 4)})`, offset: off + 4, length: 2 })
      fields.push({ name: 'Sequence', value: String(r.seq), offset: off + 6, length: 2 })
      fields.push({ name: 'Data', value: `${r.data.length} bytes`, offset: off + 8, length: r.data.length })
      layer.length = end - off
      return
    case 'destUnreachable':
      if (r.nextHopMtu !== undefined) fields.push({ name: 'Next-hop MTU', value: String(r.nextHopMtu), offset: off + 6, length: 2 })
      break
    case 'redirect':
      fields.push({ name: 'Gateway', value: formatIpv4(r.gateway), offset: off + 4, length: 4 })
      break
    case 'timeExceeded':
      break
    case 'other':
      fields.push({ name: 'Rest of header', value: hex(r.rest, 8), offset: off + 4, length: 4 })
      if (type !== 12 && type !== 4) {
        if (r.data.length > 0) out.push(data(pre + 'ICMP data', b, off + 8, end))
        return
      }
  }
  if (off + 8 < end) ipv4(b, off + 8, end, out, pre, true)
}

function udp(b: Uint8Array, off: number, end: number, src: number, dst: number, out: Layer[], pre: string): void {
  let r
  try {
    r = parseUdp(b, off, end - off, src, dst, false)
  } catch (e) {
    out.push(malformed(off, end - off, e))
    return
  }
  const ck = u16(b, off + 6)
  const ckText = ck === 0 ? '0x0000 [none]' : checksumText(ck, checksumAdd(b, off, r.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, r.length)))
  out.push({
    name: pre + 'UDP', offset: off, length: 8, fields: [
      { name: 'Source port', value: String(r.srcPort), offset: off, length: 2 },
      { name: 'Destination port', value: String(r.dstPort), offset: off + 2, length: 2 },
      { name: 'Length', value: String(r.length), offset: off + 4, length: 2 },
      { name: 'Checksum', value: ckText, offset: off + 6, length: 2 },
    ],
  })
  const p = off + 8
  const pEnd = off + r.length
  const vx = r.dstPort === VXLAN_PORT_IANA || r.dstPort === VXLAN_PORT_LINUX
  if (vx) vxlan(b, p, pEnd, out, pre)
  else if (p < pEnd) out.push(data(pre + 'UDP payload', b, p, pEnd))
}

function vxlan(b: Uint8Array, off: number, end: number, out: Layer[], pre: string): void {
  try {
    const r = parseVxlan(b.subarray(0, end), off)
    out.push({
      name: pre + 'VXLAN', offset: off, length: VXLAN_HEADER_LEN, fields: [
        { name: 'Flags', value: `${hex(r.flags, 2)} (I: VNI valid)`, offset: off, length: 1 },
        { name: 'Reserved', value: hex(((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0, 6), offset: off + 1, length: 3 },
        { name: 'VNI', value: String(r.vni), offset: off + 4, length: 3 },
        { name: 'Reserved', value: hex(b[off + 7], 2), offset: off + 7, length: 1 },
      ],
    })
  } catch (e) {
    out.push(malformed(off, end - off, e))
    return
  }
  ethernet(b, off + VXLAN_HEADER_LEN, end, out, pre + 'Inner ')
}

/**
 * Decodes every layer, outermost first: of an Ethernet frame, or of a bare IPv4 packet (what an
 * L3 step such as a FIB lookup holds, before it has a link header).
 */
export function dissect(bytes: Uint8Array, first: 'ethernet' | 'ipv4' = 'ethernet'): Layer[] {
  const out: Layer[] = []
  if (first === 'ipv4') ipv4(bytes, 0, bytes.length, out, '', false)
  else ethernet(bytes, 0, bytes.length, out, '')
  return out
}
