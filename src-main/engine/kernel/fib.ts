import { formatIpv4, prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import type { Scope, NetDevice } from './device.ts'

/** rtm_type values (rtnetlink.h). */
export const enum RouteType {
  Unicast = 1,
  Local = 2,
  Broadcast = 3,
  Anycast = 4,
  Multicast = 5,
  Blackhole = 6,
  Unreachable = 7,
  Prohibit = 8,
  Throw = 9,
}

export const RT_TABLE_DEFAULT = 253
export const RT_TABLE_MAIN = 254
export const RT_TABLE_LOCAL = 255

/** rtm_protocol values iproute2 knows by name (rt_protos). */
export const RTPROT_KERNEL = 2
export const RTPROT_BOOT = 3
export const RTPROT_STATIC = 4

/** A path MTU learned from ICMP frag-needed (the kernel's nexthop exception). */
export interface PmtuException {
  /** Learned path MTU, 0 when only the gateway was redirected. */
  mtu: number
  /** Gateway learned from an accepted ICMP redirect (rendered `<redirected>`), 0 when none. */
  gw?: Ipv4
  expiresNs: number
  /** The namespace's route-cache generation when learned; a flush makes older ones void. */
  gen: number
}

/** One route (a fib_alias with its fib_info; one nexthop). */
export interface Route {
  table: number
  type: RouteType
  /** Network address (host bits clear). */
  dst: Ipv4
  len: number
  tos: number
  /** The metric (`metric N`, RTA_PRIORITY). */
  priority: number
  protocol: number
  scope: Scope
  /** Preferred source (`src`), 0 when unset. */
  prefsrc: Ipv4
  gateway: Ipv4
  dev: NetDevice | null
  onlink: boolean
  /** Explicit route MTU (`mtu N`), 0 when unset. */
  mtu: number
  /** Order of insertion, to keep equal routes in the kernel's order. */
  serial: number
  /** PMTU exceptions keyed by destination address. */
  exceptions?: Map<Ipv4, PmtuException>
}

/**
 * V8 boxes a number field (a heap number per object) in every object of a shape once one of
 * them held a number outside the small integers (an address above 127.255.255.255, a time past
 * 2.1 s), even where the value is small. An object of the shape made first with its number fields
 * unset keeps them tagged instead: small values stay inline, only large ones are heap numbers. A
 * 1,000-node cluster holds a million routes, neighbours and FDB entries, and those boxes were a
 * fifth of its objects. Each table's module primes the shape of its entries (kept alive here, as
 * V8 forgets the shapes of collected objects).
 */
export const taggedShapes: object[] = []

taggedShapes.push({
  table: undefined, type: undefined, dst: undefined, len: undefined, tos: undefined, priority: undefined, protocol: undefined,
  scope: undefined, prefsrc: undefined, gateway: undefined, dev: null, onlink: false, mtu: undefined, serial: undefined,
})

export function routeKeyEqual(a: Route, b: Pick<Route, 'table' | 'dst' | 'len' | 'tos' | 'priority'>): boolean {
  return a.table === b.table && a.dst === b.dst && a.len === b.len && a.tos === b.tos && a.priority === b.priority
}

/** Whether a route's nexthop is usable now (fib_table_lookup's alias checks). */
export function routeUsable(r: Route): boolean {
  if (r.type !== RouteType.Unicast && r.type !== RouteType.Local && r.type !== RouteType.Broadcast) return true
  return r.dev === null || r.dev.adminUp
}

/**
 * One routing table. Routes are kept per prefix length so lookups try at most the lengths in
 * use, longest first; `routes()` yields them in the order `ip route show` prints (the LC-trie
 * walk: ascending network address, longer prefixes first, then tos, metric, insertion).
 */
export class FibTable {
  /**
   * Per prefix length, created on first use (a lab has thousands of mostly tiny tables): the
   * route of a prefix, or its routes in kernel order when it has several. Nearly every prefix
   * holds one route, and a 1,000-node cluster has a million: no array for those. A number is a
   * compact route (see `compact`): the table's template at that prefix, with that serial.
   */
  private readonly byLen: (Map<Ipv4, Route | Route[] | number> | undefined)[] = new Array(33)
  private lensInUse: number[] = []
  private count = 0
  /**
   * What every compact route of this table has besides its prefix and serial (its gateway is
   * its own network address: flanneld's onlink route to a peer's subnet).
   */
  private template: Route | null = null
  /**
   * Whether the kernel would have created this table: a table exists from its first route on
   * and is never freed (so /proc/net/route has its header even when the table is empty again).
   */
  used = false

  constructor(readonly id: number) {}

  get size(): number {
    return this.count
  }

  /**
   * Adds a route. With `compact`, a route alone at its prefix whose gateway is its own network
   * address and whose other fields are the table's template is kept as its serial only, and made
   * an object again (the same one from then on) when first read: a 1,000-node flannel cluster
   * holds a million such routes that nothing reads while it is built, and objects that survive
   * are what its garbage collection copies and marks. The caller must not keep `r`.
   */
  add(r: Route, append = false, compact = false): void {
    let m = this.byLen[r.len]
    if (!m) m = this.byLen[r.len] = new Map()
    let held = m.get(r.dst)
    this.count++
    this.used = true
    if (held === undefined) {
      m.set(r.dst, compact && this.compactable(r) ? r.serial : r)
      if (m.size === 1) this.refreshLens()
      return
    }
    if (typeof held === 'number') held = this.promote(m, r.dst, r.len, held)
    const list = Array.isArray(held) ? held : [held]
    if (list !== held) m.set(r.dst, list)
    // Kernel order within one prefix: tos descending, then metric ascending; a new route goes
    // before older equal ones unless appended.
    let i = 0
    while (i < list.length && (list[i].tos > r.tos || (list[i].tos === r.tos && (list[i].priority < r.priority || (append && list[i].priority === r.priority))))) i++
    list.splice(i, 0, r)
  }

  remove(r: Route): boolean {
    const m = this.byLen[r.len]
    const held = m?.get(r.dst)
    // A compact route was never handed out: r is not it.
    if (held === undefined || typeof held === 'number') return false
    if (Array.isArray(held)) {
      const i = held.indexOf(r)
      if (i < 0) return false
      held.splice(i, 1)
      // Back to one route: held on its own again (readers of exact() keep the array they got).
      if (held.length === 1) m!.set(r.dst, held[0])
    } else if (held === r) {
      m!.delete(r.dst)
      if (m!.size === 0) this.refreshLens()
    } else return false
    this.count--
    return true
  }

  /** Routes with exactly this prefix (in kernel order; a copy when it holds one). */
  exact(dst: Ipv4, len: number): readonly Route[] {
    const m = this.byLen[len]
    let held = m?.get(dst)
    if (held === undefined) return NO_ROUTES
    if (typeof held === 'number') held = this.promote(m!, dst, len, held)
    return Array.isArray(held) ? held : [held]
  }

  /**
   * Longest-prefix match; within a prefix the first alias that `accept` takes, else the next
   * shorter prefix (the kernel backtracks the same way when all aliases are unusable).
   */
  lookup(ip: Ipv4, accept: (r: Route) => boolean): Route | null {
    for (const len of this.lensInUse) {
      const m = this.byLen[len]!
      const dst = (ip & prefixMask(len)) >>> 0
      let held = m.get(dst)
      if (held === undefined) continue
      if (typeof held === 'number') held = this.promote(m, dst, len, held)
      if (!Array.isArray(held)) {
        if (accept(held)) return held
        continue
      }
      for (const r of held) if (accept(r)) return r
    }
    return null
  }

  /** lookup() with fib_table_lookup's checks inline (the packet path avoids closures). */
  lookupUsable(ip: Ipv4, scope: number, oif: NetDevice | null, checkUp = true): Route | null {
    for (const len of this.lensInUse) {
      const m = this.byLen[len]!
      const dst = (ip & prefixMask(len)) >>> 0
      const held = m.get(dst)
      if (held === undefined) continue
      if (typeof held === 'number') {
        // The checks read only fields the template holds.
        if (usable(this.template!, scope, oif, checkUp)) return this.promote(m, dst, len, held)
        continue
      }
      if (!Array.isArray(held)) {
        if (usable(held, scope, oif, checkUp)) return held
        continue
      }
      for (let i = 0; i < held.length; i++) if (usable(held[i], scope, oif, checkUp)) return held[i]
    }
    return null
  }

  routes(): Route[] {
    const groups: (Route | Route[])[] = []
    for (let len = 0; len <= 32; len++) {
      const m = this.byLen[len]
      if (m) for (const [dst, held] of m) groups.push(typeof held === 'number' ? this.promote(m, dst, len, held) : held)
    }
    const first = (g: Route | Route[]): Route => (Array.isArray(g) ? g[0] : g)
    groups.sort((a, b) => first(a).dst - first(b).dst || first(b).len - first(a).len)
    return groups.flat()
  }

  /** Removes every route for which pred holds; returns how many. */
  removeWhere(pred: (r: Route) => boolean): number {
    let n = 0
    for (let len = 0; len <= 32; len++) {
      const m = this.byLen[len]
      if (!m) continue
      for (const [k, h] of m) {
        const held = typeof h === 'number' ? this.promote(m, k, len, h) : h
        if (!Array.isArray(held)) {
          if (pred(held)) {
            m.delete(k)
            n++
          }
          continue
        }
        for (let i = held.length - 1; i >= 0; i--) {
          if (pred(held[i])) {
            held.splice(i, 1)
            n++
          }
        }
        if (held.length === 0) m.delete(k)
        else if (held.length === 1) m.set(k, held[0])
      }
    }
    if (n) {
      this.count -= n
      this.refreshLens()
    }
    return n
  }

  /** Whether r can be held compact: its gateway its network address, the rest the template's. */
  private compactable(r: Route): boolean {
    if (r.gateway !== r.dst || r.exceptions !== undefined) return false
    const t = this.template
    if (t === null) {
      this.template = { ...r }
      return true
    }
    return (
      r.table === t.table && r.type === t.type && r.tos === t.tos && r.priority === t.priority && r.protocol === t.protocol &&
      r.scope === t.scope && r.prefsrc === t.prefsrc && r.dev === t.dev && r.onlink === t.onlink && r.mtu === t.mtu
    )
  }

  /** A compact route made an object, which the table holds from then on. */
  private promote(m: Map<Ipv4, Route | Route[] | number>, dst: Ipv4, len: number, serial: number): Route {
    const t = this.template!
    // The field order of routeAdd's routes (one shape for all).
    const r: Route = {
      table: t.table, type: t.type, dst, len, tos: t.tos, priority: t.priority, protocol: t.protocol, scope: t.scope,
      prefsrc: t.prefsrc, gateway: dst, dev: t.dev, onlink: t.onlink, mtu: t.mtu, serial,
    }
    m.set(dst, r)
    return r
  }

  private refreshLens(): void {
    const lens: number[] = []
    for (let l = 32; l >= 0; l--) if (this.byLen[l]?.size) lens.push(l)
    this.lensInUse = lens
  }
}

const NO_ROUTES: readonly Route[] = Object.freeze([])

/** fib_table_lookup's alias checks: scope, a usable nexthop device, the output device asked for. */
function usable(r: Route, scope: number, oif: NetDevice | null, checkUp: boolean): boolean {
  if (r.scope < scope) return false
  const d = r.dev
  if (d !== null) {
    if (checkUp && !d.adminUp && r.type !== RouteType.Local) return false
    if (oif !== null && d !== oif) return false
  }
  return true
}

export function routeDstString(r: Pick<Route, 'dst' | 'len'>): string {
  if (r.len === 0 && r.dst === 0) return 'default'
  return r.len === 32 ? formatIpv4(r.dst) : `${formatIpv4(r.dst)}/${r.len}`
}
