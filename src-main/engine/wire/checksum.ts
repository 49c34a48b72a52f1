// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
// Sums are kept unfolded as plain numbers: 16-bit words added into a double stay exact far
// beyond any packet size, so the loop needs no carry handling until the end.

import type { Ipv4 } from '../addr/ipv4.ts'

/** Adds the bytes [off, off+len) as big-endian 16-bit words to `acc`; an odd last byte is padded with zero. */
export function checksumAdd(buf: Uint8Array, off: number, len: number, acc = 0): number {
  let sum = acc
  const end = off + len
  const even = off + (len & ~1)
  let i = off
  for (; i + 8 <= even; i += 8) {
    sum += ((buf[i] << 8) | buf[i + 1]) + ((buf[i + 2] << 8) | buf[i + 3]) +
      ((buf[i + 4] << 8) | buf[i + 5]) + ((buf[i + 6] << 8) | buf[i + 7])
  }
  for (; i < even; i += 2) sum += (buf[i] << 8) | buf[i + 1]
  if (even < end) sum += buf[even] << 8
  return sum
}

/** Adds a 32-bit value (an address in a pseudo-header) as two words. */
export function checksumAdd32(v: number, acc = 0): number {
  return acc + (v >>> 16) + (v & 0xffff)
}

/** Folds an accumulated sum to 16 bits with end-around carry. */
export function checksumFold(sum: number): number {
  let s = sum
  while (s > 0xffff_ffff) s = (s % 0x10000) + Math.floor(s / 0x10000)
  s = (s & 0xffff) + (s >>> 16)
  return (s & 0xffff) + (s >>> 16)
}

/** Folds and complements: the value to store in a checksum field. */
export function checksumFinish(sum: number): number {
  return ~checksumFold(sum) & 0xffff
}

/**
 * RFC 1071 checksum of a byte range. Over a range whose checksum field is already filled
 * in correctly, the result is 0, which is how parsers verify.
 */
export function internetChecksum(buf: Uint8Array, off: number, len: number): number {
  return checksumFinish(checksumAdd(buf, off, len))
}

/** Sum of the TCP/UDP IPv4 pseudo-header (RFC 768): addresses, protocol and L4 length. */
export function pseudoHeaderSum(src: Ipv4, dst: Ipv4, protocol: number, l4len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + l4len
}

/**
 * RFC 1624 eqn. 3: the checksum after one 16-bit word changes from `oldWord` to `newWord`,
 * HC' = ~(~HC + ~m + m'), without re-reading the packet. The result is never 0xffff, which
 * makes it byte-identical to Linux's ip_decrease_ttl (checksum + 0x0100 with end-around carry).
 */
export function checksumUpdate16(oldChecksum: number, oldWord: number, newWord: number): number {
  const sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff)
  return ~checksumFold(sum) & 0xffff
}
