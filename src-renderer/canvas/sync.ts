import type { Core, ElementDefinition, NodeSingular } from 'cytoscape'
import type { Graph } from './graph.ts'

/**
 * The one place that writes the store's view of the lab into Cytoscape. Everything happens in
 * cy.batch() so a lab of hundreds of pods redraws once. Elements keep their identity across
 * updates (so a selection or a drag survives a table change); positions are reset only when the
 * structure changes or a re-layout is asked for.
 */
export function applyGraph(cy: Core, graph: Graph, opts: { relayout?: boolean } = {}): { structural: boolean } {
  let structural = false
  cy.batch(() => {
    const wanted = new Set<string>()
    for (const n of graph.nodes) wanted.add(n.id)
    for (const e of graph.edges) wanted.add(e.id)
    const gone = cy.elements().filter((el) => !wanted.has(el.id()))
    if (gone.nonempty()) {
      structural = true
      cy.remove(gone)
    }
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
      node.data(data)
      node.classes(n.classes)
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
      el.data(data)
      el.classes(e.classes)
    }
    if (structural || opts.relayout) {
      for (const n of graph.nodes) if (n.position) cy.getElementById(n.id).position({ ...n.position })
    }
  })
  return { structural }
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
