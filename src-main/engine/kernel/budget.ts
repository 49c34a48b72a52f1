import { NS_PER_SEC } from './scheduler.ts'

/**
 * Bounds on the work the simulation does for one command and for one lab, so that no command
 * line and no lab file, however small, can hang the app or run it out of memory. A bound that is
 * hit stops the command where it is, as an interrupt would, and says so (exit status 124, as
 * `timeout` reports a command it stopped).
 */

/** Simulated time one command may let pass (`sleep`, `ping -c N`, a capture). */
export const MAX_COMMAND_NS = 3600 * NS_PER_SEC
/** Events (frames, timers) one command may run. */
export const MAX_COMMAND_EVENTS = 1_000_000
/** The latest a lab's clock may reach (well inside the nanoseconds a double holds exactly). */
export const MAX_CLOCK_NS = 30 * 86400 * NS_PER_SEC
/** Events building a lab and replaying its history may run. */
export const MAX_LOAD_EVENTS = 10_000_000

/** Which bound stopped a command. */
export type BoundHit = 'time' | 'events' | 'clock' | 'load'

/** The line a stopped command ends with. */
export function boundMessage(hit: BoundHit, loadEvents = MAX_LOAD_EVENTS): string {
  switch (hit) {
    case 'time':
      return `podnet: stopped after ${MAX_COMMAND_NS / NS_PER_SEC} s of simulated time, the most one command may take`
    case 'events':
      return `podnet: stopped after ${MAX_COMMAND_EVENTS} simulation events, the most one command may run`
    case 'clock':
      return `podnet: stopped: the lab's clock has reached ${MAX_CLOCK_NS / NS_PER_SEC / 86400} days, the most a lab may run`
    case 'load':
      return `podnet: stopped: the lab has run ${loadEvents} simulation events since it was built, the most a lab may take to open`
  }
}

/** The exit status of a command a bound stopped. */
export const BOUND_EXIT_CODE = 124
