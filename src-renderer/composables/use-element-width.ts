import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** The content width of an element, kept current while it is mounted; stops observing on unmount. */
export function useElementWidth(el: Ref<HTMLElement | null>): Ref<number> {
  const width = ref(0)
  let observer: ResizeObserver | null = null
  onMounted(() => {
    const e = el.value
    if (!e) return
    width.value = e.clientWidth
    if (typeof ResizeObserver === 'undefined') return
    observer = new ResizeObserver(() => (width.value = e.clientWidth))
    observer.observe(e)
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    observer = null
  })
  return width
}
