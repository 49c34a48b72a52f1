import cytoscape, { type NodeSingular } from 'cytoscape'
import { describe, expect, it } from 'vitest'
import { applyGraph, applyHighlight, applySelection, restorePosition, setMovable, viewportFor } from './sync.ts'
import type { Graph } from './graph.ts'

function graph(podParent = 'ns:node1', label = 'pod1'): Graph {
  return {
    nodes: [
      { id: 'ns:node1', label: 'node1', classes: 'box role-node', ns: 'node1' },
      { id: 'if:node1/cbr0', parent: 'ns:node1', label: 'cbr0', classes: 'iface kind-bridge', ns: 'node1', dev: 'cbr0', position: { x: 0, y: 0 } },
      { id: 'ns:node2', label: 'node2', classes: 'box role-node', ns: 'node2' },
      { id: 'if:node2/cbr0', parent: 'ns:node2', label: 'cbr0', classes: 'iface kind-bridge', ns: 'node2', dev: 'cbr0', position: { x: 400, y: 0 } },
      { id: 'ns:pod1', parent: podParent, label, classes: 'pod', ns: 'pod1', position: podParent === 'ns:node1' ? { x: 0, y: 100 } : { x: 400, y: 100 } },
    ],
    edges: [{ id: 'e1', source: 'ns:pod1', target: podParent === 'ns:node1' ? 'if:node1/cbr0' : 'if:node2/cbr0', classes: 'veth' }],
  }
}

describe('canvas sync', () => {
  it('adds, updates in place, re-parents and removes', () => {
    const cy = cytoscape({ headless: true })
    expect(applyGraph(cy, graph())).toEqual({ added: 6, removed: 0 })
    expect(cy.nodes()).toHaveLength(5)
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    expect(pod.parent().first().id()).toBe('ns:node1')
    // A label change keeps the element; its position is the model's.
    pod.position({ x: 5, y: 105 })
    expect(applyGraph(cy, graph('ns:node1', 'pod1\n10.0.0.1'))).toEqual({ added: 0, removed: 0 })
    expect(cy.getElementById('ns:pod1').data('label')).toBe('pod1\n10.0.0.1')
    expect((cy.getElementById('ns:pod1') as NodeSingular).position()).toEqual({ x: 0, y: 100 })
    // Moving the pod re-parents it, swaps its edge and puts it where the model says.
    expect(applyGraph(cy, graph('ns:node2')).added).toBe(1)
    const moved = cy.getElementById('ns:pod1') as NodeSingular
    expect(moved.parent().first().id()).toBe('ns:node2')
    expect(moved.position()).toEqual({ x: 400, y: 100 })
    expect(cy.getElementById('e1').data('target')).toBe('if:node2/cbr0')
    applyGraph(cy, { nodes: graph().nodes.slice(0, 2), edges: [] })
    expect(cy.elements().map((e) => e.id()).sort()).toEqual(['if:node1/cbr0', 'ns:node1'])
    cy.destroy()
  })

  it('adds and removes edges, and leaves a node being dragged where the hand is', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    pod.grabify()
    ;(pod as unknown as { _private: { grabbed: boolean } })._private.grabbed = true
    pod.position({ x: 7, y: 107 })
    const g = graph()
    expect(applyGraph(cy, { ...g, edges: [...g.edges, { id: 't1', source: 'if:node1/cbr0', target: 'if:node2/cbr0', classes: 'tunnel' }] })).toEqual({ added: 1, removed: 0 })
    expect(applyGraph(cy, g)).toEqual({ added: 0, removed: 1 })
    expect(cy.getElementById('t1').empty()).toBe(true)
    expect(pod.position()).toEqual({ x: 7, y: 107 })
    cy.destroy()
  })

  it('turns a box into one summary leaf and back under the same id', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    applySelection(cy, ['ns:node1'])
    const summary: Graph = {
      nodes: [
        { id: 'ns:node1', label: 'node1\n1 pod', classes: 'box role-node collapsed', ns: 'node1', position: { x: 0, y: 50 }, size: { w: 160, h: 140, font: 30 } },
        ...graph().nodes.filter((n) => n.id === 'ns:node2' || n.parent === 'ns:node2'),
      ],
      edges: [],
    }
    applyGraph(cy, summary)
    const box = cy.getElementById('ns:node1') as NodeSingular
    expect(box.isParent()).toBe(false)
    expect(box.position()).toEqual({ x: 0, y: 50 })
    expect(box.data()).toMatchObject({ w: 160, h: 140, fs: 30, label: 'node1\n1 pod' })
    // The selection mark survives the change of form.
    expect(box.classes()).toEqual(['box', 'role-node', 'collapsed', 'sel'])
    applyGraph(cy, graph())
    expect(box.isParent()).toBe(true)
    expect(box.children().map((c) => c.id()).sort()).toEqual(['if:node1/cbr0', 'ns:pod1'])
    expect(box.hasClass('collapsed')).toBe(false)
    cy.destroy()
  })

  it('lets only the selected pod or box (or any, with the modifier) be dragged: everything else pans', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    const box = cy.getElementById('ns:node1') as NodeSingular
    expect(pod.pannable()).toBe(true)
    expect(pod.grabbable()).toBe(false)
    applySelection(cy, ['ns:node1'])
    expect(box.grabbable()).toBe(true)
    expect(pod.grabbable()).toBe(false)
    // A drag on the selected box's own device (its bridge) moves the box with the selection.
    const cbr0 = cy.getElementById('if:node1/cbr0') as NodeSingular
    expect(cbr0.grabbable()).toBe(true)
    expect(cbr0.selected()).toBe(true)
    applySelection(cy, ['ns:pod1'])
    expect(cbr0.pannable()).toBe(true)
    expect(cbr0.selected()).toBe(false)
    expect(box.pannable()).toBe(true)
    expect(pod.grabbable()).toBe(true)
    applySelection(cy, [])
    expect(pod.grabbable()).toBe(false)
    setMovable(cy, true)
    expect(pod.grabbable()).toBe(true)
    expect(box.grabbable()).toBe(true)
    expect(cy.getElementById('if:node1/cbr0').grabbable()).toBe(false)
    setMovable(cy, false)
    expect(pod.grabbable()).toBe(false)
    cy.destroy()
  })

  it('fits a box into the view, centred, within the zoom range', () => {
    const v = viewportFor({ x1: 0, y1: 0, x2: 1000, y2: 200 }, 520, 420, 10, { min: 0.02, max: 1.4 })
    expect(v.zoom).toBeCloseTo(0.5)
    expect(v.pan).toEqual({ x: 10, y: 160 })
    // A small lab is not blown up; a huge one stops at the minimum.
    expect(viewportFor({ x1: 0, y1: 0, x2: 10, y2: 10 }, 500, 500, 10, { min: 0.02, max: 1.4 }).zoom).toBe(1.4)
    expect(viewportFor({ x1: 0, y1: 0, x2: 1e6, y2: 10 }, 500, 500, 10, { min: 0.02, max: 1.4 }).zoom).toBe(0.02)
  })

  it('keeps one selection and one highlight', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    applySelection(cy, ['ns:node1'])
    applySelection(cy, ['ns:pod1'])
    expect(cy.nodes('.sel').map((n) => n.id())).toEqual(['ns:pod1'])
    applyHighlight(cy, 'if:node1/cbr0')
    applyHighlight(cy, 'ns:pod1', true)
    expect(cy.nodes('.hl').length).toBe(0)
    expect(cy.nodes('.hl-drop').map((n) => n.id())).toEqual(['ns:pod1'])
    applyHighlight(cy, null)
    expect(cy.nodes('.hl, .hl-drop').length).toBe(0)
    // Marks are the view's, not the model's: re-applying the graph keeps them.
    applySelection(cy, ['ns:node1'])
    applyGraph(cy, graph())
    expect(cy.nodes('.sel').map((n) => n.id())).toEqual(['ns:node1'])
    cy.destroy()
  })

  it('puts a pod back where the model had it', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    pod.position({ x: 2000, y: 2000 })
    restorePosition(pod)
    expect(pod.position()).toEqual({ x: 0, y: 100 })
    cy.destroy()
  })
})
