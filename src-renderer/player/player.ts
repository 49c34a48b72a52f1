import type { TraceStepView } from '../../shared/api.ts'
import { floodBranches } from '../canvas/trail.ts'

/**
 * The trace player as plain data and pure functions: which steps the filters leave, where the
 * playhead goes on play, step, first, last and a scrubber, how fast it plays. The trace store
 * holds a PlayerState and applies these; a clock composable ticks while it plays.
 */

export interface PlayerFilters {
  /** Hide ARP (and neighbour discovery) exchanges. */
  hideArp: boolean
  /** Hide the copies a bridge floods to ports that only ignore them. */
  hideFlood: boolean
  /** Show only the steps where something was decided (a table lookup, a forward, a drop, a delivery). */
  onlyDecisions: boolean
}

export const NO_FILTERS: PlayerFilters = { hideArp: false, hideFlood: false, onlyDecisions: false }

/** Playback speeds offered, as multiples of the normal pace. */
export const SPEEDS = [0.5, 1, 2, 4] as const
export type Speed = (typeof SPEEDS)[number]

/** How long one step stays on screen at normal speed: time to read a line and see the hop. */
export const STEP_MS = 1100

export interface PlayerState {
  /** The step shown (index into the trace's steps), or null before the first one. */
  at: number | null
  playing: boolean
  speed: Speed
  filters: PlayerFilters
}

export const INITIAL_PLAYER: PlayerState = { at: null, playing: false, speed: 1, filters: NO_FILTERS }

/** Kinds of step that are a decision of the kernel (a lookup and its outcome), not a passage. */
const DECISION_KINDS = new Set(['route', 'neigh', 'bridge', 'forward', 'encap', 'decap', 'deliver', 'drop', 'icmp'])

export function isDecision(s: TraceStepView): boolean {
  return s.entry !== undefined || DECISION_KINDS.has(s.kind)
}

/** Indices of the steps the filters leave, in order. */
export function visibleSteps(steps: readonly TraceStepView[], f: PlayerFilters): number[] {
  const copies = f.hideFlood ? floodBranches(steps).copies : null
  const out: number[] = []
  steps.forEach((s, i) => {
    if (f.hideArp && s.role === 'arp') return
    if (copies?.has(i)) return
    if (f.onlyDecisions && !isDecision(s)) return
    out.push(i)
  })
  return out
}

/** Where `at` is among the visible steps: its position, or that of the last visible step before it (-1: none). */
export function positionOf(visible: readonly number[], at: number | null): number {
  if (at === null) return -1
  let lo = 0
  let hi = visible.length - 1
  let best = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (visible[mid] <= at) {
      best = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return best
}

/** The next visible step after `at` (the first one when nothing is shown yet), or null at the end. */
export function nextStep(visible: readonly number[], at: number | null): number | null {
  if (at === null) return visible[0] ?? null
  const p = positionOf(visible, at)
  return visible[p + 1] ?? null
}

/** The visible step before `at`, or null at the start. */
export function prevStep(visible: readonly number[], at: number | null): number | null {
  if (at === null) return null
  const p = positionOf(visible, at)
  // `at` hidden by a filter: the last visible one before it is the one to go back to.
  const back = visible[p] === at ? p - 1 : p
  return back >= 0 ? visible[back] : null
}

/** The visible step nearest `at` (a filter hid the one shown): the one before it, else the first. */
export function snapToVisible(visible: readonly number[], at: number | null): number | null {
  if (at === null || visible.length === 0) return null
  const p = positionOf(visible, at)
  return p >= 0 ? visible[p] : visible[0]
}

/** What play does: from the start when at the end (or before the first step), else from here. */
export function playFrom(visible: readonly number[], at: number | null): number | null {
  if (visible.length === 0) return null
  if (at === null || at >= visible[visible.length - 1]) return visible[0]
  return snapToVisible(visible, at)
}

/** One tick of the clock: the next step, and whether playing goes on. */
export function tick(visible: readonly number[], s: PlayerState): PlayerState {
  const next = nextStep(visible, s.at)
  if (next === null) return { ...s, playing: false }
  return { ...s, at: next, playing: nextStep(visible, next) !== null && s.playing }
}

/** How long the clock waits between steps at a speed. */
export function stepInterval(speed: Speed): number {
  return Math.round(STEP_MS / speed)
}

/** The next speed up or down the list, staying at the ends. */
export function changeSpeed(speed: Speed, dir: 1 | -1): Speed {
  const i = SPEEDS.indexOf(speed)
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + dir))]
}

/** The scrubber's position (0..visible-1) for a step, and the step at a position. */
export function scrubPosition(visible: readonly number[], at: number | null): number {
  return Math.max(0, positionOf(visible, at))
}

export function stepAtPosition(visible: readonly number[], pos: number): number | null {
  if (visible.length === 0) return null
  return visible[Math.min(visible.length - 1, Math.max(0, Math.round(pos)))]
}

/** Steps that happen in a namespace (for a veth crossing, at either end), by index. */
export function stepsTouching(steps: readonly TraceStepView[], netns: string, device?: string): number[] {
  const out: number[] = []
  steps.forEach((s, i) => {
    const here = s.netns === netns && (device === undefined || s.device === device)
    const arrives = s.msg === 'step.veth' && String(s.params.peerNetns ?? '') === netns && (device === undefined || String(s.params.peer ?? '') === device)
    if (here || arrives) out.push(i)
  })
  return out
}

/** The namespace a step is about for selection: where a veth crossing arrives, else where it happens. */
export function stepNamespace(s: TraceStepView): string {
  return s.msg === 'step.veth' ? String(s.params.peerNetns ?? s.netns) : s.netns
}
