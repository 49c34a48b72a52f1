// ICMPv4 (RFC 792, RFC 1191 for the next-hop MTU). Data and quoted datagrams are returned
// as subarray views, not copies: frames are immutable once sent, so views are safe and cheap.

import type { Ipv4 } from '../addr/ipv4.ts'
import { readIpv4, writeIpv4 } from '../addr/ipv4.ts'
import { checksumAdd, checksumFinish, checksumFold } from './checksum.ts'
import { ensureLength, WireError } from './error.ts'

export const ICMP_ECHO_REPLY = 0
export const ICMP_DEST_UNREACH = 3
export const ICMP_SOURCE_QUENCH = 4
export const ICMP_REDIRECT = 5
export const ICMP_ECHO_REQUEST = 8
export const ICMP_TIME_EXCEEDED = 11
export const ICMP_PARAMETER_PROBLEM = 12

// Destination unreachable codes, with the kernel's names (include/uapi/linux/icmp.h).
export const ICMP_NET_UNREACH = 0
export const ICMP_HOST_UNREACH = 1
export const ICMP_PROT_UNREACH = 2
export const ICMP_PORT_UNREACH = 3
export const ICMP_FRAG_NEEDED = 4
export const ICMP_SR_FAILED = 5
export const ICMP_NET_UNKNOWN = 6
export const ICMP_HOST_UNKNOWN = 7
export const ICMP_HOST_ISOLATED = 8
export const ICMP_NET_ANO = 9
export const ICMP_HOST_ANO = 10
export const ICMP_NET_UNR_TOS = 11
export const ICMP_HOST_UNR_TOS = 12
/** Administratively prohibited: what a `prohibit` route or an iptables REJECT --reject-with icmp-admin-prohibited sends. */
export const ICMP_PKT_FILTERED = 13
export const ICMP_PREC_VIOLATION = 14
export const ICMP_PREC_CUTOFF = 15

// Time exceeded codes.
export const ICMP_EXC_TTL = 0
export const ICMP_EXC_FRAGTIME = 1

// Redirect codes.
export const ICMP_REDIR_NET = 0
export const ICMP_REDIR_HOST = 1
export const ICMP_REDIR_NETTOS = 2
export const ICMP_REDIR_HOSTTOS = 3

export const ICMP_HEADER_LEN = 8

/**
 * Linux's icmp_send keeps the whole error within 576 bytes of IP (RFC 1812 4.3.2.3) and
 * within the route MTU back to the sender: 576 - 20 (IP) - 8 (ICMP) = 548 bytes of the
 * offending datagram, measured from its IP header.
 */
export const ICMP_ERROR_MAX_IP_LEN = 576
export const ICMP_ERROR_MAX_QUOTE = ICMP_ERROR_MAX_IP_LEN - 20 - ICMP_HEADER_LEN

export interface IcmpEchoRepr {
  kind: 'echoRequest' | 'echoReply'
  ident: number
  seq: number
  data: Uint8Array
}

export interface IcmpDestUnreachableRepr {
  kind: 'destUnreachable'
  code: number
  /** Only meaningful with code ICMP_FRAG_NEEDED (RFC 1191); absent otherwise. */
  nextHopMtu?: number
  /** The offending IP header and the start of its payload. */
  original: Uint8Array
}

export interface IcmpTimeExceededRepr {
  kind: 'timeExceeded'
  code: number
  original: Uint8Array
}

export interface IcmpRedirectRepr {
  kind: 'redirect'
  code: number
  gateway: Ipv4
  original: Uint8Array
}

/** Any other type with a valid checksum: kept whole so the inspector can still show it. */
export interface IcmpOtherRepr {
  kind: 'other'
  type: number
  code: number
  /** Bytes 4-7 of the header as an unsigned 32-bit number. */
  rest: number
  data: Uint8Array
}

export type IcmpRepr = IcmpEchoRepr | IcmpDestUnreachableRepr | IcmpTimeExceededRepr | IcmpRedirectRepr | IcmpOtherRepr

const LAYER = 'ICMP'

/** The ICMP type number a repr is sent with. */
export function icmpType(repr: IcmpRepr): number {
  switch (repr.kind) {
    case 'echoRequest': return ICMP_ECHO_REQUEST
    case 'echoReply': return ICMP_ECHO_REPLY
    case 'destUnreachable': return ICMP_DEST_UNREACH
    case 'timeExceeded': return ICMP_TIME_EXCEEDED
    case 'redirect': return ICMP_REDIRECT
    case 'other': return repr.type
  }
}

/** True for the error types that quote a datagram (and so must never answer another error). */
export function isIcmpErrorType(type: number): boolean {
  return type === ICMP_DEST_UNREACH || type === ICMP_SOURCE_QUENCH || type === ICMP_REDIRECT ||
    type === ICMP_TIME_EXCEEDED || type === ICMP_PARAMETER_PROBLEM
}

/**
 * Parses the ICMP message of `len` bytes at `off` (the IP payload length) and verifies the
 * checksum over all of it, as icmp_rcv does (skipped when `verifyChecksum` is false).
 */
export function parseIcmp(buf: Uint8Array, off: number, len: number, verifyChecksum = true): IcmpRepr {
  if (len < ICMP_HEADER_LEN) throw new WireError(LAYER, 'header', off, `truncated: need 8 bytes, have ${Math.max(0, len)}`)
  ensureLength(buf, off, len, LAYER, 'length')
  if (verifyChecksum && checksumFold(checksumAdd(buf, off, len)) !== 0xffff) {
    const stored = (buf[off + 2] << 8) | buf[off + 3]
    throw new WireError(LAYER, 'checksum', off + 2, `bad checksum 0x${stored.toString(16).padStart(4, '0')}`)
  }
  const type = buf[off]
  const code = buf[off + 1]
  const end = off + len
  switch (type) {
    case ICMP_ECHO_REQUEST:
    case ICMP_ECHO_REPLY:
      return {
        kind: type === ICMP_ECHO_REQUEST ? 'echoRequest' : 'echoReply',
        ident: (buf[off + 4] << 8) | buf[off + 5],
        seq: (buf[off + 6] << 8) | buf[off + 7],
        data: buf.subarray(off + 8, end),
      }
    case ICMP_DEST_UNREACH: {
      const original = buf.subarray(off + 8, end)
      if (code === ICMP_FRAG_NEEDED) {
        return { kind: 'destUnreachable', code, nextHopMtu: (buf[off + 6] << 8) | buf[off + 7], original }
      }
      return { kind: 'destUnreachable', code, original }
    }
    case ICMP_TIME_EXCEEDED:
      return { kind: 'timeExceeded', code, original: buf.subarray(off + 8, end) }
    case ICMP_REDIRECT:
      return { kind: 'redirect', code, gateway: readIpv4(buf, off + 4), original: buf.subarray(off + 8, end) }
    default:
      return {
        kind: 'other',
        type,
        code,
        rest: ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0,
        data: buf.subarray(off + 8, end),
      }
  }
}

function bodyOf(repr: IcmpRepr): Uint8Array {
  switch (repr.kind) {
    case 'echoRequest':
    case 'echoReply':
    case 'other':
      return repr.data
    default:
      return repr.original
  }
}

/** Length of the message emitIcmp would produce, for building it in place with writeIcmp. */
export function icmpLength(repr: IcmpRepr): number {
  return ICMP_HEADER_LEN + bodyOf(repr).length
}

/** Writes the message at `off` (checksum included); `buf` must have icmpLength(repr) bytes there. */
export function writeIcmp(buf: Uint8Array, off: number, repr: IcmpRepr): void {
  let rest = 0
  let code = 0
  switch (repr.kind) {
    case 'echoRequest':
    case 'echoReply':
      rest = ((repr.ident & 0xffff) << 16) | (repr.seq & 0xffff)
      break
    case 'destUnreachable':
      code = repr.code
      if (repr.nextHopMtu !== undefined) rest = repr.nextHopMtu & 0xffff
      break
    case 'timeExceeded':
      code = repr.code
      break
    case 'redirect':
      code = repr.code
      rest = repr.gateway
      break
    case 'other':
      code = repr.code
      rest = repr.rest
      break
  }
  const body = bodyOf(repr)
  buf[off] = icmpType(repr)
  buf[off + 1] = code
  buf[off + 2] = 0
  buf[off + 3] = 0
  writeIpv4(buf, off + 4, rest >>> 0)
  buf.set(body, off + ICMP_HEADER_LEN)
  const ck = checksumFinish(checksumAdd(buf, off, ICMP_HEADER_LEN + body.length))
  buf[off + 2] = ck >>> 8
  buf[off + 3] = ck
}

export function emitIcmp(repr: IcmpRepr): Uint8Array {
  const buf = new Uint8Array(icmpLength(repr))
  writeIcmp(buf, 0, repr)
  return buf
}

/**
 * The part of an offending IPv4 datagram that Linux quotes in an ICMP error: from its IP
 * header, at most min(routeMtu, 576) - 28 bytes (548 by default), never past its Total
 * Length (so Ethernet padding is not quoted). An empty result means the route MTU is too
 * small for a useful quote and Linux sends no error at all. Returns a view, not a copy.
 */
export function icmpErrorQuote(originalIpPacket: Uint8Array, routeMtu = ICMP_ERROR_MAX_IP_LEN): Uint8Array {
  const room = Math.min(routeMtu, ICMP_ERROR_MAX_IP_LEN) - 20 - ICMP_HEADER_LEN
  if (room <= 20) return originalIpPacket.subarray(0, 0)
  let len = originalIpPacket.length
  if (len >= 4) {
    const totalLen = (originalIpPacket[2] << 8) | originalIpPacket[3]
    if (totalLen >= 20 && totalLen < len) len = totalLen
  }
  return originalIpPacket.subarray(0, Math.min(len, room))
}
