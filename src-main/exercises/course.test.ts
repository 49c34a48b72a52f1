import { describe, expect, it } from 'vitest'
import { LabSession } from '../lab/session.ts'
import { parseLab, serializeLab } from '../lab/format.ts'
import { builtinExercises, builtinExercise } from './builtins.ts'
import { checkLab } from './check.ts'
import { attemptLab, startLab } from './start.ts'
import { validateExercise } from './validate.ts'
import type { TOPICS } from './format.ts'
import { run } from '../engine/commands/index.ts'

const course = builtinExercises()

describe('the built-in course', () => {
  it('has at least 15 exercises with unique ids, ordered from walkthrough 1 to the overlay', () => {
    expect(course.length).toBeGreaterThanOrEqual(15)
    const ids = course.map((e) => e.metadata.id)
    expect(new Set(ids).size).toBe(ids.length)
    const topics = course.map((e) => e.metadata.topic)
    // Walkthrough 1 opens the course; walkthrough 2 comes before why overlays exist, which comes before walkthrough 3.
    expect(topics[0]).toBe('walkthrough-1')
    const first = (t: string): number => topics.indexOf(t as (typeof TOPICS)[number])
    const last = (t: string): number => topics.lastIndexOf(t as (typeof TOPICS)[number])
    expect(last('walkthrough-1')).toBeLessThan(first('walkthrough-2'))
    expect(last('walkthrough-2')).toBeLessThan(first('overlay'))
    expect(last('overlay')).toBeLessThan(first('walkthrough-3'))
    for (const t of ['walkthrough-1', 'walkthrough-2', 'walkthrough-3', 'overlay', 'mtu', 'underlay']) expect(first(t), t).toBeGreaterThanOrEqual(0)
  })

  // For every exercise: the start fails, the solution passes, and each wrong fix listed still fails.
  it.each(course.map((e) => [e.metadata.id, e] as const))('%s: start fails, solution passes, mistakes fail', (_id, ex) => {
    const v = validateExercise(ex)
    expect(v.problems).toEqual([])
    expect(v.start!.pass).toBe(false)
    expect(v.solution!.pass).toBe(true)
    expect(ex.mistakes.length).toBeGreaterThanOrEqual(1)
    for (const m of v.mistakes) expect(m.report.pass, m.note).toBe(false)
    // Every goal that fails says why, in both languages.
    for (const r of v.start!.results.filter((x) => !x.pass)) {
      expect(r.why?.en, r.id).toMatch(/\S/)
      expect(r.why?.ja, r.id).toMatch(/[\u3040-\u30ff\u3400-\u9fff]|^[\x20-\x7e“”→]+$/)
    }
  })

  it('never reveals the break in the task, the goals or the hints', () => {
    for (const ex of course) {
      for (const line of ex.start.break) {
        const texts = [ex.task, ...ex.hints, ...ex.goals.map((g) => g.text)].flatMap((t) => [t.en, t.ja])
        for (const t of texts) expect(t.includes(line), `${ex.metadata.id}: ${line}`).toBe(false)
      }
    }
  })
})

describe('checking a lab', () => {
  it('says where and why a probe is dropped, from the trace, in the learner\'s language', () => {
    const ex = builtinExercise('w2-missing-route')!
    const r = checkLab(ex, startLab(ex, { builtIn: true }))
    const reach = r.results.find((x) => x.id === 'reach')!
    expect(reach.pass).toBe(false)
    expect(reach.why).toEqual({ en: 'pod1 → pod4 is dropped at node1: no route to 10.244.2.3', ja: 'pod1 → pod4 は node1 で破棄される：10.244.2.3 への経路がない' })
    const route = r.results.find((x) => x.id === 'route')!
    expect(route.why?.en).toBe('node1 has no route 10.244.2.0/24 via 192.168.0.12')
  })

  it('explains a drop on the way back, an ARP that never gets an answer, and a missing FDB entry', () => {
    const stale = builtinExercise('w2-stale-next-hop')!
    const s = checkLab(stale, startLab(stale, { builtIn: true }))
    expect(s.results.find((x) => x.id === 'back')!.why?.en).toBe('pod3 → pod2 arrives, but the reply is dropped at node1: no ARP reply for 192.168.0.12 on eth0')
    const fdb = builtinExercise('w3-missing-fdb')!
    const f = checkLab(fdb, startLab(fdb, { builtIn: true }))
    expect(f.results.find((x) => x.id === 'reach')!.why?.en).toBe('pod1 → pod4 is dropped at node1: flannel.1 has no VXLAN FDB entry for 02:3d:6c:ea:63:68')
  })

  it('gives the same answer every time and changes nothing in the learner\'s lab', () => {
    const ex = builtinExercise('w3-missing-neigh')!
    const session = new LabSession(startLab(ex, { builtIn: true }))
    session.exec('ip -n node1 neigh add 10.244.2.0 lladdr 02:33:2b:8f:47:ca dev flannel.1 nud permanent')
    const before = { doc: serializeLab(session.doc), now: session.world.sched.now, neigh: run(session.world, 'ip -n pod1 neigh; ip -n node1 neigh', undefined, 0).stdout }
    const a = checkLab(ex, session.doc)
    const b = checkLab(ex, session.doc)
    expect(b).toEqual(a)
    expect(a.pass).toBe(false)
    // The learner's World saw no probe: no ARP entry appeared, the clock did not move.
    expect(run(session.world, 'ip -n pod1 neigh; ip -n node1 neigh', undefined, 0).stdout).toBe(before.neigh)
    expect(session.world.sched.now).toBe(before.now)
    expect(serializeLab(session.doc)).toBe(before.doc)
  })

  it('evaluates each probe on a cold copy, so the order of goals does not matter', () => {
    const ex = builtinExercise('w2-ip-forward')!
    const solved = attemptLab(startLab(ex, { builtIn: true }), ex.solution).doc
    const reversed = { ...ex, goals: [...ex.goals].reverse() }
    const a = checkLab(ex, solved).results
    const b = checkLab(reversed, solved).results
    expect(new Map(b.map((r) => [r.id, r]))).toEqual(new Map(a.map((r) => [r.id, r])))
  })
})

describe('labs made for an exercise', () => {
  it('keep the break as the lab\'s setup: not in the history, not undoable, replayed on load', () => {
    const ex = builtinExercise('w2-missing-route')!
    const doc = startLab(ex, { builtIn: true })
    expect(doc.spec.setup).toEqual(['ip -n node1 route del 10.244.2.0/24'])
    expect(doc.spec.commands).toEqual([])
    const session = new LabSession(doc)
    expect(session.canUndo).toBe(false)
    expect(session.undo()).toBe(false)
    session.exec('ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0')
    session.undo()
    expect(run(session.world, 'ip -n node1 route show 10.244.2.0/24', undefined, 0).stdout).toBe('')
    const reread = parseLab(serializeLab(session.doc))
    expect(reread.spec.setup).toEqual(doc.spec.setup)
    expect(reread.exercise).toEqual({ id: 'w2-missing-route' })
  })

  it('refuse a broken exercise section with its place in the file', () => {
    const text = serializeLab(startLab(builtinExercise('w1-bridge-down')!, { builtIn: true })).replace('id: w1-bridge-down', 'id: Bridge Down')
    expect(() => parseLab(text, 'lab.yaml')).toThrow(/^lab\.yaml:\d+:\d+: exercise\.id: an exercise id \(lowercase letters, digits and -\) is required$/)
  })

  it('carry a teacher\'s exercise inside, so the lab file alone can be checked', () => {
    const ex = builtinExercise('w1-bridge-down')!
    const doc = startLab(ex, { builtIn: false })
    const reread = parseLab(serializeLab(doc))
    expect(reread.exercise?.definition).toEqual(ex.raw)
  })
})
