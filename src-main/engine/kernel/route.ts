import { isLimitedBroadcast, isLoopbackIpv4, isMulticastIpv4, isZeroIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { Scope, type NetDevice } from './device.ts'
import { KernelError, type Errno } from './errors.ts'
import { routingGen, RouteType, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type PmtuException, type Route } from './fib.ts'
import type { Netns } from './netns.ts'

/** The result of an output route lookup (a dst_entry/rtable for a locally generated packet). */
export interface OutputRoute {
  type: RouteType
  dev: NetDevice
  /** Next hop to resolve with ARP: the gateway, or the destination itself when on-link. */
  nexthop: Ipv4
  gateway: Ipv4
  src: Ipv4
  route: Route | null
  /** The route that named the device the packet really leaves by (for a local route: the owner). */
  local: boolean
}

/** Errors a route type turns into (fib_props[].error). */
export function routeTypeError(t: RouteType): Errno | null {
  switch (t) {
    case RouteType.Blackhole:
      return 'EINVAL'
    case RouteType.Unreachable:
      return 'EHOSTUNREACH'
    case RouteType.Prohibit:
      return 'EACCES'
    default:
      return null
  }
}

export interface FibResult {
  route: Route
  type: RouteType
}

export interface FlowKey {
  daddr: Ipv4
  saddr?: Ipv4
  oif?: NetDevice | null
  iif?: NetDevice | null
  scope?: Scope
  /** FIB_LOOKUP_IGNORE_LINKSTATE */
  ignoreLinkState?: boolean
}

/**
 * fib_lookup with the default rules (local, main, default). Returns the matching route, or throws
 * ENETUNREACH, or the error its type stands for (unreachable, blackhole, prohibit).
 */
const RULE_TABLES = [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]

export function fibLookup(ns: Netns, fl: FlowKey): FibResult {
  const scope = fl.scope ?? Scope.Universe
  const oif = fl.oif ?? null
  for (const id of RULE_TABLES) {
    const t = ns.tableIfAny(id)
    if (!t || t.size === 0) continue
    const r = t.lookupUsable(fl.daddr, scope, oif)
    if (!r) continue
    if (r.type === RouteType.Throw) continue
    const err = routeTypeError(r.type)
    if (err) throw new KernelError(err)
    return { route: r, type: r.type }
  }
  throw new KernelError('ENETUNREACH')
}

/** fib_result_prefsrc. */
export function resultPrefsrc(ns: Netns, r: Route): Ipv4 {
  if (r.prefsrc) return r.prefsrc
  return ns.devinet.selectAddr(r.dev, r.gateway, r.gateway ? Scope.Link : r.scope === Scope.Host ? Scope.Host : r.scope)
}

/**
 * The route cache (the kernel's dst cache): a namespace remembers its last output routes and a
 * device the last input decision for packets it received, by flow, and uses one while nothing a
 * route lookup reads has changed anywhere since (routingGen). The gateway of a redirect exception
 * and the nexthop it gives are read anew, as exceptions expire with time.
 */
export class OutputRouteCache {
  private readonly slots: (OutputCacheSlot | undefined)[] = new Array(OUTPUT_CACHE_SLOTS)

  get(daddr: Ipv4, saddr: Ipv4, oif: NetDevice | null): OutputRoute | null {
    const e = this.slots[daddr & (OUTPUT_CACHE_SLOTS - 1)]
    if (e === undefined || e.gen !== routingGen.value || e.daddr !== daddr || e.saddr !== saddr || e.oif !== oif) return null
    return e.route
  }

  set(daddr: Ipv4, saddr: Ipv4, oif: NetDevice | null, route: OutputRoute): void {
    const i = daddr & (OUTPUT_CACHE_SLOTS - 1)
    const e = this.slots[i]
    if (e === undefined) {
      this.slots[i] = { gen: routingGen.value, daddr, saddr, oif, route }
      return
    }
    e.gen = routingGen.value
    e.daddr = daddr
    e.saddr = saddr
    e.oif = oif
    e.route = route
  }
}

const OUTPUT_CACHE_SLOTS = 8

interface OutputCacheSlot {
  gen: number
  daddr: Ipv4
  saddr: Ipv4
  oif: NetDevice | null
  route: OutputRoute
}

/** A device's last input route decision (see OutputRouteCache). */
export interface InputRouteCache {
  gen: number
  ns: Netns
  saddr: Ipv4
  daddr: Ipv4
  decision: InputDecision
}

/** ip_route_output_key_hash_rcu for a locally generated packet. */
export function routeOutput(ns: Netns, fl: FlowKey): OutputRoute {
  const daddr = fl.daddr
  const cache = (ns.outputRoutes ??= new OutputRouteCache())
  const hit = cache.get(daddr, fl.saddr ?? 0, fl.oif ?? null)
  if (hit !== null) {
    const r = hit.route!
    if (r.exceptions === undefined) return hit
    const gw = redirectedGateway(ns, r, daddr) || r.gateway
    return gw === hit.gateway ? hit : { ...hit, nexthop: gw || daddr, gateway: gw }
  }
  const route = routeOutputSlow(ns, fl)
  // Only what the tables decided is kept: the special cases above the lookup are cheap.
  if (route.route !== null && route.type !== RouteType.Local) cache.set(daddr, fl.saddr ?? 0, fl.oif ?? null, route)
  return route
}

function routeOutputSlow(ns: Netns, fl: FlowKey): OutputRoute {
  let saddr = fl.saddr ?? 0
  const daddr = fl.daddr
  if (saddr) {
    if (isMulticastIpv4(saddr) || isLimitedBroadcast(saddr)) throw new KernelError('EINVAL')
    // A source that is not ours: the lookup fails as unreachable (rth = ERR_PTR(-ENETUNREACH)).
    if (!ns.devinet.hasAddress(saddr)) throw new KernelError('ENETUNREACH')
  }
  const oif = fl.oif ?? null
  if (oif) {
    // Up, with an in_device (every device has one): addresses are not needed.
    if (!oif.adminUp) throw new KernelError('ENETUNREACH')
    if (isLimitedBroadcast(daddr) || (isMulticastIpv4(daddr) && (daddr & 0xffffff00) >>> 0 === 0xe0000000)) {
      if (!saddr) saddr = ns.devinet.selectAddr(oif, 0, Scope.Link)
      return { type: isLimitedBroadcast(daddr) ? RouteType.Broadcast : RouteType.Multicast, dev: oif, nexthop: daddr, gateway: 0, src: saddr, route: null, local: false }
    }
  }
  if (isZeroIpv4(daddr)) {
    const d = saddr || 0x7f000001
    return { type: RouteType.Local, dev: ns.lo, nexthop: d, gateway: 0, src: saddr || d, route: null, local: true }
  }
  let res: FibResult
  try {
    res = fibLookup(ns, { daddr, saddr, oif })
  } catch (e) {
    if (oif && e instanceof KernelError && e.errno === 'ENETUNREACH') {
      // "Apparently, routing tables are wrong. Assume that the destination is on link."
      if (!saddr) saddr = ns.devinet.selectAddr(oif, 0, Scope.Link)
      return { type: RouteType.Unicast, dev: oif, nexthop: daddr, gateway: 0, src: saddr, route: null, local: false }
    }
    throw e
  }
  const r = res.route
  if (res.type === RouteType.Local) {
    if (!saddr) saddr = r.prefsrc || daddr
    return { type: RouteType.Local, dev: ns.lo, nexthop: daddr, gateway: 0, src: saddr, route: r, local: true }
  }
  if (!saddr) saddr = resultPrefsrc(ns, r)
  const dev = r.dev!
  let type = res.type
  if (isLimitedBroadcast(daddr)) type = RouteType.Broadcast
  else if (isMulticastIpv4(daddr)) type = RouteType.Multicast
  // A nexthop exception from an accepted redirect replaces the gateway for this destination.
  const gw = redirectedGateway(ns, r, daddr) || r.gateway
  return { type, dev, nexthop: gw || daddr, gateway: gw, src: saddr, route: r, local: dev.isLoopback }
}

export type InputDecision =
  | { kind: 'local'; route: Route | null; broadcast: boolean }
  | { kind: 'forward'; route: Route; dev: NetDevice; nexthop: Ipv4; redirect: boolean }
  | { kind: 'error'; errno: Errno; route: Route | null }
  | { kind: 'martian'; reason: 'source' | 'destination' }

/** ip_route_input for a packet that arrived on dev: the device's cached decision, or the slow path. */
export function routeInput(ns: Netns, dev: NetDevice, saddr: Ipv4, daddr: Ipv4): InputDecision {
  const c = dev.inputRoute
  if (c !== null && c.gen === routingGen.value && c.saddr === saddr && c.daddr === daddr && c.ns === ns) {
    const d = c.decision
    if (d.kind !== 'forward' || d.route.exceptions === undefined) return d
    return { kind: 'forward', route: d.route, dev: d.dev, nexthop: redirectedGateway(ns, d.route, daddr) || d.route.gateway || daddr, redirect: d.redirect }
  }
  const d = routeInputSlow(ns, dev, saddr, daddr)
  if (c === null) dev.inputRoute = { gen: routingGen.value, ns, saddr, daddr, decision: d }
  else {
    c.gen = routingGen.value
    c.ns = ns
    c.saddr = saddr
    c.daddr = daddr
    c.decision = d
  }
  return d
}

/** ip_route_input_slow for a packet that arrived on dev. */
function routeInputSlow(ns: Netns, dev: NetDevice, saddr: Ipv4, daddr: Ipv4): InputDecision {
  if (isMulticastIpv4(saddr) || isLimitedBroadcast(saddr)) return { kind: 'martian', reason: 'source' }
  if (isLimitedBroadcast(daddr) || (saddr === 0 && daddr === 0xffffffff)) return { kind: 'local', route: null, broadcast: true }
  if (isMulticastIpv4(daddr)) return { kind: 'local', route: null, broadcast: true }
  if (isZeroIpv4(saddr)) return { kind: 'martian', reason: 'source' }
  if (isZeroIpv4(daddr)) return { kind: 'martian', reason: 'destination' }
  if (isLoopbackIpv4(daddr) && !dev.isLoopback) return { kind: 'martian', reason: 'destination' }
  if (isLoopbackIpv4(saddr) && !dev.isLoopback) return { kind: 'martian', reason: 'source' }
  const forwarding = ns.sysctl.forwarding(dev.name)
  let res: FibResult
  try {
    res = fibLookup(ns, { daddr, saddr, iif: dev })
  } catch (e) {
    const errno = e instanceof KernelError ? e.errno : 'ENETUNREACH'
    return { kind: 'error', errno: forwarding ? errno : 'EHOSTUNREACH', route: null }
  }
  if (res.type === RouteType.Broadcast) return { kind: 'local', route: res.route, broadcast: true }
  if (res.type === RouteType.Local) {
    if (!dev.isLoopback && validateSourceLocal(ns, saddr)) return { kind: 'martian', reason: 'source' }
    return { kind: 'local', route: res.route, broadcast: false }
  }
  if (!forwarding) return { kind: 'error', errno: 'EHOSTUNREACH', route: res.route }
  if (res.type !== RouteType.Unicast) return { kind: 'martian', reason: 'destination' }
  if (validateSourceLocal(ns, saddr)) return { kind: 'martian', reason: 'source' }
  const r = res.route
  const out = r.dev!
  let redirect = false
  // __mkroute_input: leaving by the device it came in on, toward a sender that is on-link.
  if (out === dev && ns.sysctl.devconf(dev.name, 'send_redirects')) {
    redirect = sourceIsOnLink(ns, dev, saddr, r.gateway)
  }
  return { kind: 'forward', route: r, dev: out, nexthop: redirectedGateway(ns, r, daddr) || r.gateway || daddr, redirect }
}

/** The gateway an accepted ICMP redirect set for daddr on this route (find_exception), or 0. */
export function redirectedGateway(ns: Netns, r: Route, daddr: Ipv4): Ipv4 {
  if (!r.exceptions) return 0
  return liveException(ns, r, daddr)?.gw ?? 0
}

/** With rp_filter=0, fib_validate_source only refuses a source that is one of our own addresses. */
function validateSourceLocal(ns: Netns, saddr: Ipv4): boolean {
  if (!ns.devinet.isLocal(saddr)) return false
  if (ns.sysctl.devconf('all', 'accept_local')) return false
  for (const d of ns.devices.values()) for (const ifa of d.inet) if (ifa.local === saddr) return true
  return false
}

/** Whether a redirect may be sent: shared_media, or the sender and the gateway share a subnet. */
function sourceIsOnLink(ns: Netns, dev: NetDevice, saddr: Ipv4, gw: Ipv4): boolean {
  // The reverse route to the source must be on-link through this same device (nexthop scope host).
  let back: FibResult
  try {
    back = fibLookup(ns, { daddr: saddr })
  } catch {
    return false
  }
  if (back.route.dev !== dev || back.route.gateway !== 0) return false
  if (ns.sysctl.devconf(dev.name, 'shared_media')) return true
  for (const ifa of dev.inet) {
    const m = ifa.prefixLen === 0 ? 0 : (0xffffffff << (32 - ifa.prefixLen)) >>> 0
    if (((ifa.local ^ saddr) & m) === 0 && ((ifa.local ^ gw) & m) === 0) return true
  }
  return false
}

/** The MTU a packet to daddr over this route may have (route mtu, else a PMTU exception, else the device). */
export function pathMtu(ns: Netns, r: Route | null, dev: NetDevice, daddr: Ipv4): number {
  if (r?.mtu) return r.mtu
  const ex = liveException(ns, r, daddr)
  if (ex && ex.mtu) return Math.min(ex.mtu, dev.mtu)
  return dev.mtu
}

/** A PMTU exception for daddr on this route that has neither expired nor been flushed. */
export function liveException(ns: Netns, r: Route | null, daddr: Ipv4): PmtuException | undefined {
  const ex = r?.exceptions?.get(daddr)
  if (!ex) return undefined
  if (ex.gen !== ns.devinet.cacheGen || ex.expiresNs <= ns.world.sched.now) {
    r!.exceptions!.delete(daddr)
    return undefined
  }
  return ex
}
