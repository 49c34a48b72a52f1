import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { LpmTable } from './lpm.ts'
import { formatPrefix, parseIpv4, parsePrefix, prefixContains, prefixMask, type Prefix } from './ipv4.ts'

const P = (s: string): Prefix => parsePrefix(s, true)!
const ip = (s: string): number => parseIpv4(s)!

describe('LpmTable', () => {
  it('finds the longest matching prefix', () => {
    const t = new LpmTable<string>()
    t.insert(P('default'), 'default')
    t.insert(P('10.0.0.0/8'), 'ten')
    t.insert(P('10.1.0.0/16'), 'ten-one')
    t.insert(P('10.1.2.3/32'), 'host')
    expect(t.lookup(ip('10.1.2.3'))).toBe('host')
    expect(t.lookup(ip('10.1.2.4'))).toBe('ten-one')
    expect(t.lookup(ip('10.2.0.1'))).toBe('ten')
    expect(t.lookup(ip('192.168.0.1'))).toBe('default')
    expect(t.lookupEntry(ip('10.1.9.9'))?.prefix).toEqual({ addr: ip('10.1.0.0'), len: 16 })
    expect(t.size).toBe(4)
  })

  it('returns undefined without a match', () => {
    const t = new LpmTable<number>()
    expect(t.lookup(ip('1.2.3.4'))).toBeUndefined()
    t.insert(P('10.0.0.0/8'), 1)
    expect(t.lookup(ip('11.0.0.1'))).toBeUndefined()
  })

  it('keys on the network: host bits are ignored on insert, get and delete', () => {
    const t = new LpmTable<string>()
    t.insert(P('10.0.0.5/24'), 'a')
    expect(t.get(P('10.0.0.0/24'))).toBe('a')
    expect(t.get(P('10.0.0.77/24'))).toBe('a')
    expect(t.get(P('10.0.0.0/25'))).toBeUndefined()
    expect(t.getEntry(P('10.0.0.0/24'))?.prefix).toEqual({ addr: ip('10.0.0.0'), len: 24 })
    t.insert(P('10.0.0.9/24'), 'b')
    expect(t.size).toBe(1)
    expect(t.get(P('10.0.0.0/24'))).toBe('b')
    expect(t.delete(P('10.0.0.200/24'))).toBe(true)
    expect(t.delete(P('10.0.0.0/24'))).toBe(false)
    expect(t.size).toBe(0)
    expect(t.lookup(ip('10.0.0.1'))).toBeUndefined()
  })

  it('rejects impossible lengths', () => {
    const t = new LpmTable<number>()
    expect(() => t.insert({ addr: 0, len: 33 }, 1)).toThrow(RangeError)
    expect(() => t.insert({ addr: 0, len: -1 }, 1)).toThrow(RangeError)
  })

  it('iterates in `ip route show` order: address ascending, longer prefix first', () => {
    // The order Linux 6.18 printed for these routes.
    const t = new LpmTable<string>()
    for (const s of ['10.0.0.0/8', '10.0.0.0/24', '10.0.0.0/16', '9.0.0.0/8', '10.0.0.0/32', '0.0.0.0/1', 'default', '10.128.0.0/9', '10.1.1.0/24']) {
      t.insert(P(s), s)
    }
    expect(t.entries().map((e) => formatPrefix(e.prefix))).toEqual([
      '0.0.0.0/1', '0.0.0.0/0', '9.0.0.0/8', '10.0.0.0', '10.0.0.0/24', '10.0.0.0/16', '10.0.0.0/8', '10.1.1.0/24', '10.128.0.0/9',
    ])
    expect([...t].length).toBe(9)
    t.clear()
    expect(t.size).toBe(0)
    expect(t.entries()).toEqual([])
  })

  it('agrees with a linear scan', () => {
    const arbPrefix = fc.record({ addr: fc.integer({ min: 0, max: 0xffff_ffff }), len: fc.integer({ min: 0, max: 32 }) })
    // Addresses near the inserted prefixes so matches are common.
    fc.assert(fc.property(fc.array(arbPrefix, { maxLength: 40 }), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }),
      (prefixes, probes, deletions) => {
        const t = new LpmTable<number>()
        const ref = new Map<string, { p: Prefix; v: number }>()
        prefixes.forEach((p, i) => {
          t.insert(p, i)
          const net = { addr: (p.addr & prefixMask(p.len)) >>> 0, len: p.len }
          ref.set(`${net.addr}/${net.len}`, { p: net, v: i })
        })
        for (const d of deletions) {
          if (prefixes.length === 0) break
          const p = prefixes[d % prefixes.length]
          const net = { addr: (p.addr & prefixMask(p.len)) >>> 0, len: p.len }
          expect(t.delete(p)).toBe(ref.delete(`${net.addr}/${net.len}`))
        }
        expect(t.size).toBe(ref.size)
        for (const n of probes) {
          const base = prefixes.length > 0 ? prefixes[n % prefixes.length].addr : 0
          const probe = (base ^ (n & 0xffff)) >>> 0
          let best: { p: Prefix; v: number } | undefined
          for (const e of ref.values()) if (prefixContains(e.p, probe) && (best === undefined || e.p.len > best.p.len)) best = e
          expect(t.lookup(probe)).toBe(best?.v)
        }
      }))
  })
})
