import type { World } from '../kernel/world.ts'
import type { Netns } from '../kernel/netns.ts'
import { runLine, type AroundCommand, type CommandResult } from './shell.ts'
import { COMMANDS } from './table.ts'

export type { AroundCommand, CommandResult }

/** A small pause per command, as a real shell takes a few milliseconds to start each program. */
export const COMMAND_OVERHEAD_NS = 2_000_000

/** Runs one line of the command language in the world (in the root namespace unless told). */
export function run(world: World, line: string, ns?: Netns, overheadNs = COMMAND_OVERHEAD_NS, around?: AroundCommand): CommandResult {
  const r = runLine(world, COMMANDS, line, ns, around)
  if (overheadNs) world.advance(overheadNs)
  return r
}

/** A command file: one command per line, `#` comments and blank lines skipped. */
export interface ScriptResult extends CommandResult {
  line: number
  command: string
}

export function runScript(world: World, text: string): ScriptResult[] {
  const out: ScriptResult[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const command = lines[i].trim()
    if (command === '' || command.startsWith('#')) continue
    out.push({ line: i + 1, command, ...run(world, command) })
  }
  return out
}
