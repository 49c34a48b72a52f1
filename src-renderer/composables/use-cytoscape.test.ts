// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import type { Core } from 'cytoscape'
import { defineComponent, h, ref } from 'vue'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { buildModel, nsId } from '../canvas/graph.ts'
import { viewportFor } from '../canvas/sync.ts'

// happy-dom has no canvas for Cytoscape's renderer: the composable gets a headless instance of the
// real library instead, 800 x 400 pixels large, so views, extents and elements behave for real.
const made = vi.hoisted(() => ({ cy: null as Core | null }))
vi.mock('cytoscape', async (importOriginal) => {
  const real = (await importOriginal<{ default: (o: object) => Core }>()).default
  return {
    default: (opts: { minZoom?: number; maxZoom?: number; style?: unknown }) => {
      const cy = real({ headless: true, styleEnabled: true, minZoom: opts.minZoom, maxZoom: opts.maxZoom, style: opts.style })
      cy.width = () => 800
      cy.height = () => 400
      made.cy = cy
      return cy
    },
  }
})

const { useCytoscape } = await import('./use-cytoscape.ts')

const observers: { cb: () => void; disconnected: boolean }[] = []
beforeEach(() => {
  observers.length = 0
  vi.useFakeTimers()
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
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

function mounted() {
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
  return { w, api: api!, cy: made.cy! }
}

async function model(nodes: number, pods: number) {
  const s = await createHandlers(new LabService(null)).newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode: pods })
  return buildModel(s.topology)
}

it('fits the lab into the view, and again on a resize unless the user moved the view; lets go of everything on unmount', async () => {
  const m = await model(2, 2)
  const { w, api, cy } = mounted()
  expect(api.instance()).toBe(cy)
  api.show(m)
  // The canvas follows a moment later, in one go.
  expect(cy.elements().length).toBe(0)
  vi.advanceTimersByTime(1)
  const want = viewportFor(m.extent, 800, 400, 16, { min: 0.005, max: 1.4 })
  expect(cy.zoom()).toBeCloseTo(want.zoom)
  expect(cy.pan().x).toBeCloseTo(want.pan.x)
  // Every namespace is on the canvas, the small lab drawn in full.
  expect(cy.getElementById(nsId('pod4')).nonempty()).toBe(true)
  expect(cy.getElementById(nsId('node1')).isParent()).toBe(true)
  cy.zoom(0.1)
  observers[0].cb()
  vi.advanceTimersByTime(1)
  // A zoom by the user: a resize no longer moves the view.
  expect(cy.zoom()).toBeCloseTo(0.1)
  api.fit()
  vi.advanceTimersByTime(1)
  expect(cy.zoom()).toBeCloseTo(want.zoom)
  w.unmount()
  expect(observers[0].disconnected).toBe(true)
  expect(api.instance()).toBeNull()
})

it('draws a big lab as summary boxes, opens the boxes in view when the zoom comes to rest, and closes them again', async () => {
  const m = await model(60, 4)
  const { api, cy } = mounted()
  api.show(m)
  vi.advanceTimersByTime(1)
  // Fitted, 60 nodes are far out: one box each, no pods, no interfaces of nodes.
  expect(cy.zoom()).toBeLessThan(0.24)
  const box = (n: number) => cy.getElementById(nsId(`node${n}`))
  expect(box(1).isParent()).toBe(false)
  expect(box(1).hasClass('collapsed')).toBe(true)
  // So small that only the name and pod count are written, larger; a little closer, the address too.
  expect(box(1).data('label')).toMatch(/^node1( {2}· {2}|\n)4 pods$/)
  expect(cy.getElementById(nsId('pod1')).empty()).toBe(true)
  const far = cy.nodes().length
  cy.zoom(0.2)
  vi.advanceTimersByTime(200)
  expect(box(1).data('label')).toBe('node1\n192.168.0.11\n4 pods')
  expect(box(1).isParent()).toBe(false)
  // Zoomed in on node 30: it opens once the view has rested, far boxes stay closed.
  const b = m.boxes.find((x) => x.ns === 'node30')!
  cy.zoom(0.8)
  cy.center(box(30))
  expect(box(30).isParent()).toBe(false)
  vi.advanceTimersByTime(200)
  expect(box(30).isParent()).toBe(true)
  expect(cy.getElementById(nsId('pod117')).nonempty()).toBe(true)
  expect(box(1).isParent()).toBe(false)
  expect(cy.nodes().length).toBeLessThan(far + 200)
  expect(b.children.length).toBeGreaterThan(8)
  // The selection stays open whatever the zoom, and marked.
  api.select([nsId('pod117')])
  api.show(m, new Set(['pod117']))
  vi.advanceTimersByTime(1)
  cy.zoom(0.05)
  vi.advanceTimersByTime(200)
  expect(box(30).isParent()).toBe(true)
  expect(cy.getElementById(nsId('pod117')).hasClass('sel')).toBe(true)
  expect(box(29).isParent()).toBe(false)
  api.show(m, new Set())
  vi.advanceTimersByTime(1)
  expect(box(30).isParent()).toBe(false)
  // Revealing a pod centres it, zoomed in enough to draw its node in full.
  api.reveal('pod200')
  vi.advanceTimersByTime(1)
  expect(cy.zoom()).toBeGreaterThanOrEqual(0.3)
  const p = cy.getElementById(nsId('pod200'))
  expect(p.nonempty()).toBe(true)
  expect(p.renderedPosition().x).toBeCloseTo(400, -1)
})
