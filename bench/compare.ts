import { CompareWork, compareLabs } from '../src-main/lab/compare.ts'
import { scenarioLab, LabSession } from '../src-main/lab/session.ts'

/**
 * The Compare view's work in a 100-node flannel VXLAN lab (2 pods a node): the open lab forked
 * twice (one fork moved to routes), then the probe pod1 -> pod200 walked on each side and the
 * path MTU searched by bisection (a DF probe per halving). Wall and CPU time of the whole request,
 * as the lab host runs it, and of its parts.
 */
export function compareBench(runs = 3): string[] {
  const session = new LabSession(scenarioLab('flannel-vxlan', 100, 2))
  const cpu = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const rows: { ms: number; cpu: number; forkMs: number; probes: number }[] = []
  for (let i = 0; i < runs; i++) {
    const c0 = cpu()
    const t0 = performance.now()
    let probes = 0
    const work = new CompareWork({ progress: () => probes++ })
    const a = session.fork()
    const m = a.cluster!
    m.setMode('routes')
    const b = session.fork()
    const forkMs = performance.now() - t0
    const c = compareLabs({ label: 'routes', ...a }, { label: 'flannel-vxlan', ...b }, { from: 'pod1', to: 'pod200' }, 'en', work)
    // (The pods keep the 1450-byte MTU flannel gave them when moved to routes, as on Linux.)
    if (!c.sides.every((s) => s.delivered && s.pathMtu === 1450)) throw new Error(`unexpected comparison: ${c.sides.map((s) => `${s.delivered} ${s.pathMtu}`).join(', ')}`)
    rows.push({ ms: performance.now() - t0, cpu: cpu() - c0, forkMs, probes })
  }
  const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]
  return [
    `compare        100 nodes x 2 pods, routes vs flannel-vxlan, pod1 -> pod200: ${med(rows.map((r) => r.ms)).toFixed(0)} ms (median of ${runs}; min ${Math.min(...rows.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...rows.map((r) => r.ms)).toFixed(0)}), CPU ${med(rows.map((r) => r.cpu)).toFixed(0)} ms, of which the two forks ${med(rows.map((r) => r.forkMs)).toFixed(0)} ms; ${rows[0].probes} progress steps`,
  ]
}
