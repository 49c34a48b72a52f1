import { formatMessage } from '../../../shared/messages/index.ts'
import { formatReport, traceInLab, TraceRequestError } from '../../lab/trace-report.ts'
import { CliError, type CliCommand, type Lang } from '../command.ts'
import { openLab } from '../lab-io.ts'
import { LANG_OPTION, PROBE_OPTIONS, probeRequest } from '../options.ts'

export const traceCommand: CliCommand = {
  name: 'trace',
  summary: { en: 'send one packet in the lab and explain its path step by step', ja: 'ラボでパケットを 1 つ送り、その通り道を 1 ステップずつ説明する' },
  details: {
    en: `The trace runs in a replay of the lab file, so the file is never changed. Exit status: 0 when
the packet arrives (an echo reply comes back, or the datagram is delivered), 1 when it does not
(the last line says where and why), 2 for a usage error.`,
    ja: `追跡はラボファイルを再現した環境で行うので、ファイルは変わりません。終了ステータス：パケットが届けば
0（エコー応答が返る、またはデータグラムが配送される）、届かなければ 1（最後の行が場所と理由を示す）、
使い方の誤りは 2。`,
  },
  args: [{ name: 'FILE', complete: 'lab-file', help: { en: 'the lab file', ja: 'ラボファイル' } }],
  options: [
    ...PROBE_OPTIONS,
    { name: 'json', help: { en: 'print the report as JSON: steps, outcome and every trace event with its frame', ja: 'レポートを JSON で出力する（ステップ、結果、フレーム付きのすべての追跡イベント）' } },
    LANG_OPTION,
  ],
  examples: ['podnet trace lab.podnet --from pod1 --to pod4', 'podnet trace lab.podnet --from pod1 --to 10.244.2.3 --proto udp --size 1472 --df --warm --lang ja'],
  run(inv, ctx) {
    const req = probeRequest(inv)
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const rt = openLab(inv.args[0])
    let rep
    try {
      rep = traceInLab(rt.world, rt.cluster, req, lang)
    } catch (e) {
      if (e instanceof TraceRequestError) throw new CliError({ en: e.message, ja: formatMessage(e.msg, e.params, 'ja') })
      throw e
    }
    ctx.io.out(inv.flag('json') ? JSON.stringify(rep, null, 2) + '\n' : formatReport(rep, lang))
    return rep.outcome.kind === 'reply' || rep.outcome.kind === 'delivered' ? 0 : 1
  },
}
