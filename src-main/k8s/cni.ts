import { formatIpv4, prefixMask, type Ipv4 } from '../engine/addr/ipv4.ts'
import { EventGroup, type ClusterEvents } from './events.ts'
import { hostVethName, macFor } from './ids.ts'
import type { Ops } from './ops.ts'
import { says } from '../../shared/messages/problem.ts'
import { SpecError } from './spec.ts'

/**
 * host-local IPAM for one node: hands out addresses of the node's pod CIDR in order, skipping
 * the network, the gateway (.1) and the broadcast address, and reuses released ones last, as
 * the CNI plugin's "next after the last reserved" policy does.
 */
export class HostLocalIpam {
  private readonly used = new Set<Ipv4>()
  private last: Ipv4

  constructor(
    readonly network: Ipv4,
    readonly len: number,
  ) {
    this.last = (network + 1) >>> 0
  }

  get gateway(): Ipv4 {
    return (this.network + 1) >>> 0
  }

  private get broadcast(): Ipv4 {
    return (this.network | ~prefixMask(this.len)) >>> 0
  }

  reserve(ip: Ipv4): void {
    if (!this.contains(ip)) throw new SpecError('', says('build.ipam_outside', { ip: formatIpv4(ip), cidr: `${formatIpv4(this.network)}/${this.len}` }))
    if (ip === this.network || ip === this.gateway || ip === this.broadcast) throw new SpecError('', says('build.ipam_reserved', { ip: formatIpv4(ip), cidr: `${formatIpv4(this.network)}/${this.len}` }))
    if (this.used.has(ip)) throw new SpecError('', says('build.ipam_in_use', { ip: formatIpv4(ip) }))
    this.used.add(ip)
  }

  /** Whether allocate() would find an address. */
  hasFree(): boolean {
    return this.used.size < 2 ** (32 - this.len) - 3
  }

  contains(ip: Ipv4): boolean {
    return ((ip & prefixMask(this.len)) >>> 0) === this.network
  }

  allocate(): Ipv4 {
    const size = 2 ** (32 - this.len)
    for (let i = 1; i <= size; i++) {
      const ip = (this.network + (((this.last - this.network + i) % size) >>> 0)) >>> 0
      if (ip === this.network || ip === this.gateway || ip === this.broadcast || this.used.has(ip)) continue
      this.used.add(ip)
      this.last = ip
      return ip
    }
    throw new SpecError('', says('build.ipam_full', { cidr: `${formatIpv4(this.network)}/${this.len}` }))
  }

  release(ip: Ipv4): void {
    this.used.delete(ip)
  }
}

export interface CniPod {
  readonly name: string
  readonly node: string
  readonly ip: Ipv4
  readonly veth: string
  readonly mtu: number
}

/**
 * The reference CNI `bridge` plugin (isGateway, isDefaultGateway) for one pod: a veth pair whose
 * pod end is eth0 and whose host end joins cbr0, the address from IPAM, a default route via the
 * bridge's address.
 */
export function cniAdd(ops: Ops, events: ClusterEvents, pod: string, node: string, ipam: HostLocalIpam, ip: Ipv4 | null, mtu: number): CniPod {
  const addr = ip === null ? ipam.allocate() : (ipam.reserve(ip), ip)
  const veth = hostVethName(pod)
  // SetupVeth: the pair is made in the pod's namespace with the host end in the node's; the pod
  // end comes up, then the host end, which then joins the bridge; IPAM configures eth0 last.
  ops.podSetup({ pod, node, veth, mac: macFor(`${pod}/eth0`), peerMac: macFor(`${node}/${veth}`), mtu: mtu === 1500 ? undefined : mtu, addr, len: ipam.len, gateway: ipam.gateway })
  const made: CniPod = { name: pod, node, ip: addr, veth, mtu }
  // Worded from the pod when read; consecutive pods of one instant are one record.
  events.addGroup('cni', cniAddEvents, made, null)
  return made
}

const cniAddEvents = new EventGroup<CniPod, null>([
  ['control.ipam_assign', (p) => ({ pod: p.name, ip: formatIpv4(p.ip), node: p.node })],
  ['control.cni_add', (p) => ({ pod: p.name, node: p.node, veth: p.veth })],
])

/** CNI DEL: the pod's namespace goes, taking its veth pair (and so the bridge port) with it. */
export function cniDel(ops: Ops, pod: CniPod, ipam: HostLocalIpam): void {
  ops.netnsDel(pod.name)
  ipam.release(pod.ip)
}
