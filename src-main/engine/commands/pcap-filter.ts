import { parseIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../wire/ethernet.ts'

/**
 * The part of tcpdump's filter language (pcap-filter(7)) a learner uses: `icmp`, `arp`, `udp`,
 * `tcp`, `ip`, `ip6`, `[src|dst] host IP`, `[src|dst] port N`, `vxlan` (UDP 4789/8472),
 * combined with `and`/`&&`, `or`/`||`, `not`/`!` and parentheses.
 */
export type FrameFilter = (frame: Uint8Array) => boolean

export class FilterError extends Error {}

interface Pkt {
  ethertype: number
  proto: number
  src: Ipv4
  dst: Ipv4
  sport: number
  dport: number
  hasIp: boolean
  hasPorts: boolean
}

function decode(f: Uint8Array): Pkt {
  const ethertype = (f[12] << 8) | f[13]
  const p: Pkt = { ethertype, proto: -1, src: 0, dst: 0, sport: -1, dport: -1, hasIp: false, hasPorts: false }
  if (ethertype === ETHERTYPE_IPV4 && f.length >= 34) {
    p.hasIp = true
    p.proto = f[23]
    p.src = ((f[26] << 24) | (f[27] << 16) | (f[28] << 8) | f[29]) >>> 0
    p.dst = ((f[30] << 24) | (f[31] << 16) | (f[32] << 8) | f[33]) >>> 0
    const ihl = (f[14] & 15) * 4
    const frag = ((f[20] << 8) | f[21]) & 0x1fff
    if ((p.proto === 6 || p.proto === 17) && frag === 0 && f.length >= 14 + ihl + 4) {
      p.hasPorts = true
      p.sport = (f[14 + ihl] << 8) | f[15 + ihl]
      p.dport = (f[16 + ihl] << 8) | f[17 + ihl]
    }
  } else if (ethertype === ETHERTYPE_ARP && f.length >= 42) {
    p.src = ((f[28] << 24) | (f[29] << 16) | (f[30] << 8) | f[31]) >>> 0
    p.dst = ((f[38] << 24) | (f[39] << 16) | (f[40] << 8) | f[41]) >>> 0
  }
  return p
}

type Node = (p: Pkt) => boolean

export function compileFilter(words: string[]): FrameFilter {
  if (words.length === 0) return () => true
  const toks = words.join(' ').replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').replace(/&&/g, ' and ').replace(/\|\|/g, ' or ').replace(/!/g, ' not ').split(/\s+/).filter(Boolean)
  let i = 0
  const peek = (): string | undefined => toks[i]
  const expect = (what: string): string => {
    const t = toks[i++]
    if (t === undefined) throw new FilterError(`syntax error in filter expression: expected ${what}`)
    return t
  }
  const orExpr = (): Node => {
    let left = andExpr()
    while (peek() === 'or') {
      i++
      const l = left
      const r = andExpr()
      left = (p) => l(p) || r(p)
    }
    return left
  }
  const andExpr = (): Node => {
    let left = unary()
    for (;;) {
      const t = peek()
      if (t === 'and') i++
      else if (t === undefined || t === 'or' || t === ')') break
      const l = left
      const r = unary()
      left = (p) => l(p) && r(p)
    }
    return left
  }
  const unary = (): Node => {
    if (peek() === 'not') {
      i++
      const n = unary()
      return (p) => !n(p)
    }
    if (peek() === '(') {
      i++
      const n = orExpr()
      if (expect('")"') !== ')') throw new FilterError('syntax error in filter expression')
      return n
    }
    return primitive()
  }
  const primitive = (): Node => {
    let dir: 'src' | 'dst' | 'any' = 'any'
    let t = expect('a filter primitive')
    if (t === 'src' || t === 'dst') {
      dir = t
      t = expect('host or port')
    }
    switch (t) {
      case 'ip':
        return (p) => p.ethertype === ETHERTYPE_IPV4
      case 'ip6':
        return (p) => p.ethertype === ETHERTYPE_IPV6
      case 'arp':
        return (p) => p.ethertype === ETHERTYPE_ARP
      case 'icmp':
        return (p) => p.hasIp && p.proto === 1
      case 'udp':
        if (peek() === 'port' || peek() === 'src' || peek() === 'dst') return (p) => p.hasIp && p.proto === 17
        return (p) => p.hasIp && p.proto === 17
      case 'tcp':
        return (p) => p.hasIp && p.proto === 6
      case 'vxlan':
        return (p) => p.hasPorts && p.proto === 17 && (p.dport === 8472 || p.dport === 4789)
      case 'host': {
        const v = expect('an address')
        const ip = parseIpv4(v)
        if (ip === null) throw new FilterError(`invalid host ${v}`)
        return (p) => (dir !== 'dst' && p.src === ip) || (dir !== 'src' && p.dst === ip)
      }
      case 'port': {
        const v = expect('a port')
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new FilterError(`illegal port number ${v} > 65535`)
        const n = Number(v)
        return (p) => p.hasPorts && ((dir !== 'dst' && p.sport === n) || (dir !== 'src' && p.dport === n))
      }
      default: {
        const ip = parseIpv4(t)
        if (ip !== null) return (p) => p.src === ip || p.dst === ip
        throw new FilterError(`syntax error in filter expression: unknown word "${t}"`)
      }
    }
  }
  const root = orExpr()
  if (i < toks.length) throw new FilterError('syntax error in filter expression')
  return (f) => root(decode(f))
}
