// Longest-prefix match for routing tables. One Map per prefix length keyed by network
// address; a lookup walks only the lengths that have entries, longest first, so a typical
// pod table (a handful of lengths) costs a few Map probes and no allocation.

import type { Ipv4, Prefix } from './ipv4.ts'
import { prefixMask } from './ipv4.ts'

export interface LpmEntry<T> {
  /** Normalised: host bits cleared. */
  readonly prefix: Prefix
  readonly value: T
}

export class LpmTable<T> {
  // byLen[len] maps network address -> entry; undefined until a prefix of that length exists.
  private readonly byLen: (Map<Ipv4, LpmEntry<T>> | undefined)[] = new Array(33).fill(undefined)
  // Non-empty lengths, longest first, with their masks alongside so lookup never recomputes them.
  private lens: number[] = []
  private masks: number[] = []
  private count = 0

  get size(): number {
    return this.count
  }

  /** Adds or replaces the entry for the prefix (host bits in prefix.addr are ignored). */
  insert(prefix: Prefix, value: T): void {
    const len = prefix.len
    if (!Number.isInteger(len) || len < 0 || len > 32) throw new RangeError(`prefix length ${len} out of range`)
    const net = (prefix.addr & prefixMask(len)) >>> 0
    let m = this.byLen[len]
    if (m === undefined) {
      m = new Map()
      this.byLen[len] = m
      this.reindex()
    }
    if (!m.has(net)) this.count++
    m.set(net, { prefix: { addr: net, len }, value })
  }

  /** Exact match on network and length. */
  get(prefix: Prefix): T | undefined {
    return this.getEntry(prefix)?.value
  }

  getEntry(prefix: Prefix): LpmEntry<T> | undefined {
    const m = this.byLen[prefix.len]
    return m === undefined ? undefined : m.get((prefix.addr & prefixMask(prefix.len)) >>> 0)
  }

  has(prefix: Prefix): boolean {
    return this.getEntry(prefix) !== undefined
  }

  delete(prefix: Prefix): boolean {
    const len = prefix.len
    const m = this.byLen[len]
    if (m === undefined || !m.delete((prefix.addr & prefixMask(len)) >>> 0)) return false
    this.count--
    if (m.size === 0) {
      this.byLen[len] = undefined
      this.reindex()
    }
    return true
  }

  clear(): void {
    this.byLen.fill(undefined)
    this.lens = []
    this.masks = []
    this.count = 0
  }

  /** The value of the longest prefix containing ip, or undefined. */
  lookup(ip: Ipv4): T | undefined {
    return this.lookupEntry(ip)?.value
  }

  lookupEntry(ip: Ipv4): LpmEntry<T> | undefined {
    const lens = this.lens
    const masks = this.masks
    const byLen = this.byLen
    for (let i = 0; i < lens.length; i++) {
      const e = (byLen[lens[i]] as Map<Ipv4, LpmEntry<T>>).get((ip & masks[i]) >>> 0)
      if (e !== undefined) return e
    }
    return undefined
  }

  /**
   * Every entry in the order `ip route show` lists a Linux FIB: by network address
   * ascending, and for the same address the longer prefix first (0.0.0.0/1 before default).
   */
  entries(): LpmEntry<T>[] {
    const out: LpmEntry<T>[] = []
    for (const len of this.lens) {
      for (const e of (this.byLen[len] as Map<Ipv4, LpmEntry<T>>).values()) out.push(e)
    }
    return out.sort((a, b) => a.prefix.addr - b.prefix.addr || b.prefix.len - a.prefix.len)
  }

  [Symbol.iterator](): Iterator<LpmEntry<T>> {
    return this.entries()[Symbol.iterator]()
  }

  private reindex(): void {
    const lens: number[] = []
    const masks: number[] = []
    for (let len = 32; len >= 0; len--) {
      if (this.byLen[len] !== undefined) {
        lens.push(len)
        masks.push(prefixMask(len))
      }
    }
    this.lens = lens
    this.masks = masks
  }
}
