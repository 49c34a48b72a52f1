// From argv to the command that runs: global options, the registry, subcommands, the help, and
// the one place where errors become messages and exit statuses.
import { CliError, UsageError, type CliCommand, type CliContext } from './command.ts'
import { parseInvocation } from './parse.ts'
import { commandHelp, overviewHelp, usageHint } from './usage.ts'

/** Finds the deepest command named by the leading words; `rest` is what follows it. */
export function findCommand(commands: readonly CliCommand[], words: readonly string[]): { command: CliCommand; path: string[]; rest: string[] } | null {
  const first = commands.find((c) => c.name === words[0])
  if (!first) return null
  let command = first
  const path = [first.name]
  let i = 1
  while (command.subcommands?.length && i < words.length) {
    const sub = command.subcommands.find((s) => s.name === words[i])
    if (!sub) break
    command = sub
    path.push(sub.name)
    i++
  }
  return { command, path, rest: words.slice(i) }
}

/** Runs one command line; never throws: every failure is a message on stderr and a status. */
export async function dispatch(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { io, t } = ctx
  let current: { command: CliCommand; path: string[] } | null = null
  try {
    const [first] = argv
    if (first === undefined) {
      io.err(overviewHelp(ctx))
      return 2
    }
    if (first === '-h' || first === '--help') {
      io.out(overviewHelp(ctx))
      return 0
    }
    if (first === '-V' || first === '--version') {
      io.out(`podnet ${ctx.version}\n`)
      return 0
    }
    const found = findCommand(ctx.commands, argv)
    if (!found) {
      const what = first.startsWith('-') ? { en: `unknown option "${first}"`, ja: `不明なオプション "${first}"` } : { en: `unknown command "${first}"`, ja: `不明なコマンド "${first}"` }
      throw new UsageError(what)
    }
    current = found
    const { command, path, rest } = found
    if (!command.run) {
      // A command that only groups subcommands: `podnet exercise` alone, or an unknown subcommand.
      if (rest.length && rest[0] !== '-h' && rest[0] !== '--help') throw new UsageError({ en: `unknown subcommand "${rest[0]}"`, ja: `不明なサブコマンド "${rest[0]}"` })
      if (rest.length) {
        io.out(commandHelp(command, path, ctx))
        return 0
      }
      io.err(commandHelp(command, path, ctx))
      return 2
    }
    const inv = parseInvocation(command, path, rest)
    if (inv === 'help') {
      io.out(commandHelp(command, path, ctx))
      return 0
    }
    return await command.run(inv, ctx)
  } catch (e) {
    const where = ['podnet', ...(current?.path ?? [])].join(' ')
    if (e instanceof CliError) {
      const msg = t(e.text)
      io.err(`${where}: ${msg}${msg.endsWith('\n') ? '' : '\n'}`)
      if (e instanceof UsageError) io.err(usageHint(current?.command ?? null, current?.path ?? [], ctx))
      return e.code
    }
    // A bug: say so in one line, without a stack trace (PODNET_DEBUG=1 prints it).
    io.err(t({ en: `${where}: internal error: ${(e as Error)?.message ?? String(e)}\n`, ja: `${where}: 内部エラー：${(e as Error)?.message ?? String(e)}\n` }))
    if (ctx.debug) io.err(`${(e as Error)?.stack ?? ''}\n`)
    return 70
  }
}
