import { describe, expect, it } from 'vitest'
import { instantiate } from './lab.ts'
import { LabSession, scenarioLab } from './session.ts'
import { configSnapshot } from './snapshot.ts'
import { traceInLab } from './trace-report.ts'

/** Every step of the spare replay, as a host takes them while idle. */
function makeSpare(s: LabSession): number {
  let steps = 0
  while (s.spareStep()) steps++
  return steps
}

/** A trace from pod1 to the last pod, as the trace panel asks for it, in a fork of the session. */
function traceIn(fork: ReturnType<LabSession['fork']>) {
  const rep = traceInLab(fork.world, fork.cluster, { from: 'pod1', to: 'pod6' }, 'en')
  return { rep, config: configSnapshot(fork.world), clock: fork.world.sched.now }
}

describe('the spare replay a trace runs in', () => {
  it('is the fork a replay makes: same configuration, clock and trace, also after time passed in the lab', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan', 3, 2))
    expect(s.exec('ip -n node2 route del 10.244.3.0/24').exitCode).toBe(0)
    expect(s.spareState).toBe('none')
    expect(makeSpare(s)).toBeGreaterThan(6)
    expect(s.spareState).toBe('ready')
    // The lab's clock moves on (an observation, not recorded): the spare runs on to it when taken.
    expect(s.exec('ping -c 2 10.244.2.2', 'pod1').exitCode).toBe(0)
    const viaSpare = traceIn(s.fork())
    expect(s.spareState).toBe('none')
    const fresh = traceIn(s.fork())
    expect(viaSpare).toEqual(fresh)
    const replayed = instantiate(s.doc, { untilNs: s.world.sched.now })
    expect(viaSpare.rep).toEqual(traceInLab(replayed.world, replayed.cluster, { from: 'pod1', to: 'pod6' }, 'en'))
  })

  it('is dropped when the history changes, and one half made is finished when a fork is asked for', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan', 3, 2))
    makeSpare(s)
    expect(s.exec('ip -n node1 link set cbr0 mtu 1400').exitCode).toBe(0)
    expect(s.spareState).toBe('none')
    s.spareStep()
    s.spareStep()
    expect(s.spareState).toBe('building')
    const viaSpare = traceIn(s.fork())
    expect(viaSpare).toEqual(traceIn(s.fork()))
    // Undo takes the change back: a spare made before it would not fit.
    makeSpare(s)
    s.undo()
    expect(s.spareState).toBe('none')
  })

  it('is not taken half made by long work the host follows (it reports progress and can be cancelled)', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan', 2, 1))
    s.spareStep()
    const seen: string[] = []
    s.fork({ progress: (p) => seen.push(p.phase) })
    expect(seen).toContain('build')
    expect(s.spareState).toBe('building')
  })
})
