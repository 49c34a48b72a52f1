import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {})
  return { code, out, err }
}

const dir = mkdtempSync(join(tmpdir(), 'podnet-exercises-cli-'))
const file = (name: string): string => join(dir, name)

/** The lab file with these lines as its history, as a learner would have typed them. */
function withHistory(path: string, lines: string[]): void {
  const text = readFileSync(path, 'utf8').replace('  commands: []\n', `  commands:\n${lines.map((l) => `    - ${l}\n`).join('')}`)
  writeFileSync(path, text)
}

describe('podnet exercises', () => {
  it('lists the course in order, as text and as JSON', async () => {
    const r = await cli('exercises')
    expect(r.code).toBe(0)
    const lines = r.out.trimEnd().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(15)
    expect(lines[0]).toMatch(/^ 1 {2}w1-who-arps +walkthrough-1 +beginner +5 min {2}Who asks/)
    const j = await cli('exercises', '--json', '--lang', 'ja')
    const list = JSON.parse(j.out) as { id: string; title: string }[]
    expect(list.length).toBe(lines.length)
    expect(list[4]).toMatchObject({ id: 'w2-missing-route', topic: 'walkthrough-2', level: 'beginner', minutes: 10 })
    expect(list.find((e) => e.id === 'w3-pod-mtu')!.title).toBe('小さなトンネルに大きなパケット')
  })
})

describe('podnet exercise start / check', () => {
  it('writes the start lab, then grades it: 1 while goals fail (saying why), 0 once solved', async () => {
    expect(await cli('exercise', 'start', 'w2-ip-forward', '-o', file('fwd.yaml'))).toMatchObject({ code: 0, out: '', err: '' })
    const doc = parse(readFileSync(file('fwd.yaml'), 'utf8'))
    expect(doc.spec.setup).toEqual(['ip netns exec node2 sysctl -w net.ipv4.ip_forward=0'])
    expect(doc.spec.commands).toEqual([])
    expect(doc.exercise).toEqual({ id: 'w2-ip-forward' })
    const failing = await cli('exercise', 'check', file('fwd.yaml'))
    expect(failing.code).toBe(1)
    expect(failing.out).toContain('  ✗ pod1 reaches pod4\n      pod1 → pod4 is dropped at node2: IP forwarding is off (net.ipv4.ip_forward = 0)\n')
    expect(failing.out.trimEnd().split('\n').at(-1)).toBe('0 of 3 goals pass: not solved yet')
    const ja = await cli('exercise', 'check', file('fwd.yaml'), '--lang', 'ja')
    expect(ja.out).toContain('  ✗ pod1 から pod4 に届く\n      pod1 → pod4 は node2 で破棄される：IP 転送が無効である（net.ipv4.ip_forward = 0）\n')
    withHistory(file('fwd.yaml'), ['ip netns exec node2 sysctl -w net.ipv4.ip_forward=1'])
    const solved = await cli('exercise', 'check', file('fwd.yaml'), '--json')
    expect(solved.code).toBe(0)
    const rep = JSON.parse(solved.out)
    expect(rep).toMatchObject({ exercise: 'w2-ip-forward', pass: true })
    expect(rep.results.map((r: { id: string; pass: boolean }) => `${r.id}:${r.pass}`)).toEqual(['reach:true', 'back:true', 'forwarding:true'])
  })

  it('checks constraints and answers to questions from the lab file', async () => {
    await cli('exercise', 'start', 'w3-predict-encap', '-o', file('q.yaml'))
    const text = readFileSync(file('q.yaml'), 'utf8') + '  answers:\n    wrapper: cbr0\n    port: "8472"\n    outer-src: 192.168.0.11\n'
    writeFileSync(file('q.yaml'), text)
    const r = await cli('exercise', 'check', file('q.yaml'), '--json')
    expect(r.code).toBe(1)
    const byId = Object.fromEntries(JSON.parse(r.out).results.map((x: { id: string }) => [x.id, x]))
    expect(byId.wrapper).toMatchObject({ pass: false, why: '“cbr0 in node1” is not the right answer' })
    expect(byId.port.pass).toBe(true)
    await cli('exercise', 'start', 'overlay-route-limit', '-o', file('limit.yaml'))
    withHistory(file('limit.yaml'), ['ip -n router route add 10.244.5.0/24 via 192.168.0.15'])
    const c = await cli('exercise', 'check', file('limit.yaml'))
    expect(c.code).toBe(1)
    expect(c.out).toContain('Constraints:\n  ✗ The router holds at most 4 routes for pod ranges (the table\'s limit)\n      router holds 5 routes, more than the 4 allowed\n')
  })

  it('starts and checks a teacher\'s exercise file, carried inside the lab', async () => {
    writeFileSync(file('mine.yaml'), (await cli('exercise', 'show', 'w1-bridge-down')).out.replace('id: w1-bridge-down', 'id: my-bridge'))
    expect((await cli('exercise', 'start', file('mine.yaml'), '-o', file('mine-lab.yaml'))).code).toBe(0)
    const doc = parse(readFileSync(file('mine-lab.yaml'), 'utf8'))
    expect(doc.exercise.id).toBe('my-bridge')
    expect(doc.exercise.definition.metadata.id).toBe('my-bridge')
    withHistory(file('mine-lab.yaml'), ['ip -n node1 link set cbr0 up'])
    expect((await cli('exercise', 'check', file('mine-lab.yaml'))).code).toBe(0)
  })

  it('refuses a lab without an exercise, and unknown exercises, with exit status 1', async () => {
    await cli('new', 'routed', '-o', file('plain.yaml'))
    expect(await cli('exercise', 'check', file('plain.yaml'))).toMatchObject({ code: 1, err: `podnet exercise check: ${file('plain.yaml')} is not an exercise lab: it has no exercise section (start one with podnet exercise start)\n` })
    expect(await cli('exercise', 'start', 'no-such-exercise')).toMatchObject({ code: 1, err: 'podnet exercise start: no built-in exercise "no-such-exercise" and no such file (podnet exercises lists the built-in ones)\n' })
    expect((await cli('exercise', 'frobnicate')).code).toBe(2)
  })
})

describe('podnet exercise validate', () => {
  it('accepts a good file and locates what is wrong in a bad one', async () => {
    writeFileSync(file('ok.yaml'), (await cli('exercise', 'show', 'w2-missing-route')).out)
    const ok = await cli('exercise', 'validate', file('ok.yaml'))
    expect(ok.code).toBe(0)
    expect(ok.out).toBe(`${file('ok.yaml')}: valid exercise w2-missing-route: 3 goals, 0 constraints, 3 hints; the start lab fails 3 goals, the solution passes them all, the 2 mistakes all fail\n`)
    const bad = readFileSync(file('ok.yaml'), 'utf8').replace('ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0\n  explanation', 'ip -n node1 route add 10.244.2.0/24 dev cbr0\n  explanation')
    writeFileSync(file('bad.yaml'), bad)
    const r = await cli('exercise', 'validate', file('bad.yaml'))
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${file('bad.yaml')}:27:7: spec.goals[0]: the solution does not pass goal "reach": pod1 → pod4 is dropped at node1: no ARP reply for 10.244.2.3 on cbr0\n`)
    writeFileSync(file('nota.yaml'), 'apiVersion: podnet.dev/v1\nkind: Exercise\nmetadata: []\n')
    expect(await cli('exercise', 'validate', file('nota.yaml'))).toMatchObject({ code: 1, err: `podnet exercise validate: ${file('nota.yaml')}:3:11: metadata: must be a mapping, not a list\n` })
  })

  it('accepts the complete example of docs/exercises.md', async () => {
    const doc = readFileSync(new URL('../../docs/exercises.md', import.meta.url), 'utf8')
    writeFileSync(file('doc.yaml'), /```yaml\n([\s\S]*?)```/.exec(doc)![1])
    const r = await cli('exercise', 'validate', file('doc.yaml'))
    expect(r).toMatchObject({ code: 0, err: '' })
    expect(r.out).toContain('valid exercise my-missing-route: 3 goals, 1 constraint, 2 hints; the start lab fails 3 goals, the solution passes them all, the mistake fails')
  })

  it('prints the JSON Schema', async () => {
    const r = await cli('exercise', 'schema')
    expect(JSON.parse(r.out).title).toBe('PodNet Lab exercise')
  })
})
