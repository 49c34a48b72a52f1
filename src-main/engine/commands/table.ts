import type { Command } from './context.ts'
import { ip } from './ip.ts'
import { ping } from './ping.ts'
import { arping } from './arping.ts'
import { sysctl } from './sysctl.ts'
import { bridge } from './bridge.ts'
import { brctl } from './brctl.ts'
import { arp, ifconfig, route } from './net-tools.ts'
import { sleep, echo, trueCmd, falseCmd, clear, exit, shellCmd } from './builtins.ts'
import { tcpdump } from './tcpdump.ts'
import { traceroute } from './traceroute.ts'
import { timeout } from './timeout.ts'

/** Every program the command language knows, by name (the dispatch table). */
export const COMMANDS: Record<string, Command> = {
  ip,
  ping,
  arping,
  sysctl,
  bridge,
  brctl,
  route,
  arp,
  ifconfig,
  sleep,
  tcpdump,
  traceroute,
  timeout,
  echo,
  true: trueCmd,
  false: falseCmd,
  clear,
  exit,
  bash: shellCmd,
  sh: shellCmd,
}
