import { describe, expect, it } from 'vitest'
import { Scheduler } from '../../src-main/engine/kernel/scheduler.ts'
import { CANCEL_CHECK_EVENTS, WorkCancelled, type WorkProgress } from '../../src-main/engine/kernel/work.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { NO_IO } from '../../src-main/ipc/live-host.ts'
import { serializeLab } from '../../src-main/lab/format.ts'
import { instantiate } from '../../src-main/lab/lab.ts'
import { scenarioLab } from '../../src-main/lab/session.ts'

const labWithHistory = (changes: number) => {
  const doc = scenarioLab('routed', 3, 1)
  doc.spec.commands = Array.from({ length: changes }, (_, i) => ({ at: 3 + i * 0.01, run: `ip -n node1 route add 172.16.${i}.0/24 via 192.168.0.12` }))
  return doc
}

describe('long work reports its progress and stops when cancelled', () => {
  it('the scheduler looks at the signal every CANCEL_CHECK_EVENTS events', () => {
    const s = new Scheduler()
    let ran = 0
    for (let i = 0; i < 10 * CANCEL_CHECK_EVENTS; i++) s.after(1000 + i, () => ran++)
    const signal = { cancelled: false }
    s.signal = signal
    s.after(500, () => (signal.cancelled = true))
    expect(() => s.run(Infinity)).toThrow(WorkCancelled)
    expect(ran).toBeLessThan(CANCEL_CHECK_EVENTS)
  })

  it('a lab opened reports the build, then each command of its history replayed', () => {
    const seen: WorkProgress[] = []
    const rt = instantiate(labWithHistory(20), { progress: (p) => seen.push({ ...p }) })
    expect(rt.history).toHaveLength(20)
    const build = seen.filter((p) => p.phase === 'build')
    expect(build.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(build.every((p) => p.total === 7)).toBe(true)
    expect(seen.filter((p) => p.phase === 'replay').map((p) => p.done)).toEqual([...Array.from({ length: 20 }, (_, i) => i), 20])
  })

  it('a cancel during the replay stops it between commands', () => {
    const signal = { cancelled: false }
    let replayed = 0
    const open = () =>
      instantiate(labWithHistory(20), {
        signal,
        progress: (p) => {
          if (p.phase === 'replay') replayed = p.done
          if (p.phase === 'replay' && p.done === 5) signal.cancelled = true
        },
      })
    expect(open).toThrow(WorkCancelled)
    expect(replayed).toBe(5)
  })

  it('a cancelled open through the handler table fails with code cancelled and keeps the open lab', async () => {
    const signal = { cancelled: false }
    let cancelAt: number | null = 3
    const service = new LabService('same-node')
    const h = createHandlers(service, { ...NO_IO, work: { signal, progress: (p) => p.phase === 'replay' && p.done === cancelAt && (signal.cancelled = true) } })
    const before = await h.getState(undefined)
    await expect(h.openLab({ text: serializeLab(labWithHistory(10)), name: 'big.yaml' })).rejects.toMatchObject({ code: 'cancelled' })
    const after = await h.getState(undefined)
    expect(after.topology.namespaces.map((n) => n.name)).toEqual(before.topology.namespaces.map((n) => n.name))
    expect(after.name).toBe(before.name)
    signal.cancelled = false
    cancelAt = null
    await expect(h.openLab({ text: serializeLab(labWithHistory(10)), name: 'big.yaml' })).resolves.toMatchObject({ history: expect.any(Array) })
  })
})
