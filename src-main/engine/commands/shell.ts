import { Ctx, maxEffect, UsageExit, type Command, type Effect, type ShellRequest, type Stream } from './context.ts'
import type { World } from '../kernel/world.ts'
import type { Netns } from '../kernel/netns.ts'
import { tcpdumpJob } from './tcpdump.ts'

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
  /** What the line asked of an interactive shell (`bash`, `exit`); absent for most lines. */
  shell?: ShellRequest
}

/** A simple command of a line that changed configuration, and when it ran. */
export interface AppliedChange {
  argv: string[]
  /** Simulated time when it started. */
  atNs: number
  exitCode: number
}

/** A line's result with what it did: its largest effect, and each simple command that changed something. */
export interface LineResult extends CommandResult {
  effect: Effect
  changes: AppliedChange[]
}

export interface LineOptions {
  /** The namespace the line runs in (the host's by default). */
  ns?: Netns
  /** Replaying a lab's history: observations are skipped. */
  replay?: boolean
  /**
   * After each observation, run the events due at the same instant (an observation stops the
   * clock right after the event it waited for), so the next command starts from the state a
   * replay reaches at that time.
   */
  settle?: boolean
  /** Wraps each simple command run in the foreground (see AroundCommand). */
  around?: AroundCommand
}

/** `N>TARGET`, `N>>TARGET`, `&>TARGET` or `N>&M`: fd 0 stands for both (`&>`). */
interface Redirect {
  fd: 0 | 1 | 2
  to: string | { dup: 1 | 2 }
}

type Token = { word: string } | { op: '&&' | '||' | ';' | '|' | '&' | '(' | ')' } | { redirect: Redirect }

/** A redirection at the start of a word: `>`, `>>`, `1>`, `2>`, `&>`, `2>&1`, `>&2`. */
const REDIRECT = /^(&|[12])?>>?(&([12]))?/

/**
 * Splits a command line the way a POSIX shell does for the parts the lab needs: words, single
 * and double quotes, backslash escapes, `#` comments, and the list operators `;`, `&&`, `||`.
 * Returns null with a message for what it cannot take (unbalanced quotes).
 */
export function tokenize(line: string): Token[] | string {
  const out: Token[] = []
  let i = 0
  const n = line.length
  while (i < n) {
    const c = line[i]
    if (c === ' ' || c === '\t') {
      i++
      continue
    }
    if (c === '#') break
    const r = REDIRECT.exec(line.slice(i, i + 5))
    if (r) {
      i += r[0].length
      const fd = r[1] === '&' ? 0 : r[1] === '2' ? 2 : 1
      if (r[3]) {
        out.push({ redirect: { fd, to: { dup: r[3] === '2' ? 2 : 1 } } })
        continue
      }
      while (line[i] === ' ' || line[i] === '\t') i++
      let target = ''
      while (i < n && !' \t;&|()<>'.includes(line[i])) target += line[i++]
      if (target === '') return "syntax error near unexpected token `newline'"
      out.push({ redirect: { fd, to: target } })
      continue
    }
    if (c === ';' || c === '(' || c === ')') {
      out.push({ op: c })
      i++
      continue
    }
    if (c === '&' || c === '|') {
      if (line[i + 1] === c) {
        out.push({ op: (c + c) as '&&' | '||' })
        i += 2
      } else {
        out.push({ op: c })
        i++
      }
      continue
    }
    let word = ''
    let quoted = false
    while (i < n && !' \t;&|()'.includes(line[i])) {
      const ch = line[i]
      if (ch === "'") {
        const end = line.indexOf("'", i + 1)
        if (end < 0) return "unexpected EOF while looking for matching `''"
        word += line.slice(i + 1, end)
        quoted = true
        i = end + 1
      } else if (ch === '"') {
        i++
        let closed = false
        while (i < n) {
          if (line[i] === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1])) {
            word += line[i + 1]
            i += 2
          } else if (line[i] === '"') {
            closed = true
            i++
            break
          } else {
            word += line[i++]
          }
        }
        if (!closed) return 'unexpected EOF while looking for matching `"\''
        quoted = true
      } else if (ch === '\\' && i + 1 < n) {
        word += line[i + 1]
        i += 2
      } else {
        word += ch
        i++
      }
    }
    if (word !== '' || quoted) out.push({ word })
  }
  return out
}

/**
 * Wraps each simple command of a line that runs in the foreground: gets its words and a function
 * that runs it and returns its exit status (the export uses it to see what each part did).
 */
export type AroundCommand = (argv: string[], runIt: () => number) => number

/** A background job of the line (only captures run concurrently in the lab). */
interface Job {
  done: () => boolean
  stop: () => void
}

/**
 * Runs one line of a command file in a namespace of the world: simple commands joined by `;`,
 * `&&` and `||`, optionally in `( )`. `tcpdump ... &` captures in the background while the rest
 * of the line runs; `wait` (or the end of the line) finishes it. Pipes are refused with a message
 * rather than half-done.
 */
export function runLine(world: World, table: Record<string, Command>, line: string, opts: LineOptions = {}): LineResult {
  const ctx = new Ctx(world, opts.ns ?? world.root, { replay: opts.replay, commands: table })
  const toks = tokenize(line)
  let effect: Effect = 'read'
  const changes: AppliedChange[] = []
  const result = (exitCode: number): LineResult => ({ exitCode, stdout: ctx.stdout, stderr: ctx.stderr, effect, changes })
  if (typeof toks === 'string') {
    ctx.eprintln(`bash: -c: line 1: ${toks}`)
    return { ...result(2), stdout: '' }
  }
  /** Runs one simple command and notes what it declared. */
  const track = (argv: string[], body: () => number): number => {
    ctx.resetEffect()
    const atNs = world.sched.now
    const code = body()
    if (ctx.effect === 'change') changes.push({ argv, atNs, exitCode: code })
    else if (ctx.effect === 'observe' && opts.settle) world.sched.run(world.sched.now)
    effect = maxEffect(effect, ctx.effect)
    return code
  }
  let status = 0
  let skip = false
  let argv: string[] = []
  let redirects: Redirect[] = []
  const jobs: Job[] = []
  const waitJobs = (): void => {
    for (const j of jobs) {
      world.sched.runUntil(j.done, world.sched.now + BACKGROUND_LIMIT_NS)
      if (!j.done()) j.stop()
    }
    jobs.length = 0
  }
  const flush = (background: boolean): void => {
    const reds = redirects
    redirects = []
    if (skip || argv.length === 0) {
      argv = []
      return
    }
    const c = applyRedirects(ctx, reds)
    if (c === null) {
      argv = []
      status = 1
      return
    }
    const args = argv
    argv = []
    if (background && isJob(c, args)) {
      status = track(args, () => {
        const j = startJob(c, args)
        if (typeof j === 'number') return j
        jobs.push(j)
        return 0
      })
      return
    }
    if (args.length === 1 && args[0] === 'wait') {
      track(args, () => {
        if (jobs.length && c.observe()) waitJobs()
        return 0
      })
      status = 0
    } else status = track(args, () => (opts.around ? opts.around(args, () => runArgv(c, args)) : runArgv(c, args)))
  }
  for (const t of toks) {
    if ('word' in t) {
      argv.push(t.word)
      continue
    }
    if ('redirect' in t) {
      redirects.push(t.redirect)
      continue
    }
    if (t.op === '(' || t.op === ')') continue
    if (t.op === '|') {
      ctx.eprintln(`podnet: '|' is not supported: run one command per line`)
      return result(2)
    }
    flush(t.op === '&')
    // `exit` ends the shell: the rest of the line does not run.
    if (ctx.shell.request?.type === 'exit') break
    if (t.op === '&&') skip = status !== 0
    else if (t.op === '||') skip = status === 0
    else skip = false
  }
  if (ctx.shell.request?.type !== 'exit') flush(false)
  // The line is over: captures still running end here, as if interrupted.
  for (const j of jobs) if (!j.done()) j.stop()
  const shell = ctx.shell.request
  return shell ? { ...result(status), shell } : result(status)
}

/**
 * A command's redirections, left to right as bash applies them. Only /dev/null and the other
 * stream are possible targets (the lab has no files); anything else is refused (null).
 */
function applyRedirects(ctx: Ctx, reds: Redirect[]): Ctx | null {
  if (reds.length === 0) return ctx
  const fds: Record<1 | 2, Stream> = { 1: 'out', 2: 'err' }
  for (const r of reds) {
    let to: Stream
    if (typeof r.to === 'string') {
      if (r.to !== '/dev/null') {
        ctx.eprintln(`podnet: cannot redirect to ${r.to}: the lab has no files (use /dev/null or 2>&1)`)
        return null
      }
      to = 'null'
    } else to = fds[r.to.dup]
    if (r.fd === 0 || r.fd === 1) fds[1] = to
    if (r.fd === 0 || r.fd === 2) fds[2] = to
  }
  return ctx.redirected(fds[1], fds[2])
}

/** How long `wait` lets a background capture run before stopping it. */
const BACKGROUND_LIMIT_NS = 10_000_000_000

/** `tcpdump ...` or `ip netns exec NS tcpdump ...` (of an existing namespace): what runs in the background. */
function jobTarget(ctx: Ctx, argv: string[]): { ctx: Ctx; argv: string[] } | null {
  if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv.length > 4) {
    const ns = ctx.world.namespaces.get(argv[3])
    if (!ns) return null
    return argv[4] === 'tcpdump' ? { ctx: ctx.inNetns(ns), argv: argv.slice(5) } : null
  }
  return argv[0] === 'tcpdump' ? { ctx, argv: argv.slice(1) } : null
}

function isJob(ctx: Ctx, argv: string[]): boolean {
  return jobTarget(ctx, argv) !== null
}

/** Starts a background capture (other commands run in the foreground, even with `&`). */
function startJob(ctx: Ctx, argv: string[]): Job | number {
  const t = jobTarget(ctx, argv)!
  return tcpdumpJob(t.ctx, t.argv)
}

/** Runs one simple command (argv[0] is the program) of ctx's table in ctx; shared by `ip netns exec`. */
export function runArgv(ctx: Ctx, argv: string[]): number {
  const [prog, ...args] = argv
  const base = prog.includes('/') ? prog.slice(prog.lastIndexOf('/') + 1) : prog
  const table = ctx.commands
  const cmd = Object.prototype.hasOwnProperty.call(table, base) ? table[base] : undefined
  if (!cmd) {
    ctx.eprintln(`bash: line 1: ${prog}: command not found`)
    return 127
  }
  try {
    return cmd(ctx, args)
  } catch (e) {
    if (e instanceof UsageExit) {
      if (e.stdoutText) ctx.out(e.stdoutText)
      if (e.stderrText) ctx.err(e.stderrText)
      return e.code
    }
    throw e
  }
}

/** A word as bash would need it typed to read it back as the same word (single quotes when needed). */
export function quoteWord(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w
  // A single quote cannot appear inside single quotes: close them, quote it with double quotes, reopen.
  return "'" + w.replace(/'/g, `'"'"'`) + "'"
}

/** A simple command as one line that tokenize() reads back to the same words. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ')
}
