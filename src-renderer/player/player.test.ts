import { describe, expect, it } from 'vitest'
import type { TraceStepView } from '../../shared/api.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import {
  changeSpeed,
  INITIAL_PLAYER,
  isDecision,
  type PlayerState,
  nextStep,
  NO_FILTERS,
  playFrom,
  positionOf,
  prevStep,
  scrubPosition,
  snapToVisible,
  stepAtPosition,
  stepInterval,
  stepNamespace,
  stepsTouching,
  tick,
  visibleSteps,
} from './player.ts'

/** A real walk: pod1 to pod4 over flannel VXLAN, ARP, flooded copies and the reply included. */
async function vxlanSteps(): Promise<TraceStepView[]> {
  const h = createHandlers(new LabService('flannel-vxlan'))
  return (await h.trace({ from: 'pod1', to: 'pod4' })).steps
}

describe('player: moving the playhead', () => {
  const visible = [0, 2, 3, 7, 9]

  it('steps forward and back over the visible steps only', () => {
    expect(nextStep(visible, null)).toBe(0)
    expect(nextStep(visible, 0)).toBe(2)
    expect(nextStep(visible, 3)).toBe(7)
    expect(nextStep(visible, 9)).toBeNull()
    expect(prevStep(visible, 9)).toBe(7)
    expect(prevStep(visible, 2)).toBe(0)
    expect(prevStep(visible, 0)).toBeNull()
    expect(prevStep(visible, null)).toBeNull()
    // From a step a filter hid: forward to the next visible one, back to the one before.
    expect(nextStep(visible, 5)).toBe(7)
    expect(prevStep(visible, 5)).toBe(3)
  })

  it('plays from the start when at the end or nowhere, else from where it is', () => {
    expect(playFrom(visible, null)).toBe(0)
    expect(playFrom(visible, 9)).toBe(0)
    expect(playFrom(visible, 3)).toBe(3)
    expect(playFrom(visible, 4)).toBe(3)
    expect(playFrom([], null)).toBeNull()
  })

  it('ticks to the next step and stops on the last one', () => {
    let s: PlayerState = { ...INITIAL_PLAYER, at: 3, playing: true }
    s = tick(visible, s)
    expect(s).toMatchObject({ at: 7, playing: true })
    s = tick(visible, s)
    expect(s).toMatchObject({ at: 9, playing: false })
    expect(tick(visible, s)).toMatchObject({ at: 9, playing: false })
    // A paused player that ticks (a late timer) does not start playing.
    expect(tick(visible, { ...s, at: 0, playing: false })).toMatchObject({ at: 2, playing: false })
  })

  it('snaps to the nearest visible step before, and maps the scrubber both ways', () => {
    expect(snapToVisible(visible, 8)).toBe(7)
    expect(snapToVisible(visible, 1)).toBe(0)
    expect(snapToVisible([5, 6], 2)).toBe(5)
    expect(snapToVisible([], 2)).toBeNull()
    expect(positionOf(visible, 7)).toBe(3)
    expect(scrubPosition(visible, null)).toBe(0)
    expect(stepAtPosition(visible, 3)).toBe(7)
    expect(stepAtPosition(visible, 99)).toBe(9)
    expect(stepAtPosition(visible, -1)).toBe(0)
    expect(stepAtPosition([], 0)).toBeNull()
  })

  it('changes speed along the list and paces steps by it', () => {
    expect(changeSpeed(1, 1)).toBe(2)
    expect(changeSpeed(4, 1)).toBe(4)
    expect(changeSpeed(0.5, -1)).toBe(0.5)
    expect(stepInterval(2)).toBe(stepInterval(1) / 2)
    expect(stepInterval(0.5)).toBe(stepInterval(1) * 2)
  })
})

describe('player: filters on a real VXLAN walk', () => {
  it('hides ARP, flooded copies, and keeps only decisions', async () => {
    const steps = await vxlanSteps()
    const all = visibleSteps(steps, NO_FILTERS)
    expect(all).toHaveLength(steps.length)
    const noArp = visibleSteps(steps, { ...NO_FILTERS, hideArp: true })
    expect(noArp.length).toBeLessThan(all.length)
    expect(noArp.every((i) => steps[i].role !== 'arp')).toBe(true)
    // The ARP request pod1 broadcasts reaches pod2, which ignores it: a flooded copy.
    const noFlood = visibleSteps(steps, { ...NO_FILTERS, hideFlood: true })
    const ignored = steps.findIndex((s) => s.netns === 'pod2' && s.msg === 'arp.request_not_for_us')
    expect(ignored).toBeGreaterThan(0)
    expect(noFlood).not.toContain(ignored)
    expect(all).toContain(ignored)
    const decisions = visibleSteps(steps, { ...NO_FILTERS, onlyDecisions: true })
    expect(decisions.every((i) => isDecision(steps[i]))).toBe(true)
    expect(decisions.some((i) => steps[i].msg === 'step.veth')).toBe(false)
    // The tunnel's decisions are all there: the route to flannel.1, the encapsulation, the unwrapping.
    expect(decisions.map((i) => steps[i].kind)).toEqual(expect.arrayContaining(['route', 'encap', 'decap', 'bridge', 'deliver']))
    // Filters combine.
    const both = visibleSteps(steps, { hideArp: true, hideFlood: true, onlyDecisions: true })
    expect(both.every((i) => decisions.includes(i) && noArp.includes(i))).toBe(true)
  })

  it('lists the steps that touched a namespace, crossings arriving there included', async () => {
    const steps = await vxlanSteps()
    const atNode2 = stepsTouching(steps, 'node2')
    expect(atNode2.length).toBeGreaterThan(3)
    expect(atNode2.every((i) => steps[i].netns === 'node2' || steps[i].params.peerNetns === 'node2')).toBe(true)
    expect(atNode2.map((i) => steps[i].kind)).toContain('decap')
    const flannel = stepsTouching(steps, 'node1', 'flannel.1')
    expect(flannel.every((i) => steps[i].device === 'flannel.1' || steps[i].params.peer === 'flannel.1')).toBe(true)
    expect(flannel.length).toBeGreaterThan(0)
    // A crossing selects where it arrives.
    const cross = steps.find((s) => s.msg === 'step.veth' && s.netns === 'pod1')!
    expect(stepNamespace(cross)).toBe('node1')
  })
})
