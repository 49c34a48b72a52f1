import { formatMessage } from '../../../shared/messages/index.ts'
import { captureFile, captureProbe, CaptureRequestError, interfaceName, type CaptureFormat, type InterfaceSelector } from '../../lab/capture.ts'
import { TraceRequestError } from '../../lab/trace-report.ts'
import { CliError, UsageError, type CliCommand, type Lang } from '../command.ts'
import { openLab, writeOutput } from '../lab-io.ts'
import { LANG_OPTION, PROBE_OPTIONS, probeRequest } from '../options.ts'

/** `NS:DEV`, or `NS` for every device of the namespace; `:DEV` is the root namespace. */
export function parseInterface(spec: string): InterfaceSelector {
  const i = spec.indexOf(':')
  if (i < 0) {
    if (spec === '') throw new UsageError({ en: '--iface needs NS:DEV or NS', ja: '--iface には NS:DEV または NS を指定してください' })
    return { netns: spec }
  }
  const netns = spec.slice(0, i)
  const device = spec.slice(i + 1)
  if (device === '' || device.includes(':')) throw new UsageError({ en: `--iface "${spec}" must be NS:DEV (a namespace and one of its devices) or NS`, ja: `--iface "${spec}" は NS:DEV（名前空間とそのデバイス）または NS の形で指定してください` })
  return { netns, device }
}

export const captureCommand: CliCommand = {
  name: 'capture',
  summary: { en: 'capture what chosen interfaces see while one packet goes through the lab', ja: 'パケットを 1 つ送り、指定したインターフェースが見たフレームをキャプチャする' },
  details: {
    en: `Sends the same probe as podnet trace (in a replay of the lab; the file is not changed) and
writes every frame the interfaces sent or received meanwhile, as tcpdump -i would see it (the
devices are put in promiscuous mode, as tcpdump does, unless --no-promisc). pcapng (the default)
keeps one interface per device, named NS:DEV, with the direction of each frame and the trace's
explanation as its comment; -F pcap writes a classic pcap with the frames of all interfaces merged.
Timestamps are simulated time from the lab's epoch, 2000-01-01T00:00:00Z. A summary goes to
standard error. Exit status as podnet trace: 0 when the packet arrives, 1 when it does not (the
capture is written either way), 2 for a usage error.`,
    ja: `podnet trace と同じプローブを（ラボを再現した環境で。ファイルは変わりません）送り、その間に各インターフェースが
送受信したすべてのフレームを tcpdump -i と同じように書き出します（--no-promisc を付けない限り、tcpdump と同様に
デバイスをプロミスキャスモードにします）。pcapng（既定）はデバイスごとに NS:DEV という名前のインターフェースを持ち、
フレームの向きと、コメントとして追跡の説明を記録します。-F pcap はすべてのインターフェースのフレームをまとめた
従来の pcap を書き出します。タイムスタンプはラボのエポック 2000-01-01T00:00:00Z からのシミュレーション時間です。
概要は標準エラー出力に表示します。終了ステータスは podnet trace と同じ：パケットが届けば 0、届かなければ 1
（どちらでもキャプチャは書き出す）、使い方の誤りは 2。`,
  },
  args: [{ name: 'FILE', complete: 'lab-file', help: { en: 'the lab file', ja: 'ラボファイル' } }],
  options: [
    ...PROBE_OPTIONS,
    { name: 'iface', short: 'i', value: 'NS:DEV', multiple: true, complete: 'iface', help: { en: 'capture on device DEV of namespace NS (NS alone: all its devices)', ja: '名前空間 NS のデバイス DEV でキャプチャする（NS だけならそのすべてのデバイス）' } },
    { name: 'all', help: { en: 'capture on every device that carries a frame', ja: 'フレームが通るすべてのデバイスでキャプチャする' } },
    { name: 'output', short: 'o', value: 'FILE', required: true, complete: 'file', help: { en: 'write the capture to FILE (- for standard output)', ja: 'キャプチャを FILE に書き込む（- は標準出力）' } },
    { name: 'format', short: 'F', choices: ['pcapng', 'pcap'], help: { en: 'file format (default pcapng)', ja: 'ファイル形式（既定 pcapng）' } },
    { name: 'no-promisc', help: { en: 'leave the devices out of promiscuous mode (as tcpdump -p)', ja: 'デバイスをプロミスキャスモードにしない（tcpdump -p と同じ）' } },
    { name: 'quiet', short: 'q', help: { en: 'print no summary', ja: '概要を表示しない' } },
    { ...LANG_OPTION, help: { en: 'language of the frame comments and the summary (default: from LANG)', ja: 'フレームのコメントと概要の言語（既定値は LANG から）' } },
  ],
  examples: [
    'podnet capture lab.podnet --from pod1 --to pod4 --iface pod1:eth0 --iface node1:eth0 -o pod1-pod4.pcapng',
    'podnet capture overlay.podnet --from pod1 --to pod4 --all -o - | tshark -r - -d udp.port==8472,vxlan',
  ],
  run(inv, ctx) {
    const selectors = inv.strings('iface').map(parseInterface)
    if (!selectors.length && !inv.flag('all')) throw new UsageError({ en: 'which interfaces? give --iface NS:DEV (repeatable) or --all', ja: 'インターフェースを --iface NS:DEV（複数可）または --all で指定してください' })
    if (selectors.length && inv.flag('all')) throw new UsageError({ en: '--iface and --all cannot be used together', ja: '--iface と --all は同時に指定できません' })
    const req = probeRequest(inv)
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const format = (inv.string('format') ?? 'pcapng') as CaptureFormat
    const output = inv.string('output')!
    const rt = openLab(inv.args[0])
    let result
    try {
      result = captureProbe(rt.world, rt.cluster, req, { interfaces: inv.flag('all') ? 'all' : selectors, promisc: !inv.flag('no-promisc') }, lang)
    } catch (e) {
      if (e instanceof TraceRequestError) throw new CliError({ en: e.message, ja: formatMessage(e.msg, e.params, 'ja') })
      if (e instanceof CaptureRequestError) throw new CliError({ en: e.message, ja: e.message })
      throw e
    }
    const { report, capture } = result
    writeOutput(output, captureFile(capture, format, `PodNet Lab ${ctx.version}`), ctx.io)
    if (!inv.flag('quiet')) {
      const counts = capture.interfaces.map((i, n) => `${interfaceName(i)} ${capture.frames.filter((f) => f.iface === n).length}`).join(', ')
      const where = output === '-' ? ctx.t({ en: 'standard output', ja: '標準出力' }) : output
      ctx.io.err(ctx.t({
        en: `podnet capture: ${capture.frames.length} frame${capture.frames.length === 1 ? '' : 's'} on ${capture.interfaces.length} interface${capture.interfaces.length === 1 ? '' : 's'} (${counts}) written to ${where} (${format})\n`,
        ja: `podnet capture: ${capture.interfaces.length} 個のインターフェースで ${capture.frames.length} フレーム（${counts}）を ${where} に書き込みました（${format}）\n`,
      }))
      ctx.io.err(`${report.verdict}\n`)
    }
    return report.outcome.kind === 'reply' || report.outcome.kind === 'delivered' ? 0 : 1
  },
}
