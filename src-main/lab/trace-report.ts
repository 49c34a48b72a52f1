import { formatIpv4, parseIpv4 } from '../engine/addr/ipv4.ts'
import type { World } from '../engine/kernel/world.ts'
import { sendProbe, type ProbeOutcome, type ProbeProto } from '../engine/trace/probe.ts'
import { traceSteps, type Step } from '../engine/trace/steps.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { formatMessage, type Lang } from '../../shared/messages/index.ts'
import { traceEventToJson, type TraceEventJson } from '../../shared/trace.ts'
import { icmpText } from '../engine/commands/ping.ts'

export interface TraceRequest {
  from: string
  to: string
  proto?: ProbeProto
  port?: number
  size?: number
  df?: boolean
  /** Send one probe first so ARP caches and FDBs are warm. */
  warm?: boolean
}

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
}

export interface TraceReport {
  from: { name: string; ip: string }
  to: { name: string | null; ip: string }
  proto: ProbeProto
  outcome: ProbeOutcome
  verdict: string
  steps: ReportStep[]
  events: TraceEventJson[]
}

/** A problem with a trace request (unknown pod, bad address): names what is wrong. */
export class TraceRequestError extends Error {}

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
  if (!ns) throw new TraceRequestError(`no pod or namespace named "${to}"`)
  const eth0 = ns.dev('eth0')
  const addr = eth0?.inet[0]?.local ?? ns.deviceList().find((d) => !d.isLoopback && d.inet.length)?.inet[0].local
  if (addr === undefined) throw new TraceRequestError(`"${to}" has no IPv4 address to send to`)
  return { name: to, ip: addr }
}

function stepText(s: Step, lang: Lang): string {
  if (s.crossing) {
    const c = s.crossing
    return formatMessage('step.veth', { fromDev: c.fromDev, fromNs: c.fromNetns || 'host', toDev: c.toDev, toNs: c.toNetns || 'host' }, lang)
  }
  return formatMessage(s.event.msg, s.event.params, lang)
}

/** The one-line result of a probe, e.g. "the packet from pod1 reaches pod4". */
export function verdictOf(o: ProbeOutcome, from: string, to: string, lang: Lang): string {
  switch (o.kind) {
    case 'reply':
    case 'delivered':
      return formatMessage('step.verdict_delivered', { from, to }, lang)
    case 'error':
      return formatMessage('step.verdict_dropped', { reason: `${o.from}: ${icmpText(o.type, o.code, o.info)}` }, lang)
    case 'local-error':
      return formatMessage('step.verdict_dropped', { reason: o.message }, lang)
    case 'timeout':
      return formatMessage('step.verdict_dropped', { reason: formatMessage('step.no_answer', {}, lang) }, lang)
  }
}

/**
 * Sends a probe in a running lab and explains its walk as numbered steps. `beforeProbe` runs just
 * before the traced probe (after the warm-up one): a capture starts there.
 */
export function traceInLab(world: World, cluster: Cluster | null, req: TraceRequest, lang: Lang = 'en', hooks: { beforeProbe?: () => void } = {}): TraceReport {
  const src = world.namespaces.get(req.from)
  if (!src) throw new TraceRequestError(`no pod or namespace named "${req.from}"`)
  const target = resolveTarget(world, cluster, req.to)
  const proto = req.proto ?? 'icmp'
  const opts = { proto, port: req.port, size: req.size, df: req.df }
  if (req.warm) sendProbe(world, src, target.ip, opts)
  hooks.beforeProbe?.()
  const r = sendProbe(world, src, target.ip, opts)
  const steps = traceSteps(r.events, r.packet)
  const fromName = req.from
  const toName = target.name ?? formatIpv4(target.ip)
  return {
    from: { name: fromName, ip: r.src },
    to: { name: target.name, ip: formatIpv4(target.ip) },
    proto,
    outcome: r.outcome,
    verdict: verdictOf(r.outcome, fromName, toName, lang),
    steps: steps.map((s) => ({
      n: s.n,
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
    })),
    events: r.events.map(traceEventToJson),
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
