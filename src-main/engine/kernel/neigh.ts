import { formatIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, type Mac } from '../addr/mac.ts'
import type { NetDevice } from './device.ts'
import type { DeviceEvent, Netns } from './netns.ts'
import { jiffiesAt, NS_PER_JIFFY, wheelExpiry } from './jiffies.ts'
import { NS_PER_SEC } from './scheduler.ts'
import type { Skb } from './skb.ts'
import { taggedShapes } from './fib.ts'
import type { PeerView } from './peer-set.ts'

/** NUD states (neighbour.h); values are the kernel's bits. */
export const enum Nud {
  None = 0x00,
  Incomplete = 0x01,
  Reachable = 0x02,
  Stale = 0x04,
  Delay = 0x08,
  Probe = 0x10,
  Failed = 0x20,
  Noarp = 0x40,
  Permanent = 0x80,
}
const NUD_IN_TIMER = Nud.Incomplete | Nud.Reachable | Nud.Delay | Nud.Probe
export const NUD_VALID = Nud.Permanent | Nud.Noarp | Nud.Reachable | Nud.Probe | Nud.Stale | Nud.Delay
const NUD_CONNECTED = Nud.Permanent | Nud.Noarp | Nud.Reachable

export const NUD_NAMES: [Nud, string][] = [
  [Nud.Incomplete, 'INCOMPLETE'],
  [Nud.Reachable, 'REACHABLE'],
  [Nud.Stale, 'STALE'],
  [Nud.Delay, 'DELAY'],
  [Nud.Probe, 'PROBE'],
  [Nud.Failed, 'FAILED'],
  [Nud.Noarp, 'NOARP'],
  [Nud.Permanent, 'PERMANENT'],
]

export interface Neighbour {
  ip: Ipv4
  dev: NetDevice
  mac: Mac | null
  state: Nud
  updatedNs: number
  confirmedNs: number
  usedNs: number
  probes: number
  isRouter: boolean
  /** IP packets waiting for resolution (INCOMPLETE). */
  queue: Skb[]
  queueBytes: number
  timerGen: number
  dead: boolean
}

/** ARP's neigh_parms defaults. */
const RETRANS_NS = 1 * NS_PER_SEC
const BASE_REACHABLE_NS = 30 * NS_PER_SEC
const DELAY_PROBE_NS = 5 * NS_PER_SEC
const LOCKTIME_NS = 1 * NS_PER_SEC
const GC_STALETIME_NS = 60 * NS_PER_SEC
const UCAST_PROBES = 3
const MCAST_PROBES = 3
const APP_PROBES = 0
const MCAST_REPROBES = 0
/** unres_qlen_bytes (SK_WMEM_MAX) with a ping skb's truesize of about 768 bytes. */
const QUEUE_LEN_BYTES = 212_992
const SKB_TRUESIZE = 768
/** HZ/100: the shortest a re-armed neighbour timer waits. */
const MIN_TIMER_JIFFIES = 2

export interface NeighUpdateFlags {
  override?: boolean
  weakOverride?: boolean
  admin?: boolean
  isRouter?: boolean
}

/**
 * The queue of an entry with no packet waiting: shared (and frozen, so nothing adds to it), as a
 * 1,000-node flannel lab holds a million permanent entries that never queue a packet.
 */
const NO_QUEUE: Skb[] = Object.freeze([]) as unknown as Skb[]

// The entries' shape, with its number fields tagged (see taggedShapes in fib.ts).
taggedShapes.push({
  ip: undefined, dev: null, mac: null, state: undefined, updatedNs: undefined, confirmedNs: undefined, usedNs: undefined,
  probes: undefined, isRouter: false, queue: NO_QUEUE, queueBytes: undefined, timerGen: undefined, dead: false,
})

/** The shared empty maps a table starts with (never written to). */
const NO_DEVICES = new Map<NetDevice, Map<Ipv4, Neighbour | Mac>>()
const NO_TIMES = new Map<NetDevice, number>()

/**
 * The ARP neighbour table of one namespace (net/core/neighbour.c with arp_tbl's parameters):
 * the NUD state machine with its timers, the queue of packets waiting for resolution, and the
 * flushes on device events. The protocol side (sending and parsing ARP) is in arp.ts.
 */
export class NeighTable {
  /** Per device, by address: the entry, or the MAC of a compact one (see compactPermanent). */
  private devs: Map<NetDevice, Map<Ipv4, Neighbour | Mac>> = NO_DEVICES
  /**
   * Compact entries of a PeerView's peers on `sharedDev`, not yet put in the device's Map
   * (sharePeers): put in (unshare) before anything reads or changes that device's entries, or
   * the table as a whole, so that from then on it is the table creating them one by one made.
   */
  private shared: PeerView | null = null
  private sharedDev: NetDevice | null = null
  /** Per device, the instant its compact entries were made (all of them at one instant); made on first use. */
  private compactAt: Map<NetDevice, number> | null = null
  /**
   * Each device's reachable time, drawn when first needed. Both maps start as the shared empty
   * one, which nothing writes to: most namespaces of a big cluster never resolve a neighbour.
   */
  private reachable: Map<NetDevice, number> = NO_TIMES
  private lastRandNs = 0

  constructor(private readonly ns: Netns) {}

  /** Whether entries of a PeerView are still shared, not yet put in (for tests). */
  get sharesPeers(): boolean {
    return this.shared !== null
  }

  /** Every device's entries (the shared ones put in first). */
  private get byDev(): Map<NetDevice, Map<Ipv4, Neighbour | Mac>> {
    if (this.shared !== null) this.unshare()
    return this.devs
  }

  /** One device's entries (the shared ones put in first when they are that device's). */
  private mapOf(dev: NetDevice): Map<Ipv4, Neighbour | Mac> | undefined {
    if (this.shared !== null && dev === this.sharedDev) this.unshare()
    return this.devs.get(dev)
  }

  /**
   * What creating each peer's entry on dev, making it permanent with its VTEP's MAC and
   * compactPermanent would do, one after the other in the view's order, when dev holds no entry
   * and no compact entry of another instant: done without the entries (see `shared`). Returns
   * false, having done nothing, when that is not so.
   */
  sharePeers(dev: NetDevice, view: PeerView): boolean {
    if (this.shared !== null || view.size === 0 || view.atNs !== this.now) return false
    const m = this.devs.get(dev)
    if (m !== undefined && m.size > 0) return false
    const at = this.compactAt?.get(dev)
    if (at !== undefined && at !== this.now) return false
    ;(this.compactAt ??= new Map()).set(dev, this.now)
    this.shared = view
    this.sharedDev = dev
    return true
  }

  private unshare(): void {
    const v = this.shared!
    const dev = this.sharedDev!
    this.shared = null
    this.sharedDev = null
    let m = this.devs.get(dev)
    if (!m) {
      m = new Map()
      if (this.devs === NO_DEVICES) this.devs = new Map()
      this.devs.set(dev, m)
    }
    const into = m
    v.forEach((p) => into.set(p.subnet, p.vtepMac))
  }

  private get now(): number {
    return this.ns.world.sched.now
  }

  /** The device's randomised reachable time (base/2 .. 3*base/2), re-drawn every 300 s. */
  reachableTime(dev: NetDevice): number {
    if (this.now - this.lastRandNs > 300 * NS_PER_SEC) {
      this.lastRandNs = this.now
      for (const d of this.reachable.keys()) this.reachable.set(d, this.randReach())
    }
    let t = this.reachable.get(dev)
    if (t === undefined) {
      t = this.randReach()
      if (this.reachable === NO_TIMES) this.reachable = new Map()
      this.reachable.set(dev, t)
    }
    return t
  }

  private randReach(): number {
    return BASE_REACHABLE_NS / 2 + this.ns.world.rng.below(BASE_REACHABLE_NS)
  }

  lookup(dev: NetDevice, ip: Ipv4): Neighbour | undefined {
    const m = this.mapOf(dev)
    if (m === undefined) return undefined
    const n = m.get(ip)
    return typeof n === 'number' ? this.promote(m, dev, ip, n) : n
  }

  /** Entries in creation order, per device in ifindex order. */
  entries(): Neighbour[] {
    const out: Neighbour[] = []
    for (const dev of this.ns.deviceList()) {
      const m = this.mapOf(dev)
      if (m) for (const [ip, n] of m) out.push(typeof n === 'number' ? this.promote(m, dev, ip, n) : n)
    }
    return out
  }

  /**
   * Keeps an entry that was just created and made permanent (flanneld's entry for a peer's VTEP)
   * as its MAC only, if nothing else was done to it and the device's other compact entries were
   * made at the same instant. It is made an object again (the same one from then on) when first
   * read: a 1,000-node flannel cluster holds a million such entries that nothing reads while it
   * is built, and objects that survive are what its garbage collection copies and marks. The
   * caller must not keep `n`.
   */
  compactPermanent(n: Neighbour): void {
    const m = this.mapOf(n.dev)
    const now = this.now
    if (m === undefined || m.get(n.ip) !== n || n.mac === null || n.state !== Nud.Permanent || n.dead) return
    if (n.updatedNs !== now || n.confirmedNs !== now || n.usedNs !== now || n.probes !== 0 || n.isRouter || n.queue !== NO_QUEUE || n.queueBytes !== 0 || n.timerGen !== 1) return
    const at = (this.compactAt ??= new Map()).get(n.dev)
    if (at === undefined) this.compactAt.set(n.dev, now)
    else if (at !== now) return
    m.set(n.ip, n.mac)
  }

  /** A compact entry made an object, which the table holds from then on. */
  private promote(m: Map<Ipv4, Neighbour | Mac>, dev: NetDevice, ip: Ipv4, mac: Mac): Neighbour {
    const t = this.compactAt!.get(dev)!
    // The field order of create()'s entries (one shape for all).
    const n: Neighbour = {
      ip, dev, mac, state: Nud.Permanent, updatedNs: t, confirmedNs: t, usedNs: t,
      probes: 0, isRouter: false, queue: NO_QUEUE, queueBytes: 0, timerGen: 1, dead: false,
    }
    m.set(ip, n)
    return n
  }

  create(dev: NetDevice, ip: Ipv4): Neighbour {
    let m = this.mapOf(dev)
    if (!m) {
      m = new Map()
      if (this.devs === NO_DEVICES) this.devs = new Map()
      this.devs.set(dev, m)
    }
    const n: Neighbour = {
      ip, dev, mac: null, state: Nud.None, updatedNs: this.now, confirmedNs: this.now - BASE_REACHABLE_NS * 2, usedNs: this.now,
      probes: 0, isRouter: false, queue: NO_QUEUE, queueBytes: 0, timerGen: 0, dead: false,
    }
    m.set(ip, n)
    return n
  }

  remove(n: Neighbour): void {
    n.dead = true
    n.timerGen++
    this.mapOf(n.dev)?.delete(n.ip)
    n.queue = NO_QUEUE
    n.queueBytes = 0
  }

  /**
   * neigh_output for an IPv4 packet to `nexthop` via dev. Sends at once when the address is
   * known; otherwise queues it and starts (or continues) resolution.
   */
  output(dev: NetDevice, nexthop: Ipv4, skb: Skb): void {
    let n = this.lookup(dev, nexthop)
    const trace = this.ns.world.trace
    if (!n) n = this.create(dev, nexthop)
    if (n.state & NUD_CONNECTED && n.mac !== null) {
      if (trace.enabled) trace.note('neigh', this.ns, dev, skb.id, 'neigh.hit', { ip: formatIpv4(nexthop), mac: formatMac(n.mac), dev: dev.name, state: stateName(n.state) }, neighLine(n))
      this.ns.arp.transmit(dev, n.mac, skb)
      return
    }
    const queued = this.eventSend(n, skb)
    if (!queued && n.mac !== null) {
      if (trace.enabled) trace.note('neigh', this.ns, dev, skb.id, 'neigh.hit', { ip: formatIpv4(nexthop), mac: formatMac(n.mac), dev: dev.name, state: stateName(n.state) }, neighLine(n))
      this.ns.arp.transmit(dev, n.mac, skb)
    }
  }

  /** __neigh_event_send: returns true when the packet was queued (resolution pending). */
  private eventSend(n: Neighbour, skb: Skb | null): boolean {
    const now = this.now
    n.usedNs = now
    const trace = this.ns.world.trace
    if (n.state & (NUD_CONNECTED | Nud.Delay | Nud.Probe)) return false
    let immediateProbe = false
    if (!(n.state & (Nud.Stale | Nud.Incomplete))) {
      n.probes = UCAST_PROBES
      this.setState(n, Nud.Incomplete)
      n.updatedNs = now
      this.armTimer(n, RETRANS_NS)
      immediateProbe = true
    } else if (n.state & Nud.Stale) {
      this.setState(n, Nud.Delay)
      n.updatedNs = now
      this.armTimer(n, DELAY_PROBE_NS)
    }
    let queued = false
    if (n.state === Nud.Incomplete && skb) {
      const size = SKB_TRUESIZE + skb.data.length
      while (n.queue.length && n.queueBytes + size > QUEUE_LEN_BYTES) {
        const old = n.queue.shift()!
        n.queueBytes -= SKB_TRUESIZE + old.data.length
        trace.drop(this.ns, n.dev, old, 'ipv4', 'drop.neigh_queue_full', { ip: formatIpv4(n.ip) })
      }
      if (n.queue === NO_QUEUE) n.queue = []
      n.queue.push(skb)
      n.queueBytes += size
      queued = true
      if (trace.enabled) trace.note('neigh', this.ns, n.dev, skb.id, 'neigh.miss', { ip: formatIpv4(n.ip), dev: n.dev.name }, neighLine(n))
    }
    if (immediateProbe) this.probe(n)
    return queued
  }

  /** neigh_event_send without a packet: starts (or continues) resolving an entry. */
  kick(n: Neighbour): void {
    this.eventSend(n, null)
  }

  private probe(n: Neighbour): void {
    const skb = n.queue.length ? n.queue[n.queue.length - 1] : null
    const probes = n.probes - UCAST_PROBES
    n.probes++
    // arp_solicit: a unicast probe to the cached address while probes remain below ucast_solicit.
    const unicast = probes < 0 && n.mac !== null
    this.ns.arp.solicit(n, skb, unicast ? n.mac : null)
  }

  /**
   * mod_timer(&n->timer, jiffies + delay): the timer runs on the tick the timer wheel puts it
   * on (a 1-s retransmit timer 1004-1032 ms later, so resolution fails 3.05-3.08 s after the
   * first request, as on a real machine).
   */
  private armTimer(n: Neighbour, delayNs: number): void {
    const gen = ++n.timerGen
    const now = this.now
    const off = this.ns.world.jiffiesOffsetNs
    const clk = jiffiesAt(now, off)
    const tick = wheelExpiry(clk + Math.ceil(Math.max(delayNs, 0) / NS_PER_JIFFY), clk)
    const fire = (): void => {
      if (n.timerGen === gen && !n.dead && !this.ns.dead) this.timer(n)
    }
    const sched = this.ns.world.sched
    if (this.ns.world.sameTickOrder === 'reverse') sched.afterFirst(tick * NS_PER_JIFFY - off - now, fire)
    else sched.after(tick * NS_PER_JIFFY - off - now, fire)
  }

  private setState(n: Neighbour, s: Nud): void {
    n.state = s
  }

  /** neigh_timer_handler. */
  private timer(n: Neighbour): void {
    const now = this.now
    const state = n.state
    if (!(state & NUD_IN_TIMER)) return
    let next: number
    if (state & Nud.Reachable) {
      const rt = this.reachableTime(n.dev)
      if (now <= n.confirmedNs + rt) {
        next = n.confirmedNs + rt
      } else if (now <= n.usedNs + DELAY_PROBE_NS) {
        this.setState(n, Nud.Delay)
        n.updatedNs = now
        next = now + DELAY_PROBE_NS
      } else {
        this.setState(n, Nud.Stale)
        n.updatedNs = now
        return
      }
    } else if (state & Nud.Delay) {
      if (now <= n.confirmedNs + DELAY_PROBE_NS) {
        this.setState(n, Nud.Reachable)
        n.updatedNs = now
        next = n.confirmedNs + this.reachableTime(n.dev)
      } else {
        this.setState(n, Nud.Probe)
        n.updatedNs = now
        n.probes = 0
        next = now + RETRANS_NS
      }
    } else {
      next = now + RETRANS_NS
    }
    if (n.state & (Nud.Incomplete | Nud.Probe) && n.probes >= this.maxProbes(n)) {
      this.setState(n, Nud.Failed)
      n.updatedNs = now
      this.invalidate(n)
      return
    }
    if (n.state & NUD_IN_TIMER) this.armTimer(n, Math.max(next - now, MIN_TIMER_JIFFIES * NS_PER_JIFFY))
    if (n.state & (Nud.Incomplete | Nud.Probe)) this.probe(n)
  }

  private maxProbes(n: Neighbour): number {
    return UCAST_PROBES + APP_PROBES + (n.state & Nud.Probe ? MCAST_REPROBES : MCAST_PROBES)
  }

  /** neigh_invalidate: resolution failed; every queued packet is reported (ICMP host unreachable). */
  private invalidate(n: Neighbour): void {
    const q = n.queue
    n.queue = NO_QUEUE
    n.queueBytes = 0
    const trace = this.ns.world.trace
    for (const skb of q) {
      if (trace.enabled) trace.note('neigh', this.ns, n.dev, skb.id, 'neigh.failed', { ip: formatIpv4(n.ip), dev: n.dev.name }, neighLine(n))
      this.ns.icmp.linkFailure(skb)
    }
  }

  /** __neigh_update. */
  update(n: Neighbour, lladdr: Mac | null, newState: Nud, f: NeighUpdateFlags = {}): void {
    const now = this.now
    const old = n.state
    if (!f.admin && old & (Nud.Noarp | Nud.Permanent)) return
    if (f.isRouter !== undefined && (f.admin || f.override)) n.isRouter = f.isRouter
    if (!(newState & NUD_VALID)) {
      this.setState(n, newState)
      n.timerGen++
      if (old & NUD_CONNECTED) n.updatedNs = now
      if (old & (Nud.Incomplete | Nud.Probe) && newState & Nud.Failed) this.invalidate(n)
      return
    }
    let addr = lladdr
    if (addr === null) {
      if (!(old & NUD_VALID)) return
      addr = n.mac
    } else if (old & NUD_VALID && addr === n.mac) {
      addr = n.mac
    }
    if (newState & NUD_CONNECTED) n.confirmedNs = now
    let state = newState
    if (old & NUD_VALID) {
      if (addr !== n.mac && !f.override) {
        if (f.weakOverride && old & NUD_CONNECTED) {
          addr = n.mac
          state = Nud.Stale
        } else return
      } else if (addr === n.mac && state === Nud.Stale && !f.admin) {
        state = old
      }
    }
    if (state !== old || addr !== n.mac) n.updatedNs = now
    if (state !== old) {
      n.timerGen++
      if (state & Nud.Probe) n.probes = 0
      this.setState(n, state)
      if (state & NUD_IN_TIMER) this.armTimer(n, state & Nud.Reachable ? this.reachableTime(n.dev) : 0)
    }
    if (addr !== n.mac) {
      n.mac = addr
      if (!(state & NUD_CONNECTED)) n.confirmedNs = now - BASE_REACHABLE_NS * 2
    }
    if (state === old) return
    if (!(old & NUD_VALID) && n.state & NUD_VALID && n.mac !== null) {
      const q = n.queue
      n.queue = NO_QUEUE
      n.queueBytes = 0
      for (const skb of q) this.ns.arp.transmit(n.dev, n.mac, skb)
    }
  }

  /**
   * One pass of neigh_periodic_work over this namespace's entries, as the kernel makes it every
   * 15 s while the machine-wide ARP table holds gc_thresh1 (128) entries or more: FAILED entries
   * go, and so do entries unused for gc_staletime (60 s); permanent entries and entries with a
   * timer running stay. The engine never runs it by itself (the threshold counts the entries of
   * every namespace on the machine); returns what it removed.
   */
  periodicGc(): Neighbour[] {
    const now = this.now
    const removed: Neighbour[] = []
    for (const n of this.entries()) {
      if (n.state & (Nud.Permanent | NUD_IN_TIMER)) continue
      if (n.usedNs < n.confirmedNs && n.confirmedNs <= now) n.usedNs = n.confirmedNs
      if (n.state === Nud.Failed || now - n.usedNs >= GC_STALETIME_NS) {
        this.remove(n)
        removed.push(n)
      }
    }
    return removed
  }

  /** Lock time: a second reply within a second of an update does not override (first one wins). */
  overrideAllowed(n: Neighbour): boolean {
    return this.now > n.updatedNs + LOCKTIME_NS
  }

  /** neigh_flush_dev. */
  flushDevice(dev: NetDevice, skipPerm: boolean): void {
    const m = this.mapOf(dev)
    if (!m) return
    for (const [ip, h] of [...m]) {
      // A compact entry is permanent.
      if (skipPerm && typeof h === 'number') continue
      const n = typeof h === 'number' ? this.promote(m, dev, ip, h) : h
      if (skipPerm && n.state & Nud.Permanent) continue
      this.remove(n)
    }
  }

  onDeviceEvent(dev: NetDevice, ev: DeviceEvent): void {
    if (ev === 'down' || ev === 'unregister' || ev === 'changeaddr') this.flushDevice(dev, false)
    else if (ev === 'change' && !dev.running) this.flushDevice(dev, true)
    if (ev === 'unregister') {
      this.byDev.delete(dev)
      this.compactAt?.delete(dev)
      this.reachable.delete(dev)
    }
  }
}

export function stateName(s: Nud): string {
  for (const [bit, name] of NUD_NAMES) if (s === bit) return name
  const parts = NUD_NAMES.filter(([bit]) => s & bit).map(([, name]) => name)
  return parts.join(',') || 'NONE'
}

/** An entry as `ip neigh show` prints it (no trailing space). */
export function neighLine(n: Neighbour, withDev = true): string {
  let s = formatIpv4(n.ip)
  if (withDev) s += ` dev ${n.dev.name}`
  if (n.mac !== null && n.state & (NUD_VALID | Nud.Failed) && n.state !== Nud.Failed) s += ` lladdr ${formatMac(n.mac)}`
  if (n.isRouter) s += ' router'
  s += ` ${stateName(n.state)}`
  return s
}
