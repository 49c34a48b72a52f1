import { API_VERSION, checkCluster, checkLines, EXERCISE_ID, readYaml, type Fail, type Path } from '../lab/format.ts'
import type { ClusterSpec } from '../k8s/spec.ts'
import { scenarioNames } from '../k8s/scenarios.ts'
import { parseGoal, type Goal } from './goal-format.ts'
import { Reader } from './reader.ts'

/**
 * The exercise file: YAML, `kind: Exercise`, in the same apiVersion family as lab files.
 * Documented in docs/exercises.md; its JSON Schema is exercise.schema.json next to this file.
 */
export const EXERCISE_KIND = 'Exercise'

/** Every text a learner reads exists in both languages. */
export interface Text {
  en: string
  ja: string
}

/** What part of the course an exercise belongs to (the UI names them in both languages). */
export const TOPICS = ['walkthrough-1', 'walkthrough-2', 'walkthrough-3', 'overlay', 'mtu', 'underlay', 'other'] as const
export type Topic = (typeof TOPICS)[number]
export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const
export type Level = (typeof LEVELS)[number]

/** The lab a learner starts from: a scenario or an inline lab, then the fault (`break`). */
export interface StartSpec {
  scenario?: { name: string; nodes?: number; podsPerNode?: number }
  lab?: { seed: number; cluster?: ClusterSpec; commands: string[] }
  /** Applied before the learner sees the lab; not in the learner's history, never shown. */
  break: string[]
}

/** Command lines plus answers to the questions: a solution, or a mistake a learner might make. */
export interface Attempt {
  commands: string[]
  answers: Record<string, string>
  note?: string
}

export interface Exercise {
  metadata: { id: string; title: Text; summary: Text; topic: Topic; level: Level; minutes: number }
  start: StartSpec
  task: Text
  goals: Goal[]
  constraints: Goal[]
  hints: Text[]
  solution: Attempt
  explanation: Text
  /** Wrong fixes a learner might try; `podnet exercise validate` checks that each still fails. */
  mistakes: Attempt[]
  /** The file as plain data, to embed in a lab file saved during the exercise. */
  raw: Record<string, unknown>
}

/** Parses and validates an exercise file; every error names the file, line, column and field. */
export function parseExercise(text: string, file = 'exercise.yaml'): Exercise {
  const yaml = readYaml(text, file)
  return exerciseFromData(yaml.raw, yaml.fail)
}

/** Validates an exercise given as plain data (an exercise embedded in a lab file). */
export function exerciseFromData(raw: unknown, fail: Fail): Exercise {
  const r = new Reader(fail)
  const top = r.mapping(raw, [], ['apiVersion', 'kind', 'metadata', 'spec'], 'an exercise file is a YAML mapping with apiVersion, kind, metadata and spec')
  if (top.apiVersion !== API_VERSION) fail(['apiVersion'], `apiVersion must be ${API_VERSION}`)
  if (top.kind !== EXERCISE_KIND) fail(['kind'], `kind must be "${EXERCISE_KIND}"`)
  const m = r.mapping(top.metadata, ['metadata'], ['id', 'title', 'summary', 'topic', 'level', 'minutes'])
  const id = r.string(m.id, ['metadata', 'id'])
  if (!EXERCISE_ID.test(id)) fail(['metadata', 'id'], 'must be lowercase letters, digits and -, starting with a letter or digit (at most 63)')
  const metadata = {
    id,
    title: r.text(m.title, ['metadata', 'title']),
    summary: r.text(m.summary, ['metadata', 'summary']),
    topic: r.oneOf(m.topic, ['metadata', 'topic'], TOPICS),
    level: r.oneOf(m.level, ['metadata', 'level'], LEVELS),
    minutes: r.int(m.minutes, ['metadata', 'minutes'], 1, 600),
  }
  const s = r.mapping(top.spec, ['spec'], ['start', 'task', 'goals', 'constraints', 'hints', 'solution', 'explanation', 'mistakes'])
  const start = parseStart(r, s.start, ['spec', 'start'])
  const goals = r.list(s.goals, ['spec', 'goals'], 1).map((g, i) => parseGoal(r, g, ['spec', 'goals', i], `goal-${i + 1}`))
  const constraints = r.list(s.constraints ?? [], ['spec', 'constraints']).map((g, i) => parseGoal(r, g, ['spec', 'constraints', i], `constraint-${i + 1}`))
  const seen = new Map<string, Path>()
  ;[...goals.map((g, i): [Goal, Path] => [g, ['spec', 'goals', i]]), ...constraints.map((g, i): [Goal, Path] => [g, ['spec', 'constraints', i]])].forEach(([g, p]) => {
    if (seen.has(g.id)) fail([...p, 'id'], `the id "${g.id}" is used twice`)
    seen.set(g.id, p)
  })
  const questions = new Map(goals.filter((g) => g.check.kind === 'question').map((g) => [g.id, g]))
  const attempt = (v: unknown, p: Path): Attempt => {
    const a = r.mapping(v, p, ['commands', 'answers', 'note'])
    const answers: Record<string, string> = {}
    if (a.answers !== undefined) {
      for (const [k, val] of Object.entries(r.mapping(a.answers, [...p, 'answers'], null))) {
        if (!questions.has(k)) fail([...p, 'answers', k], `"${k}" is not the id of a question among the goals`)
        answers[k] = r.string(typeof val === 'number' ? String(val) : val, [...p, 'answers', k])
      }
    }
    return { commands: checkLines(a.commands, [...p, 'commands'], fail), answers, ...(a.note !== undefined ? { note: r.string(a.note, [...p, 'note']) } : {}) }
  }
  const solution = attempt(s.solution, ['spec', 'solution'])
  for (const [qid] of questions) if (!(qid in solution.answers)) fail(['spec', 'solution', 'answers'], `the solution needs an answer for the question "${qid}"`)
  return {
    metadata,
    start,
    task: r.text(s.task, ['spec', 'task']),
    goals,
    constraints,
    hints: r.list(s.hints, ['spec', 'hints'], 1).map((h, i) => r.text(h, ['spec', 'hints', i])),
    solution,
    explanation: r.text(s.explanation, ['spec', 'explanation']),
    mistakes: r.list(s.mistakes ?? [], ['spec', 'mistakes']).map((a, i) => attempt(a, ['spec', 'mistakes', i])),
    raw: top,
  }
}

function parseStart(r: Reader, v: unknown, p: Path): StartSpec {
  const o = r.mapping(v, p, ['scenario', 'nodes', 'podsPerNode', 'lab', 'break'])
  const brk = checkLines(o.break, [...p, 'break'], r.fail)
  if ((o.scenario === undefined) === (o.lab === undefined)) r.fail(p, 'start needs either a scenario or an inline lab (not both)')
  if (o.scenario !== undefined) {
    const names = scenarioNames()
    const name = r.oneOf(o.scenario, [...p, 'scenario'], names)
    return {
      scenario: {
        name,
        ...(o.nodes !== undefined ? { nodes: r.int(o.nodes, [...p, 'nodes'], 1, 200) } : {}),
        ...(o.podsPerNode !== undefined ? { podsPerNode: r.int(o.podsPerNode, [...p, 'podsPerNode'], 0, 250) } : {}),
      },
      break: brk,
    }
  }
  if (o.nodes !== undefined || o.podsPerNode !== undefined) r.fail([...p, o.nodes !== undefined ? 'nodes' : 'podsPerNode'], 'nodes and podsPerNode go with a scenario; an inline lab lists its nodes')
  const lab = r.mapping(o.lab ?? {}, [...p, 'lab'], ['seed', 'cluster', 'commands'])
  const seed = lab.seed === undefined ? 1 : r.int(lab.seed, [...p, 'lab', 'seed'], 0, 0xffffffff)
  return {
    lab: {
      seed,
      ...(lab.cluster !== undefined ? { cluster: checkCluster(lab.cluster, [...p, 'lab', 'cluster'], r.fail) } : {}),
      commands: checkLines(lab.commands, [...p, 'lab', 'commands'], r.fail),
    },
    break: brk,
  }
}

/** A text in the learner's language. */
export function pick(t: Text, lang: 'en' | 'ja'): string {
  return t[lang]
}
