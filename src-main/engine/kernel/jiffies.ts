import { NS_PER_SEC } from './scheduler.ts'

/**
 * The kernel's tick. Rate limits (ICMP, redirects) count jiffies and timer_list timers fire on
 * ticks; Debian's kernels use CONFIG_HZ=250, so one jiffy is 4 ms. Simulated time starts at
 * jiffy 0 unless the World's tick grid is shifted (World.jiffiesOffsetNs).
 */
export const HZ = 250
export const NS_PER_JIFFY = NS_PER_SEC / HZ

/** jiffies at simulated time t (nanoseconds), with the tick grid shifted by offsetNs. */
export function jiffiesAt(tNs: number, offsetNs = 0): number {
  return Math.floor((tNs + offsetNs) / NS_PER_JIFFY)
}

/** msecs_to_jiffies (rounding up, as the kernel does for HZ that divides 1000). */
export function msecsToJiffies(ms: number): number {
  return Math.ceil((ms * HZ) / 1000)
}

/** A nanosecond delay as a whole number of jiffies (the kernel's constants are whole jiffies). */
export function nsToJiffies(ns: number): number {
  return Math.round(ns / NS_PER_JIFFY)
}

const LVL_CLK_SHIFT = 3
const LVL_BITS = 6
const LVL_DEPTH = 9

/**
 * When a timer_list timer armed at jiffy `clk` to expire at jiffy `expires` really runs
 * (calc_wheel_index): the timer wheel keeps a timer in a level chosen by how far away it is and
 * rounds its expiry up to that level's granularity (1, 8, 64, ... jiffies), so it never fires
 * early and fires up to one granule late. A neighbour's 1-s retransmit timer (250 jiffies, level
 * 1) thus runs 251-258 jiffies after it was armed. Returns the tick (jiffy) it runs on.
 */
export function wheelExpiry(expires: number, clk: number): number {
  const delta = expires - clk
  if (delta < 0) return clk + 1
  let lvl = 0
  while (lvl < LVL_DEPTH - 1 && delta >= ((1 << LVL_BITS) - 1) << (lvl * LVL_CLK_SHIFT)) lvl++
  const shift = lvl * LVL_CLK_SHIFT
  return (Math.floor(expires / 2 ** shift) + 1) * 2 ** shift
}
