import { formatIpv4 } from '../engine/addr/ipv4.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import type { LabDoc } from '../lab/format.ts'
import { instantiate, LabBuildError } from '../lab/lab.ts'
import { traceInLab, TraceRequestError } from '../lab/trace-report.ts'
import type { Exercise, Text } from './format.ts'
import type { Goal, GoalCheck, Probe } from './goal-format.ts'
import { same, say } from './messages.ts'
import { judgeProbe, pathText, reasonId, type ProbeVerdict } from './probe-verdict.ts'
import { startInventory } from './start.ts'
import { checkTable, type Outcome } from './table-goals.ts'

export interface GoalResult {
  id: string
  /** A constraint ("do not delete pods") rather than a goal. */
  constraint: boolean
  pass: boolean
  text: Text
  /** Why it fails, from the trace or the tables, in both languages. */
  why?: Text
}

export interface CheckReport {
  exercise: string
  /** Every goal and every constraint passes. */
  pass: boolean
  results: GoalResult[]
}

/**
 * Checks a lab against an exercise. Everything runs on replayed copies of the lab (each probe in
 * its own fresh copy, so goals never warm each other's ARP caches): checking changes nothing the
 * learner has, and the same lab gives the same report every time.
 */
export function checkLab(ex: Exercise, doc: LabDoc): CheckReport {
  const ctx = new CheckContext(ex, doc)
  const results = [...ex.goals.map((g) => ctx.result(g, false)), ...ex.constraints.map((g) => ctx.result(g, true))]
  return { exercise: ex.metadata.id, pass: results.every((r) => r.pass), results }
}

/** Normalises a short answer: case, surrounding blanks and inner runs of blanks do not matter. */
export function normalizeAnswer(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ')
}

class CheckContext {
  private tables: { world: World; cluster: Cluster | null } | null = null
  private readonly probes = new Map<string, ProbeVerdict | Text>()
  private broken: Text | null = null

  constructor(
    private readonly ex: Exercise,
    private readonly doc: LabDoc,
  ) {}

  result(g: Goal, constraint: boolean): GoalResult {
    const o = g.check.kind === 'question' ? this.question(g.id, g.check) : this.evaluate(g.check)
    return { id: g.id, constraint, pass: o.pass, text: g.text, ...(o.pass ? {} : { why: o.why }) }
  }

  /** A fresh replay of the learner's lab; a lab that no longer builds fails every goal that needs it. */
  private fork(): { world: World; cluster: Cluster | null } | null {
    if (this.broken) return null
    try {
      return instantiate(this.doc)
    } catch (e) {
      if (!(e instanceof LabBuildError)) throw e
      this.broken = say('lab.broken', { error: e.message })
      return null
    }
  }

  private table(): { world: World; cluster: Cluster | null } | null {
    return (this.tables ??= this.fork())
  }

  private probe(p: Probe): ProbeVerdict | Text {
    const key = JSON.stringify(p)
    let v = this.probes.get(key)
    if (v) return v
    const rt = this.fork()
    if (!rt) return this.broken!
    if (!rt.world.netns(p.from)) v = say('table.no_netns', { netns: p.from })
    else {
      try {
        const rep = traceInLab(rt.world, rt.cluster, { from: p.from, to: p.to, proto: p.proto, port: p.port, size: p.size, df: p.df })
        v = judgeProbe(rep, p)
      } catch (e) {
        if (!(e instanceof TraceRequestError)) throw e
        v = say('probe.no_target', { from: p.from, to: p.to, error: same(e.message) })
      }
    }
    this.probes.set(key, v)
    return v
  }

  private evaluate(c: GoalCheck): Outcome {
    switch (c.kind) {
      case 'deliver':
        return this.deliver(c)
      case 'path':
        return this.path(c)
      case 'question':
        return { pass: false, why: say('question.unanswered') }
      case 'mode': {
        const rt = this.table()
        if (!rt) return { pass: false, why: this.broken! }
        if (!rt.cluster) return { pass: false, why: say('mode.none') }
        return rt.cluster.mode === c.mode ? { pass: true } : { pass: false, why: say('mode.other', { actual: rt.cluster.mode, mode: c.mode }) }
      }
      case 'keep':
        return this.keep(c)
      default: {
        const rt = this.table()
        if (!rt) return { pass: false, why: this.broken! }
        return checkTable(rt.world, rt.cluster, c)
      }
    }
  }

  private deliver(c: Extract<GoalCheck, { kind: 'deliver' }>): Outcome {
    const v = this.probe(c.probe)
    if (!('delivered' in v)) return { pass: false, why: v }
    if (c.expect === 'delivered') return v.delivered ? { pass: true } : { pass: false, why: v.why }
    if (v.delivered) return { pass: false, why: v.why }
    const names = { from: c.probe.from, to: c.probe.to, at: v.at ?? '-', reason: v.reasonText ?? say('why.timeout') }
    if (c.reason !== undefined && reasonId(c.reason) !== v.reason && c.reason !== v.reason) return { pass: false, why: say('probe.wrong_reason', names) }
    if (c.at !== undefined && v.at !== c.at) return { pass: false, why: say('probe.wrong_place', { ...names, expected: c.at }) }
    return { pass: true }
  }

  private path(c: Extract<GoalCheck, { kind: 'path' }>): Outcome {
    const v = this.probe(c.probe)
    if (!('delivered' in v)) return { pass: false, why: v }
    const on = (name: string): boolean => {
      const [a, b] = name.split('/')
      return v.path.some((h) => (b === undefined ? h.netns === a || h.device === a : h.netns === a && h.device === b))
    }
    const shown = same(pathText(v.path))
    const missing = c.through.filter((x) => !on(x))
    if (missing.length) return { pass: false, why: say('path.missing', { from: c.probe.from, to: c.probe.to, path: shown, missing: missing.join(', ') }) }
    const found = c.avoids.filter(on)
    if (found.length) return { pass: false, why: say('path.forbidden', { from: c.probe.from, to: c.probe.to, path: shown, found: found.join(', ') }) }
    return { pass: true }
  }

  private question(id: string, c: Extract<GoalCheck, { kind: 'question' }>): Outcome {
    const given = this.doc.exercise?.answers?.[id]
    if (given === undefined || given.trim() === '') return { pass: false, why: say('question.unanswered') }
    const ok = c.choices ? c.answers.includes(given) : c.answers.some((a) => normalizeAnswer(a) === normalizeAnswer(given))
    const shown = c.choices?.find((x) => x.id === given)?.text ?? same(given)
    return ok ? { pass: true } : { pass: false, why: say('question.wrong', { answer: shown }) }
  }

  private keep(c: Extract<GoalCheck, { kind: 'keep' }>): Outcome {
    const rt = this.table()
    if (!rt) return { pass: false, why: this.broken! }
    const start = startInventory(this.ex)
    if (c.nodes) for (const n of start.nodes) if (!rt.cluster?.nodes.has(n)) return { pass: false, why: say('keep.node_gone', { node: n }) }
    if (c.pods) {
      const now = new Map((rt.cluster?.pods() ?? []).map((p) => [p.name, p]))
      for (const [name, was] of start.pods) {
        const p = now.get(name)
        if (!p) return { pass: false, why: say('keep.pod_gone', { pod: name }) }
        if (p.node !== was.node || p.ip !== was.ip) return { pass: false, why: say('keep.pod_moved', { pod: name, node: p.node, ip: formatIpv4(p.ip) }) }
      }
    }
    return { pass: true }
  }
}
