/**
 * Simulated time for one World: a discrete-event queue ordered by (time, insertion order).
 * Events due "now" go to a FIFO so the common zero-delay hop costs no heap work; later events
 * go to a binary heap. Time is in nanoseconds and only moves when the queue is run.
 */
export type EventFn = () => void

interface Timed {
  t: number
  seq: number
  fn: EventFn | ((a: unknown, b: unknown) => void)
  a: unknown
  b: unknown
}

export class Scheduler {
  private nowNs = 0
  private seq = 0
  private readonly heap: Timed[] = []
  private fifo: EventFn[] = []
  private fifoHead = 0

  get now(): number {
    return this.nowNs
  }

  /** Runs fn after delayNs of simulated time (0 = after the events already due now). */
  after(delayNs: number, fn: EventFn): void {
    if (delayNs <= 0) {
      this.fifo.push(fn)
      return
    }
    this.push({ t: this.nowNs + delayNs, seq: this.seq++, fn, a: undefined, b: undefined })
  }

  /** after() for a function of two arguments, without allocating a closure per event. */
  afterCall<A, B>(delayNs: number, fn: (a: A, b: B) => void, a: A, b: B): void {
    this.push({ t: this.nowNs + Math.max(delayNs, 0), seq: this.seq++, fn: fn as (a: unknown, b: unknown) => void, a, b })
  }

  at(timeNs: number, fn: EventFn): void {
    this.after(timeNs - this.nowNs, fn)
  }

  /** True when nothing is scheduled at all. */
  get idle(): boolean {
    return this.fifoHead >= this.fifo.length && this.heap.length === 0
  }

  /** Time of the next event, or Infinity. */
  nextTime(): number {
    if (this.fifoHead < this.fifo.length) return this.nowNs
    return this.heap.length ? this.heap[0].t : Infinity
  }

  /**
   * Runs events in order until `until` (inclusive) or until `stop()` returns true after an event.
   * Leaves the clock at `until` when the queue empties earlier, so callers can wait for time to pass.
   */
  run(untilNs: number, stop?: () => boolean): void {
    for (;;) {
      if (this.fifoHead < this.fifo.length) {
        const fn = this.fifo[this.fifoHead++]
        if (this.fifoHead > 4096 && this.fifoHead * 2 > this.fifo.length) {
          this.fifo = this.fifo.slice(this.fifoHead)
          this.fifoHead = 0
        }
        fn()
        if (stop && stop()) return
        continue
      }
      if (this.fifoHead > 0) {
        this.fifo.length = 0
        this.fifoHead = 0
      }
      if (this.heap.length === 0 || this.heap[0].t > untilNs) {
        if (untilNs !== Infinity && untilNs > this.nowNs) this.nowNs = untilNs
        return
      }
      const ev = this.pop()
      this.nowNs = ev.t
      ;(ev.fn as (a: unknown, b: unknown) => void)(ev.a, ev.b)
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
    const h = this.heap
    h.push(ev)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(h[p], ev)) break
      h[i] = h[p]
      i = p
    }
    h[i] = ev
  }

  private pop(): Timed {
    const h = this.heap
    const top = h[0]
    const last = h.pop()!
    if (h.length > 0) {
      let i = 0
      const n = h.length
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && less(h[r], h[l]) ? r : l
        if (less(last, h[c])) break
        h[i] = h[c]
        i = c
      }
      h[i] = last
    }
    return top
  }
}

function less(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}

export const NS_PER_MS = 1_000_000
export const NS_PER_SEC = 1_000_000_000
