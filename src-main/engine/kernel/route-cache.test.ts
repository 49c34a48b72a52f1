import { describe, expect, it } from 'vitest'
import { World } from './world.ts'
import { run } from '../commands/index.ts'
import { Cluster } from '../../k8s/cluster.ts'
import { scenarioSpec } from '../../k8s/scenarios.ts'
import { parseIpv4 } from '../addr/ipv4.ts'
import { parseMac } from '../addr/mac.ts'
import { routingGen } from './fib.ts'
import { routeInput } from './route.ts'

/**
 * The packet path caches route decisions (route.ts) while nothing a lookup reads has changed.
 * Each test makes a decision, sees it held in the cache, changes one kind of thing and checks the
 * next decision (or packet) follows the change, and that it is what a lookup without the cache
 * gives. In flannel-vxlan 2 x 2: pod1 10.244.1.2 and pod2 10.244.1.3 on node1 (cbr0 10.244.1.1,
 * flannel.1 10.244.1.0, eth0 192.168.0.11), pod3 and pod4 10.244.2.3 on node2 (192.168.0.12).
 */
describe('route cache', () => {
  const lab = (mode = 'flannel-vxlan'): World => {
    const w = new World({ seed: 1 })
    new Cluster(w, scenarioSpec(mode, 2, 2)).build()
    return w
  }
  const sh = (w: World, line: string): string => {
    const r = run(w, line)
    return r.stdout + r.stderr
  }
  const ok = (w: World, line: string): void => {
    const r = run(w, line)
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`)
  }
  const ping = (w: World, from: string, to: string, opts = ''): string => sh(w, `ip netns exec ${from} ping -c 1 -W 1 ${opts} ${to}`.replace(/ +/g, ' '))
  /** A decision asked twice (the second from the cache), the same as without the cache. */
  const decide = (w: World, line: string): string => {
    const first = sh(w, line)
    expect(sh(w, line)).toBe(first)
    routingGen.value++
    expect(sh(w, line)).toBe(first)
    return first.trim()
  }
  /** The output cache of ns holds a decision for daddr (from saddr) made since the last change. */
  const outputCached = (w: World, ns: string, daddr: string, saddr?: string): void => {
    const n = w.netns(ns)!
    expect(n.outputRoutes?.get(parseIpv4(daddr)!, saddr ? parseIpv4(saddr)! : 0, null) ?? null).not.toBeNull()
  }
  /** The input cache of dev in ns holds the decision for saddr -> daddr made since the last change. */
  const inputCached = (w: World, ns: string, dev: string, saddr: string, daddr: string): void => {
    const c = w.netns(ns)!.dev(dev)!.inputRoute
    expect(c).not.toBeNull()
    expect([c!.gen, c!.saddr, c!.daddr]).toEqual([routingGen.value, parseIpv4(saddr), parseIpv4(daddr)])
  }
  const getOut = 'ip -n node1 route get 10.244.2.3'
  const getIn = 'ip -n node1 route get 10.244.2.3 from 10.244.1.2 iif cbr0'

  for (const mode of ['routed', 'flannel-vxlan']) {
    it(`follows route, sysctl, device and address changes between packets of one flow (${mode})`, () => {
      const w = lab(mode)
      const ping4 = (): string => ping(w, 'pod1', '10.244.2.3')
      expect(ping4()).toContain('1 received')
      expect(ping4()).toContain('1 received')
      inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.244.2.3')
      outputCached(w, 'pod1', '10.244.2.3')
      // A forwarding node loses its route to the other node's pods (input decision on cbr0).
      const saved = sh(w, 'ip -n node1 route show 10.244.2.0/24').trim()
      ok(w, 'ip -n node1 route del 10.244.2.0/24')
      expect(ping4()).toMatch(/Destination Net Unreachable|0 received/)
      ok(w, `ip -n node1 route add ${saved}`)
      expect(ping4()).toContain('1 received')
      // Forwarding turned off and on again.
      ok(w, 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=0')
      expect(ping4()).toContain('0 received')
      ok(w, 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=1')
      expect(ping4()).toContain('1 received')
      // The sender's own default route (its output route).
      ok(w, 'ip -n pod1 route del default')
      expect(ping4()).toContain('Network is unreachable')
      ok(w, 'ip -n pod1 route add default via 10.244.1.1 dev eth0')
      expect(ping4()).toContain('1 received')
      // The receiving pod's address goes: the reply's source and the delivery change.
      ok(w, 'ip -n pod4 addr del 10.244.2.3/24 dev eth0')
      expect(ping4()).toContain('0 received')
      ok(w, 'ip -n pod4 addr add 10.244.2.3/24 dev eth0')
      ok(w, 'ip -n pod4 route add default via 10.244.2.1 dev eth0')
      expect(ping4()).toContain('1 received')
      // A device on the path down and up again.
      ok(w, 'ip -n node1 link set cbr0 down')
      expect(ping4()).toContain('0 received')
      ok(w, 'ip -n node1 link set cbr0 up')
      expect(ping4()).toContain('1 received')
    })
  }

  it('follows routes added, replaced and removed in the main, local and default tables', () => {
    const w = lab()
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 10\.244\.2\.0 dev flannel\.1 src 10\.244\.1\.0/)
    outputCached(w, 'node1', '10.244.2.3')
    expect(decide(w, getIn)).toMatch(/^10\.244\.2\.3 from 10\.244\.1\.2 via 10\.244\.2\.0 dev flannel\.1/)
    inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.244.2.3')
    // replace: another gateway and device for the same prefix.
    ok(w, 'ip -n node1 route replace 10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 192\.168\.0\.12 dev eth0 src 192\.168\.0\.11/)
    expect(decide(w, getIn)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    // A longer prefix wins; removed, the shorter one is back.
    ok(w, 'ip -n node1 route add 10.244.2.3/32 dev cbr0')
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 dev cbr0 src 10\.244\.1\.1/)
    ok(w, 'ip -n node1 route del 10.244.2.3/32 dev cbr0')
    expect(decide(w, getOut)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    // Route types that refuse.
    for (const [type, err] of [
      ['unreachable', 'No route to host'],
      ['prohibit', 'Permission denied'],
      ['blackhole', 'Invalid argument'],
    ]) {
      ok(w, `ip -n node1 route add ${type} 10.244.2.3/32`)
      expect(sh(w, getOut)).toContain(err)
      ok(w, `ip -n node1 route del ${type} 10.244.2.3/32`)
      expect(decide(w, getOut)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    }
    // throw in main: the lookup goes on to the default table.
    ok(w, 'ip -n node1 route add 10.244.2.0/25 via 10.244.2.0 dev flannel.1 onlink table default')
    expect(decide(w, getOut)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    ok(w, 'ip -n node1 route add throw 10.244.2.0/25')
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 10\.244\.2\.0 dev flannel\.1/)
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    ok(w, 'ip -n node1 route del throw 10.244.2.0/25')
    expect(decide(w, getOut)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    // A local route in the local table: the node takes the packet itself.
    ok(w, 'ip -n node1 route add local 10.244.2.3 dev lo table local')
    expect(decide(w, getIn)).toMatch(/^local 10\.244\.2\.3 from 10\.244\.1\.2 dev lo/)
    expect(decide(w, getOut)).toMatch(/^local 10\.244\.2\.3 dev lo/)
    ok(w, 'ip -n node1 route del local 10.244.2.3 dev lo table local')
    expect(decide(w, getIn)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    expect(decide(w, getOut)).toMatch(/via 192\.168\.0\.12 dev eth0/)
    // Flushed from main: the default table's route is left; flushed from there too: none.
    ok(w, 'ip -n node1 route flush 10.244.2.0/24')
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 10\.244\.2\.0 dev flannel\.1/)
    ok(w, 'ip -n node1 route flush table default')
    expect(sh(w, getOut)).toContain('Network is unreachable')
    expect(sh(w, getIn)).toContain('Network is unreachable')
  })

  it('follows a route flanneld adds for a node that joins', () => {
    const w = new World({ seed: 1 })
    const cluster = new Cluster(w, scenarioSpec('flannel-vxlan', 2, 2))
    cluster.build()
    ok(w, 'ip -n node1 route add default via 192.168.0.12 dev eth0')
    const get3 = 'ip -n node1 route get 10.244.3.2'
    expect(decide(w, get3)).toMatch(/^10\.244\.3\.2 via 192\.168\.0\.12 dev eth0/)
    outputCached(w, 'node1', '10.244.3.2')
    cluster.addNode({ name: 'node3', pods: [] })
    w.advance(5e9)
    expect(sh(w, 'ip -n node1 route show 10.244.3.0/24')).toContain('via 10.244.3.0 dev flannel.1 onlink')
    expect(decide(w, get3)).toMatch(/^10\.244\.3\.2 via 10\.244\.3\.0 dev flannel\.1/)
  })

  it('follows the route flanneld programs for a peer again, with nothing else changing', () => {
    const w = new World({ seed: 1 })
    const cluster = new Cluster(w, scenarioSpec('flannel-vxlan', 2, 2))
    cluster.build()
    const vtep = /lladdr (\S+)/.exec(sh(w, 'ip -n node1 neigh show 10.244.2.0 dev flannel.1'))![1]
    ok(w, 'ip -n node1 route del 10.244.2.0/24')
    ok(w, 'ip -n node1 route add default via 192.168.0.12 dev eth0')
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 192\.168\.0\.12 dev eth0/)
    outputCached(w, 'node1', '10.244.2.3')
    // flanneld's step for one peer (its neighbour and FDB entry are there already: only the route is new).
    const errors = cluster.ops.programPeer('node1', 'flannel.1', { subnet: parseIpv4('10.244.2.0')!, len: 24, vtepMac: parseMac(vtep)!, publicIp: parseIpv4('192.168.0.12')! })
    expect(errors).toBeNull()
    expect(decide(w, getOut)).toMatch(/^10\.244\.2\.3 via 10\.244\.2\.0 dev flannel\.1/)
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('1 received')
  })

  it('follows addresses added and removed, their flags and the source they give', () => {
    const w = lab()
    expect(decide(w, getOut)).toMatch(/src 10\.244\.1\.0/)
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    // The destination becomes one of the node's own addresses.
    ok(w, 'ip -n node1 addr add 10.244.2.3/32 dev lo')
    expect(decide(w, getIn)).toMatch(/^local 10\.244\.2\.3 from 10\.244\.1\.2 dev lo/)
    expect(decide(w, getOut)).toMatch(/^local 10\.244\.2\.3 dev lo/)
    expect(ping(w, 'pod1', '10.244.2.3')).toMatch(/1 received/)
    ok(w, 'ip -n node1 addr del 10.244.2.3/32 dev lo')
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    // An address without its prefix route, in the gateway's subnet: the source chosen changes.
    ok(w, 'ip -n node1 addr add 10.244.2.9/24 dev flannel.1 noprefixroute')
    expect(sh(w, 'ip -n node1 route show 10.244.2.0/24')).toContain('via 10.244.2.0 dev flannel.1 onlink')
    expect(decide(w, getOut)).toMatch(/via 10\.244\.2\.0 dev flannel\.1 src 10\.244\.2\.9/)
    ok(w, 'ip -n node1 addr del 10.244.2.9/24 dev flannel.1')
    expect(decide(w, getOut)).toMatch(/src 10\.244\.1\.0/)
    // A secondary address is not a source; deleting its primary takes it too.
    ok(w, 'ip -n node1 addr add 10.244.2.9/24 dev flannel.1 noprefixroute')
    ok(w, 'ip -n node1 addr add 10.244.2.10/24 dev flannel.1 noprefixroute')
    expect(decide(w, getOut)).toMatch(/src 10\.244\.2\.9/)
    ok(w, 'ip -n node1 addr del 10.244.2.9/24 dev flannel.1')
    expect(sh(w, 'ip -n node1 addr show dev flannel.1')).not.toContain('10.244.2.10')
    expect(decide(w, getOut)).toMatch(/src 10\.244\.1\.0/)
    // A source address that is ours only while it is configured.
    const from = 'ip -n node1 route get 10.244.2.3 from 10.244.1.77'
    expect(sh(w, from)).toContain('Network is unreachable')
    ok(w, 'ip -n node1 addr add 10.244.1.77/24 dev cbr0')
    expect(decide(w, from)).toMatch(/^10\.244\.2\.3 from 10\.244\.1\.77 via 10\.244\.2\.0 dev flannel\.1/)
    ok(w, 'ip -n node1 addr del 10.244.1.77/24 dev cbr0')
    expect(sh(w, from)).toContain('Network is unreachable')
  })

  it('follows links going down and up, MTU, bridge ports and carrier', () => {
    const w = lab()
    const vtep = /lladdr (\S+)/.exec(sh(w, 'ip -n node1 neigh show 10.244.2.0 dev flannel.1'))![1]
    const oif = 'ip -n node1 route get 10.244.2.3 oif flannel.1'
    expect(decide(w, oif)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    ok(w, 'ip -n node1 link set flannel.1 down')
    expect(sh(w, oif)).toContain('Network is unreachable')
    expect(sh(w, getIn)).toMatch(/No route to host|Network is unreachable/)
    ok(w, 'ip -n node1 link set flannel.1 up')
    expect(decide(w, oif)).toMatch(/^10\.244\.2\.3 dev flannel\.1/)
    // A host-scope route through a device without others: down, it stays but is unusable (no
    // route goes, only the device's state changes), and the next route is taken.
    const port = sh(w, 'ip -n node1 -o link show master cbr0').split('\n')[0].split(': ')[1].split('@')[0]
    ok(w, `ip -n node1 route add 10.244.2.3/32 dev ${port} scope host`)
    expect(decide(w, getOut)).toMatch(new RegExp(`^10\\.244\\.2\\.3 dev ${port}`))
    ok(w, `ip -n node1 link set ${port} down`)
    expect(sh(w, `ip -n node1 route show 10.244.2.3`)).toContain(`dev ${port} scope host`)
    expect(sh(w, getOut)).toContain('Network is unreachable')
    ok(w, `ip -n node1 link set ${port} up`)
    expect(decide(w, getOut)).toMatch(new RegExp(`^10\\.244\\.2\\.3 dev ${port}`))
    ok(w, `ip -n node1 route del 10.244.2.3/32 dev ${port} scope host`)
    // Down took flanneld's route and neighbour entry with it (as in the kernel): put back.
    ok(w, 'ip -n node1 route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink')
    ok(w, `ip -n node1 neigh replace 10.244.2.0 dev flannel.1 lladdr ${vtep} nud permanent`)
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('1 received')
    // The MTU of the device a forwarded packet leaves by.
    expect(ping(w, 'pod1', '10.244.2.3', '-s 1200 -M do')).toContain('1 received')
    ok(w, 'ip -n node1 link set flannel.1 mtu 1100')
    expect(ping(w, 'pod1', '10.244.2.3', '-s 1200 -M do')).toContain('Frag needed and DF set (mtu = 1100)')
    ok(w, 'ip -n node1 link set flannel.1 mtu 1450')
    ok(w, 'ip -n pod1 route flush cache')
    expect(ping(w, 'pod1', '10.244.2.3', '-s 1200 -M do')).toContain('1 received')
    // A bridge port leaves its bridge and comes back.
    ok(w, `ip -n node1 link set ${port} nomaster`)
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('0 received')
    ok(w, `ip -n node1 link set ${port} master cbr0`)
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('1 received')
    // The receiving pod's link down (its peer loses carrier) and up again.
    ok(w, 'ip -n pod4 link set eth0 down')
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('0 received')
    ok(w, 'ip -n pod4 link set eth0 up')
    ok(w, 'ip -n pod4 route add default via 10.244.2.1 dev eth0')
    expect(ping(w, 'pod1', '10.244.2.3')).toContain('1 received')
  })

  it('follows a device moved to another namespace and back', () => {
    const w = new World({ seed: 1 })
    for (const l of ['ip netns add a', 'ip netns add b', 'ip -n a link add d0 type veth peer name p0', 'ip -n a addr add 10.9.0.1/24 dev d0', 'ip -n a link set d0 up']) ok(w, l)
    ok(w, 'ip netns exec a sysctl -qw net.ipv4.ip_forward=1')
    expect(decide(w, 'ip -n a route get 10.9.0.1 from 10.9.0.5 iif d0')).toMatch(/^local 10\.9\.0\.1 from 10\.9\.0\.5 dev lo/)
    inputCached(w, 'a', 'd0', '10.9.0.5', '10.9.0.1')
    expect(decide(w, 'ip -n a route get 10.9.0.5')).toMatch(/^10\.9\.0\.5 dev d0 src 10\.9\.0\.1/)
    outputCached(w, 'a', '10.9.0.5')
    ok(w, 'ip -n a link set d0 netns b')
    expect(sh(w, 'ip -n a route get 10.9.0.5')).toContain('Network is unreachable')
    for (const l of ['ip -n b addr add 10.9.0.2/24 dev d0', 'ip -n b link set d0 up']) ok(w, l)
    expect(decide(w, 'ip -n b route get 10.9.0.5')).toMatch(/^10\.9\.0\.5 dev d0 src 10\.9\.0\.2/)
    // In b, 10.9.0.1 is not local and b does not forward.
    expect(sh(w, 'ip -n b route get 10.9.0.1 from 10.9.0.5 iif d0')).toContain('No route to host')
    ok(w, 'ip -n b link set d0 netns a')
    expect(sh(w, 'ip -n b route get 10.9.0.5')).toContain('Network is unreachable')
    expect(sh(w, 'ip -n a route get 10.9.0.5')).toContain('Network is unreachable')
    for (const l of ['ip -n a addr add 10.9.0.1/24 dev d0', 'ip -n a link set d0 up']) ok(w, l)
    expect(decide(w, 'ip -n a route get 10.9.0.5')).toMatch(/^10\.9\.0\.5 dev d0 src 10\.9\.0\.1/)
    // Renamed: the per-device sysctls go with the new name.
    ok(w, 'ip -n a route add 10.9.1.0/24 via 10.9.0.7 dev d0')
    const fwd = 'ip -n a route get 10.9.1.1 from 10.9.0.5 iif d1'
    ok(w, 'ip -n a link set d0 down')
    ok(w, 'ip -n a link set d0 name d1')
    ok(w, 'ip -n a link set d1 up')
    ok(w, 'ip -n a route add 10.9.1.0/24 via 10.9.0.7 dev d1')
    expect(decide(w, fwd)).toMatch(/^10\.9\.1\.1 from 10\.9\.0\.5 via 10\.9\.0\.7 dev d1/)
    ok(w, 'ip netns exec a sysctl -qw net.ipv4.conf.d1.forwarding=0')
    expect(decide(w, fwd)).toContain('No route to host')
  })

  it('follows forwarding, accept_local and send_redirects', () => {
    const w = lab()
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    // forwarding per device: the packet came in on cbr0.
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.cbr0.forwarding=0')
    expect(sh(w, getIn)).toContain('No route to host')
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.cbr0.forwarding=1')
    expect(decide(w, getIn)).toMatch(/via 10\.244\.2\.0 dev flannel\.1/)
    // A source that is one of the node's own addresses is a martian unless accept_local.
    const local = 'ip -n node1 route get 10.244.2.3 from 192.168.0.11 iif cbr0'
    expect(decide(w, local)).toContain('Invalid argument')
    // (The engine reads accept_local as conf.all's own value, which is conf.default's for a name
    // that is no device: the kernel would take conf.all or the receiving device's.)
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.default.accept_local=1')
    expect(decide(w, local)).toMatch(/^10\.244\.2\.3 from 192\.168\.0\.11 via 10\.244\.2\.0 dev flannel\.1/)
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.default.accept_local=0')
    expect(decide(w, local)).toContain('Invalid argument')
    // send_redirects: node1 forwards pod1's packet back out of cbr0 toward pod2.
    ok(w, 'ip -n node1 route add 10.99.0.0/24 via 10.244.1.3 dev cbr0')
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.all.send_redirects=0')
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.cbr0.send_redirects=0')
    expect(ping(w, 'pod1', '10.99.0.5')).not.toContain('Redirect')
    inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.99.0.5')
    ok(w, 'ip netns exec node1 sysctl -qw net.ipv4.conf.cbr0.send_redirects=1')
    expect(ping(w, 'pod1', '10.99.0.5')).toContain('Redirect Host(New nexthop: 10.244.1.3)')
  })

  it('follows a redirect accepted after the decision, and its expiry in simulated time', () => {
    const w = lab()
    // node1 sends what pod1 sends to 10.99.0.0/24 back out of cbr0, to pod2: it redirects pod1.
    ok(w, 'ip -n node1 route add 10.99.0.0/24 via 10.244.1.3 dev cbr0')
    // The flow of ping -I 10.244.1.2 (the redirect's own lookup for the quoted packet is the same).
    const get = 'ip -n pod1 route get 10.99.0.5 from 10.244.1.2'
    expect(decide(w, get)).toMatch(/^10\.99\.0\.5 from 10\.244\.1\.2 via 10\.244\.1\.1 dev eth0/)
    outputCached(w, 'pod1', '10.99.0.5', '10.244.1.2')
    expect(sh(w, 'ip netns exec pod1 ping -I 10.244.1.2 -c 2 -i 0.2 -W 1 10.99.0.5')).toContain('Redirect Host(New nexthop: 10.244.1.3)')
    // The decision made before the redirect is still the cache's; the exception changes it.
    outputCached(w, 'pod1', '10.99.0.5', '10.244.1.2')
    expect(decide(w, get)).toMatch(/^10\.99\.0\.5 from 10\.244\.1\.2 via 10\.244\.1\.3 dev eth0 .*\n\s*cache <redirected>/)
    // The next packet goes to pod2 directly: node1 does not see it to redirect it.
    expect(sh(w, 'ip netns exec pod1 ping -I 10.244.1.2 -c 1 -W 1 10.99.0.5')).not.toContain('Redirect')
    // The exception expires (ip_rt_gc_timeout, 300 s): back through node1, which redirects again.
    sh(w, get)
    outputCached(w, 'pod1', '10.99.0.5', '10.244.1.2')
    w.advance(301e9)
    expect(decide(w, get)).toMatch(/^10\.99\.0\.5 from 10\.244\.1\.2 via 10\.244\.1\.1 dev eth0/)
    expect(sh(w, 'ip netns exec pod1 ping -I 10.244.1.2 -c 1 -W 1 10.99.0.5')).toContain('Redirect Host(New nexthop: 10.244.1.3)')
    // Learned again, then flushed.
    sh(w, 'ip netns exec pod1 ping -I 10.244.1.2 -c 2 -i 0.2 -W 1 10.99.0.5')
    expect(decide(w, get)).toMatch(/via 10\.244\.1\.3 dev eth0/)
    outputCached(w, 'pod1', '10.99.0.5', '10.244.1.2')
    ok(w, 'ip -n pod1 route flush cache')
    expect(decide(w, get)).toMatch(/^10\.99\.0\.5 from 10\.244\.1\.2 via 10\.244\.1\.1 dev eth0/)
  })

  it('follows a redirect a forwarding node accepted for its own packets, in what it forwards', () => {
    const w = lab()
    // node2 sends node1's packets for 10.99.0.0/24 on to 192.168.0.13 (the underlay's address)
    // out of the device they came in by, and redirects node1, which accepts redirects here.
    for (const l of [
      'ip -n underlay addr add 192.168.0.13/24 dev br0',
      'ip -n node2 route add 10.99.0.0/24 via 192.168.0.13 dev eth0',
      'ip -n node1 route add 10.99.0.0/24 via 192.168.0.12 dev eth0',
      'ip netns exec node1 sysctl -qw net.ipv4.conf.all.accept_redirects=1',
    ])
      ok(w, l)
    const node1 = w.netns('node1')!
    const cbr0 = node1.dev('cbr0')!
    const nexthop = (): string => {
      const d = routeInput(node1, cbr0, parseIpv4('10.244.1.2')!, parseIpv4('10.99.0.5')!)
      return d.kind === 'forward' ? `${d.dev.name} ${d.nexthop === parseIpv4('192.168.0.13') ? '.13' : d.nexthop === parseIpv4('192.168.0.12') ? '.12' : d.nexthop}` : d.kind
    }
    expect(nexthop()).toBe('eth0 .12')
    inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.99.0.5')
    expect(sh(w, 'ip netns exec node1 ping -c 3 -i 0.3 -W 1 10.99.0.5')).toContain('Redirect Host(New nexthop: 192.168.0.13)')
    expect(sh(w, 'ip -n node1 route show cache')).toContain('10.99.0.5 via 192.168.0.13 dev eth0')
    // The decision cached before the redirect: its nexthop is the exception's now.
    inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.99.0.5')
    expect(nexthop()).toBe('eth0 .13')
    w.advance(301e9)
    inputCached(w, 'node1', 'cbr0', '10.244.1.2', '10.99.0.5')
    expect(nexthop()).toBe('eth0 .12')
  })

  it('follows a PMTU learned after the decision, and its expiry in simulated time', () => {
    const w = lab()
    const big = (): string => ping(w, 'pod1', '10.244.2.3', '-s 1300 -M do')
    expect(big()).toContain('1 received')
    outputCached(w, 'pod1', '10.244.2.3')
    ok(w, 'ip -n node2 link set cbr0 mtu 1200')
    expect(big()).toContain('Frag needed and DF set (mtu = 1200)')
    ok(w, 'ip -n node2 link set cbr0 mtu 1450')
    // pod1 keeps the path MTU it learned (its cached route unchanged) until it expires.
    expect(big()).toContain('local error: message too long, mtu=1200')
    expect(sh(w, 'ip -n pod1 route get 10.244.2.3')).toContain('mtu 1200')
    w.advance(601e9)
    expect(sh(w, 'ip -n pod1 route get 10.244.2.3')).not.toContain('mtu 1200')
    expect(big()).toContain('1 received')
  })

  it('follows neighbour and VXLAN FDB changes (read per packet, not cached)', () => {
    const w = lab()
    const ping4 = (): string => ping(w, 'pod1', '10.244.2.3')
    expect(ping4()).toContain('1 received')
    expect(ping4()).toContain('1 received')
    const neigh = sh(w, 'ip -n node1 neigh show 10.244.2.0 dev flannel.1').trim()
    const vtep = /lladdr (\S+)/.exec(neigh)![1]
    ok(w, 'ip -n node1 neigh replace 10.244.2.0 dev flannel.1 lladdr 02:00:00:00:00:01 nud permanent')
    expect(ping4()).toContain('0 received')
    ok(w, `ip -n node1 neigh replace 10.244.2.0 dev flannel.1 lladdr ${vtep} nud permanent`)
    expect(ping4()).toContain('1 received')
    // The FDB entry of node2's VTEP sends the outer packet to another underlay address.
    ok(w, `bridge -n node1 fdb replace ${vtep} dev flannel.1 dst 192.168.0.99`)
    expect(ping4()).toContain('0 received')
    ok(w, `bridge -n node1 fdb replace ${vtep} dev flannel.1 dst 192.168.0.12`)
    expect(ping4()).toContain('1 received')
  })
})
