import type { Mac } from '../addr/mac.ts'
import type { Ipv4 } from '../addr/ipv4.ts'
import type { Netns } from './netns.ts'
import type { Skb } from './skb.ts'
import type { BridgeDevice } from './bridge.ts'
import type { LinkLocalState } from './addrconf.ts'
import { eui64LinkLocal } from '../addr/ipv6.ts'
import type { InputRouteCache } from './route.ts'

export type DeviceKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'dummy'

/** Route/address scopes as numbered by the kernel (rtnetlink.h). */
export const enum Scope {
  Universe = 0,
  Site = 200,
  Link = 253,
  Host = 254,
  Nowhere = 255,
}

/** One IPv4 address on a device (Linux's in_ifaddr). */
export interface Ifa {
  local: Ipv4
  prefixLen: number
  /** 0 when none was given (iproute2 does not set one unless `brd` is used). */
  broadcast: Ipv4
  scope: Scope
  label: string
  /** Secondary = another address in a subnet the device already has a primary for. */
  secondary: boolean
}

/** The unicast list of a device that has none (shared). */
const NO_MACS: readonly Mac[] = Object.freeze([])

export interface DeviceStats {
  rxPackets: number
  rxBytes: number
  rxDropped: number
  txPackets: number
  txBytes: number
  txDropped: number
}

/**
 * A network device in one namespace (Linux's net_device). Subclasses implement how frames
 * leave (`xmit`) and what carrier means for them; the namespace reacts to state changes the
 * way the kernel's netdev notifiers do (routes, neighbours, multicast, IPv6 link-local).
 */
export abstract class NetDevice {
  abstract readonly kind: DeviceKind
  ifindex = 0
  adminUp = false
  /** A device that was ever up keeps its `noqueue` qdisc; one never up shows `noop`. */
  everUp = false
  /** True when the address was assigned explicitly (a bridge then stops following its ports). */
  macSet = false
  master: BridgeDevice | null = null
  txQueueLen = 1000
  /** A carrier loss waits for linkwatch (carrierLostLater). */
  protected linkwatchPending = false
  /** What default_operstate found for the lower device when the carrier last went (null: never). */
  private lowerUpAtCarrierChange: boolean | null = null
  /** dev_set_promiscuity count: a packet capture (tcpdump without -p) holds one while it runs. */
  promisc = 0
  /** `ip link set DEV promisc on` (IFF_PROMISC in gflags, the one `ip link` shows); holds one count. */
  userPromisc = false
  /** `ip link set DEV alias TEXT` (IFLA_IFALIAS), null when unset. */
  alias: string | null = null
  /** The last input route decision for a packet received here (route.ts), made by the first. */
  inputRoute: InputRouteCache | null = null
  /** IPv4 addresses, primaries before secondaries, in insertion order (in_device ifa_list). */
  readonly inet: Ifa[] = []
  /**
   * The IPv6 link-local address's state (addrconf.ts) while the device has one: the MAC it was
   * made from, duplicate address detection and router solicitation.
   */
  linkLocal: LinkLocalState | null = null

  /** IPv6 link-local address (EUI-64) while the device is up, as the kernel's addrconf adds (made when read). */
  get ipv6LinkLocal(): Uint8Array | null {
    const st = this.linkLocal
    return st === null ? null : eui64LinkLocal(st.mac)
  }
  /**
   * Hardware multicast addresses the device listens to, in the order joined, each with how many
   * protocols hold it: [mac, refs, mac, refs, ...] (flat numbers: thousands of devices have a few each).
   */
  private mc: number[] = []
  /**
   * Unicast addresses added with `bridge fdb add MAC dev DEV self` (dev_uc_add), in the order
   * added; null until the first (few devices ever get one).
   */
  private ucList: Mac[] | null = null

  /** The unicast addresses added with `bridge fdb add MAC dev DEV self`, in the order added. */
  get uc(): readonly Mac[] {
    return this.ucList ?? NO_MACS
  }

  ucAdd(mac: Mac): void {
    ;(this.ucList ??= []).push(mac)
  }

  /** Removes a unicast address; false when the device does not have it. */
  ucDel(mac: Mac): boolean {
    const i = this.ucList === null ? -1 : this.ucList.indexOf(mac)
    if (i < 0) return false
    this.ucList!.splice(i, 1)
    return true
  }
  /**
   * The counters as the kernel's drivers update them. Frames a bridge floods to ports that only
   * count them are counted lazily (counted-flood.ts): read them through `stats`, which settles
   * those first.
   */
  /** carrier_up_count + carrier_down_count: the times netif_carrier_on/off changed the carrier. */
  carrierChanges = 0
  readonly counters: DeviceStats = { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 }

  /** The device's counters (`ip -s link`, /proc/net/dev), with every flood counted. */
  get stats(): DeviceStats {
    this.netns.world.settleFloods()
    return this.counters
  }

  constructor(
    public netns: Netns,
    public name: string,
    public mac: Mac,
    public mtu: number,
  ) {}

  abstract get minMtu(): number
  abstract get maxMtu(): number

  /** Physical-layer carrier as the driver reports it (netif_carrier_ok). */
  abstract get carrier(): boolean

  /** Whether the driver reports operstate changes; those that do not stay `UNKNOWN` when up. */
  get tracksOperstate(): boolean {
    return true
  }

  /** The device this one is stacked on or paired with (IFLA_LINK), if any. */
  get link(): NetDevice | null {
    return null
  }

  get isLoopback(): boolean {
    return this.kind === 'loopback'
  }

  /** IFF_RUNNING / LOWER_UP: up and with carrier. */
  get running(): boolean {
    return this.adminUp && this.carrier
  }

  get operState(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (!this.adminUp) return 'DOWN'
    if (!this.tracksOperstate) return 'UNKNOWN'
    // Until linkwatch has run, operstate is what it stored last (up, since only losses wait).
    if (this.linkwatchPending) return 'UP'
    if (!this.carrier) {
      // default_operstate looks the link's ifindex up in the device's OWN namespace: a veth whose
      // peer lives elsewhere finds no device there (or an unrelated one) and reports DOWN.
      const l = this.link
      if (!l) return 'DOWN'
      // linkwatch stores operstate when the carrier changes; it is not recomputed when that
      // other device changes later.
      if (this.lowerUpAtCarrierChange !== null) return this.lowerUpAtCarrierChange ? 'DOWN' : 'LOWERLAYERDOWN'
      return this.lowerOperUp() ? 'DOWN' : 'LOWERLAYERDOWN'
    }
    return 'UP'
  }

  /** default_operstate's netif_oper_up(the device with our link's ifindex in our namespace). */
  private lowerOperUp(): boolean {
    const l = this.link
    const same = l ? this.netns.devices.get(l.ifindex) : undefined
    if (!same || same === this) return true
    // netif_oper_up reads the other device's stored state; up with carrier (or untracked) is up.
    return same.adminUp && (same.carrier || !same.tracksOperstate)
  }

  /** ndo_change_mtu's own refusal (throws a KernelError), after the min/max checks passed. */
  checkMtuChange(_mtu: number): void {}

  /** Transmit a frame on this device's medium (called by the stack, a bridge or an upper device). */
  abstract xmit(skb: Skb): void

  /** A frame arrives from the medium: to the bridge if enslaved, otherwise to the stack. */
  receive(skb: Skb): void {
    if (!this.adminUp) {
      this.counters.rxDropped++
      this.netns.world.trace.drop(this.netns, this, skb, 'ethernet', 'drop.device_down', { dev: this.name })
      return
    }
    this.counters.rxPackets++
    this.counters.rxBytes += this.statBytes(skb)
    if (this.netns.world.trace.observing) this.netns.world.trace.frame('recv', this.netns, this, skb, 'recv.frame', { dev: this.name })
    if (this.master) this.master.handleFrame(this, skb)
    else this.netns.stack.receive(this, skb)
  }

  /** receive() of a frame no layer above the driver acts on (IPv6: only counted, not simulated). */
  receiveInert(skb: Skb): void {
    if (!this.adminUp) this.counters.rxDropped++
    else {
      this.counters.rxPackets++
      this.counters.rxBytes += this.statBytes(skb)
    }
  }

  countTx(skb: Skb): void {
    this.counters.txPackets++
    this.counters.txBytes += this.statBytes(skb)
  }

  /** The bytes a frame adds to the device's counters: all of it (the Ethernet header included). */
  protected statBytes(skb: Skb): number {
    return skb.data.length
  }

  mcAdd(mac: Mac): void {
    const i = this.mcIndex(mac)
    if (i >= 0) this.mc[i + 1]++
    // A new list of exactly its size (push would leave room for 16 more numbers on every device).
    else this.mc = this.mc.concat(mac, 1)
  }

  mcDel(mac: Mac): void {
    const i = this.mcIndex(mac)
    if (i < 0) return
    if (--this.mc[i + 1] <= 0) this.mc.splice(i, 2)
  }

  hasMc(mac: Mac): boolean {
    return this.mcIndex(mac) >= 0
  }

  /** The multicast addresses in the order they were joined (`bridge fdb show`'s self entries). */
  mcAddrs(): Mac[] {
    const out: Mac[] = []
    for (let i = 0; i < this.mc.length; i += 2) out.push(this.mc[i])
    return out
  }

  private mcIndex(mac: Mac): number {
    for (let i = 0; i < this.mc.length; i += 2) if (this.mc[i] === mac) return i
    return -1
  }

  /** Called by the driver when carrier changes; the namespace reacts like linkwatch. */
  protected carrierChanged(): void {
    this.linkwatchPending = false
    this.lowerUpAtCarrierChange = this.carrier || !this.link ? null : this.lowerOperUp()
    this.netns.deviceEvent(this, 'change')
  }

  /**
   * linkwatch_fire_event for a carrier loss that is not urgent: operstate and the notifiers
   * follow once the operation that took the carrier is over (a port deleted with the MTU
   * following it still sees the device UP). Only the bridge uses it so far; the kernel's
   * one-second spacing of such runs is not modelled (docs/conformance.md).
   */
  protected carrierLostLater(): void {
    if (this.linkwatchPending) return
    this.linkwatchPending = true
    this.netns.world.sched.after(0, () => {
      if (!this.linkwatchPending) return
      this.linkwatchPending = false
      if (this.netns.dead || this.netns.devices.get(this.ifindex) !== this || !this.adminUp) return
      this.carrierChanged()
    })
  }

  /** Device-specific work when brought up/down (before the namespace's notifiers run). */
  open(): void {}
  stop(): void {}
  /** Device-specific teardown when deleted. */
  destroy(): void {}
}
