import type { Core } from 'cytoscape'
import { onBeforeUnmount, ref } from 'vue'

/**
 * Where the label of the current hop goes on the canvas (the table entry that decided, or why the
 * packet was dropped): beside the element it is about, following pan, zoom and redraws. An HTML
 * label over the canvas, never a graph element; cleans up its listeners.
 */
export function useStepTag(getCy: () => Core | null) {
  /** Pixels from the canvas's top left: just right of the element's box. */
  const at = ref<{ x: number; y: number } | null>(null)
  let ids: string[] = []
  let bound: Core | null = null
  let raf = 0

  function measure(): void {
    raf = 0
    const cy = getCy()
    if (cy !== bound) {
      bound?.off('render', schedule)
      bound = cy
      bound?.on('render', schedule)
    }
    for (const id of ids) {
      const el = cy?.getElementById(id)
      if (!el || el.empty() || !el.visible()) continue
      const b = el.renderedBoundingBox({ includeLabels: false })
      at.value = { x: Math.round(b.x2 + 8), y: Math.round((b.y1 + b.y2) / 2) }
      return
    }
    at.value = null
  }

  function schedule(): void {
    if (!raf) raf = requestAnimationFrame(measure)
  }

  /** Anchors the label at the first of `candidates` the canvas has drawn (a device, else its namespace); none: hidden. */
  function place(candidates: string[]): void {
    ids = candidates
    schedule()
  }

  onBeforeUnmount(() => {
    if (raf) cancelAnimationFrame(raf)
    raf = 0
    bound?.off('render', schedule)
    bound = null
  })

  return { at, place }
}
