import { describe, expect, it } from 'vitest'
import { run } from '../../src-main/engine/commands/index.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { Cluster } from '../../src-main/k8s/cluster.ts'
import { MAX_NODES } from '../../src-main/k8s/limits.ts'
import { scenarioSpec } from '../../src-main/k8s/scenarios.ts'
import { macFor } from '../../src-main/k8s/ids.ts'
import { formatMac } from '../../src-main/engine/addr/mac.ts'

describe('scenarios up to the largest lab', () => {
  it('plans addresses for 1,000 nodes and keeps the defaults for small clusters', () => {
    const big = scenarioSpec('flannel-vxlan', MAX_NODES, 30)
    expect(big.clusterCidr).toBe('10.244.0.0/14')
    expect(big.underlay.cidr).toBe('192.168.0.0/22')
    expect(big.nodes).toHaveLength(1000)
    expect(new Set(big.nodes.flatMap((n) => n.pods.map((p) => p.name))).size).toBe(30_000)
    const small = scenarioSpec('flannel-vxlan', 244, 1)
    expect([small.clusterCidr, small.underlay.cidr]).toEqual(['10.244.0.0/16', '192.168.0.0/24'])
    expect(scenarioSpec('routed', 245, 0).underlay.cidr).toBe('192.168.0.0/22')
    expect(scenarioSpec('routed', 257, 0).clusterCidr).toBe('10.244.0.0/14')
  })

  it('builds a cluster past 256 nodes whose far nodes are reached across the wider plan', () => {
    const world = new World({ seed: 1 })
    new Cluster(world, scenarioSpec('routed', 300, 1)).build()
    // Node addresses count on from 192.168.0.11 past the /24 the defaults would have ended at.
    expect(run(world, 'ip -n node300 -br -4 addr show dev eth0').stdout).toMatch(/^eth0@if\d+ +UP +192\.168\.1\.54\/22 \n$/)
    expect(run(world, 'ip -n node1 route show 10.245.44.0/24').stdout).toBe('10.245.44.0/24 via 192.168.1.54 dev eth0 \n')
    const ping = run(world, 'ip netns exec pod1 ping -c 1 -W 1 10.245.44.2')
    expect(ping.stdout).toContain('1 packets transmitted, 1 received, 0% packet loss')
  })
})

describe("flanneld's records of its peers", () => {
  it('counts and renders the three lines of each vxlan peer in the order they were applied', () => {
    const cluster = new Cluster(new World({ seed: 1 }), scenarioSpec('flannel-vxlan', 3, 0))
    cluster.build()
    const count = cluster.ops.lineCount
    const lines = cluster.ops.lines
    expect(lines).toHaveLength(count)
    const node3 = lines.filter((l) => l.includes('{ns:node3}') && /neigh replace|fdb replace|route replace/.test(l))
    const vtep = (node: string): string => formatMac(macFor(`${node}/flannel.1`))
    expect(node3).toEqual([1, 2].flatMap((i) => [
      `ip -n {ns:node3} neigh replace 10.244.${i}.0 lladdr ${vtep(`node${i}`)} dev flannel.1 nud permanent`,
      `bridge -n {ns:node3} fdb replace ${vtep(`node${i}`)} dev flannel.1 dst 192.168.0.${10 + i} self permanent`,
      `ip -n {ns:node3} route replace 10.244.${i}.0/24 via 10.244.${i}.0 dev flannel.1 onlink`,
    ]))
  })
})
