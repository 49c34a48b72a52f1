import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Scheduler } from './scheduler.ts'

/**
 * The order every event must run in: zero-delay `after` callbacks first (FIFO), then timed events
 * by (time, order of scheduling). A plain sorted list, to check the heap and the lane against.
 */
class Reference {
  now = 0
  private seq = 0
  private fifo: (() => void)[] = []
  private timed: { t: number; seq: number; fn: () => void }[] = []
  after(d: number, fn: () => void): void {
    if (d <= 0) this.fifo.push(fn)
    else this.timed.push({ t: this.now + d, seq: this.seq++, fn })
  }
  afterCall(d: number, fn: () => void): void {
    this.timed.push({ t: this.now + Math.max(d, 0), seq: this.seq++, fn })
  }
  run(): void {
    for (;;) {
      const f = this.fifo.shift()
      if (f) {
        f()
        continue
      }
      if (!this.timed.length) return
      this.timed.sort((a, b) => a.t - b.t || a.seq - b.seq)
      const e = this.timed.shift()!
      this.now = e.t
      e.fn()
    }
  }
}

interface Op {
  call: boolean
  delay: number
  /** Events this one schedules when it runs (indexes into the op list, bounded depth). */
  children: number[]
}

const DELAYS = [0, 5_000, 5_000, 5_000, 1_000, 1_000_000, 2_000_000_000, 7]
const opArb = fc.record({ call: fc.boolean(), delay: fc.constantFrom(...DELAYS), children: fc.array(fc.nat(30), { maxLength: 3 }) })

function replay(ops: Op[], q: { after(d: number, fn: () => void): void; run(): void }, afterCall: (d: number, fn: () => void) => void, now: () => number): string[] {
  const log: string[] = []
  let budget = 400
  const schedule = (i: number, depth: number): void => {
    if (budget-- <= 0) return
    const op = ops[i % ops.length]
    const fn = (): void => {
      log.push(`${i}@${now()}`)
      if (depth < 4) for (const c of op.children) schedule(c, depth + 1)
    }
    if (op.call) afterCall(op.delay, fn)
    else q.after(op.delay, fn)
  }
  for (let i = 0; i < ops.length; i++) schedule(i, 0)
  q.run()
  return log
}

describe('Scheduler', () => {
  it('runs events in (time, scheduling order), whatever mix of hop delays and timers', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const s = new Scheduler()
        const got = replay(ops, { after: (d, fn) => s.after(d, fn), run: () => s.run(Infinity) }, (d, fn) => s.afterCall(d, (f: () => void) => f(), fn, null), () => s.now)
        const r = new Reference()
        const want = replay(ops, r, (d, fn) => r.afterCall(d, fn), () => r.now)
        expect(got).toEqual(want)
        // Packet hops are ordinary events as far as order goes.
        const h = new Scheduler()
        expect(replay(ops, { after: (d, fn) => h.after(d, fn), run: () => h.run(Infinity) }, (d, fn) => h.hop(d, (f: () => void) => f(), fn, null), () => h.now)).toEqual(want)
        expect(h.idle).toBe(true)
      }),
      { numRuns: 300, seed: 7 },
    )
  })

  it('stops at the limit and reports the next event time', () => {
    const s = new Scheduler()
    const seen: number[] = []
    s.afterCall(5_000, (x: number) => seen.push(x), 1, null)
    s.after(2_000_000_000, () => seen.push(2))
    s.afterCall(5_000, (x: number) => seen.push(x), 3, null)
    s.run(1_000_000)
    expect(seen).toEqual([1, 3])
    expect(s.now).toBe(1_000_000)
    expect(s.nextTime()).toBe(2_000_000_000)
    expect(s.idle).toBe(false)
    s.run(Infinity)
    expect(seen).toEqual([1, 3, 2])
    expect(s.idle).toBe(true)
  })
})

describe('whenQuiet (a process woken by a packet reads once the softirq run is over)', () => {
  it('runs once no hop and no zero-delay event is left, at the instant of the last one', () => {
    const s = new Scheduler()
    const log: string[] = []
    // A packet's journey: three hops 5 us apart, each waking the reader; a timer 1 ms later.
    const hopN = (n: number): void => {
      log.push(`hop${n}@${s.now}`)
      s.whenQuiet(() => log.push(`read@${s.now}`))
      if (n < 3) s.hop(5_000, hopN, n + 1, null)
      else s.after(0, () => log.push(`after0@${s.now}`))
    }
    s.hop(5_000, hopN, 1, null)
    s.after(1_000_000, () => log.push(`timer@${s.now}`))
    s.run(Infinity)
    expect(log).toEqual(['hop1@5000', 'hop2@10000', 'hop3@15000', 'after0@15000', 'read@15000', 'read@15000', 'read@15000', 'timer@1000000'])
  })

  it('runs at once when nothing is in flight, and counts for idle and nextTime', () => {
    const s = new Scheduler()
    let read = 0
    s.after(2_000, () => s.whenQuiet(() => read++))
    s.run(2_000)
    expect(read).toBe(1)
    s.hop(5_000, () => {}, null, null)
    s.whenQuiet(() => read++)
    expect(s.idle).toBe(false)
    expect(s.nextTime()).toBe(7_000)
    s.run(6_000)
    expect(read).toBe(1)
    s.run(Infinity)
    expect(read).toBe(2)
    expect(s.now).toBe(7_000)
    expect(s.idle).toBe(true)
  })
})

describe('afterFirst (a timer added at the head of its bucket)', () => {
  it('runs before events already due at the same instant, the last added first', () => {
    const s = new Scheduler()
    const order: string[] = []
    s.after(1000, () => order.push('a'))
    s.afterFirst(1000, () => order.push('b'))
    s.after(1000, () => order.push('c'))
    s.afterFirst(1000, () => order.push('d'))
    s.after(999, () => order.push('early'))
    s.after(1001, () => order.push('late'))
    s.run(Infinity)
    expect(order).toEqual(['early', 'd', 'b', 'a', 'c', 'late'])
  })
})
