import { describe, expect, it } from 'vitest'
import { parseIpv4 } from '../addr/ipv4.ts'
import { Scope } from './device.ts'
import { routeAdd } from './fib-ops.ts'
import { RT_TABLE_MAIN, type FibTable, type Route } from './fib.ts'
import { addBridge } from './rtnl.ts'
import { World } from './world.ts'

const ip = (s: string): number => parseIpv4(s)!

/**
 * Two namespaces given the same routes, one with flanneld's onlink routes held compact, one
 * without: every reader must see the same tables.
 */
function pair(): { tables: [FibTable, FibTable]; add: (dst: string, len: number, extra?: { gateway?: string; priority?: number; mode?: 'add' | 'replace' | 'append' }) => void } {
  const world = new World({ seed: 1 })
  const nss = [world.addNetns('compact'), world.addNetns('plain')]
  for (const ns of nss) {
    const d = addBridge(ns, 'br0', {})
    ns.setUp(d, true)
  }
  const add = (dst: string, len: number, extra: { gateway?: string; priority?: number; mode?: 'add' | 'replace' | 'append' } = {}): void => {
    nss.forEach((ns, i) => {
      const gw = ip(extra.gateway ?? dst)
      routeAdd(ns, { dst: ip(dst), len, gateway: gw, dev: ns.dev('br0')!, onlink: true, scope: Scope.Universe, priority: extra.priority }, extra.mode ?? 'replace', i === 0)
    })
  }
  return { tables: [nss[0].table(RT_TABLE_MAIN), nss[1].table(RT_TABLE_MAIN)], add }
}

/** A route without its device (another object in each namespace), for comparing. */
const plain = (r: Route | null): unknown => (r === null ? null : { ...r, dev: r.dev?.name })

describe('FibTable: compact routes', () => {
  it('answers every reader as a table of objects does, and hands out one object per route', () => {
    const { tables, add } = pair()
    for (let i = 0; i < 50; i++) add(`10.244.${i}.0`, 24)
    add('10.1.0.0', 16, { gateway: '10.1.0.9' }) // not compact: its gateway is not its prefix
    add('10.244.7.0', 24, { priority: 5, mode: 'append' }) // a second route at a compact prefix
    const [c, p] = tables
    expect(c.size).toBe(p.size)
    const first = c.exact(ip('10.244.3.0'), 24)
    expect(first.map(plain)).toEqual(p.exact(ip('10.244.3.0'), 24).map(plain))
    // The object read is the one every later reader gets.
    expect(c.exact(ip('10.244.3.0'), 24)[0]).toBe(first[0])
    expect(c.lookupUsable(ip('10.244.3.77'), 0, null)).toBe(first[0])
    expect(plain(c.lookupUsable(ip('10.244.9.1'), 0, null))).toEqual(plain(p.lookupUsable(ip('10.244.9.1'), 0, null)))
    expect(plain(c.lookup(ip('10.244.11.1'), () => true))).toEqual(plain(p.lookup(ip('10.244.11.1'), () => true)))
    expect(plain(c.lookupUsable(ip('10.1.2.3'), 0, null))).toEqual(plain(p.lookupUsable(ip('10.1.2.3'), 0, null)))
    expect(c.lookupUsable(ip('10.244.12.1'), Scope.Host, null)).toBeNull()
    expect(c.exact(ip('10.244.7.0'), 24).map(plain)).toEqual(p.exact(ip('10.244.7.0'), 24).map(plain))
    const all = c.routes()
    expect(all.map(plain)).toEqual(p.routes().map(plain))
    expect(c.routes()).toEqual(all)
    c.routes().forEach((r, i) => expect(r).toBe(all[i]))
  })

  it('removes, replaces and filters compact routes as objects', () => {
    const { tables, add } = pair()
    for (let i = 0; i < 20; i++) add(`10.244.${i}.0`, 24)
    const [c, p] = tables
    // A route never read: remove() of another object with its fields is not it (as for objects).
    const twin = { ...p.exact(ip('10.244.4.0'), 24)[0] }
    expect(c.remove(twin)).toBe(false)
    expect(c.remove(c.exact(ip('10.244.4.0'), 24)[0])).toBe(true)
    expect(p.remove(p.exact(ip('10.244.4.0'), 24)[0])).toBe(true)
    add('10.244.5.0', 24) // replace
    for (const t of tables) expect(t.removeWhere((r) => r.dst === ip('10.244.6.0') || r.dst === ip('10.244.8.0'))).toBe(2)
    expect(c.routes().map(plain)).toEqual(p.routes().map(plain))
    expect(c.size).toBe(17)
  })
})
