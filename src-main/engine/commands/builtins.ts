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
