import type { TraceEvent } from '../../../shared/trace.ts'

/** One line of the numbered walk through a trace. */
export interface Step {
  n: number
  event: TraceEvent
  /** What the packet is in the story: the probe, an ARP exchange, the reply, an ICMP error, a tunnel packet. */
  role: 'request' | 'arp' | 'reply' | 'error' | 'tunnel'
  /** For a veth crossing merged from xmit + recv: where it came from and where it arrived. */
  crossing?: { fromNetns: string; fromDev: string; toNetns: string; toDev: string }
}

/** The probe packet and every packet it caused (ARP, reply, errors, encapsulations), transitively. */
export function relatedPackets(events: readonly TraceEvent[], root: number): Set<number> {
  const rel = new Set<number>([root])
  let grew = true
  while (grew) {
    grew = false
    for (const e of events) {
      if (e.cause !== undefined && rel.has(e.cause) && !rel.has(e.packet)) {
        rel.add(e.packet)
        grew = true
      }
    }
  }
  return rel
}

/** What each related packet is, from the first thing the trace says about it. */
function packetRoles(events: readonly TraceEvent[], rel: Set<number>, root: number): Map<number, Step['role']> {
  const roles = new Map<number, Step['role']>([[root, 'request']])
  for (const e of events) {
    if (!rel.has(e.packet) || roles.has(e.packet)) continue
    if (e.kind === 'arp' || e.msg.startsWith('arp.')) roles.set(e.packet, 'arp')
    else if (e.kind === 'encap') roles.set(e.packet, 'tunnel')
    else if (e.msg === 'icmp.echo_reply') roles.set(e.packet, 'reply')
    else if (e.kind === 'icmp') roles.set(e.packet, 'error')
  }
  // A frame unwrapped by VXLAN keeps the id of the packet inside, so it continues that story.
  return roles
}

/**
 * The walk as numbered steps: the events of the probe and what it caused, with each veth
 * crossing (transmit on one end, receive on the other) folded into one step, as the article
 * tells it ("leaves pod1 via eth0, arrives in the root namespace on vethxxx").
 */
export function traceSteps(events: readonly TraceEvent[], root: number): Step[] {
  const rel = relatedPackets(events, root)
  const roles = packetRoles(events, rel, root)
  const steps: Step[] = []
  const pendingXmit = new Map<number, Step>()
  for (const e of events) {
    if (!rel.has(e.packet)) continue
    const role = roles.get(e.packet) ?? 'error'
    if (e.kind === 'xmit' && e.msg === 'xmit.veth') {
      const s: Step = { n: 0, event: e, role, crossing: { fromNetns: e.netns, fromDev: e.device ?? '', toNetns: String(e.params.peerNetns ?? ''), toDev: String(e.params.peer ?? '') } }
      pendingXmit.set(e.packet, s)
      steps.push(s)
      continue
    }
    if (e.kind === 'recv') {
      const x = pendingXmit.get(e.packet)
      if (x && x.crossing && x.crossing.toDev === e.device && x.crossing.toNetns === e.netns) {
        pendingXmit.delete(e.packet)
        continue
      }
    }
    if (e.kind === 'xmit' || e.kind === 'recv') continue
    steps.push({ n: 0, event: e, role })
  }
  steps.forEach((s, i) => (s.n = i + 1))
  return steps
}
