import type { Core, ElementDefinition, NodeSingular, SingularElementArgument } from 'cytoscape'
import type { Graph } from './graph.ts'

/**
 * The one place that writes the store's view of the lab into Cytoscape. Everything happens in
 * cy.batch() so a lab of hundreds of pods redraws once. Elements keep their identity across
 * updates (so a selection or a drag survives a table change); positions are reset only when the
 * set of nodes changes or a re-layout is asked for.
 */
export function applyGraph(cy: Core, graph: Graph, opts: { relayout?: boolean } = {}): { structural: boolean } {
  let structural = false
  cy.batch(() => {
    const wanted = new Set<string>()
    for (const n of graph.nodes) wanted.add(n.id)
    for (const e of graph.edges) wanted.add(e.id)
    const gone = cy.elements().filter((el) => !wanted.has(el.id()))
    // Edges coming and going (a node's tunnels shown on selection) move nothing.
    if (gone.nodes().nonempty()) structural = true
    cy.remove(gone)
    for (const n of graph.nodes) {
      const data = { id: n.id, label: n.label, ns: n.ns, dev: n.dev ?? '', lx: n.position?.x ?? 0, ly: n.position?.y ?? 0 }
      const el = cy.getElementById(n.id)
      if (el.empty()) {
        structural = true
        const def: ElementDefinition = { group: 'nodes', data: n.parent ? { ...data, parent: n.parent } : data, classes: n.classes }
        if (n.position) def.position = { ...n.position }
        cy.add(def)
        continue
      }
      const node = el as NodeSingular
      const parent = node.parent().nonempty() ? node.parent().first().id() : undefined
      if (parent !== n.parent) {
        structural = true
        node.move({ parent: n.parent ?? null })
      }
      update(node, data, n.classes)
    }
    for (const e of graph.edges) {
      const data: Record<string, unknown> = { id: e.id, source: e.source, target: e.target, label: e.label ?? '', cpd: e.cpd ?? 0 }
      let el = cy.getElementById(e.id)
      if (el.nonempty() && (el.data('source') !== e.source || el.data('target') !== e.target)) {
        cy.remove(el)
        el = cy.collection()
      }
      if (el.empty()) {
        cy.add({ group: 'edges', data, classes: e.classes })
        continue
      }
      update(el, data, e.classes)
    }
    if (structural || opts.relayout) {
      for (const n of graph.nodes) if (n.position) cy.getElementById(n.id).position({ ...n.position })
    }
  })
  return { structural }
}

/** Writes data and classes that changed only: each write restyles the element, and most do not change. */
function update(el: SingularElementArgument, data: Record<string, unknown>, classes: string): void {
  if (Object.keys(data).some((k) => el.data(k) !== data[k])) el.data(data)
  if (el.classes().join(' ') !== classes) el.classes(classes)
}

/** Marks the selected namespace's element. */
export function applySelection(cy: Core, id: string | null): void {
  cy.batch(() => {
    cy.nodes('.sel').removeClass('sel')
    if (id) cy.getElementById(id).addClass('sel')
  })
}

/** Marks the element of the trace step being looked at. */
export function applyHighlight(cy: Core, id: string | null, drop = false): void {
  cy.batch(() => {
    cy.nodes('.hl, .hl-drop').removeClass('hl hl-drop')
    if (id) cy.getElementById(id).addClass(drop ? 'hl-drop' : 'hl')
  })
}

/** Puts a node back where the layout had it (after a drag that meant nothing). */
export function restorePosition(node: NodeSingular): void {
  node.position({ x: Number(node.data('lx')), y: Number(node.data('ly')) })
}

/** How far around a box's contents a drop still counts as onto the box (its padding). */
const DROP_MARGIN = 30

/**
 * The node box (other than the pod's own) a pod was dropped on, if any. Measured on the box's
 * contents rather than the box itself, whose bounds lag behind (and grow with) the drag.
 */
export function dropTarget(cy: Core, pod: NodeSingular): string | null {
  const p = pod.position()
  const own = pod.parent().nonempty() ? pod.parent().first().id() : null
  for (const box of cy.nodes('.box.role-node')) {
    if (box.id() === own) continue
    const inside = box.descendants().difference(pod)
    if (inside.empty()) continue
    const bb = inside.boundingBox({ includeLabels: false })
    if (p.x >= bb.x1 - DROP_MARGIN && p.x <= bb.x2 + DROP_MARGIN && p.y >= bb.y1 - DROP_MARGIN && p.y <= bb.y2 + DROP_MARGIN) return String(box.data('ns'))
  }
  return null
}

/** A rectangle in model coordinates. */
export interface Bounds {
  x1: number
  y1: number
  x2: number
  y2: number
}

/** The zoom and pan that show `bb` whole and centred in a w x h view, `padding` pixels around it. */
export function viewportFor(bb: Bounds, w: number, h: number, padding: number, zoomRange: { min: number; max: number }): { zoom: number; pan: { x: number; y: number } } {
  const bw = Math.max(bb.x2 - bb.x1, 1)
  const bh = Math.max(bb.y2 - bb.y1, 1)
  const fit = Math.min((w - 2 * padding) / bw, (h - 2 * padding) / bh)
  const zoom = Math.min(zoomRange.max, Math.max(zoomRange.min, fit))
  return { zoom, pan: { x: w / 2 - zoom * ((bb.x1 + bb.x2) / 2), y: h / 2 - zoom * ((bb.y1 + bb.y2) / 2) } }
}
