import type { TraceEvent, TraceKind } from '../../../shared/trace.ts'
import type { MessageKey, MessageParams } from '../../../shared/messages/index.ts'

/** What the recorder needs to know about a place; kept structural so the trace layer stays below the kernel. */
interface Place {
  readonly name: string
}
interface PacketRef {
  readonly id: number
  readonly cause?: number
  readonly data: Uint8Array
}

/**
 * Records trace events while enabled; every call is a cheap no-op otherwise, so the hot path
 * (benchmarks, long pings) pays nothing. One recorder per World.
 */
export class TraceRecorder {
  enabled = false
  events: TraceEvent[] = []
  /** The packet being handled now, for notes that have no frame of their own. */
  current = 0
  /** Hard cap so a runaway flood cannot exhaust memory; later events are counted, not kept. */
  limit = 200_000
  dropped = 0
  /** Frame observers (captures): called for every xmit/recv even when the trace is off. */
  readonly taps = new Set<(ev: { kind: 'xmit' | 'recv'; netns: string; device: string; timeNs: number; frame: Uint8Array }) => void>()

  constructor(private readonly clock: { readonly now: number }) {}

  /** Whether frame() does anything: callers skip building its parameters otherwise. */
  get observing(): boolean {
    return this.enabled || this.taps.size > 0
  }

  start(): void {
    this.enabled = true
    this.events = []
    this.dropped = 0
  }

  stop(): TraceEvent[] {
    this.enabled = false
    const out = this.events
    this.events = []
    return out
  }

  private push(e: Omit<TraceEvent, 'seq' | 'timeNs'>): void {
    if (this.events.length >= this.limit) {
      this.dropped++
      return
    }
    const ev = e as TraceEvent
    ev.seq = this.events.length
    ev.timeNs = this.clock.now
    this.events.push(ev)
  }

  /** A frame crossing a device (xmit or recv). */
  frame<K extends MessageKey>(kind: 'xmit' | 'recv', netns: Place, dev: Place, skb: PacketRef, msg: K, params: MessageParams<NoInfer<K>>): void {
    if (this.taps.size) for (const tap of this.taps) tap({ kind, netns: netns.name, device: dev.name, timeNs: this.clock.now, frame: skb.data })
    if (!this.enabled) return
    this.push({ netns: netns.name, device: dev.name, kind, msg, params, packet: skb.id, cause: skb.cause, frame: skb.data, layer: 'ethernet' })
  }

  /** A decision or happening with no new bytes of its own. */
  note<K extends MessageKey>(kind: TraceKind, netns: Place, dev: Place | null, packet: number, msg: K, params: MessageParams<NoInfer<K>>, entry?: string): void {
    if (!this.enabled) return
    const e: Omit<TraceEvent, 'seq' | 'timeNs'> = { netns: netns.name, kind, msg, params, packet }
    if (dev) e.device = dev.name
    if (entry !== undefined) e.entry = entry
    this.push(e)
  }

  /** A step that carries the IP packet (L3) or frame at that point. */
  packet<K extends MessageKey>(kind: TraceKind, netns: Place, dev: Place | null, skb: PacketRef, layer: 'ethernet' | 'ipv4', msg: K, params: MessageParams<NoInfer<K>>, entry?: string): void {
    if (!this.enabled) return
    const e: Omit<TraceEvent, 'seq' | 'timeNs'> = { netns: netns.name, kind, msg, params, packet: skb.id, cause: skb.cause, frame: skb.data, layer }
    if (dev) e.device = dev.name
    if (entry !== undefined) e.entry = entry
    this.push(e)
  }

  /** The packet was dropped; `layer` says what its bytes are at that point (a frame, or an IP packet). */
  drop<K extends MessageKey>(netns: Place, dev: Place | null, skb: PacketRef, layer: 'ethernet' | 'ipv4', msg: K, params: MessageParams<NoInfer<K>>, entry?: string): void {
    if (!this.enabled) return
    const e: Omit<TraceEvent, 'seq' | 'timeNs'> = { netns: netns.name, kind: 'drop', msg, params, packet: skb.id, cause: skb.cause, frame: skb.data, layer }
    if (dev) e.device = dev.name
    if (entry !== undefined) e.entry = entry
    this.push(e)
  }
}
