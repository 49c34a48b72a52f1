import { formatMessage } from '../../shared/messages/index.ts'
import type { ReportStep, TraceReport } from '../lab/trace-report.ts'
import type { Text } from './format.ts'
import type { Probe } from './goal-format.ts'
import { say, type Param } from './messages.ts'

/** A probe's result as a goal reads it: delivered or not, where and why, and the path it took. */
export interface ProbeVerdict {
  delivered: boolean
  /** The namespace where the deciding drop happened (on the way there, or of the reply). */
  at?: string
  /** Why, as an id: the drop's message key without `drop.` (no_route, not_forwarding, neigh_failed, frag_needed, ...). */
  reason?: string
  /** The reason alone, worded. */
  reasonText?: Text
  /** The whole verdict as a sentence, e.g. "pod1 → pod4 is dropped at node1: no route to 10.244.2.3". */
  why: Text
  /** Where the probe went until it was delivered or dropped (the reply and ARP not included). */
  path: { netns: string; device?: string }[]
}

const SHORT_REASONS: Record<string, (p: Record<string, string | number>) => Text> = {
  'drop.no_route': (p) => say('why.no_route', { dst: p.dst }),
  'route.input_none': (p) => say('why.no_route', { dst: p.dst }),
  'drop.not_forwarding': () => say('why.not_forwarding'),
  'neigh.failed': (p) => say('why.neigh_failed', { ip: p.ip, dev: p.dev }),
  'drop.frag_needed': (p) => say('why.frag_needed', { len: p.len, mtu: p.mtu, dev: p.dev }),
  'drop.too_big': (p) => say('why.too_big', { len: p.len, mtu: p.mtu, dev: p.dev }),
  'drop.veth_mtu': (p) => say('why.too_big', { len: p.len, mtu: p.mtu, dev: p.dev }),
  'drop.bridge_mtu': (p) => say('why.too_big', { len: p.len, mtu: p.mtu, dev: p.dev }),
  'drop.device_down': (p) => say('why.device_down', { dev: p.dev }),
  'drop.no_carrier': (p) => say('why.no_carrier', { dev: p.dev }),
  'drop.bridge_port_disabled': (p) => say('why.bridge_port_disabled', { dev: p.dev, bridge: p.bridge }),
  'drop.vxlan_no_fdb': (p) => say('why.vxlan_no_fdb', { dev: p.dev, mac: p.mac }),
  'drop.vxlan_no_route': (p) => say('why.vxlan_no_route', { dev: p.dev, remote: p.remote }),
  'deliver.udp_no_socket': (p) => say('why.no_listener', { port: p.port, to: p.to }),
}

/** The reason a step gives, short where we have a short form, else the engine's own explanation. */
function reasonOf(s: ReportStep): Text {
  const short = SHORT_REASONS[s.msg]
  if (short) return short(s.params)
  // The engine's drop texts open with "Dropped:", which the verdict around them already says.
  const bare = (t: string): string => t.replace(/^(Dropped|破棄)\s*[:：]\s*/, '')
  return { en: bare(formatMessage(s.msg, s.params, 'en')), ja: bare(formatMessage(s.msg, s.params, 'ja')) }
}

/** `drop.no_route` -> `no_route`, `neigh.failed` -> `neigh_failed`: the ids goals name reasons by. */
export function reasonId(msg: string): string {
  if (msg === 'route.output_none' || msg === 'route.input_none') return 'no_route'
  if (msg === 'deliver.udp_no_socket') return 'no_listener'
  return msg.startsWith('drop.') ? msg.slice(5) : msg.replace('.', '_')
}

/** Whether a step is where a packet's story ends badly. */
function isFailure(s: ReportStep): boolean {
  return s.kind === 'drop' || s.msg === 'neigh.failed' || s.msg === 'deliver.udp_no_socket'
}

function isDelivery(s: ReportStep): boolean {
  return s.role === 'request' && (s.msg === 'deliver.echo_request' || s.msg === 'deliver.udp')
}

/** The namespaces and devices a probe visits on its way (veth crossings count both ends). */
function pathOf(steps: readonly ReportStep[]): ProbeVerdict['path'] {
  const out: ProbeVerdict['path'] = []
  for (const s of steps) {
    if (s.role !== 'request' && s.role !== 'tunnel') continue
    out.push(s.device ? { netns: s.netns, device: s.device } : { netns: s.netns })
    if (s.msg === 'step.veth' && s.params.peer !== undefined) out.push({ netns: String(s.params.peerNetns ?? ''), device: String(s.params.peer) })
  }
  return out
}

/** The namespaces of a path in order, each once per visit: "pod1 → node1 → underlay → node2 → pod4". */
export function pathText(path: ProbeVerdict['path']): string {
  const names: string[] = []
  for (const h of path) if (names[names.length - 1] !== (h.netns || 'host')) names.push(h.netns || 'host')
  return names.join(' → ')
}

/** Reads a probe's trace the way a learner would, to say what happened and why. */
export function judgeProbe(rep: TraceReport, probe: Probe): ProbeVerdict {
  const { from, to } = probe
  const steps = rep.steps
  const o = rep.outcome
  const delivered = o.kind === 'reply' || o.kind === 'delivered'
  const d = steps.findIndex(isDelivery)
  const outbound = d < 0 ? steps : steps.slice(0, d + 1)
  const path = pathOf(outbound)
  const names = { from, to }
  if (delivered) return { delivered, path, why: say('probe.arrives', names) }
  if (o.kind === 'local-error') {
    const first = steps[0]
    const reasonText = o.mtu !== undefined ? say('why.too_big_local', { len: 28 + (probe.size ?? (probe.proto === 'icmp' ? 56 : 32)), mtu: o.mtu }) : first?.msg === 'route.output_none' ? say('why.no_route', { dst: rep.to.ip }) : { en: o.message, ja: o.message }
    return { delivered, path, at: from, reason: o.mtu !== undefined ? 'too_big' : 'no_route', reasonText, why: say('probe.not_sent', { ...names, reason: reasonText }) }
  }
  const failure = (list: readonly ReportStep[], roles: readonly ReportStep['role'][]): ReportStep | undefined => list.find((s) => roles.includes(s.role) && isFailure(s))
  const explain = (s: ReportStep, list: readonly ReportStep[]): Text => {
    if (s.msg !== 'neigh.failed') return reasonOf(s)
    // An ARP request that was dropped on its way says more than "no reply".
    const arpDrop = list.find((x) => x.role === 'arp' && x.kind === 'drop' && x.n < s.n)
    if (!arpDrop) return reasonOf(s)
    return say('why.neigh_failed_at', { ip: s.params.ip, dev: s.params.dev, at: arpDrop.netns || 'host', reason: reasonOf(arpDrop) })
  }
  const verdict = (key: 'probe.dropped_at' | 'probe.reply_dropped_at', s: ReportStep, list: readonly ReportStep[]): ProbeVerdict => {
    const reasonText = explain(s, list)
    const params: Record<string, Param> = { ...names, at: s.netns || 'host', reason: reasonText }
    return { delivered, path, at: s.netns || 'host', reason: reasonId(s.msg), reasonText, why: say(key, params) }
  }
  const out = failure(outbound, ['request', 'tunnel'])
  if (out) return verdict('probe.dropped_at', out, outbound)
  if (d >= 0) {
    const back = steps.slice(d + 1)
    const r = failure(back, ['reply', 'tunnel'])
    if (r) return verdict('probe.reply_dropped_at', r, back)
    const last = [...back].reverse().find((s) => s.role === 'reply' || s.role === 'tunnel')
    return { delivered, path, reason: 'timeout', reasonText: say('why.timeout'), why: say('probe.reply_lost', { ...names, at: last?.netns || to }) }
  }
  const last = [...outbound].reverse().find((s) => s.role === 'request' || s.role === 'tunnel')
  return { delivered, path, at: last?.netns, reason: 'timeout', reasonText: say('why.timeout'), why: say('probe.lost', { ...names, at: last?.netns || from }) }
}
