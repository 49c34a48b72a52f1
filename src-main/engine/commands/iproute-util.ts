import { parseIpv4Loose, parsePrefix, type Ipv4, type Prefix } from '../addr/ipv4.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import type { NetDevice } from '../kernel/device.ts'
import type { Netns } from '../kernel/netns.ts'
import { fail, UsageExit } from './context.ts'

/** iproute2's matches(): the typed word is a (non-empty) prefix of the keyword. */
export function matches(word: string | undefined, keyword: string): boolean {
  return word !== undefined && word.length > 0 && word.length <= keyword.length && keyword.startsWith(word)
}

/** A cursor over argv with iproute2's error conventions (exit(-1) = 255 for usage errors). */
export class Args {
  i = 0
  constructor(readonly argv: string[]) {}

  get done(): boolean {
    return this.i >= this.argv.length
  }
  peek(): string | undefined {
    return this.argv[this.i]
  }
  next(): string {
    return this.argv[this.i++]
  }
  /** NEXT_ARG(): the value after a keyword, or "Command line is not complete". */
  value(): string {
    this.i++
    if (this.i >= this.argv.length) incomplete()
    return this.argv[this.i++]
  }
  rest(): string[] {
    const r = this.argv.slice(this.i)
    this.i = this.argv.length
    return r
  }
}

export function incomplete(): never {
  fail(255, 'Command line is not complete. Try option "help"')
}

export function invarg(msg: string, arg: string): never {
  // iproute2 prints msg and a newline; many of its messages carry their own ("... is invalid\n").
  fail(255, `Error: argument "${arg}" is wrong: ${msg}\n`)
}

export function duparg(key: string, arg: string): never {
  fail(255, `Error: duplicate "${key}": "${arg}" is the second value.`)
}

export function duparg2(key: string, arg: string): never {
  fail(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.`)
}

/** get_prefix / get_addr failures exit 1. */
export function parsePrefixArg(s: string, what: 'prefix' | 'address' = 'prefix'): Prefix {
  if (s === 'default' || s === 'any' || s === 'all') return { addr: 0, len: 0 }
  const p = parsePrefix(s, true)
  if (!p) fail(1, `Error: any valid ${what} is expected rather than "${s}".`)
  return p
}

export function parseAddrArg(s: string, family = 'inet'): Ipv4 {
  const a = parseIpv4Loose(s)
  if (a === null || s.includes('/')) fail(1, `Error: ${family} address is expected rather than "${s}".`)
  return a
}

export function nodev(name: string): never {
  fail(1, `Cannot find device "${name}"`)
}

export function findDev(ns: Netns, name: string): NetDevice {
  const d = ns.dev(name)
  if (!d) fail(1, `Cannot find device "${name}"`)
  return d
}

/** An rtnetlink request failed: iproute2 prints the extack message or "RTNETLINK answers", exit 2. */
export function rtnlError(e: unknown): never {
  if (e instanceof KernelError) {
    // iproute2 (nl_dump_ext_ack) ends the kernel's message with a period if it has none.
    if (e.extack) fail(2, `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}`)
    fail(2, `RTNETLINK answers: ${STRERROR[e.errno]}`)
  }
  if (e instanceof UsageExit) throw e
  throw e
}

/** Runs a kernel operation, turning a KernelError into iproute2's message. */
export function rtnl<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    return rtnlError(e)
  }
}

/** get_unsigned / get_u32 style parse: decimal, 0x hex, or 0 octal, like strtoul with base 0. */
export function parseUnsigned(s: string, max = 0xffffffff): number | null {
  let v: number
  if (/^0x[0-9a-f]+$/i.test(s)) v = parseInt(s.slice(2), 16)
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8)
  else if (/^[1-9][0-9]*$/.test(s)) v = parseInt(s, 10)
  else return null
  return v > max ? null : v
}

/**
 * iproute2's ll_addr_a2n: the bytes of a link-layer address as typed (an IPv4 address gives its
 * four bytes; otherwise `:`-separated parts, each read by sscanf("%x"), so `0x2` and `1g` are
 * 2 and 1), at most `max` of them, or the error it prints naming the first part it cannot read.
 */
export function llAddrA2n(arg: string, max = 32): number[] | { error: string } {
  if (arg.includes('.')) {
    const ip = parseIpv4Loose(arg)
    if (ip === null) return { error: `"${arg}" is invalid lladdr.` }
    return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]
  }
  const bytes: number[] = []
  const parts = arg.split(':')
  for (let i = 0; i < max && i < parts.length; i++) {
    // The rest of the string when this is the last part read (strchr finds no more ':').
    const part = i === max - 1 ? parts.slice(i).join(':') : parts[i]
    const m = /^\s*([+-]?)(?:0[xX])?([0-9a-fA-F]+)/.exec(part)
    if (!m) return { error: `"${part}" is invalid lladdr.` }
    const v = parseInt(m[2], 16) * (m[1] === '-' ? -1 : 1)
    if (!(v >= 0 && v <= 255)) return { error: `"${part}" is invalid lladdr.` }
    bytes.push(v)
  }
  return bytes
}

/** Six bytes as a MAC (the first six when there are more). */
export function macOfBytes(bytes: readonly number[]): number {
  return bytes.slice(0, 6).reduce((a, b) => a * 256 + b, 0)
}
