import { formatIpv4, type Ipv4 } from '../engine/addr/ipv4.ts'
import { formatMac, type Mac } from '../engine/addr/mac.ts'
import { KernelError } from '../engine/kernel/errors.ts'
import { taggedShapes } from '../engine/kernel/fib.ts'
import { PeerSet } from '../engine/kernel/peer-set.ts'
import { EventGroup, type ClusterEvents, type ParamsOf } from './events.ts'
import { macFor } from './ids.ts'
import type { Ops, VxlanPeerErrors } from './ops.ts'

/** A node's subnet lease as flannel keeps it in etcd / the Kubernetes API (with the VTEP MAC for VXLAN). */
export interface Lease {
  node: string
  subnet: Ipv4
  len: number
  publicIp: Ipv4
  vtepMac: Mac
}

// The leases' shape, with its number fields tagged (see taggedShapes in fib.ts): a lease's MAC is
// then one heap number that every node's neighbour and FDB entry for it share, not one each.
taggedShapes.push({ node: undefined, subnet: undefined, len: undefined, publicIp: undefined, vtepMac: undefined })

/** The lease a node's flanneld puts: its subnet, its public IP and the MAC its flannel.1 gets. */
export function nodeLease(node: string, subnet: Ipv4, len: number, publicIp: Ipv4): Lease {
  return { node, subnet, len, publicIp, vtepMac: macFor(`${node}/${FLANNEL_DEV}`) }
}

/**
 * The leases a cluster's build puts, in the order its nodes' flanneld start. A vxlan flanneld
 * started with it programs the peers still to come at once, node after node, instead of every
 * node's tables being visited again for each new lease (in a 1,000-node build, a thousand nodes'
 * tables per lease, long out of the caches: half the build). It records each of those peers
 * (lines and events, with the kernel's answers kept) when the peer's lease appears, so the
 * recorded lines and the log read as if it had programmed it then. Sound because nothing else
 * touches a node between its flanneld's start and the build's end, and each node's entries go
 * in in the same order. A flanneld that starts when the leases before its own are all there is,
 * in the plan's order, programs all the others at once (every peer but itself, in that order:
 * its initial list, then those to come), so its tables can share the plan's PeerSet.
 */
export class LeasePlan {
  private readonly index = new Map<string, number>()
  private set: PeerSet | null | undefined = undefined

  constructor(readonly leases: readonly Lease[]) {
    leases.forEach((l, i) => this.index.set(l.node, i))
  }

  indexOf(node: string): number | undefined {
    return this.index.get(node)
  }

  /** The leases as one PeerSet (null when they cannot be one; made on first use). */
  get peers(): PeerSet | null {
    if (this.set === undefined) this.set = PeerSet.of(this.leases)
    return this.set
  }
}

type LeaseEvent = { type: 'added' | 'removed'; lease: Lease }

/** The simulated etcd/API subnet store: leases, and watchers told of every change in order. */
export class LeaseStore {
  readonly leases = new Map<string, Lease>()
  private readonly watchers: ((e: LeaseEvent) => void)[] = []

  put(lease: Lease): void {
    this.leases.set(lease.node, lease)
    for (const w of [...this.watchers]) w({ type: 'added', lease })
  }

  remove(node: string): void {
    const lease = this.leases.get(node)
    if (!lease) return
    this.leases.delete(node)
    for (const w of [...this.watchers]) w({ type: 'removed', lease })
  }

  watch(fn: (e: LeaseEvent) => void): () => void {
    this.watchers.push(fn)
    return () => {
      const i = this.watchers.indexOf(fn)
      if (i >= 0) this.watchers.splice(i, 1)
    }
  }
}

export const FLANNEL_VNI = 1
export const FLANNEL_PORT = 8472
export const FLANNEL_DEV = 'flannel.1'

/**
 * flanneld on one node, with the vxlan or host-gw backend: takes the node's lease, sets up
 * flannel.1 (vxlan), and programs exactly what flannel programs for every other node's lease
 * (neighbour, FDB entry and onlink route for vxlan; a plain route for host-gw), removing it again
 * when that node leaves.
 */
export class Flanneld {
  private unwatch: (() => void) | null = null
  /** The build's plan while leases programmed ahead are still to appear, and the next one's index. */
  private ahead: LeasePlan | null = null
  private aheadNext = 0
  /** The plan index of this node's own lease when it programmed the leases before it ahead too, else -1. */
  private aheadSelf = -1
  /** The kernel's refusals of peers programmed ahead, by plan index (none in a normal build). */
  private aheadErrors: Map<number, VxlanPeerErrors> | null = null
  /** Who logs its events (made once: a 1,000-node cluster logs millions). */
  readonly actor: string

  constructor(
    private readonly ops: Ops,
    private readonly events: ClusterEvents,
    private readonly store: LeaseStore,
    readonly node: string,
    readonly backend: 'vxlan' | 'host-gw',
    private readonly lease: Omit<Lease, 'vtepMac'>,
    private readonly extMtu: number,
  ) {
    this.actor = `flanneld@${node}`
  }

  /** `plan`: the build's leases, this node's among them (see LeasePlan). */
  start(plan?: LeasePlan): void {
    const { node, subnet, len, publicIp } = this.lease
    const at = plan?.indexOf(node)
    const mine = plan && at !== undefined ? plan.leases[at] : nodeLease(node, subnet, len, publicIp)
    const vtepMac = mine.vtepMac
    if (this.backend === 'vxlan') {
      this.ops.vxlan(this.node, FLANNEL_DEV, vtepMac, FLANNEL_VNI, this.lease.publicIp, 'eth0', FLANNEL_PORT, this.extMtu - 50)
      this.ops.addr(this.node, FLANNEL_DEV, this.lease.subnet, 32)
      this.ops.up(this.node, FLANNEL_DEV)
    }
    // Existing leases first (the initial list), then the watch.
    const all = plan && at !== undefined && this.backend === 'vxlan' && this.storeIsPlanUpTo(plan, at)
    if (all) this.programAll(plan, at)
    for (const l of [...this.store.leases.values()]) this.added(l)
    if (!all && plan && at !== undefined && this.backend === 'vxlan' && at + 1 < plan.leases.length) this.programAhead(plan, at + 1)
    this.unwatch = this.store.watch((e) => (e.type === 'added' ? this.added(e.lease) : this.removed(e.lease)))
    this.events.add(this.actor, 'control.flannel_lease', { node: this.node, subnet: `${formatIpv4(mine.subnet)}/${mine.len}`, publicIp: formatIpv4(mine.publicIp) })
    this.store.put(mine)
  }

  stop(): void {
    this.unwatch?.()
    this.unwatch = null
    this.store.remove(this.node)
  }

  /** Stops reacting to other nodes' leases (the first half of stopping for a mode change). */
  unwatchLeases(): void {
    this.unwatch?.()
    this.unwatch = null
  }

  /**
   * Removes everything this daemon programmed, as an operator moving the cluster off flannel
   * does: the host-gw routes to every other node, or the whole flannel.1 device (its routes,
   * neighbours and FDB entries go with it). What was already removed by hand is skipped.
   */
  teardown(): void {
    this.unwatchLeases()
    if (this.backend === 'vxlan') {
      if (this.ops.ns(this.node).dev(FLANNEL_DEV)) this.ops.linkDel(this.node, FLANNEL_DEV)
    } else {
      for (const l of this.store.leases.values()) {
        if (l.node === this.node) continue
        this.try(() => this.ops.routeDel(this.node, { dst: l.subnet, len: l.len, via: l.publicIp, dev: 'eth0' }), () => {})
      }
    }
    this.events.add(this.actor, 'control.flannel_stop', { node: this.node, backend: this.backend })
  }

  private try(what: () => void, onError: (msg: string) => void): void {
    try {
      what()
    } catch (e) {
      if (e instanceof KernelError) onError(e.extack ?? e.errno)
      else throw e
    }
  }

  /** Whether the store holds the plan's leases before index `at`, in its order, and nothing else. */
  private storeIsPlanUpTo(plan: LeasePlan, at: number): boolean {
    if (this.store.leases.size !== at || plan.peers === null) return false
    let j = 0
    for (const l of this.store.leases.values()) if (plan.leases[j++] !== l) return false
    return true
  }

  /** Programs every lease of the plan but its own, `self` (their kernel work only; see LeasePlan). */
  private programAll(plan: LeasePlan, self: number): void {
    if (plan.leases.length < 2) return
    this.aheadErrors = this.ops.programPeers(this.node, FLANNEL_DEV, plan.peers!, self)
    this.ahead = plan
    this.aheadNext = self === 0 ? 1 : 0
    this.aheadSelf = self
  }

  /** Programs the plan's leases from `from` on (their kernel work only; see LeasePlan). */
  private programAhead(plan: LeasePlan, from: number): void {
    const leases = plan.leases
    for (let k = from; k < leases.length; k++) {
      const errors = this.ops.programPeer(this.node, FLANNEL_DEV, leases[k])
      if (errors !== null) (this.aheadErrors ??= new Map()).set(k, errors)
    }
    this.ahead = plan
    this.aheadNext = from
    this.aheadSelf = -1
  }

  /** The kernel's answers for a lease programmed ahead, now that it appears (its lines recorded). */
  private takeAhead(plan: LeasePlan, l: Lease): VxlanPeerErrors | null {
    const k = this.aheadNext
    if (plan.leases[k] !== l) throw new Error(`flanneld@${this.node}: lease of ${l.node} is not the next one its build planned`)
    this.ops.recordPeer(this.node, FLANNEL_DEV, l)
    const errors = this.aheadErrors?.get(k) ?? null
    if (++this.aheadNext === this.aheadSelf) this.aheadNext++
    if (this.aheadNext >= plan.leases.length) {
      this.ahead = null
      this.aheadErrors = null
    }
    return errors
  }

  private added(l: Lease): void {
    if (l.node === this.node) return
    if (this.backend === 'vxlan') {
      // One recorded group for the three lines (a 1,000-node cluster programs a million peers).
      const errors = this.ahead !== null ? this.takeAhead(this.ahead, l) : this.ops.vxlanPeer(this.node, FLANNEL_DEV, l)
      if (errors === null) {
        this.events.addGroup(this.actor, vxlanPeerEvents, this.node, l)
        return
      }
      if (errors.neigh !== null) this.fail(subnetText(l), errors.neigh)
      this.events.add(this.actor, 'control.flannel_neigh', neighParams, this.node, l)
      if (errors.fdb !== null) this.fail(subnetText(l), errors.fdb)
      this.events.add(this.actor, 'control.flannel_fdb', fdbParams, this.node, l)
      if (errors.route !== null) this.fail(subnetText(l), errors.route)
      this.events.add(this.actor, 'control.flannel_route', vxlanRouteParams, this.node, l)
    } else {
      let ok = true
      this.try(() => this.ops.route(this.node, { dst: l.subnet, len: l.len, via: l.publicIp, dev: 'eth0' }, 'replace'), (m) => {
        ok = false
        this.fail(subnetText(l), m)
      })
      if (ok) this.events.add(this.actor, 'control.flannel_route', hostGwRouteParams, this.node, l)
    }
  }

  private fail(subnet: string, message: string): void {
    this.events.add(this.actor, 'control.flannel_error', { node: this.node, subnet, error: message })
  }

  private removed(l: Lease): void {
    if (l.node === this.node) return
    const quiet = (): void => {}
    if (this.backend === 'vxlan') {
      this.try(() => this.ops.neighDel(this.node, l.subnet, FLANNEL_DEV), quiet)
      this.try(() => this.ops.fdbDel(this.node, l.vtepMac, FLANNEL_DEV, l.publicIp), quiet)
      this.try(() => this.ops.routeDel(this.node, { dst: l.subnet, len: l.len, via: l.subnet, dev: FLANNEL_DEV }), quiet)
    } else {
      this.try(() => this.ops.routeDel(this.node, { dst: l.subnet, len: l.len, via: l.publicIp, dev: 'eth0' }), quiet)
    }
    this.events.add(this.actor, 'control.flannel_remove', { node: this.node, subnet: `${formatIpv4(l.subnet)}/${l.len}` })
  }
}

const subnetText = (l: Lease): string => `${formatIpv4(l.subnet)}/${l.len}`

// How the log words flanneld's programming (only when the log is read).
const neighParams: ParamsOf<string, Lease, 'control.flannel_neigh'> = (node, l) => ({ node, entry: `${formatIpv4(l.subnet)} lladdr ${formatMac(l.vtepMac)} dev ${FLANNEL_DEV} PERMANENT` })
const fdbParams: ParamsOf<string, Lease, 'control.flannel_fdb'> = (node, l) => ({ node, entry: `${formatMac(l.vtepMac)} dev ${FLANNEL_DEV} dst ${formatIpv4(l.publicIp)} self permanent` })
const vxlanRouteParams: ParamsOf<string, Lease, 'control.flannel_route'> = (node, l) => ({ node, route: `${formatIpv4(l.subnet)}/${l.len} via ${formatIpv4(l.subnet)} dev ${FLANNEL_DEV} onlink` })
/** What the log says of a peer programmed without a refusal. */
const vxlanPeerEvents = new EventGroup<string, Lease>([
  ['control.flannel_neigh', neighParams],
  ['control.flannel_fdb', fdbParams],
  ['control.flannel_route', vxlanRouteParams],
])
const hostGwRouteParams: ParamsOf<string, Lease, 'control.flannel_route'> = (node, l) => ({ node, route: `${formatIpv4(l.subnet)}/${l.len} via ${formatIpv4(l.publicIp)} dev eth0` })
