// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CHANNELS, requestMethods, type PodnetApi, type WorkProgress } from '../../shared/api.ts'
// The real handler table and the hosts' own progress/cancel module stand in for the Worker.
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'
import { NO_IO } from '../../src-main/ipc/live-host.ts'
import { WorkReporter } from '../../src-main/ipc/work-host.ts'
import { translate } from '../i18n/index.ts'
import { useLabStore } from './lab.ts'
import { useUiStore } from './ui.ts'
import { SHOW_AFTER_MS, useWorkStore } from './work.ts'

/**
 * window.podnet as a host gives it: each request answered through a WorkReporter with an id, a
 * word of shared memory for cancels, progress pushed to listeners as the engine reports it.
 */
function installHost(opts: { cancellable: boolean; onProgress?: (p: WorkProgress) => void }) {
  const flag = new Int32Array(new SharedArrayBuffer(4))
  let next = 1
  let pending = 0
  let clock = 0
  const listeners = new Set<(p: WorkProgress) => void>()
  const posted: WorkProgress[] = []
  // Each look at the clock moves it 60 ms: every other step of the engine is passed on.
  const reporter = new WorkReporter(flag, (p) => {
    posted.push(p)
    for (const l of listeners) l(p)
    opts.onProgress?.(p)
  }, () => (clock += 60))
  const handlers = createHandlers(new LabService('routed'), { ...NO_IO, work: reporter.options })
  const api: PodnetApi = {
    ...requestMethods((m) => async (payload) => {
      const id = next++
      pending++
      const reply = await reporter.run(id, () => dispatch(handlers, CHANNELS[m], payload))
      pending--
      if (reply.ok) return reply.value
      throw reply.error
    }),
    onWork(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    ...(opts.cancellable && {
      cancelWork() {
        if (pending === 0) return false
        Atomics.store(flag, 0, next - 1)
        return true
      },
    }),
  }
  Object.assign(window, { podnet: api })
  return { posted }
}

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('work store', () => {
  it('shows the bar only once work has lasted SHOW_AFTER_MS, and hides it when the work ends', async () => {
    installHost({ cancellable: true })
    vi.useFakeTimers()
    const work = useWorkStore()
    let finishShort!: () => void
    const short = work.track(() => new Promise<void>((r) => (finishShort = r)))
    vi.advanceTimersByTime(SHOW_AFTER_MS - 1)
    finishShort()
    await short
    vi.advanceTimersByTime(SHOW_AFTER_MS)
    expect(work.shown).toBe(false)
    let finishLong!: () => void
    const long = work.track(() => new Promise<void>((r) => (finishLong = r)))
    expect(work.active).toBe(true)
    vi.advanceTimersByTime(SHOW_AFTER_MS)
    expect(work.shown).toBe(true)
    work.report({ phase: 'build', done: 5, total: 20 })
    expect(work.fraction).toBe(0.25)
    // The host's word that the work ended does not hide the bar of a request whose reply is on its way.
    work.report({ phase: 'build', done: 20, total: 20, end: 'done' })
    expect(work.shown).toBe(true)
    finishLong()
    await long
    expect(work.shown).toBe(false)
    expect(work.progress).toBeNull()
  })

  it('follows work another part of the app started (a desktop menu) from the host\'s reports to their end', () => {
    installHost({ cancellable: true })
    vi.useFakeTimers()
    const work = useWorkStore()
    const ui = useUiStore()
    work.report({ phase: 'replay', done: 3, total: 300 })
    expect(work.active).toBe(true)
    vi.advanceTimersByTime(SHOW_AFTER_MS)
    expect(work.shown).toBe(true)
    work.report({ phase: 'replay', done: 3, total: 300, end: 'cancelled' })
    expect(work.shown).toBe(false)
    expect(ui.notice).toBe(translate('en', 'work.cancelled'))
  })

  it('Cancel stops a real build: the open lab, its unsaved change and the view stay as they were', async () => {
    let work: ReturnType<typeof useWorkStore> | null = null
    const { posted } = installHost({
      cancellable: true,
      // The learner presses Cancel once the bar shows some progress.
      onProgress: (p) => {
        if (p.done >= 10 && p.end === undefined) work?.cancel()
      },
    })
    const lab = useLabStore()
    const ui = useUiStore()
    work = useWorkStore()
    const stop = work.listen()
    await lab.init()
    await lab.edit({ type: 'setIpForward', netns: 'node1', on: false })
    ui.select('node1')
    const before = lab.state
    const generation = lab.generation
    const made = lab.newLab('flannel-vxlan', 300, 2)
    await vi.waitFor(() => expect(ui.confirmation).not.toBeNull())
    ui.answer(true)
    expect(await made).toBe(false)
    expect(posted.at(-1)).toMatchObject({ phase: 'build', total: 601, end: 'cancelled' })
    expect(posted.filter((p) => p.end === undefined).every((p) => p.done < 20)).toBe(true)
    expect(lab.state).toBe(before)
    expect(lab.generation).toBe(generation)
    expect(ui.selected).toBe('node1')
    expect(ui.error).toBeNull()
    expect(ui.notice).toBe(translate('en', 'work.cancelled'))
    expect(work.active).toBe(false)
    // The host kept the lab too: unsaved, with its change.
    await lab.refresh()
    expect(lab.state?.dirty).toBe(true)
    expect(lab.state?.history).toEqual(before?.history)
    expect(lab.state?.history.at(-1)?.line).toContain('ip_forward')
    expect(lab.nodes).toHaveLength(2)
    stop()
  })

  it('offers no Cancel for work the host says nobody may stop (reopening recovered work)', () => {
    installHost({ cancellable: true })
    const work = useWorkStore()
    work.report({ phase: 'replay', done: 1, total: 4 })
    expect(work.cancellable).toBe(true)
    work.report({ phase: 'replay', done: 2, total: 4, cancellable: false })
    expect(work.cancellable).toBe(false)
    work.cancel()
    expect(work.cancelling).toBe(false)
  })

  it('offers no Cancel where the host cannot stop work', () => {
    installHost({ cancellable: false })
    expect(useWorkStore().cancellable).toBe(false)
  })
})
