/**
 * Random labs for the kernel conformance suite: a cluster (1-5 nodes, 1-4 pods each, every mode,
 * both underlays) and then up to three faults, written as the lab commands a user would type.
 * Fault targets (which route, which device, which FDB entry) are picked from the lab as built, so
 * every fault hits something that exists.
 */
import fc from 'fast-check'
import { API_VERSION, KIND, type LabDoc } from '../../src-main/lab/format.ts'
import { instantiate } from '../../src-main/lab/lab.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { MODES, type ClusterSpec, type Mode, type UnderlayKind } from '../../src-main/k8s/spec.ts'

export type FaultKind = 'route-del' | 'forward-off' | 'link-down' | 'mtu' | 'neigh-del' | 'fdb-del' | 'pod-move'
export const FAULT_KINDS: readonly FaultKind[] = ['route-del', 'forward-off', 'link-down', 'mtu', 'neigh-del', 'fdb-del', 'pod-move']

/** A fault before it is resolved against the built lab: indices are taken modulo what exists. */
export interface FaultIntent {
  kind: FaultKind
  a: number
  b: number
  c: number
}

export interface LabShape {
  mode: Mode
  underlay: UnderlayKind
  pods: number[]
  faults: FaultIntent[]
  seed: number
}

export const labShapeArb: fc.Arbitrary<LabShape> = fc.record({
  mode: fc.constantFrom(...MODES),
  underlay: fc.constantFrom<UnderlayKind>('switch', 'switch', 'routed'),
  pods: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
  faults: fc.array(
    fc.record({ kind: fc.constantFrom(...FAULT_KINDS), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) }),
    { minLength: 0, maxLength: 3 },
  ),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
})

export function clusterOf(shape: LabShape): ClusterSpec {
  let pod = 0
  return {
    mode: shape.mode,
    clusterCidr: '10.244.0.0/16',
    underlay: { kind: shape.underlay, cidr: shape.underlay === 'switch' ? '192.168.0.0/24' : '192.168.0.0/16' },
    nodes: shape.pods.map((n, i) => ({ name: `node${i + 1}`, pods: Array.from({ length: n }, () => ({ name: `pod${++pod}` })) })),
  }
}

function pick<T>(xs: readonly T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined
}

/** Static routes of a namespace as `ip route del` arguments (connected routes are left alone). */
function staticRoutes(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.includes('proto kernel')).map((l) => l.split(' ')[0])
}

/**
 * Turns fault intents into lab commands, each resolved against the lab as built so far (earlier
 * faults included), so a fault always names a route, device or entry that exists.
 */
export function labFromShape(shape: LabShape, name = 'random'): LabDoc {
  const doc: LabDoc = { apiVersion: API_VERSION, kind: KIND, metadata: { name }, spec: { seed: shape.seed, cluster: clusterOf(shape), commands: [] } }
  for (const f of shape.faults) {
    const rt = instantiate(doc)
    const cl = rt.cluster!
    const w = rt.world
    const nodes = [...cl.nodes.keys()]
    const pods = cl.pods().map((p) => p.name)
    const out = (ns: string, line: string): string => run(w, `ip -n ${ns} ${line}`, undefined, 0).stdout
    let cmd: string | undefined
    switch (f.kind) {
      case 'route-del': {
        const nss = [...nodes, ...pods, ...(w.netns('router') ? ['router'] : [])]
        const ns = pick(nss, f.a)!
        const dst = pick(staticRoutes(out(ns, 'route show')), f.b)
        if (dst) cmd = `ip -n ${ns} route del ${dst}`
        break
      }
      case 'forward-off': {
        const ns = pick([...nodes, ...(w.netns('router') ? ['router'] : [])], f.a)!
        cmd = `ip netns exec ${ns} sysctl -w net.ipv4.ip_forward=0`
        break
      }
      case 'link-down': {
        const devs: string[] = []
        for (const ns of [...nodes, ...pods, ...['underlay', 'router'].filter((n) => w.netns(n))]) {
          for (const d of w.netns(ns)!.deviceList()) if (!d.isLoopback) devs.push(`${ns} ${d.name}`)
        }
        const [ns, dev] = pick(devs, f.a)!.split(' ')
        cmd = `ip -n ${ns} link set ${dev} down`
        break
      }
      case 'mtu': {
        const p = pick(cl.pods(), f.a)
        if (!p) break
        const mtu = [1000, 1400, 1280][f.c % 3]
        cmd = f.b % 2 ? `ip -n ${p.name} link set eth0 mtu ${mtu}` : `ip -n ${p.node} link set ${p.veth} mtu ${mtu}`
        break
      }
      case 'neigh-del': {
        const entries: string[] = []
        for (const ns of nodes) {
          for (const l of out(ns, 'neigh show').split('\n')) {
            const m = /^(\S+) dev (\S+) /.exec(l)
            if (m) entries.push(`ip -n ${ns} neigh del ${m[1]} dev ${m[2]}`)
          }
        }
        cmd = pick(entries, f.a)
        break
      }
      case 'fdb-del': {
        const entries: string[] = []
        for (const ns of [...nodes, ...['underlay'].filter((n) => w.netns(n))]) {
          const text = run(w, `bridge -n ${ns} fdb show`, undefined, 0).stdout
          for (const l of text.split('\n')) {
            // flannel's VTEP entries, and entries the bridges learned (not the permanent local ones).
            let m = /^(\S+) dev (flannel\.1) dst (\S+) self permanent$/.exec(l)
            if (m) {
              entries.push(`bridge -n ${ns} fdb del ${m[1]} dev ${m[2]} dst ${m[3]} self`)
              continue
            }
            m = /^(\S+) dev (\S+) master (\S+) $/.exec(l) ?? /^(\S+) dev (\S+) master (\S+)$/.exec(l)
            if (m && !m[1].startsWith('33:33') && !m[1].startsWith('01:00')) entries.push(`bridge -n ${ns} fdb del ${m[1]} dev ${m[2]} master`)
          }
        }
        cmd = pick(entries, f.a)
        break
      }
      case 'pod-move': {
        const p = pick(pods, f.a)
        const n = pick(nodes, f.b)
        if (p && n && cl.podNode(p)?.name !== n) cmd = `podnet pod move ${p} --node ${n}`
        break
      }
    }
    if (cmd) doc.spec.commands.push(cmd)
  }
  return doc
}

/** The run's seed: PODNET_SEED when replaying, otherwise a fresh one (always printed). */
export function runSeed(): number {
  const env = process.env.PODNET_SEED
  if (env && /^-?\d+$/.test(env)) return Number(env)
  return (Date.now() ^ (process.pid << 8)) >>> 0
}

export function sampleLabs(seed: number, count: number): LabDoc[] {
  const shapes = fc.sample(labShapeArb, { seed, numRuns: count })
  return shapes.map((s, i) => labFromShape(s, `seed ${seed} lab ${i}`))
}
