import { onBeforeUnmount, ref } from 'vue'
import type { PaletteItem } from '../canvas/build.ts'

export interface PaletteDrag {
  item: PaletteItem
  /** Where the pointer is, in client coordinates. */
  x: number
  y: number
}

/**
 * Dragging an item from the palette with the mouse: the item follows the pointer (`drag`), and
 * the release calls `onDrop` with where it happened; Escape cancels. Listens on the window only
 * while a drag is on, and stops listening when the component goes.
 */
export function usePaletteDrag(onDrop: (item: PaletteItem, clientX: number, clientY: number) => void) {
  const drag = ref<PaletteDrag | null>(null)

  const move = (e: MouseEvent): void => {
    if (drag.value) drag.value = { ...drag.value, x: e.clientX, y: e.clientY }
  }
  const up = (e: MouseEvent): void => {
    const d = drag.value
    stop()
    if (d) onDrop(d.item, e.clientX, e.clientY)
  }
  const key = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') stop()
  }

  function stop(): void {
    drag.value = null
    window.removeEventListener('mousemove', move)
    window.removeEventListener('mouseup', up)
    window.removeEventListener('keydown', key)
  }

  function start(item: PaletteItem, e: MouseEvent): void {
    if (e.button !== 0) return
    e.preventDefault()
    stop()
    drag.value = { item, x: e.clientX, y: e.clientY }
    window.addEventListener('mousemove', move)
    window.addEventListener('mouseup', up)
    window.addEventListener('keydown', key)
  }

  onBeforeUnmount(stop)
  return { drag, start, cancel: stop }
}
