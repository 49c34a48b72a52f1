import { formatIpv4, prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import type { Scope, NetDevice } from './device.ts'
import type { PeerView } from './peer-set.ts'

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

/**
 * Counts every change, in any namespace of any World, to what a route lookup reads: routes added
 * or removed, addresses, devices (up, down, registered, renamed, moved) and sysctl writes. The
 * packet path caches its route decisions (route.ts) and trusts one only while this is unchanged;
 * PMTU and redirect exceptions, which also expire with time, are read anew on every use.
 */
export const routingGen = { value: 0 }

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
   * The prefix lengths in use, longest first, and per length its routes: one Map by network
   * address when the length holds several prefixes (or a compact route), else the one prefix's
   * route itself, or its routes in kernel order when it has several. A lab has thousands of
   * tiny tables (a pod's holds a default route and its subnet) and a 1,000-node cluster a
   * million prefixes of one route each: neither gets more than it needs. A number in a Map is a
   * compact route (see `compact`): the table's template at that prefix, with that serial. Both
   * arrays are replaced, never changed in place, when a length comes or goes.
   */
  private lens: readonly number[] = NO_LENS
  private slots: Slot[] = NO_SLOTS
  private count = 0
  /**
   * What every compact route of this table has besides its prefix and serial (its gateway is
   * its own network address: flanneld's onlink route to a peer's subnet).
   */
  private template: Route | null = null
  /**
   * Compact routes to a PeerView's subnets not yet put in the Map of their length (addShared):
   * read there by hasPrefix and the lookups, put in (unshare) before anything else reads or
   * changes the table, so that from then on it is the table adding them one by one made.
   */
  private shared: PeerView | null = null
  /**
   * Whether the kernel would have created this table: a table exists from its first route on
   * and is never freed (so /proc/net/route has its header even when the table is empty again).
   */
  used = false

  constructor(readonly id: number) {}

  get size(): number {
    return this.count
  }

  /** Whether entries of a PeerView are still shared, not yet put in (for tests). */
  get sharesPeers(): boolean {
    return this.shared !== null
  }

  /**
   * Adds a route. With `compact`, a route alone at its prefix whose gateway is its own network
   * address and whose other fields are the table's template is kept as its serial only, and made
   * an object again (the same one from then on) when first read: a 1,000-node flannel cluster
   * holds a million such routes that nothing reads while it is built, and objects that survive
   * are what its garbage collection copies and marks. The caller must not keep `r`.
   */
  add(r: Route, append = false, compact = false): void {
    if (this.shared !== null) this.unshare()
    const i = this.slotOf(r.len)
    this.count++
    this.used = true
    routingGen.value++
    if (i < 0) {
      if (compact && this.compactable(r)) {
        const m: PrefixMap = new Map()
        m.set(r.dst, r.serial)
        this.addSlot(r.len, m)
      } else this.addSlot(r.len, r)
      return
    }
    const s = this.slots[i]
    let list: Route[]
    if (s instanceof Map) {
      let held = s.get(r.dst)
      if (held === undefined) {
        s.set(r.dst, compact && this.compactable(r) ? r.serial : r)
        return
      }
      if (typeof held === 'number') held = this.promote(s, r.dst, r.len, held)
      list = Array.isArray(held) ? held : [held]
      if (list !== held) s.set(r.dst, list)
    } else {
      const first = Array.isArray(s) ? s[0] : s
      if (first.dst !== r.dst) {
        // A second prefix of this length: the length gets its Map.
        const m: PrefixMap = new Map()
        m.set(first.dst, s)
        m.set(r.dst, compact && this.compactable(r) ? r.serial : r)
        this.slots[i] = m
        return
      }
      list = Array.isArray(s) ? s : [s]
      if (list !== s) this.slots[i] = list
    }
    // Kernel order within one prefix: tos descending, then metric ascending; a new route goes
    // before older equal ones unless appended.
    let j = 0
    while (j < list.length && (list[j].tos > r.tos || (list[j].tos === r.tos && (list[j].priority < r.priority || (append && list[j].priority === r.priority))))) j++
    list.splice(j, 0, r)
  }

  remove(r: Route): boolean {
    if (this.shared !== null) this.unshare()
    const i = this.slotOf(r.len)
    if (i < 0) return false
    const s = this.slots[i]
    if (s instanceof Map) {
      const held = s.get(r.dst)
      // A compact route was never handed out: r is not it.
      if (held === undefined || typeof held === 'number') return false
      if (Array.isArray(held)) {
        const k = held.indexOf(r)
        if (k < 0) return false
        held.splice(k, 1)
        // Back to one route: held on its own again (readers of exact() keep the array they got).
        if (held.length === 1) s.set(r.dst, held[0])
      } else if (held === r) {
        s.delete(r.dst)
        if (s.size === 0) this.removeSlot(i)
      } else return false
    } else if (Array.isArray(s)) {
      const k = s.indexOf(r)
      if (k < 0) return false
      s.splice(k, 1)
      if (s.length === 1) this.slots[i] = s[0]
    } else if (s === r) this.removeSlot(i)
    else return false
    this.count--
    routingGen.value++
    return true
  }

  /** Routes with exactly this prefix (in kernel order; a copy when it holds one). */
  exact(dst: Ipv4, len: number): readonly Route[] {
    if (this.shared !== null) this.unshare()
    const i = this.slotOf(len)
    if (i < 0) return NO_ROUTES
    const s = this.slots[i]
    if (s instanceof Map) {
      let held = s.get(dst)
      if (held === undefined) return NO_ROUTES
      if (typeof held === 'number') held = this.promote(s, dst, len, held)
      return Array.isArray(held) ? held : [held]
    }
    if (Array.isArray(s)) return s[0].dst === dst ? s : NO_ROUTES
    return s.dst === dst ? [s] : NO_ROUTES
  }

  /**
   * Longest-prefix match; within a prefix the first alias that `accept` takes, else the next
   * shorter prefix (the kernel backtracks the same way when all aliases are unusable).
   */
  lookup(ip: Ipv4, accept: (r: Route) => boolean): Route | null {
    if (this.shared !== null && this.sharedHit(ip)) this.unshare()
    const lens = this.lens
    const slots = this.slots
    for (let i = 0; i < lens.length; i++) {
      const len = lens[i]
      const dst = (ip & prefixMask(len)) >>> 0
      const s = slots[i]
      let held: Route | Route[] | number | undefined
      if (s instanceof Map) {
        held = s.get(dst)
        if (held === undefined) continue
        if (typeof held === 'number') held = this.promote(s, dst, len, held)
      } else {
        if ((Array.isArray(s) ? s[0] : s).dst !== dst) continue
        held = s
      }
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
    if (this.shared !== null && this.sharedHit(ip)) this.unshare()
    const lens = this.lens
    const slots = this.slots
    for (let i = 0; i < lens.length; i++) {
      const len = lens[i]
      const dst = (ip & prefixMask(len)) >>> 0
      const s = slots[i]
      let held: Route | Route[] | number | undefined
      if (s instanceof Map) {
        held = s.get(dst)
        if (held === undefined) continue
        if (typeof held === 'number') {
          // The checks read only fields the template holds.
          if (usable(this.template!, scope, oif, checkUp)) return this.promote(s, dst, len, held)
          continue
        }
      } else {
        if ((Array.isArray(s) ? s[0] : s).dst !== dst) continue
        held = s
      }
      if (!Array.isArray(held)) {
        if (usable(held, scope, oif, checkUp)) return held
        continue
      }
      for (let k = 0; k < held.length; k++) if (usable(held[k], scope, oif, checkUp)) return held[k]
    }
    return null
  }

  routes(): Route[] {
    if (this.shared !== null) this.unshare()
    const groups: (Route | Route[])[] = []
    for (let i = 0; i < this.lens.length; i++) {
      const s = this.slots[i]
      if (!(s instanceof Map)) groups.push(s)
      else for (const [dst, held] of s) groups.push(typeof held === 'number' ? this.promote(s, dst, this.lens[i], held) : held)
    }
    const first = (g: Route | Route[]): Route => (Array.isArray(g) ? g[0] : g)
    groups.sort((a, b) => first(a).dst - first(b).dst || first(b).len - first(a).len)
    return groups.flat()
  }

  /** Removes every route for which pred holds; returns how many. */
  removeWhere(pred: (r: Route) => boolean): number {
    if (this.shared !== null) this.unshare()
    let n = 0
    let emptied = false
    for (let i = 0; i < this.lens.length; i++) {
      const s = this.slots[i]
      if (s instanceof Map) {
        const len = this.lens[i]
        for (const [k, h] of s) {
          const held = typeof h === 'number' ? this.promote(s, k, len, h) : h
          if (!Array.isArray(held)) {
            if (pred(held)) {
              s.delete(k)
              n++
            }
            continue
          }
          n += removeFromList(held, pred)
          if (held.length === 0) s.delete(k)
          else if (held.length === 1) s.set(k, held[0])
        }
        if (s.size === 0) emptied = true
      } else if (Array.isArray(s)) {
        n += removeFromList(s, pred)
        if (s.length === 0) emptied = true
        else if (s.length === 1) this.slots[i] = s[0]
      } else if (pred(s)) {
        n++
        this.slots[i] = EMPTY_SLOT
        emptied = true
      }
    }
    if (emptied) {
      const lens: number[] = []
      const slots: Slot[] = []
      for (let i = 0; i < this.lens.length; i++) {
        const s = this.slots[i]
        if (s === EMPTY_SLOT || (s instanceof Map ? s.size === 0 : Array.isArray(s) && s.length === 0)) continue
        lens.push(this.lens[i])
        slots.push(s)
      }
      this.lens = lens
      this.slots = slots
    }
    if (n) {
      this.count -= n
      routingGen.value++
    }
    return n
  }

  /** Whether a route of this prefix is here (a compact one is not made an object to tell). */
  hasPrefix(dst: Ipv4, len: number): boolean {
    const i = this.slotOf(len)
    if (i < 0) return false
    const s = this.slots[i]
    if (s instanceof Map) return s.has(dst) || (this.shared !== null && this.shared.set.len === len && this.shared.positionOf(dst) >= 0)
    return (Array.isArray(s) ? s[0] : s).dst === dst
  }

  /** Whether the table holds compact routes (or did: what they are is kept). */
  hasTemplate(): boolean {
    return this.template !== null
  }

  /**
   * Whether an onlink unicast route through `dev` with the given scope and every other field
   * at its default (flanneld's route to a peer) is what this table's compact routes are.
   */
  compactsOnlink(dev: NetDevice, scope: Scope): boolean {
    const t = this.template
    return (
      t !== null && t.table === this.id && t.type === RouteType.Unicast && t.tos === 0 && t.priority === 0 && t.protocol === RTPROT_BOOT &&
      t.scope === scope && t.prefsrc === 0 && t.dev === dev && t.onlink && t.mtu === 0
    )
  }

  /**
   * add() of such a route, compact, for a prefix that holds none (hasPrefix, compactsOnlink):
   * what add(r, false, true) does with it, without the route object.
   */
  addCompact(dst: Ipv4, len: number, serial: number): void {
    if (this.shared !== null) this.unshare()
    const i = this.slotOf(len)
    this.count++
    this.used = true
    routingGen.value++
    if (i < 0) {
      const m: PrefixMap = new Map()
      m.set(dst, serial)
      this.addSlot(len, m)
      return
    }
    const s = this.slots[i]
    if (s instanceof Map) s.set(dst, serial)
    else {
      const m: PrefixMap = new Map()
      m.set((Array.isArray(s) ? s[0] : s).dst, s)
      m.set(dst, serial)
      this.slots[i] = m
    }
  }

  /**
   * Whether none of the view's prefixes holds a route here (the table shares no other view's):
   * what addShared needs.
   */
  holdsNoneOf(view: PeerView): boolean {
    if (this.shared !== null) return false
    const i = this.slotOf(view.set.len)
    if (i < 0) return true
    const s = this.slots[i]
    if (!(s instanceof Map)) return view.positionOf((Array.isArray(s) ? s[0] : s).dst) < 0
    for (const dst of s.keys()) if (view.positionOf(dst) >= 0) return false
    return true
  }

  /**
   * addCompact(subnet, len, serial) of each peer of the view in its order, with its serials,
   * for a table that holds none of their prefixes (holdsNoneOf) and whose compact routes are
   * onlink through `dev` with this scope (compactsOnlink), or that has none yet. The routes are
   * put in the table only when it is next read or changed otherwise (a 1,000-node cluster's
   * nodes each get 999 that nothing reads while it is built).
   */
  addShared(view: PeerView, dev: NetDevice, scope: Scope): void {
    const len = view.set.len
    if (this.template === null) {
      const dst = view.set.peers[view.self === 0 ? 1 : 0].subnet
      // As compactable() makes it of the first such route routeAdd adds.
      this.template = {
        table: this.id, type: RouteType.Unicast, dst, len, tos: 0, priority: 0, protocol: RTPROT_BOOT, scope,
        prefsrc: 0, gateway: dst, dev, onlink: true, mtu: 0, serial: view.serial,
      }
    }
    // The length's Map, as the first addCompact would make it.
    const i = this.slotOf(len)
    if (i < 0) this.addSlot(len, new Map())
    else {
      const s = this.slots[i]
      if (!(s instanceof Map)) {
        const m: PrefixMap = new Map()
        m.set((Array.isArray(s) ? s[0] : s).dst, s)
        this.slots[i] = m
      }
    }
    this.shared = view
    this.count += view.size
    this.used = true
    routingGen.value += view.size
  }

  /** Whether ip falls in a prefix of the shared view. */
  private sharedHit(ip: Ipv4): boolean {
    const v = this.shared!
    return v.positionOf((ip & prefixMask(v.set.len)) >>> 0) >= 0
  }

  /** Puts the shared view's routes in the Map of their length, compact, in the view's order. */
  private unshare(): void {
    const v = this.shared!
    this.shared = null
    const m = this.slots[this.slotOf(v.set.len)] as PrefixMap
    const base = v.serial
    v.forEach((p, pos) => m.set(p.subnet, base + pos))
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
  private promote(m: PrefixMap, dst: Ipv4, len: number, serial: number): Route {
    const t = this.template!
    // The field order of routeAdd's routes (one shape for all).
    const r: Route = {
      table: t.table, type: t.type, dst, len, tos: t.tos, priority: t.priority, protocol: t.protocol, scope: t.scope,
      prefsrc: t.prefsrc, gateway: dst, dev: t.dev, onlink: t.onlink, mtu: t.mtu, serial,
    }
    m.set(dst, r)
    return r
  }

  /** Where this prefix length's routes are in `slots`, -1 when it has none. */
  private slotOf(len: number): number {
    const lens = this.lens
    for (let i = 0; i < lens.length; i++) if (lens[i] === len) return i
    return -1
  }

  private addSlot(len: number, s: Slot): void {
    const n = this.lens.length
    let at = 0
    while (at < n && this.lens[at] > len) at++
    const lens = new Array<number>(n + 1)
    const slots = new Array<Slot>(n + 1)
    for (let i = 0, j = 0; i <= n; i++) {
      if (i === at) {
        lens[i] = len
        slots[i] = s
      } else {
        lens[i] = this.lens[j]
        slots[i] = this.slots[j++]
      }
    }
    this.lens = lens
    this.slots = slots
  }

  private removeSlot(at: number): void {
    this.lens = this.lens.filter((_, i) => i !== at)
    this.slots = this.slots.filter((_, i) => i !== at)
  }
}

/** One prefix length's routes: by network address, or the single prefix's route(s) themselves. */
type PrefixMap = Map<Ipv4, Route | Route[] | number>
type Slot = PrefixMap | Route | Route[]

const NO_LENS: readonly number[] = Object.freeze([])
const NO_SLOTS: Slot[] = []
/** A slot emptied in removeWhere, dropped at its end. */
const EMPTY_SLOT: Route[] = []

/** Removes the routes pred holds for from a prefix's list (in place); returns how many. */
function removeFromList(list: Route[], pred: (r: Route) => boolean): number {
  let n = 0
  for (let i = list.length - 1; i >= 0; i--) {
    if (pred(list[i])) {
      list.splice(i, 1)
      n++
    }
  }
  return n
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
