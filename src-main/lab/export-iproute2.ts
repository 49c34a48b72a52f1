import { COMMAND_OVERHEAD_NS, runTracked } from '../engine/commands/index.ts'
import { MAX_LOAD_EVENTS } from '../engine/kernel/budget.ts'
import { World } from '../engine/kernel/world.ts'
import { Cluster } from '../k8s/cluster.ts'
import { SpecError } from '../k8s/spec.ts'
import { clusterPathToLabPath, commandLine, commandTimeNs, type LabDoc } from './format.ts'
import { execLine, LabBuildError, withinLoadBound } from './lab.ts'
import { rewriteArgv } from './ns-rewrite.ts'
import { says } from '../../shared/messages/problem.ts'

export interface ExportOptions {
  /** Prepended to every namespace name so the lab cannot collide with others on the machine. */
  prefix?: string
  /** Print the script that removes what the build script made. */
  teardown?: boolean
}

/** One of spec.commands in an export: the lines it became, or why it is left out. */
export interface ExportedCommand {
  /** Where it is in the lab file: spec.setup[N] or spec.commands[N]. */
  path: string
  command: string
  /** The script lines (each word single-quoted): what the command did, as commands of the machine. */
  lines: string[]
  /**
   * Why the command is not in the script: it failed in the lab (and changed nothing), or it only
   * looks at the network or lets time pass. `lines` then still holds what it would have been.
   */
  omitted?: string
}

/** The parts of an export: the cluster's build, then each lab command with the lines it became. */
export interface ExportParts {
  head: string[]
  /** The cluster's build (namespaces, links, addresses, routes, flannel's tables). */
  build: string[]
  /** Each of spec.setup (an exercise's starting point), then each of spec.commands, in order. */
  commands: ExportedCommand[]
  /** Removes the lab: one `ip netns del` per namespace alive at the end, newest first. */
  teardown: string[]
}

/** A lab the export cannot write as a script: which field or command, and why. */
export class ExportError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`)
  }
}

/** Programs that configure the network: the only ones a script may run. */
export const EXPORT_PROGRAMS: ReadonlySet<string> = new Set(['ip', 'bridge', 'sysctl', 'brctl', 'route', 'arp', 'ifconfig'])

/** Prefixes of namespace names: what `--prefix` accepts. */
export const EXPORT_PREFIX = /^[A-Za-z0-9_.-]{0,20}$/

/**
 * The lab as a flat bash script for a real Linux machine: one command per line, no functions,
 * loops, variables or redirections, every word single-quoted; explicit MACs so both worlds share
 * them. The cluster's build comes from the operations the Kubernetes layer performed; the lab's
 * own commands follow in order, each as what the engine accepted and ran (a `podnet node|pod ...`
 * command becomes the operations it caused). Only the configuration programs (ip, bridge, sysctl
 * and the net-tools/bridge-utils equivalents) ever appear; anything else is left out with a
 * comment, and what cannot be written safely is refused with the command's place in the file.
 */
export function exportScript(doc: LabDoc, opts: ExportOptions = {}): string {
  return renderScript(exportParts(doc, opts), opts.teardown ?? false)
}

/** The build script, or the teardown script, of an export's parts. */
export function renderScript(parts: ExportParts, teardown: boolean): string {
  if (teardown) return [...parts.head, '# Removes the lab: deleting a namespace deletes its veth pairs and bridges.', ...parts.teardown].join('\n') + '\n'
  const body = [...parts.build]
  parts.commands.forEach((c) => {
    if (c.omitted) {
      body.push(`# ${c.path} is left out (${c.omitted}): ${commentText(c.command)}`)
      return
    }
    if (c.command.startsWith('podnet ')) body.push(`# ${commentText(c.command)}`)
    body.push(...c.lines)
  })
  return [...parts.head, ...body].join('\n') + '\n'
}

export function exportParts(doc: LabDoc, opts: ExportOptions = {}): ExportParts {
  const prefix = opts.prefix ?? ''
  if (!EXPORT_PREFIX.test(prefix)) throw new ExportError('prefix', `"${commentText(prefix)}" is not a namespace prefix (up to 20 letters, digits, '.', '_' and '-')`)
  const world = new World({ seed: doc.spec.seed })
  let cluster: Cluster | null = null
  const build: string[] = []
  const commands: ExportedCommand[] = []
  if (doc.spec.cluster) {
    try {
      cluster = new Cluster(world, doc.spec.cluster)
      cluster.build()
    } catch (e) {
      if (e instanceof SpecError) throw new LabBuildError(clusterPathToLabPath(e.path), e.reason)
      throw e
    }
    build.push(...cluster.ops.lines.map((l) => opsLine(l, prefix)))
  }
  const rename = (n: string): string => prefix + n
  const lines = [
    ...(doc.spec.setup ?? []).map((l, i) => ({ l, at: undefined, path: `spec.setup[${i}]` })),
    ...doc.spec.commands.map((c, i) => ({ l: commandLine(c), at: commandTimeNs(c), path: `spec.commands[${i}]` })),
  ]
  withinLoadBound(world, () =>
    lines.forEach(({ l, at, path }) => {
      // Each change at its time, as the lab replays it (observations are skipped there too).
      if (at !== undefined && at > world.sched.now) world.sched.run(at)
      exportCommand(l, path, at === undefined)
      if (world.sched.hit === 'load') throw new LabBuildError(path, says('build.too_heavy', { max: MAX_LOAD_EVENTS }))
    }),
  )
  function exportCommand(line: string, path: string, bare: boolean): void {
    const command = line.trim()
    if (command.startsWith('podnet ')) {
      const before = cluster ? cluster.ops.lineCount : 0
      const r = execLine(world, cluster, line, { replay: true, overhead: bare })
      const added = cluster ? cluster.ops.lines.slice(before) : []
      if (r.exitCode !== 0 && added.length) throw new ExportError(path, 'this lab command failed part way in the lab; the export cannot tell which of its operations to repeat')
      const lines = added.map((l) => opsLine(l, prefix))
      commands.push(r.exitCode === 0 ? { path, command, lines } : { path, command, lines, omitted: 'it failed in the lab and changed nothing' })
      return
    }
    // What the line changed, as the commands themselves declared it (engine/commands/context.ts).
    const r = runTracked(world, line, { replay: true })
    if (bare) world.advance(COMMAND_OVERHEAD_NS)
    const ran: string[] = []
    for (const ch of r.changes) {
      if (ch.exitCode !== 0) throw new ExportError(path, `"${commentText(ch.argv.join(' '))}" failed part way in the lab and changed the network; the export cannot tell which part to repeat`)
      const c = classify(ch.argv)
      if (c.kind === 'refuse') throw new ExportError(path, c.reason)
      if (c.kind === 'config') ran.push(scriptLine(rewriteArgv(c.argv, rename), path))
    }
    if (ran.length) commands.push({ path, command, lines: ran })
    else commands.push({ path, command, lines: [], omitted: r.exitCode !== 0 && r.effect !== 'observe' ? 'it failed in the lab and changed nothing' : 'it only looks at the network or lets time pass' })
  }
  const head = [
    '#!/bin/bash',
    `# ${commentText(doc.metadata.name)}: exported by PodNet Lab from ${doc.apiVersion}.`,
    `# Run as root on a Linux machine with iproute2.${prefix ? ` Namespaces are prefixed "${prefix}".` : ''}`,
  ]
  const alive = [...world.namespaces.keys()].reverse()
  return { head, build, commands, teardown: alive.map((n) => scriptLine(['ip', 'netns', 'del', prefix + n], 'teardown')) }
}

type Classified = { kind: 'config'; argv: string[] } | { kind: 'refuse'; reason: string }

const base = (prog: string): string => prog.slice(prog.lastIndexOf('/') + 1)

/**
 * What a simple command that changed the lab is, for a script: a configuration command (its
 * words, programs named without a path, as the engine ran them), or something a script must not
 * do on a real machine. `timeout D COMMAND` is the command it ran.
 */
export function classify(argv: string[]): Classified {
  if (argv.length === 0) return { kind: 'refuse', reason: 'an empty command' }
  const prog = base(argv[0])
  const a = [prog, ...argv.slice(1)]
  if (prog === 'timeout' && argv.length > 2) return classify(argv.slice(2))
  if (!EXPORT_PROGRAMS.has(prog)) return { kind: 'refuse', reason: `"${commentText(argv[0])}" is not a command of the lab` }
  if (prog === 'ip' || prog === 'bridge') {
    let i = 1
    for (; i < a.length && a[i].startsWith('-') && a[i] !== '--'; i++) {
      const opt = a[i].startsWith('--') ? a[i].slice(1) : a[i]
      if (opt.length >= 2 && '-batch'.startsWith(opt)) return { kind: 'refuse', reason: `${prog} ${a[i]} reads commands from a file` }
      if (prog === 'ip' && opt.length >= 2 && '-all'.startsWith(opt)) return { kind: 'refuse', reason: '"ip -all" acts on every namespace of the machine, not only the lab\'s' }
      if (opt === '-n' || (opt.length > 2 && '-netns'.startsWith(opt))) i++
    }
    if (a[i] === '--') i++
    // ip netns exec NS COMMAND...: the command inside must be one a script may run.
    if (prog === 'ip' && a[i] !== undefined && a[i].length >= 3 && 'netns'.startsWith(a[i]) && a[i + 1] !== undefined && a[i + 1].length >= 1 && 'exec'.startsWith(a[i + 1]) && a.length > i + 3) {
      const inner = classify(a.slice(i + 3))
      if (inner.kind !== 'config') return inner
      return { kind: 'config', argv: [...a.slice(0, i + 3), ...inner.argv] }
    }
  }
  if (prog === 'sysctl' && a.slice(1).some((w) => /^-[A-Za-z]*[pf]|^--(load|system)/.test(w))) return { kind: 'refuse', reason: 'sysctl reads settings from a file' }
  return { kind: 'config', argv: a }
}

/** Words as one script line, each single-quoted; a word no command line can carry is refused. */
function scriptLine(words: string[], path: string): string {
  return words.map((w) => quoteWord(w, path)).join(' ')
}

/** A word in single quotes: nothing inside is special to bash but the quote itself. */
export function quoteWord(w: string, path = ''): string {
  if (w.includes('\0')) throw new ExportError(path, 'a word holds a NUL character, which no command line can carry')
  return `'${w.replace(/'/g, `'\\''`)}'`
}

/** A line the Kubernetes layer recorded (words of names it checked, namespaces as {ns:NAME}). */
function opsLine(line: string, prefix: string): string {
  const words = line.split(' ').map((w) => w.replace(/^\{ns:([^}]+)\}$/, (_, n: string) => prefix + n))
  for (const w of words) if (!/^[A-Za-z0-9_.:/=+@-]+$/.test(w)) throw new ExportError('spec.cluster', `the cluster's operation "${commentText(line)}" has an unexpected word`)
  return scriptLine(words, 'spec.cluster')
}

/**
 * Text safe inside a `#` comment: control characters (a newline would end the comment and start
 * a command), invisible format characters (text direction overrides) and line separators are
 * written as \u escapes.
 */
export function commentText(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)
}
