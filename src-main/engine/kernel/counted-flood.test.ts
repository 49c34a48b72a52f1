import { describe, expect, it } from 'vitest'
import { World } from './world.ts'
import { Cluster } from '../../k8s/cluster.ts'
import { scenarioSpec } from '../../k8s/scenarios.ts'
import { run } from '../commands/index.ts'
import { NS_PER_SEC } from './scheduler.ts'

/** Every device's counters, as `ip -s link` reads them. */
function counters(world: World): string[] {
  const out: string[] = []
  for (const ns of [world.root, ...world.namespaces.values()]) for (const d of ns.deviceList()) out.push(`${ns.name} ${d.name} ${JSON.stringify(d.stats)}`)
  return out
}

/**
 * A lab's first seconds (IPv6 DAD, MLD and router solicitations flooded through every bridge),
 * with a link taken down, a pod added and counters read along the way (or not). `portByPort`
 * delivers every flooded frame port by port, which is what the counted floods must add up to.
 */
function settle(portByPort: boolean, readAlong: boolean): { stats: string[]; link: string } {
  const world = new World({ seed: 3, floodPortByPort: portByPort })
  const cluster = new Cluster(world, scenarioSpec('flannel-vxlan', 4, 3))
  cluster.build()
  const step = (s: number): void => {
    for (let i = 0; i < 10; i++) {
      world.advance((s * NS_PER_SEC) / 10)
      if (readAlong) counters(world)
    }
  }
  step(1)
  expect(run(world, 'ip -n node2 link set eth0 down').exitCode).toBe(0)
  step(1)
  cluster.addPod('node3', { name: 'podx' })
  step(2)
  expect(run(world, 'ip -n node2 link set eth0 up').exitCode).toBe(0)
  step(3)
  return { stats: counters(world), link: run(world, 'ip -n underlay -s link show').stdout }
}

describe('floods counted once per flood', () => {
  it('give every device the counters that delivering each frame port by port gives', () => {
    const byPort = settle(true, false)
    const counted = settle(false, false)
    expect(counted.stats).toEqual(byPort.stats)
    expect(counted.link).toBe(byPort.link)
    // The underlay switch floods each node's IPv6 chatter to the other nodes' ports.
    expect(counted.link).toMatch(/to-node1@if\d+: [^\n]*\n[^\n]*\n\s+RX:[^\n]*\n\s+\d+\s+[1-9]\d*/)
  })

  it('are the same however often counters are read in between', () => {
    expect(settle(false, true).stats).toEqual(settle(false, false).stats)
  })
})
