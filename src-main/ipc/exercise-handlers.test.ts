import { describe, expect, it } from 'vitest'
import { CHANNELS, type ApiError, type WorkProgress } from '../../shared/api.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'
import { builtinSource } from '../exercises/builtins.ts'
import { createHandlers, dispatch, LabService } from './handlers.ts'
import { NO_IO } from './live-host.ts'

function setup(): { service: LabService; h: ReturnType<typeof createHandlers> } {
  const service = new LabService('same-node')
  return { service, h: createHandlers(service) }
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    return e as ApiError
  }
  throw new Error('did not fail')
}

describe('exercise channels', () => {
  it('open an exercise, check it with reasons, reveal hints one by one, and mark it solved', async () => {
    const { service, h } = setup()
    const list = await h.listExercises()
    expect(list.length).toBeGreaterThanOrEqual(15)
    expect(list.every((e) => e.status === 'not-started' && e.builtIn)).toBe(true)
    const opened = await h.openExercise({ id: 'w2-missing-route' })
    expect(opened.state.exercise).toBe('w2-missing-route')
    expect(opened.state.history).toEqual([])
    expect(opened.exercise).toMatchObject({ id: 'w2-missing-route', hints: [], hintCount: 3, status: 'in-progress' })
    expect(opened.exercise.solution).toBeUndefined()
    expect(opened.exercise.explanation).toBeUndefined()
    // The task and goals never show the break.
    expect(JSON.stringify(opened.exercise)).not.toContain('route del')

    const first = await h.checkExercise()
    expect(first.check.pass).toBe(false)
    expect(first.check.results.find((r) => r.id === 'reach')?.why).toEqual({ en: 'pod1 → pod4 is dropped at node1: no route to 10.244.2.3', ja: 'pod1 → pod4 は node1 で破棄される：10.244.2.3 への経路がない' })
    // Checking runs on copies: the open lab's clock, history and ARP caches are as they were.
    const now = service.session.world.sched.now
    expect(service.session.world.netns('pod1')!.neigh.entries()).toEqual([])
    expect(service.session.world.sched.now).toBe(now)

    const h1 = await h.revealHint()
    expect(h1.hints.length).toBe(1)
    expect(h1.solution).toBeUndefined()
    await h.revealHint()
    const h3 = await h.revealHint()
    expect(h3.hints.length).toBe(3)
    expect(h3.solution).toEqual(['ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0'])
    expect((await h.revealHint()).hints.length).toBe(3)

    await h.exec({ line: 'ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0', netns: 'node1' })
    const solved = await h.checkExercise()
    expect(solved.check.pass).toBe(true)
    expect(solved.exercise.status).toBe('solved')
    expect(solved.exercise.explanation?.en).toMatch(/^node1 had no route for node2's pod CIDR/)
    expect((await h.listExercises()).find((e) => e.id === 'w2-missing-route')?.status).toBe('solved')
  })

  it('keep each exercise\'s work in progress, across exercises and across restarts', async () => {
    const { service, h } = setup()
    await h.openExercise({ id: 'w2-ip-forward' })
    await h.exec({ line: 'ip netns exec node1 sysctl -w net.ipv4.ip_forward=1' })
    const saved = service.exercises.take(service.session)
    expect(saved).not.toBeNull()
    await h.openExercise({ id: 'w1-bridge-down' })
    expect(service.exercises.take(service.session)).not.toBeNull()
    expect((await h.openExercise({ id: 'w2-ip-forward' })).state.history.map((e) => e.line)).toEqual(['ip netns exec node1 sysctl -w net.ipv4.ip_forward=1'])
    await h.revealHint()
    const text = service.exercises.take(service.session)!

    // A new start of the app: the host hands the kept text back.
    const next = setup()
    expect(next.service.exercises.progress.load(text)).toBe(true)
    const list = await next.h.listExercises()
    expect(list.find((e) => e.id === 'w2-ip-forward')?.status).toBe('in-progress')
    expect(list.find((e) => e.id === 'w1-bridge-down')?.status).toBe('in-progress')
    expect(list.find((e) => e.id === 'w2-missing-route')?.status).toBe('not-started')
    const again = await next.h.openExercise({ id: 'w2-ip-forward' })
    expect(again.state.history.map((e) => e.line)).toEqual(['ip netns exec node1 sysctl -w net.ipv4.ip_forward=1'])
    expect(again.exercise.hints.length).toBe(1)
    // Starting over on purpose.
    expect((await next.h.openExercise({ id: 'w2-ip-forward', fresh: true })).state.history).toEqual([])
    // A damaged progress text is not a progress file: nothing is lost by reading it, nothing is kept.
    expect(next.service.exercises.progress.load('{"version": 1, "exercises": [')).toBe(false)
  })

  it('reset the exercise: the start lab again, hints kept, the break still not undoable', async () => {
    const { h } = setup()
    await h.openExercise({ id: 'w1-veth-detached' })
    await h.revealHint()
    await h.exec({ line: 'ip -n pod1 route add 10.244.1.3 dev eth0' })
    const r = await h.resetExercise()
    expect(r.state.history).toEqual([])
    expect(r.state.canUndo).toBe(false)
    expect(r.exercise.hints.length).toBe(1)
  })

  it('answer questions in the lab, refusing answers that are not among the choices', async () => {
    const { h } = setup()
    await h.openExercise({ id: 'w3-predict-encap' })
    expect((await failure(h.answerQuestion({ goal: 'wrapper', answer: 'eth1' }))).message).toBe('answer: must be one of pod-eth0, cbr0, flannel.1, node-eth0')
    expect((await failure(h.answerQuestion({ goal: 'reach', answer: 'x' }))).message).toBe('goal: "reach" is not a question of this exercise')
    await h.answerQuestion({ goal: 'wrapper', answer: 'flannel.1' })
    await h.answerQuestion({ goal: 'port', answer: ' 8472 ' })
    const last = await h.answerQuestion({ goal: 'outer-src', answer: '192.168.0.11' })
    expect(last.state.dirty).toBe(true)
    expect(last.exercise.goals.find((g) => g.id === 'wrapper')).toMatchObject({ answer: 'flannel.1', question: { choices: [{ id: 'pod-eth0' }, { id: 'cbr0' }, { id: 'flannel.1' }, { id: 'node-eth0' }] } })
    expect((await h.checkExercise()).check.pass).toBe(true)
    // The answers are part of the lab file, so a saved lab keeps them.
    expect((await h.saveLab({})).text).toContain('port: "8472"')
  })

  it('open a teacher\'s exercise file, which the saved lab carries and the course list remembers', async () => {
    const { service, h } = setup()
    const text = builtinSource('w1-bridge-down')!.replace('id: w1-bridge-down', 'id: class-bridge')
    const opened = await h.openExercise({ text, name: 'class.yaml' })
    expect(opened.exercise).toMatchObject({ id: 'class-bridge', builtIn: false })
    const saved = (await h.saveLab({})).text
    expect(saved).toContain('definition:')
    await h.newLab({ scenario: 'routed' })
    expect(await h.exerciseState()).toBeNull()
    await h.openLab({ text: saved, name: 'mine.yaml' })
    expect((await h.exerciseState())?.id).toBe('class-bridge')
    const progress = service.exercises.take(service.session)!
    const next = setup()
    next.service.exercises.progress.load(progress)
    expect((await next.h.listExercises()).at(-1)).toMatchObject({ id: 'class-bridge', builtIn: false, status: 'in-progress' })
    expect((await next.h.removeExercise({ id: 'class-bridge' })).some((e) => e.id === 'class-bridge')).toBe(false)
    expect((await failure(h.openExercise({ text: builtinSource('w1-bridge-down')! }))).message).toBe('text: metadata.id: "w1-bridge-down" is the id of a built-in exercise; give yours an id of its own')
  })

  it('refuse malformed requests with the field and, for files, the line', async () => {
    const { h } = setup()
    expect(await dispatch(h, CHANNELS.openExercise, { id: 'No Such' })).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'id' } })
    expect(await dispatch(h, CHANNELS.openExercise, { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'id: no exercise "nope"' } })
    expect(await dispatch(h, CHANNELS.openExercise, { text: 'apiVersion: podnet.dev/v1\nkind: Exercise\nmetadata: 3\n', name: 'x.yaml' })).toMatchObject({ ok: false, error: { code: 'lab-format', message: 'x.yaml:3:11: metadata: must be a mapping, not 3' } })
    expect(await dispatch(h, CHANNELS.openExercise, { id: 'w1-who-arps', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'extra' } })
    expect(await dispatch(h, CHANNELS.checkExercise, undefined)).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await dispatch(h, CHANNELS.revealHint, { more: true })).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
  it('report the progress of building an exercise\'s lab, and a cancel keeps the open lab', async () => {
    const service = new LabService('same-node')
    const seen: WorkProgress[] = []
    let cancel = false
    const work: WorkOptions = {
      progress: (p) => {
        seen.push(p)
      },
      signal: {
        get cancelled() {
          return cancel
        },
      },
    }
    const h = createHandlers(service, { ...NO_IO, work })
    const opened = await h.openExercise({ id: 'w2-missing-route' })
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.at(-1)).toMatchObject({ phase: 'build' })
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total)
    // Reopening the work in progress replays it, with progress too.
    await h.exec({ netns: 'node1', line: 'ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0' })
    // As the hosts do after each request: the exercise's lab becomes its work in progress.
    service.exercises.take(service.session)
    await h.newLab({ scenario: 'same-node' })
    seen.length = 0
    await h.openExercise({ id: 'w2-missing-route' })
    expect(seen.some((p) => p.phase === 'replay')).toBe(true)
    // Cancelled part way, starting afresh changes nothing: the exercise's lab stays open as it was.
    const before = service.text()
    seen.length = 0
    work.progress = (p) => {
      seen.push(p)
      cancel = true
    }
    expect(await dispatch(h, CHANNELS.resetExercise, undefined)).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(seen).toHaveLength(1)
    expect(service.text()).toBe(before)
    expect(service.state().exercise).toBe(opened.state.exercise)
  })
})

describe('the setMode edit', () => {
  it('moves the cluster to another mode as one undoable history line', async () => {
    const { h } = setup()
    await h.newLab({ scenario: 'routed' })
    const r = await h.edit({ type: 'setMode', mode: 'flannel-vxlan' })
    expect(r.exitCode).toBe(0)
    expect(r.delta.mode).toBe('flannel-vxlan')
    expect(r.delta.history.append.map((e) => e.line)).toEqual(['podnet cluster mode flannel-vxlan'])
    expect(r.delta.namespaces.set.find((n) => n.name === 'node1')?.devices.some((d) => d.name === 'flannel.1')).toBe(true)
    expect(await dispatch(h, CHANNELS.edit, { type: 'setMode', mode: 'flannel-vxlan' })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'mode: the cluster already uses flannel-vxlan' } })
    expect(await dispatch(h, CHANNELS.edit, { type: 'setMode', mode: 'calico' })).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'mode' } })
    expect((await h.undo()).mode).toBe('routes')
  })
})
