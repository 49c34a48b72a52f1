import type { World } from '../kernel/world.ts'

/**
 * A command that runs while simulated time passes (ping, tcpdump, traceroute, sleep, arping):
 * started by the command, then driven by whoever owns the clock. A batch run (`podnet run`, a
 * panel's exec) runs the clock until the job is done or reaches its limit; a terminal's host runs
 * it in slices paced to wall time, streaming what it prints, and can interrupt it (Ctrl+C). Either
 * way the same events happen at the same simulated times, so the output is the same.
 */
export interface Job {
  /** Whether the command has exited (an event made it: a ping's last reply, a capture's -c packets). */
  done(): boolean
  /**
   * The next instant at which the command acts by time alone (sleep's end, a traceroute hop's
   * wait, timeout's end), or Infinity. A driver runs every event up to and including it, then
   * calls onDeadline().
   */
  readonly deadlineNs: number
  onDeadline(): void
  /**
   * When a batch run (`podnet run`, a panel's exec) cuts off a command that would run until
   * Ctrl+C (a ping without -c after 600 s, a capture without -c after 10 s). A terminal has none.
   */
  readonly limitNs: number
  /**
   * Ends it before it is done: 'interrupt' is SIGINT (Ctrl+C), 'terminate' SIGTERM (what
   * `timeout` sends), 'limit' the batch cut-off.
   */
  stop(why: StopReason): void
  /** Prints what the command prints as it exits and returns its exit status. */
  finish(): number
  /**
   * Whether SIGINT kills it (sleep, traceroute: exit 130, and bash abandons the rest of the line)
   * rather than being handled (ping, tcpdump print their statistics and exit normally).
   */
  readonly diesOnInterrupt: boolean
}

export type StopReason = 'interrupt' | 'terminate' | 'limit'

/** The exit status of a command killed by SIGINT (SIGTERM), as bash reports it. */
export const SIGINT_STATUS = 130
export const SIGTERM_STATUS = 143

export function isJob(r: number | Job): r is Job {
  return typeof r !== 'number'
}

/** Drives a job in a batch until it has exited: through its deadlines, up to its limit. */
export function driveJob(world: World, job: Job): void {
  for (;;) {
    const deadline = job.deadlineNs
    const end = Math.min(deadline, job.limitNs)
    if (world.sched.runUntil(job.done, end)) return
    // A bound of the lab (budget.ts) stopped the clock short: the command ends there.
    if (world.sched.hit || end === Infinity || deadline > job.limitNs) {
      job.stop('limit')
      return
    }
    job.onDeadline()
    if (job.done()) return
  }
}

/** Runs a job to its end in a batch (see driveJob) and returns its exit status. */
export function runToEnd(world: World, job: Job): number {
  driveJob(world, job)
  return job.finish()
}

/** A job that ends at `untilNs` (sleep); SIGINT kills it. */
export function timerJob(untilNs: number): Job {
  let ended = false
  let signalled = 0
  return {
    done: () => ended,
    get deadlineNs() {
      return ended ? Infinity : untilNs
    },
    onDeadline: () => {
      ended = true
    },
    limitNs: Infinity,
    stop: (why) => {
      ended = true
      signalled = why === 'interrupt' ? SIGINT_STATUS : why === 'terminate' ? SIGTERM_STATUS : 0
    },
    finish: () => signalled,
    diesOnInterrupt: true,
  }
}
