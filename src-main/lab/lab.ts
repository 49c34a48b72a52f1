import { COMMAND_OVERHEAD_NS, runTracked, type LineResult } from '../engine/commands/index.ts'
import { quoteArgv, tokenize } from '../engine/commands/shell.ts'
import { World } from '../engine/kernel/world.ts'
import { Cluster } from '../k8s/cluster.ts'
import { MAX_CLOCK_NS, MAX_LOAD_EVENTS } from '../engine/kernel/budget.ts'
import { KernelError, STRERROR } from '../engine/kernel/errors.ts'
import { MODES, SpecError, type Mode } from '../k8s/spec.ts'
import { throwIfCancelled, type WorkOptions } from '../engine/kernel/work.ts'
import { formatMessage } from '../../shared/messages/index.ts'
import { says, type Problem } from '../../shared/messages/problem.ts'
import { clusterPathToLabPath, commandLine, commandTimeNs, fieldPosition, nsToSeconds, secondsToNs, type LabDoc, type TimedCommand } from './format.ts'

/** A lab brought to life: its World, its Cluster (if any), and what each command printed. */
export interface LabRuntime {
  world: World
  cluster: Cluster | null
  /** Results of spec.commands, in order. */
  results: LineResult[]
  /** Results of spec.setup (the lab's starting point), in order. */
  setupResults: LineResult[]
  /**
   * The history as a session keeps it: every change with the time it was applied at. Timed
   * entries stay as they are; a bare line becomes the changes it made (observations and reads in
   * it are dropped, as a session never records them).
   */
  history: TimedCommand[]
}

/** A lab that cannot be built: which field or command, and why (and, once located, where in its file). */
export class LabBuildError extends Error {
  /** The problem in English (what `message` ends with; the CLI prints it). */
  readonly problem: string

  constructor(
    readonly path: string,
    /** The problem by message key, for views in the learner's language. */
    readonly reason: Problem,
    readonly at?: { file: string; line: number; col: number },
  ) {
    const problem = formatMessage(reason.msg, reason.params, 'en')
    super(at ? `${at.file}:${at.line}:${at.col}: ${path}: ${problem}` : `${path}: ${problem}`)
    this.problem = problem
  }

  /** The same error, placed at its field's line and column in the lab file's text. */
  locate(text: string, file: string): LabBuildError {
    return new LabBuildError(this.path, this.reason, { file, ...fieldPosition(text, this.path) })
  }

  /** The key and parameters a view words the whole error with: the problem's, and where it is (atPath; atFile, atLine, atCol once located). */
  located(): Problem {
    const where: Record<string, string | number> = this.at ? { atFile: this.at.file, atLine: this.at.line, atCol: this.at.col } : {}
    return { msg: this.reason.msg, params: { ...this.reason.params, ...where, atPath: this.path } }
  }
}

export interface InstantiateOptions extends WorkOptions {
  /** Run the clock on to this time at the end (a fork of a session runs to the session's clock). */
  untilNs?: number
}

/**
 * Builds the cluster of a lab, then replays its history: each timed change at its time, each bare
 * line right after the one before (with the pause a command takes). Observations are skipped:
 * they are not part of a lab, so learned state (ARP entries a ping left) is not either.
 */
export function instantiate(doc: LabDoc, opts: InstantiateOptions = {}): LabRuntime {
  const steps = instantiateSteps(doc, opts)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * instantiate() one step at a time: the generator stops after each step of the cluster's build
 * (Cluster.buildSteps) and each command of the history, and returns the lab. A host builds a
 * spare replay this way in slices while it has nothing else to do (spare.ts). Between steps the
 * World keeps the lab's bound (budget.ts) it is built under.
 */
export function* instantiateSteps(doc: LabDoc, opts: InstantiateOptions = {}): Generator<void, LabRuntime> {
  const world = new World({ seed: doc.spec.seed })
  let cluster: Cluster | null = null
  if (doc.spec.cluster) {
    try {
      cluster = new Cluster(world, doc.spec.cluster)
      yield* cluster.buildSteps(opts)
    } catch (e) {
      if (e instanceof SpecError) throw new LabBuildError(clusterPathToLabPath(e.path), e.reason)
      throw e
    }
  }
  const tooHeavy = (path: string): LabBuildError => new LabBuildError(path, says('build.too_heavy', { max: MAX_LOAD_EVENTS }))
  const { signal, progress } = opts
  // Between commands, and every so many events within one, the host may stop the replay.
  world.sched.signal = signal ?? null
  const total = doc.spec.commands.length
  // The bound of a whole lab (withinLoadBound, kept across the steps).
  const s = world.sched
  const outer = s.limit
  s.limit = loadBound()
  try {
    // The setup is the lab's starting point: bare lines, replayed before the history.
    const setupResults = (doc.spec.setup ?? []).map((line, i) => {
      const r = execLine(world, cluster, line, { replay: true, overhead: true })
      if (world.sched.hit === 'load') throw tooHeavy(`spec.setup[${i}]`)
      return r
    })
    const results: LineResult[] = []
    const history: TimedCommand[] = []
    for (const [i, c] of doc.spec.commands.entries()) {
      throwIfCancelled(signal)
      if (progress && total) progress({ phase: 'replay', done: i, total })
      const line = commandLine(c)
      const at = commandTimeNs(c)
      if (at !== undefined && at > world.sched.now) world.sched.run(at)
      const r = execLine(world, cluster, line, { replay: true, overhead: at === undefined })
      if (world.sched.hit === 'load') throw tooHeavy(`spec.commands[${i}]`)
      results.push(r)
      if (at !== undefined) history.push({ at: nsToSeconds(at), run: line })
      else for (const ch of r.changes) history.push({ at: nsToSeconds(ch.atNs), run: quoteArgv(ch.argv) })
      yield
    }
    const until = Math.max(opts.untilNs ?? 0, doc.spec.clock === undefined ? 0 : secondsToNs(doc.spec.clock))
    if (until > world.sched.now) world.sched.run(until)
    if (progress && total) progress({ phase: 'replay', done: total, total })
    return { world, cluster, results, setupResults, history }
  } finally {
    s.limit = outer
    world.sched.signal = null
  }
}

/** The bound of a whole lab (budget.ts): all the events since the World was made, and the latest its clock may reach. */
function loadBound(maxEvents = MAX_LOAD_EVENTS): NonNullable<World['sched']['limit']> {
  return { events: maxEvents, eventsHit: 'load', untilNs: MAX_CLOCK_NS, untilHit: 'clock' }
}

/**
 * Runs f with the bound of a whole lab (budget.ts): all the events since the World was made, and
 * the latest its clock may reach. A session runs its commands within it too, so what it keeps
 * can always be opened again.
 */
export function withinLoadBound<T>(world: World, f: () => T, maxEvents = MAX_LOAD_EVENTS): T {
  const s = world.sched
  const outer = s.limit
  s.limit = loadBound(maxEvents)
  try {
    return f()
  } finally {
    s.limit = outer
  }
}

export interface ExecOptions {
  /**
   * The namespace every simple command of the line runs in (a terminal open in that namespace);
   * a change is recorded as `ip netns exec NS COMMAND`. Lab commands (`podnet ...`) ignore it.
   */
  netns?: string
  /** Let the per-command pause pass after the line (default: yes, unless the line only read). */
  overhead?: boolean
  /** Reads take no simulated time, so looking never changes the network (a session's terminal). */
  readOnlyFree?: boolean
  /** Replaying a history: observations are skipped. */
  replay?: boolean
  /** Run the events due at the instant an observation ended before the next command (sessions). */
  settle?: boolean
}

/**
 * Runs one line: a `podnet ...` lab command, or the command language in the World. The result
 * says what the line did (its effect, and each simple command that changed something).
 */
export function execLine(world: World, cluster: Cluster | null, line: string, opts: ExecOptions | boolean = {}): LineResult {
  const o: ExecOptions = typeof opts === 'boolean' ? { readOnlyFree: opts } : opts
  const argv = words(line)
  if (argv && argv[0] === 'podnet') {
    const atNs = world.sched.now
    const r = podnetCommand(cluster, argv.slice(1))
    // In a session a lab command that failed changed nothing and takes no time, like a read.
    if (o.overhead ?? !(o.readOnlyFree && r.exitCode !== 0)) world.advance(COMMAND_OVERHEAD_NS)
    // A lab command is applied whole or not at all (cluster.ts rolls back one that failed part way).
    return { ...r, effect: 'change', changes: r.exitCode === 0 ? [{ argv, atNs, exitCode: 0 }] : [] }
  }
  const ns = o.netns ? world.netns(o.netns) : undefined
  if (o.netns && !ns) return { exitCode: 1, stdout: '', stderr: `Cannot open network namespace "${o.netns}": No such file or directory\n`, effect: 'read', changes: [] }
  const r = runTracked(world, line, { replay: o.replay, settle: o.settle, ns })
  if (o.netns) for (const c of r.changes) c.argv = ['ip', 'netns', 'exec', o.netns, ...c.argv]
  const pause = o.overhead ?? !(o.readOnlyFree && r.effect === 'read')
  if (pause) world.advance(COMMAND_OVERHEAD_NS)
  return r
}

function words(line: string): string[] | null {
  const t = tokenize(line)
  if (typeof t === 'string') return null
  if (t.some((x) => !('word' in x))) return null
  return t.map((x) => (x as { word: string }).word)
}

/**
 * Lab-level commands (what kubectl and the cluster's components do): add or remove a node or a
 * pod, move a pod, change how pods on different nodes reach each other. They change the Cluster,
 * which performs the network operations.
 */
function podnetCommand(cluster: Cluster | null, argv: string[]): { exitCode: number; stdout: string; stderr: string } {
  const out = (code: number, stdout: string, stderr = ''): { exitCode: number; stdout: string; stderr: string } => ({ exitCode: code, stdout, stderr })
  if (!cluster) return out(1, '', 'podnet: this lab has no cluster\n')
  const [obj, verb, name, ...opts] = argv
  const opt = (k: string): string | undefined => {
    const i = opts.indexOf(`--${k}`)
    return i >= 0 ? opts[i + 1] : undefined
  }
  try {
    if (obj === 'node' && verb === 'add' && name) {
      // --switch/--router: wire it there; --unwired: nowhere yet; neither: a scenario's underlay.
      const wire = opts.includes('--unwired') ? null : (opt('switch') ?? opt('router'))
      const n = cluster.addNode({ name, ...(opt('ip') ? { ip: opt('ip') } : {}), pods: [] }, wire)
      return out(0, `node/${n.name} added\n`)
    }
    if ((obj === 'switch' || obj === 'router') && verb === 'add' && name) {
      if (obj === 'switch') cluster.addSwitch(name, opt('cidr'))
      else cluster.addRouter(name)
      return out(0, `${obj}/${name} added\n`)
    }
    if ((obj === 'switch' || obj === 'router') && (verb === 'del' || verb === 'delete') && name) {
      cluster.removeNamespace(name)
      return out(0, `${obj}/${name} deleted\n`)
    }
    if (obj === 'link' && (verb === 'add' || verb === 'del' || verb === 'delete') && name && opts[0] && !opts[0].startsWith('-')) {
      return out(0, `${verb === 'add' ? cluster.connect(name, opts[0]) : cluster.disconnect(name, opts[0])}\n`)
    }
    if (obj === 'delete' && verb) {
      // Several things in one change (one undo step): all of them, or none if one cannot go.
      // NS/DEV names a link by one of its ends (namespace and device names hold no slash; /DEV: the host's).
      const names = [verb, ...(name ? [name] : []), ...opts]
      for (const n of names) {
        const slash = n.indexOf('/')
        if (slash < 0) cluster.removeNamespace(n)
        else cluster.removeLink(n.slice(0, slash), n.slice(slash + 1))
      }
      return out(0, names.map((n) => `${n.includes('/') ? `link ${n}` : n} deleted\n`).join(''))
    }
    if (obj === 'node' && (verb === 'del' || verb === 'delete') && name) {
      cluster.removeNode(name)
      return out(0, `node/${name} deleted\n`)
    }
    if (obj === 'pod' && verb === 'add' && name) {
      const node = opt('node')
      if (!node) return out(1, '', 'podnet: pod add needs --node NODE\n')
      const mtu = opt('mtu')
      if (mtu !== undefined && !/^\d{1,5}$/.test(mtu)) return out(1, '', `podnet: --mtu must be a whole number from 68 to 65535, not "${mtu}"\n`)
      const p = cluster.addPod(node, { name, ...(opt('ip') ? { ip: opt('ip') } : {}), ...(mtu !== undefined ? { mtu: Number(mtu) } : {}) })
      return out(0, `pod/${p.name} added on ${node}\n`)
    }
    if (obj === 'pod' && (verb === 'del' || verb === 'delete') && name) {
      cluster.removePod(name)
      return out(0, `pod/${name} deleted\n`)
    }
    if (obj === 'cluster' && verb === 'mode' && name) {
      if (!MODES.includes(name as Mode)) return out(1, '', `podnet: unknown mode "${name}" (${MODES.join(', ')})\n`)
      const from = cluster.mode
      cluster.setMode(name as Mode)
      return out(0, `cluster mode changed from ${from} to ${name}\n`)
    }
    if (obj === 'pod' && verb === 'move' && name) {
      const node = opt('node')
      if (!node) return out(1, '', 'podnet: pod move needs --node NODE\n')
      // Several pods (the canvas moves a selection): all in one change, or none if one cannot go.
      const end = opts.findIndex((o) => o.startsWith('--'))
      const more = end < 0 ? opts : opts.slice(0, end)
      const moved = [name, ...more].map((pod) => cluster.movePod(pod, node))
      return out(0, moved.map((p) => `pod/${p.name} moved to ${node}\n`).join(''))
    }
  } catch (e) {
    if (e instanceof SpecError) return out(1, '', `podnet: ${e.problem}\n`)
    // The kernel refused an operation the lab's checks did not foresee (a name the user took
    // with ip commands meanwhile): reported like the netlink error it is.
    if (e instanceof KernelError) return out(1, '', `podnet: ${argv.slice(0, 3).join(' ')}: ${STRERROR[e.errno]}${e.extack ? ` (${e.extack})` : ''}\n`)
    throw e
  }
  return out(1, '', `podnet: unknown lab command "${argv.join(' ')}" (node add|del NAME, pod add|del NAME --node NODE, pod move NAME... --node NODE, switch add|del NAME, router add|del NAME, link add|del A B, delete NAME|NS/DEV..., cluster mode MODE)\n`)
}
