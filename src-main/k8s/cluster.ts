import { throwIfCancelled, type WorkOptions } from '../engine/kernel/work.ts'
import { formatIpv4, prefixMask, type Ipv4 } from '../engine/addr/ipv4.ts'
import { parseIpv4 } from '../engine/addr/ipv4.ts'
import { KernelError } from '../engine/kernel/errors.ts'
import { taggedShapes } from '../engine/kernel/fib.ts'
import { NS_PER_SEC } from '../engine/kernel/scheduler.ts'
import { VethDevice } from '../engine/kernel/veth.ts'
import type { World } from '../engine/kernel/world.ts'
import { cniAdd, cniDel, HostLocalIpam, type CniPod } from './cni.ts'
import { ClusterEvents, type ParamsOf } from './events.ts'
import { Flanneld, LeasePlan, LeaseStore, nodeLease } from './flanneld.ts'
import { macFor } from './ids.ts'
import { Ops } from './ops.ts'
import { MAX_NODES, MAX_PODS, MAX_PODS_PER_NODE } from './limits.ts'
import { parseCidr, SpecError, checkName, type ClusterSpec, type Mode, type NodeSpec, type PodSpec } from './spec.ts'
import { Underlay, type Uplink } from './underlay.ts'
import { says } from '../../shared/messages/problem.ts'

export const UNDERLAY_NS = 'underlay'

// A node's state and a route given to Ops.route, with their number fields tagged (see
// taggedShapes in fib.ts): a node's address on the underlay is above 127.255.255.255, and in
// shapes whose number fields were not tagged, each route of a routed cluster (99 per node) held
// two heap numbers of its own besides the route's, boxed afresh from the node's address.
taggedShapes.push(
  { name: '', index: undefined, ip: undefined, ipLen: undefined, gateway: undefined, podCidr: undefined, podLen: undefined, ipam: null, pods: null, flanneld: null },
  { dst: undefined, len: undefined, via: undefined, dev: '' },
)
export const ROUTER_NS = 'router'

/** A node or pod name: a valid name, and not one of the namespaces the lab itself makes. */
function checkMemberName(path: string, name: unknown): string {
  const n = checkName(path, name)
  if (n === UNDERLAY_NS || n === ROUTER_NS) throw new SpecError(path, says(n === UNDERLAY_NS ? 'build.reserved_switch' : 'build.reserved_router', { name: n }))
  return n
}

/** Whether two prefixes share an address. */
function overlaps(a: { addr: Ipv4; len: number }, b: { addr: Ipv4; len: number }): boolean {
  const len = Math.min(a.len, b.len)
  return ((a.addr & prefixMask(len)) >>> 0) === ((b.addr & prefixMask(len)) >>> 0)
}

function cidrText(c: { addr: Ipv4; len: number }): string {
  return `${formatIpv4(c.addr)}/${c.len}`
}

export interface NodeState {
  name: string
  index: number
  /** The node's address on the underlay; 0 while it is wired to nothing. */
  ip: Ipv4
  ipLen: number
  /** The underlay gateway for this node (router), 0 when there is none. */
  gateway: Ipv4
  podCidr: Ipv4
  podLen: number
  ipam: HostLocalIpam
  pods: Map<string, CniPod>
  flanneld: Flanneld | null
}

/** What a namespace is, for views and explanations. */
export type NsRole = 'node' | 'pod' | 'switch' | 'router'

/**
 * A Kubernetes cluster's network, built in a World: nodes (root namespace with eth0 on the
 * underlay, cbr0, ip_forward=1), pods (own namespace, eth0 veth into cbr0, address from the node's
 * range), the underlay (a switch, and a router for cloud routes or routed segments), and the
 * inter-node routing of the chosen mode. Adding or removing a node or pod keeps every table
 * consistent, through the same operations a real cluster's components perform.
 */
export class Cluster {
  readonly ops: Ops
  readonly events: ClusterEvents
  readonly nodes = new Map<string, NodeState>()
  readonly leases = new LeaseStore()
  readonly roles = new Map<string, NsRole>()
  /** Switches, routers and who is wired to them. */
  readonly underlay: Underlay
  private readonly clusterNet: { addr: Ipv4; len: number }
  private readonly underlayNet: { addr: Ipv4; len: number }
  private routerUplink = false
  private nextIndex = 1
  /** The current mode: the spec's until `setMode` changes it (the spec stays what was built). */
  private currentMode: Mode

  constructor(
    readonly world: World,
    readonly spec: ClusterSpec,
  ) {
    this.ops = new Ops(world)
    this.events = new ClusterEvents(world.sched)
    this.currentMode = spec.mode
    this.clusterNet = parseCidr('clusterCidr', spec.clusterCidr)
    // A lab built by hand has no underlay to start with; its switches choose their subnets.
    this.underlayNet = spec.underlay.kind === 'none' ? { addr: 0, len: 32 } : parseCidr('underlay.cidr', spec.underlay.cidr)
    this.underlay = new Underlay({
      ops: this.ops,
      setRole: (ns, role) => (role ? this.roles.set(ns, role) : this.roles.delete(ns)),
      exists: (ns) => !!this.world.netns(ns),
      isNode: (ns) => this.nodes.has(ns),
      reserved: () => [this.clusterNet],
    })
  }

  get mode(): Mode {
    return this.currentMode
  }

  /** The MTU new pods get: flannel's VXLAN backend hands out 1450 (FLANNEL_MTU). */
  get podMtu(): number {
    return this.currentMode === 'flannel-vxlan' ? 1450 : 1500
  }

  /** Builds everything in the spec, then lets a few seconds pass so the network settles. */
  /** `work`: its progress (a step per node made, per node programmed, and the settling) and its cancel. */
  build(work: WorkOptions = {}): void {
    for (const _ of this.buildSteps(work));
  }

  /**
   * build() one step at a time: the generator stops after each node made, each node programmed
   * and each 100 ms of the settling time, so a host can build a lab in slices between other work
   * (a spare replay for traces). Taking every step is build().
   */
  *buildSteps(work: WorkOptions = {}): Generator<void, void> {
    if (this.spec.underlay.kind !== 'none' && overlaps(this.clusterNet, this.underlayNet)) throw new SpecError('underlay.cidr', says('build.underlay_overlaps_cluster', { underlay: String(this.spec.underlay.cidr), cluster: this.spec.clusterCidr }))
    const seen = new Set<string>()
    this.spec.nodes.forEach((n, i) => {
      checkMemberName(`nodes[${i}].name`, n.name)
      if (seen.has(n.name)) throw new SpecError(`nodes[${i}].name`, says('build.used_twice', { name: n.name }))
      seen.add(n.name)
      n.pods.forEach((p, j) => {
        checkMemberName(`nodes[${i}].pods[${j}].name`, p.name)
        if (seen.has(p.name)) throw new SpecError(`nodes[${i}].pods[${j}].name`, says('build.used_twice', { name: p.name }))
        seen.add(p.name)
      })
    })
    const { signal, progress } = work
    const total = 2 * this.spec.nodes.length + 1
    let done = 0
    const step = (): void => {
      progress?.({ phase: 'build', done: ++done, total })
      throwIfCancelled(signal)
    }
    this.buildUnderlay()
    for (const [i, n] of this.spec.nodes.entries()) {
      this.createNode(n, `nodes[${i}]`)
      step()
      yield
    }
    const plan = this.currentMode === 'flannel-vxlan' ? new LeasePlan([...this.nodes.values()].flatMap((n) => (n.ip ? [nodeLease(n.name, n.podCidr, n.podLen, n.ip)] : []))) : undefined
    for (const n of this.nodes.values()) {
      this.programNode(n, plan)
      step()
      yield
    }
    const sched = this.world.sched
    const outer = sched.signal
    sched.signal = signal ?? outer
    // Run in slices of simulated time (running to a time in two runs is running to it in one).
    const settled = sched.now + 3 * NS_PER_SEC
    while (sched.now < settled) {
      const from = sched.now
      try {
        sched.run(Math.min(settled, from + NS_PER_SEC / 10))
      } finally {
        sched.signal = outer
      }
      // A bound of the run stopped the clock (budget.ts): so would the run in one go.
      if (sched.now === from) break
      if (sched.now < settled) {
        yield
        sched.signal = signal ?? outer
      }
    }
    progress?.({ phase: 'build', done: total, total })
  }

  private buildUnderlay(): void {
    const { kind } = this.spec.underlay
    if (kind === 'switch') {
      this.underlay.addSwitch(UNDERLAY_NS, this.spec.underlay.cidr)
      if (this.currentMode === 'cloud-routes') this.addSwitchRouter()
    } else if (kind === 'routed') this.underlay.addRouter(ROUTER_NS)
  }

  /** The cloud's router on the switch, at the underlay's first address. */
  private addSwitchRouter(): void {
    this.ops.netnsAdd(ROUTER_NS)
    this.roles.set(ROUTER_NS, 'router')
    this.ops.up(ROUTER_NS, 'lo')
    this.ops.veth(ROUTER_NS, 'eth0', macFor('router/eth0'), UNDERLAY_NS, 'to-router', macFor('underlay/to-router'))
    this.ops.master(UNDERLAY_NS, 'to-router', 'br0')
    this.ops.up(UNDERLAY_NS, 'to-router')
    this.ops.addr(ROUTER_NS, 'eth0', this.underlayGateway(), this.underlayNet.len)
    this.ops.up(ROUTER_NS, 'eth0')
    this.ops.sysctl(ROUTER_NS, 'net.ipv4.ip_forward', '1')
    this.routerUplink = true
    this.underlay.routers.set(ROUTER_NS, { name: ROUTER_NS, nextPort: 1 })
    this.underlay.segments.get(UNDERLAY_NS)?.hosts.set(ROUTER_NS, { ip: this.underlayGateway(), dev: 'eth0' })
  }

  /** The router's address on a single switch segment. */
  private underlayGateway(): Ipv4 {
    return (this.underlayNet.addr + 1) >>> 0
  }

  private nodeAddressing(spec: NodeSpec, index: number, path: string): { ip: Ipv4; len: number; gateway: Ipv4 } {
    const net = this.underlayNet
    const size = 2 ** (32 - net.len)
    const inUnderlay = (ip: Ipv4): boolean => ((ip & prefixMask(net.len)) >>> 0) === net.addr
    if (this.spec.underlay.kind === 'switch') {
      if (!spec.ip && 10 + index >= size - 1) throw new SpecError(path, says('build.underlay_full', { cidr: String(this.spec.underlay.cidr), index }))
      const ip = spec.ip ? this.parseIp(`${path}.ip`, spec.ip) : (net.addr + 10 + index) >>> 0
      if (!inUnderlay(ip)) throw new SpecError(`${path}.ip`, says('build.ip_outside_underlay', { ip: formatIpv4(ip), cidr: String(this.spec.underlay.cidr) }))
      if (ip === net.addr || ip === ((net.addr + size - 1) >>> 0)) throw new SpecError(`${path}.ip`, says(ip === net.addr ? 'build.ip_underlay_network' : 'build.ip_underlay_broadcast', { ip: formatIpv4(ip) }))
      if (this.routerUplink && ip === this.underlayGateway()) throw new SpecError(`${path}.ip`, says('build.ip_underlay_router', { ip: formatIpv4(ip) }))
      return { ip, len: net.len, gateway: this.routerUplink ? this.underlayGateway() : 0 }
    }
    // Routed segments: node i sits alone on the i-th /24 of the underlay with the router at .1.
    if (!spec.ip && index >= size / 256) throw new SpecError(path, says('build.routed_full', { cidr: String(this.spec.underlay.cidr), index }))
    const seg = (net.addr + index * 256) >>> 0
    const ip = spec.ip ? this.parseIp(`${path}.ip`, spec.ip) : (seg + 10) >>> 0
    if (!inUnderlay(ip)) throw new SpecError(`${path}.ip`, says('build.ip_outside_underlay', { ip: formatIpv4(ip), cidr: String(this.spec.underlay.cidr) }))
    const host = ip & 0xff
    if (host === 0 || host === 1 || host === 255) throw new SpecError(`${path}.ip`, says(host === 1 ? 'build.ip_segment_router' : host === 0 ? 'build.ip_segment_network' : 'build.ip_segment_broadcast', { ip: formatIpv4(ip) }))
    const gateway = ((ip & 0xffffff00) + 1) >>> 0
    for (const o of this.nodes.values()) if (o.gateway === gateway) throw new SpecError(`${path}.ip`, says('build.ip_segment_taken', { ip: formatIpv4(ip), node: o.name, segment: formatIpv4((gateway - 1) >>> 0) }))
    return { ip, len: 24, gateway }
  }

  private parseIp(path: string, s: string): Ipv4 {
    const ip = parseIpv4(s)
    if (ip === null) throw new SpecError(path, says('build.not_ipv4', { value: s }))
    return ip
  }

  private nodePodCidr(spec: NodeSpec, index: number, path: string): { addr: Ipv4; len: number } {
    let c: { addr: Ipv4; len: number }
    if (spec.podCidr) {
      c = parseCidr(`${path}.podCidr`, spec.podCidr)
      if (c.len > 30) throw new SpecError(`${path}.podCidr`, says('build.pod_cidr_small', { cidr: spec.podCidr }))
      if (c.len < this.clusterNet.len || ((c.addr & prefixMask(this.clusterNet.len)) >>> 0) !== this.clusterNet.addr) throw new SpecError(`${path}.podCidr`, says('build.pod_cidr_outside', { cidr: spec.podCidr, cluster: this.spec.clusterCidr }))
    } else {
      const len = Math.max(24, this.clusterNet.len)
      if (index >= 2 ** (len - this.clusterNet.len)) throw new SpecError(`${path}`, says('build.cluster_full', { cluster: this.spec.clusterCidr, index }))
      c = { addr: (this.clusterNet.addr + index * 2 ** (32 - len)) >>> 0, len }
    }
    for (const o of this.nodes.values()) {
      const len = Math.min(c.len, o.podLen)
      if (((c.addr & prefixMask(len)) >>> 0) !== ((o.podCidr & prefixMask(len)) >>> 0)) continue
      const other = { addr: o.podCidr, len: o.podLen }
      if (overlaps(c, other)) throw new SpecError(spec.podCidr ? `${path}.podCidr` : path, says('build.pod_cidr_overlaps', { cidr: cidrText(c), node: o.name, other: cidrText(other) }))
    }
    return c
  }

  /**
   * A node: its namespace, uplink, cbr0 and pods (inter-node routing comes in programNode). On a
   * scenario's underlay it is wired at once (to the `underlay` switch, or to the routed underlay's
   * router), unless `wire` says where else or `null` (nowhere yet); a lab built by hand wires it later.
   */
  private createNode(spec: NodeSpec, path: string, wire?: string | null): NodeState {
    const index = this.nextIndex++
    const onScenario = wire === undefined && this.spec.underlay.kind !== 'none' && this.underlayPresent()
    const a = onScenario ? this.nodeAddressing(spec, index, path) : null
    const cidr = this.nodePodCidr(spec, index, path)
    if (a) for (const other of this.nodes.values()) if (other.ip === a.ip) throw new SpecError(`${path}.ip`, says('build.ip_taken', { ip: formatIpv4(a.ip), node: other.name }))
    if (wire) this.checkWire(spec.name, wire)
    const n = spec.name
    this.ops.netnsAdd(n)
    this.roles.set(n, 'node')
    this.ops.up(n, 'lo')
    let up: Uplink | null = null
    if (a && this.spec.underlay.kind === 'switch') up = this.underlay.plugIntoSwitch(n, UNDERLAY_NS, 'eth0', a.ip, `${path}.ip`, 'add')
    else if (a) up = this.underlay.plugIntoRouter(n, ROUTER_NS, { addr: (a.gateway - 1) >>> 0, len: 24 }, a.ip)
    else if (wire) up = this.plug(n, wire, spec.ip ? `${path}.ip` : undefined, spec.ip)
    this.ops.sysctl(n, 'net.ipv4.ip_forward', '1')
    this.ops.bridge(n, 'cbr0', macFor(`${n}/cbr0`))
    const ipam = new HostLocalIpam(cidr.addr, cidr.len)
    this.ops.addr(n, 'cbr0', ipam.gateway, cidr.len)
    this.ops.up(n, 'cbr0')
    const state: NodeState = { name: n, index, ip: up?.ip ?? 0, ipLen: up?.len ?? 0, gateway: up?.gateway ?? 0, podCidr: cidr.addr, podLen: cidr.len, ipam, pods: new Map(), flanneld: null }
    this.nodes.set(n, state)
    spec.pods.forEach((p, j) => this.createPod(state, p, `${path}.pods[${j}]`))
    return state
  }

  private createPod(node: NodeState, p: PodSpec, path: string): CniPod {
    if (p.mtu !== undefined && (!Number.isInteger(p.mtu) || p.mtu < 68 || p.mtu > 65535)) throw new SpecError(`${path}.mtu`, says('build.mtu_range', { value: String(p.mtu) }))
    if (node.pods.size >= MAX_PODS_PER_NODE) throw new SpecError(path, says('build.node_pods_full', { node: node.name, max: MAX_PODS_PER_NODE }))
    let ip: Ipv4 | null = null
    if (p.ip) {
      ip = this.parseIp(`${path}.ip`, p.ip)
      if (!node.ipam.contains(ip)) throw new SpecError(`${path}.ip`, says('build.pod_ip_outside', { ip: p.ip, node: node.name, cidr: `${formatIpv4(node.podCidr)}/${node.podLen}` }))
    }
    let pod: CniPod
    try {
      pod = cniAdd(this.ops, this.events, p.name, node.name, node.ipam, ip, p.mtu ?? this.podMtu)
    } catch (e) {
      if (e instanceof SpecError) throw new SpecError(`${path}.ip`, e.reason)
      throw e
    }
    this.roles.set(p.name, 'pod')
    node.pods.set(p.name, pod)
    return pod
  }

  /** Inter-node routing for one node, per mode (and its entry in the router's table). */
  /** `plan`: in a build, every node's flannel lease to come (see LeasePlan). */
  private programNode(n: NodeState, plan?: LeasePlan): void {
    // A node wired to nothing has no address for the others to route to, nor a way to them.
    if (!n.ip) return
    switch (this.currentMode) {
      case 'routes': {
        const actor = `routes@${n.name}`
        for (const o of this.nodes.values()) {
          if (o === n || !o.ip) continue
          this.tryRoute(n.name, actor, { dst: o.podCidr, len: o.podLen, via: o.ip, dev: 'eth0' })
        }
        break
      }
      case 'cloud-routes':
        this.cloudRoute(n)
        break
      case 'flannel-vxlan':
      case 'flannel-host-gw': {
        const f = new Flanneld(this.ops, this.events, this.leases, n.name, this.currentMode === 'flannel-vxlan' ? 'vxlan' : 'host-gw', { node: n.name, subnet: n.podCidr, len: n.podLen, publicIp: n.ip }, 1500)
        n.flanneld = f
        f.start(plan)
        break
      }
    }
  }

  /** The routers that hold a node's route in the cloud route table: those on the node's segment. */
  private cloudRouters(n: NodeState): string[] {
    const up = this.underlay.uplinks.get(n.name)
    const seg = up ? this.underlay.segments.get(up.segment) : undefined
    return seg ? [...seg.hosts.keys()].filter((ns) => this.underlay.routers.has(ns)) : []
  }

  private cloudRoute(n: NodeState): void {
    const limit = this.spec.underlay.routeLimit
    const existing = [...this.nodes.values()].filter((o) => o !== n && o.index < n.index && o.ip).length
    if (limit !== undefined && existing >= limit) {
      this.events.add('cloud', 'control.route_limit', { node: n.name, limit })
      return
    }
    for (const r of this.cloudRouters(n)) this.tryRoute(r, 'cloud', { dst: n.podCidr, len: n.podLen, via: n.ip })
  }

  private tryRoute(ns: string, actor: string, r: { dst: Ipv4; len: number; via: Ipv4; dev?: string }): void {
    try {
      this.ops.route(ns, r)
      this.events.add(actor, 'control.route_added', routeAddedParams, ns, r)
    } catch (e) {
      if (!(e instanceof KernelError)) throw e
      this.events.add(actor, 'control.route_failed', { netns: ns, route: routeText(r), error: e.extack ?? e.errno })
    }
  }

  /** Removes a route the cluster programmed; one already gone (deleted by hand) is not an error. */
  private tryRouteDel(ns: string, actor: string, r: { dst: Ipv4; len: number; via: Ipv4; dev?: string }): void {
    try {
      this.ops.routeDel(ns, r)
      this.events.add(actor, 'control.route_removed', routeAddedParams, ns, r)
    } catch (e) {
      if (!(e instanceof KernelError)) throw e
    }
  }

  /**
   * Moves the cluster to another mode, as an operator migrating it would: the components of the
   * old mode remove what they programmed (per-node routes, the cloud route table's routes,
   * flanneld's routes, ARP and FDB entries and flannel.1), then those of the new mode program it
   * for every node in order. Pods keep their addresses and their MTU: the CNI plugin set it when
   * each pod was created, so only pods created afterwards get the new mode's (1450 for VXLAN).
   * Moving to cloud routes on a switch adds the cloud's router, which becomes every node's default
   * gateway and stays on the underlay after a later move.
   */
  setMode(mode: Mode): void {
    const from = this.currentMode
    if (mode === from) throw new SpecError('mode', says('build.mode_same', { mode }))
    if (mode === 'cloud-routes' && this.spec.underlay.kind === 'switch' && !this.routerUplink) this.checkRouterFits()
    this.unprogram()
    this.currentMode = mode
    this.events.add('cluster', 'control.mode_changed', { from, to: mode })
    if (mode === 'cloud-routes' && this.spec.underlay.kind === 'switch' && !this.routerUplink) {
      this.addSwitchRouter()
      for (const n of this.nodes.values()) {
        n.gateway = this.underlayGateway()
        this.ops.route(n.name, { dst: 0, len: 0, via: n.gateway, dev: 'eth0' }, 'replace')
      }
    }
    const ordered = [...this.nodes.values()].sort((a, b) => a.index - b.index)
    for (const n of ordered) this.programNode(n)
  }

  /** The router needs its namespace name and the underlay's first address to be free. */
  private checkRouterFits(): void {
    if (this.world.netns(ROUTER_NS)) throw new SpecError('mode', says('build.router_ns_taken', { name: ROUTER_NS }))
    const gw = this.underlayGateway()
    for (const n of this.nodes.values()) if (n.ip === gw) throw new SpecError('mode', says('build.router_ip_taken', { ip: formatIpv4(gw), node: n.name }))
  }

  /** Removes what the current mode programmed between nodes. */
  private unprogram(): void {
    switch (this.currentMode) {
      case 'routes':
        for (const n of this.nodes.values()) for (const o of this.nodes.values()) if (o !== n && n.ip && o.ip) this.tryRouteDel(n.name, `routes@${n.name}`, { dst: o.podCidr, len: o.podLen, via: o.ip, dev: 'eth0' })
        break
      case 'cloud-routes':
        for (const n of this.nodes.values()) if (n.ip) for (const r of this.cloudRouters(n)) this.tryRouteDel(r, 'cloud', { dst: n.podCidr, len: n.podLen, via: n.ip })
        break
      case 'flannel-vxlan':
      case 'flannel-host-gw': {
        const daemons = [...this.nodes.values()].flatMap((n) => (n.flanneld ? [n.flanneld] : []))
        // Every daemon stops watching first, so none reacts to the others' leases going away.
        for (const f of daemons) f.unwatchLeases()
        for (const f of daemons) f.teardown()
        for (const n of this.nodes.values()) {
          this.leases.remove(n.name)
          n.flanneld = null
        }
        break
      }
    }
  }

  /**
   * Adds a node (and its pods); the other nodes, the router or flanneld learn about it. `wire`:
   * the switch or router to wire it to (instead of a scenario's underlay), or null for none yet.
   */
  addNode(spec: NodeSpec, wire?: string | null): NodeState {
    checkMemberName('node.name', spec.name)
    if (this.world.netns(spec.name)) throw new SpecError('node.name', says('build.name_taken', { name: spec.name }))
    if (this.nodes.size >= MAX_NODES) throw new SpecError('node', says('build.nodes_full', { max: MAX_NODES }))
    const n = this.createNode(spec, 'node', wire)
    this.joined(n)
    return n
  }

  /** A node just got its uplink: the other nodes, the routers or flanneld learn where it is. */
  private joined(n: NodeState): void {
    if (!n.ip) return
    if (this.currentMode === 'routes') {
      for (const o of this.nodes.values()) if (o !== n && o.ip) this.tryRoute(o.name, `routes@${o.name}`, { dst: n.podCidr, len: n.podLen, via: n.ip, dev: 'eth0' })
    }
    this.programNode(n)
  }

  /** A node is losing its uplink: what others programmed for it goes, and its own flanneld stops. */
  private leaving(n: NodeState): void {
    if (!n.ip) return
    if (n.flanneld) {
      n.flanneld.stop()
      n.flanneld.teardown()
      n.flanneld = null
    }
    if (this.currentMode === 'routes') for (const o of this.nodes.values()) if (o !== n && o.ip) this.tryRouteDel(o.name, `routes@${o.name}`, { dst: n.podCidr, len: n.podLen, via: n.ip, dev: 'eth0' })
    if (this.currentMode === 'cloud-routes') for (const r of this.cloudRouters(n)) this.tryRouteDel(r, 'cloud', { dst: n.podCidr, len: n.podLen, via: n.ip })
  }

  /** Removes a node: its pods, its uplink and everything other components programmed for it. */
  removeNode(name: string): void {
    const n = this.checkRemoveNode(name)
    n.flanneld?.stop()
    for (const p of [...n.pods.values()]) this.removePod(p.name)
    if (n.ip && this.currentMode === 'routes') for (const o of this.nodes.values()) if (o !== n && o.ip) this.tryRouteDel(o.name, `routes@${o.name}`, { dst: n.podCidr, len: n.podLen, via: n.ip, dev: 'eth0' })
    if (n.ip && this.currentMode === 'cloud-routes') for (const r of this.cloudRouters(n)) this.tryRouteDel(r, 'cloud', { dst: n.podCidr, len: n.podLen, via: n.ip })
    this.ops.netnsDel(name)
    this.underlay.forget(name)
    this.roles.delete(name)
    this.nodes.delete(name)
  }

  addPod(node: string, p: PodSpec): CniPod {
    const n = this.nodes.get(node)
    if (!n) throw new SpecError('pod.node', says('build.no_node', { name: node }))
    checkMemberName('pod.name', p.name)
    if (this.world.netns(p.name)) throw new SpecError('pod.name', says('build.name_taken', { name: p.name }))
    this.needNamespace(node, 'node')
    if (!n.ipam.hasFree() && !p.ip) throw new SpecError('pod', says('build.pod_cidr_exhausted', { node, cidr: cidrText({ addr: n.podCidr, len: n.podLen }) }))
    let total = 0
    for (const o of this.nodes.values()) total += o.pods.size
    if (total >= MAX_PODS) throw new SpecError('pod', says('build.pods_full', { max: MAX_PODS }))
    return this.createPod(n, p, 'pod')
  }

  /** A node's or pod's namespace must still be there (someone may have run `ip netns del`). */
  private needNamespace(name: string, what: 'node' | 'pod'): void {
    if (!this.world.namespaces.has(name)) throw new SpecError(what, says(what === 'node' ? 'build.node_netns_gone' : 'build.pod_netns_gone', { name }))
  }

  /** Checks that a node can be removed (before anything changes, so a refusal leaves the cluster as it was). */
  checkRemoveNode(name: string): NodeState {
    const n = this.nodes.get(name)
    if (!n) throw new SpecError('node', says('build.no_node', { name }))
    this.needNamespace(name, 'node')
    for (const p of n.pods.values()) this.needNamespace(p.name, 'pod')
    return n
  }

  /** Checks that a pod can be removed: it exists and its namespace is still there. */
  checkRemovePod(name: string): void {
    if (!this.podNode(name)) throw new SpecError('pod', says('build.no_pod', { name }))
    this.needNamespace(name, 'pod')
  }

  removePod(name: string): void {
    this.checkRemovePod(name)
    for (const n of this.nodes.values()) {
      const p = n.pods.get(name)
      if (!p) continue
      cniDel(this.ops, p, n.ipam)
      n.pods.delete(name)
      this.roles.delete(name)
      return
    }
    throw new SpecError('pod', says('build.no_pod', { name }))
  }

  /**
   * Moves a pod to another node: the pod is deleted and created again there (a new address from
   * that node's range), as a rescheduled pod is. Everything is checked first, so a move that
   * cannot happen changes nothing.
   */
  movePod(name: string, node: string): CniPod {
    const from = this.podNode(name)
    if (!from) throw new SpecError('pod', says('build.no_pod', { name }))
    const to = this.nodes.get(node)
    if (!to) throw new SpecError('pod.node', says('build.no_node', { name: node }))
    if (to === from) throw new SpecError('pod.node', says('build.pod_same_node', { name, node }))
    this.checkRemovePod(name)
    this.needNamespace(node, 'node')
    if (!to.ipam.hasFree()) throw new SpecError('pod', says('build.pod_cidr_exhausted', { node, cidr: cidrText({ addr: to.podCidr, len: to.podLen }) }))
    if (to.pods.size >= MAX_PODS_PER_NODE) throw new SpecError('pod', says('build.node_pods_full', { node, max: MAX_PODS_PER_NODE }))
    this.removePod(name)
    return this.addPod(node, { name })
  }

  /** Whether the scenario's own underlay (the `underlay` switch or the routed `router`) is still there. */
  private underlayPresent(): boolean {
    return this.spec.underlay.kind === 'switch' ? this.underlay.segments.has(UNDERLAY_NS) : this.spec.underlay.kind === 'routed' && this.underlay.routers.has(ROUTER_NS)
  }

  /** What a namespace is to the wiring: a switch, a router, a node, a pod or any other namespace. */
  private kindOf(ns: string): 'switch' | 'router' | 'node' | 'pod' | 'other' | null {
    if (this.underlay.segments.get(ns)?.switchNs === ns) return 'switch'
    if (this.underlay.routers.has(ns)) return 'router'
    if (this.nodes.has(ns)) return 'node'
    if (this.podNode(ns)) return 'pod'
    return this.world.netns(ns) ? 'other' : null
  }

  /** Checks that namespace `ns` (a node or another namespace) may be wired to `to`. */
  private checkWire(ns: string, to: string): void {
    const k = this.kindOf(to)
    if (k !== 'switch' && k !== 'router') throw new SpecError('link', says(k === null ? 'build.wire_to_missing' : k === 'node' ? 'build.wire_to_node' : k === 'pod' ? 'build.wire_to_pod' : 'build.wire_to_other', { name: to }))
    if (this.underlay.uplinks.has(ns)) throw new SpecError('link', says('build.already_wired', { name: ns, segment: this.underlay.uplinks.get(ns)!.segment }))
  }

  /** Wires a namespace (new or without uplink) to a switch or a router; its uplink is eth0 when free. */
  private plug(ns: string, to: string, path?: string, ip?: string): Uplink {
    const addr = Underlay.ip(path ?? 'ip', ip)
    if (this.kindOf(to) === 'router') return this.underlay.plugIntoRouter(ns, to, null, addr)
    let dev = 'eth0'
    for (let i = 1; this.world.netns(ns)?.dev(dev); i++) dev = `eth${i}`
    return this.underlay.plugIntoSwitch(ns, to, dev, addr, path, 'add')
  }

  /** An L2 switch for the underlay, with a subnet of its own (the first free /24 of 192.168.0.0/16 by default). */
  addSwitch(name: string, cidr?: string): void {
    this.underlay.addSwitch(name, cidr)
  }

  /** A router for the underlay (ip_forward=1), wired to nothing yet. */
  addRouter(name: string): void {
    this.underlay.addRouter(name)
  }

  /**
   * Wires two namespaces: a node (or any namespace) to a switch or straight to a router, or a
   * router to a switch. A node that gets its uplink this way joins the cluster's routing (routes,
   * the cloud route table, flanneld) at once; a router on a switch becomes the default gateway of
   * its hosts and, in cloud-routes mode, holds the routes of the nodes on it.
   */
  connect(a: string, b: string): string {
    const [ka, kb] = [this.kindOf(a), this.kindOf(b)]
    if (ka === null) throw new SpecError('link', says('build.no_namespace', { name: a }))
    if (kb === null) throw new SpecError('link', says('build.no_namespace', { name: b }))
    if (ka === kb && (ka === 'switch' || ka === 'router')) throw new SpecError('link', says(ka === 'switch' ? 'build.wire_switches' : 'build.wire_routers', { a, b }))
    // Either way round: the switch (or the router a node goes to) second.
    const swap = ka === 'switch' || (ka === 'router' && kb !== 'switch')
    const [x, y, kx, ky] = swap ? [b, a, kb, ka] : [a, b, ka, kb]
    if (kx === 'pod') throw new SpecError('link', says('build.wire_pod', { name: x }))
    if (ky !== 'switch' && ky !== 'router') throw new SpecError('link', says('build.wire_kinds', { a: x, b: y }))
    if (kx === 'router') {
      if (this.underlay.segments.get(y)?.hosts.has(x)) throw new SpecError('link', says('build.already_on', { name: x, segment: y }))
      this.underlay.routerOntoSwitch(x, y)
      const seg = this.underlay.segments.get(y)!
      for (const host of seg.hosts.keys()) {
        const n = this.nodes.get(host)
        if (!n) continue
        n.gateway = this.underlay.uplinks.get(host)?.gateway ?? n.gateway
        if (this.currentMode === 'cloud-routes') this.tryRoute(x, 'cloud', { dst: n.podCidr, len: n.podLen, via: n.ip })
      }
      return `${x} wired to ${y}`
    }
    this.checkWire(x, y)
    const up = this.plug(x, y)
    const n = this.nodes.get(x)
    if (n) {
      n.ip = up.ip
      n.ipLen = up.len
      n.gateway = up.gateway
      this.joined(n)
    }
    return `${x} wired to ${y}`
  }

  /** Takes the link between two namespaces away (a node's uplink, a router's port on a switch). */
  disconnect(a: string, b: string): string {
    const seg = this.underlay.linkBetween(a, b)
    if (!seg) throw new SpecError('link', says('build.not_wired', { a, b }))
    // The one that leaves: the side that is not the switch; for a node on a router, the node.
    const leaver = seg.switchNs === a ? b : seg.switchNs === b ? a : this.underlay.routers.has(a) ? b : a
    const n = this.nodes.get(leaver)
    if (n) this.leaving(n)
    if (this.underlay.routers.has(leaver) && this.currentMode === 'cloud-routes') {
      for (const host of seg.hosts.keys()) {
        const o = this.nodes.get(host)
        if (o?.ip) this.tryRouteDel(leaver, 'cloud', { dst: o.podCidr, len: o.podLen, via: o.ip })
      }
    }
    this.underlay.unplug(leaver, seg.name)
    if (n) Object.assign(n, { ip: 0, ipLen: 0, gateway: 0 })
    for (const h of seg.hosts.keys()) {
      const o = this.nodes.get(h)
      if (o) o.gateway = this.underlay.uplinks.get(h)?.gateway ?? 0
    }
    return `${leaver} unwired from ${seg.switchNs ?? (leaver === a ? b : a)}`
  }

  /**
   * Deletes a switch, a router or any namespace that is not a node or a pod: first whatever is
   * wired to it comes off (nodes lose their uplink), then the namespace goes.
   */
  removeNamespace(name: string): void {
    const k = this.kindOf(name)
    if (k === null) throw new SpecError('name', says('build.no_namespace', { name }))
    if (k === 'node') return this.removeNode(name)
    if (k === 'pod') return this.removePod(name)
    for (const seg of [...this.underlay.segments.values()]) {
      if (seg.switchNs === name) for (const h of [...seg.hosts.keys()]) this.disconnect(h, name)
      else if (seg.hosts.has(name)) this.disconnect(name, seg.switchNs ?? [...seg.hosts.keys()].find((h) => h !== name)!)
    }
    this.ops.netnsDel(name)
    this.underlay.forget(name)
    this.roles.delete(name)
  }

  /**
   * Deletes the link one end of which is device `dev` in `ns`: a wire of the underlay comes off
   * as `disconnect` takes it (addresses and routes follow), any other device goes as
   * `ip link del` takes it (a veth pair with both its ends).
   */
  removeLink(ns: string, dev: string): void {
    const d = this.world.netns(ns)?.dev(dev)
    if (!d) throw new SpecError('link', ns ? says('build.no_device', { ns, device: dev }) : says('build.no_device_host', { device: dev }))
    const peer = d instanceof VethDevice ? d.peer : null
    const ends: [string, string][] = [[ns, dev]]
    if (peer) ends.push([peer.netns.name, peer.name])
    for (const [n, name] of ends) {
      for (const seg of this.underlay.segments.values()) {
        if (seg.hosts.get(n)?.dev !== name) continue
        this.disconnect(n, seg.switchNs ?? [...seg.hosts.keys()].find((h) => h !== n)!)
        return
      }
    }
    this.ops.linkDel(ns, dev)
  }

  /** The node a pod runs on. */
  podNode(pod: string): NodeState | undefined {
    for (const n of this.nodes.values()) if (n.pods.has(pod)) return n
    return undefined
  }

  /** Every pod, in node order then creation order. */
  pods(): CniPod[] {
    const out: CniPod[] = []
    for (const n of this.nodes.values()) out.push(...n.pods.values())
    return out
  }

  /** The cluster as a spec again (with every address made explicit), for saving. */
  toSpec(): ClusterSpec {
    return {
      mode: this.currentMode,
      clusterCidr: this.spec.clusterCidr,
      underlay: { ...this.spec.underlay },
      nodes: [...this.nodes.values()].map((n) => ({
        name: n.name,
        ...(n.ip ? { ip: formatIpv4(n.ip) } : {}),
        podCidr: `${formatIpv4(n.podCidr)}/${n.podLen}`,
        pods: [...n.pods.values()].map((p) => ({ name: p.name, ip: formatIpv4(p.ip), ...(p.mtu !== this.podMtu ? { mtu: p.mtu } : {}) })),
      })),
    }
  }
}

function routeText(r: { dst: Ipv4; len: number; via: Ipv4; dev?: string }): string {
  return `${formatIpv4(r.dst)}/${r.len} via ${formatIpv4(r.via)}${r.dev ? ` dev ${r.dev}` : ''}`
}

const routeAddedParams: ParamsOf<string, { dst: Ipv4; len: number; via: Ipv4; dev?: string }, 'control.route_added'> = (netns, r) => ({ netns, route: routeText(r) })
