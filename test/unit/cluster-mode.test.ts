import { describe, expect, it } from 'vitest'
import { run } from '../../src-main/engine/commands/index.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { MODES, type Mode } from '../../src-main/k8s/spec.ts'
import { exportParts } from '../../src-main/lab/export-iproute2.ts'
import { commandLine } from '../../src-main/lab/format.ts'
import { instantiate } from '../../src-main/lab/lab.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { traceInLab } from '../../src-main/lab/trace-report.ts'

const SCENARIO: Record<Mode, string> = { routes: 'routed', 'cloud-routes': 'cloud-routes', 'flannel-vxlan': 'flannel-vxlan', 'flannel-host-gw': 'flannel-host-gw' }
const PAIRS = MODES.flatMap((a) => MODES.filter((b) => b !== a).map((b) => [a, b] as const))

/** What a mode programs between nodes, per namespace: pod-range routes, permanent neighbours, VXLAN FDBs, flannel.1. */
function interNode(world: World): Record<string, string> {
  const out: Record<string, string> = {}
  for (const ns of world.namespaces.values()) {
    const q = (line: string): string => run(world, line, ns, 0).stdout
    const routes = q('ip route show').split('\n').filter((l) => l.startsWith('10.244.') && !l.includes(' dev cbr0 ')).join('\n')
    const neigh = q('ip neigh show nud permanent')
    const flannel = ns.dev('flannel.1') ? q('ip -d link show flannel.1').replace(/^\d+:/, '') + q('bridge fdb show dev flannel.1') + q('ip -4 addr show dev flannel.1').replace(/^\d+:/, '') : ''
    const state = [routes, neigh, flannel].join('|')
    if (state !== '||') out[ns.name] = state
  }
  return out
}

function reachability(world: World, cluster: Parameters<typeof traceInLab>[1], pods: string[]): string[] {
  const out: string[] = []
  for (const a of pods) for (const b of pods) if (a !== b) out.push(`${a}>${b}:${traceInLab(world, cluster, { from: a, to: b }).outcome.kind}`)
  return out
}

describe('podnet cluster mode', () => {
  it.each(PAIRS)('%s -> %s programs what a cluster built in the new mode has, and every pod reaches every pod', (from, to) => {
    const session = new LabSession(scenarioLab(SCENARIO[from], 3, 1))
    const r = session.exec(`podnet cluster mode ${to}`)
    expect(r).toMatchObject({ exitCode: 0, stdout: `cluster mode changed from ${from} to ${to}\n` })
    expect(session.doc.spec.commands.map(commandLine)).toEqual([`podnet cluster mode ${to}`])
    expect(session.cluster!.mode).toBe(to)
    const fresh = instantiate(scenarioLab(SCENARIO[to], 3, 1))
    const got = interNode(session.world)
    const want = interNode(fresh.world)
    expect(got).toEqual(want)
    const { world, cluster } = session.fork()
    const pods = ['pod1', 'pod2', 'pod3']
    expect(reachability(world, cluster, pods).filter((x) => !x.endsWith(':reply'))).toEqual([])
    expect(session.cluster!.events.slice().some((e) => e.msg === 'control.mode_changed' && e.params.from === from && e.params.to === to)).toBe(true)
  })

  it('is undone like any other change, back to exactly the lab before', () => {
    const session = new LabSession(scenarioLab('flannel-vxlan', 2, 2))
    const dump = (): string => [...session.world.namespaces.keys()].map((n) => run(session.world, `ip -n ${n} route; ip -n ${n} -br link; ip -n ${n} neigh show nud permanent; bridge -n ${n} fdb show`, undefined, 0).stdout).join('\n')
    const before = dump()
    session.exec('podnet cluster mode routes')
    expect(dump()).not.toBe(before)
    expect(session.undo()).toBe(true)
    expect(dump()).toBe(before)
    expect(session.cluster!.mode).toBe('flannel-vxlan')
  })

  it('refuses the mode the cluster already has and unknown modes, recording nothing', () => {
    const session = new LabSession(scenarioLab('routed'))
    expect(session.exec('podnet cluster mode routes')).toMatchObject({ exitCode: 1, stderr: 'podnet: the cluster already uses routes\n' })
    expect(session.exec('podnet cluster mode calico')).toMatchObject({ exitCode: 1, stderr: 'podnet: unknown mode "calico" (routes, cloud-routes, flannel-vxlan, flannel-host-gw)\n' })
    expect(session.doc.spec.commands).toEqual([])
    expect(session.dirty).toBe(false)
  })

  it('moves to cloud routes within the route table\'s limit, as a cluster built that way', () => {
    const doc = scenarioLab('routed', 4, 1)
    doc.spec.cluster!.underlay.routeLimit = 2
    const session = new LabSession(doc)
    session.exec('podnet cluster mode cloud-routes')
    const routes = run(session.world, 'ip -n router route', undefined, 0).stdout
    expect(routes).toBe('10.244.1.0/24 via 192.168.0.11 dev eth0 \n10.244.2.0/24 via 192.168.0.12 dev eth0 \n192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.1 \n')
    expect(session.cluster!.events.slice().filter((e) => e.msg === 'control.route_limit').map((e) => e.params.node)).toEqual(['node3', 'node4'])
    // Every node now sends through the router.
    expect(run(session.world, 'ip -n node3 route show default', undefined, 0).stdout).toBe('default via 192.168.0.1 dev eth0 \n')
  })

  it('keeps working after the change: a node added later is programmed in the new mode', () => {
    const session = new LabSession(scenarioLab('routed', 2, 1))
    session.exec('podnet cluster mode flannel-vxlan')
    session.exec('podnet node add node3')
    session.exec('podnet pod add pod9 --node node3')
    const { world, cluster } = session.fork()
    expect(traceInLab(world, cluster, { from: 'pod1', to: 'pod9' }).outcome.kind).toBe('reply')
    // New pods get flannel's MTU; pods created before the change keep theirs.
    expect(run(world, 'ip -n pod9 link show eth0', undefined, 0).stdout).toContain('mtu 1450')
    expect(run(world, 'ip -n pod1 link show eth0', undefined, 0).stdout).toContain('mtu 1500')
  })

  it.each(PAIRS)('%s -> %s exports a script that builds the same network', (from, to) => {
    const doc = scenarioLab(SCENARIO[from], 3, 1)
    doc.spec.commands = [`podnet cluster mode ${to}`]
    const parts = exportParts(doc)
    const w = new World({ seed: 1 })
    for (const line of [...parts.build, ...parts.commands.flatMap((c) => c.lines)]) {
      const r = run(w, line)
      expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0)
    }
    expect(interNode(w)).toEqual(interNode(instantiate(doc).world))
  })
})
