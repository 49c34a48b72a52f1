import { API_VERSION, KIND, type LabDoc } from '../lab/format.ts'
import { instantiate } from '../lab/lab.ts'
import { LabSession, scenarioLab, withExplicitCluster } from '../lab/session.ts'
import type { CommandResult } from '../engine/commands/index.ts'
import type { Exercise } from './format.ts'

/**
 * The lab a learner starts an exercise from: the scenario (addresses written out) or the inline
 * lab, with the exercise's `break` lines as the lab's setup, which comes before the history, so
 * undo never removes the fault and the history panel never shows it. The lab names its exercise;
 * one that is not built in carries the exercise itself, so the lab file alone can be checked.
 */
export function startLab(ex: Exercise, opts: { builtIn: boolean }): LabDoc {
  const s = ex.start
  let doc: LabDoc
  if (s.scenario) doc = withExplicitCluster(scenarioLab(s.scenario.name, s.scenario.nodes, s.scenario.podsPerNode))
  else {
    const lab = s.lab!
    doc = { apiVersion: API_VERSION, kind: KIND, metadata: { name: ex.metadata.id }, spec: { seed: lab.seed, ...(lab.cluster ? { cluster: structuredClone(lab.cluster) } : {}), setup: [...lab.commands], commands: [] } }
  }
  doc.metadata = { name: ex.metadata.id, description: ex.metadata.title.en }
  const setup = [...(doc.spec.setup ?? []), ...s.break]
  // Written in this order: what is built, what breaks it, then the learner's history.
  doc.spec = { seed: doc.spec.seed, ...(doc.spec.cluster ? { cluster: doc.spec.cluster } : {}), ...(setup.length ? { setup } : {}), commands: [] }
  doc.exercise = { id: ex.metadata.id, ...(opts.builtIn ? {} : { definition: structuredClone(ex.raw) }) }
  return doc
}

/**
 * The start lab after a learner typed an attempt's lines (recorded as a session records them) and
 * gave its answers; with each line's result, so a failing solution line can be reported.
 */
export function attemptLab(start: LabDoc, attempt: { commands: string[]; answers: Record<string, string> }): { doc: LabDoc; results: CommandResult[] } {
  const session = new LabSession(start)
  const results = attempt.commands.map((line) => session.exec(line))
  const doc = structuredClone(session.doc)
  if (doc.exercise) doc.exercise.answers = { ...attempt.answers }
  return { doc, results }
}

/** The pods and nodes of the start lab, for `keep` constraints (built once per exercise). */
export interface StartInventory {
  pods: Map<string, { node: string; ip: number }>
  nodes: Set<string>
}

const inventories = new WeakMap<Exercise, StartInventory>()

export function startInventory(ex: Exercise): StartInventory {
  let inv = inventories.get(ex)
  if (!inv) {
    const rt = instantiate(startLab(ex, { builtIn: true }))
    inv = { pods: new Map(), nodes: new Set() }
    for (const p of rt.cluster?.pods() ?? []) inv.pods.set(p.name, { node: p.node, ip: p.ip })
    for (const n of rt.cluster?.nodes.keys() ?? []) inv.nodes.add(n)
    inventories.set(ex, inv)
  }
  return inv
}
