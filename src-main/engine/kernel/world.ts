import { TraceRecorder } from '../trace/recorder.ts'
import { Netns } from './netns.ts'
import { hashString, SeededRandom } from './random.ts'
import { Scheduler } from './scheduler.ts'
import { KernelError } from './errors.ts'
import type { CountedFlood } from './counted-flood.ts'

export interface WorldOptions {
  /** Seeds every random choice (reachable times, MACs of devices created without one). */
  seed?: number
  /**
   * Counts every flooded frame port by port, never once per flood (counted-flood.ts): the
   * reference the counted floods are tested against.
   */
  floodPortByPort?: boolean
}

/**
 * One simulated machine room: the clock and event queue, seeded randomness, the trace, and the
 * network namespaces. Nothing in the engine is global; two Worlds never share state.
 */
export class World {
  readonly sched = new Scheduler()
  readonly rng: SeededRandom
  /**
   * MACs of devices created without one come from a stream of their own: configuration must not
   * depend on how many random choices observations made before it (a ping draws an ident, a
   * neighbour its reachable time), so a lab replayed without them gets the same addresses.
   */
  private readonly macRng: SeededRandom
  readonly trace: TraceRecorder
  /**
   * Counts changes of devices anywhere (every netdev event, bridge ports joining or leaving):
   * what a bridge worked out about its ports holds while it stays the same.
   */
  deviceGen = 0
  readonly floodPortByPort: boolean
  /** Floods counted but not yet added to the devices' counters (counted-flood.ts). */
  private readonly floods: CountedFlood[] = []
  /** Named namespaces (as under /run/netns), in creation order. */
  readonly namespaces = new Map<string, Netns>()
  /** The host's own (initial) namespace, where commands without `ip netns exec` run. */
  readonly root: Netns
  /**
   * Where the kernel's tick grid sits: jiffies at time t are floor((t + jiffiesOffsetNs) / 4 ms).
   * 0 unless a caller lines the World up with a real machine's ticks (the conformance suite).
   */
  jiffiesOffsetNs = 0
  /**
   * In which order neighbour timers that expire on the same tick run. 'armed' runs them in the
   * order they were armed; 'reverse' runs the last armed first, as one CPU's timer wheel does
   * (timers are added at the head of their bucket). Which of two CPUs armed them decides the
   * order on a real machine, so the conformance suite accepts either (docs/conformance.md).
   */
  sameTickOrder: 'armed' | 'reverse' = 'armed'
  private packetSeq = 0
  /** Broadcast storms seen, by bridge (namespace and name): frames of a loop the lab dropped. */
  readonly storms = new Map<string, { netns: string; bridge: string; firstNs: number; drops: number }>()
  /** Frames dropped in storms, in all. */
  stormDrops = 0

  /** What frameBytes cuts frames from, and how much of it is used. */
  private slab = new ArrayBuffer(0)
  private slabUsed = 0

  constructor(opts: WorldOptions = {}) {
    this.rng = new SeededRandom(opts.seed ?? 1)
    this.floodPortByPort = opts.floodPortByPort ?? false
    this.macRng = new SeededRandom(hashString('mac', opts.seed ?? 1))
    this.trace = new TraceRecorder(this.sched)
    this.root = new Netns(this, '')
  }

  /**
   * n zero bytes for a frame the kernel writes once and never resizes (the IPv6 housekeeping
   * frames every device sends when it comes up: tens of thousands in a big build). Unobserved,
   * they are cut from a shared buffer, never handed out twice, instead of each being a buffer of
   * its own; while a trace records or a capture runs, each is its own (a trace keeps and passes
   * on the frames it shows).
   */
  frameBytes(n: number): Uint8Array {
    if (this.trace.observing) return new Uint8Array(n)
    if (this.slabUsed + n > this.slab.byteLength) {
      this.slab = new ArrayBuffer(Math.max(FRAME_SLAB_BYTES, n))
      this.slabUsed = 0
    }
    const f = new Uint8Array(this.slab, this.slabUsed, n)
    this.slabUsed += n
    return f
  }

  nextPacketId(): number {
    return ++this.packetSeq
  }

  /** A locally administered unicast MAC from the seeded generator (like eth_random_addr). */
  randomMac(): number {
    const hi = (this.macRng.nextU32() & 0xfeff) | 0x0200
    const lo = this.macRng.nextU32()
    return hi * 0x1_0000_0000 + lo
  }

  netns(name: string): Netns | undefined {
    return name === '' ? this.root : this.namespaces.get(name)
  }

  addNetns(name: string): Netns {
    if (this.namespaces.has(name)) throw new KernelError('EEXIST')
    const ns = new Netns(this, name)
    this.namespaces.set(name, ns)
    return ns
  }

  /** `ip netns del`: the namespace goes with its devices; veth peers elsewhere go too. */
  deleteNetns(name: string): void {
    const ns = this.namespaces.get(name)
    if (!ns) throw new KernelError('ENOENT')
    for (const dev of ns.deviceList().reverse()) {
      if (dev === ns.lo) continue
      ns.deleteDevice(dev)
    }
    ns.dead = true
    this.namespaces.delete(name)
    for (const other of [this.root, ...this.namespaces.values()]) other.forgetNsid(ns)
  }

  /** A bridge dropped a frame that went round a loop too often (bridge.ts). */
  noteStorm(netns: string, bridge: string): void {
    const key = `${netns}\0${bridge}`
    const s = this.storms.get(key)
    if (s) s.drops++
    else this.storms.set(key, { netns, bridge, firstNs: this.sched.now, drops: 1 })
    this.stormDrops++
  }

  /** A bridge counted a flood in `c`: settled when counters are read. */
  noteFlood(c: CountedFlood): void {
    if (c.listed) return
    c.listed = true
    this.floods.push(c)
  }

  /** Adds every counted flood to the devices' counters (NetDevice.stats does, before a read). */
  settleFloods(): void {
    const floods = this.floods
    if (floods.length === 0) return
    for (const c of floods) {
      c.settle()
      c.listed = false
    }
    floods.length = 0
  }

  /** Runs simulated time forward by ns nanoseconds. */
  advance(ns: number): void {
    this.sched.run(this.sched.now + ns)
  }
}

const FRAME_SLAB_BYTES = 64 * 1024
