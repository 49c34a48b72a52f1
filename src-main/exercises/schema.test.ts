import Ajv2020 from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { COURSE } from './course/index.ts'
import schema from './exercise.schema.json'
import { parseExercise } from './format.ts'

// The JSON Schema is what a teacher's editor completes and checks with; the parser is what the
// app, the CLI and validation use. Both must agree on every built-in and on broken files.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
const validate = ajv.compile(schema)

const base = parse(COURSE.find((c) => c.file.startsWith('05-'))!.text) as Record<string, unknown>

/** The exercise with one field set (or removed, for undefined); `spec.goals.3` appends a goal (the base has three). */
function variant(path: string, value: unknown): Record<string, unknown> {
  const d = structuredClone(base)
  const keys = path.split('.')
  let o = d as Record<string, unknown>
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>
  const last = keys[keys.length - 1]
  if (value === undefined) delete o[last]
  else o[last] = value
  return d
}

function parserAccepts(d: unknown): boolean {
  try {
    parseExercise(JSON.stringify(d))
    return true
  } catch {
    return false
  }
}

describe('exercise.schema.json', () => {
  it.each(COURSE.map((c) => [c.file, c.text] as const))('accepts the built-in %s', (_file, text) => {
    const ok = validate(parse(text))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  const broken: [string, string, unknown][] = [
    ['a text without Japanese', 'spec.task.ja', undefined],
    ['an unknown field', 'spec.colour', 'red'],
    ['a goal with two checks', 'spec.goals.0.mode', 'routes'],
    ['a goal without a check', 'spec.goals.0.deliver', undefined],
    ['a start with a scenario and a lab', 'spec.start.lab', {}],
    ['an unknown topic', 'metadata.topic', 'calico'],
    ['a bad expect', 'spec.goals.0.deliver.expect', 'lost'],
    ['no hints', 'spec.hints', []],
    ['a count without a bound', 'spec.goals.3', { text: { en: 'x', ja: 'x' }, count: { of: 'pods' } }],
    ['a bad MAC', 'spec.goals.3', { text: { en: 'x', ja: 'x' }, fdb: { netns: 'node1', dev: 'flannel.1', mac: 'zz:00' } }],
  ]
  it.each(broken)('and the parser both refuse %s', (_what, path, value) => {
    const d = variant(path, value)
    expect(validate(d)).toBe(false)
    expect(parserAccepts(d)).toBe(false)
  })
})
