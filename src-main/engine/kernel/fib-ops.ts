import { prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import { Scope, type NetDevice } from './device.ts'
import { KernelError } from './errors.ts'
import { RouteType, RT_TABLE_MAIN, RTPROT_BOOT, type Route } from './fib.ts'
import type { Netns } from './netns.ts'
import { PeerView, type PeerSet } from './peer-set.ts'
import { fibLookup } from './route.ts'

/** What an RTM_NEWROUTE/RTM_DELROUTE request carries (fib_config). Unset fields are wildcards on delete. */
export interface RouteSpec {
  dst: Ipv4
  len: number
  table?: number
  type?: RouteType
  tos?: number
  priority?: number
  protocol?: number
  scope?: Scope
  prefsrc?: Ipv4
  gateway?: Ipv4
  dev?: NetDevice | null
  onlink?: boolean
  mtu?: number
}

export type RouteAddMode = 'add' | 'replace' | 'change' | 'append' | 'prepend'

/** fib_props[].scope: the narrowest scope each type may have. */
function minScope(t: RouteType): Scope {
  switch (t) {
    case RouteType.Local:
      return Scope.Host
    case RouteType.Broadcast:
    case RouteType.Multicast:
    case RouteType.Anycast:
      return Scope.Link
    default:
      return Scope.Universe
  }
}

/**
 * fib_create_info's checks, then fib_table_insert. Returns the route now in the table, except
 * with `compact` (FibTable.add), for a caller that drops it: the table may hold it as a number
 * and make another object of it when it is read.
 */
export function routeAdd(ns: Netns, s: RouteSpec, mode: RouteAddMode = 'add', compact = false): Route {
  const type = s.type ?? RouteType.Unicast
  const len = s.len
  if (((s.dst & ~prefixMask(len)) >>> 0) !== 0) throw new KernelError('EINVAL', 'Invalid prefix for given prefix length.')
  const scope = s.scope ?? Scope.Universe
  if (minScope(type) > scope) throw new KernelError('EINVAL', 'Invalid scope')
  const gateway = s.gateway ?? 0
  let dev = s.dev ?? null
  const onlink = s.onlink ?? false
  const needsNh = type === RouteType.Unicast || type === RouteType.Local || type === RouteType.Broadcast || type === RouteType.Multicast || type === RouteType.Anycast
  if (needsNh) {
    if (scope === Scope.Host && gateway) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway')
    if (gateway) {
      if (onlink) {
        if (!dev) throw new KernelError('EINVAL', 'Nexthop device required for onlink')
        if (!dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up')
        if (ns.devinet.isLocal(gateway) || isBadGateway(gateway)) throw new KernelError('EINVAL', 'Nexthop has invalid gateway')
      } else {
        // fib_check_nh_v4_gw: the gateway must be reachable by a link-scope route (via dev, if given).
        let res
        try {
          res = fibLookup(ns, { daddr: gateway, oif: dev, scope: scope + 1 })
        } catch {
          throw new KernelError('EINVAL', 'Nexthop has invalid gateway')
        }
        if (res.type !== RouteType.Unicast && res.type !== RouteType.Local) throw new KernelError('EINVAL', 'Nexthop has invalid gateway')
        dev = res.route.dev
        if (!dev || !dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up')
      }
    } else {
      // fib_check_nh_nongw refuses onlink without a gateway before it looks at the device.
      if (onlink) throw new KernelError('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set.')
      if (!dev) throw new KernelError('ENODEV')
      if (!dev.adminUp) throw new KernelError('ENETDOWN', 'Device for nexthop is not up.')
    }
  } else {
    dev = null
  }
  if (s.prefsrc && !ns.devinet.isLocal(s.prefsrc)) throw new KernelError('EINVAL', 'Invalid prefsrc address')
  const table = ns.table(s.table ?? RT_TABLE_MAIN)
  const r: Route = {
    table: table.id,
    type,
    dst: s.dst,
    len,
    tos: s.tos ?? 0,
    priority: s.priority ?? 0,
    protocol: s.protocol ?? RTPROT_BOOT,
    scope,
    prefsrc: s.prefsrc ?? 0,
    gateway,
    dev,
    onlink,
    mtu: s.mtu ?? 0,
    serial: ns.devinet.nextSerial(),
  }
  const prefix = table.exact(r.dst, r.len)
  let first: Route | null = null
  for (let i = 0; i < prefix.length; i++) {
    const o = prefix[i]
    if (o.tos === r.tos && o.priority === r.priority) {
      first = o
      break
    }
  }
  if (first) {
    if (mode === 'add') throw new KernelError('EEXIST')
    if (mode === 'replace' || mode === 'change') {
      table.remove(first)
      // FibTable.add puts it before the older equal routes: where the replaced one stood.
      table.add(r, false, compact)
      return r
    }
    if (mode === 'append') {
      if (prefix.some((o) => o.tos === r.tos && o.priority === r.priority && sameNexthop(o, r) && o.type === r.type && o.scope === r.scope && o.prefsrc === r.prefsrc && o.protocol === r.protocol)) throw new KernelError('EEXIST')
      table.add(r, true)
      return r
    }
    table.add(r, false)
    return r
  }
  if (mode === 'change') throw new KernelError('ENOENT')
  table.add(r, mode === 'append', compact)
  return r
}

/**
 * routeAdd(ns, { dst, len, gateway: dst, dev, onlink: true, scope }, 'replace', true) the short
 * way, for flanneld's route to a peer's subnet: when the main table holds nothing at the prefix
 * and holds its compact routes with these fields, the same checks pass and the route goes in as
 * its serial, without a spec or a route object. Returns false, having done nothing, when that is
 * not so (the caller then calls routeAdd, which also gives any refusal).
 */
export function routeAddOnlinkCompact(ns: Netns, dst: Ipv4, len: number, dev: NetDevice, scope: Scope): boolean {
  if (dst === 0 || ((dst & ~prefixMask(len)) >>> 0) !== 0 || scope === Scope.Host || !dev.adminUp) return false
  if (ns.devinet.isLocal(dst) || isBadGateway(dst)) return false
  const table = ns.main
  if (!table.compactsOnlink(dev, scope) || table.hasPrefix(dst, len)) return false
  table.addCompact(dst, len, ns.devinet.nextSerial())
  return true
}

/**
 * routeAddOnlinkCompact(ns, peer's subnet, set.len, dev, scope) of every peer of the set but
 * `self`, one after the other in the set's order, the short way: when each would pass its
 * checks and go in compact (the set's subnets are valid gateways and none is local here, no
 * route is at their prefixes, and the main table's compact routes are such routes or it has
 * none yet), the main table shares the node's view of the set (FibTable.addShared). Returns that
 * view (its serials taken), or null, having done nothing, when that is not so.
 */
export function routeAddShared(ns: Netns, set: PeerSet, self: number, dev: NetDevice, scope: Scope): PeerView | null {
  if (scope === Scope.Host || !dev.adminUp || set.size - (self >= 0 ? 1 : 0) <= 0) return null
  // isLocal of a peer's subnet: whether a local route covers it (the local table holds a few).
  for (const r of ns.local.routes()) if (r.type === RouteType.Local && set.overlaps(r.dst, r.len, self)) return null
  const table = ns.main
  const probe = new PeerView(set, self, ns.world.sched.now, 0)
  if (!table.holdsNoneOf(probe) || (table.hasTemplate() && !table.compactsOnlink(dev, scope))) return null
  const view = new PeerView(set, self, probe.atNs, ns.devinet.reserveSerials(probe.size))
  table.addShared(view, dev, scope)
  return view
}

function isBadGateway(gw: Ipv4): boolean {
  return gw === 0 || gw === 0xffffffff || (gw & 0xf0000000) >>> 0 === 0xe0000000
}

function sameNexthop(a: Route, b: Route): boolean {
  return a.gateway === b.gateway && a.dev === b.dev && a.onlink === b.onlink
}

/** fib_table_delete: the first route of the prefix matching every attribute given. */
export function routeDel(ns: Netns, s: RouteSpec): Route {
  const table = ns.table(s.table ?? RT_TABLE_MAIN)
  for (const r of table.exact((s.dst & prefixMask(s.len)) >>> 0, s.len)) {
    if (s.tos !== undefined && r.tos !== s.tos) continue
    if (s.priority !== undefined && r.priority !== s.priority) continue
    if (s.type !== undefined && r.type !== s.type) continue
    if (s.scope !== undefined && r.scope !== s.scope) continue
    if (s.prefsrc && r.prefsrc !== s.prefsrc) continue
    if (s.protocol !== undefined && r.protocol !== s.protocol) continue
    if (s.gateway && r.gateway !== s.gateway) continue
    if (s.dev && r.dev !== s.dev) continue
    table.remove(r)
    ns.devinet.flushExceptions()
    return r
  }
  throw new KernelError('ESRCH')
}
