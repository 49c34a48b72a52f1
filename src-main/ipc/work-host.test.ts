import { describe, expect, it } from 'vitest'
import { CHANNELS, type ApiReply, type LabState, type WorkProgress } from '../../shared/api.ts'
import { createHandlers, dispatch, LabService } from './handlers.ts'
import { NO_IO } from './live-host.ts'
import { PROGRESS_EVERY_MS, WorkReporter } from './work-host.ts'

const ok: ApiReply = { ok: true, value: null }

/** A reporter on a clock the test moves, posting into a list. */
function reporter(flag: Int32Array | null = new Int32Array(new SharedArrayBuffer(4))) {
  let now = 0
  const posted: WorkProgress[] = []
  const r = new WorkReporter(flag, (p) => posted.push(p), () => now)
  return { r, posted, flag, at: (ms: number) => (now = ms) }
}

describe('WorkReporter', () => {
  it('passes a step\'s sub-steps and the work\'s own fraction on with it', async () => {
    const { r, posted, at } = reporter()
    await r.run(1, async () => {
      r.options.progress!({ phase: 'compare', done: 0, total: 38, sub: { phase: 'build', done: 3, total: 9 }, fraction: 0.05 })
      at(PROGRESS_EVERY_MS)
      r.options.progress!({ phase: 'compare', done: 38, total: 38, fraction: 1 })
      return ok
    })
    expect(posted).toEqual([
      { phase: 'compare', done: 0, total: 38, sub: { phase: 'build', done: 3, total: 9 }, fraction: 0.05 },
      { phase: 'compare', done: 38, total: 38, fraction: 1 },
      { phase: 'compare', done: 38, total: 38, end: 'done' },
    ])
  })

  it('passes progress on at most every PROGRESS_EVERY_MS, a phase\'s last step always, then how the work ended', async () => {
    const { r, posted, at } = reporter()
    const progress = r.options.progress!
    await r.run(1, async () => {
      progress({ phase: 'build', done: 1, total: 5 })
      at(PROGRESS_EVERY_MS - 1)
      progress({ phase: 'build', done: 2, total: 5 })
      at(PROGRESS_EVERY_MS)
      progress({ phase: 'build', done: 3, total: 5 })
      at(PROGRESS_EVERY_MS + 1)
      progress({ phase: 'build', done: 4, total: 5 })
      progress({ phase: 'build', done: 5, total: 5 })
      progress({ phase: 'replay', done: 0, total: 7 })
      progress({ phase: 'replay', done: 7, total: 7 })
      return ok
    })
    expect(posted).toEqual([
      { phase: 'build', done: 1, total: 5 },
      { phase: 'build', done: 3, total: 5 },
      { phase: 'build', done: 5, total: 5 },
      { phase: 'replay', done: 7, total: 7 },
      { phase: 'replay', done: 7, total: 7, end: 'done' },
    ])
    // The next request starts afresh: its first step is passed on at once.
    posted.length = 0
    await r.run(2, async () => {
      progress({ phase: 'replay', done: 1, total: 9 })
      return { ok: false, error: { code: 'lab-build', message: 'no' } }
    })
    expect(posted).toEqual([{ phase: 'replay', done: 1, total: 9 }, { phase: 'replay', done: 1, total: 9, end: 'failed' }])
  })

  it('marks the progress of work nobody may stop (id 0), so the page offers no Cancel for it', async () => {
    const { r, posted } = reporter()
    await r.run(0, async () => {
      r.options.progress!({ phase: 'replay', done: 2, total: 2 })
      return ok
    })
    await r.run(3, async () => {
      r.options.progress!({ phase: 'replay', done: 2, total: 2 })
      return ok
    })
    expect(posted).toEqual([
      { phase: 'replay', done: 2, total: 2, cancellable: false },
      { phase: 'replay', done: 2, total: 2, cancellable: false, end: 'done' },
      { phase: 'replay', done: 2, total: 2 },
      { phase: 'replay', done: 2, total: 2, end: 'done' },
    ])
  })

  it('says nothing of work that reported no progress, and an exception ends it as failed', async () => {
    const { r, posted } = reporter()
    await r.run(1, async () => ok)
    expect(posted).toEqual([])
    await expect(
      r.run(2, async () => {
        r.options.progress!({ phase: 'build', done: 1, total: 3 })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(posted.at(-1)).toEqual({ phase: 'build', done: 1, total: 3, end: 'failed' })
  })

  it('cancels the request under way and those before it, never one sent after the cancel', async () => {
    const { r, flag } = reporter()
    const signal = r.options.signal!
    expect(signal.cancelled).toBe(false)
    const seen: boolean[] = []
    // The other side asks to stop everything up to request 3 while request 3 runs.
    await r.run(3, async () => {
      seen.push(signal.cancelled)
      Atomics.store(flag!, 0, 3)
      seen.push(signal.cancelled)
      return ok
    })
    // Request 4 was sent after: the cancel, still in the word, does not reach it.
    await r.run(4, async () => {
      seen.push(signal.cancelled)
      return ok
    })
    // Between requests, and for work nobody may cancel (id 0), nothing reads as cancelled.
    expect(signal.cancelled).toBe(false)
    Atomics.store(flag!, 0, 100)
    await r.run(0, async () => {
      seen.push(signal.cancelled)
      return ok
    })
    expect(seen).toEqual([false, true, false, false])
  })

  it('without shared memory nothing is ever cancelled', async () => {
    const { r } = reporter(null)
    await r.run(1, async () => {
      expect(r.cancelled).toBe(false)
      return ok
    })
  })

  it('stops a real build of the handler table and keeps the open lab, which then reports how it ended', async () => {
    const { r, posted, flag } = reporter()
    const service = new LabService('same-node')
    const handlers = createHandlers(service, { ...NO_IO, work: r.options })
    const before = service.state()
    let steps = 0
    // Cancel from the progress callback once the build is under way, as a page would.
    const inner = r.options.progress!
    r.options.progress = (p) => {
      inner(p)
      if (++steps === 10) Atomics.store(flag!, 0, 7)
    }
    const reply = await r.run(7, () => dispatch(handlers, CHANNELS.newLab, { scenario: 'routed', nodes: 200, podsPerNode: 2 }))
    expect(reply).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(steps).toBe(10)
    expect(posted.at(-1)).toMatchObject({ phase: 'build', end: 'cancelled' })
    const after = service.state() as LabState
    expect(after.topology.namespaces.map((n) => n.name)).toEqual(before.topology.namespaces.map((n) => n.name))
    expect(after.history).toEqual(before.history)
    // The next request runs to its end.
    const next = await r.run(8, () => dispatch(handlers, CHANNELS.newLab, { scenario: 'routed', nodes: 3, podsPerNode: 1 }))
    expect(next.ok).toBe(true)
    expect(posted.at(-1)).toMatchObject({ phase: 'build', done: 7, total: 7, end: 'done' })
  })
})
