import { Ctx, maxEffect, UsageExit, type CapturedFile, type Command, type Effect, type ShellRequest, type Stream } from './context.ts'
import type { World } from '../kernel/world.ts'
import type { Netns } from '../kernel/netns.ts'
import { driveJob, isJob, runToEnd, SIGTERM_STATUS, type Job } from './jobs.ts'
import { BOUND_EXIT_CODE } from '../kernel/budget.ts'
import { tcpdumpJob, type Capture } from './tcpdump.ts'

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
  /** What the line asked of an interactive shell (`bash`, `exit`); absent for most lines. */
  shell?: ShellRequest
  /** Files the line's commands wrote (`tcpdump -w`); absent when none. */
  files?: CapturedFile[]
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

/**
 * Wraps each simple command of a line that runs in the foreground: gets its words and a function
 * that runs it and returns its exit status (the export uses it to see what each part did). A
 * command that takes time runs to its end inside it.
 */
export type AroundCommand = (argv: string[], runIt: () => number) => number

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
 * A line being run, step by step: it runs its commands until one goes on while simulated time
 * passes (`waiting`), and goes on when that one has exited. runLine drives it in one go (the clock
 * runs until each job ends); a terminal's host drives it in slices paced to wall time
 * (lab/live.ts), so both give the same output at the same simulated times.
 */
export interface LineRun {
  readonly ctx: Ctx
  /** The command the line waits for, or null once the line has ended. */
  readonly waiting: Job | null
  /** Goes on after `waiting` has exited (or was stopped): to the next job, or the end. */
  resume(): void
  /**
   * SIGINT (Ctrl+C): stops the command the line waits for. A command that dies of it (sleep)
   * ends the line, as bash abandons a list then; one that handles it (ping) lets it go on.
   */
  interrupt(): void
  /**
   * A bound of the lab (budget.ts) stops the command the line waits for: it ends as a batch's
   * cut-off ends it, then the message, exit status 124, and nothing more of the line runs.
   */
  bound(message: string): void
  /**
   * Ends the line at once, running nothing more of it (the lab it runs in is going away): the
   * command it waits for is stopped as by SIGTERM, and the result says 143.
   */
  kill(): void
  /** The simple commands that changed configuration so far, with their times (grows as it runs). */
  readonly changes: readonly AppliedChange[]
  /** The line's result once it has ended. */
  readonly result: LineResult | null
}

/** What the driver of a line tells it about the command it waits for. */
interface LineSignal {
  /** Ctrl+C stopped it. */
  interrupted: boolean
  /** A bound of the lab stopped it: the line it ends with. */
  bound: string | null
}

/** Starts a line (in opts.ns, the host's namespace by default); see LineRun. */
export function startLine(world: World, table: Record<string, Command>, line: string, opts: LineOptions = {}): LineRun {
  const ctx = new Ctx(world, opts.ns ?? world.root, { replay: opts.replay, commands: table })
  const signal: LineSignal = { interrupted: false, bound: null }
  const changes: AppliedChange[] = []
  const steps = lineSteps(world, line, ctx, signal, opts, changes)
  let waiting: Job | null = null
  let result: LineResult | null = null
  const step = (): void => {
    const r = steps.next()
    if (r.done) {
      waiting = null
      result = r.value
    } else waiting = r.value
  }
  step()
  return {
    ctx,
    get waiting() {
      return waiting
    },
    get result() {
      return result
    },
    resume: () => {
      if (waiting) step()
    },
    interrupt: () => {
      if (!waiting) return
      signal.interrupted = true
      waiting.stop('interrupt')
      step()
    },
    bound: (message) => {
      if (!waiting) return
      signal.bound = message
      waiting.stop('limit')
      step()
    },
    kill: () => {
      if (!waiting) return
      waiting.stop('terminate')
      waiting = null
      steps.return({ exitCode: SIGTERM_STATUS, stdout: ctx.stdout, stderr: ctx.stderr, effect: 'observe', changes })
      result = { exitCode: SIGTERM_STATUS, stdout: ctx.stdout, stderr: ctx.stderr, effect: changes.length ? 'change' : 'observe', changes }
    },
    changes,
  }
}

/**
 * Runs one line of a command file in a namespace of the world: simple commands joined by `;`,
 * `&&` and `||`, optionally in `( )`. `tcpdump ... &` captures in the background while the rest
 * of the line runs; `wait` (or the end of the line) finishes it. Pipes are refused with a message
 * rather than half-done. Commands that take simulated time run to their end (or batch limit).
 */
export function runLine(world: World, table: Record<string, Command>, line: string, opts: LineOptions = {}): LineResult {
  const run = startLine(world, table, line, opts)
  while (run.waiting) {
    driveJob(world, run.waiting)
    run.resume()
  }
  return run.result!
}

/** The line's commands in order; yields each job it has to wait for (the caller runs the clock). */
function* lineSteps(world: World, line: string, ctx: Ctx, signal: LineSignal, opts: LineOptions, changes: AppliedChange[]): Generator<Job, LineResult, void> {
  let effect: Effect = 'read'
  const result = (exitCode: number): LineResult => {
    const r: LineResult = { exitCode, stdout: ctx.stdout, stderr: ctx.stderr, effect, changes }
    if (ctx.shell.request) r.shell = ctx.shell.request
    if (ctx.files.length) r.files = ctx.files
    return r
  }
  const toks = tokenize(line)
  if (typeof toks === 'string') {
    ctx.eprintln(`bash: -c: line 1: ${toks}`)
    return { ...result(2), stdout: '' }
  }
  /**
   * Runs one simple command (waiting for it when it takes time) and notes what it declared: a
   * change is kept with the time it started at; after an observation, the events due at the
   * instant it ended run (opts.settle), as a replay would have them.
   */
  function* track(argv: string[], body: () => number | Job): Generator<Job, boolean, void> {
    ctx.resetEffect()
    const atNs = world.sched.now
    const r = body()
    let go = true
    if (isJob(r)) go = yield* wait(r)
    else status = r
    if (ctx.effect === 'change') changes.push({ argv, atNs, exitCode: status })
    else if (ctx.effect === 'observe' && opts.settle) world.sched.run(world.sched.now)
    effect = maxEffect(effect, ctx.effect)
    return go
  }
  let status = 0
  let skip = false
  let argv: string[] = []
  let redirects: Redirect[] = []
  /** Captures started with `&`, still running. */
  const background: Capture[] = []
  /** Waits for a job; false when Ctrl+C killed it (the rest of the line does not run). */
  function* wait(job: Job): Generator<Job, boolean, void> {
    yield job
    status = job.finish()
    if (signal.bound) {
      // A bound of the lab stopped it: it says so, and the rest of the line does not run.
      ctx.eprintln(signal.bound)
      status = BOUND_EXIT_CODE
      return false
    }
    if (!signal.interrupted) return true
    signal.interrupted = false
    return !job.diesOnInterrupt
  }
  function* flush(isBackground: boolean): Generator<Job, boolean, void> {
    const reds = redirects
    redirects = []
    const args = argv
    argv = []
    if (skip || args.length === 0) return true
    const c = applyRedirects(ctx, reds)
    if (c === null) {
      status = 1
      return true
    }
    if (isBackground && jobTarget(c, args) !== null) {
      return yield* track(args, () => {
        const j = startBackground(c, args)
        if (typeof j === 'number') return j
        background.push(j)
        return 0
      })
    }
    if (args.length === 1 && args[0] === 'wait') {
      const go = yield* track(args, () => {
        const jobs = background.splice(0)
        return jobs.length && c.observe() ? allOf(world, jobs) : 0
      })
      status = 0
      return go
    }
    const around = opts.around
    if (around) {
      return yield* track(args, () =>
        around(args, () => {
          const r = runArgv(c, args)
          return isJob(r) ? runToEnd(world, r) : r
        }),
      )
    }
    return yield* track(args, () => runArgv(c, args))
  }
  let go = true
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
      for (const j of background) j.stop()
      return result(2)
    }
    go = yield* flush(t.op === '&')
    // `exit` ends the shell, and a command killed by Ctrl+C the list: the rest does not run.
    if (!go || ctx.shell.request?.type === 'exit') break
    if (t.op === '&&') skip = status !== 0
    else if (t.op === '||') skip = status === 0
    else skip = false
  }
  if (go && ctx.shell.request?.type !== 'exit') yield* flush(false)
  // The line is over: captures still running end here, as if interrupted.
  for (const j of background) if (!j.done()) j.stop()
  return result(status)
}

/** `wait`: the background captures, together; a batch gives them BACKGROUND_LIMIT_NS. */
function allOf(world: World, jobs: Capture[]): Job {
  return {
    done: () => jobs.every((j) => j.done()),
    deadlineNs: Infinity,
    onDeadline: () => {},
    limitNs: world.sched.now + BACKGROUND_LIMIT_NS,
    stop: (why) => {
      for (const j of jobs) if (!j.done()) j.stop(why === 'limit' ? undefined : why)
    },
    finish: () => 0,
    diesOnInterrupt: false,
  }
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

/** Starts a background capture (other commands run in the foreground, even with `&`). */
function startBackground(ctx: Ctx, argv: string[]): Capture | number {
  const t = jobTarget(ctx, argv)!
  return tcpdumpJob(t.ctx, t.argv)
}

/** Runs one simple command (argv[0] is the program) of ctx's table in ctx; shared by `ip netns exec`. */
export function runArgv(ctx: Ctx, argv: string[]): number | Job {
  const [prog, ...args] = argv
  const table = ctx.commands
  const base = prog.includes('/') ? prog.slice(prog.lastIndexOf('/') + 1) : prog
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
