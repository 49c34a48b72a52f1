import type { MessageKey } from '../../../shared/messages/index.ts'
import { formatIpv4, isLimitedBroadcast, isMulticastIpv4, isZeroIpv4, type Ipv4 } from '../addr/ipv4.ts'
import {
  icmpErrorQuote, isIcmpErrorType, parseIcmp, ICMP_DEST_UNREACH, ICMP_REDIRECT, ICMP_TIME_EXCEEDED,
  ICMP_FRAG_NEEDED as UNREACH_FRAG_NEEDED, ICMP_HOST_UNREACH as UNREACH_HOST, ICMP_NET_UNREACH as UNREACH_NET,
  ICMP_PORT_UNREACH as UNREACH_PORT, ICMP_PROT_UNREACH as UNREACH_PROTOCOL, ICMP_PKT_FILTERED as UNREACH_ADMIN_PROHIBITED,
  type IcmpEchoRepr, type IcmpRepr,
} from '../wire/icmp.ts'
import { IPPROTO_ICMP, parseIpv4Header, type Ipv4Repr } from '../wire/ipv4.ts'
import type { NetDevice } from './device.ts'
import type { Errno } from './errors.ts'
import type { Netns } from './netns.ts'
import { fibLookup, liveException, routeOutput } from './route.ts'
import { NUD_VALID } from './neigh.ts'
import { HZ, jiffiesAt, msecsToJiffies } from './jiffies.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { newIcmpPacket, Skb } from './skb.ts'

/**
 * Per-peer state (inet_peer), in jiffies: one token bucket that both ip_error and the ICMP rate
 * limit draw from (so an error for a missing route costs twice), its clock rate_last, and the
 * redirect backoff, which runs on the same rate_last.
 */
interface Peer {
  tokens: number
  last: number
  redirects: number
}

const XRLIM_BURST_FACTOR = 6
const IPTOS_PREC_INTERNETCONTROL = 0xc0
/** ip_rt_redirect_number, ip_rt_redirect_load (HZ/50), ip_rt_redirect_silence. */
const REDIRECT_NUMBER = 9
const REDIRECT_LOAD = HZ / 50
const REDIRECT_SILENCE = REDIRECT_LOAD << (REDIRECT_NUMBER + 1)
/** ip_rt_error_cost and ip_rt_error_burst. */
const ERROR_COST = HZ
const ERROR_BURST = 5 * HZ
const MTU_EXPIRES_NS = 600 * NS_PER_SEC
const MIN_PMTU = 552
/** ip_rt_gc_timeout: how long a redirect's nexthop exception lives. */
const REDIRECT_EXPIRES_NS = 300 * NS_PER_SEC

/**
 * ICMP for one namespace (net/ipv4/icmp.c): echo replies, the error messages a router or host
 * sends (with the kernel's rate limits: per-peer token bucket with burst 6, a global budget, and
 * the separate ip_error limiter), and what received errors do (raw sockets, PMTU exceptions).
 */
export class Icmp {
  private readonly peers = new Map<Ipv4, Peer>()
  /** icmp_global_credit and icmp_global_stamp (per namespace, as since Linux 6.12). */
  private globalCredit = 0
  private globalStamp: number | null = null

  constructor(private readonly ns: Netns) {}

  private jiffies(): number {
    return jiffiesAt(this.ns.world.sched.now, this.ns.world.jiffiesOffsetNs)
  }

  private peer(ip: Ipv4): Peer {
    let p = this.peers.get(ip)
    if (!p) {
      // inet_getpeer starts rate_last 60 s in the past so the first burst is full.
      p = { tokens: 0, last: this.jiffies() - 60 * HZ, redirects: 0 }
      this.peers.set(ip, p)
    }
    return p
  }

  /** icmpv4_mask_allow: types outside icmp_ratemask (and frag-needed) are never limited. */
  private maskAllow(type: number, code: number): boolean {
    if (type > 18) return true
    if (type === ICMP_DEST_UNREACH && code === UNREACH_FRAG_NEEDED) return true
    return !((1 << type) & this.ns.sysctl.num('net.ipv4.icmp_ratemask'))
  }

  /**
   * icmp_global_allow: whether the namespace's budget (icmp_msgs_per_sec, icmp_msgs_burst) has
   * credit. Credit is refilled only once it is used up, at most every HZ/50.
   */
  private globalAllow(): boolean {
    if (this.globalCredit > 0) return true
    const now = this.jiffies()
    const delta = this.globalStamp === null ? HZ : Math.min(now - this.globalStamp, HZ)
    if (delta < HZ / 50) return false
    const incr = Math.floor((this.ns.sysctl.num('net.ipv4.icmp_msgs_per_sec') * delta) / HZ)
    if (!incr) return false
    this.globalStamp = now
    this.globalCredit = Math.min(this.globalCredit + incr, this.ns.sysctl.num('net.ipv4.icmp_msgs_burst'))
    return true
  }

  /**
   * icmp_global_consume: the kernel takes a random 0-2 credits per message (so that the budget
   * cannot be measured); the engine takes their mean, 1.
   */
  private globalConsume(): void {
    this.globalCredit -= 1
  }

  /** inet_peer_xrlim_allow: a token bucket of `timeout` jiffies per message, burst 6. */
  private static xrlimAllow(p: Peer, now: number, timeout: number): boolean {
    let token = p.tokens
    const delta = now - p.last
    if (delta) {
      p.last = now
      token = Math.min(token + delta, XRLIM_BURST_FACTOR * timeout)
    }
    let ok = false
    if (token >= timeout) {
      token -= timeout
      ok = true
    }
    p.tokens = token
    return ok
  }

  /** icmpv4_xrlim_allow: the per-destination limit (icmp_ratelimit), then the global credit. */
  private peerAllow(dst: Ipv4, applyRatelimit: boolean, outLoopback: boolean): boolean {
    if (!applyRatelimit) return true
    const timeout = msecsToJiffies(this.ns.sysctl.num('net.ipv4.icmp_ratelimit'))
    const ok = !timeout || outLoopback || Icmp.xrlimAllow(this.peer(dst), this.jiffies(), timeout)
    if (ok) this.globalConsume()
    return ok
  }

  /**
   * icmp_send: an error about `offending` (an IP packet). `local` marks a packet addressed to us
   * (the error then comes from the address it was sent to).
   */
  send(offending: Skb, ip: Ipv4Repr, type: number, code: number, info: number, opts: { local?: boolean; inDev?: NetDevice | null; gateway?: Ipv4 } = {}): void {
    const trace = this.ns.world.trace
    if (ip.fragOffset) return
    if (isMulticastIpv4(ip.dst) || isLimitedBroadcast(ip.dst)) return
    if (isZeroIpv4(ip.src) || isMulticastIpv4(ip.src) || isLimitedBroadcast(ip.src)) return
    // Never an error about an error (unknown types count as errors too).
    if (ip.protocol === IPPROTO_ICMP) {
      const inner = offending.data[ip.headerLen]
      if (inner > 18 || isIcmpErrorType(inner)) return
    }
    // icmpv4_global_allow, skipped for packets that came in over loopback (which then are not
    // rate limited per destination either).
    let applyRatelimit = false
    if (!(opts.inDev?.isLoopback ?? false) && !this.maskAllow(type, code)) {
      if (!this.globalAllow()) {
        if (trace.enabled) trace.note('icmp', this.ns, null, offending.id, 'icmp.rate_limited', { to: formatIpv4(ip.src), type, code })
        return
      }
      applyRatelimit = true
    }
    const saddr = opts.local ? ip.dst : 0
    let route
    try {
      route = routeOutput(this.ns, { daddr: ip.src, saddr: saddr || undefined })
    } catch {
      trace.drop(this.ns, null, offending, 'ipv4', 'drop.icmp_no_route_back', { to: formatIpv4(ip.src) })
      return
    }
    if (!this.peerAllow(ip.src, applyRatelimit, route.dev.isLoopback)) {
      if (trace.enabled) trace.note('icmp', this.ns, null, offending.id, 'icmp.rate_limited', { to: formatIpv4(ip.src), type, code })
      return
    }
    const room = Math.min(route.dev.mtu, 576) - 20 - 8
    if (room <= 20) return
    const quote = icmpErrorQuote(offending.data)
    const data = quote.length > room ? quote.subarray(0, room) : quote
    let repr: IcmpRepr
    if (type === ICMP_DEST_UNREACH) repr = { kind: 'destUnreachable', code, nextHopMtu: code === UNREACH_FRAG_NEEDED ? info : undefined, original: data }
    else if (type === ICMP_TIME_EXCEEDED) repr = { kind: 'timeExceeded', code, original: data }
    else repr = { kind: 'redirect', code, gateway: opts.gateway ?? 0, original: data }
    const src = route.src || 0xc0000008
    const tos = (ip.tos & 0x1e) | IPTOS_PREC_INTERNETCONTROL
    const ttl = this.ns.sysctl.num('net.ipv4.ip_default_ttl')
    const pkt = newIcmpPacket({ src, dst: ip.src, protocol: IPPROTO_ICMP, ttl, tos, id: this.ns.stack.nextId(), df: false, mf: false, fragOffset: 0 }, repr)
    const skb = new Skb(pkt, this.ns.world.nextPacketId(), offending.id, true)
    if (trace.enabled) trace.packet('icmp', this.ns, null, skb, 'ipv4', icmpMsgKey(type, code), { from: formatIpv4(src), to: formatIpv4(ip.src), mtu: info, gateway: opts.gateway ? formatIpv4(opts.gateway) : '' })
    this.ns.stack.output(route, skb)
  }

  /** ip_error: no route (or not forwarding) for an input packet. */
  routeError(skb: Skb, ip: Ipv4Repr, dev: NetDevice, errno: Errno): void {
    if (!this.ns.sysctl.forwarding(dev.name)) {
      this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', 'drop.not_forwarding', { dst: formatIpv4(ip.dst), dev: dev.name })
      return
    }
    let code: number
    switch (errno) {
      case 'ENETUNREACH':
        code = UNREACH_NET
        break
      case 'EHOSTUNREACH':
        code = UNREACH_HOST
        break
      case 'EACCES':
        code = UNREACH_ADMIN_PROHIBITED
        break
      default:
        this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', 'drop.blackhole', { dst: formatIpv4(ip.dst) })
        return
    }
    this.ns.world.trace.drop(this.ns, dev, skb, 'ipv4', code === UNREACH_NET ? 'drop.no_route' : 'drop.unreachable_route', { dst: formatIpv4(ip.dst), dev: dev.name })
    const p = this.peer(ip.src)
    const now = this.jiffies()
    p.tokens = Math.min(p.tokens + (now - p.last), ERROR_BURST)
    p.last = now
    if (p.tokens < ERROR_COST) {
      if (this.ns.world.trace.enabled) this.ns.world.trace.note('icmp', this.ns, dev, skb.id, 'icmp.rate_limited', { to: formatIpv4(ip.src), type: ICMP_DEST_UNREACH, code })
      return
    }
    p.tokens -= ERROR_COST
    this.send(skb, ip, ICMP_DEST_UNREACH, code, 0, { inDev: dev })
  }

  timeExceeded(skb: Skb, ip: Ipv4Repr, inDev: NetDevice): void {
    this.send(skb, ip, ICMP_TIME_EXCEEDED, 0, 0, { inDev })
  }

  fragNeeded(skb: Skb, ip: Ipv4Repr, inDev: NetDevice | null, mtu: number): void {
    this.send(skb, ip, ICMP_DEST_UNREACH, UNREACH_FRAG_NEEDED, mtu, { inDev })
  }

  protoUnreachable(skb: Skb, ip: Ipv4Repr, dev: NetDevice): void {
    this.send(skb, ip, ICMP_DEST_UNREACH, UNREACH_PROTOCOL, 0, { local: true, inDev: dev })
  }

  portUnreachable(skb: Skb, ip: Ipv4Repr, dev: NetDevice): void {
    this.send(skb, ip, ICMP_DEST_UNREACH, UNREACH_PORT, 0, { local: true, inDev: dev })
  }

  /** ipv4_link_failure: ARP gave up on the next hop of this packet. */
  linkFailure(skb: Skb): void {
    let ip: Ipv4Repr
    try {
      ip = parseIpv4Header(skb.data, 0)
    } catch {
      return
    }
    this.send(skb, ip, ICMP_DEST_UNREACH, UNREACH_HOST, 0)
  }

  /** ip_rt_send_redirect with its exponential backoff (ip_rt_redirect_number/load/silence). */
  redirect(skb: Skb, ip: Ipv4Repr, inDev: NetDevice, gateway: Ipv4): void {
    // The backoff runs on the peer's rate_last, the same field the error token bucket uses:
    // a silence also empties the bucket, and each redirect restarts the bucket's clock.
    const p = this.peer(ip.src)
    const now = this.jiffies()
    if (now - p.last > REDIRECT_SILENCE) {
      p.tokens = 0
      p.redirects = 0
    }
    if (p.redirects >= REDIRECT_NUMBER) {
      p.last = now
      return
    }
    if (p.redirects === 0 || now - p.last > REDIRECT_LOAD << p.redirects) {
      this.send(skb, ip, ICMP_REDIRECT, 1, 0, { inDev, gateway })
      p.last = now
      p.redirects++
    }
  }

  /** icmp_rcv for a packet delivered to us. */
  receive(dev: NetDevice, skb: Skb, ip: Ipv4Repr, broadcast: boolean): void {
    const trace = this.ns.world.trace
    let msg: IcmpRepr
    try {
      msg = parseIcmp(skb.data, ip.headerLen, ip.totalLen - ip.headerLen)
    } catch {
      trace.drop(this.ns, dev, skb, 'ipv4', 'drop.icmp_malformed', { dev: dev.name })
      return
    }
    this.ns.sockets.rawIcmpDeliver(skb, ip, msg)
    switch (msg.kind) {
      case 'echoRequest':
        if (broadcast && this.ns.sysctl.num('net.ipv4.icmp_echo_ignore_broadcasts')) return
        if (this.ns.sysctl.num('net.ipv4.icmp_echo_ignore_all')) return
        this.echoReply(dev, skb, ip, msg, broadcast)
        return
      case 'destUnreachable':
      case 'timeExceeded':
      case 'redirect':
        this.errorReceived(skb, ip, msg, dev)
        return
      case 'echoReply':
        if (trace.enabled) trace.packet('deliver', this.ns, dev, skb, 'ipv4', 'deliver.echo_reply', { from: formatIpv4(ip.src), seq: msg.seq, ident: msg.ident })
    }
  }

  private echoReply(dev: NetDevice, skb: Skb, ip: Ipv4Repr, msg: IcmpEchoRepr, broadcast: boolean): void {
    const trace = this.ns.world.trace
    const saddr = broadcast ? this.ns.devinet.selectAddr(dev, ip.src, 253) : ip.dst
    let route
    try {
      route = routeOutput(this.ns, { daddr: ip.src, saddr })
    } catch {
      trace.drop(this.ns, dev, skb, 'ipv4', 'drop.icmp_no_route_back', { to: formatIpv4(ip.src) })
      return
    }
    if (trace.enabled) trace.packet('deliver', this.ns, dev, skb, 'ipv4', 'deliver.echo_request', { from: formatIpv4(ip.src), to: formatIpv4(ip.dst), seq: msg.seq })
    const pkt = newIcmpPacket({ src: route.src, dst: ip.src, protocol: IPPROTO_ICMP, ttl: this.ns.sysctl.num('net.ipv4.ip_default_ttl'), tos: ip.tos, id: this.ns.stack.nextId(), df: false, mf: false, fragOffset: 0 }, { kind: 'echoReply', ident: msg.ident, seq: msg.seq, data: msg.data })
    const out = new Skb(pkt, this.ns.world.nextPacketId(), skb.id, true)
    if (trace.enabled) trace.packet('icmp', this.ns, null, out, 'ipv4', 'icmp.echo_reply', { from: formatIpv4(route.src), to: formatIpv4(ip.src), seq: msg.seq })
    this.ns.stack.output(route, out)
  }

  /** icmp_unreach / icmp_redirect: PMTU learning, then the sockets that sent the quoted packet. */
  private errorReceived(skb: Skb, ip: Ipv4Repr, msg: IcmpRepr, dev: NetDevice): void {
    if (!('original' in msg)) return
    const inner = parseQuotedHeader(msg.original)
    if (!inner) return
    if (msg.kind === 'destUnreachable' && msg.code === UNREACH_FRAG_NEEDED && msg.nextHopMtu) this.updatePmtu(inner.dst, msg.nextHopMtu)
    if (msg.kind === 'redirect' && this.redirectHandled(msg.original, inner)) this.doRedirect(dev, ip.src, msg.gateway, msg.code, inner)
    const trace = this.ns.world.trace
    if (trace.enabled) trace.packet('deliver', this.ns, null, skb, 'ipv4', 'deliver.icmp_error', { from: formatIpv4(ip.src), about: formatIpv4(inner.dst), type: msg.kind === 'destUnreachable' ? ICMP_DEST_UNREACH : msg.kind === 'timeExceeded' ? ICMP_TIME_EXCEEDED : ICMP_REDIRECT, code: msg.code })
    this.ns.sockets.icmpError(ip, msg, inner)
  }

  /**
   * Whether a redirect about this quoted packet reaches __ip_do_redirect: for an echo reply the
   * kernel sent, icmp_err always; for an echo request only through an open raw ICMP socket
   * (raw_err; ping sockets are not simulated), so a redirect that arrives after ping exited
   * changes nothing.
   */
  private redirectHandled(quote: Uint8Array, inner: Ipv4Repr): boolean {
    if (inner.protocol !== IPPROTO_ICMP || quote.length < inner.headerLen + 1) return false
    const type = quote[inner.headerLen]
    if (type === 0) return true
    return this.ns.sockets.rawIcmpOpen()
  }

  /** __ip_do_redirect: accept a better gateway for one destination as a nexthop exception. */
  private doRedirect(dev: NetDevice, oldGw: Ipv4, newGw: Ipv4, code: number, inner: Ipv4Repr): void {
    if ((code & 7) > 3) return
    let rt
    try {
      rt = routeOutput(this.ns, { daddr: inner.dst, saddr: this.ns.devinet.isLocal(inner.src) ? inner.src : undefined })
    } catch {
      return
    }
    if (!rt.route || rt.gateway !== oldGw) return
    const sc = this.ns.sysctl
    const forwarding = sc.forwarding(dev.name)
    const all = Number(sc.get('net.ipv4.conf.all.accept_redirects') ?? 1)
    const own = Number(sc.get(`net.ipv4.conf.${dev.name}.accept_redirects`) ?? 1)
    const rx = forwarding ? all && own : all || own
    if (newGw === oldGw || !rx || isMulticastIpv4(newGw) || isLimitedBroadcast(newGw) || isZeroIpv4(newGw)) return
    if (sc.devconf(dev.name, 'shared_media')) {
      // inet_addr_type: a local or broadcast address is not a gateway.
      if (this.ns.local.exact(newGw, 32).length) return
    } else {
      const onlink = dev.inet.some((ifa) => {
        const m = ifa.prefixLen === 0 ? 0 : (0xffffffff << (32 - ifa.prefixLen)) >>> 0
        return ((ifa.local ^ newGw) & m) === 0 && ((ifa.local ^ oldGw) & m) === 0
      })
      if (!onlink) return
      if (sc.devconf(dev.name, 'secure_redirects') && !this.isGatewayVia(newGw, dev)) return
    }
    const neigh = this.ns.neigh
    const n = neigh.lookup(rt.dev, newGw) ?? neigh.create(rt.dev, newGw)
    if (!(n.state & NUD_VALID)) {
      neigh.kick(n)
      return
    }
    let res
    try {
      res = fibLookup(this.ns, { daddr: inner.dst })
    } catch {
      return
    }
    const r = res.route
    if (!r.exceptions) r.exceptions = new Map()
    const old = liveException(this.ns, r, inner.dst)
    r.exceptions.set(inner.dst, { mtu: old?.mtu ?? 0, gw: newGw, expiresNs: this.ns.world.sched.now + REDIRECT_EXPIRES_NS, gen: this.ns.devinet.cacheGen })
    const trace = this.ns.world.trace
    if (trace.enabled) trace.note('route', this.ns, dev, trace.current, 'route.redirected', { dst: formatIpv4(inner.dst), via: formatIpv4(newGw), dev: dev.name })
  }

  /** ip_fib_check_default: whether some route through dev uses gw as its gateway. */
  private isGatewayVia(gw: Ipv4, dev: NetDevice): boolean {
    for (const t of this.ns.tables.values()) for (const r of t.routes()) if (r.dev === dev && r.gateway === gw) return true
    return false
  }

  /** ipv4_update_pmtu: a nexthop exception for the destination, expiring after mtu_expires. */
  updatePmtu(dst: Ipv4, mtu: number): void {
    let route
    try {
      route = routeOutput(this.ns, { daddr: dst })
    } catch {
      return
    }
    const r = route.route
    if (!r || route.dev.mtu <= mtu) {
      if (!r || route.dev.mtu <= mtu) return
    }
    const m = Math.max(mtu, MIN_PMTU)
    if (!r.exceptions) r.exceptions = new Map()
    const old = liveException(this.ns, r, dst)
    r.exceptions.set(dst, { mtu: m, gw: old?.gw, expiresNs: this.ns.world.sched.now + MTU_EXPIRES_NS, gen: this.ns.devinet.cacheGen })
  }
}

function icmpMsgKey(type: number, code: number): MessageKey {
  if (type === ICMP_TIME_EXCEEDED) return 'icmp.time_exceeded'
  if (type === ICMP_REDIRECT) return 'icmp.redirect'
  switch (code) {
    case UNREACH_NET:
      return 'icmp.net_unreachable'
    case UNREACH_HOST:
      return 'icmp.host_unreachable'
    case UNREACH_PORT:
      return 'icmp.port_unreachable'
    case UNREACH_PROTOCOL:
      return 'icmp.protocol_unreachable'
    case UNREACH_FRAG_NEEDED:
      return 'icmp.frag_needed'
    default:
      return 'icmp.unreachable'
  }
}

/** The quoted header inside an ICMP error: the datagram itself is cut short, so no length checks. */
export function parseQuotedHeader(b: Uint8Array): Ipv4Repr | null {
  if (b.length < 20 || b[0] >> 4 !== 4) return null
  const headerLen = (b[0] & 15) * 4
  if (headerLen < 20 || b.length < headerLen) return null
  const frag = (b[6] << 8) | b[7]
  return {
    tos: b[1], totalLen: (b[2] << 8) | b[3], id: (b[4] << 8) | b[5], df: (frag & 0x4000) !== 0, mf: (frag & 0x2000) !== 0,
    fragOffset: (frag & 0x1fff) * 8, ttl: b[8], protocol: b[9], headerLen,
    src: ((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]) >>> 0,
    dst: ((b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19]) >>> 0,
  }
}
