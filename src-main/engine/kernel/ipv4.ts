import { formatIpv4, isMulticastIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, ipv4MulticastMac, isBroadcastMac, isMulticastMac, MAC_BROADCAST, MAC_ZERO } from '../addr/mac.ts'
import { emitEthernet, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, frameDst, frameEthertype } from '../wire/ethernet.ts'
import { ipv4Dst, IPPROTO_ICMP, IPPROTO_UDP, parseIpv4Header, type Ipv4Repr } from '../wire/ipv4.ts'
import type { NetDevice } from './device.ts'
import { BridgeDevice } from './bridge.ts'
import { RouteType, type Route } from './fib.ts'
import { routeLine } from './format.ts'
import { fragment, Reassembler } from './frag.ts'
import type { Netns } from './netns.ts'
import { pathMtu, routeInput, type OutputRoute } from './route.ts'
import { forwardedCopy, PktType, Skb } from './skb.ts'

/**
 * The IPv4 path of one namespace: receive (ip_rcv), route input, forward (ip_forward), local
 * delivery, and output through the neighbour layer (ip_finish_output2). Every decision is a
 * trace step naming the table entry that made it.
 */
export class Ipv4Stack {
  /** Created by the first fragment that arrives. */
  private reasm: Reassembler | null = null
  private ident = 0

  constructor(private readonly ns: Netns) {}

  /** Next IP ID for packets without DF (the kernel hashes per destination; a counter is enough here). */
  nextId(): number {
    this.ident = (this.ident + 1) & 0xffff
    return this.ident
  }

  /** __netif_receive_skb: a frame handed to this namespace's stack by dev. */
  receive(dev: NetDevice, skb: Skb, pktTypeHint?: PktType): void {
    const frame = skb.data
    if (frame.length < ETHERNET_HEADER_LEN) return
    const pktType = pktTypeHint ?? pktTypeOf(dev, frame)
    switch (frameEthertype(frame)) {
      case ETHERTYPE_IPV4:
        this.ipRcv(dev, skb, pktType)
        return
      case ETHERTYPE_ARP:
        if (dev.isLoopback) return
        this.ns.arp.receive(dev, skb, pktType)
        return
      default:
        // IPv6 and everything else: not simulated beyond the link layer (VethDevice.xmit relies
        // on this to only count IPv6 frames that reach a host).
        return
    }
  }

  private ipRcv(dev: NetDevice, frameSkb: Skb, pktType: PktType): void {
    const trace = this.ns.world.trace
    if (pktType === PktType.OtherHost) {
      trace.drop(this.ns, dev, frameSkb, 'ethernet', 'drop.not_for_us', { dev: dev.name, mac: formatMac(frameDst(frameSkb.data)) })
      return
    }
    let ip: Ipv4Repr
    try {
      ip = parseIpv4Header(frameSkb.data, ETHERNET_HEADER_LEN)
    } catch (e) {
      trace.drop(this.ns, dev, frameSkb, 'ethernet', 'drop.ip_malformed', { dev: dev.name, reason: (e as Error).message })
      return
    }
    const skb = frameSkb.with(frameSkb.data.subarray(ETHERNET_HEADER_LEN, ETHERNET_HEADER_LEN + ip.totalLen))
    const d = routeInput(this.ns, dev, ip.src, ip.dst)
    switch (d.kind) {
      case 'martian':
        trace.drop(this.ns, dev, skb, 'ipv4', d.reason === 'source' ? 'drop.martian_source' : 'drop.martian_destination', { src: formatIpv4(ip.src), dst: formatIpv4(ip.dst), dev: dev.name })
        return
      case 'error':
        if (trace.enabled) trace.packet('route', this.ns, dev, skb, 'ipv4', this.ns.sysctl.forwarding(dev.name) ? 'route.input_none' : 'route.not_forwarding', { dst: formatIpv4(ip.dst), dev: dev.name, errno: d.errno })
        this.ns.icmp.routeError(skb, ip, dev, d.errno)
        return
      case 'local':
        if (trace.enabled) trace.packet('route', this.ns, dev, skb, 'ipv4', d.broadcast ? 'route.input_broadcast' : 'route.input_local', { dst: formatIpv4(ip.dst), dev: dev.name }, d.route ? routeLine(d.route) : undefined)
        this.localDeliver(dev, skb, ip, d.broadcast || pktType !== PktType.Host)
        return
      case 'forward':
        if (trace.enabled) trace.packet('route', this.ns, dev, skb, 'ipv4', 'route.input_forward', { dst: formatIpv4(ip.dst), via: d.route.gateway ? formatIpv4(d.route.gateway) : '', out: d.dev.name, dev: dev.name }, routeLine(d.route))
        this.forward(dev, skb, ip, d.nexthop, d.nexthop, d.dev, d.route, d.redirect, pktType)
        return
    }
  }

  /** ip_forward. */
  private forward(inDev: NetDevice, skb: Skb, ip: Ipv4Repr, gateway: Ipv4, nexthop: Ipv4, out: NetDevice, route: Route, redirect: boolean, pktType: PktType): void {
    const trace = this.ns.world.trace
    if (pktType !== PktType.Host) {
      trace.drop(this.ns, inDev, skb, 'ipv4', 'drop.forward_not_host', { dev: inDev.name })
      return
    }
    if (ip.ttl <= 1) {
      trace.drop(this.ns, inDev, skb, 'ipv4', 'drop.ttl_exceeded', { dst: formatIpv4(ip.dst), ttl: ip.ttl })
      this.ns.icmp.timeExceeded(skb, ip, inDev)
      return
    }
    const mtu = pathMtu(this.ns, route, out, ip.dst)
    if (ip.totalLen > mtu && ip.df) {
      trace.drop(this.ns, out, skb, 'ipv4', 'drop.frag_needed', { dst: formatIpv4(ip.dst), len: ip.totalLen, mtu, dev: out.name })
      this.ns.icmp.fragNeeded(skb, ip, inDev, mtu)
      return
    }
    if (redirect) this.ns.icmp.redirect(skb, ip, inDev, gateway || ip.dst)
    const fwd = skb.with(forwardedCopy(skb.data), true)
    if (trace.enabled) trace.packet('forward', this.ns, out, fwd, 'ipv4', 'forward.ttl', { src: formatIpv4(ip.src), dst: formatIpv4(ip.dst), ttl: ip.ttl - 1, out: out.name, in: inDev.name })
    this.finishOutput(out, fwd, nexthop, RouteType.Unicast, mtu, ip.df)
  }

  /** ip_local_deliver: reassembly, then raw sockets and the protocol handler. */
  private localDeliver(dev: NetDevice, skb: Skb, ip: Ipv4Repr, broadcast: boolean): void {
    let pkt = skb
    let hdr = ip
    if (ip.mf || ip.fragOffset) {
      const whole = (this.reasm ??= new Reassembler(this.ns)).add(skb, ip)
      if (!whole) return
      pkt = whole
      hdr = parseIpv4Header(whole.data, 0)
    }
    switch (hdr.protocol) {
      case IPPROTO_ICMP:
        this.ns.icmp.receive(dev, pkt, hdr, broadcast)
        return
      case IPPROTO_UDP:
        this.ns.sockets.udpReceive(dev, pkt, hdr, broadcast)
        return
      default:
        if (!broadcast) this.ns.icmp.protoUnreachable(pkt, hdr, dev)
        return
    }
  }

  /**
   * Sends a locally built IPv4 packet along an output route (ip_local_out → ip_output): over
   * loopback for local destinations, otherwise fragmenting as needed and resolving the next hop.
   */
  output(route: OutputRoute, skb: Skb): void {
    const trace = this.ns.world.trace
    if (route.type === RouteType.Local || route.dev.isLoopback) {
      if (trace.enabled) trace.packet('route', this.ns, this.ns.lo, skb, 'ipv4', 'route.output_local', { dst: formatIpv4(route.nexthop) }, route.route ? routeLine(route.route) : undefined)
      const frame = emitEthernet({ dst: MAC_ZERO, src: MAC_ZERO, ethertype: ETHERTYPE_IPV4 }, skb.data)
      this.ns.lo.xmit(skb.with(frame))
      return
    }
    // The packet was built here (its header is valid): its destination and DF bit are read as they are.
    const d = skb.data
    const mtu = pathMtu(this.ns, route.route, route.dev, ipv4Dst(d, 0))
    this.finishOutput(route.dev, skb, route.nexthop, route.type, mtu, (d[6] & 0x40) !== 0)
  }

  /** ip_finish_output: fragment if needed (DF clear), then hand each piece to the neighbour layer. */
  private finishOutput(dev: NetDevice, skb: Skb, nexthop: Ipv4, type: RouteType, mtu: number, df: boolean): void {
    if (skb.data.length > mtu) {
      if (df) {
        this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', 'drop.too_big', { len: skb.data.length, mtu, dev: dev.name })
        return
      }
      for (const piece of fragment(skb.data, mtu)) this.finishOutput2(dev, skb.with(piece, true), nexthop, type)
      return
    }
    this.finishOutput2(dev, skb, nexthop, type)
  }

  /** ip_finish_output2: broadcast/multicast map directly to a MAC; unicast goes through ARP. */
  private finishOutput2(dev: NetDevice, skb: Skb, nexthop: Ipv4, type: RouteType): void {
    if (!dev.adminUp) {
      this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', 'drop.device_down', { dev: dev.name })
      return
    }
    if (type === RouteType.Broadcast || nexthop === 0xffffffff || this.isSubnetBroadcast(dev, nexthop)) {
      this.ns.arp.transmit(dev, MAC_BROADCAST, skb)
      return
    }
    if (type === RouteType.Multicast || isMulticastIpv4(nexthop)) {
      this.ns.arp.transmit(dev, ipv4MulticastMac(nexthop), skb)
      return
    }
    this.ns.neigh.output(dev, nexthop, skb)
  }

  private isSubnetBroadcast(dev: NetDevice, ip: Ipv4): boolean {
    const r = this.ns.local.exact(ip, 32)
    for (const x of r) if (x.type === RouteType.Broadcast && x.dev === dev) return true
    return false
  }
}

/** eth_type_trans: how a frame is addressed relative to the device that received it. */
export function pktTypeOf(dev: NetDevice, frame: Uint8Array): PktType {
  const dst = frameDst(frame)
  if (isMulticastMac(dst)) return isBroadcastMac(dst) ? PktType.Broadcast : PktType.Multicast
  if (dst === dev.mac || dev.isLoopback) return PktType.Host
  if (dev instanceof BridgeDevice) {
    const e = dev.fdb.get(dst)
    if (e?.local) return PktType.Host
  }
  return PktType.OtherHost
}

export { Skb }
