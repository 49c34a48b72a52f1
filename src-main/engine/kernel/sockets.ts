import type { Ipv4 } from '../addr/ipv4.ts'
import type { IcmpRepr } from '../wire/icmp.ts'
import { IPPROTO_ICMP, IPPROTO_UDP, type Ipv4Repr } from '../wire/ipv4.ts'
import { parseUdp } from '../wire/udp.ts'
import type { NetDevice } from './device.ts'
import type { Netns } from './netns.ts'
import type { Skb } from './skb.ts'
import { formatIpv4 } from '../addr/ipv4.ts'
import { KernelError } from './errors.ts'
import type { VxlanDevice } from './vxlan.ts'

/** An error queued for a socket (IP_RECVERR): from an ICMP message or generated locally. */
export interface SockError {
  origin: 'icmp' | 'local'
  /** Who sent the ICMP error (0 for local errors). */
  offender: Ipv4
  type: number
  code: number
  /** Next-hop MTU for frag-needed / local EMSGSIZE, gateway for redirects. */
  info: number
  /** The quoted header of our packet and the bytes after it (ICMP echo header, UDP header). */
  quoted: Ipv4Repr
  quotedPayload: Uint8Array
}

/** A raw IPPROTO_ICMP socket, as iputils ping opens when run as root. */
export interface RawIcmpSocket {
  onPacket(ip: Ipv4Repr, msg: IcmpRepr, skb: Skb): void
  onError(err: SockError): void
}

export interface UdpSocket {
  port: number
  addr: Ipv4
  onDatagram(from: Ipv4, fromPort: number, payload: Uint8Array, ip: Ipv4Repr, skb: Skb): void
  onError?(err: SockError): void
}

/** The sockets of one namespace that the simulator's processes (ping, the UDP sender) open. */
export class Sockets {
  private readonly raw = new Set<RawIcmpSocket>()
  /** The raw sockets as a list, replaced (never changed) when one opens or closes: a delivery walks the list of its moment. */
  private rawList: readonly RawIcmpSocket[] = []
  private readonly udp = new Map<number, UdpSocket>()
  /** VXLAN devices sharing an encapsulation socket per UDP port (vxlan_sock), in the order bound; a list is replaced, never changed. */
  private readonly vxlan = new Map<number, readonly VxlanDevice[]>()

  constructor(private readonly ns: Netns) {}

  openRawIcmp(s: RawIcmpSocket): () => void {
    this.raw.add(s)
    this.rawList = [...this.raw]
    return () => {
      this.raw.delete(s)
      this.rawList = [...this.raw]
    }
  }

  /** Whether any raw ICMP socket is open (raw_icmp_error would find one). */
  rawIcmpOpen(): boolean {
    return this.raw.size > 0
  }

  bindUdp(s: UdpSocket): () => void {
    if (this.udp.has(s.port)) throw new Error(`UDP port ${s.port} in use`)
    this.udp.set(s.port, s)
    return () => {
      if (this.udp.get(s.port) === s) this.udp.delete(s.port)
    }
  }

  udpBound(port: number): boolean {
    return this.udp.has(port) || this.vxlan.has(port)
  }

  /** vxlan_sock_add: the device's port must not be held by an ordinary socket. */
  bindVxlan(dev: VxlanDevice): void {
    const port = dev.cfg.dstport
    if (this.udp.has(port)) throw new KernelError('EADDRINUSE')
    const list = this.vxlan.get(port) ?? []
    if (!list.includes(dev)) this.vxlan.set(port, [...list, dev])
  }

  unbindVxlan(dev: VxlanDevice): void {
    const list = this.vxlan.get(dev.cfg.dstport)
    if (!list) return
    const rest = list.filter((d) => d !== dev)
    if (rest.length === 0) this.vxlan.delete(dev.cfg.dstport)
    else this.vxlan.set(dev.cfg.dstport, rest)
  }

  /** raw_local_deliver: every raw ICMP socket sees every ICMP packet delivered here. */
  rawIcmpDeliver(skb: Skb, ip: Ipv4Repr, msg: IcmpRepr): void {
    // Every socket open now, even if one closes or opens another meanwhile.
    const list = this.rawList
    for (let i = 0; i < list.length; i++) list[i].onPacket(ip, msg, skb)
  }

  /** icmp_socket_deliver: the error goes to sockets of the quoted packet's protocol. */
  icmpError(ip: Ipv4Repr, msg: IcmpRepr, inner: Ipv4Repr): void {
    if (!('original' in msg)) return
    const payload = msg.original.subarray(inner.headerLen)
    const info = msg.kind === 'destUnreachable' ? msg.nextHopMtu ?? 0 : msg.kind === 'redirect' ? msg.gateway : 0
    const type = msg.kind === 'destUnreachable' ? 3 : msg.kind === 'timeExceeded' ? 11 : 5
    const err: SockError = { origin: 'icmp', offender: ip.src, type, code: msg.code, info, quoted: inner, quotedPayload: payload }
    if (inner.protocol === IPPROTO_ICMP) {
      // Redirects reach ping through its raw socket's packet path, not the error queue.
      if (msg.kind === 'redirect') return
      for (const s of this.rawList) s.onError(err)
    } else if (inner.protocol === IPPROTO_UDP && payload.length >= 2) {
      const sport = (payload[0] << 8) | payload[1]
      this.udp.get(sport)?.onError?.(err)
    }
  }

  udpReceive(dev: NetDevice, skb: Skb, ip: Ipv4Repr, broadcast: boolean): void {
    const trace = this.ns.world.trace
    let u
    try {
      u = parseUdp(skb.data, ip.headerLen, ip.totalLen - ip.headerLen, ip.src, ip.dst)
    } catch {
      trace.drop(this.ns, dev, skb, 'ipv4', 'drop.udp_malformed', { dev: dev.name })
      return
    }
    const tunnels = this.vxlan.get(u.dstPort)
    if (tunnels) {
      const start = ip.headerLen + 8
      const end = ip.headerLen + u.length
      for (let i = 0; i < tunnels.length; i++) {
        const dev = tunnels[i]
        if (dev.adminUp && dev.receiveEncapsulated(skb, ip, start, end)) return
      }
      this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', 'drop.vxlan_unknown_vni', { port: u.dstPort })
      return
    }
    const s = this.udp.get(u.dstPort)
    if (!s || (s.addr && s.addr !== ip.dst)) {
      if (trace.enabled) trace.packet('deliver', this.ns, dev, skb, 'ipv4', 'deliver.udp_no_socket', { port: u.dstPort, to: formatIpv4(ip.dst) })
      if (!broadcast) this.ns.icmp.portUnreachable(skb, ip, dev)
      return
    }
    if (trace.enabled) trace.packet('deliver', this.ns, dev, skb, 'ipv4', 'deliver.udp', { port: u.dstPort, from: formatIpv4(ip.src), to: formatIpv4(ip.dst) })
    s.onDatagram(ip.src, u.srcPort, skb.data.subarray(ip.headerLen + 8, ip.totalLen), ip, skb)
  }
}
