import { NS_PER_SEC } from '../kernel/scheduler.ts'
import type { Command } from './context.ts'
import { runArgv } from './shell.ts'
import { COMMANDS } from './table.ts'
import { tcpdumpJob } from './tcpdump.ts'

/**
 * coreutils `timeout DURATION COMMAND...`. A capture is stopped when the time is up (exit 124, as
 * coreutils reports); every other lab command ends on its own, so it simply runs.
 */
export const timeout: Command = (ctx, argv) => {
  const [dur, ...cmd] = argv
  const m = dur === undefined ? null : /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(dur)
  if (!m || cmd.length === 0) {
    ctx.eprintln(dur === undefined || cmd.length === 0 ? "timeout: missing operand" : `timeout: invalid time interval '${dur}'`)
    ctx.eprintln("Try 'timeout --help' for more information.")
    return 125
  }
  const secs = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]]
  if (cmd[0] === 'tcpdump') {
    const job = tcpdumpJob(ctx, cmd.slice(1))
    if (typeof job === 'number') return job
    ctx.world.sched.runUntil(job.done, ctx.world.sched.now + secs * NS_PER_SEC)
    if (job.done()) return 0
    job.stop()
    return 124
  }
  return runArgv(ctx, COMMANDS, cmd)
}
