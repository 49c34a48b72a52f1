import type { LabDelta, TerminalEvent } from '../../shared/api.ts'
import type { LiveShell, LiveSink } from '../lab/live.ts'
import type { LabSession } from '../lab/session.ts'
import { PacingClock } from './pacing.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'

/**
 * What a lab host provides to run terminal lines in wall time: the browser build's Worker and
 * the desktop's lab host give real timers and post events to the page; tests give a fake clock.
 */
export interface HostIo {
  /** Wall-clock milliseconds (monotonic). */
  now(): number
  /** Calls fn after `ms` of wall time; returns what cancels it. */
  setTimer(fn: () => void, ms: number): () => void
  emit(e: TerminalEvent): void
  /**
   * Calls fn once the host has nothing else to do (after the messages waiting); returns what
   * cancels it. Hosts that offer it make a spare replay of the lab for traces (spare-host.ts).
   */
  idle?(fn: () => void): () => void
  /** Long work (a new lab built, a lab opened): its cancel signal and where its progress goes. */
  work?: WorkOptions
}

/** A host on this thread's own clock and timers, posting events with `emit` (the Worker, the desktop). */
export function realTimeIo(emit: (e: TerminalEvent) => void): HostIo {
  return {
    now: () => performance.now(),
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms)
      return () => clearTimeout(t)
    },
    idle: (fn) => {
      const t = setTimeout(fn, 0)
      return () => clearTimeout(t)
    },
    emit,
  }
}

/** A host with no timers: lines that wait for time stay waiting (tests, tools without a page). */
export const NO_IO: HostIo = { now: () => 0, setTimer: () => () => {}, emit: () => {} }

/** How often the clock advances while lines run (wall ms): a ping line is at most this late. */
export const TICK_MS = 40
/** How often the clock's time is reported to the page while it runs (wall ms). */
const CLOCK_REPORT_MS = 250
/** The fastest and slowest speeds a host accepts (simulated seconds per wall second). */
export const SPEED_RANGE = [0.01, 1000] as const

/** What the host needs of the open lab. */
export interface LiveLab {
  readonly session: LabSession
  readonly live: LiveShell
  /** What changed in the lab's view since the last state or delta sent. */
  delta(): LabDelta
  /** Works out what the last whole state left for later, before the lab changes (LabService.settleView). */
  settleView?(): void
}

/**
 * Runs the open lab's clock while terminal lines wait for it: every TICK_MS of wall time it
 * advances simulated time to where the pacing clock says (speed × wall time since the first line
 * started waiting), and pushes what the lines printed. When no line waits, the clock stops: the
 * simulated clock moves only while something runs.
 */
export class LiveHost {
  readonly clock = new PacingClock()
  private cancel: (() => void) | null = null
  private lastReport = -Infinity

  constructor(
    private readonly lab: LiveLab,
    private readonly io: HostIo,
  ) {}

  /** Where running lines report, as TerminalEvents. */
  readonly sink: LiveSink = {
    output: (term, data) => this.io.emit({ type: 'output', term, data }),
    file: (term, name, bytes) => this.io.emit({ type: 'file', term, name, bytes }),
    done: (term, end) => this.io.emit({ type: 'done', term, ...end, delta: this.lab.delta() }),
  }

  /** After a line started, ended or was interrupted: run the clock while lines wait, else stop it. */
  kick(): void {
    if (!this.lab.live.running) {
      this.idle()
      return
    }
    if (!this.clock.active) this.clock.start(this.io.now(), this.lab.session.world.sched.now)
    this.cancel ??= this.io.setTimer(() => this.tick(), TICK_MS)
  }

  /** One slice: simulated time up to the pacing clock's target, then the next slice. */
  tick(): void {
    this.cancel = null
    const { live, session } = this.lab
    if (live.running) {
      this.lab.settleView?.()
      live.advance(this.clock.target(this.io.now()), this.sink)
      this.clock.reached(this.io.now(), session.world.sched.now)
    }
    if (!live.running) {
      this.idle()
      return
    }
    const now = this.io.now()
    if (now - this.lastReport >= CLOCK_REPORT_MS) this.report(true)
    this.cancel = this.io.setTimer(() => this.tick(), TICK_MS)
  }

  setSpeed(speed: number): number {
    this.clock.setSpeed(speed, this.io.now(), this.lab.session.world.sched.now)
    this.report(this.clock.active)
    return speed
  }

  /** The lab is about to be rebuilt or replaced: its running lines end now. */
  abandon(why: string): void {
    this.lab.live.abandon(this.sink, why)
    this.idle()
  }

  private idle(): void {
    this.cancel?.()
    this.cancel = null
    if (this.clock.active) {
      this.clock.stop()
      this.report(false)
    }
  }

  private report(running: boolean): void {
    this.lastReport = this.io.now()
    this.io.emit({ type: 'clock', timeNs: this.lab.session.world.sched.now, running, speed: this.clock.speed })
  }
}
