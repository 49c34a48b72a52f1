import type { DeviceView, NetnsView, TraceStepView, Topology } from '../../shared/api.ts'

/**
 * The topology as canvas elements: plain data with precomputed labels, classes and positions, so
 * the Cytoscape stylesheet needs no per-element functions. Node namespaces are boxes holding
 * their interfaces and their pods (one level of nesting); a pod's own interface is named in its
 * label; the underlay switch or router is a box above the nodes.
 */

export interface GraphNode {
  id: string
  parent?: string
  label: string
  classes: string
  /** The namespace the element stands for or belongs to ('' is the host). */
  ns: string
  dev?: string
  /** Where the layout puts it (leaf nodes only; boxes wrap their children). */
  position?: { x: number; y: number }
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  classes: string
  label?: string
  /** Bezier bulge for tunnels, so tunnels between far nodes do not overlap near ones. */
  cpd?: number
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

const HOST = '@host'
export const nsId = (ns: string): string => `ns:${ns === '' ? HOST : ns}`
export const ifId = (ns: string, dev: string): string => `if:${ns === '' ? HOST : ns}/${dev}`

// Layout grid, in model coordinates.
const SLOT = 122
const BOX_GAP = 70
const Y_INFRA_CORE = -45
const Y_INFRA_PORT = 15
const Y_UPLINK = 125
const Y_VXLAN = 125
const Y_BRIDGE = 190
const Y_PORT = 250
const Y_POD = 320
const Y_OTHER = 480

/** Above this many VXLAN tunnels the canvas leaves them out (the tables still list them). */
export const MAX_TUNNELS_DRAWN = 45

const isInfra = (n: NetnsView): boolean => n.role === 'switch' || n.role === 'router'
const shown = (d: DeviceView): boolean => d.kind !== 'loopback'

function firstAddr(d: DeviceView | undefined): string {
  return d?.addresses[0] ?? ''
}

function ifaceLabel(d: DeviceView): string {
  // Ports without addresses just show their names; addressed devices show what they own.
  const a = d.addresses[0]
  return a ? `${d.name}\n${a}` : d.name
}

function ifaceClasses(d: DeviceView): string {
  const c = ['iface', `kind-${d.kind}`]
  if (!d.up) c.push('down')
  else if (!d.carrier) c.push('nocarrier')
  return c.join(' ')
}

/** Words the canvas shows beside namespace names, in the UI's language. */
export interface GraphLabels {
  switch: string
  router: string
  host: string
}
const DEFAULT_LABELS: GraphLabels = { switch: 'L2 switch', router: 'router', host: 'host' }

function boxLabel(n: NetnsView, words: GraphLabels): string {
  const name = n.name === '' ? words.host : n.name
  if (n.role === 'node') {
    const ip = firstAddr(n.devices.find((d) => d.name === 'eth0')).split('/')[0]
    return ip ? `${name}  ·  ${ip}` : name
  }
  if (n.role === 'switch') return `${name}  (${words.switch})`
  if (n.role === 'router') return `${name}  (${words.router})`
  return name
}

function podLabel(n: NetnsView): string {
  // The pod's own interfaces are not drawn: its label names the one that carries its address.
  const dev = n.devices.find((d) => d.name === 'eth0' && d.addresses.length > 0) ?? n.devices.find((d) => shown(d) && d.addresses.length > 0)
  const ip = firstAddr(dev).split('/')[0]
  return dev && ip ? `${n.name}\n${dev.name} ${ip}` : n.name
}

function podClasses(n: NetnsView): string {
  const eth0 = n.devices.find((d) => d.name === 'eth0')
  return eth0 && (!eth0.up || !eth0.carrier) ? 'pod down' : 'pod'
}

/** The element that stands for a device: a pod itself (its devices are edge labels), else the interface. */
export function deviceElement(topo: Topology, ns: string, dev: string | undefined): string {
  const n = topo.namespaces.find((x) => x.name === ns)
  if (!n) return nsId(ns)
  if (n.role === 'pod' && n.node) return nsId(ns)
  if (dev && n.devices.some((d) => d.name === dev && shown(d))) return ifId(ns, dev)
  return nsId(ns)
}

export function buildGraph(topo: Topology, words: GraphLabels = DEFAULT_LABELS): Graph {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const pos = new Map<string, { x: number; y: number }>()
  const byName = new Map(topo.namespaces.map((n) => [n.name, n]))
  const nodeNs = topo.namespaces.filter((n) => n.role === 'node')
  const podsOf = new Map<string, NetnsView[]>()
  for (const n of topo.namespaces) if (n.role === 'pod' && n.node && byName.get(n.node)?.role === 'node') podsOf.set(n.node, [...(podsOf.get(n.node) ?? []), n])
  const placed = (ns: string, dev: string): { x: number; y: number } | undefined => pos.get(ifId(ns, dev)) ?? (byName.get(ns)?.role === 'pod' ? pos.get(nsId(ns)) : undefined)

  const addBox = (n: NetnsView): void => {
    nodes.push({ id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}`, ns: n.name })
  }
  const addIface = (n: NetnsView, d: DeviceView, x: number, y: number): void => {
    const id = ifId(n.name, d.name)
    pos.set(id, { x, y })
    nodes.push({ id, parent: nsId(n.name), label: ifaceLabel(d), classes: ifaceClasses(d), ns: n.name, dev: d.name, position: { x, y } })
  }

  // Kubernetes nodes side by side; inside each, uplink on top, bridge, bridge ports, pods below.
  let x0 = 0
  for (const n of nodeNs) {
    const pods = podsOf.get(n.name) ?? []
    const devs = n.devices.filter(shown)
    const podPeers = new Map<string, NetnsView>()
    for (const p of pods) {
      const eth = p.devices.find((d) => d.peer?.netns === n.name)
      if (eth?.peer) podPeers.set(eth.peer.device, p)
    }
    const slots = Math.max(2, pods.length)
    const cx = x0 + (slots * SLOT) / 2
    addBox(n)
    pods.forEach((p, j) => {
      const x = x0 + SLOT / 2 + j * SLOT
      pos.set(nsId(p.name), { x, y: Y_POD })
      nodes.push({ id: nsId(p.name), parent: nsId(n.name), label: podLabel(p), classes: podClasses(p), ns: p.name, position: { x, y: Y_POD } })
    })
    const vxlans = devs.filter((d) => d.kind === 'vxlan')
    const bridges = devs.filter((d) => d.kind === 'bridge')
    let extraX = cx + (vxlans.length ? 70 + vxlans.length * SLOT : 90)
    const uplink = devs.find((d) => d.name === 'eth0')
    if (uplink) addIface(n, uplink, vxlans.length ? cx - 70 : cx, Y_UPLINK)
    vxlans.forEach((d, i) => addIface(n, d, cx + 70 + i * SLOT, Y_VXLAN))
    bridges.forEach((d, i) => addIface(n, d, cx + (i - (bridges.length - 1) / 2) * SLOT, Y_BRIDGE))
    for (const d of devs) {
      if (d === uplink || vxlans.includes(d) || bridges.includes(d)) continue
      const pod = podPeers.get(d.name)
      const podPos = pod ? pos.get(nsId(pod.name)) : undefined
      if (podPos) addIface(n, d, podPos.x, Y_PORT)
      else {
        addIface(n, d, extraX, Y_UPLINK)
        extraX += SLOT * 0.8
      }
    }
    x0 = Math.max(x0 + slots * SLOT, extraX - SLOT / 2) + BOX_GAP
  }
  const width = Math.max(x0 - BOX_GAP, SLOT * 2)
  let minX = 0

  // The underlay above: ports straight over the node uplinks they connect; the router of the
  // cloud route table beside the switch.
  const infra = topo.namespaces.filter(isInfra).sort((a, b) => (a.role === b.role ? 0 : a.role === 'switch' ? -1 : 1))
  let leftSlot = 0
  for (const n of infra) {
    addBox(n)
    const devs = n.devices.filter(shown)
    const core: DeviceView[] = []
    const toInfra: DeviceView[] = []
    for (const d of devs) {
      const peerPos = d.peer ? placed(d.peer.netns, d.peer.device) : undefined
      const peerNs = d.peer ? byName.get(d.peer.netns) : undefined
      if (peerPos && peerNs && isInfra(peerNs)) addIface(n, d, peerPos.x - 170, peerPos.y)
      else if (peerPos) addIface(n, d, peerPos.x, Y_INFRA_PORT)
      else if (peerNs && isInfra(peerNs)) toInfra.push(d)
      else core.push(d)
    }
    for (const d of toInfra) {
      leftSlot++
      const x = Math.min(minX, 0) - leftSlot * SLOT
      addIface(n, d, x, Y_INFRA_PORT)
      minX = Math.min(minX, x)
    }
    core.forEach((d, i) => addIface(n, d, width / 2 + (i - (core.length - 1) / 2) * SLOT, Y_INFRA_CORE))
  }

  // Everything else (namespaces made by commands, the host): a row of boxes below.
  let ox = 0
  for (const n of topo.namespaces) {
    if (n.role === 'node' || isInfra(n) || (n.role === 'pod' && podsOf.get(n.node ?? '')?.includes(n))) continue
    if (n.role === 'pod') {
      pos.set(nsId(n.name), { x: ox + SLOT / 2, y: Y_OTHER })
      nodes.push({ id: nsId(n.name), label: podLabel(n), classes: podClasses(n), ns: n.name, position: { x: ox + SLOT / 2, y: Y_OTHER } })
      ox += SLOT + BOX_GAP
      continue
    }
    addBox(n)
    const devs = n.devices.filter(shown)
    devs.forEach((d, i) => addIface(n, d, ox + SLOT / 2 + i * SLOT, Y_OTHER))
    // A namespace without devices is a childless box, placed like a leaf.
    if (devs.length === 0) nodes[nodes.length - 1].position = { x: ox + SLOT / 2, y: Y_OTHER }
    ox += Math.max(1, devs.length) * SLOT + BOX_GAP
  }

  // veth pairs (each once), bridge ports, VXLAN tunnels.
  const devOf = (ns: string, dev: string): DeviceView | undefined => byName.get(ns)?.devices.find((d) => d.name === dev)
  for (const l of topo.links) {
    const da = devOf(l.a.netns, l.a.device)
    const db = devOf(l.b.netns, l.b.device)
    const down = !da?.up || !db?.up
    edges.push({ id: `veth:${l.id}`, source: deviceElement(topo, l.a.netns, l.a.device), target: deviceElement(topo, l.b.netns, l.b.device), classes: down ? 'veth down' : 'veth' })
  }
  for (const n of topo.namespaces) {
    if (n.role === 'pod' && n.node) continue
    for (const d of n.devices) {
      if (!d.master || !shown(d)) continue
      edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: 'port' })
    }
  }
  // A full mesh of tunnels grows with the square of the nodes; past a few dozen it hides everything else.
  const tunnels = topo.tunnels ?? []
  for (const t of tunnels.length <= MAX_TUNNELS_DRAWN ? tunnels : []) {
    const pa = pos.get(ifId(t.a.netns, t.a.device))
    const pb = pos.get(ifId(t.b.netns, t.b.device))
    const [s, d] = pa && pb && pa.x > pb.x ? [t.b, t.a] : [t.a, t.b]
    const dx = pa && pb ? Math.abs(pa.x - pb.x) : 0
    edges.push({ id: t.id, source: ifId(s.netns, s.device), target: ifId(d.netns, d.device), classes: 'tunnel', label: 'VXLAN', cpd: -(40 + dx * 0.12) })
  }
  return { nodes, edges }
}

/**
 * Where each step of a trace happens on the canvas: a veth crossing goes from one end to the
 * other, anything else stays at its device (or its namespace).
 */
export interface Waypoint {
  id: string
  step: number
  role: TraceStepView['role']
  drop: boolean
}

export function traceWaypoints(topo: Topology, steps: readonly TraceStepView[]): Waypoint[] {
  const out: Waypoint[] = []
  steps.forEach((s, i) => {
    const drop = s.kind === 'drop'
    if (s.msg === 'step.veth') {
      out.push({ id: deviceElement(topo, s.netns, s.device), step: i, role: s.role, drop })
      out.push({ id: deviceElement(topo, String(s.params.peerNetns ?? ''), String(s.params.peer ?? '')), step: i, role: s.role, drop })
    } else out.push({ id: deviceElement(topo, s.netns, s.device), step: i, role: s.role, drop })
  })
  return out
}

/** The element a step is about (for a crossing: where the frame arrives). */
export function stepElement(topo: Topology, s: TraceStepView): string {
  if (s.msg === 'step.veth') return deviceElement(topo, String(s.params.peerNetns ?? ''), String(s.params.peer ?? ''))
  return deviceElement(topo, s.netns, s.device)
}
