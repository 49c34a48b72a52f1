import { BOUND_EXIT_CODE, boundMessage, MAX_CLOCK_NS, MAX_COMMAND_EVENTS, MAX_COMMAND_NS, type BoundHit } from '../kernel/budget.ts'
import { STORM_PASSES } from '../kernel/bridge.ts'
import type { World } from '../kernel/world.ts'
import type { Netns } from '../kernel/netns.ts'
import { runLine, type AroundCommand, type CommandResult, type LineOptions, type LineResult } from './shell.ts'
import { COMMANDS } from './table.ts'

export type { AppliedChange, AroundCommand, CommandResult, LineOptions, LineResult } from './shell.ts'
export type { Effect } from './context.ts'

/** A small pause per command, as a real shell takes a few milliseconds to start each program. */
export const COMMAND_OVERHEAD_NS = 2_000_000

/** Runs one line of the command language in the world (in the root namespace unless told). */
export function run(world: World, line: string, ns?: Netns, overheadNs = COMMAND_OVERHEAD_NS, around?: AroundCommand): CommandResult {
  const { effect: _e, changes: _c, ...r } = bounded(world, () => runLine(world, COMMANDS, line, { ns, around }))
  if (overheadNs) world.advance(overheadNs)
  return r
}

/**
 * Runs a command within the bounds of one command (budget.ts) and of any bound already set (a
 * lab being loaded). A bound that is hit ends the command's stderr with a line saying which, and
 * its exit status is 124; world.sched.hit tells the caller too. A broadcast storm the command
 * caused or ran into is reported the same way.
 */
export function bounded<T extends CommandResult>(world: World, f: () => T): T {
  const s = world.sched
  const outer = s.limit
  const ownUntil = Math.min(s.now + MAX_COMMAND_NS, MAX_CLOCK_NS)
  const ownEvents = s.eventCount + MAX_COMMAND_EVENTS
  s.limit = {
    events: outer && outer.events < ownEvents ? outer.events : ownEvents,
    eventsHit: outer && outer.events < ownEvents ? outer.eventsHit : 'events',
    untilNs: outer && outer.untilNs < ownUntil ? outer.untilNs : ownUntil,
    untilHit: outer && outer.untilNs < ownUntil ? outer.untilHit : ownUntil === MAX_CLOCK_NS ? 'clock' : 'time',
  }
  s.hit = null
  const stormDrops = world.stormDrops
  const before = stormDrops ? new Map([...world.storms].map(([k, v]) => [k, v.drops])) : null
  let r: T
  try {
    r = f()
  } finally {
    s.limit = outer
  }
  if (world.stormDrops !== stormDrops) {
    const where = [...world.storms].filter(([k, v]) => v.drops !== (before?.get(k) ?? 0)).map(([, v]) => `${v.bridge} in ${v.netns || 'the host namespace'}`)
    const n = world.stormDrops - stormDrops
    r = { ...r, stderr: `${r.stderr}podnet: broadcast storm: frames went round a loop of bridges (seen at ${where.join(', ')}); without STP Linux floods them forever, the lab dropped ${n} ${n === 1 ? 'copy' : 'copies'} after ${STORM_PASSES} rounds\n` }
  }
  const hit = s.hit as BoundHit | null
  if (hit) r = { ...r, exitCode: BOUND_EXIT_CODE, stderr: `${r.stderr}${boundMessage(hit, outer?.events)}\n` }
  return r
}

/**
 * Runs one line within the bounds of one command and reports what it did (its effect and the
 * simple commands that changed something), without the per-command pause: the caller decides
 * whether time passes.
 */
export function runTracked(world: World, line: string, opts: LineOptions = {}): LineResult {
  return bounded(world, () => runLine(world, COMMANDS, line, opts))
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
