// Full decode of a frame for the header inspector, field by field with byte ranges so the
// UI can highlight them in a hex view. Each layer and field carries a stable key (Wireshark's
// field names: `ip.ttl`, `eth.dst`), its words in the chosen language, and a raw value (a number
// or an address) that views compare from one hop to the next. Never throws: whatever cannot be decoded becomes a
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
import type { Lang } from '../../../shared/messages/index.ts'
import { isWireKey, wireWord, type WireKey } from '../../../shared/messages/wire.ts'

/** The inspector's field and layer, as the renderer receives them (one definition for both sides). */
import type { DissectField as Field, DissectLayer as Layer } from '../../../shared/api.ts'
export type { Field, Layer }

const ETHERTYPES: Readonly<Record<number, string>> = {
  [ETHERTYPE_IPV4]: 'IPv4',
  [ETHERTYPE_ARP]: 'ARP',
  [ETHERTYPE_IPV6]: 'IPv6',
  [ETHERTYPE_VLAN]: '802.1Q',
}

const PROTOCOLS: Readonly<Record<number, string>> = { [IPPROTO_ICMP]: 'ICMP', [IPPROTO_TCP]: 'TCP', [IPPROTO_UDP]: 'UDP' }

const hex = (v: number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0')
const named = (v: number, names: Readonly<Record<number, string>>, digits = 0): string => {
  const num = digits > 0 ? hex(v, digits) : String(v)
  const n = names[v]
  return n === undefined ? num : `${n} (${num})`
}
const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1]

/** Where a layer sits: its key and name prefixes (inside VXLAN, inside an ICMP error) and the language. */
interface Ctx {
  lang: Lang
  /** Key prefix: '' or 'inner.' (repeated per VXLAN level), then 'quoted.' inside an ICMP error. */
  key: string
  out: Layer[]
}

const word = (c: Ctx, key: WireKey, params?: Record<string, string | number>): string => wireWord(c.lang, key, params)

/** A layer's name with where it sits: "Inner IPv4", "Quoted ICMP", "Inner Quoted IPv4". */
function layerName(c: Ctx, base: string): string {
  let name = base
  const parts = c.key.split('.').filter((p) => p !== '')
  for (const p of parts.reverse()) name = word(c, p === 'inner' ? 'layer.inner' : 'layer.quoted', { layer: name })
  return name
}

function layer(c: Ctx, kind: string, offset: number, length: number, fields: Field[], base: string = word(c, `layer.${kind}` as WireKey)): Layer {
  return { key: c.key + kind, name: layerName(c, base), offset, length, fields }
}

function field(c: Ctx, key: string, value: string, raw: string | number, offset: number, length: number): Field {
  const label = `field.${key}`
  return { key, name: isWireKey(label) ? word(c, label) : key, value, raw: String(raw), offset, length }
}

/** "[correct]" or what the field should hold; `sum` covers the checksummed bytes including the field. */
function checksumText(c: Ctx, stored: number, sum: number): string {
  if (checksumFinish(sum) === 0) return word(c, 'value.checksum_ok', { value: hex(stored, 4) })
  // Adding ~stored takes the stored value back out of the one's-complement sum.
  return word(c, 'value.checksum_bad', { value: hex(stored, 4), good: hex(checksumFinish(sum + (~stored & 0xffff)), 4) })
}

function malformed(c: Ctx, offset: number, length: number, err: unknown): Layer {
  const reason = err instanceof WireError ? err.message : err instanceof Error ? err.message : String(err)
  const at = err instanceof WireError ? err.offset : offset
  return layer(c, 'malformed', offset, Math.max(0, length), [field(c, 'reason', reason, reason, at, 0)])
}

function data(c: Ctx, kind: string, b: Uint8Array, off: number, end: number, base?: string): Layer {
  const len = Math.max(0, end - off)
  let shown = ''
  for (let i = off; i < Math.min(end, off + 16); i++) shown += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  const value = len > 0 ? word(c, 'value.bytes_shown', { n: len, hex: shown + (len > 16 ? '…' : '') }) : word(c, 'value.bytes', { n: len })
  return layer(c, kind, off, len, [field(c, 'data', value, len, off, len)], base)
}

function ethernet(c: Ctx, b: Uint8Array, off: number, end: number): void {
  if (end - off < ETHERNET_HEADER_LEN) {
    c.out.push(malformed(c, off, end - off, new WireError('Ethernet', 'header', off, `truncated: need 14 bytes, have ${end - off}`)))
    return
  }
  const ethertype = u16(b, off + 12)
  const dst = formatMac(readMac(b, off))
  const src = formatMac(readMac(b, off + 6))
  c.out.push(layer(c, 'eth', off, ETHERNET_HEADER_LEN, [
    field(c, 'eth.dst', dst, dst, off, 6),
    field(c, 'eth.src', src, src, off + 6, 6),
    field(c, 'eth.type', named(ethertype, ETHERTYPES, 4), ethertype, off + 12, 2),
  ]))
  const p = off + ETHERNET_HEADER_LEN
  if (ethertype === ETHERTYPE_IPV4) ipv4(c, b, p, end, false)
  else if (ethertype === ETHERTYPE_ARP) arp(c, b, p, end)
  else if (p < end) c.out.push(data(c, 'data', b, p, end))
}

function arp(c: Ctx, b: Uint8Array, off: number, end: number): void {
  try {
    const r = parseArp(b.subarray(0, end), off)
    const smac = formatMac(r.senderMac)
    const sip = formatIpv4(r.senderIp)
    const tmac = formatMac(r.targetMac)
    const tip = formatIpv4(r.targetIp)
    c.out.push(layer(c, 'arp', off, 28, [
      field(c, 'arp.hw.type', 'Ethernet (1)', 1, off, 2),
      field(c, 'arp.proto.type', 'IPv4 (0x0800)', ETHERTYPE_IPV4, off + 2, 2),
      field(c, 'arp.hw.size', '6', 6, off + 4, 1),
      field(c, 'arp.proto.size', '4', 4, off + 5, 1),
      field(c, 'arp.opcode', `${word(c, r.op === 1 ? 'value.arp_request' : 'value.arp_reply')} (${r.op})`, r.op, off + 6, 2),
      field(c, 'arp.src.hw_mac', smac, smac, off + 8, 6),
      field(c, 'arp.src.proto_ipv4', sip, sip, off + 14, 4),
      field(c, 'arp.dst.hw_mac', tmac, tmac, off + 18, 6),
      field(c, 'arp.dst.proto_ipv4', tip, tip, off + 24, 4),
    ]))
    if (off + 28 < end) c.out.push(data(c, 'padding', b, off + 28, end))
  } catch (e) {
    c.out.push(malformed(c, off, end - off, e))
  }
}

/** Decodes an IPv4 datagram in [off, end); `quoted` marks the copy inside an ICMP error, which may be cut short. */
function ipv4(c: Ctx, b: Uint8Array, off: number, end: number, quoted: boolean): void {
  const view = b.subarray(0, end)
  let r
  try {
    r = parseIpv4Header(view, off, false)
  } catch (e) {
    // A quoted header legitimately ends early: show it when only the length disagrees.
    if (!(quoted && e instanceof WireError && e.field === 'totalLen')) {
      c.out.push(malformed(c, off, end - off, e))
      return
    }
    r = null
  }
  const hl = (b[off] & 0x0f) * 4
  const totalLen = u16(b, off + 2)
  const frag = u16(b, off + 6)
  const flags = [frag & 0x8000 ? word(c, 'value.reserved') : '', frag & 0x4000 ? 'DF' : '', frag & 0x2000 ? 'MF' : ''].filter((s) => s !== '').join(', ')
  const proto = b[off + 9]
  const id = u16(b, off + 4)
  const src = formatIpv4(readIpv4(b, off + 12))
  const dst = formatIpv4(readIpv4(b, off + 16))
  c.out.push(layer(c, 'ip', off, hl, [
    field(c, 'ip.version', '4', 4, off, 1),
    field(c, 'ip.hdr_len', word(c, 'value.bytes', { n: hl }), hl, off, 1),
    field(c, 'ip.dsfield', `${hex(b[off + 1], 2)} (DSCP ${b[off + 1] >>> 2}, ECN ${b[off + 1] & 3})`, b[off + 1], off + 1, 1),
    field(c, 'ip.len', String(totalLen), totalLen, off + 2, 2),
    field(c, 'ip.id', `${hex(id, 4)} (${id})`, id, off + 4, 2),
    field(c, 'ip.flags', `${hex(frag >>> 13, 1)}${flags ? ' (' + flags + ')' : ''}`, frag >>> 13, off + 6, 1),
    field(c, 'ip.frag_offset', String((frag & 0x1fff) * 8), (frag & 0x1fff) * 8, off + 6, 2),
    field(c, 'ip.ttl', String(b[off + 8]), b[off + 8], off + 8, 1),
    field(c, 'ip.proto', named(proto, PROTOCOLS), proto, off + 9, 1),
    field(c, 'ip.checksum', checksumText(c, u16(b, off + 10), checksumAdd(b, off, hl)), u16(b, off + 10), off + 10, 2),
    field(c, 'ip.src', src, src, off + 12, 4),
    field(c, 'ip.dst', dst, dst, off + 16, 4),
  ]))
  if (hl > 20) c.out.push(data(c, 'ip_options', b, off + 20, off + hl))
  const p = off + hl
  const pEnd = Math.min(end, off + totalLen)
  if (r === null || (frag & 0x1fff) !== 0 || (frag & 0x2000) !== 0) {
    // Fragments and quotes cannot be checked end to end: show their transport header bytes raw.
    // ("Quoted payload" names itself: it is not the payload of a quote of a quote.)
    if (p < pEnd) c.out.push(r === null ? data({ ...c, key: c.key.replace(/quoted\.$/, '') }, 'quoted_payload', b, p, pEnd) : data(c, 'fragment', b, p, pEnd))
    return
  }
  if (proto === IPPROTO_ICMP) icmp(c, b, p, pEnd)
  else if (proto === IPPROTO_UDP) udp(c, b, p, pEnd, readIpv4(b, off + 12), readIpv4(b, off + 16))
  else if (p < pEnd) c.out.push(data(c, 'payload', b, p, pEnd, word(c, 'layer.payload', { proto: PROTOCOLS[proto] ?? `IP protocol ${proto}` })))
  if (!quoted && pEnd < end) c.out.push(data(c, 'padding', b, pEnd, end))
}

function icmp(c: Ctx, b: Uint8Array, off: number, end: number): void {
  let r
  try {
    r = parseIcmp(b, off, end - off, false)
  } catch (e) {
    c.out.push(malformed(c, off, end - off, e))
    return
  }
  const type = b[off]
  const code = b[off + 1]
  const typeKey = `value.icmp.${type}`
  const codeKey = `value.unreach.${code}`
  const typeText = isWireKey(typeKey) ? `${word(c, typeKey)} (${type})` : String(type)
  const codeText = type === 3 && isWireKey(codeKey) ? `${word(c, codeKey)} (${code})` : String(code)
  const fields: Field[] = [
    field(c, 'icmp.type', typeText, type, off, 1),
    field(c, 'icmp.code', codeText, code, off + 1, 1),
    field(c, 'icmp.checksum', checksumText(c, u16(b, off + 2), checksumAdd(b, off, end - off)), u16(b, off + 2), off + 2, 2),
  ]
  const l = layer(c, 'icmp', off, 8, fields)
  c.out.push(l)
  switch (r.kind) {
    case 'echoRequest':
    case 'echoReply':
      fields.push(field(c, 'icmp.ident', `${r.ident} (${hex(r.ident, 4)})`, r.ident, off + 4, 2))
      fields.push(field(c, 'icmp.seq', String(r.seq), r.seq, off + 6, 2))
      fields.push(field(c, 'icmp.data', word(c, 'value.bytes', { n: r.data.length }), r.data.length, off + 8, r.data.length))
      l.length = end - off
      return
    case 'destUnreachable':
      if (r.nextHopMtu !== undefined) fields.push(field(c, 'icmp.mtu', String(r.nextHopMtu), r.nextHopMtu, off + 6, 2))
      break
    case 'redirect': {
      const gw = formatIpv4(r.gateway)
      fields.push(field(c, 'icmp.redir_gw', gw, gw, off + 4, 4))
      break
    }
    case 'timeExceeded':
      break
    case 'other':
      fields.push(field(c, 'icmp.rest', hex(r.rest, 8), r.rest, off + 4, 4))
      if (type !== 12 && type !== 4) {
        if (r.data.length > 0) c.out.push(data(c, 'icmp_data', b, off + 8, end))
        return
      }
  }
  if (off + 8 < end) ipv4({ ...c, key: c.key + 'quoted.' }, b, off + 8, end, true)
}

function udp(c: Ctx, b: Uint8Array, off: number, end: number, src: number, dst: number): void {
  let r
  try {
    r = parseUdp(b, off, end - off, src, dst, false)
  } catch (e) {
    c.out.push(malformed(c, off, end - off, e))
    return
  }
  const ck = u16(b, off + 6)
  const ckText = ck === 0 ? word(c, 'value.checksum_none', { value: '0x0000' }) : checksumText(c, ck, checksumAdd(b, off, r.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, r.length)))
  c.out.push(layer(c, 'udp', off, 8, [
    field(c, 'udp.srcport', String(r.srcPort), r.srcPort, off, 2),
    field(c, 'udp.dstport', String(r.dstPort), r.dstPort, off + 2, 2),
    field(c, 'udp.length', String(r.length), r.length, off + 4, 2),
    field(c, 'udp.checksum', ckText, ck, off + 6, 2),
  ]))
  const p = off + 8
  const pEnd = off + r.length
  const vx = r.dstPort === VXLAN_PORT_IANA || r.dstPort === VXLAN_PORT_LINUX
  if (vx) vxlan(c, b, p, pEnd)
  else if (p < pEnd) c.out.push(data(c, 'udp_payload', b, p, pEnd))
}

function vxlan(c: Ctx, b: Uint8Array, off: number, end: number): void {
  try {
    const r = parseVxlan(b.subarray(0, end), off)
    const reserved = ((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0
    c.out.push(layer(c, 'vxlan', off, VXLAN_HEADER_LEN, [
      field(c, 'vxlan.flags', `${hex(r.flags, 2)} (${word(c, 'value.vni_valid')})`, r.flags, off, 1),
      field(c, 'vxlan.reserved_24', hex(reserved, 6), reserved, off + 1, 3),
      field(c, 'vxlan.vni', String(r.vni), r.vni, off + 4, 3),
      field(c, 'vxlan.reserved8', hex(b[off + 7], 2), b[off + 7], off + 7, 1),
    ]))
  } catch (e) {
    c.out.push(malformed(c, off, end - off, e))
    return
  }
  ethernet({ ...c, key: c.key + 'inner.' }, b, off + VXLAN_HEADER_LEN, end)
}

/**
 * Decodes every layer, outermost first: of an Ethernet frame, or of a bare IPv4 packet (what an
 * L3 step such as a FIB lookup holds, before it has a link header). Names and value words are
 * in `lang`; keys and raw values are the same in every language.
 */
export function dissect(bytes: Uint8Array, first: 'ethernet' | 'ipv4' = 'ethernet', lang: Lang = 'en'): Layer[] {
  const c: Ctx = { lang, key: '', out: [] }
  if (first === 'ipv4') ipv4(c, bytes, 0, bytes.length, false)
  else ethernet(c, bytes, 0, bytes.length)
  return c.out
}
