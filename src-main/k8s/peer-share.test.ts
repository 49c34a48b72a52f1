import { describe, expect, it } from 'vitest'
import { parseIpv4 } from '../engine/addr/ipv4.ts'
import { formatMac, parseMac } from '../engine/addr/mac.ts'
import { run } from '../engine/commands/index.ts'
import { PeerSet, type VxlanPeer } from '../engine/kernel/peer-set.ts'
import type { VxlanDevice } from '../engine/kernel/vxlan.ts'
import { World } from '../engine/kernel/world.ts'
import { Cluster } from './cluster.ts'
import { Ops } from './ops.ts'
import { scenarioSpec } from './scenarios.ts'

const ip = (s: string): number => parseIpv4(s)!

/** Eight flannel leases, 10.244.K.0/24 behind 192.168.0.(10 + K); the node's own is K = 1. */
const PEERS: VxlanPeer[] = Array.from({ length: 8 }, (_, k) => ({
  subnet: ip(`10.244.${k}.0`),
  len: 24,
  vtepMac: parseMac(`0e:00:00:00:00:0${k}`)!,
  publicIp: ip(`192.168.0.${10 + k}`),
}))
const SELF = 1

/**
 * Two namespaces set up alike, `shared` and `single`, each with `before` run in it: `shared`
 * gets every peer but its own at once (Ops.programPeers, its tables sharing the set where they
 * can), `single` one after the other (Ops.programPeer). Every command must answer alike in both.
 */
function twins(before: string[] = []): { world: World; same: (line: string) => string; flannel: (ns: string) => VxlanDevice; errors: unknown } {
  const world = new World({ seed: 1 })
  const ops = new Ops(world)
  const set = PeerSet.of(PEERS)!
  let errors: unknown = []
  for (const name of ['shared', 'single']) {
    ops.netnsAdd(name)
    ops.bridge(name, 'eth0', parseMac('02:00:00:00:00:01')!)
    ops.addr(name, 'eth0', ip('192.168.0.11'), 24)
    ops.up(name, 'eth0')
    ops.vxlan(name, 'flannel.1', parseMac('0e:00:00:00:00:01')!, 1, ip('192.168.0.11'), 'eth0', 8472, 1450)
    ops.addr(name, 'flannel.1', ip('10.244.1.0'), 32)
    ops.up(name, 'flannel.1')
    for (const line of before) expect(run(world, `ip -n ${name} ${line}`).exitCode).toBe(0)
    if (name === 'shared') {
      const got = ops.programPeers(name, 'flannel.1', set, SELF)
      errors = got === null ? [] : [...got]
    } else {
      const got: [number, unknown][] = []
      PEERS.forEach((p, k) => {
        if (k === SELF) return
        const e = ops.programPeer(name, 'flannel.1', p)
        if (e !== null) got.push([k, e])
      })
      expect(got).toEqual(errors)
    }
  }
  const answer = (ns: string, line: string): string => {
    const r = run(world, line.replace(/^(ip|bridge) /, `$1 -n ${ns} `))
    return `${r.exitCode}\n${r.stdout}${r.stderr}`
  }
  const same = (line: string): string => {
    const a = answer('shared', line)
    expect(a).toBe(answer('single', line))
    return a
  }
  return { world, same, flannel: (ns) => world.netns(ns)!.dev('flannel.1') as VxlanDevice, errors }
}

const LISTINGS = ['ip route show table all', 'ip -d route show', 'ip neigh show', 'ip -s neigh show', 'bridge fdb show', 'bridge fdb show dev flannel.1', 'ip route get 10.244.5.7', 'ip neigh show 10.244.3.0 dev flannel.1']

describe('flannel peers shared between nodes', () => {
  it('answers every listing as peers programmed one by one do, the tables put in only when read', () => {
    const { world, same, flannel } = twins()
    const ns = world.netns('shared')!
    expect([ns.main.sharesPeers, ns.neigh.sharesPeers, flannel('shared').sharesPeers]).toEqual([true, true, true])
    expect(ns.main.size).toBe(world.netns('single')!.main.size)
    expect(flannel('shared').fdbVersion).toBe(flannel('single').fdbVersion)
    // Reads that need none of them leave them shared; the FDB's own lookups and the view's walk read them where they are.
    expect(same('ip route get 192.168.0.20')).toContain('dev eth0')
    expect(flannel('shared').lookup(PEERS[4].vtepMac)).toEqual(flannel('single').lookup(PEERS[4].vtepMac))
    expect(flannel('shared').lookup(PEERS[SELF].vtepMac)).toBeUndefined()
    expect([...flannel('shared').fdbValues()]).toEqual([...flannel('single').fdb.values()])
    expect([ns.main.sharesPeers, ns.neigh.sharesPeers, flannel('shared').sharesPeers]).toEqual([true, true, true])
    expect(same('ip route show')).toContain('10.244.7.0/24 via 10.244.7.0 dev flannel.1 onlink')
    expect(ns.main.sharesPeers).toBe(false)
    expect(same('ip neigh show')).toContain('10.244.0.0 dev flannel.1 lladdr 0e:00:00:00:00:00 PERMANENT')
    expect(ns.neigh.sharesPeers).toBe(false)
    expect(same('bridge fdb show dev flannel.1')).toContain(`${formatMac(PEERS[2].vtepMac)} dst 192.168.0.12 self permanent`)
    expect(flannel('shared').sharesPeers).toBe(false)
    for (const line of LISTINGS) same(line)
  })

  // Each change made first, to tables still shared (copy on write), then everything listed.
  const CHANGES = [
    ['ip route del 10.244.5.0/24', 'ip route del 10.244.5.0/24'],
    ['ip route replace 10.244.6.0/24 via 192.168.0.16 dev eth0', 'ip route add 10.244.6.0/24 via 10.244.6.0 dev flannel.1 onlink metric 5'],
    ['ip route add 10.244.8.0/24 via 10.244.8.0 dev flannel.1 onlink', 'ip route add 10.244.0.0/16 dev eth0'],
    ['ip neigh del 10.244.4.0 dev flannel.1', 'ip neigh show'],
    ['ip neigh replace 10.244.2.0 lladdr 0e:00:00:00:00:09 dev flannel.1 nud permanent', 'ip neigh add 10.244.9.9 lladdr 0e:00:00:00:00:0a dev flannel.1'],
    ['bridge fdb del 0e:00:00:00:00:03 dev flannel.1', 'bridge fdb show'],
    ['bridge fdb append 0e:00:00:00:00:03 dev flannel.1 dst 192.168.0.99', 'bridge fdb replace 0e:00:00:00:00:00 dev flannel.1 dst 192.168.0.98'],
    ['link set flannel.1 down', 'link set flannel.1 up'],
    ['link del flannel.1', 'route show'],
    ['addr flush dev eth0', 'route show'],
  ]
  it.each(CHANGES)('changes the tables as peers programmed one by one: %s, then %s', (first, then) => {
    const { same } = twins()
    same(first.startsWith('bridge') ? first : `ip ${first.replace(/^ip /, '')}`)
    same(then.startsWith('bridge') ? then : `ip ${then.replace(/^ip /, '')}`)
    for (const line of LISTINGS) same(line)
  })

  it('programs peer by peer what cannot be shared, with the same answers', () => {
    // A route at a peer's prefix, a neighbour on flannel.1 and an address that is a peer's subnet.
    const { world, same, flannel, errors } = twins(['route add 10.244.3.0/24 dev eth0', 'neigh add 10.244.9.9 lladdr 0e:00:00:00:00:0a dev flannel.1', 'addr add 10.244.6.0/32 dev eth0'])
    const ns = world.netns('shared')!
    expect([ns.main.sharesPeers, ns.neigh.sharesPeers, flannel('shared').sharesPeers]).toEqual([false, false, true])
    expect(errors).toEqual([[6, { neigh: null, fdb: null, route: 'Nexthop has invalid gateway' }]])
    for (const line of LISTINGS) same(line)
  })

  it('makes no set of peers that would clash', () => {
    expect(PeerSet.of(PEERS)).not.toBeNull()
    expect(PeerSet.of([...PEERS, { ...PEERS[2], vtepMac: parseMac('0e:00:00:00:00:0f')! }])).toBeNull()
    expect(PeerSet.of([...PEERS, { ...PEERS[2], subnet: ip('10.244.99.0') }])).toBeNull()
    expect(PeerSet.of([...PEERS, { subnet: ip('10.245.0.0'), len: 16, vtepMac: parseMac('0e:00:00:00:00:0f')!, publicIp: ip('192.168.0.50') }])).toBeNull()
    expect(PeerSet.of([...PEERS, { subnet: ip('10.244.99.1'), len: 24, vtepMac: parseMac('0e:00:00:00:00:0f')!, publicIp: ip('192.168.0.50') }])).toBeNull()
    expect(PeerSet.of([])).toBeNull()
  })

  it('is what a flannel-vxlan build gives every node, a ping through the overlay reading it', () => {
    const world = new World({ seed: 1 })
    new Cluster(world, scenarioSpec('flannel-vxlan', 5, 1)).build()
    for (let i = 1; i <= 5; i++) {
      const ns = world.netns(`node${i}`)!
      expect([ns.main.sharesPeers, ns.neigh.sharesPeers, (ns.dev('flannel.1') as VxlanDevice).sharesPeers]).toEqual([true, true, true])
    }
    const r = run(world, 'ip netns exec pod1 ping -c 1 -W 1 10.244.4.2')
    expect(r.stdout).toContain('1 received')
    expect(run(world, 'ip -n node3 route show').stdout).toContain('10.244.5.0/24 via 10.244.5.0 dev flannel.1 onlink')
    expect(run(world, 'ip -n node3 neigh show dev flannel.1').stdout.trim().split('\n')).toHaveLength(4)
  })
})
