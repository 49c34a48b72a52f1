import { describe, expect, it } from 'vitest'
import { World } from './world.ts'
import { run } from '../commands/index.ts'
import { Cluster } from '../../k8s/cluster.ts'
import { scenarioSpec } from '../../k8s/scenarios.ts'

/**
 * The packet path caches route decisions (route.ts) while nothing a lookup reads has changed:
 * every kind of change between two pings of the same flow must show in the second.
 */
describe('route cache', () => {
  const ping = (w: World): string => run(w, 'ip netns exec pod1 ping -c 1 -W 1 10.244.2.3').stdout
  const ok = (w: World, line: string): void => {
    const r = run(w, line)
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`)
  }

  for (const mode of ['routed', 'flannel-vxlan']) {
    it(`follows route, sysctl, device and address changes between packets of one flow (${mode})`, () => {
      const w = new World({ seed: 1 })
      new Cluster(w, scenarioSpec(mode, 2, 2)).build()
      expect(ping(w)).toContain('1 received')
      expect(ping(w)).toContain('1 received')
      // A forwarding node loses its route to the other node's pods (input decision on cbr0).
      const saved = run(w, 'ip -n node1 route show 10.244.2.0/24').stdout.trim()
      ok(w, 'ip -n node1 route del 10.244.2.0/24')
      expect(ping(w)).toMatch(/Destination Net Unreachable|0 received/)
      ok(w, `ip -n node1 route add ${saved}`)
      expect(ping(w)).toContain('1 received')
      // Forwarding turned off and on again.
      ok(w, 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=0')
      expect(ping(w)).toContain('0 received')
      ok(w, 'ip netns exec node2 sysctl -qw net.ipv4.ip_forward=1')
      expect(ping(w)).toContain('1 received')
      // The sender's own default route (its output route).
      ok(w, 'ip -n pod1 route del default')
      expect(run(w, 'ip netns exec pod1 ping -c 1 -W 1 10.244.2.3').stderr).toContain('Network is unreachable')
      ok(w, 'ip -n pod1 route add default via 10.244.1.1 dev eth0')
      expect(ping(w)).toContain('1 received')
      // The receiving pod's address goes: the reply's source and the delivery change.
      ok(w, 'ip -n pod4 addr del 10.244.2.3/24 dev eth0')
      expect(ping(w)).toContain('0 received')
      ok(w, 'ip -n pod4 addr add 10.244.2.3/24 dev eth0')
      ok(w, 'ip -n pod4 route add default via 10.244.2.1 dev eth0')
      expect(ping(w)).toContain('1 received')
      // A device on the path down and up again.
      ok(w, 'ip -n node1 link set cbr0 down')
      expect(ping(w)).toContain('0 received')
      ok(w, 'ip -n node1 link set cbr0 up')
      expect(ping(w)).toContain('1 received')
    })
  }
})
