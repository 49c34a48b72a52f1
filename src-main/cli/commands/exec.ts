import { execLine } from '../../lab/lab.ts'
import { UsageError, type CliCommand } from '../command.ts'
import { openLab } from '../lab-io.ts'

/** Quotes a word for the command language so that it reads back as exactly that word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

export const execCommand: CliCommand = {
  name: 'exec',
  summary: { en: "run one command in the lab (after its history) and print its output", ja: 'ラボ（履歴の適用後）でコマンドを 1 つ実行し、その出力を表示する' },
  details: {
    en: `COMMAND's words reach the lab exactly as given: quoting survives (podnet exec lab.yaml -- echo
'a  b' prints "a  b"). To run a command line with ; && || or redirections, give it as one string
with -c. The lab file is not changed. Exit status: the command's own (as ip netns exec), 1 when the
lab cannot be read, 2 for a usage error.`,
    ja: `COMMAND の各語はそのままラボに渡り、クォートも保たれます（podnet exec lab.yaml -- echo 'a  b' は
"a  b" を表示する）。; && || やリダイレクトを含むコマンド行は -c で 1 つの文字列として渡します。
ラボファイルは変わりません。終了ステータス：コマンド自身のもの（ip netns exec と同じ）、ラボを読めないときは 1、
使い方の誤りは 2。`,
  },
  args: [{ name: 'FILE', complete: 'lab-file', help: { en: 'the lab file', ja: 'ラボファイル' } }],
  passThrough: { name: 'COMMAND', help: { en: 'the command and its arguments', ja: 'コマンドとその引数' } },
  options: [
    { name: 'netns', short: 'n', value: 'NS', complete: 'netns', help: { en: 'run it in this namespace (pod or node), as ip netns exec NS', ja: 'この名前空間（Pod またはノード）で実行する（ip netns exec NS と同じ）' } },
    { name: 'command', short: 'c', value: 'LINE', complete: 'none', help: { en: 'a command line of the command language instead of COMMAND...', ja: 'COMMAND... の代わりにコマンド言語の 1 行を実行する' } },
  ],
  examples: ['podnet exec lab.podnet --netns node1 -- ip route', "podnet exec lab.podnet -c 'ip -n pod1 neigh; ip -n node1 neigh'"],
  run(inv, ctx) {
    const line = inv.string('command')
    if (line !== undefined && inv.rest.length) throw new UsageError({ en: 'give the command either with -c LINE or as COMMAND..., not both', ja: 'コマンドは -c LINE か COMMAND... のどちらか一方で指定してください' })
    if (line === undefined && !inv.rest.length) throw new UsageError({ en: 'which command? (podnet exec FILE [--netns NS] -- COMMAND...)', ja: '実行するコマンドを指定してください（podnet exec FILE [--netns NS] -- COMMAND...）' })
    const command = line ?? inv.rest.map(shellQuote).join(' ')
    const ns = inv.string('netns')
    const rt = openLab(inv.args[0])
    // `ip netns exec NS sh -c LINE` is what a real machine needs for a line; the lab's command
    // language runs a whole line inside `ip netns exec` directly.
    const r = execLine(rt.world, rt.cluster, ns !== undefined ? `ip netns exec ${shellQuote(ns)} ${command}` : command)
    if (r.stdout) ctx.io.out(r.stdout)
    if (r.stderr) ctx.io.err(r.stderr)
    return r.exitCode
  },
}
