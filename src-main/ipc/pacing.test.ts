import { describe, expect, it } from 'vitest'
import { MAX_LAG_MS, PacingClock } from './pacing.ts'

const S = 1_000_000_000

describe('PacingClock', () => {
  it('gives one simulated second per wall second at speed 1, from where it started', () => {
    const c = new PacingClock()
    expect(c.active).toBe(false)
    c.start(10_000, 5 * S)
    expect(c.target(10_000)).toBe(5 * S)
    expect(c.target(10_250)).toBe(5.25 * S)
    expect(c.target(13_000)).toBe(8 * S)
    // A wall clock that steps back does not take simulated time back.
    expect(c.target(9_000)).toBe(5 * S)
  })

  it('runs faster or slower with the speed, keeping the time already passed', () => {
    const c = new PacingClock(2)
    c.start(0, 0)
    expect(c.target(500)).toBe(1 * S)
    c.setSpeed(0.25, 500, 1 * S)
    expect(c.target(500)).toBe(1 * S)
    expect(c.target(4_500)).toBe(2 * S)
    expect(() => c.setSpeed(0, 0, 0)).toThrow(RangeError)
    expect(() => c.setSpeed(Number.NaN, 0, 0)).toThrow(RangeError)
  })

  it('gives up a backlog the engine could not keep up with instead of racing through it', () => {
    const c = new PacingClock(10)
    c.start(0, 0)
    // Behind by less than MAX_LAG_MS of wall time: keep the anchor, catch up on the next slice.
    c.reached(100, 0.9 * S)
    expect(c.target(200)).toBe(2 * S)
    // The host was suspended for 5 s: the lab is where it is, and goes on from there.
    c.reached(5_000, 2 * S)
    expect(c.target(5_000)).toBe(2 * S)
    expect(c.target(5_000 + MAX_LAG_MS)).toBe(2 * S + MAX_LAG_MS * 10 * 1_000_000)
  })

  it('holds still when stopped', () => {
    const c = new PacingClock()
    c.start(0, 7 * S)
    c.stop()
    expect(c.target(60_000)).toBe(7 * S)
    c.reached(60_000, 7 * S)
    expect(c.active).toBe(false)
  })
})
