import cytoscape, { type NodeSingular } from 'cytoscape'
import { describe, expect, it } from 'vitest'
import { applyGraph, applyHighlight, applySelection, dropTarget, restorePosition, viewportFor } from './sync.ts'
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
    expect(applyGraph(cy, graph()).structural).toBe(true)
    expect(cy.nodes()).toHaveLength(5)
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    expect(pod.parent().first().id()).toBe('ns:node1')
    // A label change keeps the element and its position.
    pod.position({ x: 5, y: 105 })
    expect(applyGraph(cy, graph('ns:node1', 'pod1\n10.0.0.1')).structural).toBe(false)
    expect(cy.getElementById('ns:pod1').data('label')).toBe('pod1\n10.0.0.1')
    expect((cy.getElementById('ns:pod1') as NodeSingular).position()).toEqual({ x: 5, y: 105 })
    // Moving the pod re-parents it, swaps its edge and lays it out again.
    expect(applyGraph(cy, graph('ns:node2')).structural).toBe(true)
    const moved = cy.getElementById('ns:pod1') as NodeSingular
    expect(moved.parent().first().id()).toBe('ns:node2')
    expect(moved.position()).toEqual({ x: 400, y: 100 })
    expect(cy.getElementById('e1').data('target')).toBe('if:node2/cbr0')
    applyGraph(cy, { nodes: graph().nodes.slice(0, 2), edges: [] })
    expect(cy.elements().map((e) => e.id()).sort()).toEqual(['if:node1/cbr0', 'ns:node1'])
    cy.destroy()
  })

  it('adds and removes edges without laying anything out again', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    cy.getElementById('ns:pod1').position({ x: 7, y: 107 })
    const g = graph()
    expect(applyGraph(cy, { ...g, edges: [...g.edges, { id: 't1', source: 'if:node1/cbr0', target: 'if:node2/cbr0', classes: 'tunnel' }] }).structural).toBe(false)
    expect(applyGraph(cy, g).structural).toBe(false)
    expect(cy.getElementById('t1').empty()).toBe(true)
    expect((cy.getElementById('ns:pod1') as NodeSingular).position()).toEqual({ x: 7, y: 107 })
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
    applySelection(cy, 'ns:node1')
    applySelection(cy, 'ns:pod1')
    expect(cy.nodes('.sel').map((n) => n.id())).toEqual(['ns:pod1'])
    applyHighlight(cy, 'if:node1/cbr0')
    applyHighlight(cy, 'ns:pod1', true)
    expect(cy.nodes('.hl').length).toBe(0)
    expect(cy.nodes('.hl-drop').map((n) => n.id())).toEqual(['ns:pod1'])
    applyHighlight(cy, null)
    expect(cy.nodes('.hl, .hl-drop').length).toBe(0)
    // Classes set by the sync replace old ones, so re-applying the graph clears marks too.
    applySelection(cy, 'ns:node1')
    applyGraph(cy, graph())
    expect(cy.nodes('.sel').length).toBe(0)
    cy.destroy()
  })

  it('finds the node box a pod is dropped on, and puts a pod back', () => {
    const cy = cytoscape({ headless: true })
    applyGraph(cy, graph())
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    pod.position({ x: 400, y: 0 })
    expect(dropTarget(cy, pod)).toBe('node2')
    pod.position({ x: 2000, y: 2000 })
    expect(dropTarget(cy, pod)).toBeNull()
    restorePosition(pod)
    expect(pod.position()).toEqual({ x: 0, y: 100 })
    cy.destroy()
  })
})
