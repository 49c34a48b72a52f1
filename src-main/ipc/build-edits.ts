import type { Edit } from '../../shared/api.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import { ifnameField, invalid, NAME, netnsField, object, oneOf, optional, refused, str, type Check } from './validate.ts'

/**
 * The edits that build a lab on the canvas (the palette, wiring, deleting, advanced namespaces):
 * their payload shapes, the checks that refuse them with a reason people read (in any language:
 * ApiError.msg), and the one command line each stands for, so each is one step of the history.
 */

type BuildEdit = Extract<Edit, { type: 'addWiredNode' | 'addSwitch' | 'addRouter' | 'connect' | 'disconnect' | 'remove' | 'addNamespace' | 'addBridge' | 'addVethPair' | 'renameDevice' | 'movePods' }>

/** A name as the palette makes it; the check words a bad one for people (not a validation code). */
const buildName: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw invalid(path, 'must be a name')
  if (!NAME.test(v)) throw refused('invalid-request', path, 'edit.name_invalid', { name: v })
  return v
}

const end = object({ netns: netnsField, name: ifnameField })

function names(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.length > 1000) throw invalid(path, 'must be a list of at most 1000 names')
  return v.map((x, i) => netnsField(x, `${path}[${i}]`))
}

function podNames(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 1000) throw invalid(path, 'must be a list of 1 to 1000 pod names')
  return v.map((x, i) => netnsField(x, `${path}[${i}]`))
}

const linkEnd = object({ netns: netnsField, device: ifnameField })

function links(v: unknown, path: string): { netns: string; device: string }[] {
  if (!Array.isArray(v) || v.length > 1000) throw invalid(path, 'must be a list of at most 1000 link ends')
  return v.map((x, i) => linkEnd(x, `${path}[${i}]`))
}

export const BUILD_EDIT_SHAPES = {
  addWiredNode: object({ type: oneOf(['addWiredNode']), name: buildName, wire: netnsField }),
  addSwitch: object({ type: oneOf(['addSwitch']), name: buildName, cidr: optional(str({ max: 18, pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, what: 'request.what.cidr' })) }),
  addRouter: object({ type: oneOf(['addRouter']), name: buildName }),
  connect: object({ type: oneOf(['connect']), a: netnsField, b: netnsField }),
  disconnect: object({ type: oneOf(['disconnect']), a: netnsField, b: netnsField }),
  remove: object({ type: oneOf(['remove']), names, links: optional(links) }),
  addNamespace: object({ type: oneOf(['addNamespace']), name: buildName }),
  addBridge: object({ type: oneOf(['addBridge']), netns: netnsField, name: ifnameField }),
  addVethPair: object({ type: oneOf(['addVethPair']), a: end, b: end }),
  renameDevice: object({ type: oneOf(['renameDevice']), netns: netnsField, device: ifnameField, name: ifnameField }),
  movePods: object({ type: oneOf(['movePods']), names: podNames, node: netnsField }),
} satisfies Record<BuildEdit['type'], Check<unknown>>

/** Whether an edit is one of these. */
export function isBuildEdit(e: Edit): e is BuildEdit {
  return Object.hasOwn(BUILD_EDIT_SHAPES, e.type)
}

type Kind = 'switch' | 'router' | 'node' | 'pod' | 'other'

function kindOf(world: World, cluster: Cluster | null, ns: string): Kind | null {
  const role = cluster?.roles.get(ns)
  if (role) return role
  return world.netns(ns) ? 'other' : null
}

/** Checks a building edit against the lab as it is; a refusal names its reason for people. */
export function precheckBuild(world: World, cluster: Cluster | null, e: BuildEdit): void {
  const taken = (path: string, name: string): void => {
    if (world.netns(name)) throw refused('invalid-request', path, 'edit.name_taken', { name })
  }
  const exists = (path: string, name: string): Kind => {
    const k = kindOf(world, cluster, name)
    if (k === null) throw refused('not-found', path, 'edit.no_namespace', { name })
    return k
  }
  const needCluster = (): Cluster => {
    if (!cluster) throw refused('invalid-request', 'type', 'edit.no_cluster')
    return cluster
  }
  switch (e.type) {
    case 'addWiredNode':
      needCluster()
      taken('name', e.name)
      if (e.wire) checkWire(world, cluster, e.name, 'node', e.wire)
      return
    case 'addSwitch':
    case 'addRouter':
      needCluster()
      taken('name', e.name)
      return
    case 'connect': {
      needCluster()
      const [ka, kb] = [exists('a', e.a), exists('b', e.b)]
      if (ka === 'switch' || (ka === 'router' && kb !== 'switch')) checkWire(world, cluster, e.b, kb, e.a)
      else checkWire(world, cluster, e.a, ka, e.b)
      return
    }
    case 'disconnect':
      exists('a', e.a)
      exists('b', e.b)
      if (!needCluster().underlay.linkBetween(e.a, e.b)) throw refused('invalid-request', 'b', 'edit.not_wired', { a: e.a, b: e.b })
      return
    case 'remove':
      needCluster()
      if (e.names.length === 0 && !e.links?.length) throw invalid('names', 'must name at least one namespace or link')
      e.names.forEach((n, i) => exists(`names[${i}]`, n))
      e.links?.forEach((l, i) => {
        exists(`links[${i}].netns`, l.netns)
        if (!world.netns(l.netns)!.dev(l.device)) throw refused('not-found', `links[${i}].device`, 'edit.no_device', { netns: l.netns || 'host', device: l.device })
      })
      return
    case 'addNamespace':
      taken('name', e.name)
      return
    case 'addBridge':
      exists('netns', e.netns)
      if (world.netns(e.netns)!.dev(e.name)) throw refused('invalid-request', 'name', 'edit.device_taken', { netns: e.netns || 'host', device: e.name })
      return
    case 'addVethPair':
      exists('a.netns', e.a.netns)
      exists('b.netns', e.b.netns)
      if (world.netns(e.a.netns)!.dev(e.a.name)) throw refused('invalid-request', 'a.name', 'edit.device_taken', { netns: e.a.netns || 'host', device: e.a.name })
      if (world.netns(e.b.netns)!.dev(e.b.name)) throw refused('invalid-request', 'b.name', 'edit.device_taken', { netns: e.b.netns || 'host', device: e.b.name })
      return
    case 'movePods': {
      const c = needCluster()
      if (!c.nodes.has(e.node)) throw refused('not-found', 'node', 'edit.no_node', { name: e.node })
      e.names.forEach((pod, i) => {
        const from = c.podNode(pod)
        if (!from) throw refused('not-found', `names[${i}]`, 'edit.no_pod', { name: pod })
        if (from.name === e.node) throw refused('invalid-request', `names[${i}]`, 'edit.pod_same_node', { pod, node: e.node })
      })
      if (new Set(e.names).size !== e.names.length) throw invalid('names', 'names a pod twice')
      return
    }
    case 'renameDevice':
      exists('netns', e.netns)
      if (!world.netns(e.netns)!.dev(e.device)) throw refused('not-found', 'device', 'edit.no_device', { netns: e.netns || 'host', device: e.device })
      if (e.name !== e.device && world.netns(e.netns)!.dev(e.name)) throw refused('invalid-request', 'name', 'edit.device_taken', { netns: e.netns || 'host', device: e.name })
      return
  }
}

/** Whether `ns` (of kind `k`) may be wired to `to`: a switch or router, and `ns` not wired yet. */
function checkWire(world: World, cluster: Cluster | null, ns: string, k: Kind, to: string): void {
  const kt = kindOf(world, cluster, to)
  if (kt === null) throw refused('not-found', 'b', 'edit.no_namespace', { name: to })
  if (k === 'pod') throw refused('invalid-request', 'a', 'edit.wire_pod', { pod: ns })
  if (k === 'switch' && kt === 'switch') throw refused('invalid-request', 'b', 'edit.wire_switches', { a: ns, b: to })
  if (k === 'router' && kt === 'router') throw refused('invalid-request', 'b', 'edit.wire_routers', { a: ns, b: to })
  if (kt !== 'switch' && kt !== 'router') throw refused('invalid-request', 'b', 'edit.wire_kinds', { a: ns, b: to })
  if (k === 'router') {
    if (kt === 'router' || !cluster?.underlay.segments.get(to)?.hosts.has(ns)) return
    throw refused('invalid-request', 'b', 'edit.router_on_switch', { router: ns, switch: to })
  }
  const up = cluster?.underlay.uplinks.get(ns)
  if (up) throw refused('invalid-request', 'a', 'edit.already_wired', { name: ns, to: up.segment })
}

const ipIn = (netns: string): string => (netns === '' ? 'ip' : `ip -n ${netns}`)

/** The command line a building edit stands for (`roleOf`: what a namespace is in the cluster). */
export function buildEditCommand(e: BuildEdit, roleOf: (ns: string) => string | undefined = () => undefined): string {
  switch (e.type) {
    case 'addWiredNode':
      return `podnet node add ${e.name} ${e.wire ? `--${roleOf(e.wire) === 'router' ? 'router' : 'switch'} ${e.wire}` : '--unwired'}`
    case 'addSwitch':
      return `podnet switch add ${e.name}${e.cidr ? ` --cidr ${e.cidr}` : ''}`
    case 'addRouter':
      return `podnet router add ${e.name}`
    case 'connect':
      return `podnet link add ${e.a} ${e.b}`
    case 'disconnect':
      return `podnet link del ${e.a} ${e.b}`
    case 'remove':
      // A link by one of its ends, NS/DEV (podnet delete's word for it).
      return `podnet delete ${[...e.names, ...(e.links ?? []).map((l) => `${l.netns}/${l.device}`)].join(' ')}`
    case 'addNamespace':
      return `ip netns add ${e.name}`
    case 'addBridge':
      return `${ipIn(e.netns)} link add ${e.name} type bridge`
    case 'addVethPair':
      return `ip link add ${e.a.name}${e.a.netns ? ` netns ${e.a.netns}` : ''} type veth peer name ${e.b.name}${e.b.netns ? ` netns ${e.b.netns}` : ''}`
    case 'renameDevice':
      return `${ipIn(e.netns)} link set dev ${e.device} name ${e.name}`
    case 'movePods':
      return `podnet pod move ${e.names.join(' ')} --node ${e.node}`
  }
}
