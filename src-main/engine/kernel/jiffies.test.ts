import { describe, expect, it } from 'vitest'
import { jiffiesAt, msecsToJiffies, wheelExpiry } from './jiffies.ts'

describe('jiffies and the timer wheel', () => {
  it('counts 4-ms ticks (HZ=250), on a shifted grid when asked', () => {
    expect(jiffiesAt(3_999_999)).toBe(0)
    expect(jiffiesAt(4_000_000)).toBe(1)
    expect(jiffiesAt(3_000_000, 1_000_000)).toBe(1)
    expect(msecsToJiffies(1000)).toBe(250)
    expect(msecsToJiffies(1)).toBe(1)
  })

  it('rounds an expiry up to its level granule, never early (calc_wheel_index)', () => {
    // Level 0 (under 63 jiffies away): the next tick after the expiry.
    expect(wheelExpiry(10, 0)).toBe(11)
    // Level 1 (63-503 jiffies): the next multiple of 8 after it. A 1-s timer armed on an 8-tick
    // boundary runs 256 jiffies later; armed elsewhere, 251-258.
    expect(wheelExpiry(250, 0)).toBe(256)
    expect(wheelExpiry(256 + 250, 256)).toBe(512)
    expect(wheelExpiry(3 + 250, 3)).toBe(256)
    expect(wheelExpiry(6 + 250, 6)).toBe(264)
    // Level 2 (504-4031): multiples of 64; a 5-s timer (1250 jiffies).
    expect(wheelExpiry(1250, 0)).toBe(1280)
  })
})
