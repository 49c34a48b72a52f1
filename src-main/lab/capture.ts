// Packet captures of a lab: what chosen interfaces saw while one probe went through (podnet
// capture), or every frame of a trace (the app's export), written as pcapng (one interface block
// per device) or classic pcap. Timestamps are simulated time counted from the lab's epoch.
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { formatMessage, type Lang } from '../../shared/messages/index.ts'
import { hexToBytes, type TraceEventJson } from '../../shared/trace.ts'
import { writePcap } from './pcap.ts'
import { writePcapng, type Direction } from './pcapng.ts'
import { traceInLab, type TraceReport, type TraceRequest } from './trace-report.ts'

/**
 * The lab's epoch: simulated time 0 of every lab is 2000-01-01T00:00:00Z. A capture's first
 * frame is therefore a few seconds after midnight of that day (what the lab's tcpdump prints as
 * the time of day), never a date in 1970.
 */
export const LAB_EPOCH_SEC = 946_684_800
export const LAB_EPOCH_NS = BigInt(LAB_EPOCH_SEC) * 1_000_000_000n

export type CaptureFormat = 'pcapng' | 'pcap'

export interface CaptureInterface {
  /** '' is the root namespace. */
  netns: string
  /** '' for a step that happens in a namespace at no device. */
  device: string
  /** What its records hold: Ethernet frames (default), or bare IPv4 packets (steps at the IP layer). */
  layer?: 'ethernet' | 'ipv4'
}

/** pcapng's link type of bare IPv4 packets (LINKTYPE_IPV4). */
export const LINKTYPE_IPV4 = 228

export interface CapturedFrame {
  /** Index into Capture.interfaces. */
  iface: number
  /** Simulated time in ns. */
  timeNs: number
  frame: Uint8Array
  /** Which way the frame went (a step at the IP layer has none). */
  direction?: Direction
  /** The trace's words for this frame at this device. */
  comment?: string
}

export interface Capture {
  interfaces: CaptureInterface[]
  frames: CapturedFrame[]
}

/** What Wireshark calls the interface: `pod1:eth0` (`host:eth0` in the root namespace). */
export function interfaceName(i: CaptureInterface): string {
  const name = i.device ? `${i.netns || 'host'}:${i.device}` : i.netns || 'host'
  return i.layer === 'ipv4' ? `${name} (IPv4)` : name
}

function interfaceDescription(i: CaptureInterface): string {
  const where = i.netns ? `network namespace ${i.netns}` : 'the root network namespace'
  const at = i.device ? `${i.device} in ${where}` : where
  return i.layer === 'ipv4' ? `IPv4 packets at the IP layer of ${at}` : at
}

/** The capture as a file. pcap has no interfaces: its frames are merged in time order. */
export function captureFile(cap: Capture, format: CaptureFormat, application: string): Uint8Array {
  if (format === 'pcap') return writePcap(cap.frames.map((f) => ({ timeNs: f.timeNs, frame: f.frame })), { epochSec: LAB_EPOCH_SEC })
  return writePcapng(
    { application },
    cap.interfaces.map((i) => ({ name: interfaceName(i), description: interfaceDescription(i), ...(i.layer === 'ipv4' ? { linktype: LINKTYPE_IPV4 } : {}) })),
    cap.frames.map((f) => ({ interfaceId: f.iface, timestampNs: LAB_EPOCH_NS + BigInt(f.timeNs), frame: f.frame, direction: f.direction, comment: f.comment })),
  )
}

/** Every Ethernet frame of a trace, on the device where it was sent or received. */
export function captureOfTrace(events: readonly TraceEventJson[], lang: Lang): Capture {
  const interfaces: CaptureInterface[] = []
  const index = new Map<string, number>()
  const frames: CapturedFrame[] = []
  for (const e of events) {
    if ((e.kind !== 'xmit' && e.kind !== 'recv') || !e.frame || (e.layer ?? 'ethernet') !== 'ethernet' || e.device === undefined) continue
    const key = `${e.netns}\u0000${e.device}`
    let iface = index.get(key)
    if (iface === undefined) {
      iface = interfaces.push({ netns: e.netns, device: e.device }) - 1
      index.set(key, iface)
    }
    frames.push({ iface, timeNs: e.timeNs, frame: hexToBytes(e.frame), direction: e.kind === 'xmit' ? 'outbound' : 'inbound', comment: formatMessage(e.msg, e.params, lang) })
  }
  return { interfaces, frames }
}

/** A step as captureOfSteps needs it (TraceStepView has all of it). */
export interface CapturableStep {
  n: number
  netns: string
  device?: string
  msg: string
  params: Record<string, string | number>
  timeNs: number
  frameEvent?: number
}

/**
 * Every numbered step's packet as the header inspector shows it, one record per step that has
 * bytes, with "Step N: what happened" as its comment: frames on an Ethernet interface per device,
 * packets at the IP layer (a FIB lookup, a drop before the link header) on a raw IPv4 one. What
 * Wireshark then shows step by step is exactly what the inspector decodes.
 */
export function captureOfSteps(steps: readonly CapturableStep[], events: readonly TraceEventJson[], lang: Lang): Capture {
  const bySeq = new Map(events.map((e) => [e.seq, e]))
  const interfaces: CaptureInterface[] = []
  const index = new Map<string, number>()
  const frames: CapturedFrame[] = []
  for (const s of steps) {
    const e = s.frameEvent === undefined ? undefined : bySeq.get(s.frameEvent)
    if (!e?.frame) continue
    const layer = e.layer ?? 'ethernet'
    const key = `${e.netns}\u0000${e.device ?? ''}\u0000${layer}`
    let iface = index.get(key)
    if (iface === undefined) {
      iface = interfaces.push({ netns: e.netns, device: e.device ?? '', layer }) - 1
      index.set(key, iface)
    }
    const comment = `${formatMessage('step.number', { n: s.n }, lang)} ${formatMessage(s.msg, s.params, lang)}`
    const frame: CapturedFrame = { iface, timeNs: e.timeNs, frame: hexToBytes(e.frame), comment }
    if (e.kind === 'xmit' || e.kind === 'recv') frame.direction = e.kind === 'xmit' ? 'outbound' : 'inbound'
    frames.push(frame)
  }
  return { interfaces, frames }
}

/** A capture request that names a missing namespace or device. */
export class CaptureRequestError extends Error {}

/** `NS:DEV` (one device), `NS` (all its devices); '' for NS is the root namespace. */
export interface InterfaceSelector {
  netns: string
  device?: string
}

export interface ProbeCaptureOptions {
  /** The interfaces to capture on; `'all'` keeps every device that carried a frame. */
  interfaces: readonly InterfaceSelector[] | 'all'
  /** Put the captured devices in promiscuous mode while capturing, as tcpdump does (default). */
  promisc?: boolean
}

function resolve(world: World, sel: readonly InterfaceSelector[]): CaptureInterface[] {
  const out: CaptureInterface[] = []
  const seen = new Set<string>()
  for (const s of sel) {
    const ns = world.netns(s.netns)
    if (!ns) throw new CaptureRequestError(`no pod or namespace named "${s.netns}"`)
    const devices = s.device === undefined ? ns.deviceList().map((d) => d.name) : [s.device]
    if (s.device !== undefined && !ns.dev(s.device)) {
      throw new CaptureRequestError(`no device "${s.device}" in ${s.netns ? `namespace "${s.netns}"` : 'the root namespace'} (its devices: ${ns.deviceList().map((d) => d.name).join(', ')})`)
    }
    for (const device of devices) {
      const key = `${s.netns}\u0000${device}`
      if (!seen.has(key)) out.push({ netns: s.netns, device })
      seen.add(key)
    }
  }
  return out
}

/**
 * Traces one probe in the lab while capturing on the chosen interfaces, as tcpdump would: every
 * frame a device sends or receives during the traced probe (after the warm-up one, if any).
 * Comments carry the trace's words for each frame.
 */
export function captureProbe(world: World, cluster: Cluster | null, req: TraceRequest, opts: ProbeCaptureOptions, lang: Lang): { report: TraceReport; capture: Capture } {
  const all = opts.interfaces === 'all'
  const interfaces = all ? [] : resolve(world, opts.interfaces as readonly InterfaceSelector[])
  const index = new Map(interfaces.map((i, n) => [`${i.netns}\u0000${i.device}`, n]))
  const frames: (CapturedFrame & { event: number })[] = []
  const held: { promisc: number }[] = []
  const tap = (ev: { kind: 'xmit' | 'recv'; netns: string; device: string; timeNs: number; frame: Uint8Array }): void => {
    const key = `${ev.netns}\u0000${ev.device}`
    let iface = index.get(key)
    if (iface === undefined) {
      if (!all) return
      iface = interfaces.push({ netns: ev.netns, device: ev.device }) - 1
      index.set(key, iface)
    }
    // The recorder pushes this frame's trace event right after its taps ran (numbered on from the
    // events of the probes before).
    frames.push({ iface, timeNs: ev.timeNs, frame: ev.frame.slice(), direction: ev.kind === 'xmit' ? 'outbound' : 'inbound', event: eventOffset + world.trace.events.length })
  }
  let eventOffset = 0
  const start = (offset: number): void => {
    eventOffset = offset
    if (offset > 0) return
    if (opts.promisc !== false) {
      for (const i of interfaces) {
        const dev = world.netns(i.netns)!.dev(i.device)!
        dev.promisc++
        held.push(dev)
      }
    }
    world.trace.taps.add(tap)
  }
  let report: TraceReport
  try {
    report = traceInLab(world, cluster, req, lang, { beforeProbe: start })
  } finally {
    world.trace.taps.delete(tap)
    for (const dev of held) dev.promisc--
  }
  for (const f of frames) {
    const e = report.events[f.event]
    const i = interfaces[f.iface]
    if (e && (e.kind === 'xmit' || e.kind === 'recv') && e.netns === i.netns && e.device === i.device) f.comment = formatMessage(e.msg, e.params, lang)
  }
  return { report, capture: { interfaces, frames: frames.map(({ event: _event, ...f }) => f) } }
}
