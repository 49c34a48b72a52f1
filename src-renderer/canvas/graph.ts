import type { DeviceView, NetnsView, Topology } from '../../shared/api.ts'
import { BOX_GAP, laneX, planGrid, ROW_PITCH } from './layout.ts'

/**
 * The topology as canvas elements: plain data with precomputed labels, classes and positions, so
 * the Cytoscape stylesheet needs no per-element functions. Node namespaces are boxes holding
 * their interfaces and their pods (one level of nesting); a pod's own interface is named in its
 * label; the underlay switch or router is a box above the grid of nodes (layout.ts).
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
  /** Rows of node boxes in the layout. */
  rows?: number
  tunnels?: TunnelInfo
}

const HOST = '@host'
export const nsId = (ns: string): string => `ns:${ns === '' ? HOST : ns}`
export const ifId = (ns: string, dev: string): string => `if:${ns === '' ? HOST : ns}/${dev}`

// Layout inside a node box and around the grid, in model coordinates.
const SLOT = 122
const Y_INFRA_CORE = -45
const Y_INFRA_PORT = 15
const Y_UPLINK = 125
const Y_VXLAN = 125
const Y_BRIDGE = 190
const Y_PORT = 250
const Y_POD = 320
const Y_OTHER = 480

/** Above this many VXLAN tunnels the canvas draws only the selected node's (the tables list all). */
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

/** How many VXLAN tunnels the lab has and which of them the canvas draws. */
export interface TunnelInfo {
  total: number
  drawn: number
  /** Set when only the tunnels of this node are drawn. */
  node: string | null
}

export interface GraphOptions {
  /** The selected namespace: when tunnels are too many to draw, those of its node are drawn. */
  focus?: string | null
}

/** A node box and its contents, laid out with the box's slot area starting at x = 0. */
interface NodeDraft {
  ns: NetnsView
  items: GraphNode[]
  width: number
}

function draftNode(n: NetnsView, pods: NetnsView[], words: GraphLabels): NodeDraft {
  const items: GraphNode[] = [{ id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}`, ns: n.name }]
  const addIface = (d: DeviceView, x: number, y: number): void => {
    items.push({ id: ifId(n.name, d.name), parent: nsId(n.name), label: ifaceLabel(d), classes: ifaceClasses(d), ns: n.name, dev: d.name, position: { x, y } })
  }
  // Uplink on top, bridge, bridge ports, pods below; VXLAN devices and anything else beside the uplink.
  const devs = n.devices.filter(shown)
  const podX = new Map<string, number>()
  pods.forEach((p, j) => {
    const x = SLOT / 2 + j * SLOT
    const eth = p.devices.find((d) => d.peer?.netns === n.name)
    if (eth?.peer) podX.set(eth.peer.device, x)
    items.push({ id: nsId(p.name), parent: nsId(n.name), label: podLabel(p), classes: podClasses(p), ns: p.name, position: { x, y: Y_POD } })
  })
  const slots = Math.max(2, pods.length)
  const cx = (slots * SLOT) / 2
  const vxlans = devs.filter((d) => d.kind === 'vxlan')
  const bridges = devs.filter((d) => d.kind === 'bridge')
  let extraX = cx + (vxlans.length ? 70 + vxlans.length * SLOT : 90)
  const uplink = devs.find((d) => d.name === 'eth0')
  if (uplink) addIface(uplink, vxlans.length ? cx - 70 : cx, Y_UPLINK)
  vxlans.forEach((d, i) => addIface(d, cx + 70 + i * SLOT, Y_VXLAN))
  bridges.forEach((d, i) => addIface(d, cx + (i - (bridges.length - 1) / 2) * SLOT, Y_BRIDGE))
  for (const d of devs) {
    if (d === uplink || vxlans.includes(d) || bridges.includes(d)) continue
    const x = podX.get(d.name)
    if (x !== undefined) addIface(d, x, Y_PORT)
    else {
      addIface(d, extraX, Y_UPLINK)
      extraX += SLOT * 0.8
    }
  }
  return { ns: n, items, width: Math.max(slots * SLOT, extraX - SLOT / 2) }
}

export function buildGraph(topo: Topology, words: GraphLabels = DEFAULT_LABELS, opts: GraphOptions = {}): Graph {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const pos = new Map<string, { x: number; y: number }>()
  const byName = new Map(topo.namespaces.map((n) => [n.name, n]))
  const nodeNs = topo.namespaces.filter((n) => n.role === 'node')
  const podsOf = new Map<string, NetnsView[]>()
  for (const n of topo.namespaces) {
    if (n.role !== 'pod' || !n.node || byName.get(n.node)?.role !== 'node') continue
    const list = podsOf.get(n.node)
    if (list) list.push(n)
    else podsOf.set(n.node, [n])
  }
  const placed = (ns: string, dev: string): { x: number; y: number } | undefined => pos.get(ifId(ns, dev)) ?? (byName.get(ns)?.role === 'pod' ? pos.get(nsId(ns)) : undefined)

  const addBox = (n: NetnsView): void => {
    nodes.push({ id: nsId(n.name), label: boxLabel(n, words), classes: `box role-${n.role}`, ns: n.name })
  }
  const addIface = (n: NetnsView, d: DeviceView, x: number, y: number, extra = ''): void => {
    const id = ifId(n.name, d.name)
    pos.set(id, { x, y })
    nodes.push({ id, parent: nsId(n.name), label: ifaceLabel(d), classes: ifaceClasses(d) + extra, ns: n.name, dev: d.name, position: { x, y } })
  }

  // Kubernetes nodes in a grid, each centred in its column.
  const drafts = nodeNs.map((n) => draftNode(n, podsOf.get(n.name) ?? [], words))
  const plan = planGrid(drafts.map((d) => d.width))
  const multiRow = plan.rows > 1
  // A grid is shown small: box names in a larger type stay readable at the zoom that fits it (a
  // little smaller in narrow boxes, so neighbouring names keep apart).
  const cellOf = new Map<string, { row: number; col: number }>()
  drafts.forEach((d, i) => {
    if (multiRow) d.items[0].classes += d.width >= 3 * SLOT ? ' big-label' : ' mid-label'
    const { row, col } = plan.cells[i]
    cellOf.set(d.ns.name, { row, col })
    const dx = plan.colX[col] + (plan.colW[col] - d.width) / 2
    const dy = row * ROW_PITCH
    for (const item of d.items) {
      if (item.position) {
        item.position = { x: item.position.x + dx, y: item.position.y + dy }
        pos.set(item.id, item.position)
      }
      nodes.push(item)
    }
  })
  const width = Math.max(plan.width, SLOT * 2)
  // Ports toward other underlay boxes go left of everything, lanes included.
  let minX = multiRow ? laneX(plan, plan.rows - 1, 0) - SLOT / 2 : 0
  for (const p of pos.values()) minX = Math.min(minX, p.x - SLOT / 2)

  // The underlay above: ports straight over the uplinks of the first row, over the lanes of the
  // rows below; the router of the cloud route table beside the switch.
  const laneLinks = new Set<string>()
  const infra = topo.namespaces.filter(isInfra).sort((a, b) => (a.role === b.role ? 0 : a.role === 'switch' ? -1 : 1))
  let leftSlot = 0
  for (const n of infra) {
    addBox(n)
    if (multiRow) nodes[nodes.length - 1].classes += ' big-label'
    const devs = n.devices.filter(shown)
    const core: DeviceView[] = []
    const toInfra: DeviceView[] = []
    for (const d of devs) {
      const peerPos = d.peer ? placed(d.peer.netns, d.peer.device) : undefined
      const peerNs = d.peer ? byName.get(d.peer.netns) : undefined
      const cell = d.peer && peerNs?.role === 'node' ? cellOf.get(d.peer.netns) : undefined
      if (peerPos && peerNs && isInfra(peerNs)) addIface(n, d, peerPos.x - 170, peerPos.y)
      else if (cell && cell.row > 0) {
        // Port labels of neighbouring lanes take turns in two bands, so they never overlap.
        addIface(n, d, laneX(plan, cell.row, cell.col), Y_INFRA_PORT, cell.row % 2 === 0 ? ' label-low' : '')
        laneLinks.add(`${n.name}/${d.name}`)
      } else if (peerPos) addIface(n, d, peerPos.x, Y_INFRA_PORT)
      else if (peerNs && isInfra(peerNs)) toInfra.push(d)
      else core.push(d)
    }
    for (const d of toInfra) addIface(n, d, minX - ++leftSlot * SLOT, Y_INFRA_PORT)
    core.forEach((d, i) => addIface(n, d, width / 2 + (i - (core.length - 1) / 2) * SLOT, Y_INFRA_CORE))
  }

  // Everything else (namespaces made by commands, the host): a row of boxes below.
  const yOther = Y_OTHER + (plan.rows - 1) * ROW_PITCH
  let ox = 0
  for (const n of topo.namespaces) {
    if (n.role === 'node' || isInfra(n) || (n.role === 'pod' && podsOf.get(n.node ?? '')?.includes(n))) continue
    if (n.role === 'pod') {
      pos.set(nsId(n.name), { x: ox + SLOT / 2, y: yOther })
      nodes.push({ id: nsId(n.name), label: podLabel(n), classes: podClasses(n), ns: n.name, position: { x: ox + SLOT / 2, y: yOther } })
      ox += SLOT + BOX_GAP
      continue
    }
    addBox(n)
    const devs = n.devices.filter(shown)
    devs.forEach((d, i) => addIface(n, d, ox + SLOT / 2 + i * SLOT, yOther))
    // A namespace without devices is a childless box, placed like a leaf.
    if (devs.length === 0) nodes[nodes.length - 1].position = { x: ox + SLOT / 2, y: yOther }
    ox += Math.max(1, devs.length) * SLOT + BOX_GAP
  }

  // veth pairs (each once), bridge ports, VXLAN tunnels.
  const devOf = (ns: string, dev: string): DeviceView | undefined => byName.get(ns)?.devices.find((d) => d.name === dev)
  for (const l of topo.links) {
    const da = devOf(l.a.netns, l.a.device)
    const db = devOf(l.b.netns, l.b.device)
    const down = !da?.up || !db?.up
    // A lane link starts at the underlay port, so it runs down the lane and then across to its node.
    const laneAtB = laneLinks.has(`${l.b.netns}/${l.b.device}`)
    const [a, b] = laneAtB ? [l.b, l.a] : [l.a, l.b]
    const lane = laneAtB || laneLinks.has(`${l.a.netns}/${l.a.device}`)
    edges.push({ id: `veth:${l.id}`, source: deviceElement(topo, a.netns, a.device), target: deviceElement(topo, b.netns, b.device), classes: `veth${lane ? ' lane' : ''}${down ? ' down' : ''}` })
  }
  for (const n of topo.namespaces) {
    if (n.role === 'pod' && n.node) continue
    // Many underlay ports share one bus to their bridge instead of a fan of diagonals.
    const bus = multiRow && isInfra(n)
    for (const d of n.devices) {
      if (!d.master || !shown(d)) continue
      edges.push({ id: `port:${n.name}/${d.name}`, source: ifId(n.name, d.name), target: ifId(n.name, d.master), classes: bus ? 'port bus' : 'port' })
    }
  }
  // A full mesh of tunnels grows with the square of the nodes, and in a grid the arcs cross other
  // boxes: then only the selected node's tunnels are drawn.
  const tunnels = topo.tunnels ?? []
  const all = tunnels.length <= MAX_TUNNELS_DRAWN && !multiRow
  const focus = all ? null : focusNode(byName, opts.focus ?? null)
  const drawn = all ? tunnels : focus ? tunnels.filter((t) => t.a.netns === focus || t.b.netns === focus) : []
  for (const t of drawn) {
    const pa = pos.get(ifId(t.a.netns, t.a.device))
    const pb = pos.get(ifId(t.b.netns, t.b.device))
    const [s, d] = pa && pb && pa.x > pb.x ? [t.b, t.a] : [t.a, t.b]
    const dx = pa && pb ? Math.hypot(pa.x - pb.x, pa.y - pb.y) : 0
    edges.push({ id: t.id, source: ifId(s.netns, s.device), target: ifId(d.netns, d.device), classes: 'tunnel', label: 'VXLAN', cpd: -(40 + dx * 0.12) })
  }
  return { nodes, edges, rows: plan.rows, tunnels: { total: tunnels.length, drawn: drawn.length, node: focus } }
}

/** The Kubernetes node a selection stands for: the node itself, or the node of a pod. */
function focusNode(byName: Map<string, NetnsView>, ns: string | null): string | null {
  const n = ns === null ? undefined : byName.get(ns)
  if (n?.role === 'node') return n.name
  if (n?.role === 'pod' && n.node && byName.get(n.node)?.role === 'node') return n.node
  return null
}
