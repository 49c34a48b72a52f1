// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { defineComponent, h, ref } from 'vue'
import { afterEach, expect, it, vi } from 'vitest'

// happy-dom has no canvas for Cytoscape's renderer: a stand-in records what the composable asks.
const fake = vi.hoisted(() => {
  const handlers = new Map<string, () => void>()
  const cy = {
    on: vi.fn((event: string, ...rest: unknown[]) => handlers.set(event + (rest.length > 1 ? ` ${String(rest[0])}` : ''), rest[rest.length - 1] as () => void)),
    resize: vi.fn(),
    destroy: vi.fn(),
    width: () => 800,
    height: () => 400,
    viewport: vi.fn(() => handlers.get('viewport')?.()),
    elements: () => ({ empty: () => false, boundingBox: () => ({ x1: 0, y1: 0, x2: 400, y2: 200, w: 400, h: 200 }) }),
  }
  return { cy, handlers }
})
vi.mock('cytoscape', () => ({ default: () => fake.cy }))

const { useCytoscape } = await import('./use-cytoscape.ts')

afterEach(() => vi.unstubAllGlobals())

it('fits again when the canvas is resized, unless the view was moved, and lets go of everything on unmount', () => {
  const observers: { cb: () => void; disconnected: boolean }[] = []
  vi.stubGlobal(
    'ResizeObserver',
    class {
      entry: { cb: () => void; disconnected: boolean }
      constructor(cb: () => void) {
        this.entry = { cb, disconnected: false }
        observers.push(this.entry)
      }
      observe(): void {}
      disconnect(): void {
        this.entry.disconnected = true
      }
    },
  )
  let api: ReturnType<typeof useCytoscape> | null = null
  const w = mount(
    defineComponent({
      setup() {
        const el = ref<HTMLElement | null>(null)
        api = useCytoscape(el, { onSelect: () => {}, onMovePod: () => {} })
        return () => h('div', { ref: el })
      },
    }),
  )
  expect(api!.instance()).toBe(fake.cy)
  expect(observers).toHaveLength(1)
  api!.fit()
  // The whole drawing, labels included, centred: 400 x 200 fills 800 x 400 at zoom 1.4 at most.
  expect(fake.cy.viewport).toHaveBeenLastCalledWith({ zoom: 1.4, pan: { x: 120, y: 60 } })
  fake.cy.viewport.mockClear()
  observers[0].cb()
  expect(fake.cy.viewport).toHaveBeenCalledTimes(1)
  // A pan or zoom by the user: a resize no longer moves the view.
  fake.handlers.get('viewport')!()
  observers[0].cb()
  expect(fake.cy.viewport).toHaveBeenCalledTimes(1)
  w.unmount()
  expect(observers[0].disconnected).toBe(true)
  expect(fake.cy.destroy).toHaveBeenCalled()
  expect(api!.instance()).toBeNull()
})
