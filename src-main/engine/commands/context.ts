import type { Netns } from '../kernel/netns.ts'
import type { World } from '../kernel/world.ts'
import type { Job } from './jobs.ts'

/** Where one of a command's output streams ends up. */
export type Stream = 'out' | 'err' | 'null'

/**
 * What a command did to the lab, declared by the command itself while it runs:
 * - 'read': looked at state (show, list, get): takes no simulated time, never recorded;
 * - 'observe': let simulated time pass (ping, traceroute, tcpdump, arping, sleep, wait); it may
 *   leave learned state (ARP entries, learned FDB entries) but changes no configuration, so it is
 *   not recorded either;
 * - 'change': changed configuration (devices, addresses, routes, static neighbours and FDB
 *   entries, sysctls, namespaces): the lab's history records the command with its time.
 * A command declares 'observe' before it lets time pass and 'change' when it has changed
 * something (so a request the kernel refused whole declares nothing).
 */
export type Effect = 'read' | 'observe' | 'change'

const EFFECT_RANK: Record<Effect, number> = { read: 0, observe: 1, change: 2 }

/** The larger of two effects (a line that reads and changes, changes). */
export function maxEffect(a: Effect, b: Effect): Effect {
  return EFFECT_RANK[a] >= EFFECT_RANK[b] ? a : b
}

/** What every view of one command's Ctx shares: its declared effect, and whether observations run. */
interface CommandState {
  effect: Effect
  /** Replaying a lab's history: observations are skipped (they are not part of a lab). */
  replay: boolean
}

/**
 * What a line asks of the interactive shell around it: `bash` enters a shell in the namespace it
 * runs in (as `ip netns exec NS bash` does), `exit` leaves the current one.
 */
export type ShellRequest = { type: 'enter'; netns: string } | { type: 'exit'; code: number }

/** A capture file a command wrote: the frames and when they were seen (the lab writes the pcap). */
export interface CapturedFile {
  name: string
  records: { timeNs: number; frame: Uint8Array }[]
}

/** What a command sees: the world, the namespace it runs in, and its two output streams. */
export class Ctx {
  private readonly outBuf: string[] = []
  private readonly errBuf: string[] = []
  /** Shared by the contexts derived from this one (other namespace, redirections). */
  readonly shell: { request: ShellRequest | null } = { request: null }
  /** Files commands wrote (`tcpdump -w`): the lab has no filesystem, the terminal offers them. */
  readonly files: CapturedFile[] = []
  /** Both streams in the order written, and how much of it drain() has handed out. */
  private readonly transcript: { parts: string[]; drained: number } = { parts: [], drained: 0 }
  /** Shared by the redirected and namespaced views of this Ctx (they are prototype-derived). */
  private readonly state: CommandState

  /**
   * The programs a command may run in turn (`ip netns exec`, `timeout`): the dispatch table the
   * line runs with, handed down rather than imported, so the table and its commands import no cycle.
   */
  readonly commands: Readonly<Record<string, Command>>

  constructor(
    readonly world: World,
    public netns: Netns,
    opts: { replay?: boolean; commands?: Readonly<Record<string, Command>> } = {},
  ) {
    this.state = { effect: 'read', replay: opts.replay === true }
    this.commands = opts.commands ?? {}
  }

  /** What the command running in this Ctx declared so far. */
  get effect(): Effect {
    return this.state.effect
  }

  /** Starts the next simple command of a line: nothing declared yet. */
  resetEffect(): void {
    this.state.effect = 'read'
  }

  /**
   * Declares that the command is about to let simulated time pass. Returns false while a lab's
   * history is replayed: the command must then end at once (exit 0, no output), because
   * observations are not part of a lab.
   */
  observe(): boolean {
    this.state.effect = maxEffect(this.state.effect, 'observe')
    return !this.state.replay
  }

  /** Declares that the command changed configuration (call it once the change is made). */
  change(): void {
    this.state.effect = 'change'
  }

  /** Whether observations are skipped (a lab's history is being replayed). */
  get replaying(): boolean {
    return this.state.replay
  }

  out(s: string): void {
    this.outBuf.push(s)
    this.transcript.parts.push(s)
  }

  /**
   * What both streams received since the last drain, in the order written: what a terminal shows
   * while a command runs (shared by the derived views of this Ctx).
   */
  drain(): string {
    const t = this.transcript
    const s = t.parts.slice(t.drained).join('')
    t.drained = t.parts.length
    return s
  }

  /** A line on stdout. */
  println(s = ''): void {
    this.outBuf.push(s, '\n')
    this.transcript.parts.push(s, '\n')
  }

  err(s: string): void {
    this.errBuf.push(s)
    this.transcript.parts.push(s)
  }

  /** Keeps a file a command wrote (a later one of the same name replaces it, as on a disk). */
  writeFile(name: string, records: { timeNs: number; frame: Uint8Array }[]): void {
    const i = this.files.findIndex((f) => f.name === name)
    if (i >= 0) this.files.splice(i, 1)
    this.files.push({ name, records })
  }

  /** A line on stderr. */
  eprintln(s: string): void {
    this.errBuf.push(s, '\n')
    this.transcript.parts.push(s, '\n')
  }

  get stdout(): string {
    return this.outBuf.join('')
  }

  get stderr(): string {
    return this.errBuf.join('')
  }

  /**
   * The same streams with a command's redirections applied: where its stdout and its stderr go
   * ('out', 'err' or 'null' for /dev/null), in the order it writes them.
   */
  redirected(stdoutTo: Stream, stderrTo: Stream): Ctx {
    const c = Object.create(this) as Ctx
    const put = (to: Stream, s: string): void => {
      if (to === 'out') this.out(s)
      else if (to === 'err') this.err(s)
    }
    c.out = (s) => put(stdoutTo, s)
    c.println = (s = '') => put(stdoutTo, s + '\n')
    c.err = (s) => put(stderrTo, s)
    c.eprintln = (s) => put(stderrTo, s + '\n')
    return c
  }

  /** The same streams, another namespace (ip netns exec, ip -n). */
  inNetns(ns: Netns): Ctx {
    const c = Object.create(this) as Ctx
    c.netns = ns
    return c
  }
}

/**
 * A command: argv without the program name; returns the exit code, or a Job when it goes on
 * while simulated time passes (ping, tcpdump, sleep): the caller drives the clock (jobs.ts).
 */
export type Command = (ctx: Ctx, args: string[]) => number | Job

/** Thrown by argument parsers to end a command with a message and an exit code. */
export class UsageExit extends Error {
  constructor(
    readonly code: number,
    readonly stderrText: string,
    readonly stdoutText = '',
  ) {
    super(stderrText)
  }
}

export function fail(code: number, stderrLine: string): never {
  throw new UsageExit(code, stderrLine.endsWith('\n') || stderrLine === '' ? stderrLine : stderrLine + '\n')
}
