import cytoscape, { type BoundingBoxOptions, type Core, type EventObject, type NodeSingular } from 'cytoscape'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import type { Graph } from '../canvas/graph.ts'
import { stylesheet } from '../canvas/style.ts'
import { applyGraph, applyHighlight, applySelection, dropTarget, restorePosition, viewportFor } from '../canvas/sync.ts'

const MIN_ZOOM = 0.02
/** Fitting never zooms in further than this: a small lab is not blown up to fill the canvas. */
const FIT_MAX_ZOOM = 1.4
const FIT_PADDING = 16

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
  /** The view is as the last fit left it: a resize of the canvas fits again. */
  let fitted = false
  let fitting = false
  let resize: ResizeObserver | null = null

  onMounted(() => {
    if (!container.value) return
    cy = cytoscape({
      container: container.value,
      style: stylesheet,
      elements: [],
      minZoom: MIN_ZOOM,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      motionBlur: false,
      pixelRatio: 'auto',
    })
    cy.on('viewport', () => {
      if (!fitting) fitted = false
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
    if (typeof ResizeObserver !== 'undefined') {
      resize = new ResizeObserver(() => {
        if (!cy) return
        cy.resize()
        if (fitted) fit()
      })
      resize.observe(container.value)
    }
  })

  onBeforeUnmount(() => {
    resize?.disconnect()
    resize = null
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
    const eles = cy.elements()
    if (eles.empty()) return
    // Labels included (a node's name sits under its box); no cache, since the bounds of boxes
    // are only brought up to date on the next draw otherwise.
    const opts: BoundingBoxOptions & { useCache: boolean } = { includeLabels: true, includeOverlays: false, useCache: false }
    const bb = eles.boundingBox(opts)
    const view = viewportFor(bb, cy.width(), cy.height(), FIT_PADDING, { min: MIN_ZOOM, max: FIT_MAX_ZOOM })
    fitting = true
    cy.viewport(view)
    fitting = false
    fitted = true
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
