import { formatIpv4, parsePrefix, prefixMask, type Ipv4 } from '../engine/addr/ipv4.ts'
import { formatMessage } from '../../shared/messages/index.ts'
import { says, type Problem } from '../../shared/messages/problem.ts'

/** How pods on different nodes reach each other. */
export type Mode = 'routes' | 'cloud-routes' | 'flannel-vxlan' | 'flannel-host-gw'

export const MODES: readonly Mode[] = ['routes', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw']

/**
 * The network between nodes: one L2 segment (a switch), or one segment per node joined by a
 * router (where flannel host-gw cannot work, because the next hop of its routes is not on-link),
 * or none: the lab is built by hand, switches and routers added and wired with lab commands.
 */
export type UnderlayKind = 'switch' | 'routed' | 'none'

export interface PodSpec {
  name: string
  /** Fixed address; otherwise host-local IPAM picks the next free one. */
  ip?: string
  /** MTU of the pod's eth0 and its veth; defaults to the mode's (1450 for flannel VXLAN). */
  mtu?: number
}

export interface NodeSpec {
  name: string
  /** Underlay address of eth0; derived from the node's position when absent. */
  ip?: string
  /** This node's pod CIDR; the node's slice of the cluster CIDR when absent. */
  podCidr?: string
  pods: PodSpec[]
}

export interface ClusterSpec {
  mode: Mode
  /** The whole pod network (flannel's Network), e.g. 10.244.0.0/16. */
  clusterCidr: string
  /** Underlay network for nodes (the switch's subnet, or the base of per-node subnets). */
  /** `cidr` is the switch's subnet, or the routed underlay's range; none has none. */
  underlay: { kind: UnderlayKind; cidr?: string; routeLimit?: number }
  nodes: NodeSpec[]
}

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16'
export const DEFAULT_UNDERLAY_CIDR = '192.168.0.0/24'

/**
 * A problem with a spec: where it is (a path like `nodes[1].pods[0].ip`) and what is wrong, by
 * message key (`reason`, worded by views in the learner's language) and in English (`problem`).
 */
export class SpecError extends Error {
  readonly problem: string

  constructor(
    readonly path: string,
    readonly reason: Problem,
  ) {
    const problem = formatMessage(reason.msg, reason.params, 'en')
    super(`${path}: ${problem}`)
    this.problem = problem
  }
}

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/

/** Names become namespace names (and part of device names), so Kubernetes DNS-label rules and at most 15 characters. */
export function checkName(path: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) throw new SpecError(path, says('build.name_invalid', { name: String(name) }))
  return name
}

export function parseCidr(path: string, s: unknown): { addr: Ipv4; len: number } {
  if (typeof s !== 'string') throw new SpecError(path, says('build.cidr_expected'))
  const p = parsePrefix(s)
  if (!p || !s.includes('/')) throw new SpecError(path, says('build.not_cidr', { value: s }))
  if (((p.addr & ~prefixMask(p.len)) >>> 0) !== 0) throw new SpecError(path, says('build.host_bits', { value: s, suggest: `${formatIpv4((p.addr & prefixMask(p.len)) >>> 0)}/${p.len}` }))
  return { addr: p.addr, len: p.len }
}
