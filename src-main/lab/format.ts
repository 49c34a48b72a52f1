import { LineCounter, parseDocument, stringify, type Document } from 'yaml'
import { MODES, type ClusterSpec, type Mode } from '../k8s/spec.ts'

/** The lab file format: YAML, versioned by apiVersion. Documented in docs/lab-format.md. */
export const API_VERSION = 'podnet.dev/v1'
export const KIND = 'Lab'

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
    /** Commands applied in order after the cluster is built, exactly as typed in a terminal. */
    commands: string[]
  }
  /** The exercise this lab is an attempt at (reopening the file continues it). */
  exercise?: LabExercise
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

/** A problem in a lab file, with where it is: file, line and column, and the field's path. */
export class LabFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${col}: ${path ? path + ': ' : ''}${problem}`)
  }
}

export type Path = (string | number)[]

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

/**
 * A YAML document read for validation: its plain value, and `fail`, which throws a LabFormatError
 * pointing at the line and column of the field at a path (an unknown key at the key itself).
 */
export function readYaml(text: string, file: string): { raw: unknown; fail: Fail; locate: (p: Path) => { line: number; col: number } } {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length) {
    const e = doc.errors[0]
    const pos = lc.linePos(e.pos[0])
    throw new LabFormatError(file, pos.line, pos.col, '', `not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`)
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
    if (problem.startsWith('unknown field')) unknownKeys.add(pathText(p))
    const { line, col } = where(p)
    throw new LabFormatError(file, line, col, pathText(p), problem)
  }
  return { raw: doc.toJS() as unknown, fail, locate: where }
}

/** Parses and validates a lab file; every error names the file, line, column and field. */
export function parseLab(text: string, file = 'lab.yaml'): LabDoc {
  const yaml = readYaml(text, file)
  // Declared with its type, so TypeScript narrows after each call that never returns.
  const fail: Fail = yaml.fail
  const raw = yaml.raw
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail([], 'a lab file is a YAML mapping with apiVersion, kind, metadata and spec')
  let obj = raw as Record<string, unknown>
  const version = obj.apiVersion
  if (typeof version !== 'string') fail(['apiVersion'], `apiVersion is required (${API_VERSION})`)
  if (version !== API_VERSION) {
    const m = MIGRATIONS[version as string]
    if (!m) fail(['apiVersion'], `unknown apiVersion "${String(version)}"; this PodNet Lab reads ${API_VERSION} and ${Object.keys(MIGRATIONS).join(', ')}`)
    obj = m(obj)
  }
  if (obj.kind !== KIND) fail(['kind'], `kind must be "${KIND}"`)
  const meta = obj.metadata as Record<string, unknown> | undefined
  if (!meta || typeof meta !== 'object') fail(['metadata'], 'metadata with a name is required')
  if (typeof meta.name !== 'string' || meta.name.trim() === '') fail(['metadata', 'name'], 'a non-empty name is required')
  if (meta.description !== undefined && typeof meta.description !== 'string') fail(['metadata', 'description'], 'must be text')
  const spec = obj.spec as Record<string, unknown> | undefined
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) fail(['spec'], 'spec is required')
  const seed = spec.seed ?? 1
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail(['spec', 'seed'], 'must be a whole number from 0 to 4294967295')
  const commands = checkLines(spec.commands, ['spec', 'commands'], fail)
  const setup = spec.setup === undefined ? undefined : checkLines(spec.setup, ['spec', 'setup'], fail)
  for (const k of Object.keys(spec)) if (!['seed', 'cluster', 'setup', 'commands'].includes(k)) fail(['spec', k], `unknown field "${k}" (spec has seed, cluster, setup and commands)`)
  let cluster: ClusterSpec | undefined
  if (spec.cluster !== undefined) cluster = checkCluster(spec.cluster, ['spec', 'cluster'], fail)
  const exercise = obj.exercise === undefined ? undefined : checkLabExercise(obj.exercise, ['exercise'], fail)
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: meta.name as string, ...(meta.description ? { description: meta.description as string } : {}) },
    spec: { seed: seed as number, ...(cluster ? { cluster } : {}), ...(setup?.length ? { setup } : {}), commands },
    ...(exercise ? { exercise } : {}),
  }
}

type Fail = (p: Path, problem: string) => never

/** A list of command lines (spec.commands, spec.setup). */
export function checkLines(v: unknown, p: Path, fail: Fail): string[] {
  const lines: unknown = v ?? []
  if (!Array.isArray(lines)) fail(p, 'must be a list of command lines')
  ;(lines as unknown[]).forEach((c, i) => {
    if (typeof c !== 'string') fail([...p, i], 'each command is one line of text')
    if ((c as string).includes('\n')) fail([...p, i], 'a command must be a single line')
  })
  return lines as string[]
}

function checkLabExercise(v: unknown, p: Path, fail: Fail): LabExercise {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(p, 'must be a mapping with the exercise id')
  const o = v as Record<string, unknown>
  for (const k of Object.keys(o)) if (!['id', 'answers', 'definition'].includes(k)) fail([...p, k], `unknown field "${k}" (exercise has id, answers and definition)`)
  if (typeof o.id !== 'string' || !EXERCISE_ID.test(o.id)) fail([...p, 'id'], 'an exercise id (lowercase letters, digits and -) is required')
  const out: LabExercise = { id: o.id as string }
  if (o.answers !== undefined) {
    if (!o.answers || typeof o.answers !== 'object' || Array.isArray(o.answers)) fail([...p, 'answers'], 'must map question ids to answers')
    const answers: Record<string, string> = {}
    for (const [k, a] of Object.entries(o.answers as Record<string, unknown>)) {
      if (typeof a !== 'string' && typeof a !== 'number') fail([...p, 'answers', k], 'an answer is text')
      answers[k] = String(a)
    }
    out.answers = answers
  }
  if (o.definition !== undefined) {
    if (!o.definition || typeof o.definition !== 'object' || Array.isArray(o.definition)) fail([...p, 'definition'], 'must be the exercise (a mapping with kind Exercise)')
    out.definition = o.definition as Record<string, unknown>
  }
  return out
}

/** A cluster spec (a lab's spec.cluster, an exercise's inline start lab). */
export function checkCluster(c: unknown, p: Path, fail: Fail): ClusterSpec {
  if (!c || typeof c !== 'object' || Array.isArray(c)) fail(p, 'cluster must be a mapping with mode, clusterCidr, underlay and nodes')
  const o = c as Record<string, unknown>
  for (const k of Object.keys(o)) if (!['mode', 'clusterCidr', 'underlay', 'nodes'].includes(k)) fail([...p, k], `unknown field "${k}"`)
  if (!MODES.includes(o.mode as Mode)) fail([...p, 'mode'], `must be one of ${MODES.join(', ')}`)
  if (typeof o.clusterCidr !== 'string') fail([...p, 'clusterCidr'], 'a CIDR such as 10.244.0.0/16 is required')
  const u = o.underlay as Record<string, unknown> | undefined
  if (!u || typeof u !== 'object') fail([...p, 'underlay'], 'underlay with kind (switch or routed) and cidr is required')
  if (u.kind !== 'switch' && u.kind !== 'routed') fail([...p, 'underlay', 'kind'], 'must be switch or routed')
  if (typeof u.cidr !== 'string') fail([...p, 'underlay', 'cidr'], 'a CIDR is required')
  if (u.routeLimit !== undefined && (typeof u.routeLimit !== 'number' || !Number.isInteger(u.routeLimit) || u.routeLimit < 0)) fail([...p, 'underlay', 'routeLimit'], 'must be a whole number')
  if (!Array.isArray(o.nodes)) fail([...p, 'nodes'], 'must be a list of nodes')
  const nodes = (o.nodes as unknown[]).map((n, i) => {
    const np = [...p, 'nodes', i]
    if (!n || typeof n !== 'object') fail(np, 'each node is a mapping with name and pods')
    const no = n as Record<string, unknown>
    for (const k of Object.keys(no)) if (!['name', 'ip', 'podCidr', 'pods'].includes(k)) fail([...np, k], `unknown field "${k}"`)
    if (typeof no.name !== 'string') fail([...np, 'name'], 'a name is required')
    if (no.ip !== undefined && typeof no.ip !== 'string') fail([...np, 'ip'], 'must be an IPv4 address')
    if (no.podCidr !== undefined && typeof no.podCidr !== 'string') fail([...np, 'podCidr'], 'must be a CIDR')
    const pods = no.pods ?? []
    if (!Array.isArray(pods)) fail([...np, 'pods'], 'must be a list of pods')
    return {
      name: no.name as string,
      ...(no.ip ? { ip: no.ip as string } : {}),
      ...(no.podCidr ? { podCidr: no.podCidr as string } : {}),
      pods: (pods as unknown[]).map((pd, j) => {
        const pp = [...np, 'pods', j]
        if (!pd || typeof pd !== 'object') fail(pp, 'each pod is a mapping with a name')
        const po = pd as Record<string, unknown>
        for (const k of Object.keys(po)) if (!['name', 'ip', 'mtu'].includes(k)) fail([...pp, k], `unknown field "${k}"`)
        if (typeof po.name !== 'string') fail([...pp, 'name'], 'a name is required')
        if (po.ip !== undefined && typeof po.ip !== 'string') fail([...pp, 'ip'], 'must be an IPv4 address')
        if (po.mtu !== undefined && (typeof po.mtu !== 'number' || !Number.isInteger(po.mtu) || po.mtu < 68 || po.mtu > 65535)) fail([...pp, 'mtu'], 'must be a whole number from 68 to 65535')
        return { name: po.name as string, ...(po.ip ? { ip: po.ip as string } : {}), ...(po.mtu !== undefined ? { mtu: po.mtu as number } : {}) }
      }),
    }
  })
  return {
    mode: o.mode as Mode,
    clusterCidr: o.clusterCidr as string,
    underlay: { kind: u.kind, cidr: u.cidr as string, ...(u.routeLimit !== undefined ? { routeLimit: u.routeLimit as number } : {}) },
    nodes,
  }
}

/** A lab as YAML (stable key order, one command per line). */
export function serializeLab(doc: LabDoc): string {
  const header = `# PodNet Lab file (${API_VERSION}); see docs/lab-format.md\n`
  return header + stringify(doc, { lineWidth: 0, flowCollectionPadding: true })
}

/** Maps a field path of a built cluster back to a lab file path, for build errors (SpecError paths). */
export function clusterPathToLabPath(p: string): string {
  return p ? `spec.cluster.${p}` : 'spec.cluster'
}
