import type { World } from './world.ts'
import type { NetDevice } from './device.ts'
import { LoopbackDevice } from './loopback.ts'
import { FibTable, routingGen, RT_TABLE_LOCAL, RT_TABLE_MAIN } from './fib.ts'
import { NeighTable } from './neigh.ts'
import { Ipv4Stack } from './ipv4.ts'
import { Icmp } from './icmp.ts'
import { Sockets } from './sockets.ts'
import { Arp } from './arp.ts'
import { Sysctl } from './sysctl.ts'
import { Devinet } from './devinet.ts'
import { Addrconf } from './addrconf.ts'
import { BridgeDevice } from './bridge.ts'
import type { OutputRouteCache } from './route.ts'
import { KernelError } from './errors.ts'

export type DeviceEvent = 'register' | 'up' | 'down' | 'change' | 'changeaddr' | 'changemtu' | 'unregister'

/** Linux's IFNAMSIZ - 1. */
export const IFNAMSIZ_MAX = 15

export function validIfName(name: string): boolean {
  if (name.length === 0 || name.length > IFNAMSIZ_MAX || name === '.' || name === '..') return false
  // dev_valid_name: no '/', ':' or whitespace (isspace; JavaScript's \s besides, as before). A
  // loop, not a regular expression: every device a build makes is checked.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c === 0x2f || c === 0x3a || c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(name[i]))) return false
  }
  return true
}

/**
 * A network namespace: its devices (with per-namespace, cyclically allocated ifindexes), IPv4
 * addresses, routing tables, neighbour table, sysctls and sockets. Reacts to device events the
 * way the kernel's netdev notifiers do.
 */
export class Netns {
  readonly devices = new Map<number, NetDevice>()
  readonly byName = new Map<string, NetDevice>()
  /** The last ifindex handed out; allocation continues cyclically after it (dev_index_reserve). */
  private ifindexCursor = 0
  /** Peer namespace ids (netnsid), allocated when a veth pair first spans two namespaces. */
  readonly nsids = new Map<Netns, number>()
  /** Whether no id was freed since the first: the ids in use are then 0..size-1. */
  private nsidsDense = true
  /** The main and local tables, which every namespace has; the others are made on first use. */
  readonly main = new FibTable(RT_TABLE_MAIN)
  readonly local = new FibTable(RT_TABLE_LOCAL)
  private others: Map<number, FibTable> | null = null
  readonly lo: LoopbackDevice
  readonly sysctl = new Sysctl()
  readonly devinet: Devinet
  readonly addrconf: Addrconf
  readonly neigh: NeighTable
  readonly stack: Ipv4Stack
  // Created on first use: most pods of a large cluster never send an ICMP error or open a socket.
  private icmpState: Icmp | null = null
  private socketsState: Sockets | null = null
  readonly arp: Arp
  /** Set when deleted; devices and timers check it. */
  dead = false
  /** The output route cache (route.ts), made by the first lookup. */
  outputRoutes: OutputRouteCache | null = null

  constructor(
    readonly world: World,
    readonly name: string,
  ) {
    this.devinet = new Devinet(this)
    this.addrconf = new Addrconf(this)
    this.neigh = new NeighTable(this)
    this.stack = new Ipv4Stack(this)
    this.arp = new Arp(this)
    this.lo = new LoopbackDevice(this, 'lo', 0, 65536)
    this.register(this.lo)
  }

  get icmp(): Icmp {
    return (this.icmpState ??= new Icmp(this))
  }

  get sockets(): Sockets {
    return (this.socketsState ??= new Sockets(this))
  }

  /** The table with this id, made when it does not exist yet. */
  table(id: number): FibTable {
    let t = this.tableIfAny(id)
    if (!t) {
      t = new FibTable(id)
      ;(this.others ??= new Map()).set(id, t)
    }
    return t
  }

  /** The table with this id if it exists. */
  tableIfAny(id: number): FibTable | undefined {
    if (id === RT_TABLE_MAIN) return this.main
    if (id === RT_TABLE_LOCAL) return this.local
    return this.others?.get(id)
  }

  /** Every table by id: main and local first, then the others in the order they were made. */
  get tables(): ReadonlyMap<number, FibTable> {
    const all = new Map<number, FibTable>()
    all.set(RT_TABLE_MAIN, this.main)
    all.set(RT_TABLE_LOCAL, this.local)
    if (this.others) for (const [id, t] of this.others) all.set(id, t)
    return all
  }

  dev(name: string): NetDevice | undefined {
    return this.byName.get(name)
  }

  /** Devices in ifindex order (how dumps list them). */
  deviceList(): NetDevice[] {
    return [...this.devices.values()].sort((a, b) => a.ifindex - b.ifindex)
  }

  private allocIfindex(): number {
    for (let i = 0; i < 0x7fffffff; i++) {
      this.ifindexCursor = this.ifindexCursor >= 0x7fffffff ? 1 : this.ifindexCursor + 1
      if (!this.devices.has(this.ifindexCursor)) return this.ifindexCursor
    }
    throw new KernelError('ENFILE')
  }

  /** register_netdevice: name must be free; a wanted ifindex is kept when free (netns moves). */
  register(dev: NetDevice, wantIndex = 0): void {
    if (this.byName.has(dev.name)) throw new KernelError('EEXIST')
    dev.netns = this
    dev.ifindex = wantIndex && !this.devices.has(wantIndex) ? wantIndex : this.allocIfindex()
    this.devices.set(dev.ifindex, dev)
    this.byName.set(dev.name, dev)
    this.deviceEvent(dev, 'register')
  }

  /** Takes a device out of this namespace (deletion or a move): down first, then unregister. */
  unregister(dev: NetDevice): void {
    if (dev.adminUp) this.setUp(dev, false)
    if (dev.master) dev.master.removePort(dev)
    if (dev instanceof BridgeDevice) for (const p of [...dev.ports]) dev.removePort(p)
    this.deviceEvent(dev, 'unregister')
    this.devices.delete(dev.ifindex)
    this.byName.delete(dev.name)
  }

  deleteDevice(dev: NetDevice): void {
    if (!this.devices.has(dev.ifindex) || this.devices.get(dev.ifindex) !== dev) return
    this.unregister(dev)
    dev.destroy()
  }

  rename(dev: NetDevice, name: string): void {
    if (name === dev.name) return
    if (this.byName.has(name)) throw new KernelError('EEXIST')
    this.byName.delete(dev.name)
    routingGen.value++
    dev.name = name
    this.byName.set(name, dev)
    for (const ifa of dev.inet) if (!ifa.label.includes(':')) ifa.label = name
  }

  /** dev_change_net_namespace. */
  moveDevice(dev: NetDevice, to: Netns): void {
    if (to === this) return
    if (to.byName.has(dev.name)) throw new KernelError('EEXIST')
    const index = dev.ifindex
    this.unregister(dev)
    to.register(dev, index)
    const link = dev.link
    if (link) {
      to.ensureNsid(link.netns)
      link.netns.ensureNsid(to)
    }
  }

  /** peernet2id_alloc: the id this namespace uses for another (the lowest free one). */
  ensureNsid(other: Netns): number {
    if (other === this) return -1
    let id = this.nsids.get(other)
    if (id === undefined) {
      // Until an id is freed, ids in use are 0..size-1 (an underlay switch of 1,000 nodes
      // allocates 1,000 of them: no scan each time).
      if (this.nsidsDense) id = this.nsids.size
      else {
        id = 0
        const used = new Set(this.nsids.values())
        while (used.has(id)) id++
      }
      this.nsids.set(other, id)
    }
    return id
  }

  /** Frees the id this namespace uses for another (that namespace is gone). */
  forgetNsid(other: Netns): void {
    if (this.nsids.delete(other)) this.nsidsDense = false
  }

  setUp(dev: NetDevice, up: boolean): void {
    if (dev.adminUp === up) return
    routingGen.value++
    if (up) {
      dev.adminUp = true
      try {
        dev.open()
      } catch (e) {
        dev.adminUp = false
        throw e
      }
      dev.everUp = true
      this.deviceEvent(dev, 'up')
    } else {
      dev.adminUp = false
      dev.stop()
      this.deviceEvent(dev, 'down')
    }
    if (dev.master) dev.master.portStateChanged(dev)
    if (dev instanceof BridgeDevice) dev.recomputeCarrier()
  }

  /** The netdev notifier chain: IPv4 (devinet, fib, arp) first, then IPv6 addrconf. */
  deviceEvent(dev: NetDevice, ev: DeviceEvent): void {
    this.world.deviceGen++
    routingGen.value++
    this.devinet.onDeviceEvent(dev, ev)
    this.neigh.onDeviceEvent(dev, ev)
    this.addrconf.onDeviceEvent(dev, ev)
    if (ev === 'change' && dev.master) dev.master.portStateChanged(dev)
  }
}
