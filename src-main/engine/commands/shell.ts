import { Ctx, UsageExit, type Command } from './context.ts'
import type { World } from '../kernel/world.ts'
import type { Netns } from '../kernel/netns.ts'

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

type Token = { word: string } | { op: '&&' | '||' | ';' | '|' | '&' }

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
    if (c === ';') {
      out.push({ op: ';' })
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
    while (i < n && !' \t;&|'.includes(line[i])) {
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
 * Runs one line of a command file in a namespace of the world: a list of simple commands joined
 * by `;`, `&&` and `||`, each dispatched through the command table. Pipes and background jobs are
 * refused with a message rather than half-done.
 */
export function runLine(world: World, table: Record<string, Command>, line: string, ns?: Netns): CommandResult {
  const ctx = new Ctx(world, ns ?? world.root)
  const toks = tokenize(line)
  if (typeof toks === 'string') {
    ctx.eprintln(`bash: -c: line 1: ${toks}`)
    return { exitCode: 2, stdout: '', stderr: ctx.stderr }
  }
  let status = 0
  let skip = false
  let argv: string[] = []
  const flush = (): void => {
    if (!skip && argv.length) status = runArgv(ctx, table, argv)
    argv = []
  }
  for (const t of toks) {
    if ('word' in t) {
      argv.push(t.word)
      continue
    }
    if (t.op === '|' || t.op === '&') {
      ctx.eprintln(`podnet: '${t.op}' is not supported: run one command per line`)
      return { exitCode: 2, stdout: ctx.stdout, stderr: ctx.stderr }
    }
    flush()
    if (t.op === '&&') skip = status !== 0
    else if (t.op === '||') skip = status === 0
    else skip = false
  }
  flush()
  return { exitCode: status, stdout: ctx.stdout, stderr: ctx.stderr }
}

/** Runs one simple command (argv[0] is the program) in ctx; shared by `ip netns exec`. */
export function runArgv(ctx: Ctx, table: Record<string, Command>, argv: string[]): number {
  const [prog, ...args] = argv
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
