import { describe, expect, it } from 'vitest'
import { parseIpv4 } from '../addr/ipv4.ts'
import { Nud, type Neighbour } from './neigh.ts'
import type { Netns } from './netns.ts'
import { addBridge } from './rtnl.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { World } from './world.ts'

const ip = (s: string): number => parseIpv4(s)!
const ADMIN = { override: true, admin: true }

/** An entry without its device (another object in each namespace), for comparing. */
const plain = (n: Neighbour | undefined): unknown => (n === undefined ? undefined : { ...n, dev: n.dev.name })

/**
 * Two namespaces given the same permanent entries as flanneld programs them, one keeping them
 * compact, one as objects: every reader must see the same table.
 */
function pair(): { world: World; nss: [Netns, Netns]; program: (addr: string, mac: number) => void } {
  const world = new World({ seed: 1 })
  const nss: [Netns, Netns] = [world.addNetns('compact'), world.addNetns('plain')]
  for (const ns of nss) ns.setUp(addBridge(ns, 'br0', {}), true)
  const program = (addr: string, mac: number): void => {
    nss.forEach((ns, i) => {
      const t = ns.neigh
      const d = ns.dev('br0')!
      const n = t.lookup(d, ip(addr)) ?? t.create(d, ip(addr))
      t.update(n, mac, Nud.Permanent, ADMIN)
      if (i === 0) t.compactPermanent(n)
    })
  }
  return { world, nss, program }
}

describe('NeighTable: compact permanent entries', () => {
  it('answers lookups and listings as entries held as objects do, one object per entry', () => {
    const { world, nss, program } = pair()
    world.advance(2 * NS_PER_SEC)
    for (let i = 0; i < 30; i++) program(`10.244.${i}.0`, 0x02_00_00_00_10_00 + i)
    world.advance(NS_PER_SEC)
    // Made at another instant: kept as an object (one instant per device).
    program('10.244.99.0', 0x02_00_00_00_20_00)
    const [c, p] = nss.map((ns) => ns.neigh)
    const [dc, dp] = nss.map((ns) => ns.dev('br0')!)
    const one = c.lookup(dc, ip('10.244.4.0'))
    expect(plain(one)).toEqual(plain(p.lookup(dp, ip('10.244.4.0'))))
    expect(c.lookup(dc, ip('10.244.4.0'))).toBe(one)
    const all = c.entries()
    expect(all.map(plain)).toEqual(p.entries().map(plain))
    c.entries().forEach((n, i) => expect(n).toBe(all[i]))
    expect(all[4]).toBe(one)
  })

  it('changes, removes and flushes compact entries as objects', () => {
    const { world, nss, program } = pair()
    for (let i = 0; i < 10; i++) program(`10.1.${i}.0`, 0x02_00_00_00_30_00 + i)
    world.advance(NS_PER_SEC)
    program('10.1.3.0', 0x02_00_00_00_40_00) // replaced at a later instant
    for (const ns of nss) {
      const d = ns.dev('br0')!
      ns.neigh.remove(ns.neigh.lookup(d, ip('10.1.5.0'))!)
      ns.neigh.flushDevice(d, true) // permanent entries stay
    }
    expect(nss[0].neigh.entries().map(plain)).toEqual(nss[1].neigh.entries().map(plain))
    expect(nss[0].neigh.entries()).toHaveLength(9)
    for (const ns of nss) ns.setUp(ns.dev('br0')!, false) // down: every entry goes
    expect(nss[0].neigh.entries()).toEqual([])
    expect(nss[1].neigh.entries()).toEqual([])
  })
})
