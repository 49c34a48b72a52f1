import { describe, expect, it } from 'vitest'
import { builtinExercises } from '../../src-main/exercises/builtins.ts'
import type { Probe } from '../../src-main/exercises/goal-format.ts'
import { attemptLab, startLab } from '../../src-main/exercises/start.ts'
import { MODES, type Mode } from '../../src-main/k8s/spec.ts'
import type { LabDoc } from '../../src-main/lab/format.ts'
import { instantiate } from '../../src-main/lab/lab.ts'
import { scenarioLab } from '../../src-main/lab/session.ts'
import { traceInLab } from '../../src-main/lab/trace-report.ts'
import { kernelAvailability, withKernelLab } from './harness.ts'
import { exportLines, kernelDeliveries, pool, type KernelProbe } from './reachability.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { World } from '../../src-main/engine/kernel/world.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/** Labs built at once: each is a few hundred short lines and one round of pings. */
const JOBS = 6

/**
 * What the engine does with each probe (each in a fresh replay, as the checker sends it), and the
 * address it goes to. A probe from or to a namespace the lab does not have yet (an exercise that
 * starts empty) is left out.
 */
function engineProbes(doc: LabDoc, probes: readonly Probe[]): { probes: Probe[]; kernel: KernelProbe[]; delivered: boolean[] } {
  const kernel: KernelProbe[] = []
  const delivered: boolean[] = []
  const kept: Probe[] = []
  for (const p of probes) {
    const rt = instantiate(doc)
    if (!rt.world.netns(p.from) || !rt.world.netns(p.to)) continue
    kept.push(p)
    const rep = traceInLab(rt.world, rt.cluster, { from: p.from, to: p.to, proto: p.proto, size: p.size, df: p.df })
    kernel.push({ from: p.from, to: rep.to.ip, ...(p.size !== undefined ? { size: p.size } : {}), ...(p.df !== undefined ? { df: p.df } : {}) })
    delivered.push(rep.outcome.kind === 'reply')
  }
  return { probes: kept, kernel, delivered }
}

/** The exit status of each line of the export, run in an empty World as a command file. */
function engineExitCodes(doc: LabDoc): number[] {
  const w = new World({ seed: doc.spec.seed })
  return exportLines(doc, '').map((l) => run(w, l).exitCode)
}

interface Case {
  name: string
  doc: LabDoc
  probes: Probe[]
}

async function compare(cases: readonly Case[], tag: string): Promise<string[]> {
  const bad: string[] = []
  await pool(cases, JOBS, async (c, i) => {
    const e = engineProbes(c.doc, c.probes)
    const prefix = `rk-${tag}${process.pid % 10000}-${i}-`
    const k = await withKernelLab(prefix, () => kernelDeliveries(c.doc, prefix, e.kernel))
    const engineCodes = engineExitCodes(c.doc)
    k.exitCodes.forEach((code, j) => {
      if ((code === 0) !== (engineCodes[j] === 0)) bad.push(`${c.name}: ${k.lines[j]}: exit ${code} on the kernel, ${engineCodes[j]} in the engine`)
    })
    e.probes.forEach((p, j) => {
      if (k.delivered[j] !== e.delivered[j]) bad.push(`${c.name}: ${p.from} → ${p.to}${p.size !== undefined ? ` size ${p.size}` : ''}${p.df ? ' DF' : ''}: engine ${e.delivered[j] ? 'delivers' : 'drops'}, kernel ${k.delivered[j] ? 'delivers' : 'drops'}`)
    })
  })
  return bad
}

describe.skipIf(!avail.ok)('the built-in exercises on the real kernel', () => {
  // Each exercise's premise holds in Linux: its start lab and its solved lab, exported and built in
  // real namespaces, deliver (or drop) every delivery goal's packet as the engine does, and as the
  // goals expect (the unit suite checks that the start fails and the solution passes them).
  it('start and solved labs give the delivery results of the engine', { timeout: 120_000 }, async () => {
    const cases: Case[] = []
    for (const ex of builtinExercises()) {
      const probes = ex.goals.flatMap((g) => (g.check.kind === 'deliver' && g.check.probe.proto === 'icmp' ? [g.check.probe] : []))
      if (!probes.length) continue
      const start = startLab(ex, { builtIn: true })
      cases.push({ name: `${ex.metadata.id} (start)`, doc: start, probes })
      cases.push({ name: `${ex.metadata.id} (solved)`, doc: attemptLab(start, ex.solution).doc, probes })
    }
    expect(cases.length).toBeGreaterThanOrEqual(30)
    const t0 = Date.now()
    const bad = await compare(cases, 'ex')
    console.log(`exercises: ${cases.length} labs, ${cases.reduce((n, c) => n + c.probes.length, 0)} probes, ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    expect(bad).toEqual([])
  })
})

describe.skipIf(!avail.ok)('podnet cluster mode on the real kernel', () => {
  const SCENARIO: Record<Mode, string> = { routes: 'routed', 'cloud-routes': 'cloud-routes', 'flannel-vxlan': 'flannel-vxlan', 'flannel-host-gw': 'flannel-host-gw' }
  const pods = ['pod1', 'pod2', 'pod3']
  const matrix: Probe[] = pods.flatMap((a) => pods.filter((b) => b !== a).map((b) => ({ from: a, to: b, proto: 'icmp' as const })))

  // After a conversion, the exported lab (the build, then the lines the conversion caused) reaches
  // what the engine reaches: every pod every pod on a switch; on a routed underlay only where the
  // new mode can work (VXLAN yes, host-gw and plain routes no).
  it('every conversion exports a lab with the engine\'s reachability', { timeout: 120_000 }, async () => {
    const cases: Case[] = []
    for (const from of MODES) {
      for (const to of MODES) {
        if (to === from) continue
        const doc = scenarioLab(SCENARIO[from], 3, 1)
        doc.spec.commands = [`podnet cluster mode ${to}`]
        cases.push({ name: `${from} -> ${to}`, doc, probes: matrix })
      }
    }
    for (const [scenario, to] of [['host-gw-behind-router', 'flannel-vxlan'], ['vxlan-behind-router', 'flannel-host-gw'], ['vxlan-behind-router', 'routes']] as const) {
      const doc = scenarioLab(scenario, 3, 1)
      doc.spec.commands = [`podnet cluster mode ${to}`]
      cases.push({ name: `${scenario} -> ${to}`, doc, probes: matrix })
    }
    const t0 = Date.now()
    const bad = await compare(cases, 'mode')
    console.log(`cluster mode: ${cases.length} conversions, ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    expect(bad).toEqual([])
  })
})
