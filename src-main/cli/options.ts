// Options several commands share: the probe packet of `podnet trace` and `podnet capture`, the
// language of an explanation, JSON output.
import type { Invocation, OptionSpec } from './command.ts'
import { MAX_TRACE_COUNT, type TraceRequest } from '../lab/trace-report.ts'

export const LANG_OPTION: OptionSpec = { name: 'lang', choices: ['en', 'ja'], help: { en: 'language of the explanation (default: from LANG)', ja: '説明の言語（既定値は LANG から）' } }

/** One probe packet: who sends, to whom, what. */
export const PROBE_OPTIONS: readonly OptionSpec[] = [
  { name: 'from', value: 'POD', required: true, complete: 'netns', help: { en: 'the pod (or namespace) that sends', ja: '送信する Pod（または名前空間）' } },
  { name: 'to', value: 'POD|IP', required: true, complete: 'netns', help: { en: 'the pod, namespace or IPv4 address it is sent to', ja: '宛先の Pod、名前空間、または IPv4 アドレス' } },
  { name: 'proto', choices: ['icmp', 'udp'], help: { en: 'an ICMP echo request (default) or a UDP datagram', ja: 'ICMP エコー要求（既定）または UDP データグラム' } },
  { name: 'port', value: 'N', complete: 'none', help: { en: 'UDP destination port (default 9999; the destination listens there)', ja: 'UDP の宛先ポート（既定 9999。宛先はそのポートで待ち受ける）' } },
  { name: 'sport', value: 'N', complete: 'none', help: { en: 'UDP source port (default: one from 40000 up, derived from the packet)', ja: 'UDP の送信元ポート（既定：40000 以上でパケットから決まる番号）' } },
  { name: 'size', value: 'N', complete: 'none', help: { en: 'payload bytes, as ping -s (default 56)', ja: 'ペイロードのバイト数（ping -s と同じ。既定 56）' } },
  { name: 'df', help: { en: "set Don't Fragment (as ping -M do): a packet too big for a link is refused, not fragmented", ja: "Don't Fragment を立てる（ping -M do と同じ）：リンクに収まらないパケットは分割せず拒否される" } },
  { name: 'count', short: 'c', value: 'N', complete: 'none', help: { en: 'send N probes one second apart, as ping -c (1 to 10, default 1)', ja: 'プローブを 1 秒おきに N 個送る（ping -c と同じ。1〜10、既定 1）' } },
  { name: 'warm', help: { en: 'warm ARP/FDB first: send one packet before the traced one', ja: 'ARP/FDB を事前に学習させる（追跡するパケットの前に 1 つ送る）' } },
]

export function probeRequest(inv: Invocation): TraceRequest {
  return {
    from: inv.string('from')!,
    to: inv.string('to')!,
    proto: (inv.string('proto') ?? 'icmp') as 'icmp' | 'udp',
    port: inv.int('port', { min: 1, max: 65535 }),
    sport: inv.int('sport', { min: 1, max: 65535 }),
    count: inv.int('count', { min: 1, max: MAX_TRACE_COUNT }),
    size: inv.int('size', { max: 65507 }),
    warm: inv.flag('warm'),
    df: inv.flag('df') ? true : undefined,
  }
}
