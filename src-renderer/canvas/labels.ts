import type { DeviceView, NetnsView } from '../../shared/api.ts'
import type { DeviceKind } from './theme.ts'

/**
 * What the canvas writes on its elements and which classes pick their look: precomputed once per
 * model, so the stylesheet needs no functions.
 */

/** Words the canvas shows beside namespace names, in the UI's language. */
export interface GraphLabels {
  switch: string
  router: string
  host: string
  /** "20 pods" */
  pods(n: number): string
  /** "3 ports" of an underlay. */
  ports(n: number): string
  /** "2 links down" */
  down(n: number): string
  /** "IP forwarding off" */
  noForward: string
  /** "2 nodes with a problem" (far out, beside a grid's rows) */
  problems(n: number): string
}

export const DEFAULT_LABELS: GraphLabels = {
  switch: 'L2 switch',
  router: 'router',
  host: 'host',
  pods: (n) => `${n} ${n === 1 ? 'pod' : 'pods'}`,
  ports: (n) => `${n} ${n === 1 ? 'port' : 'ports'}`,
  down: (n) => `${n} ${n === 1 ? 'link' : 'links'} down`,
  noForward: 'IP forwarding off',
  problems: (n) => `${n} ${n === 1 ? 'node' : 'nodes'} with a problem`,
}

/** The catalogue keys of the canvas's words. */
export type LabelKey = 'canvas.switch' | 'role.router' | 'canvas.host' | 'canvas.pods' | 'canvas.ports' | 'canvas.linksDown' | 'canvas.noForward' | 'canvas.nodesWithProblems'

/**
 * The canvas's words from a catalogue (the UI's `t`, in its language). A count's words are
 * asked once per count: a thousand nodes of 30 pods say "30 pods" a thousand times.
 */
export function labelsFrom(t: (key: LabelKey, params?: Record<string, number>) => string): GraphLabels {
  const counted = (key: LabelKey): ((n: number) => string) => {
    const said = new Map<number, string>()
    return (n) => said.get(n) ?? (said.set(n, t(key, { n })), said.get(n)!)
  }
  return {
    switch: t('canvas.switch'),
    router: t('role.router'),
    host: t('canvas.host'),
    pods: counted('canvas.pods'),
    ports: counted('canvas.ports'),
    down: counted('canvas.linksDown'),
    noForward: t('canvas.noForward'),
    problems: counted('canvas.nodesWithProblems'),
  }
}

export const isInfra = (n: NetnsView | undefined): boolean => n?.role === 'switch' || n?.role === 'router'
/** Devices drawn on the canvas: all but loopback. */
export const shown = (d: DeviceView): boolean => d.kind !== 'loopback'
export const linkDown = (d: DeviceView | undefined): boolean => !!d && (!d.up || !d.carrier)

export function firstAddr(d: DeviceView | undefined): string {
  return d?.addresses[0] ?? ''
}

export function displayName(n: NetnsView, words: GraphLabels): string {
  return n.name === '' ? words.host : n.name
}

export function ifaceLabel(d: DeviceView): string {
  // Ports without addresses just show their names; addressed devices show what they own.
  const a = d.addresses[0]
  return a ? `${d.name}\n${a}` : d.name
}

/**
 * How a device is drawn: an underlay switch's ports as ports; a veth whose far end is on the
 * underlay (a node's or a router's uplink) as a network card; other veth ends as veth ends.
 */
export function deviceKind(ns: NetnsView, d: DeviceView, peerNs: NetnsView | undefined): DeviceKind {
  if (d.kind === 'bridge' || d.kind === 'vxlan' || d.kind === 'dummy') return d.kind
  if (d.kind !== 'veth') return 'veth'
  if (ns.role === 'switch') return 'port'
  if (ns.role === 'router' || isInfra(peerNs)) return 'nic'
  return 'veth'
}

export function ifaceClasses(d: DeviceView, kind: DeviceKind): string {
  const c = ['iface', `kind-${d.kind}`, `dev-${kind}`]
  if (!d.up) c.push('down')
  else if (!d.carrier) c.push('nocarrier')
  return c.join(' ')
}

export function boxLabel(n: NetnsView, words: GraphLabels): string {
  const name = displayName(n, words)
  if (n.role === 'node') {
    const ip = firstAddr(n.devices.find((d) => d.name === 'eth0')).split('/')[0]
    return ip ? `${name}  ·  ${ip}` : name
  }
  if (n.role === 'switch') return `${name}  (${words.switch})`
  if (n.role === 'router') return `${name}  (${words.router})`
  return name
}

/** A pod's name and the address of the interface that carries it (drawn inside the pod). */
export function podLabel(n: NetnsView): string {
  const dev = n.devices.find((d) => d.name === 'eth0' && d.addresses.length > 0) ?? n.devices.find((d) => shown(d) && d.addresses.length > 0)
  const ip = firstAddr(dev).split('/')[0]
  return ip ? `${n.name}\n${ip}` : n.name
}

export function podClasses(n: NetnsView): string {
  return linkDown(n.devices.find((d) => d.name === 'eth0')) ? 'pod down' : 'pod'
}

/** What a summary box says: name, address, pod count, problems; and whether something is wrong. */
export function summaryLines(n: NetnsView, pods: readonly NetnsView[], words: GraphLabels): { lines: string[]; problems: boolean } {
  const lines = [displayName(n, words)]
  const ip = firstAddr(n.devices.find((d) => d.name === 'eth0') ?? n.devices.find((d) => shown(d) && d.addresses.length > 0)).split('/')[0]
  if (ip) lines.push(ip)
  if (n.role === 'node') lines.push(words.pods(pods.length))
  else if (isInfra(n)) lines.push(n.role === 'switch' ? words.switch : words.router)
  const problems: string[] = []
  const down = n.devices.filter((d) => shown(d) && d.kind !== 'bridge' && linkDown(d)).length + pods.filter((p) => linkDown(p.devices.find((d) => d.name === 'eth0'))).length
  if (down) problems.push(words.down(down))
  if (n.role === 'node' && !n.ipForward) problems.push(words.noForward)
  if (problems.length) lines.push(`⚠ ${problems.join(', ')}`)
  return { lines, problems: problems.length > 0 }
}
