import { writeFileAtomic, readText } from '../lab/files.ts'
import { LabFormatError, parseLab, serializeLab, type LabDoc } from '../lab/format.ts'
import { instantiate, LabBuildError, execLine } from '../lab/lab.ts'
import { scenarioLab } from '../lab/session.ts'
import { exportScript } from '../lab/export-iproute2.ts'
import { formatReport, traceInLab, TraceRequestError } from '../lab/trace-report.ts'
import { SCENARIOS, scenarioNames } from '../k8s/scenarios.ts'
import { World } from '../engine/kernel/world.ts'
import { run } from '../engine/commands/index.ts'
import type { Lang } from '../../shared/messages/index.ts'

const USAGE = `Usage: podnet COMMAND [ARGS]

  podnet new SCENARIO [--nodes N] [--pods-per-node M] [-o FILE]
        write a lab file for a built-in scenario (${scenarioNames().join(', ')})
  podnet trace FILE --from POD --to POD|IP [--proto icmp|udp] [--port N] [--size N] [--warm] [--json] [--lang en|ja]
        send one packet in the lab and explain its path step by step
  podnet run SCRIPT [--lab FILE] [--json]
        run a file of commands (one a line, # comments) in the lab or in an empty world
  podnet exec FILE [--netns NS] -- COMMAND...
        run one command in the lab (after its history) and print its output
  podnet export FILE --format iproute2 [--prefix P] [--teardown]
        print a bash script that builds (or removes) the lab on a real Linux machine
  podnet scenarios
        list the built-in scenarios
`

class CliError extends Error {
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message)
  }
}

interface Io {
  out: (s: string) => void
  err: (s: string) => void
}

/** Parses `--flag value` / `-o value` options; positional words are returned in order. */
function parseFlags(args: string[], withValue: string[], boolean: string[]): { flags: Map<string, string | true>; pos: string[]; rest: string[] } {
  const flags = new Map<string, string | true>()
  const pos: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') return { flags, pos, rest: args.slice(i + 1) }
    if (a.startsWith('-') && a.length > 1) {
      const [k, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]
      if (withValue.includes(k)) {
        const v = inline ?? args[++i]
        if (v === undefined) throw new CliError(`podnet: option ${k} needs a value`)
        flags.set(k, v)
      } else if (boolean.includes(k)) flags.set(k, true)
      else throw new CliError(`podnet: unknown option "${a}"\n\n${USAGE}`)
    } else pos.push(a)
  }
  return { flags, pos, rest: [] }
}

function intFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name)
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new CliError(`podnet: ${name} needs a whole number, not "${String(v)}"`)
  return Number(v)
}

function loadLab(file: string): LabDoc {
  let text: string
  try {
    text = readText(file)
  } catch (e) {
    throw new CliError(`podnet: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`, 1)
  }
  try {
    return parseLab(text, file)
  } catch (e) {
    if (e instanceof LabFormatError) throw new CliError(`podnet: ${e.message}`, 1)
    throw e
  }
}

function build(doc: LabDoc, file: string): ReturnType<typeof instantiate> {
  try {
    return instantiate(doc)
  } catch (e) {
    if (e instanceof LabBuildError) throw new CliError(`podnet: ${file}: ${e.message}`, 1)
    throw e
  }
}

function cmdNew(args: string[], io: Io): number {
  const { flags, pos } = parseFlags(args, ['--nodes', '--pods-per-node', '-o', '--output', '--name'], [])
  const scenario = pos[0]
  if (!scenario) throw new CliError(`podnet new: which scenario? (${scenarioNames().join(', ')})`)
  if (pos.length > 1) throw new CliError(`podnet new: unexpected argument "${pos[1]}"`)
  const nodes = intFlag(flags, '--nodes')
  const podsPerNode = intFlag(flags, '--pods-per-node')
  let doc: LabDoc
  try {
    doc = scenarioLab(scenario, nodes, podsPerNode)
  } catch (e) {
    throw new CliError(`podnet new: ${(e as Error).message}`)
  }
  const name = flags.get('--name')
  if (typeof name === 'string') doc.metadata.name = name
  // Write the cluster with every address explicit, so the file says what the lab is.
  const rt = build(doc, scenario)
  if (rt.cluster) doc.spec.cluster = rt.cluster.toSpec()
  const text = serializeLab(doc)
  const out = (flags.get('-o') ?? flags.get('--output')) as string | undefined
  if (out) {
    try {
      writeFileAtomic(out, text)
    } catch (e) {
      throw new CliError(`podnet new: cannot write ${out}: ${(e as Error).message}`, 1)
    }
  } else io.out(text)
  return 0
}

function cmdTrace(args: string[], io: Io): number {
  const { flags, pos } = parseFlags(args, ['--from', '--to', '--proto', '--port', '--size', '--lang'], ['--json', '--warm', '--df'])
  const file = pos[0]
  if (!file) throw new CliError('podnet trace: which lab file?')
  const from = flags.get('--from')
  const to = flags.get('--to')
  if (typeof from !== 'string' || typeof to !== 'string') throw new CliError('podnet trace: --from POD and --to POD|IP are required')
  const proto = (flags.get('--proto') ?? 'icmp') as string
  if (proto !== 'icmp' && proto !== 'udp') throw new CliError(`podnet trace: --proto must be icmp or udp, not "${proto}"`)
  const lang = (flags.get('--lang') ?? 'en') as string
  if (lang !== 'en' && lang !== 'ja') throw new CliError(`podnet trace: --lang must be en or ja, not "${lang}"`)
  const doc = loadLab(file)
  const rt = build(doc, file)
  let rep
  try {
    rep = traceInLab(rt.world, rt.cluster, { from, to, proto, port: intFlag(flags, '--port'), size: intFlag(flags, '--size'), warm: flags.has('--warm'), df: flags.has('--df') ? true : undefined }, lang as Lang)
  } catch (e) {
    if (e instanceof TraceRequestError) throw new CliError(`podnet trace: ${e.message}`, 1)
    throw e
  }
  if (flags.has('--json')) io.out(JSON.stringify(rep, null, 2) + '\n')
  else io.out(formatReport(rep, lang as Lang))
  return rep.outcome.kind === 'reply' || rep.outcome.kind === 'delivered' ? 0 : 1
}

function cmdRun(args: string[], io: Io): number {
  const { flags, pos } = parseFlags(args, ['--lab'], ['--json'])
  const script = pos[0]
  if (!script) throw new CliError('podnet run: which command file?')
  let text: string
  try {
    text = readText(script)
  } catch (e) {
    throw new CliError(`podnet run: cannot read ${script}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`, 1)
  }
  const labFile = flags.get('--lab')
  let world: World
  let cluster = null
  if (typeof labFile === 'string') {
    const rt = build(loadLab(labFile), labFile)
    world = rt.world
    cluster = rt.cluster
  } else world = new World({ seed: 1 })
  const json = flags.has('--json')
  let last = 0
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const command = lines[i].trim()
    if (command === '' || command.startsWith('#')) continue
    const r = cluster ? execLine(world, cluster, command) : run(world, command)
    last = r.exitCode
    if (json) io.out(JSON.stringify({ line: i + 1, command, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }) + '\n')
    else {
      io.out(r.stdout)
      io.err(r.stderr)
    }
  }
  return json ? 0 : last
}

function cmdExec(args: string[], io: Io): number {
  const { flags, pos, rest } = parseFlags(args, ['--netns'], [])
  const file = pos[0]
  if (!file) throw new CliError('podnet exec: which lab file?')
  const command = [...pos.slice(1), ...rest].join(' ')
  if (!command) throw new CliError('podnet exec: which command? (podnet exec FILE [--netns NS] -- COMMAND...)')
  const rt = build(loadLab(file), file)
  const ns = flags.get('--netns')
  const r = execLine(rt.world, rt.cluster, typeof ns === 'string' ? `ip netns exec ${ns} ${command}` : command)
  io.out(r.stdout)
  io.err(r.stderr)
  return r.exitCode
}

function cmdExport(args: string[], io: Io): number {
  const { flags, pos } = parseFlags(args, ['--format', '--prefix'], ['--teardown'])
  const file = pos[0]
  if (!file) throw new CliError('podnet export: which lab file?')
  const format = flags.get('--format') ?? 'iproute2'
  if (format !== 'iproute2') throw new CliError(`podnet export: unknown format "${String(format)}" (iproute2)`)
  const prefix = flags.get('--prefix')
  if (typeof prefix === 'string' && !/^[A-Za-z0-9_.-]*$/.test(prefix)) throw new CliError(`podnet export: --prefix "${prefix}" may only use letters, digits, '.', '_' and '-'`)
  const doc = loadLab(file)
  try {
    io.out(exportScript(doc, { prefix: typeof prefix === 'string' ? prefix : '', teardown: flags.has('--teardown') }))
  } catch (e) {
    if (e instanceof LabBuildError) throw new CliError(`podnet: ${file}: ${e.message}`, 1)
    throw e
  }
  return 0
}

function cmdScenarios(io: Io): number {
  for (const s of SCENARIOS) io.out(`${s.name.padEnd(24)} ${s.title}\n${' '.repeat(25)}${s.description}\n`)
  return 0
}

/** The `podnet` command line. Returns the exit code; never throws for bad input. */
export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [cmd, ...args] = argv
  try {
    switch (cmd) {
      case 'new':
        return cmdNew(args, io)
      case 'trace':
        return cmdTrace(args, io)
      case 'run':
        return cmdRun(args, io)
      case 'exec':
        return cmdExec(args, io)
      case 'export':
        return cmdExport(args, io)
      case 'scenarios':
        return cmdScenarios(io)
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE)
        return cmd === undefined ? 2 : 0
      case '--version':
      case '-V':
        io.out('podnet 0.1.0\n')
        return 0
      default:
        throw new CliError(`podnet: unknown command "${cmd}"\n\n${USAGE}`)
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.message.endsWith('\n') ? e.message : e.message + '\n')
      return e.code
    }
    throw e
  }
}
