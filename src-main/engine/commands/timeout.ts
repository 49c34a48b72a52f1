import { durationNs, parseDuration } from './builtins.ts'
import type { Command } from './context.ts'
import { isJob, type Job } from './jobs.ts'
import { runArgv } from './shell.ts'

/** What coreutils' timeout exits with when the time ran out. */
const TIMED_OUT = 124

/**
 * coreutils `timeout DURATION COMMAND...`: a command that goes on while time passes (ping,
 * tcpdump, sleep) gets SIGTERM when the time is up (exit 124); one that ends at once just runs.
 */
export const timeout: Command = (ctx, argv) => {
  const args = argv[0] === '--' ? argv.slice(1) : argv
  const [dur, ...cmd] = args
  if (args === argv && dur !== undefined && dur.startsWith('-') && dur.length > 1) {
    ctx.eprintln(dur.startsWith('--') ? `timeout: unrecognized option '${dur}'` : `timeout: invalid option -- '${dur[1]}'`)
    ctx.eprintln("Try 'timeout --help' for more information.")
    return 125
  }
  if (dur === undefined || cmd.length === 0) {
    ctx.eprintln("Try 'timeout --help' for more information.")
    return 125
  }
  const secs = parseDuration(dur)
  if (secs === null) {
    ctx.eprintln(`timeout: invalid time interval '${dur}'`)
    ctx.eprintln("Try 'timeout --help' for more information.")
    return 125
  }
  const inner = runArgv(ctx, cmd)
  if (!isJob(inner)) return inner
  // A duration of 0 means no time limit; the lab's bound on one command still holds.
  const end = secs === 0 ? Infinity : ctx.world.sched.now + durationNs(secs)
  let timedOut = false
  const job: Job = {
    done: () => inner.done() || timedOut,
    get deadlineNs() {
      return timedOut ? Infinity : Math.min(end, inner.deadlineNs)
    },
    onDeadline: () => {
      if (ctx.world.sched.now >= end && !inner.done()) {
        timedOut = true
        inner.stop('terminate')
      } else inner.onDeadline()
    },
    // The time given is the bound: a capture without -c runs until it, not the lab's 10 s.
    limitNs: secs === 0 ? inner.limitNs : end,
    stop: (why) => inner.stop(why),
    finish: () => {
      const code = inner.finish()
      return timedOut ? TIMED_OUT : code
    },
    // The terminal's SIGINT reaches the command; timeout exits with its status.
    diesOnInterrupt: inner.diesOnInterrupt,
  }
  return job
}
