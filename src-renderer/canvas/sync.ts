import type { Core, ElementDefinition, NodeSingular, SingularElementArgument } from 'cytoscape'
import type { Bounds, Graph } from './graph.ts'

/**
 * The one place that writes what the canvas should show into Cytoscape. Everything happens in
 * cy.batch() so a lab of hundreds of pods redraws once. Elements keep their identity across
 * updates (so a selection or a drag survives a table change, and a box keeps its id whether it is
 * drawn as one summary box or with its contents). Positions come from the model: a leaf that is
 * not being dragged is put where the model says. Every node is pannable (a drag on it pans the
 * view) until it is made grabbable on purpose (applySelection, grabbable()).
 */
export function applyGraph(cy: Core, graph: Graph): { added: number; removed: number } {
  let added = 0
  let removed = 0
  cy.batch(() => {
    const wanted = new Set<string>()
    for (const n of graph.nodes) wanted.add(n.id)
    for (const e of graph.edges) wanted.add(e.id)
    const gone = cy.elements().filter((el) => !wanted.has(el.id()))
    removed = gone.length
    cy.remove(gone)
    for (const n of graph.nodes) {
      const data: Record<string, unknown> = { id: n.id, label: n.label, ns: n.ns, dev: n.dev ?? '', lx: n.position?.x ?? 0, ly: n.position?.y ?? 0 }
      if (n.size) Object.assign(data, { w: n.size.w, h: n.size.h, fs: n.size.font })
      const el = cy.getElementById(n.id)
      if (el.empty()) {
        added++
        const def: ElementDefinition = { group: 'nodes', data: n.parent ? { ...data, parent: n.parent } : data, classes: n.classes, pannable: true }
        if (n.position) def.position = { ...n.position }
        cy.add(def)
        continue
      }
      const node = el as NodeSingular
      const parent = node.parent().nonempty() ? node.parent().first().id() : undefined
      if (parent !== n.parent) node.move({ parent: n.parent ?? null })
      update(node, data, n.classes)
      if (n.position && !node.grabbed() && !node.isParent()) {
        const p = node.position()
        if (Math.abs(p.x - n.position.x) > 0.01 || Math.abs(p.y - n.position.y) > 0.01) node.position({ ...n.position })
      }
    }
    for (const e of graph.edges) {
      const data: Record<string, unknown> = { id: e.id, source: e.source, target: e.target, label: e.label ?? '', cpd: e.cpd ?? 0 }
      let el = cy.getElementById(e.id)
      if (el.nonempty() && (el.data('source') !== e.source || el.data('target') !== e.target)) {
        cy.remove(el)
        el = cy.collection()
      }
      if (el.empty()) {
        added++
        cy.add({ group: 'edges', data, classes: e.classes })
        continue
      }
      update(el, data, e.classes)
    }
  })
  return { added, removed }
}

/** Classes the view adds on top of the model's (selection, trace highlight): kept across updates. */
const MARKS = new Set(['sel', 'hl', 'hl-drop'])

/** Writes data and classes that changed only: each write restyles the element, and most do not change. */
function update(el: SingularElementArgument, data: Record<string, unknown>, classes: string): void {
  if (Object.keys(data).some((k) => el.data(k) !== data[k])) el.data(data)
  const marks = el.classes().filter((c) => MARKS.has(c))
  const want = marks.length ? `${classes} ${marks.join(' ')}` : classes
  if (el.classes().join(' ') !== want) el.classes(want)
}

/** What can be moved by dragging: pods (inside their node, or onto another) and boxes (with what they hold). */
const MOVABLE = 'node.pod, node.box'

/**
 * Marks the selected elements (namespaces, links), and lets a drag on a selected one move it (if
 * it can be moved); everything else stays pannable, so a drag that starts on it pans the view.
 */
export function applySelection(cy: Core, ids: readonly string[]): void {
  cy.batch(() => {
    const was = cy.elements('.sel')
    was.removeClass('sel')
    was.nodes().panify()
    // Cytoscape's own selection holds the movable ones: a drag on one of them moves them all.
    const grips = cy.nodes(':selected')
    cy.elements(':selected').unselect()
    grips.not(MOVABLE).panify()
    for (const id of ids) {
      const el = cy.getElementById(id)
      el.addClass('sel')
      if (!el.is(MOVABLE)) continue
      el.unpanify().select()
      // Its own devices are handles of it: a drag that starts on one (its cbr0) moves the box, as on its frame.
      el.children().not(MOVABLE).unpanify().select()
    }
  })
}

/** While a modifier key is held at the start of a drag, every movable element can be dragged. */
export function setMovable(cy: Core, on: boolean): void {
  const all = cy.nodes(MOVABLE)
  if (on) all.unpanify()
  else all.not('.sel').panify()
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
  if (node.isParent()) {
    // A box drawn with its contents is where they are: they go back, and it with them.
    node.descendants().forEach((c) => {
      if (!c.isParent()) c.position({ x: Number(c.data('lx')), y: Number(c.data('ly')) })
    })
    return
  }
  node.position({ x: Number(node.data('lx')), y: Number(node.data('ly')) })
}

/** The zoom and pan that show `bb` whole and centred in a w x h view, `padding` pixels around it. */
export function viewportFor(bb: Bounds, w: number, h: number, padding: number, zoomRange: { min: number; max: number }): { zoom: number; pan: { x: number; y: number } } {
  const bw = Math.max(bb.x2 - bb.x1, 1)
  const bh = Math.max(bb.y2 - bb.y1, 1)
  const fit = Math.min((w - 2 * padding) / bw, (h - 2 * padding) / bh)
  const zoom = Math.min(zoomRange.max, Math.max(zoomRange.min, fit))
  return { zoom, pan: { x: w / 2 - zoom * ((bb.x1 + bb.x2) / 2), y: h / 2 - zoom * ((bb.y1 + bb.y2) / 2) } }
}
