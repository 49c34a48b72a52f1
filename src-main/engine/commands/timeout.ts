import { durationNs, parseDuration } from './builtins.ts'
import type { Command } from './context.ts'
import { runArgv } from './shell.ts'
import { tcpdumpJob } from './tcpdump.ts'

/**
 * coreutils `timeout DURATION COMMAND...`. A capture is stopped when the time is up (exit 124, as
 * coreutils reports); every other lab command ends on its own, so it simply runs.
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
  if (cmd[0] === 'tcpdump') {
    const job = tcpdumpJob(ctx, cmd.slice(1))
    if (typeof job === 'number') return job
    // A duration of 0 means no time limit; the lab's bound on one command still holds.
    ctx.world.sched.runUntil(job.done, ctx.world.sched.now + durationNs(secs === 0 ? Infinity : secs))
    if (job.done()) return 0
    job.stop()
    return 124
  }
  return runArgv(ctx, cmd)
}
