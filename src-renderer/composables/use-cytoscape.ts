import cytoscape, { type Core, type EventObject, type NodeSingular } from 'cytoscape'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import type { Graph } from '../canvas/graph.ts'
import { stylesheet } from '../canvas/style.ts'
import { applyGraph, applyHighlight, applySelection, dropTarget, restorePosition } from '../canvas/sync.ts'

export interface CanvasHandlers {
  /** A namespace was clicked (null: the background). */
  onSelect(ns: string | null): void
  /** A pod was dropped on another node's box. */
  onMovePod(pod: string, node: string): void
}

/**
 * Owns the Cytoscape instance of one canvas. The instance lives in this closure only, never in
 * reactive state (it is cyclic and huge); the component drives it through the returned functions,
 * and gestures come back as handler calls that become store actions.
 */
export function useCytoscape(container: Ref<HTMLElement | null>, handlers: CanvasHandlers) {
  let cy: Core | null = null
  let fitPending = true

  onMounted(() => {
    if (!container.value) return
    cy = cytoscape({
      container: container.value,
      style: stylesheet,
      elements: [],
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      motionBlur: false,
      pixelRatio: 'auto',
    })
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) handlers.onSelect(null)
    })
    cy.on('tap', 'node', (e: EventObject) => handlers.onSelect(String((e.target as NodeSingular).data('ns'))))
    cy.on('dragfree', 'node.pod', (e: EventObject) => {
      const pod = e.target as NodeSingular
      const target = cy ? dropTarget(cy, pod) : null
      if (target) handlers.onMovePod(String(pod.data('ns')), target)
      else restorePosition(pod)
    })
  })

  onBeforeUnmount(() => {
    cy?.destroy()
    cy = null
  })

  function sync(graph: Graph, relayout = false): void {
    if (!cy) return
    const { structural } = applyGraph(cy, graph, { relayout })
    if (fitPending || relayout || structural) {
      fitPending = false
      fit()
    }
  }

  function fit(): void {
    if (!cy) return
    cy.resize()
    // Fit the leaves: a box's bounds are only brought up to date when it is drawn, so right after
    // a change they can lag behind their children. The padding leaves room for box borders and labels.
    const leaves = cy.nodes().filter((n) => n.isChildless())
    cy.fit(leaves.nonempty() ? leaves : undefined, 48)
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4)
      cy.center()
    }
  }

  /** The next sync fits the view (a different lab was loaded). */
  function refit(): void {
    fitPending = true
  }

  return {
    sync,
    fit,
    refit,
    select: (id: string | null) => cy && applySelection(cy, id),
    highlight: (id: string | null, drop = false) => cy && applyHighlight(cy, id, drop),
    /** For the overlay: the instance, or null before mount / after unmount. */
    instance: (): Core | null => cy,
  }
}
