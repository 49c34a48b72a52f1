// Just enough IPv6 to show what Linux shows on every interface: the EUI-64 link-local
// address (addrgenmode eui64) and its solicited-node multicast group.

import type { Mac } from './mac.ts'

const TWO_32 = 0x1_0000_0000

/** fe80::/64 with the modified EUI-64 interface id (RFC 4291 2.5.1): U/L bit flipped, ff:fe inserted. */
export function eui64LinkLocal(mac: Mac): Uint8Array {
  const a = new Uint8Array(16)
  a[0] = 0xfe
  a[1] = 0x80
  const hi = Math.floor(mac / TWO_32)
  const lo = mac >>> 0
  a[8] = (hi >>> 8) ^ 0x02
  a[9] = hi & 0xff
  a[10] = lo >>> 24
  a[11] = 0xff
  a[12] = 0xfe
  a[13] = (lo >>> 16) & 0xff
  a[14] = (lo >>> 8) & 0xff
  a[15] = lo & 0xff
  return a
}

function ipv4Tail(b: Uint8Array): string {
  return b[12] + '.' + b[13] + '.' + b[14] + '.' + b[15]
}

/**
 * Text form as glibc inet_ntop prints it (and so iproute2): RFC 5952 lowercase hex, the
 * first longest run of two or more zero groups becomes `::`, a lone zero group stays `0`;
 * `::a.b.c.d` and `::ffff:a.b.c.d` keep the embedded IPv4 dotted.
 */
export function formatIpv6(bytes: Uint8Array): string {
  let bestBase = -1
  let bestLen = 0
  let curBase = -1
  for (let i = 0; i < 8; i++) {
    if (bytes[2 * i] === 0 && bytes[2 * i + 1] === 0) {
      if (curBase < 0) curBase = i
      const len = i - curBase + 1
      if (len > bestLen) {
        bestBase = curBase
        bestLen = len
      }
    } else {
      curBase = -1
    }
  }
  if (bestLen < 2) bestBase = -1
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':'
      continue
    }
    if (i !== 0) out += ':'
    const w5 = (bytes[10] << 8) | bytes[11]
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w5 === 0xffff))) {
      return out + ipv4Tail(bytes)
    }
    out += ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16)
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':'
  return out
}

/** ff02::1:ffXX:XXXX for the low 24 bits of the address (RFC 4291 2.7.1). */
export function solicitedNodeMulticast(addr16: Uint8Array): Uint8Array {
  const a = new Uint8Array(16)
  a[0] = 0xff
  a[1] = 0x02
  a[11] = 0x01
  a[12] = 0xff
  a[13] = addr16[13]
  a[14] = addr16[14]
  a[15] = addr16[15]
  return a
}

/** 33:33:ff followed by the last three bytes of the address: the MAC its solicited-node group maps to. */
export function solicitedNodeMulticastMac(addr16: Uint8Array): Mac {
  return 0x3333 * TWO_32 + ((0xff00_0000 | (addr16[13] << 16) | (addr16[14] << 8) | addr16[15]) >>> 0)
}
