import { describe, expect, it } from 'vitest'
import type { TraceView } from '../../shared/api.ts'
import { createHandlers, LabService } from './handlers.ts'
import { NO_IO, type HostIo } from './live-host.ts'
import { SPARE_SLICE_MS } from './spare-host.ts'

/** A host whose idle callbacks the test runs by hand; each step of work takes 10 ms of its clock. */
function idleHost() {
  let now = 0
  let idle: (() => void)[] = []
  const io: HostIo = {
    ...NO_IO,
    now: () => (now += 10),
    idle: (fn) => {
      idle.push(fn)
      return () => void (idle = idle.filter((f) => f !== fn))
    },
  }
  /** Runs the idle callbacks (and those they ask for) until none is left; how many ran. */
  const runIdle = (): number => {
    let n = 0
    while (idle.length) {
      idle.shift()!()
      n++
    }
    return n
  }
  return { io, runIdle }
}

const strip = (t: TraceView) => ({ ...t, id: 0 })

describe('the host makes a spare replay while idle', () => {
  it('in slices after a request, and a trace then runs in it with the steps a replay gives', async () => {
    const { io, runIdle } = idleHost()
    const service = new LabService(null)
    const h = createHandlers(service, io)
    await h.newLab({ scenario: 'flannel-vxlan', nodes: 3, podsPerNode: 2 })
    expect(service.session.spareState).toBe('none')
    // Slices of SPARE_SLICE_MS on a clock that moves 10 ms a step: several of them.
    expect(runIdle()).toBeGreaterThan(SPARE_SLICE_MS / 10)
    expect(service.session.spareState).toBe('ready')
    const viaSpare = await h.trace({ from: 'pod1', to: 'pod6' })
    // The trace used it up; the next is begun once the host is idle again.
    expect(service.session.spareState).toBe('none')
    expect(runIdle()).toBeGreaterThan(1)
    expect(service.session.spareState).toBe('ready')
    const plain = new LabService(null)
    const p = createHandlers(plain, NO_IO)
    await p.newLab({ scenario: 'flannel-vxlan', nodes: 3, podsPerNode: 2 })
    const replayed = await p.trace({ from: 'pod1', to: 'pod6' })
    expect(plain.session.spareState).toBe('none')
    expect(strip(viaSpare)).toEqual(strip(replayed))
  })
})
