/**
 * Simulated time for one World: a discrete-event queue ordered by (time, insertion order).
 * Events due "now" go to a FIFO so the common zero-delay hop costs no heap work; later events
 * go to a binary heap, except those of one fixed delay (in practice the veth hop), which go to a
 * lane: with one delay and a clock that only moves forward they arrive already sorted, so a flood
 * of frames costs no heap work either. Time is in nanoseconds and only moves when the queue is run.
 */
import { CANCEL_CHECK_EVENTS, WorkCancelled, type CancelSignal } from './work.ts'

export type EventFn = () => void

interface Timed {
  t: number
  seq: number
  fn: EventFn | ((a: unknown, b: unknown) => void)
  a: unknown
  b: unknown
  /** A packet's hop (see hop()): counted in `hopsPending` until it has run. */
  hop: boolean
}

/**
 * A bound on what run() may do (see budget.ts): the event count and the time it may reach, and
 * what to call it when one is reached.
 */
export interface RunLimit {
  events: number
  eventsHit: 'events' | 'load'
  untilNs: number
  untilHit: 'time' | 'clock'
}

export class Scheduler {
  private nowNs = 0
  /** Events run so far (the measure of a command's work, see budget.ts). */
  eventCount = 0
  /** The bound run() keeps to, if any. */
  limit: RunLimit | null = null
  /** Which bound stopped a run since this was last cleared. */
  hit: RunLimit['eventsHit'] | RunLimit['untilHit'] | null = null
  /** Long work the host may stop (a build, a replay): read every CANCEL_CHECK_EVENTS events. */
  signal: CancelSignal | null = null
  private seq = 0
  /**
   * The binary heap: its entries, and their keys (time, seq) in typed arrays alongside, so that
   * sifting compares numbers next to each other in memory instead of reading two objects per
   * step (a 1,000-node build holds 60,000 timers here while it settles).
   */
  private heap: (Timed | undefined)[] = []
  private heapT = new Float64Array(64)
  private heapS = new Float64Array(64)
  private heapN = 0
  // The FIFO and the lane are arrays used from head to tail and reused from the start once empty
  // (consumed slots are cleared): truncating them after every hop was a runtime call per packet.
  private fifo: (EventFn | undefined)[] = []
  private fifoHead = 0
  private fifoTail = 0
  /** Spent heap entries for reuse: a flood of frames would otherwise allocate one per hop. */
  private spare: Timed[] = []
  /** Events of delay `laneDelay`, sorted by construction; the delay is re-chosen when it empties. */
  private lane: (Timed | undefined)[] = []
  private laneHead = 0
  private laneTail = 0
  private laneDelay = -1
  /** Packet hops scheduled and not yet run: while any is, the "softirq" is still busy. */
  private hopsPending = 0
  /** Process wake-ups waiting for the packet processing in progress to end (whenQuiet). */
  private quiet: EventFn[] = []

  get now(): number {
    return this.nowNs
  }

  /** Runs fn after delayNs of simulated time (0 = after the events already due now). */
  after(delayNs: number, fn: EventFn): void {
    if (delayNs <= 0) {
      this.fifo[this.fifoTail++] = fn
      return
    }
    this.schedule(delayNs, this.entry(this.nowNs + delayNs, fn, undefined, undefined))
  }

  /** after() for a function of two arguments, without allocating a closure per event. */
  afterCall<A, B>(delayNs: number, fn: (a: A, b: B) => void, a: A, b: B): void {
    const d = Math.max(delayNs, 0)
    this.schedule(d, this.entry(this.nowNs + d, fn as (a: unknown, b: unknown) => void, a, b))
  }

  /**
   * afterCall() for a packet's hop between devices (a veth pair's). The kernel passes a packet
   * and everything it causes on the spot (the receive softirq runs the backlog until it is empty:
   * forwarding, bridging, ARP, ICMP errors, all within one run); the hops' delays only order that
   * work in simulated time, and whenQuiet() waits until none is left.
   */
  hop<A, B>(delayNs: number, fn: (a: A, b: B) => void, a: A, b: B): void {
    const d = Math.max(delayNs, 0)
    const e = this.entry(this.nowNs + d, fn as (a: unknown, b: unknown) => void, a, b)
    e.hop = true
    this.hopsPending++
    this.schedule(d, e)
  }

  /**
   * Runs fn once the packet processing in progress is over: no hop and no zero-delay event left,
   * at the same instant. This is when a process woken by a packet gets to read its socket: the
   * softirq that delivered the packet finishes its backlog first, so the process finds every
   * packet and error of that run queued at once.
   */
  whenQuiet(fn: EventFn): void {
    this.quiet.push(fn)
  }

  /**
   * after() for a timer that runs before the events already due at the same instant (later ones
   * first), as timers added at the head of a timer-wheel bucket do. Never in the lane: its order
   * there is by construction.
   */
  afterFirst(delayNs: number, fn: EventFn): void {
    const e = this.entry(this.nowNs + Math.max(delayNs, 0), fn, undefined, undefined)
    e.seq = -e.seq - 1
    this.push(e)
  }

  private schedule(delayNs: number, e: Timed): void {
    if (this.laneHead >= this.laneTail) {
      this.laneHead = this.laneTail = 0
      // Short hops only: a long timer would hold the lane while hops pile into the heap.
      this.laneDelay = delayNs <= LANE_MAX_DELAY_NS ? delayNs : -1
    }
    if (delayNs === this.laneDelay) this.lane[this.laneTail++] = e
    else this.push(e)
  }

  private entry(t: number, fn: Timed['fn'], a: unknown, b: unknown): Timed {
    const e = this.spare.pop()
    if (e === undefined) return { t, seq: this.seq++, fn, a, b, hop: false }
    e.t = t
    e.seq = this.seq++
    e.fn = fn
    e.a = a
    e.b = b
    e.hop = false
    return e
  }

  at(timeNs: number, fn: EventFn): void {
    this.after(timeNs - this.nowNs, fn)
  }

  /** True when nothing is scheduled at all. */
  get idle(): boolean {
    return this.fifoHead >= this.fifoTail && this.heapN === 0 && this.laneHead >= this.laneTail && this.quiet.length === 0
  }

  /** Time of the next event, or Infinity. */
  nextTime(): number {
    if (this.fifoHead < this.fifoTail || (this.quiet.length !== 0 && this.hopsPending === 0)) return this.nowNs
    const l = this.laneHead < this.laneTail ? this.lane[this.laneHead]!.t : Infinity
    return this.heapN !== 0 ? Math.min(this.heapT[0], l) : l
  }

  /**
   * Runs events in order until `until` (inclusive) or until `stop()` returns true after an event.
   * Leaves the clock at `until` when the queue empties earlier, so callers can wait for time to pass.
   */
  run(untilNs: number, stop?: () => boolean): void {
    const lim = this.limit
    let until = untilNs
    if (lim !== null && until > lim.untilNs) until = lim.untilNs
    for (;;) {
      if (this.signal !== null && this.eventCount % CANCEL_CHECK_EVENTS === 0 && this.signal.cancelled) throw new WorkCancelled()
      if (lim !== null && this.eventCount >= lim.events) {
        this.hit = lim.eventsHit
        return
      }
      if (this.fifoHead < this.fifoTail) {
        const fn = this.fifo[this.fifoHead]!
        this.fifo[this.fifoHead++] = undefined
        if (this.fifoHead > 4096 && this.fifoHead * 2 > this.fifoTail) {
          this.fifo = this.fifo.slice(this.fifoHead, this.fifoTail)
          this.fifoTail -= this.fifoHead
          this.fifoHead = 0
        }
        this.eventCount++
        fn()
        if (stop && stop()) return
        continue
      }
      this.fifoHead = this.fifoTail = 0
      // The packet processing of this instant is over: the processes it woke run now.
      if (this.quiet.length !== 0 && this.hopsPending === 0) {
        const woken = this.quiet
        this.quiet = []
        for (const fn of woken) this.fifo[this.fifoTail++] = fn
        continue
      }
      const laneNext = this.laneHead < this.laneTail ? this.lane[this.laneHead] : undefined
      const fromLane = laneNext !== undefined && (this.heapN === 0 || laneNext.t < this.heapT[0] || (laneNext.t === this.heapT[0] && laneNext.seq < this.heapS[0]))
      const next = fromLane ? laneNext : this.heap[0]
      if (next === undefined || next.t > until) {
        // Cut short by the limit: the clock stops there, and the run says why.
        if (until < untilNs && (next !== undefined || untilNs !== Infinity)) this.hit = lim!.untilHit
        if (until !== Infinity && until > this.nowNs) this.nowNs = until
        return
      }
      let ev: Timed
      if (fromLane) {
        ev = laneNext
        this.lane[this.laneHead++] = undefined
        if (this.laneHead > 4096 && this.laneHead * 2 > this.laneTail) {
          this.lane = this.lane.slice(this.laneHead, this.laneTail)
          this.laneTail -= this.laneHead
          this.laneHead = 0
        }
      } else ev = this.pop()
      this.nowNs = ev.t
      const fn = ev.fn as (a: unknown, b: unknown) => void
      const a = ev.a
      const b = ev.b
      if (ev.hop) this.hopsPending--
      // Recycled before the call: nothing keeps a reference to a popped entry.
      ev.fn = noop
      ev.a = ev.b = undefined
      if (this.spare.length < 4096) this.spare.push(ev)
      this.eventCount++
      fn(a, b)
      if (stop && stop()) return
    }
  }

  /** Runs until stop() is true or nothing is left before limitNs; returns whether stop() held. */
  runUntil(stop: () => boolean, limitNs = Infinity): boolean {
    if (stop()) return true
    this.run(limitNs, stop)
    return stop()
  }

  private push(ev: Timed): void {
    let i = this.heapN++
    if (i === this.heapT.length) {
      const t = new Float64Array(i * 2)
      t.set(this.heapT)
      this.heapT = t
      const q = new Float64Array(i * 2)
      q.set(this.heapS)
      this.heapS = q
    }
    const T = this.heapT
    const S = this.heapS
    const H = this.heap
    const t = ev.t
    const seq = ev.seq
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = T[p]
      if (pt < t || (pt === t && S[p] < seq)) break
      T[i] = pt
      S[i] = S[p]
      H[i] = H[p]
      i = p
    }
    T[i] = t
    S[i] = seq
    H[i] = ev
  }

  private pop(): Timed {
    const H = this.heap
    const T = this.heapT
    const S = this.heapS
    const top = H[0]!
    const n = --this.heapN
    const last = H[n]!
    const lt = T[n]
    const ls = S[n]
    H[n] = undefined
    if (n > 0) {
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        const r = c + 1
        if (r < n && (T[r] < T[c] || (T[r] === T[c] && S[r] < S[c]))) c = r
        if (lt < T[c] || (lt === T[c] && ls < S[c])) break
        T[i] = T[c]
        S[i] = S[c]
        H[i] = H[c]
        i = c
      }
      T[i] = lt
      S[i] = ls
      H[i] = last
    }
    return top
  }
}

const LANE_MAX_DELAY_NS = 1_000_000

function noop(): void {}


export const NS_PER_MS = 1_000_000
export const NS_PER_SEC = 1_000_000_000
