import { NS_PER_SEC } from '../kernel/scheduler.ts'
import type { Command, Ctx } from './context.ts'
import { timerJob } from './jobs.ts'

/**
 * A coreutils duration (sleep, timeout): a C floating-point number as strtod reads it (decimal
 * with an exponent, hexadecimal, `inf`) followed by at most one unit, s, m, h or d; in seconds.
 * Null for anything else, including negative numbers and NaN.
 */
export function parseDuration(a: string): number | null {
  const t = a.replace(/^[ \t\n\v\f\r]+/, '')
  const m = /^([+-]?)(?:(inf(?:inity)?)|0x((?:[0-9a-f]+(?:\.[0-9a-f]*)?|\.[0-9a-f]+))(?:p([+-]?\d+))?|((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?))([smhd]?)$/i.exec(t)
  if (!m) return null
  let v: number
  if (m[2]) v = Infinity
  else if (m[3] !== undefined) {
    const [int, frac = ''] = m[3].split('.')
    v = (parseInt(int || '0', 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0)) * 2 ** Number(m[4] ?? 0)
  } else v = Number(m[5])
  if (m[1] === '-' && v !== 0) return null
  return v * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[6].toLowerCase() as '' | 's' | 'm' | 'h' | 'd']
}

/** Simulated nanoseconds for a duration in seconds: infinity becomes "as long as the lab allows". */
export function durationNs(seconds: number): number {
  return Math.min(Math.round(seconds * NS_PER_SEC), Number.MAX_VALUE)
}

/** getopt's complaint about an option a coreutils program without options was given. */
function badOption(ctx: Ctx, prog: string, a: string): void {
  ctx.eprintln(a.startsWith('--') ? `${prog}: unrecognized option '${a}'` : `${prog}: invalid option -- '${a[1]}'`)
}

/**
 * `sleep N...`: lets simulated time pass, so timers (ARP ageing, DAD) run as on a real host. The
 * durations add up; `inf` sleeps as long as one command may (budget.ts). Ctrl+C kills it.
 */
export const sleep: Command = (ctx, argv) => {
  if (!ctx.observe()) return 0
  let args = argv
  const dd = args.indexOf('--')
  const opts = dd < 0 ? args : args.slice(0, dd)
  const opt = opts.find((a) => a.startsWith('-') && a.length > 1)
  if (opt !== undefined) {
    badOption(ctx, 'sleep', opt)
    ctx.eprintln("Try 'sleep --help' for more information.")
    return 1
  }
  if (dd >= 0) args = [...args.slice(0, dd), ...args.slice(dd + 1)]
  if (args.length === 0) {
    ctx.eprintln('sleep: missing operand')
    ctx.eprintln("Try 'sleep --help' for more information.")
    return 1
  }
  let total = 0
  let ok = true
  for (const a of args) {
    const v = parseDuration(a)
    if (v === null) {
      ctx.eprintln(`sleep: invalid time interval '${a}'`)
      ok = false
    } else total += v
  }
  if (!ok) {
    ctx.eprintln("Try 'sleep --help' for more information.")
    return 1
  }
  return timerJob(Math.min(ctx.world.sched.now + durationNs(total), Number.MAX_VALUE))
}

export const echo: Command = (ctx, argv) => {
  let nl = true
  let args = argv
  if (args[0] === '-n') {
    nl = false
    args = args.slice(1)
  }
  ctx.out(args.join(' ') + (nl ? '\n' : ''))
  return 0
}

export const trueCmd: Command = () => 0
export const falseCmd: Command = () => 1

/** `clear`: what ncurses' clear writes for an xterm: home, erase the screen and the scrollback. */
export const clear: Command = (ctx) => {
  ctx.out('\x1b[H\x1b[2J\x1b[3J')
  return 0
}

/** bash's `exit [N]`: ends the interactive shell (the terminal decides what that closes). */
export const exit: Command = (ctx, argv) => {
  const n = argv[0] === undefined ? 0 : /^[+-]?\d+$/.test(argv[0]) ? Number(argv[0]) & 255 : null
  if (n === null) {
    ctx.eprintln(`bash: exit: ${argv[0]}: numeric argument required`)
    ctx.shell.request = { type: 'exit', code: 2 }
    return 2
  }
  ctx.shell.request = { type: 'exit', code: n }
  return n
}

/**
 * `bash` / `sh` without a command: an interactive shell in the namespace it was started in, so
 * `ip netns exec pod1 bash` enters pod1 until `exit`. Only a terminal can host one.
 */
export const shellCmd: Command = (ctx, argv) => {
  const opts = argv.filter((a) => a !== '-i' && a !== '-l' && a !== '--login')
  if (opts.length > 0) {
    ctx.eprintln(`podnet: ${opts[0] === '-c' ? 'bash -c' : `bash ${opts[0]}`} is not simulated: run the commands themselves (ip netns exec NS COMMAND)`)
    return 2
  }
  ctx.shell.request = { type: 'enter', netns: ctx.netns.name }
  return 0
}
