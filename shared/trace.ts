import type { MessageKey } from './messages/index.ts'

/**
 * The trace of a send: what every view (canvas animation, numbered steps, header inspector,
 * captures, pcap export) is built from. Produced by the engine, read by the CLI and renderer.
 */

export type TraceKind =
  /** A process hands a packet to its namespace's stack (ping, UDP send). */
  | 'send'
  /** The FIB chose a route (or found none). */
  | 'route'
  /** The neighbour (ARP) table was consulted: hit, miss (queued), or failed. */
  | 'neigh'
  /** An ARP request or reply was emitted or consumed. */
  | 'arp'
  /** A device put a frame on its medium (veth pair, bridge port). */
  | 'xmit'
  /** A device received a frame. */
  | 'recv'
  /** A bridge decided what to do with a frame: learn, forward, flood, deliver locally. */
  | 'bridge'
  /** IP forwarding: TTL decremented, sent toward the next hop. */
  | 'forward'
  /** Delivered to a local socket or protocol handler (echo reply, UDP socket). */
  | 'deliver'
  /** An ICMP message was generated (echo reply, unreachable, time exceeded, frag needed). */
  | 'icmp'
  /** VXLAN encapsulation / decapsulation. */
  | 'encap'
  | 'decap'
  /** A control-plane action (route/neighbour/FDB programmed by flanneld, IPAM, ...). */
  | 'control'
  /** The packet was dropped; `msg` says why. */
  | 'drop'

export interface TraceEvent {
  /** Order of recording, 0-based; equal times keep this order. */
  seq: number
  /** Simulated time in nanoseconds since the world started. */
  timeNs: number
  /** Namespace where it happened ('' is the host's root namespace). */
  netns: string
  /** Device, when the step happens at one. */
  device?: string
  kind: TraceKind
  /** Message key into shared/messages; `params` fill it in. */
  msg: MessageKey
  params: Record<string, string | number>
  /** The table entry that decided, printed as Linux prints it (route, neighbour, FDB line). */
  entry?: string
  /** Which packet this step belongs to; encapsulated/ICMP-error packets name their cause. */
  packet: number
  cause?: number
  /** The frame (or IP packet for L3 steps) at this point, as bytes on the wire. */
  frame?: Uint8Array
  /** What `frame` holds. */
  layer?: 'ethernet' | 'ipv4'
}

/** A TraceEvent as JSON: bytes become lowercase hex. */
export interface TraceEventJson extends Omit<TraceEvent, 'frame'> {
  frame?: string
}

export function traceEventToJson(e: TraceEvent): TraceEventJson {
  const { frame, ...rest } = e
  const out: TraceEventJson = { ...rest }
  if (frame) out.frame = bytesToHex(frame)
  return out
}

export function bytesToHex(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  return s
}

export function hexToBytes(h: string): Uint8Array {
  if (h.length % 2 !== 0 || /[^0-9a-f]/i.test(h)) throw new Error('hex string expected')
  const out = new Uint8Array(h.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16)
  return out
}
