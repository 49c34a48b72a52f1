import { UsageError, type CliCommand } from '../command.ts'
import { findCommand } from '../dispatch.ts'
import { commandHelp, overviewHelp } from '../usage.ts'

export const helpCommand: CliCommand = {
  name: 'help',
  summary: { en: "show the usage of a command (or the list of commands)", ja: 'コマンドの使い方（またはコマンドの一覧）を表示する' },
  args: [{ name: 'COMMAND', optional: true, variadic: true, complete: 'command', help: { en: 'the command (and subcommand)', ja: 'コマンド（とサブコマンド）' } }],
  run(inv, ctx) {
    if (!inv.args.length) {
      ctx.io.out(overviewHelp(ctx))
      return 0
    }
    const found = findCommand(ctx.commands, inv.args)
    if (!found || found.rest.length) throw new UsageError({ en: `no such command "${inv.args.join(' ')}"`, ja: `コマンド "${inv.args.join(' ')}" はありません` })
    ctx.io.out(commandHelp(found.command, found.path, ctx))
    return 0
  },
}
