import { COMMAND_OVERHEAD_NS, type CommandResult } from '../engine/commands/index.ts'
import { NS_PER_MS } from '../engine/kernel/scheduler.ts'
import { MAX_HISTORY_COMMANDS } from '../k8s/limits.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { scenarioSpec } from '../k8s/scenarios.ts'
import { API_VERSION, KIND, parseLab, serializeLab, type LabDoc } from './format.ts'
import { execLine, instantiate, isReadOnly, LabBuildError, withinLoadBound } from './lab.ts'
import { tokenize } from '../engine/commands/shell.ts'

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
 * One open lab: the document (cluster spec plus the history of changes as command lines), the
 * running World, and an undo/redo stack over that history. Every change, from the terminal, a
 * panel or the canvas, is a command line, so one undo covers them all and a saved lab replays to
 * the same network.
 */
export class LabSession {
  doc: LabDoc
  world!: World
  cluster!: Cluster | null
  private redoStack: string[] = []
  /** Whether the document changed since it was last saved. */
  dirty = false

  constructor(doc: LabDoc) {
    this.doc = structuredClone(doc)
    this.rebuild()
  }

  /** Opens lab file text; a lab that parses but cannot be built is reported at its field's line. */
  static fromText(text: string, file = 'lab.yaml'): LabSession {
    const doc = parseLab(text, file)
    try {
      return new LabSession(doc)
    } catch (e) {
      if (e instanceof LabBuildError) throw e.locate(text, file)
      throw e
    }
  }

  private rebuild(): void {
    const rt = instantiate(this.doc)
    this.world = rt.world
    this.cluster = rt.cluster
  }

  get canUndo(): boolean {
    return this.doc.spec.commands.length > 0
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0
  }

  /**
   * Runs a line in a namespace (or the host). Lines that change anything are recorded in the
   * lab's history; pure reads are not, and take no simulated time. A failed `ip`, `bridge` or
   * `podnet` command is not recorded either: each is one netlink request (or one lab edit) that
   * the kernel applies whole or not at all, so a failure changed nothing worth an undo step, and
   * takes no simulated time either: the open lab stays equal to the replay of its saved file. A
   * lab command that failed part way is rolled back whole.
   */
  exec(line: string, netns?: string): CommandResult {
    const full = netns ? `ip netns exec ${netns} ${line}` : line
    const t = tokenize(full)
    const argv = typeof t === 'string' ? null : t.every((x) => 'word' in x) ? t.map((x) => (x as { word: string }).word) : null
    const readOnly = argv !== null && argv[0] !== 'podnet' && isReadOnly(argv)
    if (!readOnly && this.doc.spec.commands.length >= MAX_HISTORY_COMMANDS) {
      return { exitCode: 1, stdout: '', stderr: `podnet: the lab's history is full (${MAX_HISTORY_COMMANDS} changes); save it and start a new lab from it to go on\n` }
    }
    const opsBefore = this.cluster?.ops.lineCount ?? 0
    const r = withinLoadBound(this.world, () => execLine(this.world, this.cluster, full, true, false))
    if (this.world.sched.hit === 'load' && !readOnly) {
      // Kept, it would make the lab's file too heavy to open: rolled back instead.
      this.rebuild()
      return { ...r, stderr: `${r.stderr}podnet: not kept: the lab could not be opened again with this command in its history\n` }
    }
    const failedWhole = r.exitCode !== 0 && argv !== null && isAtomicRequest(argv)
    if (!readOnly && !failedWhole) {
      this.world.advance(argv?.[0] === 'podnet' ? 2 * NS_PER_MS : COMMAND_OVERHEAD_NS)
      this.doc.spec.commands.push(full)
      this.redoStack = []
      this.dirty = true
    } else if (failedWhole && argv?.[0] === 'podnet' && (this.cluster?.ops.lineCount ?? 0) !== opsBefore) this.rebuild()
    return r
  }

  /**
   * A fresh copy of the lab's network, replayed from the document: what a trace runs in, so a
   * trace leaves the open lab as it was and gives the same steps as `podnet trace` on the saved
   * file (the open lab's world is always equal to this replay, since reads take no time).
   */
  fork(): { world: World; cluster: Cluster | null } {
    const rt = instantiate(this.doc)
    return { world: rt.world, cluster: rt.cluster }
  }

  undo(): boolean {
    const last = this.doc.spec.commands.pop()
    if (last === undefined) return false
    this.redoStack.push(last)
    this.rebuild()
    this.dirty = true
    return true
  }

  redo(): CommandResult | null {
    const line = this.redoStack.pop()
    if (line === undefined) return null
    const keep = this.redoStack
    const r = this.exec(line)
    this.redoStack = keep
    return r
  }

  save(): string {
    this.dirty = false
    return serializeLab(this.doc)
  }
}

/** `ip …`, `bridge …` and `podnet …`, also under `ip netns exec NAME`: all-or-nothing requests. */
function isAtomicRequest(argv: string[]): boolean {
  let a = argv
  while (a[0] === 'ip' && a[1] === 'netns' && a[2] === 'exec' && a.length > 4) a = a.slice(4)
  return a[0] === 'ip' || a[0] === 'bridge' || a[0] === 'podnet'
}
