import { prefixMask, type Ipv4 } from '../addr/ipv4.ts'
import { ipv4MulticastMac } from '../addr/mac.ts'
import { Scope, type Ifa, type NetDevice } from './device.ts'
import { KernelError } from './errors.ts'
import { routingGen, RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_KERNEL, taggedShapes, type Route } from './fib.ts'
import type { DeviceEvent, Netns } from './netns.ts'

// The addresses' shape, with its number fields tagged (see taggedShapes in fib.ts): a node's
// address above 127.255.255.255 would otherwise make every address's `local` a heap number.
taggedShapes.push({ local: undefined, prefixLen: undefined, broadcast: undefined, scope: undefined, label: '', secondary: false })

const ALL_HOSTS_MAC = ipv4MulticastMac(0xe0000001)
const LOOPBACK_NET = 0x7f000000

export interface NewIfa {
  local: Ipv4
  prefixLen: number
  broadcast?: Ipv4
  scope?: Scope
  label?: string
  /** Metric of the prefix route (`ip addr add ... metric N`). */
  metric?: number
  noprefixroute?: boolean
}

/**
 * IPv4 addresses on devices and the routes the kernel derives from them (devinet.c and
 * fib_frontend.c): a `local` route per address, the connected prefix route and the subnet
 * broadcast route while the device is up; and what happens to routes and neighbours when devices
 * go down, lose carrier or lose their last address.
 */
export class Devinet {
  private serial = 0
  /** An address's metric and noprefixroute when either was given (made on first use: most have neither). */
  private metrics: WeakMap<Ifa, { metric: number; noprefixroute: boolean }> | null = null

  constructor(private readonly ns: Netns) {}

  nextSerial(): number {
    return ++this.serial
  }

  /** `count` serials at once, as that many nextSerial() calls give them; returns the first. */
  reserveSerials(count: number): number {
    const first = this.serial + 1
    this.serial += count
    return first
  }

  /** The metric and noprefixroute flag an address was added with. */
  ifaExtras(ifa: Ifa): { metric: number; noprefixroute: boolean } {
    return this.metrics?.get(ifa) ?? { metric: 0, noprefixroute: false }
  }

  addAddress(dev: NetDevice, a: NewIfa): Ifa {
    if (a.prefixLen < 0 || a.prefixLen > 32) throw new KernelError('EINVAL')
    const mask = prefixMask(a.prefixLen)
    const ifa: Ifa = {
      local: a.local >>> 0,
      prefixLen: a.prefixLen,
      broadcast: a.broadcast ?? 0,
      scope: a.scope ?? (isLoopbackNet(a.local) ? Scope.Host : Scope.Universe),
      label: a.label ?? dev.name,
      secondary: false,
    }
    // __inet_insert_ifa: same subnet and mask as an existing address makes this a secondary.
    let lastPrimary = 0
    for (let i = 0; i < dev.inet.length; i++) {
      const o = dev.inet[i]
      if (!o.secondary && ifa.scope <= o.scope) lastPrimary = i + 1
      if (o.prefixLen === ifa.prefixLen && ((o.local ^ ifa.local) & mask) === 0) {
        if (o.local === ifa.local) throw new KernelError('EEXIST', 'ipv4: Address already assigned.')
        if (o.scope !== ifa.scope) throw new KernelError('EINVAL')
        ifa.secondary = true
      }
    }
    if (ifa.secondary) dev.inet.push(ifa)
    else dev.inet.splice(lastPrimary, 0, ifa)
    routingGen.value++
    if (a.metric || a.noprefixroute) (this.metrics ??= new WeakMap()).set(ifa, { metric: a.metric ?? 0, noprefixroute: a.noprefixroute ?? false })
    this.addIfaRoutes(dev, ifa)
    return ifa
  }

  /** inet_rtm_deladdr: the first address matching local (and prefix length when given). */
  findAddress(dev: NetDevice, local: Ipv4, prefixLen?: number): Ifa | undefined {
    return dev.inet.find((i) => i.local === local && (prefixLen === undefined || i.prefixLen === prefixLen))
  }

  delAddress(dev: NetDevice, ifa: Ifa): void {
    const idx = dev.inet.indexOf(ifa)
    if (idx < 0) throw new KernelError('EADDRNOTAVAIL')
    dev.inet.splice(idx, 1)
    routingGen.value++
    // promote_secondaries=0: deleting a primary deletes its secondaries too.
    const doomed: Ifa[] = []
    if (!ifa.secondary) {
      const mask = prefixMask(ifa.prefixLen)
      for (const o of dev.inet) if (o.secondary && o.prefixLen === ifa.prefixLen && ((o.local ^ ifa.local) & mask) === 0) doomed.push(o)
    }
    for (const o of doomed) {
      dev.inet.splice(dev.inet.indexOf(o), 1)
      this.delIfaRoutes(dev, o)
    }
    this.delIfaRoutes(dev, ifa)
    if (dev.inet.length === 0) this.disableIp(dev, true)
  }

  private kernelRoute(type: RouteType, dst: Ipv4, len: number, dev: NetDevice, ifa: Ifa, priority = 0): Route {
    return {
      table: type === RouteType.Unicast ? RT_TABLE_MAIN : RT_TABLE_LOCAL,
      type,
      dst: (dst & prefixMask(len)) >>> 0,
      len,
      tos: 0,
      priority,
      protocol: RTPROT_KERNEL,
      scope: type === RouteType.Local ? Scope.Host : Scope.Link,
      prefsrc: ifa.local,
      gateway: 0,
      dev,
      onlink: false,
      mtu: 0,
      serial: this.nextSerial(),
    }
  }

  /** fib_magic(RTM_NEWROUTE, ...) with NLM_F_APPEND: an identical route is left alone. */
  private magicAdd(r: Route): void {
    const t = this.ns.table(r.table)
    for (const o of t.exact(r.dst, r.len)) {
      if (o.type === r.type && o.dev === r.dev && o.prefsrc === r.prefsrc && o.priority === r.priority && o.gateway === 0 && o.protocol === r.protocol) return
    }
    t.add(r, true)
  }

  private magicDel(type: RouteType, table: number, dst: Ipv4, len: number, dev: NetDevice, prefsrc: Ipv4, priority?: number): void {
    const t = this.ns.table(table)
    for (const o of t.exact((dst & prefixMask(len)) >>> 0, len)) {
      if (o.type === type && o.dev === dev && o.prefsrc === prefsrc && (priority === undefined || o.priority === priority)) {
        t.remove(o)
        return
      }
    }
  }

  /** The primary address a secondary belongs to (its routes use the primary as source). */
  private primaryOf(dev: NetDevice, ifa: Ifa): Ifa {
    if (!ifa.secondary) return ifa
    const mask = prefixMask(ifa.prefixLen)
    return dev.inet.find((o) => !o.secondary && o.prefixLen === ifa.prefixLen && ((o.local ^ ifa.local) & mask) === 0) ?? ifa
  }

  /** fib_add_ifaddr. */
  addIfaRoutes(dev: NetDevice, ifa: Ifa): void {
    const mask = prefixMask(ifa.prefixLen)
    const prefix = (ifa.local & mask) >>> 0
    const prim = this.primaryOf(dev, ifa)
    const local = this.kernelRoute(RouteType.Local, ifa.local, 32, dev, ifa)
    local.prefsrc = prim.local
    this.magicAdd(local)
    if (!dev.adminUp) return
    if (ifa.broadcast && ifa.broadcast !== 0xffffffff) this.magicAdd(this.kernelRoute(RouteType.Broadcast, ifa.broadcast, 32, dev, ifa))
    const m = this.metrics?.get(ifa)
    if (prefix !== 0 && !ifa.secondary && (prefix !== ifa.local || ifa.prefixLen < 32)) {
      if (!m?.noprefixroute) {
        const r = this.kernelRoute(dev.isLoopback ? RouteType.Local : RouteType.Unicast, prefix, ifa.prefixLen, dev, ifa, m?.metric ?? 0)
        r.table = dev.isLoopback ? RT_TABLE_LOCAL : RT_TABLE_MAIN
        this.magicAdd(r)
      }
      if (ifa.prefixLen < 31) this.magicAdd(this.kernelRoute(RouteType.Broadcast, (prefix | ~mask) >>> 0, 32, dev, ifa))
    }
  }

  /** fib_del_ifaddr: removes what this address implied unless another address still implies it. */
  private delIfaRoutes(dev: NetDevice, ifa: Ifa): void {
    const mask = prefixMask(ifa.prefixLen)
    const prefix = (ifa.local & mask) >>> 0
    const brd = (prefix | ~mask) >>> 0
    const m = this.metrics?.get(ifa)
    let subnet = false
    if (!ifa.secondary && prefix !== 0 && (prefix !== ifa.local || ifa.prefixLen < 32)) {
      if (!m?.noprefixroute) this.magicDel(dev.isLoopback ? RouteType.Local : RouteType.Unicast, dev.isLoopback ? RT_TABLE_LOCAL : RT_TABLE_MAIN, prefix, ifa.prefixLen, dev, ifa.local, m?.metric ?? 0)
      subnet = true
    }
    let localOk = false
    let brdOk = false
    let brd1Ok = false
    for (const o of dev.inet) {
      if (o.local === ifa.local) localOk = true
      if (ifa.broadcast && o.broadcast === ifa.broadcast) brdOk = true
      const om = prefixMask(o.prefixLen)
      if (subnet && ((o.local & om) | ~om) >>> 0 === brd) brd1Ok = true
    }
    if (!localOk) {
      // Another device may still own the same address (a secondary's local route names its primary).
      let elsewhere = false
      for (const d of this.ns.devices.values()) if (d !== dev && d.inet.some((o) => o.local === ifa.local)) elsewhere = true
      if (!elsewhere) this.removeRoutesWhere((r) => r.table === RT_TABLE_LOCAL && r.type === RouteType.Local && r.dst === ifa.local && r.len === 32 && r.dev === dev)
    }
    if (ifa.broadcast && !brdOk) this.magicDel(RouteType.Broadcast, RT_TABLE_LOCAL, ifa.broadcast, 32, dev, ifa.local)
    if (subnet && ifa.prefixLen < 31 && !brd1Ok) this.magicDel(RouteType.Broadcast, RT_TABLE_LOCAL, brd, 32, dev, ifa.local)
    this.flushExceptions()
  }

  private removeRoutesWhere(pred: (r: Route) => boolean): void {
    for (const t of this.ns.tables.values()) t.removeWhere(pred)
  }

  /** rt_cache_flush: cached PMTU exceptions go with any address or route change. */
  cacheGen = 0
  flushExceptions(): void {
    this.cacheGen++
  }

  /**
   * fib_disable_ip: every route through the device goes (with `force`, its local routes too),
   * and its neighbour entries are flushed.
   */
  disableIp(dev: NetDevice, force: boolean): void {
    this.removeRoutesWhere((r) => r.dev === dev && (force || r.scope !== Scope.Host))
    this.ns.neigh.flushDevice(dev, false)
  }

  onDeviceEvent(dev: NetDevice, ev: DeviceEvent): void {
    switch (ev) {
      case 'register':
        this.ns.sysctl.addDevice(dev.name)
        break
      case 'up':
        if (dev.isLoopback && dev.inet.length === 0) this.addAddress(dev, { local: 0x7f000001, prefixLen: 8, scope: Scope.Host })
        dev.mcAdd(ALL_HOSTS_MAC)
        for (const ifa of dev.inet) this.addIfaRoutes(dev, ifa)
        this.flushExceptions()
        break
      case 'down':
        dev.mcDel(ALL_HOSTS_MAC)
        this.disableIp(dev, false)
        break
      case 'unregister':
        this.disableIp(dev, true)
        dev.inet.length = 0
        routingGen.value++
        this.ns.sysctl.removeDevice(dev.name)
        break
      case 'changeaddr':
      case 'changemtu':
        this.flushExceptions()
        break
      case 'change':
        break
    }
  }

  /** inet_select_addr: the source address for sending on dev toward dst within scope. */
  selectAddr(dev: NetDevice | null, dst: Ipv4, scope: Scope): Ipv4 {
    let addr = 0
    if (dev) {
      for (const ifa of dev.inet) {
        if (ifa.secondary) continue
        // A host-scope address (127.0.0.1 on lo) would count only with route_localnet, which
        // the engine does not have.
        if (ifa.scope > scope) continue
        if (!dst || ((ifa.local ^ dst) & prefixMask(ifa.prefixLen)) === 0) return ifa.local
        if (!addr) addr = ifa.local
      }
      if (addr) return addr
    }
    // Any other device's primary address of wide enough scope (lo first, as in dev_base).
    for (const d of this.ns.deviceList()) {
      for (const ifa of d.inet) {
        if (!ifa.secondary && ifa.scope !== Scope.Link && ifa.scope <= scope) return ifa.local
      }
    }
    return 0
  }

  /** The device holding a local address, if any (by the local table, like inet_addr_type). */
  isLocal(ip: Ipv4): boolean {
    const r = this.ns.local.lookupUsable(ip, 0, null, false)
    return r !== null && r.type === RouteType.Local
  }

  /**
   * __ip_dev_find: an address configured on any device here (up or not), or a local route
   * for it (loopback subnets). What bind() and a route lookup with a source address accept.
   */
  hasAddress(ip: Ipv4): boolean {
    for (const d of this.ns.devices.values()) if (this.ifaOnDevice(d, ip)) return true
    return this.isLocal(ip)
  }

  ifaOnDevice(dev: NetDevice, ip: Ipv4): Ifa | undefined {
    return dev.inet.find((i) => i.local === ip)
  }
}

function isLoopbackNet(ip: Ipv4): boolean {
  return (ip & 0xff000000) >>> 0 === LOOPBACK_NET
}
