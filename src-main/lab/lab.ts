import { run, type CommandResult } from '../engine/commands/index.ts'
import { tokenize } from '../engine/commands/shell.ts'
import { NS_PER_MS } from '../engine/kernel/scheduler.ts'
import { World } from '../engine/kernel/world.ts'
import { Cluster } from '../k8s/cluster.ts'
import { MAX_CLOCK_NS, MAX_LOAD_EVENTS } from '../engine/kernel/budget.ts'
import { KernelError, STRERROR } from '../engine/kernel/errors.ts'
import { MODES, SpecError, type Mode } from '../k8s/spec.ts'
import { clusterPathToLabPath, fieldPosition, type LabDoc } from './format.ts'

/** A lab brought to life: its World, its Cluster (if any), and what each command printed. */
export interface LabRuntime {
  world: World
  cluster: Cluster | null
  /** Results of spec.commands, in order. */
  results: CommandResult[]
  /** Results of spec.setup (the lab's starting point), in order. */
  setupResults: CommandResult[]
}

/** A lab that cannot be built: which field or command, and why (and, once located, where in its file). */
export class LabBuildError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly at?: { file: string; line: number; col: number },
  ) {
    super(at ? `${at.file}:${at.line}:${at.col}: ${path}: ${problem}` : `${path}: ${problem}`)
  }

  /** The same error, placed at its field's line and column in the lab file's text. */
  locate(text: string, file: string): LabBuildError {
    return new LabBuildError(this.path, this.problem, { file, ...fieldPosition(text, this.path) })
  }
}

/** Builds the cluster of a lab, then replays its commands. */
export function instantiate(doc: LabDoc): LabRuntime {
  const world = new World({ seed: doc.spec.seed })
  let cluster: Cluster | null = null
  if (doc.spec.cluster) {
    try {
      cluster = new Cluster(world, doc.spec.cluster)
      cluster.build()
    } catch (e) {
      if (e instanceof SpecError) throw new LabBuildError(clusterPathToLabPath(e.path), e.problem)
      throw e
    }
  }
  const replay = (field: 'setup' | 'commands'): CommandResult[] =>
    (doc.spec[field] ?? []).map((line, i) => {
      const r = execLine(world, cluster, line)
      if (world.sched.hit === 'load') throw new LabBuildError(`spec.${field}[${i}]`, `replaying the history up to here runs more than ${MAX_LOAD_EVENTS} simulation events, the most a lab may take to open`)
      return r
    })
  return withinLoadBound(world, () => {
    const setupResults = replay('setup')
    const results = replay('commands')
    return { world, cluster, results, setupResults }
  })
}

/**
 * Runs f with the bound of a whole lab (budget.ts): all the events since the World was made, and
 * the latest its clock may reach. A session runs its commands within it too, so what it keeps
 * can always be opened again.
 */
export function withinLoadBound<T>(world: World, f: () => T, maxEvents = MAX_LOAD_EVENTS): T {
  const s = world.sched
  const outer = s.limit
  s.limit = { events: maxEvents, eventsHit: 'load', untilNs: MAX_CLOCK_NS, untilHit: 'clock' }
  try {
    return f()
  } finally {
    s.limit = outer
  }
}

/**
 * Runs one line: a `podnet ...` lab command, or the command language in the World. `overhead`
 * false leaves out the pause a command takes (a session adds it once it knows the line counts).
 */
export function execLine(world: World, cluster: Cluster | null, line: string, readOnlyFree = false, overhead = true): CommandResult {
  const argv = words(line)
  if (argv && argv[0] === 'podnet') {
    const r = podnetCommand(cluster, argv.slice(1))
    if (overhead) world.advance(2 * NS_PER_MS)
    return r
  }
  // Reading tables takes no simulated time in a session, so looking never changes the network.
  if (readOnlyFree && argv && isReadOnly(argv)) return run(world, line, undefined, 0)
  return run(world, line, undefined, overhead ? undefined : 0)
}

function words(line: string): string[] | null {
  const t = tokenize(line)
  if (typeof t === 'string') return null
  if (t.some((x) => !('word' in x))) return null
  return t.map((x) => (x as { word: string }).word)
}

/**
 * Whether a command only reads state (show/list/get), so a session need not record it in the
 * lab's history. Anything that may change the network (or let time pass) counts as a change.
 */
export function isReadOnly(argv: string[]): boolean {
  let a = argv
  while (a[0] === 'ip' && a[1] === 'netns' && a[2] === 'exec' && a.length > 4) a = a.slice(4)
  const [prog, ...rest] = a
  const verbs = rest.filter((w) => !w.startsWith('-'))
  switch (prog) {
    case 'ip': {
      const args = stripIpOpts(rest)
      const obj = args[0]
      const verb = args[1]
      if (obj === undefined) return true
      if (verb === undefined) return true
      return ['show', 'list', 'lst'].some((v) => v.startsWith(verb)) || ['get', 'identify', 'list-id'].includes(verb)
    }
    case 'bridge': {
      const args = stripIpOpts(rest)
      return args[1] === undefined || ['show', 'list', 'lst'].includes(args[1])
    }
    case 'route':
    case 'ifconfig':
      return verbs.length <= 1 && !rest.some((w) => ['add', 'del', 'up', 'down', 'mtu', 'hw'].includes(w))
    case 'arp':
      return !rest.some((w) => w.startsWith('-') && (w.includes('s') || w.includes('d')))
    case 'brctl':
      return rest[0] === undefined || rest[0] === 'show' || rest[0] === 'showmacs'
    case 'sysctl':
      return !rest.some((w) => w.includes('=') || (w.startsWith('-') && w.includes('w')))
    case 'echo':
    case 'true':
    case 'false':
    case 'clear':
    case 'exit':
      return true
    case 'bash':
    case 'sh':
      return !rest.includes('-c')
    default:
      return false
  }
}

function stripIpOpts(args: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const w = args[i]
    if (w.startsWith('-') && out.length === 0) {
      if (w === '-n' || (w.length > 2 && '-netns'.startsWith(w))) i++
      continue
    }
    out.push(w)
  }
  return out
}

/**
 * Lab-level commands (what kubectl and the cluster's components do): add or remove a node or a
 * pod, move a pod, change how pods on different nodes reach each other. They change the Cluster,
 * which performs the network operations.
 */
function podnetCommand(cluster: Cluster | null, argv: string[]): CommandResult {
  const out = (code: number, stdout: string, stderr = ''): CommandResult => ({ exitCode: code, stdout, stderr })
  if (!cluster) return out(1, '', 'podnet: this lab has no cluster\n')
  const [obj, verb, name, ...opts] = argv
  const opt = (k: string): string | undefined => {
    const i = opts.indexOf(`--${k}`)
    return i >= 0 ? opts[i + 1] : undefined
  }
  try {
    if (obj === 'node' && verb === 'add' && name) {
      const n = cluster.addNode({ name, ...(opt('ip') ? { ip: opt('ip') } : {}), pods: [] })
      return out(0, `node/${n.name} added\n`)
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
      const p = cluster.movePod(name, node)
      return out(0, `pod/${p.name} moved to ${node}\n`)
    }
  } catch (e) {
    if (e instanceof SpecError) return out(1, '', `podnet: ${e.problem}\n`)
    // The kernel refused an operation the lab's checks did not foresee (a name the user took
    // with ip commands meanwhile): reported like the netlink error it is.
    if (e instanceof KernelError) return out(1, '', `podnet: ${argv.slice(0, 3).join(' ')}: ${STRERROR[e.errno]}${e.extack ? ` (${e.extack})` : ''}\n`)
    throw e
  }
  return out(1, '', `podnet: unknown lab command "${argv.join(' ')}" (node add|del NAME, pod add|del|move NAME --node NODE, cluster mode MODE)\n`)
}
