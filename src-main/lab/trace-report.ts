import { formatIpv4, parseIpv4 } from '../engine/addr/ipv4.ts'
import type { World } from '../engine/kernel/world.ts'
import { sendProbe, type ProbeOutcome, type ProbeProto } from '../engine/trace/probe.ts'
import { traceSteps, type Step } from '../engine/trace/steps.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { formatMessage, type Lang, type MessageKey } from '../../shared/messages/index.ts'
import { traceEventToJson, type TraceEvent, type TraceEventJson } from '../../shared/trace.ts'
import { NS_PER_SEC } from '../engine/kernel/scheduler.ts'
import { icmpText } from '../engine/commands/ping.ts'

export interface TraceRequest {
  from: string
  to: string
  proto?: ProbeProto
  /** UDP destination port. */
  port?: number
  /** UDP source port. */
  sport?: number
  size?: number
  df?: boolean
  /** Send one probe first so ARP caches and FDBs are warm. */
  warm?: boolean
  /** How many probes to trace, one second apart as ping sends them (default 1). */
  count?: number
}

/** The most probes one trace sends (each is a whole walk). */
export const MAX_TRACE_COUNT = 10

export interface ReportStep {
  n: number
  netns: string
  device?: string
  role: Step['role']
  kind: string
  msg: string
  params: Record<string, string | number>
  text: string
  entry?: string
  timeNs: number
  packet: number
  /** Which probe of the trace (1 for the first; `count` sends several). */
  probe: number
  /** `seq` of the trace event this step shows (for a veth crossing, its transmit). */
  event: number
  /** `seq` of the event whose bytes best show the packet at this step (the header inspector's). */
  frameEvent?: number
}

/** One probe of a trace: how it ended. */
export interface ProbeReport {
  probe: number
  outcome: ProbeOutcome
}

export interface TraceReport {
  from: { name: string; ip: string }
  to: { name: string | null; ip: string }
  proto: ProbeProto
  /** How the first probe ended (the only one unless `count` asked for more). */
  outcome: ProbeOutcome
  /** Every probe's outcome, in order. */
  probes: ProbeReport[]
  verdict: string
  steps: ReportStep[]
  /** Every probe's events, numbered on from one probe to the next. */
  events: TraceEventJson[]
}

/** Whether a probe got where it was sent. */
export function arrived(o: ProbeOutcome): boolean {
  return o.kind === 'reply' || o.kind === 'delivered'
}

/** A problem with a trace request (unknown pod, bad address): names what is wrong. */
export class TraceRequestError extends Error {
  constructor(
    readonly msg: MessageKey,
    readonly params: Record<string, string> = {},
  ) {
    super(formatMessage(msg, params, 'en'))
  }
}

/**
 * A step's parameters for rendering its text in any language: a veth crossing folds two events,
 * so both of its ends are named.
 */
export function stepParams(s: Pick<ReportStep, 'msg' | 'params' | 'netns' | 'device'>): Record<string, string | number> {
  const params = { ...s.params }
  if (s.msg === 'step.veth') {
    params.fromDev = s.device ?? ''
    params.fromNs = s.netns || 'host'
    params.toDev = String(s.params.peer ?? '')
    params.toNs = String(s.params.peerNetns ?? '') || 'host'
  }
  return params
}

/** Resolves `--to`: a namespace whose address it is (a pod's eth0, a node's eth0), or a bare IP. */
function resolveTarget(world: World, cluster: Cluster | null, to: string): { name: string | null; ip: number } {
  const ip = parseIpv4(to)
  if (ip !== null) {
    for (const ns of world.namespaces.values()) if (ns.devinet.isLocal(ip) && ns.deviceList().some((d) => !d.isLoopback && d.inet.some((a) => a.local === ip))) return { name: ns.name, ip }
    return { name: null, ip }
  }
  const pod = cluster?.pods().find((p) => p.name === to)
  if (pod) return { name: to, ip: pod.ip }
  const ns = world.namespaces.get(to)
  if (!ns) throw new TraceRequestError('request.no_such_ns', { name: to })
  const eth0 = ns.dev('eth0')
  const addr = eth0?.inet[0]?.local ?? ns.deviceList().find((d) => !d.isLoopback && d.inet.length)?.inet[0].local
  if (addr === undefined) throw new TraceRequestError('request.no_address', { name: to })
  return { name: to, ip: addr }
}

function stepText(s: Step, lang: Lang): string {
  if (s.crossing) {
    const c = s.crossing
    return formatMessage('step.veth', { fromDev: c.fromDev, fromNs: c.fromNetns || 'host', toDev: c.toDev, toNs: c.toNetns || 'host' }, lang)
  }
  return formatMessage(s.event.msg, s.event.params, lang)
}

/** An ICMP error in words: as iputils prints it in English, by its type and code in Japanese. */
function icmpWords(type: number, code: number, info: number, lang: Lang): string {
  if (lang === 'en') return icmpText(type, code, info)
  const exact = `icmp_name.${type}_${code}`
  const key = (exact === 'icmp_name.3_0' || exact === 'icmp_name.3_1' || exact === 'icmp_name.3_2' || exact === 'icmp_name.3_3' || exact === 'icmp_name.3_4' || exact === 'icmp_name.11_0' ? exact : type === 3 || type === 11 || type === 5 ? `icmp_name.${type}` : null) as MessageKey | null
  if (key === null) return icmpText(type, code, info)
  return formatMessage(key, { code, mtu: info, gateway: type === 5 ? formatIpv4(info) : '' }, lang)
}

/** The one-line result of a probe, e.g. "the packet from pod1 reaches pod4". */
export function verdictOf(o: ProbeOutcome, from: string, to: string, lang: Lang): string {
  switch (o.kind) {
    case 'reply':
    case 'delivered':
      return formatMessage('step.verdict_delivered', { from, to }, lang)
    case 'error':
      return formatMessage('step.verdict_dropped', { reason: `${o.from}${lang === 'ja' ? '：' : ': '}${icmpWords(o.type, o.code, o.info, lang)}` }, lang)
    case 'local-error':
      return formatMessage('step.verdict_dropped', { reason: o.message }, lang)
    case 'timeout':
      return formatMessage('step.verdict_dropped', { reason: formatMessage('step.no_answer', {}, lang) }, lang)
  }
}

/** The result line of a whole trace: one probe's verdict, or how many of several arrived. */
export function traceVerdict(probes: readonly ProbeReport[], from: string, to: string, lang: Lang): string {
  if (probes.length === 1) return verdictOf(probes[0].outcome, from, to, lang)
  const ok = probes.filter((p) => arrived(p.outcome)).length
  const failed = probes.find((p) => !arrived(p.outcome))
  const count = formatMessage('step.verdict_count', { ok, n: probes.length, from, to }, lang)
  return failed ? `${count} — ${verdictOf(failed.outcome, from, to, lang)}` : count
}

/**
 * The event whose bytes best show the packet at a step: its own, else the next one of the same
 * packet that has bytes, else the previous one.
 */
function frameEventOf(events: readonly TraceEvent[], at: number): number | undefined {
  const e = events[at]
  if (e.frame) return e.seq
  for (let j = at + 1; j < events.length; j++) if (events[j].packet === e.packet && events[j].frame) return events[j].seq
  for (let j = at - 1; j >= 0; j--) if (events[j].packet === e.packet && events[j].frame) return events[j].seq
  return undefined
}

/**
 * Sends a probe in a running lab and explains its walk as numbered steps. `beforeProbe` runs just
 * before the traced probe (after the warm-up one): a capture starts there.
 */
export function traceInLab(world: World, cluster: Cluster | null, req: TraceRequest, lang: Lang = 'en', hooks: { beforeProbe?: (eventOffset: number) => void } = {}): TraceReport {
  const src = world.namespaces.get(req.from)
  if (!src) throw new TraceRequestError('request.no_such_ns', { name: req.from })
  const target = resolveTarget(world, cluster, req.to)
  const proto = req.proto ?? 'icmp'
  const count = req.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_TRACE_COUNT) throw new TraceRequestError('request.count_range', { max: String(MAX_TRACE_COUNT), count: String(count) })
  const opts = { proto, port: req.port, sport: req.sport, size: req.size, df: req.df }
  if (req.warm) sendProbe(world, src, target.ip, opts)
  const fromName = req.from
  const toName = target.name ?? formatIpv4(target.ip)
  const events: TraceEvent[] = []
  const steps: ReportStep[] = []
  const probes: ProbeReport[] = []
  let srcIp = ''
  const first = world.sched.now
  for (let k = 1; k <= count; k++) {
    // One second apart, as ping sends them (a probe that waited for its answer longer goes on at once).
    if (k > 1) world.sched.runUntil(() => false, Math.max(world.sched.now, first + (k - 1) * NS_PER_SEC))
    const offset = events.length
    hooks.beforeProbe?.(offset)
    const r = sendProbe(world, src, target.ip, { ...opts, seq: k })
    srcIp ||= r.src
    probes.push({ probe: k, outcome: r.outcome })
    // Numbered on from the previous probe's events, so every seq names one event of the trace.
    for (const e of r.events) e.seq += offset
    const walk = traceSteps(r.events, r.packet)
    for (const s of walk) {
      const at = s.event.seq - offset
      steps.push({
        n: steps.length + 1,
        netns: s.event.netns,
        device: s.event.device,
        role: s.role,
        kind: s.event.kind,
        msg: s.crossing ? 'step.veth' : s.event.msg,
        params: s.event.params,
        text: stepText(s, lang),
        entry: s.event.entry,
        timeNs: s.event.timeNs,
        packet: s.event.packet,
        probe: k,
        event: s.event.seq,
        frameEvent: frameEventOf(r.events, at),
      })
    }
    events.push(...r.events)
  }
  return {
    from: { name: fromName, ip: srcIp },
    to: { name: target.name, ip: formatIpv4(target.ip) },
    proto,
    outcome: probes[0].outcome,
    probes,
    verdict: traceVerdict(probes, fromName, toName, lang),
    steps,
    events: events.map(traceEventToJson),
  }
}

/** The report as the CLI prints it. */
export function formatReport(rep: TraceReport, lang: Lang = 'en'): string {
  const lines: string[] = []
  const to = rep.to.name ? `${rep.to.name} (${rep.to.ip})` : rep.to.ip
  lines.push(`${formatMessage('step.header', { from: `${rep.from.name} (${rep.from.ip || '-'})`, to, proto: rep.proto === 'icmp' ? 'ICMP echo' : 'UDP' }, lang)}`)
  let role = ''
  for (const s of rep.steps) {
    const section = s.role === 'reply' ? 'reply' : s.role === 'error' ? 'error' : ''
    if (section && section !== role) lines.push(formatMessage(section === 'reply' ? 'step.section_reply' : 'step.section_error', {}, lang))
    if (section) role = section
    const where = s.device ? `${s.netns || 'host'} ${s.device}` : s.netns || 'host'
    lines.push(`${String(s.n).padStart(3)}. [${where}] ${s.text}`)
    if (s.entry) lines.push(`      ${' '.repeat(String(s.n).length)}${formatMessage('step.entry', { entry: s.entry }, lang)}`)
  }
  lines.push(rep.verdict)
  return lines.join('\n') + '\n'
}
