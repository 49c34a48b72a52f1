import { formatMac, isMulticastMac, MAC_ZERO, type Mac } from '../addr/mac.ts'
import { ETHERTYPE_IPV6, frameDst, frameEthertype, frameSrc } from '../wire/ethernet.ts'
import { CountedFlood } from './counted-flood.ts'
import { NetDevice } from './device.ts'
import type { Skb } from './skb.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { HZ, jiffiesAt } from './jiffies.ts'

/** A port's tso_max_size: a VXLAN device without a lower device keeps the legacy 65536. */
function tsoMaxSizeOf(d: NetDevice): number {
  const v = d as NetDevice & { cfg?: { lower: NetDevice | null } }
  if (d.kind === 'vxlan') return v.cfg?.lower ? tsoMaxSizeOf(v.cfg.lower) : 65536
  return d instanceof BridgeDevice ? d.tsoMaxSize : 524280
}

/** The bridge's forward_delay (15 s) in jiffies: the timer a port arms when it starts forwarding. */
const FORWARD_DELAY_J = 15 * HZ

/** One bridge forwarding database entry (net_bridge_fdb_entry, no VLANs). */
export interface FdbEntry {
  mac: Mac
  /** The port it points to; null for the bridge's own address. */
  port: NetDevice | null
  /** Our own address (a port's or the bridge's): frames to it go up the bridge's stack. */
  local: boolean
  /** Added by the user (`bridge fdb add ... master`): never aged. */
  isStatic: boolean
  updatedNs: number
}

/**
 * A Linux bridge (cbr0, docker0) with STP off: ports forward as soon as they are up with carrier;
 * it learns source MACs into its FDB, floods broadcast/multicast and unknown unicast, ages
 * entries after 300 s, and delivers frames for its own addresses to its own IP stack.
 */
export class BridgeDevice extends NetDevice {
  readonly kind = 'bridge' as const
  /** Ports, newest first (the kernel adds to the head of port_list). */
  readonly ports: NetDevice[] = []
  /** Insertion order = age; dumps list newest first, as the kernel's hlist does. */
  readonly fdb = new Map<Mac, FdbEntry>()
  ageingNs = 300 * NS_PER_SEC
  /** A new bridge has carrier until its ports say otherwise. */
  private carrierOn = true
  private carrierEverChanged = false
  mtuSetByUser = false
  /** port_no of each port (find_portno: the lowest number free, from 1). */
  private readonly portNos = new Map<NetDevice, number>()
  /** The port numbers in use, and no free number below lowestFreeNo (find_portno's search starts there). */
  private readonly usedNos = new Set<number>()
  private lowestFreeNo = 1
  /** Ports forwarding now, and the jiffy each started (its forward_delay_timer was armed then). */
  private readonly fwdSince = new Map<NetDevice, number>()
  /**
   * tso_max_size: the legacy 65536 of a new device until a port is added; br_add_if's
   * br_set_gso_limits then sets the smallest of the ports', and removing a port leaves it.
   */
  tsoMaxSize = 65536
  /** The jiffy the bridge was opened (its gc_work queued), null while it is down. */
  private openedJ: number | null = null
  /** How floods are counted while the world's devices stay as they were at deviceGen countedGen. */
  private counted: CountedFlood | null = null
  private countedGen = -1

  get minMtu(): number {
    return 68
  }
  get maxMtu(): number {
    return 65535
  }
  get carrier(): boolean {
    return this.carrierOn
  }
  override get tracksOperstate(): boolean {
    return this.carrierEverChanged
  }

  /** A port forwards while both it and the bridge are up and it has carrier (STP disabled). */
  portForwarding(port: NetDevice): boolean {
    return this.adminUp && port.running
  }

  private jiffies(): number {
    return jiffiesAt(this.netns.world.sched.now, this.netns.world.jiffiesOffsetNs)
  }

  /** A port's number (IFLA_BRPORT_NO), 0 for a device that is no port of ours. */
  portNo(port: NetDevice): number {
    return this.portNos.get(port) ?? 0
  }

  /**
   * Jiffies left on a port's forward_delay_timer: with STP off, br_make_forwarding sets the port
   * forwarding at once and still arms the timer for forward_delay; it is deleted when the port
   * is disabled and does nothing when it expires.
   */
  forwardDelayTimer(port: NetDevice): number {
    const since = this.fwdSince.get(port)
    return since === undefined ? 0 : Math.max(0, since + FORWARD_DELAY_J - this.jiffies())
  }

  /**
   * Jiffies left on gc_work (br_fdb_cleanup): queued 1/10 s after the bridge opens
   * (br_stp_enable_bridge), then again after the ageing time, or sooner when a learned entry
   * expires sooner, at least 10 ms apart. Later runs are worked out from the entries as they are
   * now (an entry refreshed since a run counts from its last refresh).
   */
  gcTimer(): number {
    if (this.openedJ === null) return 0
    const now = this.jiffies()
    const hold = Math.round((this.ageingNs / NS_PER_SEC) * HZ)
    let t = this.openedJ + HZ / 10
    for (let i = 0; t <= now && i < 100_000; i++) {
      let delay = hold
      for (const e of this.fdb.values()) {
        if (e.local || e.isStatic) continue
        const expires = jiffiesAt(e.updatedNs, this.netns.world.jiffiesOffsetNs) + hold
        if (expires > t) delay = Math.min(delay, expires - t)
      }
      t += Math.max(delay, 3)
    }
    return t - now
  }

  /** br_stp_enable_port / br_stp_disable_port: ports that start forwarding arm their timer. */
  private syncPortStates(): void {
    // portNos holds exactly the ports (a lookup, where ports.includes made each call quadratic
    // in a switch's ports: a 1,000-node underlay bridge spent a tenth of the build here).
    for (const p of this.fwdSince.keys()) if (!this.portNos.has(p) || !this.portForwarding(p)) this.fwdSince.delete(p)
    if (!this.adminUp) return
    const ports = this.ports
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]
      if (p.running && !this.fwdSince.has(p)) this.fwdSince.set(p, this.jiffies())
    }
  }

  /** br_port_carrier_check / br_port_state_selection: carrier = some port forwarding. */
  recomputeCarrier(): void {
    this.syncPortStates()
    // After the sync, fwdSince holds exactly the ports forwarding now.
    const on = this.fwdSince.size > 0
    if (on !== this.carrierOn) {
      this.carrierOn = on
      this.carrierChanges++
      this.carrierEverChanged = true
      if (!this.adminUp) return
      // linkwatch_urgent_event: carrier coming back (the qdisc changes) is applied at once; its
      // loss is not, so it reaches operstate and the notifiers only after the operation that
      // caused it (a port deleted with the MTU following it still sees the bridge UP).
      if (on) this.carrierChanged()
      else this.carrierLostLater()
    }
  }

  override open(): void {
    // Multicast snooping joins the router-discovery groups (224.0.0.106, ff02::6a) on open.
    this.mcAdd(0x01005e00006a)
    this.mcAdd(0x33330000006a)
    this.openedJ = this.jiffies()
    this.recomputeCarrierAfterOpen()
  }

  private recomputeCarrierAfterOpen(): void {
    if (this.ports.length === 0) return
    const on = this.ports.some((p) => p.running)
    if (on !== this.carrierOn) {
      this.carrierOn = on
      this.carrierChanges++
      this.carrierEverChanged = true
    }
  }

  override stop(): void {
    this.mcDel(0x01005e00006a)
    this.mcDel(0x33330000006a)
    this.openedJ = null
    for (const p of this.ports) this.flushPort(p, false)
  }

  addPort(dev: NetDevice): void {
    this.netns.world.deviceGen++
    dev.master = this
    const no = this.freePortNo()
    this.portNos.set(dev, no)
    this.usedNos.add(no)
    this.ports.unshift(dev)
    let tso = Infinity
    for (const p of this.ports) tso = Math.min(tso, tsoMaxSizeOf(p))
    this.tsoMaxSize = tso
    this.insertLocal(dev.mac, dev)
    if (!this.mtuSetByUser) this.autoMtu()
    this.recalcAddress()
    this.recomputeCarrier()
  }

  /** find_portno: the lowest port number free, from 1. */
  private freePortNo(): number {
    let no = this.lowestFreeNo
    while (this.usedNos.has(no)) no++
    this.lowestFreeNo = no + 1
    return no
  }

  removePort(dev: NetDevice): void {
    const i = this.ports.indexOf(dev)
    if (i < 0) return
    this.netns.world.deviceGen++
    this.ports.splice(i, 1)
    const no = this.portNos.get(dev)!
    this.portNos.delete(dev)
    this.usedNos.delete(no)
    if (no < this.lowestFreeNo) this.lowestFreeNo = no
    dev.master = null
    this.flushPort(dev, true)
    if (!this.mtuSetByUser) this.autoMtu()
    this.recalcAddress()
    this.recomputeCarrier()
  }

  /** br_mtu_auto_adjust: a port's MTU changed. */
  portMtuChanged(): void {
    if (!this.mtuSetByUser) this.autoMtu()
  }

  /** A port changed state (up/down/carrier): its learned entries go when it stops forwarding. */
  portStateChanged(dev: NetDevice): void {
    if (!this.portForwarding(dev)) this.flushPort(dev, false)
    this.recomputeCarrier()
  }

  /** A port's MAC changed: move its local entry and maybe the bridge's own address. */
  portAddressChanged(dev: NetDevice, old: Mac): void {
    const e = this.fdb.get(old)
    if (e && e.local && e.port === dev) this.fdb.delete(old)
    this.insertLocal(dev.mac, dev)
    this.recalcAddress()
  }

  /** The bridge's own MAC changed (set by the user, or following its ports). */
  ownAddressChanged(old: Mac): void {
    const e = this.fdb.get(old)
    if (e && e.local && e.port === null) this.fdb.delete(old)
    if (this.mac !== MAC_ZERO) this.insertLocal(this.mac, null)
    // br_stp_change_bridge_id → br_port_state_selection: carrier follows the live ports again.
    this.recomputeCarrier()
  }

  /** A bridge created with an explicit address starts without carrier (state selection ran). */
  startWithoutCarrier(): void {
    if (this.carrierOn) this.carrierChanges++
    this.carrierOn = false
    this.carrierEverChanged = true
  }

  /** br_stp_recalculate_bridge_id: follow the lowest port MAC unless the address was set. */
  private recalcAddress(): void {
    if (this.macSet) return
    let addr = MAC_ZERO
    for (const p of this.ports) if (addr === MAC_ZERO || p.mac < addr) addr = p.mac
    if (addr === this.mac) return
    const old = this.mac
    this.mac = addr
    this.ownAddressChanged(old)
    this.netns.deviceEvent(this, 'changeaddr')
  }

  private autoMtu(): void {
    // br_mtu_min: the smallest port MTU, or ETH_DATA_LEN once the last port is gone.
    let mtu = this.ports.length ? Infinity : 1500
    for (const p of this.ports) mtu = Math.min(mtu, p.mtu)
    if (mtu !== this.mtu) {
      this.mtu = mtu
      this.netns.deviceEvent(this, 'changemtu')
    }
  }

  insertLocal(mac: Mac, port: NetDevice | null): void {
    const e = this.fdb.get(mac)
    if (e && e.local) return
    if (e) this.fdb.delete(mac)
    this.fdb.set(mac, { mac, port, local: true, isStatic: true, updatedNs: this.netns.world.sched.now })
  }

  private flushPort(dev: NetDevice, includingLocal: boolean): void {
    for (const [mac, e] of this.fdb) {
      if (e.port !== dev) continue
      if (e.local || e.isStatic) {
        if (includingLocal) this.fdb.delete(mac)
        continue
      }
      this.fdb.delete(mac)
    }
  }

  /** Looks up a destination, dropping an aged entry on the way. */
  lookup(mac: Mac): FdbEntry | undefined {
    const e = this.fdb.get(mac)
    if (e && !e.local && !e.isStatic && this.netns.world.sched.now - e.updatedNs >= this.ageingNs) {
      this.fdb.delete(mac)
      return undefined
    }
    return e
  }

  /** Entries that are still alive, oldest first. */
  liveEntries(): FdbEntry[] {
    const out: FdbEntry[] = []
    for (const mac of [...this.fdb.keys()]) {
      const e = this.lookup(mac)
      if (e) out.push(e)
    }
    return out
  }

  private learn(port: NetDevice, src: Mac): void {
    if (isMulticastMac(src)) return
    const now = this.netns.world.sched.now
    const e = this.lookup(src)
    if (e) {
      if (e.local || e.isStatic) return
      if (e.port !== port) {
        e.port = port
        this.traceLearn(port, src, 'bridge.moved')
      }
      e.updatedNs = now
      return
    }
    this.fdb.set(src, { mac: src, port, local: false, isStatic: false, updatedNs: now })
    this.traceLearn(port, src, 'bridge.learn')
  }

  private traceLearn(port: NetDevice, mac: Mac, msg: 'bridge.learn' | 'bridge.moved'): void {
    const t = this.netns.world.trace
    if (!t.enabled) return
    t.note('bridge', this.netns, this, t.current, msg, { bridge: this.name, mac: formatMac(mac), port: port.name }, `${formatMac(mac)} dev ${port.name} master ${this.name}`)
  }

  /** br_handle_frame: a frame arrived on one of our ports. */
  handleFrame(port: NetDevice, skb: Skb): void {
    const trace = this.netns.world.trace
    if (!this.portForwarding(port)) {
      trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_port_disabled', { bridge: this.name, dev: port.name })
      return
    }
    const frame = skb.data
    const src = frameSrc(frame)
    const dst = frameDst(frame)
    if (isMulticastMac(src) || src === MAC_ZERO) {
      trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_bad_src', { bridge: this.name, mac: formatMac(src) })
      return
    }
    if (this.looped(skb, port)) return
    trace.current = skb.id
    this.learn(port, src)
    if (isMulticastMac(dst)) {
      this.flood(skb, port)
      this.passUp(skb, port)
      return
    }
    const e = this.lookup(dst)
    if (e?.local) {
      this.passUp(skb, port)
      return
    }
    if (e && e.port) {
      if (e.port === port) {
        trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_same_port', { bridge: this.name, mac: formatMac(dst), dev: port.name }, fdbLine(e, this.name))
      } else this.forward(e.port, skb, e)
    } else this.flood(skb, port)
    // br_handle_frame_finish: a promiscuous bridge (a capture on it) also gets every frame it
    // bridges; the stack then drops it as addressed to another host.
    if (this.promisc > 0 && this.adminUp) {
      if (trace.observing) trace.frame('recv', this.netns, this, skb, 'recv.frame', { dev: this.name })
      this.counters.rxPackets++
      this.counters.rxBytes += skb.data.length
    }
  }

  /**
   * A frame coming back to a bridge it has already been through: bridges joined in a loop, with
   * STP off as here, flood it round forever and multiply it at every bridge with more than two
   * ports in the loop (a broadcast storm, on Linux too). The lab lets a frame come round
   * STORM_PASSES times, so the storm shows in captures and counters, then drops its copies and
   * says so, which keeps the work and the memory of a storm bounded.
   */
  private looped(skb: Skb, port: NetDevice): boolean {
    if (skb.firstBridge === null) {
      skb.firstBridge = this
      return false
    }
    if (skb.firstBridge !== this && !skb.moreBridges?.includes(this)) {
      ;(skb.moreBridges ??= []).push(this)
      return false
    }
    if (++skb.loopPasses <= STORM_PASSES) return false
    this.counters.rxDropped++
    this.netns.world.trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_storm', { bridge: this.name, dev: port.name, passes: STORM_PASSES })
    this.netns.world.noteStorm(this.netns.name, this.name)
    return true
  }

  /** br_dev_xmit: our own stack sends through the bridge. */
  xmit(skb: Skb): void {
    const trace = this.netns.world.trace
    if (skb.firstBridge === null) skb.firstBridge = this
    else if (skb.firstBridge !== this && !skb.moreBridges?.includes(this)) (skb.moreBridges ??= []).push(this)
    // Without carrier (no port forwarding) linkwatch has put the noop qdisc on the bridge
    // (dev_deactivate, up to a second after the carrier went): nothing reaches a capture.
    if (!this.carrierOn && !this.linkwatchPending) {
      this.counters.txDropped++
      trace.drop(this.netns, this, skb, 'ethernet', 'drop.no_carrier', { dev: this.name })
      return
    }
    this.countTx(skb)
    if (trace.observing) trace.frame('xmit', this.netns, this, skb, 'xmit.bridge', { dev: this.name })
    const dst = frameDst(skb.data)
    if (!isMulticastMac(dst)) {
      const e = this.lookup(dst)
      if (e?.port) {
        this.forward(e.port, skb, e)
        return
      }
      if (e?.local) {
        trace.drop(this.netns, this, skb, 'ethernet', 'drop.bridge_to_self', { bridge: this.name })
        return
      }
    }
    this.flood(skb, null)
  }

  private forward(port: NetDevice, skb: Skb, e: FdbEntry): void {
    const trace = this.netns.world.trace
    if (!this.portForwarding(port)) {
      trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_port_disabled', { bridge: this.name, dev: port.name })
      return
    }
    if (trace.enabled) trace.note('bridge', this.netns, this, skb.id, 'bridge.forward', { bridge: this.name, mac: formatMac(e.mac), port: port.name }, fdbLine(e, this.name))
    this.toPort(port, skb)
  }

  private flood(skb: Skb, ingress: NetDevice | null): void {
    const trace = this.netns.world.trace
    if (trace.enabled) {
      const out = this.ports.filter((p) => p !== ingress && this.portForwarding(p))
      trace.note('bridge', this.netns, this, skb.id, isMulticastMac(frameDst(skb.data)) ? 'bridge.flood_broadcast' : 'bridge.flood_unknown', { bridge: this.name, mac: formatMac(frameDst(skb.data)), ports: out.map((p) => p.name).join(', ') || '-' })
      for (const p of out) this.toPort(p, skb)
      return
    }
    // The same walk without the list: floods are the bulk of a big lab's frames.
    if (!trace.observing && frameEthertype(skb.data) === ETHERTYPE_IPV6 && this.countedFlood(skb, ingress)) return
    const ports = this.ports
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]
      if (p !== ingress && this.portForwarding(p)) this.toPort(p, skb)
    }
  }

  /** Counts the flood of an IPv6 frame that every port only counts (counted-flood.ts); false when it cannot. */
  private countedFlood(skb: Skb, ingress: NetDevice | null): boolean {
    const world = this.netns.world
    if (world.floodPortByPort) return false
    if (this.countedGen !== world.deviceGen) {
      this.countedGen = world.deviceGen
      this.counted = this.adminUp ? CountedFlood.of(this.ports) : null
    }
    const c = this.counted
    if (c === null || !c.add(skb.data.length, ingress)) return false
    world.noteFlood(c)
    return true
  }

  private toPort(port: NetDevice, skb: Skb): void {
    // br_dev_queue_push_xmit: a frame larger than the port's MTU is dropped.
    if (skb.data.length - 14 > port.mtu) {
      this.netns.world.trace.drop(this.netns, port, skb, 'ethernet', 'drop.bridge_mtu', { dev: port.name, mtu: port.mtu, len: skb.data.length - 14 })
      return
    }
    port.xmit(skb)
  }

  private passUp(skb: Skb, port: NetDevice): void {
    if (!this.adminUp) return
    const trace = this.netns.world.trace
    if (trace.enabled) trace.note('bridge', this.netns, this, skb.id, 'bridge.local', { bridge: this.name, port: port.name })
    if (trace.observing) trace.frame('recv', this.netns, this, skb, 'recv.frame', { dev: this.name })
    this.counters.rxPackets++
    this.counters.rxBytes += skb.data.length
    this.netns.stack.receive(this, skb)
  }
}

/** How many times the copies of one frame may come back round a loop of bridges before the lab drops them. */
export const STORM_PASSES = 16

/** An FDB entry as `bridge fdb show` prints it (without the trailing state words). */
export function fdbLine(e: FdbEntry, bridge: string): string {
  return `${formatMac(e.mac)} dev ${e.port ? e.port.name : bridge} master ${bridge}${e.local || e.isStatic ? ' permanent' : ''}`
}
