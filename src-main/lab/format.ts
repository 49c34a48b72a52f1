import { formatMessage } from '../../shared/messages/index.ts'
import { says, type Problem } from '../../shared/messages/problem.ts'
import { Document, isCollection, isMap, LineCounter, parseDocument, stringify, visit } from 'yaml'
import { MAX_COMMAND_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_HISTORY_COMMANDS, MAX_LAB_FILE_BYTES, MAX_NAME_LENGTH, MAX_NODES, MAX_PODS, MAX_PODS_PER_NODE, MAX_ROUTE_LIMIT } from '../k8s/limits.ts'
import { MODES, parseCidr, SpecError, type ClusterSpec, type Mode } from '../k8s/spec.ts'
import { MAX_CLOCK_NS } from '../engine/kernel/budget.ts'
import { checkLayout, type LabLayout } from './layout.ts'

/** The lab file format: YAML, versioned by apiVersion. Documented in docs/lab-format.md. */
export const API_VERSION = 'podnet.dev/v1'
export const KIND = 'Lab'

/** A recorded change: the command and the simulated time it was applied at, in seconds. */
export interface TimedCommand {
  at: number
  run: string
}

/**
 * One entry of a lab's history: a timed change (what a session records), or a bare command line
 * (hand-written labs, files of older versions), applied right after the entry before it.
 */
export type LabCommand = string | TimedCommand

export interface LabDoc {
  apiVersion: typeof API_VERSION
  kind: typeof KIND
  metadata: { name: string; description?: string }
  spec: {
    /** Seeds the simulation's random choices (reachable times, DAD delays, ping idents). */
    seed: number
    /** The Kubernetes cluster to build; absent for an empty lab (commands build everything). */
    cluster?: ClusterSpec
    /**
     * Commands applied after the cluster is built and before the history: the lab's starting point
     * (an exercise's fault), not a change anyone made in it, so undo never removes them.
     */
    setup?: string[]
    /** The history of changes, applied in order after the cluster is built (and the setup). */
    commands: LabCommand[]
    /** The simulated time (seconds) the lab had reached when saved; a replay runs the clock on to it. */
    clock?: number
  }
  /** The exercise this lab is an attempt at (reopening the file continues it). */
  exercise?: LabExercise
  /** Where the user put things on the canvas (layout.ts); not part of the network. */
  layout?: LabLayout
}

/**
 * A lab's link to an exercise: its id, the learner's answers to its questions, and, for an
 * exercise that is not built in, the exercise itself (so the lab file is all a checker needs).
 */
export interface LabExercise {
  id: string
  answers?: Record<string, string>
  definition?: Record<string, unknown>
}

/** Exercise ids: lowercase words joined by '-' (they name progress entries and files). */
export const EXERCISE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/

/** The command line of a history entry. */
export function commandLine(c: LabCommand): string {
  return typeof c === 'string' ? c : c.run
}

/** When a history entry was applied, in nanoseconds of simulated time (undefined for a bare line). */
export function commandTimeNs(c: LabCommand): number | undefined {
  return typeof c === 'string' ? undefined : secondsToNs(c.at)
}

/** Seconds as a lab file writes them, back to the clock's nanoseconds (exact below ~3 weeks). */
export function secondsToNs(s: number): number {
  return Math.round(s * 1e9)
}

export function nsToSeconds(ns: number): number {
  return ns / 1e9
}

/** What is wrong, as a message key of shared/messages (labfile.ts), for views in any language. */
export type LabProblem = Problem

/** A problem worded by key: `fail(path, says('labfile.kind', { kind }))`. */
export { says }

/** A problem in a lab file, with where it is: file, line and column, and the field's path. */
export class LabFormatError extends Error {
  /** The problem in English (what `message` ends with). */
  readonly problem: string

  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly path: string,
    problem: string | LabProblem,
  ) {
    const text = typeof problem === 'string' ? problem : formatMessage(problem.msg, problem.params, 'en')
    super(`${file}:${line}:${col}: ${path ? path + ': ' : ''}${text}`)
    this.problem = text
    this.reason = typeof problem === 'string' ? undefined : problem
  }

  /** The problem as a message key, where it has one (older checks word theirs in English only). */
  readonly reason: LabProblem | undefined

  /** The key and parameters a view words the whole error with: the problem's, and where it is. */
  located(): LabProblem | undefined {
    if (!this.reason) return undefined
    return { msg: this.reason.msg, params: { ...this.reason.params, atFile: this.file, atLine: this.line, atCol: this.col, atPath: this.path } }
  }
}

export type Path = (string | number)[]

/** The latest simulated time a lab file may name, in seconds (the clock's bound, budget.ts). */
export const MAX_CLOCK_S = MAX_CLOCK_NS / 1e9

export function pathText(p: Path): string {
  return p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '')
}

/** Older versions, upgraded in order. v1alpha1 kept the cluster fields directly under spec. */
const MIGRATIONS: Record<string, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  'podnet.dev/v1alpha1': (raw) => {
    const spec = (raw.spec ?? {}) as Record<string, unknown>
    const { mode, clusterCidr, underlay, nodes, commands, seed, ...rest } = spec
    const cluster = mode === undefined ? undefined : { mode, clusterCidr, underlay, nodes }
    return { ...raw, apiVersion: API_VERSION, spec: { ...rest, seed, commands, ...(cluster ? { cluster } : {}) } }
  },
}

/** How deep `[` and `{` may nest: lab files need a few levels; the YAML parser slows and then fails far deeper. */
const MAX_FLOW_DEPTH = 64

/**
 * Where a text's `[`/`{` nesting first goes deeper than MAX_FLOW_DEPTH, or -1. Every bracket
 * counts, quoted or not (overcounting only makes the check stricter), except in comments.
 */
function tooDeep(text: string): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_FLOW_DEPTH) return i
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--
    } else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i)
      if (nl < 0) break
      i = nl
    }
  }
  return -1
}

/**
 * A YAML document read for validation: its plain value, and `fail`, which throws a LabFormatError
 * pointing at the line and column of the field at a path (an unknown key at the key itself).
 * What the YAML reader itself could not take safely is refused first, located: a file over the
 * size limit, nesting deeper than the parser copes with, aliases (`*name`, which nested multiply:
 * "billion laughs"; a lab file never needs one). Nothing but a LabFormatError is ever thrown.
 */
export function readYaml(text: string, file: string): { raw: unknown; fail: Fail; locate: (p: Path) => { line: number; col: number } } {
  try {
    return readYamlText(text, file)
  } catch (e) {
    if (e instanceof LabFormatError) throw e
    throw new LabFormatError(file, 1, 1, '', says('labfile.unreadable', { detail: e instanceof Error ? e.message : String(e) }))
  }
}

function readYamlText(text: string, file: string): { raw: unknown; fail: Fail; locate: (p: Path) => { line: number; col: number } } {
  if (text.length > MAX_LAB_FILE_BYTES) throw new LabFormatError(file, 1, 1, '', says('labfile.too_big', { size: text.length, max: MAX_LAB_FILE_BYTES }))
  const lc = new LineCounter()
  const deep = tooDeep(text)
  if (deep >= 0) {
    lc.addNewLine(0)
    for (let i = text.indexOf('\n'); i >= 0 && i < deep; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1)
    const pos = lc.linePos(deep)
    throw new LabFormatError(file, pos.line, pos.col, '', says('labfile.too_deep', { max: MAX_FLOW_DEPTH }))
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length) {
    const e = doc.errors[0]
    const pos = lc.linePos(e.pos[0])
    throw new LabFormatError(file, pos.line, pos.col, '', says('labfile.not_yaml', { detail: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }))
  }
  // What plain data cannot hold is refused where it is written: aliases (`*a`, nested multiply:
  // "billion laughs"), tags (`!!binary`, `!!set`, `!!omap` make buffers, sets and maps) and keys
  // that are lists or mappings. A lab file needs none of them.
  let refusal: { at: number; problem: LabProblem } | undefined
  visit(doc, {
    Alias(_, node) {
      refusal = { at: node.range?.[0] ?? 0, problem: says('labfile.alias', { name: node.source }) }
      return visit.BREAK
    },
    Node(_, node) {
      if (node.tag) {
        refusal = { at: node.range?.[0] ?? 0, problem: says('labfile.tag', { tag: node.tag.replace(/^tag:yaml\.org,2002:/, '!!') }) }
        return visit.BREAK
      }
    },
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        refusal = { at: pair.key.range?.[0] ?? 0, problem: says('labfile.key_not_text') }
        return visit.BREAK
      }
    },
  })
  if (refusal) {
    // A tag's range starts after the tag: point at the line, which is what a reader looks for.
    const pos = lc.linePos(refusal.at)
    throw new LabFormatError(file, pos.line, pos.col, '', refusal.problem)
  }
  const unknownKeys = new Set<string>()
  const where = (p: Path): { line: number; col: number } => {
    // An unknown key is best pointed at by the key itself, not by its value.
    const parent = p.length ? ((doc as Document).getIn(p.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined) : undefined
    const key = parent?.items?.find((it) => it.key?.value === p[p.length - 1])?.key
    if (key?.range && typeof p[p.length - 1] === 'string' && unknownKeys.has(pathText(p))) return lc.linePos(key.range[0])
    for (let i = p.length; i >= 0; i--) {
      const node = (doc as Document).getIn(p.slice(0, i), true) as { range?: [number, number, number] } | undefined
      if (node && node.range) return lc.linePos(node.range[0])
    }
    return { line: 1, col: 1 }
  }
  const fail: Fail = (p, problem) => {
    const text = typeof problem === 'string' ? problem : formatMessage(problem.msg, problem.params, 'en')
    if (text.startsWith('unknown field')) unknownKeys.add(pathText(p))
    const { line, col } = where(p)
    throw new LabFormatError(file, line, col, pathText(p), problem)
  }
  return { raw: doc.toJS({ maxAliasCount: 0 }) as unknown, fail, locate: where }
}

/** Parses and validates a lab file; every error names the file, line, column and field. */
export function parseLab(text: string, file = 'lab.yaml'): LabDoc {
  const yaml = readYaml(text, file)
  // Declared with its type, so TypeScript narrows after each call that never returns.
  const fail: LabFail = yaml.fail
  const raw = yaml.raw
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail([], says('labfile.not_lab'))
  let obj = raw as Record<string, unknown>
  const version = obj.apiVersion
  if (typeof version !== 'string') fail(['apiVersion'], says('labfile.api_version_required', { version: API_VERSION }))
  if (version !== API_VERSION) {
    const m = Object.hasOwn(MIGRATIONS, version as string) ? MIGRATIONS[version as string] : undefined
    if (!m) fail(['apiVersion'], says('labfile.api_version_unknown', { version: String(version), current: API_VERSION, older: Object.keys(MIGRATIONS).join(', ') }))
    obj = m(obj)
  }
  if (obj.kind !== KIND) fail(['kind'], says('labfile.kind', { kind: KIND }))
  for (const k of Object.keys(obj)) if (!TOP_KEYS.includes(k)) fail([k], says('labfile.unknown_top', { field: k, fields: TOP_KEYS.join(', ') }))
  const meta = obj.metadata as Record<string, unknown> | undefined
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) fail(['metadata'], says('labfile.metadata_required'))
  for (const k of Object.keys(meta)) if (k !== 'name' && k !== 'description') fail(['metadata', k], says('labfile.unknown_metadata', { field: k }))
  if (typeof meta.name !== 'string' || meta.name.trim() === '') fail(['metadata', 'name'], says('labfile.name_required'))
  if (meta.name.length > MAX_NAME_LENGTH) fail(['metadata', 'name'], says('labfile.at_most_chars', { max: MAX_NAME_LENGTH }))
  if (/\p{Cc}/u.test(meta.name)) fail(['metadata', 'name'], says('labfile.one_line'))
  if (meta.description !== undefined && typeof meta.description !== 'string') fail(['metadata', 'description'], says('labfile.text'))
  if (typeof meta.description === 'string' && meta.description.length > MAX_DESCRIPTION_LENGTH) fail(['metadata', 'description'], says('labfile.at_most_chars', { max: MAX_DESCRIPTION_LENGTH }))
  if (typeof meta.description === 'string' && /\p{Cc}/u.test(meta.description.replace(/[\n\t]/g, ''))) fail(['metadata', 'description'], says('labfile.text_no_control'))
  const spec = obj.spec as Record<string, unknown> | undefined
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) fail(['spec'], says('labfile.spec_required'))
  const seed = spec.seed ?? 1
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(['spec', 'seed'], says('labfile.whole_number', { min: 0, max: 4294967295 }))
  const commands: unknown = spec.commands ?? []
  if (!Array.isArray(commands)) fail(['spec', 'commands'], says('labfile.list_of_commands'))
  if ((commands as unknown[]).length > MAX_HISTORY_COMMANDS) fail(['spec', 'commands'], says('labfile.history_full', { count: (commands as unknown[]).length, max: MAX_HISTORY_COMMANDS }))
  const history = (commands as unknown[]).map((c, i): LabCommand => {
    const p: Path = ['spec', 'commands', i]
    if (typeof c === 'string') return checkLine(c, p, fail)
    if (!c || typeof c !== 'object' || Array.isArray(c)) fail(p, says('labfile.command_or_timed', { form: '{ at: SECONDS, run: LINE }' }))
    const o = c as Record<string, unknown>
    for (const k of Object.keys(o)) if (k !== 'at' && k !== 'run') fail([...p, k], says('labfile.unknown_timed', { field: k }))
    if (typeof o.run !== 'string') fail([...p, 'run'], says('labfile.run_required'))
    checkLine(o.run, [...p, 'run'], fail)
    if (typeof o.at !== 'number' || !Number.isFinite(o.at) || o.at < 0 || o.at > MAX_CLOCK_S) fail([...p, 'at'], says('labfile.seconds', { max: MAX_CLOCK_S }))
    return { at: o.at as number, run: o.run as string }
  })
  const clock = spec.clock
  if (clock !== undefined && (typeof clock !== 'number' || !Number.isFinite(clock) || clock < 0 || clock > MAX_CLOCK_S)) fail(['spec', 'clock'], says('labfile.seconds', { max: MAX_CLOCK_S }))
  const setup = spec.setup === undefined ? undefined : checkLines(spec.setup, ['spec', 'setup'], fail)
  if (history.length + (setup?.length ?? 0) > MAX_HISTORY_COMMANDS) fail(['spec', 'commands'], says('labfile.history_full_setup', { count: history.length + (setup?.length ?? 0), max: MAX_HISTORY_COMMANDS }))
  for (const k of Object.keys(spec)) if (!['seed', 'cluster', 'setup', 'commands', 'clock'].includes(k)) fail(['spec', k], says('labfile.unknown_spec', { field: k }))
  let cluster: ClusterSpec | undefined
  if (spec.cluster !== undefined) cluster = checkCluster(spec.cluster, ['spec', 'cluster'], fail)
  const exercise = obj.exercise === undefined ? undefined : checkLabExercise(obj.exercise, ['exercise'], fail)
  const layout = obj.layout === undefined || obj.layout === null ? undefined : checkLayout(obj.layout, ['layout'], fail)
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: meta.name as string, ...(meta.description ? { description: meta.description as string } : {}) },
    spec: { seed: seed as number, ...(cluster ? { cluster } : {}), ...(setup?.length ? { setup } : {}), commands: history, ...(clock !== undefined ? { clock: clock as number } : {}) },
    ...(exercise ? { exercise } : {}),
    ...(layout && Object.keys(layout.positions).length ? { layout } : {}),
  }
}

/** Fails at a path: exercise files may still word theirs in English only; lab files do by key (LabFail). */
export type Fail = (p: Path, problem: string | LabProblem) => never
/** A lab file's checks fail by message key only, so every problem reaches views in the learner's language. */
export type LabFail = (p: Path, problem: LabProblem) => never

/** A list of command lines (spec.commands, spec.setup). */
export function checkLines(v: unknown, p: Path, fail: LabFail): string[] {
  const lines: unknown = v ?? []
  if (!Array.isArray(lines)) fail(p, says('labfile.list_of_commands'))
  if ((lines as unknown[]).length > MAX_HISTORY_COMMANDS) fail(p, says('labfile.history_full', { count: (lines as unknown[]).length, max: MAX_HISTORY_COMMANDS }))
  ;(lines as unknown[]).forEach((c, i) => {
    if (typeof c !== 'string') fail([...p, i], says('labfile.command_line'))
    checkLine(c as string, [...p, i], fail)
  })
  return lines as string[]
}

/** What keeps a line out of a lab file's history (too long, several lines, control characters), or null. */
export function commandLineProblem(c: string): LabProblem | null {
  if (c.includes('\n') || c.includes('\r')) return says('labfile.command_single_line')
  if (c.length > MAX_COMMAND_LENGTH) return says('labfile.command_too_long', { max: MAX_COMMAND_LENGTH })
  if (/\p{Cc}/u.test(c.replace(/\t/g, ''))) return says('labfile.command_control')
  return null
}

/** One command line: single, not too long, no control characters. */
function checkLine(c: string, p: Path, fail: LabFail): string {
  const problem = commandLineProblem(c)
  if (problem) fail(p, problem)
  return c
}

function checkLabExercise(v: unknown, p: Path, fail: LabFail): LabExercise {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(p, says('labfile.exercise_mapping'))
  const o = v as Record<string, unknown>
  for (const k of Object.keys(o)) if (!['id', 'answers', 'definition'].includes(k)) fail([...p, k], says('labfile.unknown_exercise', { field: k }))
  if (typeof o.id !== 'string' || !EXERCISE_ID.test(o.id)) fail([...p, 'id'], says('labfile.exercise_id'))
  const out: LabExercise = { id: o.id as string }
  if (o.answers !== undefined) {
    if (!o.answers || typeof o.answers !== 'object' || Array.isArray(o.answers)) fail([...p, 'answers'], says('labfile.answers_mapping'))
    const answers: Record<string, string> = {}
    for (const [k, a] of Object.entries(o.answers as Record<string, unknown>)) {
      if (typeof a !== 'string' && typeof a !== 'number') fail([...p, 'answers', k], says('labfile.answer_text'))
      answers[k] = String(a)
    }
    out.answers = answers
  }
  if (o.definition !== undefined) {
    if (!o.definition || typeof o.definition !== 'object' || Array.isArray(o.definition)) fail([...p, 'definition'], says('labfile.definition_mapping'))
    out.definition = o.definition as Record<string, unknown>
  }
  return out
}

/** A cluster spec (a lab's spec.cluster, an exercise's inline start lab). */
export function checkCluster(c: unknown, p: Path, fail: LabFail): ClusterSpec {
  if (!c || typeof c !== 'object' || Array.isArray(c)) fail(p, says('labfile.cluster_mapping'))
  const o = c as Record<string, unknown>
  for (const k of Object.keys(o)) if (!['mode', 'clusterCidr', 'underlay', 'nodes'].includes(k)) fail([...p, k], says('labfile.unknown_field', { field: k }))
  if (!MODES.includes(o.mode as Mode)) fail([...p, 'mode'], says('labfile.one_of', { values: MODES.join(', ') }))
  if (typeof o.clusterCidr !== 'string') fail([...p, 'clusterCidr'], says('labfile.cidr_required'))
  const cidr = (path: Path, v: string, maxLen: number, why: 'labfile.cluster_cidr_small' | 'labfile.underlay_routed_small' | 'labfile.underlay_small'): void => {
    try {
      if (parseCidr('', v).len > maxLen) fail(path, says(why, { value: v, max: maxLen }))
    } catch (e) {
      if (e instanceof SpecError) fail(path, e.reason)
      throw e
    }
  }
  cidr([...p, 'clusterCidr'], o.clusterCidr as string, 30, 'labfile.cluster_cidr_small')
  const u = o.underlay as Record<string, unknown> | undefined
  if (!u || typeof u !== 'object' || Array.isArray(u)) fail([...p, 'underlay'], says('labfile.underlay_required'))
  for (const k of Object.keys(u)) if (!['kind', 'cidr', 'routeLimit'].includes(k)) fail([...p, 'underlay', k], says('labfile.unknown_underlay', { field: k }))
  if (u.kind !== 'switch' && u.kind !== 'routed' && u.kind !== 'none') fail([...p, 'underlay', 'kind'], says('labfile.underlay_kind'))
  // none: the underlay is built by the history (podnet switch/router/link commands), so no CIDR.
  if (u.kind === 'none' && u.cidr !== undefined) fail([...p, 'underlay', 'cidr'], says('labfile.underlay_none_cidr'))
  if (u.kind !== 'none' && typeof u.cidr !== 'string') fail([...p, 'underlay', 'cidr'], says('labfile.a_cidr_required'))
  if (u.kind !== 'none') cidr([...p, 'underlay', 'cidr'], u.cidr as string, u.kind === 'routed' ? 23 : 30, u.kind === 'routed' ? 'labfile.underlay_routed_small' : 'labfile.underlay_small')
  if (u.routeLimit !== undefined && (typeof u.routeLimit !== 'number' || !Number.isInteger(u.routeLimit) || u.routeLimit < 0 || u.routeLimit > MAX_ROUTE_LIMIT)) fail([...p, 'underlay', 'routeLimit'], says('labfile.whole_number', { min: 0, max: MAX_ROUTE_LIMIT }))
  if (!Array.isArray(o.nodes)) fail([...p, 'nodes'], says('labfile.list_of_nodes'))
  if ((o.nodes as unknown[]).length > MAX_NODES) fail([...p, 'nodes'], says('labfile.too_many_nodes', { count: (o.nodes as unknown[]).length, max: MAX_NODES }))
  let podCount = 0
  const nodes = (o.nodes as unknown[]).map((n, i) => {
    const np = [...p, 'nodes', i]
    if (!n || typeof n !== 'object') fail(np, says('labfile.node_mapping'))
    const no = n as Record<string, unknown>
    for (const k of Object.keys(no)) if (!['name', 'ip', 'podCidr', 'pods'].includes(k)) fail([...np, k], says('labfile.unknown_field', { field: k }))
    if (typeof no.name !== 'string') fail([...np, 'name'], says('labfile.a_name_required'))
    if (no.ip !== undefined && typeof no.ip !== 'string') fail([...np, 'ip'], says('labfile.ipv4'))
    if (no.podCidr !== undefined && typeof no.podCidr !== 'string') fail([...np, 'podCidr'], says('labfile.cidr'))
    const pods = no.pods ?? []
    if (!Array.isArray(pods)) fail([...np, 'pods'], says('labfile.list_of_pods'))
    if (pods.length > MAX_PODS_PER_NODE) fail([...np, 'pods'], says('labfile.too_many_pods_node', { count: pods.length, max: MAX_PODS_PER_NODE }))
    podCount += pods.length
    if (podCount > MAX_PODS) fail([...np, 'pods'], says('labfile.too_many_pods', { max: MAX_PODS }))
    return {
      name: no.name as string,
      ...(no.ip ? { ip: no.ip as string } : {}),
      ...(no.podCidr ? { podCidr: no.podCidr as string } : {}),
      pods: (pods as unknown[]).map((pd, j) => {
        const pp = [...np, 'pods', j]
        if (!pd || typeof pd !== 'object') fail(pp, says('labfile.pod_mapping'))
        const po = pd as Record<string, unknown>
        for (const k of Object.keys(po)) if (!['name', 'ip', 'mtu'].includes(k)) fail([...pp, k], says('labfile.unknown_field', { field: k }))
        if (typeof po.name !== 'string') fail([...pp, 'name'], says('labfile.a_name_required'))
        if (po.ip !== undefined && typeof po.ip !== 'string') fail([...pp, 'ip'], says('labfile.ipv4'))
        if (po.mtu !== undefined && (typeof po.mtu !== 'number' || !Number.isInteger(po.mtu) || po.mtu < 68 || po.mtu > 65535)) fail([...pp, 'mtu'], says('labfile.whole_number', { min: 68, max: 65535 }))
        return { name: po.name as string, ...(po.ip ? { ip: po.ip as string } : {}), ...(po.mtu !== undefined ? { mtu: po.mtu as number } : {}) }
      }),
    }
  })
  return {
    mode: o.mode as Mode,
    clusterCidr: o.clusterCidr as string,
    underlay: { kind: u.kind, ...(u.cidr !== undefined ? { cidr: u.cidr as string } : {}), ...(u.routeLimit !== undefined ? { routeLimit: u.routeLimit as number } : {}) },
    nodes,
  }
}

/** The keys of a lab file's top level. */
const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'exercise', 'layout']

/** A lab as YAML (stable key order, one command per line, no aliases). */
export function serializeLab(doc: LabDoc): string {
  const header = `# PodNet Lab file (${API_VERSION}); see docs/lab-format.md\n`
  const opts = { lineWidth: 0, flowCollectionPadding: true, aliasDuplicateObjects: false }
  if (!doc.layout) return header + stringify(doc, opts)
  // Positions one per line: `node1: { x: 10, y: 20 }`.
  const yaml = new Document(doc, opts)
  const positions = yaml.getIn(['layout', 'positions'], true)
  if (isMap(positions)) for (const it of positions.items) if (isMap(it.value)) it.value.flow = true
  return header + yaml.toString(opts)
}

/** `spec.cluster.nodes[0].ip` as the keys and indexes it is made of. */
function pathParts(path: string): Path {
  const out: Path = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1])
  return out
}

/**
 * Where a field (a path such as spec.commands[3]) is in a lab file's text: its line and column,
 * or those of the nearest enclosing field that is written out (a derived address has none of its
 * own). The older layout without spec.cluster is looked up too.
 */
export function fieldPosition(text: string, path: string): { line: number; col: number } {
  try {
    const lc = new LineCounter()
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false })
    const parts = pathParts(path)
    const candidates = [parts]
    if (parts[0] === 'spec' && parts[1] === 'cluster') candidates.push(['spec', ...parts.slice(2)])
    let best: { depth: number; pos: number } | null = null
    for (const c of candidates) {
      for (let i = c.length; i > 0; i--) {
        const node = doc.getIn(c.slice(0, i), true) as { range?: [number, number, number] } | undefined
        if (node && typeof node === 'object' && node.range) {
          if (!best || i > best.depth) best = { depth: i, pos: node.range[0] }
          break
        }
      }
    }
    return best ? lc.linePos(best.pos) : { line: 1, col: 1 }
  } catch {
    return { line: 1, col: 1 }
  }
}

/** Maps a field path of a built cluster back to a lab file path, for build errors (SpecError paths). */
export function clusterPathToLabPath(p: string): string {
  return p ? `spec.cluster.${p}` : 'spec.cluster'
}
