import { NS_PER_SEC } from '../kernel/scheduler.ts'
import type { Command } from './context.ts'

/** `sleep N`: lets simulated time pass, so timers (ARP ageing, DAD) run as on a real host. */
export const sleep: Command = (ctx, argv) => {
  if (argv.length === 0) {
    ctx.eprintln('sleep: missing operand')
    ctx.eprintln("Try 'sleep --help' for more information.")
    return 1
  }
  let total = 0
  for (const a of argv) {
    const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a)
    if (!m) {
      ctx.eprintln(`sleep: invalid time interval '${a}'`)
      ctx.eprintln("Try 'sleep --help' for more information.")
      return 1
    }
    const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']
    total += Number(m[1]) * mult
  }
  ctx.world.advance(Math.round(total * NS_PER_SEC))
  return 0
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
