import type { Netns } from '../kernel/netns.ts'
import type { World } from '../kernel/world.ts'

/** What a command sees: the world, the namespace it runs in, and its two output streams. */
export class Ctx {
  private readonly outBuf: string[] = []
  private readonly errBuf: string[] = []

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
