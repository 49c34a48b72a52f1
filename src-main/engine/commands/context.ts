import type { Netns } from '../kernel/netns.ts'
import type { World } from '../kernel/world.ts'

/** Where one of a command's output streams ends up. */
export type Stream = 'out' | 'err' | 'null'

/**
 * What a line asks of the interactive shell around it: `bash` enters a shell in the namespace it
 * runs in (as `ip netns exec NS bash` does), `exit` leaves the current one.
 */
export type ShellRequest = { type: 'enter'; netns: string } | { type: 'exit'; code: number }

/** What a command sees: the world, the namespace it runs in, and its two output streams. */
export class Ctx {
  private readonly outBuf: string[] = []
  private readonly errBuf: string[] = []
  /** Shared by the contexts derived from this one (other namespace, redirections). */
  readonly shell: { request: ShellRequest | null } = { request: null }

  constructor(
    readonly world: World,
    public netns: Netns,
  ) {}

  out(s: string): void {
    this.outBuf.push(s)
  }

  /** A line on stdout. */
  println(s = ''): void {
    this.outBuf.push(s, '\n')
  }

  err(s: string): void {
    this.errBuf.push(s)
  }

  /** A line on stderr. */
  eprintln(s: string): void {
    this.errBuf.push(s, '\n')
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

/** A command: argv without the program name; returns the exit code. */
export type Command = (ctx: Ctx, args: string[]) => number

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
