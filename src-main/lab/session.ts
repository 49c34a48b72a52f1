import type { AppliedChange, LineResult } from '../engine/commands/index.ts'
import { quoteArgv } from '../engine/commands/shell.ts'
import { MAX_HISTORY_COMMANDS } from '../k8s/limits.ts'
import { formatMessage } from '../../shared/messages/index.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { scenarioSpec } from '../k8s/scenarios.ts'
import { API_VERSION, commandLineProblem, KIND, nsToSeconds, parseLab, secondsToNs, serializeLab, type LabDoc, type TimedCommand } from './format.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'
import { applyLayoutChange, layoutToSave, type LabLayout, type LayoutChange, type Point } from './layout.ts'
import { execLine, instantiate, instantiateSteps, LabBuildError, withinLoadBound, type InstantiateOptions, type LabRuntime } from './lab.ts'

/** Creates a lab document for a built-in scenario. */
export function scenarioLab(name: string, nodes?: number, podsPerNode?: number): LabDoc {
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name }, spec: { seed: 1, cluster: scenarioSpec(name, nodes, podsPerNode), commands: [] } }
}

/** The lab with its cluster's addresses written out (built once to know them), so its file says what the lab is. */
export function withExplicitCluster(doc: LabDoc): LabDoc {
  if (!doc.spec.cluster) return doc
  const plain: LabDoc = { ...doc, spec: { ...doc.spec, setup: [], commands: [] } }
  const rt = instantiate(plain)
  return { ...doc, spec: { ...doc.spec, cluster: rt.cluster!.toSpec() } }
}

/**
 * One open lab: the document (cluster spec plus the history of changes), the running World, and
 * an undo/redo stack over that history. Every change, from the terminal, a panel or the canvas, is
 * a command; each one that changed configuration is recorded with the simulated time it was
 * applied at, so one undo covers them all and a saved lab replays to the same configuration at
 * the same clock. Reads and observations (ping, traceroute, tcpdump, sleep) are not recorded.
 */
export class LabSession {
  /** The lab as it would be saved: the history is always in its timed form. */
  doc: LabDoc
  world!: World
  cluster!: Cluster | null
  /**
   * What redo applies again, latest last: a change's command line, or a layout as it was before
   * an undone move.
   */
  private redoStack: (string | LayoutStep)[] = []
  /**
   * Moves on the canvas, oldest first, as undo steps among the changes: each knows how many
   * changes the history held when it was made, so undo takes back the latest of either kind.
   */
  private layoutSteps: LayoutStep[] = []
  /** Bumped whenever the layout changes (views send it again). */
  layoutRev = 0
  /** Whether the document changed since it was last saved. */
  dirty = false
  /** A replay of the lab made ahead for the next fork (spareStep), with the document it replays. */
  private spare: Spare | null = null

  /** `runtime`: the doc already built (by instantiate), so it is not built twice. */
  constructor(doc: LabDoc, runtime?: LabRuntime) {
    const rt = runtime ?? instantiate(doc)
    this.doc = structuredClone(doc)
    // Bare lines (hand-written labs, older files) become the changes they made, with their times.
    this.doc.spec.commands = rt.history
    this.doc.spec.clock = nsToSeconds(rt.world.sched.now)
    this.world = rt.world
    this.cluster = rt.cluster
  }

  /** Opens lab file text; a lab that parses but cannot be built is reported at its field's line. */
  static fromText(text: string, file = 'lab.yaml', work: WorkOptions = {}): LabSession {
    const doc = parseLab(text, file)
    try {
      return new LabSession(doc, instantiate(doc, work))
    } catch (e) {
      if (e instanceof LabBuildError) throw e.locate(text, file)
      throw e
    }
  }

  private rebuild(opts: InstantiateOptions): void {
    const rt = instantiate(this.doc, opts)
    this.world = rt.world
    this.cluster = rt.cluster
  }

  /** The recorded changes, oldest first. */
  get history(): readonly TimedCommand[] {
    return this.doc.spec.commands as TimedCommand[]
  }

  get canUndo(): boolean {
    return this.doc.spec.commands.length > 0 || this.layoutSteps.length > 0
  }

  /** Whether the next undo / redo only moves things on the canvas (the network is not rebuilt). */
  get undoIsMove(): boolean {
    const step = this.layoutSteps.at(-1)
    return step !== undefined && step.depth >= this.doc.spec.commands.length
  }
  get redoIsMove(): boolean {
    const next = this.redoStack.at(-1)
    return next !== undefined && typeof next !== 'string'
  }

  /** Where the user put things on the canvas (undefined: the automatic layout). */
  get layout(): LabLayout | undefined {
    return this.doc.layout
  }

  /**
   * Moves things on the canvas, or resets them all (`reset`): one undo step, and the lab is
   * modified. A change that changes nothing is not a step. False when nothing changed.
   */
  setLayout(change: LayoutChange): boolean {
    const next = applyLayoutChange(this.doc.layout, change)
    if (JSON.stringify(next) === JSON.stringify(this.doc.layout)) return false
    this.layoutSteps.push({ before: this.doc.layout, after: next, depth: this.doc.spec.commands.length })
    this.putLayout(next)
    this.redoStack = []
    this.trimLayoutSteps()
    return true
  }

  /**
   * Positions that go with the change just made (what it added, EditPlacement): not an undo step
   * of their own, so undoing the change takes the item away and a redo brings it back there.
   */
  place(set: Record<string, Point>): void {
    const next = applyLayoutChange(this.doc.layout, { set })
    if (JSON.stringify(next) !== JSON.stringify(this.doc.layout)) this.putLayout(next)
  }

  private putLayout(layout: LabLayout | undefined): void {
    if (layout) this.doc.layout = layout
    else delete this.doc.layout
    this.layoutRev++
    this.dirty = true
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0
  }

  /**
   * Runs a line in a namespace (or the host) as a terminal would. Each simple command of it that
   * changed configuration is recorded in the lab's history, with the simulated time it ran at (a
   * line `ip link set eth0 up && ping -c 1 X` records the `ip link` part only). Reads take no
   * simulated time; observations let it pass. A request the kernel refused changed nothing, takes
   * no time and is not recorded; a command that failed after changing something (`sysctl -w a=1
   * b=bad`) is. A change that cannot be kept (the history is full, or the lab would take too much
   * work to open again) is taken back whole, as is a lab command that failed part way.
   */
  exec(line: string, netns?: string): LineResult {
    const opsBefore = this.cluster?.ops.lineCount ?? 0
    const r = withinLoadBound(this.world, () => execLine(this.world, this.cluster, line, { readOnlyFree: true, settle: true, ...(netns ? { netns } : {}) }))
    if (r.changes.length && this.world.sched.hit === 'load') {
      // Kept, it would make the lab's file too heavy to open: rolled back instead.
      this.rebuild({ untilNs: this.world.sched.now })
      return { ...r, changes: [], stderr: `${r.stderr}podnet: not kept: the lab could not be opened again with this command in its history\n` }
    }
    const unstorable = r.changes.map((c) => commandLineProblem(quoteArgv(c.argv))).find((p) => p !== null)
    if (unstorable) {
      // A change its lab file could not hold (a NUL or escape character in a word): taken back whole.
      this.rebuild({ untilNs: this.world.sched.now })
      return { ...r, exitCode: r.exitCode || 1, changes: [], stderr: `${r.stderr}podnet: not kept: a lab file could not hold it (${formatMessage(unstorable.msg, unstorable.params, 'en')})\n` }
    }
    if (r.changes.length && this.doc.spec.commands.length + r.changes.length > MAX_HISTORY_COMMANDS) {
      this.rebuild({ untilNs: this.world.sched.now })
      return { ...r, exitCode: 1, changes: [], stderr: `${r.stderr}podnet: not kept: the lab's history is full (${MAX_HISTORY_COMMANDS} changes); save it and start a new lab from it to go on\n` }
    }
    if (r.changes.length) {
      for (const c of r.changes) this.doc.spec.commands.push({ at: nsToSeconds(c.atNs), run: quoteArgv(c.argv) })
      this.redoStack = []
      this.trimLayoutSteps()
      this.dirty = true
    } else if (r.exitCode !== 0 && line.trim().startsWith('podnet ') && (this.cluster?.ops.lineCount ?? 0) !== opsBefore) this.rebuild({ untilNs: this.world.sched.now })
    return r
  }

  /**
   * Records the changes a terminal line made as it ran (live.ts), each with the time it was
   * applied at; `netns`: the namespace the line ran in. False, keeping nothing, when the history
   * has no room for them: the caller stops its lines and rolls the lab back (rollback()).
   */
  record(changes: readonly AppliedChange[], netns?: string): boolean {
    if (changes.length === 0) return true
    if (this.doc.spec.commands.length + changes.length > MAX_HISTORY_COMMANDS) return false
    for (const c of changes) this.doc.spec.commands.push({ at: nsToSeconds(c.atNs), run: quoteArgv(netns ? ['ip', 'netns', 'exec', netns, ...c.argv] : c.argv) })
    this.redoStack = []
    this.trimLayoutSteps()
    this.dirty = true
    return true
  }

  /** Back to what the history says, at the clock reached: changes that could not be kept go. */
  rollback(): void {
    this.rebuild({ untilNs: this.world.sched.now })
  }

  /**
   * A fresh copy of the lab's network, replayed from the document up to the session's clock: what
   * a trace runs in, so a trace leaves the open lab as it was and gives the same steps as
   * `podnet trace` on the saved file. It has the open lab's configuration and clock, but none of
   * the state observations left (ARP entries a ping filled). The spare replay (spareStep) is
   * taken when it replays the same history: finished if need be and run on to the clock, which
   * is the same replay (the clock run to a time in two runs is run to it in one).
   */
  fork(work: WorkOptions = {}): { world: World; cluster: Cluster | null } {
    // Long work the host follows (progress, cancel) takes a spare only when it is ready.
    const spare = this.takeSpare(work.signal === undefined && work.progress === undefined)
    if (spare) return spare
    const rt = instantiate(this.doc, { ...work, untilNs: this.world.sched.now })
    return { world: rt.world, cluster: rt.cluster }
  }

  /**
   * One step towards a spare replay for the next fork (a big lab's replay takes seconds, which a
   * trace would otherwise wait for): the host calls it while it has nothing else to do. A spare
   * of another history (the lab changed since) is dropped and a new one started. False once the
   * spare is ready.
   */
  spareStep(): boolean {
    let spare = this.spare
    if (spare && !this.spareFits(spare)) spare = this.spare = null
    if (spare?.ready) return false
    if (!spare) {
      const doc: LabDoc = { ...this.doc, spec: { ...this.doc.spec, commands: [...this.doc.spec.commands] } }
      spare = this.spare = { doc, steps: instantiateSteps(doc, { untilNs: this.world.sched.now }), ready: null }
    }
    try {
      const r = spare.steps.next()
      if (r.done) spare.ready = { world: r.value.world, cluster: r.value.cluster }
    } catch {
      // A lab that cannot be replayed has no spare; fork() reports why, when asked.
      this.spare = { ...spare, ready: 'failed' }
      return false
    }
    return spare.ready === null
  }

  /** Whether a spare is being made or ready (for tests and hosts). */
  get spareState(): 'none' | 'building' | 'ready' {
    const spare = this.spare
    if (!spare || !this.spareFits(spare) || spare.ready === 'failed') return 'none'
    return spare.ready ? 'ready' : 'building'
  }

  /** The spare replay, finished and run on to the session's clock, if it replays this history; it is used up. */
  private takeSpare(finish: boolean): { world: World; cluster: Cluster | null } | null {
    const spare = this.spare
    if (!spare || !this.spareFits(spare) || spare.ready === 'failed' || (!spare.ready && !finish)) return null
    this.spare = null
    let ready = spare.ready
    if (!ready) {
      for (;;) {
        const r = spare.steps.next()
        if (r.done) {
          ready = { world: r.value.world, cluster: r.value.cluster }
          break
        }
      }
    }
    const { world } = ready
    const until = Math.max(this.world.sched.now, this.doc.spec.clock === undefined ? 0 : secondsToNs(this.doc.spec.clock))
    if (until > world.sched.now) withinLoadBound(world, () => world.sched.run(until))
    return ready
  }

  /** A spare replays the lab as it is: the same start, the same history, and a clock not past the session's. */
  private spareFits(spare: Spare): boolean {
    const a = spare.doc.spec
    const b = this.doc.spec
    if (a.seed !== b.seed || a.cluster !== b.cluster || a.setup !== b.setup || a.commands.length !== b.commands.length) return false
    if (spare.ready && spare.ready !== 'failed' && spare.ready.world.sched.now > this.world.sched.now) return false
    for (let i = 0; i < a.commands.length; i++) {
      const x = a.commands[i]
      const y = b.commands[i]
      if (x === y) continue
      if (typeof x === 'string' || typeof y === 'string' || x.at !== y.at || x.run !== y.run) return false
    }
    return true
  }

  /**
   * Takes back the last change: the lab is rebuilt without it. Simulated time does not go back:
   * the rebuilt lab runs on to the clock the session had reached.
   */
  undo(): boolean {
    const step = this.layoutSteps.at(-1)
    if (step && this.undoIsMove) {
      // The latest step is a move: only the layout goes back.
      this.layoutSteps.pop()
      this.putLayout(step.before)
      this.redoStack.push(step)
      return true
    }
    const last = this.doc.spec.commands.pop()
    if (last === undefined) return false
    this.redoStack.push(typeof last === 'string' ? last : last.run)
    this.rebuild({ untilNs: this.world.sched.now })
    this.dirty = true
    return true
  }

  /** Applies the last undone change again, now. */
  redo(): LineResult | null {
    const line = this.redoStack.pop()
    if (line === undefined) return null
    if (typeof line !== 'string') {
      this.layoutSteps.push({ ...line, depth: this.doc.spec.commands.length })
      this.putLayout(line.after)
      return { exitCode: 0, stdout: '', stderr: '', effect: 'change', changes: [] }
    }
    const keep = this.redoStack
    const r = this.exec(line)
    this.redoStack = keep
    return r
  }

  /** The lab file text; it records the clock, so the saved lab reopens at the same time. */
  save(): string {
    this.dirty = false
    return this.text()
  }

  /** The lab file text without marking it saved (recovery autosaves). */
  text(): string {
    this.doc.spec.clock = nsToSeconds(this.world.sched.now)
    // Positions of namespaces that are gone are left out (kept in memory: an undo may bring them back).
    const layout = layoutToSave(this.doc.layout, (name) => this.world.netns(name) !== undefined)
    const { layout: _all, ...rest } = this.doc
    return serializeLab(layout ? { ...rest, layout } : rest)
  }

  /** Only the latest moves can be undone (each keeps two whole layouts). */
  private trimLayoutSteps(): void {
    if (this.layoutSteps.length > MAX_LAYOUT_STEPS) this.layoutSteps.splice(0, this.layoutSteps.length - MAX_LAYOUT_STEPS)
  }
}

/** A replay made ahead: the document as it was (its history copied), its steps, and the lab once built. */
interface Spare {
  doc: LabDoc
  steps: Generator<void, LabRuntime>
  ready: { world: World; cluster: Cluster | null } | 'failed' | null
}

/** How many moves on the canvas undo can take back. */
const MAX_LAYOUT_STEPS = 200

/** A move on the canvas as an undo step: the layouts before and after, and where in the history it was made. */
interface LayoutStep {
  before: LabLayout | undefined
  after: LabLayout | undefined
  /** How many changes the history held when the move was made. */
  depth: number
}
