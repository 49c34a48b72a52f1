// IPv4 addresses as unsigned 32-bit numbers (always normalised with >>> 0 so === works and
// they can key Maps), plus prefixes with the exact parsing rules of iproute2.

export type Ipv4 = number

export interface Prefix {
  /** As typed: may have host bits set (`ip addr add 10.0.0.5/24`); use prefixNetwork for the route key. */
  readonly addr: Ipv4
  readonly len: number
}

export function ipv4Of(a: number, b: number, c: number, d: number): Ipv4 {
  return (((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff)) >>> 0
}

/** Strict dotted quad: exactly four decimal fields 0-255, no signs, no spaces, no leading zeros. */
export function parseIpv4(s: string): Ipv4 | null {
  const n = s.length
  if (n < 7 || n > 15) return null
  let ip = 0
  let i = 0
  for (let field = 0; field < 4; field++) {
    if (field > 0) {
      if (s.charCodeAt(i) !== 46 /* . */) return null
      i++
    }
    const start = i
    let v = 0
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c < 48 || c > 57) break
      v = v * 10 + (c - 48)
      i++
    }
    const digits = i - start
    // A leading zero would mean octal to inet_aton but decimal to us: refuse the ambiguity.
    if (digits === 0 || digits > 3 || v > 255 || (digits > 1 && s.charCodeAt(start) === 48)) return null
    ip = (ip << 8) | v
  }
  return i === n ? ip >>> 0 : null
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/**
 * strtoul(s + start, &end, 0) as glibc does it, capped: returns the value (clamped to
 * 2^32, which every caller rejects) and stores the end index in `endOut[0]`. `endOut[0] ===
 * start` means no digits. Accepts leading C whitespace, '+' or '-', 0x hex and 0 octal.
 */
function strtoul0(s: string, start: number, endOut: number[]): number {
  const n = s.length
  let i = start
  while (i < n && isCSpace(s.charCodeAt(i))) i++
  let neg = false
  const sign = i < n ? s.charCodeAt(i) : 0
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    neg = sign === 45
    i++
  }
  let base = 10
  if (i < n && s.charCodeAt(i) === 48 /* 0 */) {
    const x = i + 1 < n ? s.charCodeAt(i + 1) | 0x20 : 0
    const h = i + 2 < n ? s.charCodeAt(i + 2) : 0
    const hexNext = (h >= 48 && h <= 57) || ((h | 0x20) >= 97 && (h | 0x20) <= 102)
    if (x === 120 /* x */ && hexNext) {
      base = 16
      i += 2
    } else {
      base = 8
    }
  }
  const digitsStart = i
  let v = 0
  while (i < n) {
    const c = s.charCodeAt(i)
    let d: number
    if (c >= 48 && c <= 57) d = c - 48
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) d = (c | 0x20) - 87
    else break
    if (d >= base) break
    if (v < 0x1_0000_0000) v = v * base + d
    i++
  }
  if (i === digitsStart) {
    endOut[0] = start
    return 0
  }
  endOut[0] = i
  if (v > 0xffff_ffff) return 0x1_0000_0000
  // strtoul negates in unsigned arithmetic: "-0" is 0, anything else wraps to a huge value.
  return neg && v !== 0 ? 0x1_0000_0000 : v
}

/**
 * What iproute2's get_addr_ipv4 accepts (ip route/addr/neigh arguments), checked against
 * iproute2 6.1 on Linux:
 *   - one to four '.'-separated fields, each parsed by strtoul(..., 0) and at most 255;
 *     missing trailing fields are zero: `10` = 10.0.0.0, `10.1` = 10.1.0.0, `172.16.1` = 172.16.1.0
 *     (unlike inet_aton, which would read `10.1` as 10.0.0.1);
 *   - each field may be hex (`0x0a`) or octal (`012` = 10; `019` is rejected), may have leading
 *     whitespace and a sign (`+12`, `-0`); `-1` and anything above 255 are rejected;
 *   - no empty fields (`10.`, `1..2`), nothing after the fourth field, no trailing space.
 */
export function parseIpv4Loose(s: string): Ipv4 | null {
  const end = [0]
  let ip = 0
  let i = 0
  for (let field = 0; field < 4; field++) {
    const v = strtoul0(s, i, end)
    if (v > 255 || end[0] === i) return null
    ip |= v << (24 - 8 * field)
    i = end[0]
    if (i === s.length) break
    if (field === 3 || s.charCodeAt(i) !== 46) return null
    i++
  }
  return ip >>> 0
}

export function formatIpv4(ip: Ipv4): string {
  return (ip >>> 24) + '.' + ((ip >>> 16) & 0xff) + '.' + ((ip >>> 8) & 0xff) + '.' + (ip & 0xff)
}

export function readIpv4(buf: Uint8Array, off: number): Ipv4 {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0
}

export function writeIpv4(buf: Uint8Array, off: number, ip: Ipv4): void {
  buf[off] = ip >>> 24
  buf[off + 1] = ip >>> 16
  buf[off + 2] = ip >>> 8
  buf[off + 3] = ip
}

export function prefixMask(len: number): Ipv4 {
  return len <= 0 ? 0 : len >= 32 ? 0xffff_ffff : (0xffff_ffff << (32 - len)) >>> 0
}

export function prefixNetwork(p: Prefix): Ipv4 {
  return (p.addr & prefixMask(p.len)) >>> 0
}

export function prefixBroadcast(p: Prefix): Ipv4 {
  return (p.addr | ~prefixMask(p.len)) >>> 0
}

export function prefixContains(p: Prefix, ip: Ipv4): boolean {
  return ((p.addr ^ ip) & prefixMask(p.len)) === 0
}

/** True when the address has no host bits set for its length (the kernel refuses such routes otherwise). */
export function prefixIsNetwork(p: Prefix): boolean {
  return (p.addr & ~prefixMask(p.len)) === 0
}

/** Length of a contiguous netmask, or -1 (iproute2's mask2bits). */
export function maskToLen(mask: Ipv4): number {
  const host = ~mask >>> 0
  if ((host & (host + 1)) !== 0) return -1
  return Math.clz32(host)
}

function parseLen(s: string, loose: boolean): number {
  const n = s.length
  if (!loose) {
    // Strict: plain decimal 0-32, no leading zeros.
    if (n === 0 || n > 2 || (n === 2 && s.charCodeAt(0) === 48)) return -1
    let v = 0
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c < 48 || c > 57) return -1
      v = v * 10 + (c - 48)
    }
    return v <= 32 ? v : -1
  }
  // iproute2 get_netmask: get_unsigned(base 0) first, then a dotted netmask.
  if (n === 0) return -1
  const end = [0]
  const v = strtoul0(s, 0, end)
  if (end[0] === n && n > 0) return v <= 32 ? v : -1
  const mask = parseIpv4Loose(s)
  return mask === null ? -1 : maskToLen(mask)
}

/**
 * `a.b.c.d/len`; a bare address is a /32. With `loose`, the address and length follow
 * iproute2's get_prefix: parseIpv4Loose for the address, a length in any strtoul base or a
 * dotted netmask (`10.0.0.0/255.255.255.0`, non-contiguous masks rejected), and the keywords
 * `default`, `any` and `all` for 0.0.0.0/0 (with a length, `default/8` etc. are rejected).
 * Host bits are kept: the kernel, not the parser, rejects `ip route add 10.0.0.5/24`.
 */
export function parsePrefix(s: string, loose = false): Prefix | null {
  const slash = s.indexOf('/')
  const addrPart = slash < 0 ? s : s.slice(0, slash)
  if (loose && (addrPart === 'default' || addrPart === 'any' || addrPart === 'all')) {
    return slash < 0 ? { addr: 0, len: 0 } : null
  }
  const addr = loose ? parseIpv4Loose(addrPart) : parseIpv4(addrPart)
  if (addr === null) return null
  if (slash < 0) return { addr, len: 32 }
  const len = parseLen(s.slice(slash + 1), loose)
  return len < 0 ? null : { addr, len }
}

/**
 * iproute2 style. By default a /32 prints as the bare address, as `ip route` shows host
 * routes; pass `alwaysLen` for `ip addr`, which always prints the length (`10.9.9.9/32`).
 */
export function formatPrefix(p: Prefix, alwaysLen = false): string {
  return p.len === 32 && !alwaysLen ? formatIpv4(p.addr) : formatIpv4(p.addr) + '/' + p.len
}

export function isMulticastIpv4(ip: Ipv4): boolean {
  return ip >>> 28 === 0xe
}

export function isLoopbackIpv4(ip: Ipv4): boolean {
  return ip >>> 24 === 127
}

export function isLimitedBroadcast(ip: Ipv4): boolean {
  return ip >>> 0 === 0xffff_ffff
}

export function isZeroIpv4(ip: Ipv4): boolean {
  return ip >>> 0 === 0
}

/** 169.254.0.0/16 */
export function isLinkLocalIpv4(ip: Ipv4): boolean {
  return ip >>> 16 === 0xa9fe
}
