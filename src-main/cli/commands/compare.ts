import { formatMessage } from '../../../shared/messages/index.ts'
import { compareLabs, formatComparison, type CompareInput } from '../../lab/compare.ts'
import { TraceRequestError } from '../../lab/trace-report.ts'
import { MODES, SpecError, type Mode } from '../../k8s/spec.ts'
import { CliError, UsageError, type CliCommand, type Lang } from '../command.ts'
import { openLab } from '../lab-io.ts'
import { LANG_OPTION, PROBE_OPTIONS, probeRequest } from '../options.ts'

/** The lab file built afresh, moved to `mode` when one is given (as `podnet cluster mode` does). */
function side(path: string, mode: Mode | undefined): CompareInput {
  const rt = openLab(path)
  if (mode === undefined) return { label: path, world: rt.world, cluster: rt.cluster }
  if (!rt.cluster) throw new CliError({ en: `${path}: the lab has no cluster whose mode could change`, ja: `${path}：モードを変えられるクラスターがありません` })
  try {
    if (rt.cluster.mode !== mode) rt.cluster.setMode(mode)
  } catch (e) {
    if (e instanceof SpecError) throw new CliError({ en: `${path}: cannot change to ${mode}: ${e.message}`, ja: `${path}：${mode} に変えられません：${e.message}` })
    throw e
  }
  return { label: mode, world: rt.world, cluster: rt.cluster }
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: { en: 'send the same probe in two labs, or two modes of one lab, and compare them side by side', ja: '2 つのラボ（または 1 つのラボの 2 つのモード）で同じプローブを送り、並べて比べる' },
  details: {
    en: `Prints, for each side, the result, the path MTU (the largest packet that gets through with
Don't Fragment, found by bisection), the largest frame on a wire (VXLAN adds 50 bytes), the devices
crossed and the table entries consulted; then the request's walk with the hops of both sides
aligned. The probe is sent after a warm-up one, so ARP does not get in the way. Each lab runs in
a replay of its file; the files are never changed. With --modes, the one lab is built twice and
moved to each mode as \`podnet cluster mode MODE\` would. Exit status: 0 when the probe arrives on
both sides, 1 otherwise, 2 for a usage error.`,
    ja: `それぞれについて、結果、経路 MTU（DF 付きで通る最大のパケット。二分探索で求める）、リンク上の最大フレーム
（VXLAN は 50 バイト増える）、通過するデバイス、判断に使ったエントリを出力し、続けて要求パケットの流れを
両側のホップをそろえて並べます。ARP が邪魔しないよう、事前に 1 つ送ってからプローブを送ります。各ラボは
ファイルを再現した環境で動くので、ファイルは変わりません。--modes では 1 つのラボを 2 回組み立て、それぞれを
\`podnet cluster mode MODE\` と同じようにそのモードへ移します。終了ステータス：両側で届けば 0、そうでなければ 1、
使い方の誤りは 2。`,
  },
  args: [
    { name: 'A', complete: 'lab-file', help: { en: 'a lab file', ja: 'ラボファイル' } },
    { name: 'B', optional: true, complete: 'lab-file', help: { en: 'the other lab file (not with --modes)', ja: 'もう一方のラボファイル（--modes とは併用しない）' } },
  ],
  options: [
    ...PROBE_OPTIONS.filter((o) => o.name !== 'count' && o.name !== 'warm' && o.name !== 'df' && o.name !== 'size'),
    { name: 'size', value: 'N', complete: 'none', help: { en: 'payload bytes of the compared probe, as ping -s (default 56)', ja: '比べるプローブのペイロードのバイト数（ping -s と同じ。既定 56）' } },
    { name: 'modes', value: 'M1,M2', help: { en: `compare two modes of lab A, e.g. routes,flannel-vxlan (${MODES.join(', ')})`, ja: `ラボ A の 2 つのモードを比べる（例：routes,flannel-vxlan。${MODES.join('、')}）` } },
    { name: 'json', help: { en: 'print the comparison as JSON', ja: '比較を JSON で出力する' } },
    LANG_OPTION,
  ],
  examples: ['podnet compare routed.podnet vxlan.podnet --from pod1 --to pod4', 'podnet compare lab.podnet --modes routes,flannel-vxlan --from pod1 --to pod4 --lang ja'],
  run(inv, ctx) {
    const req = probeRequest(inv)
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const [a, b] = inv.args
    const modes = inv.string('modes')
    let inputs: [CompareInput, CompareInput]
    if (modes !== undefined) {
      if (b !== undefined) throw new UsageError({ en: 'give one lab file with --modes, or two lab files without it', ja: '--modes ではラボファイルを 1 つ、使わないときは 2 つ指定してください' })
      const list = modes.split(',').map((m) => m.trim())
      const bad = list.find((m) => !MODES.includes(m as Mode))
      if (list.length !== 2 || bad !== undefined)
        throw new UsageError({ en: `--modes takes two of ${MODES.join(', ')}, separated by a comma${bad !== undefined ? ` (not "${bad}")` : ''}`, ja: `--modes には ${MODES.join('、')} から 2 つをコンマ区切りで指定します${bad !== undefined ? `（"${bad}" は使えません）` : ''}` })
      inputs = [side(a, list[0] as Mode), side(a, list[1] as Mode)]
    } else {
      if (b === undefined) throw new UsageError({ en: 'give two lab files, or one with --modes M1,M2', ja: 'ラボファイルを 2 つ、または 1 つと --modes M1,M2 を指定してください' })
      inputs = [side(a, undefined), side(b, undefined)]
    }
    let c
    try {
      c = compareLabs(inputs[0], inputs[1], { ...req, df: undefined, warm: undefined, count: undefined }, lang)
    } catch (e) {
      if (e instanceof TraceRequestError) throw new CliError({ en: e.message, ja: formatMessage(e.msg, e.params, 'ja') })
      throw e
    }
    ctx.io.out(inv.flag('json') ? JSON.stringify(c, null, 2) + '\n' : formatComparison(c, lang))
    return c.sides.every((s) => s.delivered) ? 0 : 1
  },
}
