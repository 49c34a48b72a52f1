import { describe, expect, it } from 'vitest'
import { LabFormatError } from '../lab/format.ts'
import { parseExercise } from './format.ts'
import { validateExerciseText } from './validate.ts'
import { thrown } from '../../test/unit/thrown.ts'

const GOOD = `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: t-missing-route
  title: { en: A missing route, ja: 足りない経路 }
  summary: { en: node1 lost its route to node2's pods., ja: node1 が node2 の Pod への経路を失いました。 }
  topic: walkthrough-2
  level: beginner
  minutes: 5
spec:
  start:
    scenario: routed
    break:
      - ip -n node1 route del 10.244.2.0/24
  task: { en: Make pod1 reach pod4 again., ja: pod1 から pod4 に再び届くようにしてください。 }
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
  hints:
    - { en: Look at ip route in node1., ja: node1 で ip route を見てください。 }
  solution:
    commands:
      - ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0
  explanation: { en: node1 had no route for node2's pod CIDR., ja: node1 には node2 の Pod CIDR への経路がありませんでした。 }
`

function errorOf(text: string): LabFormatError {
  return thrown(LabFormatError, () => parseExercise(text, 'ex.yaml'))
}

describe('exercise files', () => {
  it('parse into goals with ids and checks', () => {
    const ex = parseExercise(GOOD)
    expect(ex.metadata.id).toBe('t-missing-route')
    expect(ex.goals[0]).toEqual({ id: 'reach', text: { en: 'pod1 reaches pod4', ja: 'pod1 から pod4 に届く' }, check: { kind: 'deliver', probe: { from: 'pod1', to: 'pod4', proto: 'icmp' }, expect: 'delivered' } })
    expect(ex.constraints).toEqual([])
    expect(ex.start.break).toEqual(['ip -n node1 route del 10.244.2.0/24'])
  })

  it('refuse a text without its Japanese, at the line and column of the text', () => {
    const e = errorOf(GOOD.replace('task: { en: Make pod1 reach pod4 again., ja: pod1 から pod4 に再び届くようにしてください。 }', 'task: { en: Make pod1 reach pod4 again. }'))
    expect(e.message).toBe('ex.yaml:15:9: spec.task.ja: the Japanese text is missing')
  })

  it('refuse unknown fields, goals with two checks and goals with none', () => {
    expect(errorOf(GOOD.replace('      deliver: { from: pod1, to: pod4 }', '      deliver: { from: pod1, to: pod4, colour: red }')).message).toBe('ex.yaml:19:40: spec.goals[0].deliver.colour: unknown field "colour" (expected from, to, proto, port, size, df, expect, reason, at)')
    expect(errorOf(GOOD.replace('      deliver: { from: pod1, to: pod4 }', '      deliver: { from: pod1, to: pod4 }\n      mode: routes')).message).toBe('ex.yaml:17:7: spec.goals[0]: a goal checks one thing; this one has deliver and mode')
    expect(errorOf(GOOD.replace('      deliver: { from: pod1, to: pod4 }\n', '')).message).toMatch(/^ex\.yaml:17:7: spec\.goals\[0\]: a goal needs one check: deliver, path, route/)
  })

  it('refuse bad values with the field that holds them', () => {
    expect(errorOf(GOOD.replace('to: pod4 }', 'to: pod4, expect: lost }')).message).toBe('ex.yaml:19:48: spec.goals[0].deliver.expect: must be one of delivered, dropped, not "lost"')
    expect(errorOf(GOOD.replace('level: beginner', 'level: expert')).message).toBe('ex.yaml:8:10: metadata.level: must be one of beginner, intermediate, advanced, not "expert"')
    expect(errorOf(GOOD.replace('    scenario: routed\n', '    scenario: routed\n    lab: {}\n')).message).toBe('ex.yaml:12:5: spec.start: start needs either a scenario or an inline lab (not both)')
    const regex = GOOD.replace('      deliver: { from: pod1, to: pod4 }', '      command: { netns: node1, run: ip route, matches: "(" }')
    expect(errorOf(regex).message).toMatch(/^ex\.yaml:19:56: spec\.goals\[0\]\.command\.matches: not a valid regular expression/)
    expect(errorOf(GOOD.replace('kind: Exercise', 'kind: Lab')).message).toBe('ex.yaml:2:7: kind: kind must be "Exercise"')
  })

  it('refuse answers to questions that do not exist, and a question the solution leaves open', () => {
    const q = GOOD.replace('      deliver: { from: pod1, to: pod4 }', '      deliver: { from: pod1, to: pod4 }\n    - id: port\n      text: { en: Which port?, ja: どのポート？ }\n      question: { answer: "8472" }')
    expect(errorOf(q).message).toBe('ex.yaml:26:5: spec.solution.answers: the solution needs an answer for the question "port"')
    const wrong = q.replace('  solution:\n    commands:', '  solution:\n    answers: { nope: x, port: "8472" }\n    commands:')
    expect(errorOf(wrong).message).toBe('ex.yaml:26:22: spec.solution.answers.nope: "nope" is not the id of a question among the goals')
  })
})

describe('podnet exercise validate', () => {
  it('accepts a good exercise', () => {
    const { validation } = validateExerciseText(GOOD, 'ex.yaml')
    expect(validation.problems).toEqual([])
    expect(validation.ok).toBe(true)
  })

  it('finds a start that already passes, a solution that fails, a break line that fails and an untranslated text', () => {
    const bad = GOOD.replace('      - ip -n node1 route del 10.244.2.0/24', '      - ip -n node1 route del 10.244.9.0/24')
      .replace('via 192.168.0.12 dev eth0', 'via 192.168.0.13 dev eth0')
      .replace('ja: node1 には node2 の Pod CIDR への経路がありませんでした。', 'ja: node1 had no route for node2 pod CIDR.')
    const { validation } = validateExerciseText(bad, 'ex.yaml')
    expect(validation.ok).toBe(false)
    expect(validation.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.problem}`)).toEqual([
      '25:68 spec.explanation.ja: the Japanese text has no Japanese in it; translate it',
      '14:9 spec.start.break[0]: "ip -n node1 route del 10.244.9.0/24" fails (exit code 2): RTNETLINK answers: No such process',
      '17:5 spec.goals: the start lab already passes every goal: the exercise has nothing to do',
      '24:9 spec.solution.commands[0]: "ip -n node1 route add 10.244.2.0/24 via 192.168.0.13 dev eth0" fails (exit code 2): RTNETLINK answers: File exists',
    ])
  })

  it('finds a solution that does not pass, and a mistake that passes', () => {
    const bad = GOOD.replace('via 192.168.0.12 dev eth0', 'dev cbr0') + '  mistakes:\n    - commands: [ip -n node1 route add 10.244.2.0/24 via 192.168.0.12]\n'
    const { validation } = validateExerciseText(bad, 'ex.yaml')
    expect(validation.problems.map((p) => `${p.path}: ${p.problem}`)).toEqual([
      'spec.goals[0]: the solution does not pass goal "reach": pod1 → pod4 is dropped at node1: no ARP reply for 10.244.2.3 on cbr0',
      'spec.mistakes[0]: this mistake passes every goal and constraint: a goal should catch it',
    ])
  })
})
