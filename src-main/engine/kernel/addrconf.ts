import type { NetDevice } from './device.ts'
import type { DeviceEvent, Netns } from './netns.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { Skb } from './skb.ts'
import { dadProbe, mldReport, routerSolicitation, solicitedNodeMacOf } from './ipv6-chatter.ts'

const ALL_NODES_MAC = 0x333300000001
const IPV6_MIN_MTU = 1280

export interface LinkLocalState {
  /** The MAC the address was made from (EUI-64): it stays when the MAC changes. */
  readonly mac: number
  tentative: boolean
  /** Bumped to cancel a pending DAD completion. */
  dadGen: number
  readonly dev: NetDevice
  readonly conf: Addrconf
  /**
   * The next router solicitation's interval, in whole seconds (a small integer: V8 keeps it in
   * the object, where nanoseconds past 2^31 would be a heap number per device).
   */
  nextRsSec: number
  /** When addrconf_dev_config ran for it (its IPv6 routes were added), in this namespace's order. */
  readonly seq: number
}

/**
 * The IPv6 side the IPv4 lab still shows: each device's EUI-64 link-local address (tentative until
 * duplicate address detection finishes, which needs carrier) and the multicast addresses IPv6
 * joins, which `bridge fdb show` lists as `self permanent` entries.
 */
export class Addrconf {
  /**
   * Devices without an inet6_dev because their MTU is below IPV6_MIN_MTU (made on first use:
   * few have one). A device's link-local state is its own `linkLocal`, set by this namespace's
   * addrconf while it has the address.
   */
  private noIpv6: WeakSet<NetDevice> | null = null
  private configured = 0
  /** Places in that order kept for a veth being opened whose peer was configured first (made on first use). */
  private reserved: WeakMap<NetDevice, number> | null = null

  constructor(private readonly ns: Netns) {}

  /** Whether the device has an inet6_dev (none while its MTU is below 1280). */
  hasInet6Dev(dev: NetDevice): boolean {
    return !this.noIpv6?.has(dev)
  }

  /**
   * The order in which devices were configured for IPv6 (addrconf_dev_config added their
   * `fe80::/64` and `ff00::/8` routes, appended behind those of the same metric), or undefined
   * for a device without a link-local address.
   */
  configOrder(dev: NetDevice): number | undefined {
    const st = dev.linkLocal
    return st !== null && st.conf === this ? st.seq : undefined
  }

  tentative(dev: NetDevice): boolean {
    const st = dev.linkLocal
    return st !== null && st.conf === this && st.tentative
  }

  /** addrconf_link_ready: up, with an operational (or unknown) state. */
  private linkReady(dev: NetDevice): boolean {
    const st = dev.operState
    return dev.adminUp && (st === 'UP' || st === 'UNKNOWN')
  }

  onDeviceEvent(dev: NetDevice, ev: DeviceEvent): void {
    if (dev.isLoopback) return
    switch (ev) {
      case 'register':
        // ipv6_add_dev only for an MTU IPv6 can use (IPV6_MIN_MTU).
        if (dev.mtu < IPV6_MIN_MTU) (this.noIpv6 ??= new WeakSet()).add(dev)
        else dev.mcAdd(ALL_NODES_MAC)
        break
      case 'changemtu':
        if (dev.mtu < IPV6_MIN_MTU) {
          // addrconf_ifdown(dev, unregister): IPv6 stops on this device, its groups with it.
          if (this.noIpv6?.has(dev)) break
          ;(this.noIpv6 ??= new WeakSet()).add(dev)
          this.removeLinkLocal(dev)
          // Every IPv6 group goes with the inet6_dev (33:33:...), the bridge's ff02::6a included.
          for (const mac of dev.mcAddrs()) if (Math.floor(mac / 0x1_0000_0000) === 0x3333) while (dev.hasMc(mac)) dev.mcDel(mac)
        } else if (this.noIpv6?.has(dev)) {
          // A usable MTU again: a new inet6_dev, configured at once when the link is ready.
          this.noIpv6!.delete(dev)
          dev.mcAdd(ALL_NODES_MAC)
          if (this.linkReady(dev)) this.configure(dev)
        }
        break
      case 'up':
        if (this.noIpv6?.has(dev)) break
        if (!dev.hasMc(ALL_NODES_MAC)) dev.mcAdd(ALL_NODES_MAC)
        if (this.linkReady(dev)) this.configure(dev)
        break
      case 'change':
        if (this.noIpv6?.has(dev)) break
        if (this.linkReady(dev)) {
          if (dev.linkLocal === null) this.configure(dev)
          else this.startDad(dev)
        }
        break
      case 'down':
        this.removeLinkLocal(dev)
        dev.mcDel(ALL_NODES_MAC)
        break
      case 'unregister':
        this.removeLinkLocal(dev)
        break
      default:
        break
    }
  }

  /** addrconf_dev_config: the link-local address from the current MAC, tentative, DAD started. */
  private configure(dev: NetDevice): void {
    if (dev.linkLocal !== null) return
    dev.mcAdd(solicitedNodeMacOf(dev.mac))
    const st: LinkLocalState = { mac: dev.mac, tentative: true, dadGen: 0, dev, conf: this, nextRsSec: 0, seq: this.configSeq(dev) }
    dev.linkLocal = st
    this.report(dev, st)
    this.startDad(dev)
  }

  /**
   * An MLDv2 state-change report for the solicited-node group (from :: while tentative). The
   * kernel sends each report robustness-variable (2) times, the second after a random part of a
   * second; the engine sends it once (docs/conformance.md: a big lab's build would flood twice as
   * many reports through every bridge).
   */
  private report(dev: NetDevice, st: LinkLocalState): void {
    if (dev.linkLocal !== null) this.send(dev, mldReport(dev.mac, dev.linkLocal.mac, st.tentative, this.ns.world))
  }

  /**
   * The device's place in the order of configuration. Opening a veth whose peer in this namespace
   * is up gives both carrier here in one step, the peer first (its NETDEV_CHANGE, then the opened
   * device's NETDEV_UP); the kernel's veth_open turns the opened device's carrier on first, and
   * linkwatch configures both in that order. The opened device keeps the earlier place.
   */
  private configSeq(dev: NetDevice): number {
    const kept = this.reserved?.get(dev)
    if (kept !== undefined) {
      this.reserved!.delete(dev)
      return kept
    }
    const opening = dev.link
    if (opening && opening.netns === this.ns && opening.adminUp && opening.linkLocal === null && !this.noIpv6?.has(opening) && this.linkReady(opening)) {
      (this.reserved ??= new WeakMap()).set(opening, ++this.configured)
    }
    return ++this.configured
  }

  /** Puts one of the IPv6 housekeeping frames on the device (if it can still send). */
  private send(dev: NetDevice, frame: Uint8Array): void {
    if (!dev.running || dev.netns !== this.ns || this.ns.dead) return
    dev.xmit(new Skb(frame, this.ns.world.nextPacketId()))
  }

  /**
   * DAD: after a random delay below rtr_solicit_delay (1 s) one probe, then retrans_time (1 s);
   * when it completes, a new MLD report and router solicitations with backoff (4 s, 8 s, ...).
   */
  private startDad(dev: NetDevice): void {
    const st = dev.linkLocal
    if (!st || st.conf !== this || !st.tentative) return
    const gen = ++st.dadGen
    const jitter = this.ns.world.rng.below(NS_PER_SEC)
    // The timers are functions of (state, generation), not closures: every device of a lab
    // sets three of them when it comes up.
    if (jitter > 0) this.ns.world.sched.afterCall(jitter, dadProbeTimer, st, gen)
    else this.ns.world.sched.after(0, () => dadProbeTimer(st, gen))
  }

  /** The DAD probe, after the random delay. */
  probe(st: LinkLocalState, gen: number): void {
    const dev = st.dev
    if (st.dadGen !== gen || this.ns.dead || dev.linkLocal === null) return
    let nonce = 0
    for (let i = 0; i < 6; i++) nonce = nonce * 256 + this.ns.world.rng.below(256)
    this.send(dev, dadProbe(dev.mac, dev.linkLocal.mac, nonce, this.ns.world))
    this.ns.world.sched.afterCall(NS_PER_SEC, dadDoneTimer, st, gen)
  }

  /** DAD completed (retrans_time after the probe). */
  dadDone(st: LinkLocalState, gen: number): void {
    const dev = st.dev
    // Only what clears IF_READY (down, unregister, an MTU below 1280) stops DAD, and each of
    // those cancels it; a carrier lost meanwhile does not (addrconf_dad_work).
    if (st.dadGen !== gen || this.ns.dead || dev.linkLocal === null) return
    st.tentative = false
    this.report(dev, st)
    st.nextRsSec = 4
    this.solicitRouters(st, gen)
  }

  /** A router solicitation, then the next one after nextRsSec (doubling, up to an hour). */
  solicitRouters(st: LinkLocalState, gen: number): void {
    const dev = st.dev
    if (dev.linkLocal === null) return
    this.send(dev, routerSolicitation(dev.mac, dev.linkLocal.mac, this.ns.world))
    this.ns.world.sched.afterCall(st.nextRsSec * NS_PER_SEC, rsTimer, st, gen)
  }

  rsTimer(st: LinkLocalState, gen: number): void {
    if (st.dadGen !== gen || this.ns.dead || st.dev.linkLocal === null) return
    st.nextRsSec = Math.min(st.nextRsSec * 2, 3600)
    this.solicitRouters(st, gen)
  }

  private removeLinkLocal(dev: NetDevice): void {
    const st = dev.linkLocal
    if (st === null) return
    dev.mcDel(solicitedNodeMacOf(st.mac))
    st.dadGen++
    dev.linkLocal = null
  }
}

function dadProbeTimer(st: LinkLocalState, gen: number): void {
  st.conf.probe(st, gen)
}

function dadDoneTimer(st: LinkLocalState, gen: number): void {
  st.conf.dadDone(st, gen)
}

function rsTimer(st: LinkLocalState, gen: number): void {
  st.conf.rsTimer(st, gen)
}
