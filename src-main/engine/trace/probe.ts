import { formatIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import type { Netns } from '../kernel/netns.ts'
import { pathMtu, routeOutput } from '../kernel/route.ts'
import { NS_PER_SEC } from '../kernel/scheduler.ts'
import { newIpv4Packet, Skb } from '../kernel/skb.ts'
import type { SockError } from '../kernel/sockets.ts'
import type { World } from '../kernel/world.ts'
import { emitIcmp } from '../wire/icmp.ts'
import { IPPROTO_ICMP, IPPROTO_UDP } from '../wire/ipv4.ts'
import { emitUdp } from '../wire/udp.ts'
import { routeLine } from '../kernel/format.ts'
import type { TraceEvent } from '../../../shared/trace.ts'

export type ProbeProto = 'icmp' | 'udp'

export interface ProbeOptions {
  proto: ProbeProto
  /** Record the trace (default). Off: the packet just goes, for captures to see (a live lab). */
  record?: boolean
  /** UDP destination port (a listener is opened there for the probe). */
  port?: number
  /** UDP source port (default: one derived from the packet id). */
  sport?: number
  /** ICMP echo sequence number (default 1), as ping counts its requests. */
  seq?: number
  /** Payload bytes after the ICMP/UDP header. */
  size?: number
  df?: boolean
  ttl?: number
  /** How long to wait for the answer, in seconds of simulated time. */
  timeoutSec?: number
}

export type ProbeOutcome =
  | { kind: 'reply'; from: string; rttNs: number }
  | { kind: 'delivered'; to: string }
  | { kind: 'error'; from: string; type: number; code: number; info: number }
  | { kind: 'timeout' }
  /** The sender's own stack refused it: no route (`mtu` absent), or DF set and larger than `mtu`. */
  | { kind: 'local-error'; message: string; mtu?: number }

export interface ProbeResult {
  /** The id of the probe packet; its events and those it caused form the walk. */
  packet: number
  outcome: ProbeOutcome
  events: TraceEvent[]
  src: string
  dst: string
}

/** A probe on its way: done once answered; finish() closes its sockets and says how it went. */
export interface ProbeFlight {
  done(): boolean
  /** When it gives up waiting for the answer. */
  readonly deadlineNs: number
  finish(): ProbeResult
}

/**
 * Sends one probe (an ICMP echo request, or a UDP datagram to a port that listens) from a
 * namespace with the trace on, and runs the World until the answer comes back or the timeout
 * passes. What `podnet trace` and the UI's "send a packet" are built on.
 */
export function sendProbe(world: World, from: Netns, dst: Ipv4, opts: ProbeOptions): ProbeResult {
  const flight = launchProbe(world, from, dst, opts)
  world.sched.runUntil(flight.done, flight.deadlineNs)
  return flight.finish()
}

/**
 * Sends one probe and returns at once: the caller runs the clock (sendProbe in one go; a live
 * lab's host while its captures watch).
 */
export function launchProbe(world: World, from: Netns, dst: Ipv4, opts: ProbeOptions): ProbeFlight {
  const record = opts.record !== false
  const size = opts.size ?? (opts.proto === 'icmp' ? 56 : 32)
  const timeout = (opts.timeoutSec ?? 5) * NS_PER_SEC
  const dstText = formatIpv4(dst)
  if (record) world.trace.start()
  const stop = (): TraceEvent[] => (record ? world.trace.stop() : [])
  const settled = (result: ProbeResult): ProbeFlight => ({ done: () => true, deadlineNs: world.sched.now, finish: () => result })
  let route
  try {
    route = routeOutput(from, { daddr: dst })
  } catch (e) {
    const message = e instanceof KernelError ? STRERROR[e.errno] : String(e)
    const id = world.nextPacketId()
    world.trace.note('route', from, null, id, 'route.output_none', { dst: dstText, errno: e instanceof KernelError ? e.errno : 'EINVAL' })
    return settled({ packet: id, outcome: { kind: 'local-error', message: `connect: ${message}` }, events: stop(), src: '', dst: dstText })
  }
  const src = route.src
  const ttl = opts.ttl ?? from.sysctl.num('net.ipv4.ip_default_ttl')
  const total = 28 + size
  const mtu = route.route ? pathMtu(from, route.route, route.dev, dst) : route.dev.mtu
  const df = opts.df ?? total <= mtu
  const id = world.nextPacketId()
  const data = new Uint8Array(size)
  for (let i = 0; i < size; i++) data[i] = i & 0xff
  let outcome: ProbeOutcome | null = null
  const start = world.sched.now
  const ident = 0x5044 // "PD"
  const sport = opts.sport ?? 40000 + (id % 20000)
  const seq = opts.seq ?? 1
  const dport = opts.port ?? 9999
  const closers: (() => void)[] = []
  const onError = (err: SockError): void => {
    if (!outcome) outcome = { kind: 'error', from: formatIpv4(err.offender), type: err.type, code: err.code, info: err.info }
  }
  let payload: Uint8Array
  if (opts.proto === 'icmp') {
    closers.push(from.sockets.openRawIcmp({
      onPacket: (ip, msg) => {
        if (msg.kind === 'echoReply' && msg.ident === ident && msg.seq === seq && !outcome) outcome = { kind: 'reply', from: formatIpv4(ip.src), rttNs: world.sched.now - start }
      },
      onError,
    }))
    payload = emitIcmp({ kind: 'echoRequest', ident, seq, data })
  } else {
    closers.push(from.sockets.bindUdp({ port: sport, addr: 0, onDatagram: () => {}, onError }))
    // The destination listens on the port, as `nc -lu PORT` would, when it is one of our namespaces.
    for (const ns of [world.root, ...world.namespaces.values()]) {
      if (ns.devinet.isLocal(dst) && !ns.sockets.udpBound(dport)) {
        closers.push(ns.sockets.bindUdp({ port: dport, addr: 0, onDatagram: () => {
          if (!outcome) outcome = { kind: 'delivered', to: ns.name }
        } }))
      }
    }
    payload = emitUdp(sport, dport, data, src, dst)
  }
  const pkt = newIpv4Packet({ src, dst, protocol: opts.proto === 'icmp' ? IPPROTO_ICMP : IPPROTO_UDP, ttl, tos: 0, id: df ? 0 : from.stack.nextId(), df, mf: false, fragOffset: 0 }, payload)
  const skb = new Skb(pkt, id, undefined, true)
  world.trace.packet('send', from, null, skb, 'ipv4', opts.proto === 'icmp' ? 'send.echo_request' : 'send.udp', { src: formatIpv4(src), dst: dstText, seq, ns: from.name, sport, dport })
  world.trace.packet('route', from, route.dev, skb, 'ipv4', route.type === 2 ? 'route.output_local' : 'route.output', { dst: dstText, via: route.gateway ? formatIpv4(route.gateway) : '', out: route.dev.name, src: formatIpv4(src) }, route.route ? routeLine(route.route) : undefined)
  if (opts.df && total > mtu) {
    for (const c of closers) c()
    return settled({ packet: id, outcome: { kind: 'local-error', message: `local error: message too long, mtu=${mtu}`, mtu }, events: stop(), src: formatIpv4(src), dst: dstText })
  }
  from.stack.output(route, skb)
  return {
    done: () => outcome !== null,
    deadlineNs: start + timeout,
    finish: () => {
      for (const c of closers) c()
      return { packet: id, outcome: outcome ?? { kind: 'timeout' }, events: stop(), src: formatIpv4(src), dst: dstText }
    },
  }
}
