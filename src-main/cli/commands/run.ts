import { run } from '../../engine/commands/index.ts'
import { World } from '../../engine/kernel/world.ts'
import { execLine } from '../../lab/lab.ts'
import type { Cluster } from '../../k8s/cluster.ts'
import { UsageError, type CliCommand } from '../command.ts'
import { openLab, readInput } from '../lab-io.ts'

export const runCommand: CliCommand = {
  name: 'run',
  summary: { en: 'run a file of commands in the lab or in an empty world', ja: 'コマンドファイルをラボまたは空の環境で実行する' },
  details: {
    en: `One command a line, # comments, ; && || and redirections, in the command language of
docs/commands.md: the same file runs with bash on a Linux machine (as root) and prints the same.
Every line runs, as bash runs a file. Exit status: 0 when every command succeeded, 1 when one
failed (unless --ignore-errors), or when the file or the lab cannot be read; 2 for a usage error.`,
    ja: `1 行に 1 コマンド、# はコメント、; && || とリダイレクトが使えます（docs/commands.md のコマンド言語）。
同じファイルを Linux マシンの bash（root）で実行すると同じ出力になります。bash と同様にすべての行を実行します。
終了ステータス：すべて成功なら 0、失敗したコマンドがあれば 1（--ignore-errors のときを除く）、
ファイルやラボを読めないときも 1、使い方の誤りは 2。`,
  },
  args: [{ name: 'SCRIPT', complete: 'file', help: { en: 'the command file (- reads standard input)', ja: 'コマンドファイル（- は標準入力）' } }],
  options: [
    { name: 'lab', value: 'FILE', complete: 'lab-file', help: { en: 'run in this lab (after its history) instead of an empty world', ja: '空の環境ではなく、このラボ（履歴の適用後）で実行する' } },
    { name: 'json', help: { en: 'print one JSON object per command: line, command, exitCode, stdout, stderr', ja: 'コマンドごとに JSON オブジェクトを 1 行で出力する（line、command、exitCode、stdout、stderr）' } },
    { name: 'stop-on-error', short: 'e', help: { en: 'stop at the first command that fails (as bash -e)', ja: '最初に失敗したコマンドで止める（bash -e と同じ）' } },
    { name: 'ignore-errors', help: { en: 'exit 0 even when commands failed (the file ran)', ja: 'コマンドが失敗しても 0 で終了する（ファイルを実行できた場合）' } },
  ],
  examples: ['podnet run commands.sh', 'podnet run checks.sh --lab lab.podnet --json', 'podnet export lab.podnet | podnet run -'],
  run(inv, ctx) {
    if (inv.flag('stop-on-error') && inv.flag('ignore-errors')) throw new UsageError({ en: '--stop-on-error and --ignore-errors cannot be used together', ja: '--stop-on-error と --ignore-errors は同時に指定できません' })
    const labFile = inv.string('lab')
    if (inv.args[0] === '-' && labFile === '-') throw new UsageError({ en: 'only one of SCRIPT and --lab can be standard input', ja: '標準入力にできるのは SCRIPT と --lab のどちらか一方だけです' })
    const text = readInput(inv.args[0])
    let world: World
    let cluster: Cluster | null = null
    if (labFile !== undefined) ({ world, cluster } = openLab(labFile))
    else world = new World({ seed: 1 })
    const json = inv.flag('json')
    const stop = inv.flag('stop-on-error')
    let failed = false
    const lines = text.split(/\r?\n/)
    for (let i = 0; i < lines.length; i++) {
      const command = lines[i].trim()
      if (command === '' || command.startsWith('#')) continue
      const r = cluster ? execLine(world, cluster, command) : run(world, command)
      if (json) ctx.io.out(JSON.stringify({ line: i + 1, command, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }) + '\n')
      else {
        if (r.stdout) ctx.io.out(r.stdout)
        if (r.stderr) ctx.io.err(r.stderr)
      }
      if (r.exitCode !== 0) {
        failed = true
        if (stop) break
      }
    }
    return failed && !inv.flag('ignore-errors') ? 1 : 0
  },
}
