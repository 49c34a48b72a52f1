import { describe, expect, it } from 'vitest'
import { createHandlers, LabService } from '../ipc/handlers.ts'
import { configSnapshot } from '../lab/snapshot.ts'

// Underlays built by hand from an empty cluster, with the lab commands the canvas's palette and
// wiring issue: switches, routers, links; and what the cluster's routing makes of them.

async function emptyLab() {
  const service = new LabService(null)
  const h = createHandlers(service)
  await h.newLab({ scenario: 'empty' })
  const run = async (line: string) => {
    const r = await h.exec({ line })
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`)
    return r
  }
  const routes = async (ns: string) => (await h.exec({ line: 'ip route', netns: ns })).stdout
  return { h, service, run, routes }
}

describe('an underlay built by hand', () => {
  it('an empty cluster has nothing in it, and a 0-node lab of any scenario is allowed', async () => {
    const { h } = await emptyLab()
    const s = await h.getState()
    expect(s.topology.namespaces).toEqual([])
    expect(s.topology.mode).toBe('routes')
    const routed = await h.newLab({ scenario: 'routed', nodes: 0 })
    expect(routed.topology.namespaces.map((n) => n.name)).toEqual(['underlay'])
  })

  it('builds walkthrough 2 from nothing: a switch, two nodes wired to it, pods, and pod1 reaches pod4', async () => {
    const { h, run, routes } = await emptyLab()
    await run('podnet switch add lan')
    await run('podnet node add node1 --unwired')
    await run('podnet node add node2 --switch lan')
    // node1 is not on the underlay yet: no address, no routes to it.
    expect(await routes('node2')).not.toContain('10.244.1.0/24')
    await run('podnet link add node1 lan')
    for (const [pod, node] of [['pod1', 'node1'], ['pod2', 'node1'], ['pod3', 'node2'], ['pod4', 'node2']]) await run(`podnet pod add ${pod} --node ${node}`)
    const s = await h.getState()
    const addr = (ns: string) => s.topology.namespaces.find((n) => n.name === ns)!.devices.find((d) => d.name === 'eth0')!.addresses[0]
    expect([addr('node1'), addr('node2')]).toEqual(['192.168.0.12/24', '192.168.0.11/24'])
    expect(s.topology.namespaces.find((n) => n.name === 'lan')?.role).toBe('switch')
    expect(await routes('node1')).toContain('10.244.2.0/24 via 192.168.0.11 dev eth0')
    expect(await routes('node2')).toContain('10.244.1.0/24 via 192.168.0.12 dev eth0')
    const t = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(t.delivered).toBe(true)
    // Every step was one change of the history, and the saved lab replays to the same network.
    expect(s.history).toHaveLength(8)
  })

  it('builds two segments behind a router: host-gw cannot route across it, VXLAN can', async () => {
    const { h, run, routes } = await emptyLab()
    await run('podnet switch add lan1')
    await run('podnet switch add lan2 --cidr 192.168.7.0/24')
    await run('podnet router add r1')
    await run('podnet link add r1 lan1')
    await run('podnet link add lan2 r1')
    await run('podnet node add node1 --switch lan1')
    await run('podnet node add node2 --switch lan2')
    await run('podnet pod add pod1 --node node1')
    await run('podnet pod add pod2 --node node2')
    // The router is each segment's gateway, at .1 of each.
    expect(await routes('node1')).toContain('default via 192.168.0.1 dev eth0')
    expect(await routes('node2')).toContain('default via 192.168.7.1 dev eth0')
    expect(await routes('r1')).toMatch(/192\.168\.0\.0\/24 dev eth0 .*\n192\.168\.7\.0\/24 dev eth1/)
    // Routes on every node need the other node on the same segment: they cannot be added.
    expect((await h.trace({ from: 'pod1', to: 'pod2' })).delivered).toBe(false)
    await run('podnet cluster mode flannel-host-gw')
    expect((await h.getState()).topology.events.some((e) => e.msg === 'control.route_failed')).toBe(true)
    expect((await h.trace({ from: 'pod1', to: 'pod2' })).delivered).toBe(false)
    await run('podnet cluster mode flannel-vxlan')
    const t = await h.trace({ from: 'pod1', to: 'pod2' })
    expect(t.delivered).toBe(true)
    expect(t.steps.some((s) => s.device === 'flannel.1')).toBe(true)
    // In cloud-routes mode the router holds a route per node.
    await run('podnet cluster mode cloud-routes')
    expect(await routes('r1')).toContain('10.244.1.0/24 via 192.168.0.11 dev eth0')
    expect(await routes('r1')).toContain('10.244.2.0/24 via 192.168.7.11 dev eth1')
    expect((await h.trace({ from: 'pod1', to: 'pod2' })).delivered).toBe(true)
  })

  it('a node wired straight to a router gets a /24 of its own, as in the routed underlay', async () => {
    const { run, routes } = await emptyLab()
    await run('podnet router add edge')
    await run('podnet node add node1 --router edge')
    expect(await routes('node1')).toContain('default via 192.168.0.1 dev eth0')
    expect(await routes('edge')).toContain('192.168.0.0/24 dev to-node1 proto kernel scope link src 192.168.0.1')
  })

  it('unwiring a node takes away what the cluster programmed for it, and wiring it again brings it back', async () => {
    const { h, run, routes } = await emptyLab()
    await run('podnet switch add lan')
    for (const n of ['node1', 'node2']) await run(`podnet node add ${n} --switch lan`)
    await run('podnet pod add pod1 --node node1')
    await run('podnet pod add pod2 --node node2')
    await run('podnet link del node2 lan')
    expect(await routes('node1')).not.toContain('10.244.2.0/24')
    expect((await h.getState()).topology.namespaces.find((n) => n.name === 'node2')!.devices.some((d) => d.name === 'eth0')).toBe(false)
    expect((await h.trace({ from: 'pod1', to: 'pod2' })).delivered).toBe(false)
    await run('podnet link add lan node2')
    expect(await routes('node1')).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect((await h.trace({ from: 'pod1', to: 'pod2' })).delivered).toBe(true)
  })

  it('deletes several things in one change, and undo brings them all back', async () => {
    const { h, run, service } = await emptyLab()
    await run('podnet switch add lan')
    await run('podnet router add r1')
    await run('podnet link add r1 lan')
    await run('podnet node add node1 --switch lan')
    await run('podnet pod add pod1 --node node1')
    // Undo rebuilds the configuration; simulated time goes on, so the clock is left out.
    const config = () => JSON.stringify({ ...configSnapshot(service.session.world), clockNs: 0 })
    const before = config()
    await run('podnet delete pod1 lan r1')
    const names = (await h.getState()).topology.namespaces.map((n) => n.name)
    expect(names).toEqual(['node1'])
    // node1 lost its uplink with the switch.
    expect((await h.getState()).topology.namespaces[0].devices.some((d) => d.name === 'eth0')).toBe(false)
    await h.undo()
    expect(config()).toBe(before)
  })

  it('refuses wiring that makes no sense, saying why, and changes nothing', async () => {
    const { h, run, service } = await emptyLab()
    await run('podnet switch add a')
    await run('podnet switch add b')
    await run('podnet router add r')
    await run('podnet node add n1 --switch a')
    await run('podnet pod add p1 --node n1')
    const before = JSON.stringify(configSnapshot(service.session.world))
    const err = async (line: string) => (await h.exec({ line })).stderr
    expect(await err('podnet link add a b')).toBe('podnet: a and b are both switches: join two switches through a router\n')
    expect(await err('podnet link add p1 b')).toBe("podnet: p1 is a pod: a pod is wired to its node's bridge by the CNI plugin\n")
    expect(await err('podnet link add n1 b')).toBe('podnet: n1 is already wired to a; remove that link first\n')
    expect(await err('podnet link del n1 b')).toBe('podnet: n1 and b are not wired to each other\n')
    expect(await err('podnet switch add c --cidr 10.244.3.0/24')).toBe('podnet: 10.244.3.0/24 overlaps the cluster CIDR 10.244.0.0/16\n')
    expect(await err('podnet delete p1 nothing')).toBe('podnet: no namespace named "nothing"\n')
    expect(JSON.stringify(configSnapshot(service.session.world))).toBe(before)
    expect((await h.getState()).history).toHaveLength(5)
  })
})
