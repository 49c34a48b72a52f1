// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, ref, type VNode } from 'vue'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Core } from 'cytoscape'
import { useLabStore } from '../stores/lab.ts'
import { useElementWidth } from './use-element-width.ts'
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts'
import { usePacketAnimation } from './use-packet-animation.ts'
import { usePaletteDrag } from './use-palette-drag.ts'

beforeEach(() => setActivePinia(createPinia()))

/** Mounts a throwaway component whose setup uses the composable under test. */
function mountWith(setup: () => () => VNode, attach = false) {
  return mount(defineComponent({ setup }), attach ? { attachTo: document.body } : {})
}

describe('useKeyboardShortcuts', () => {
  it('undoes with Ctrl+Z outside text fields and stops listening when unmounted', async () => {
    const lab = useLabStore()
    const undo = vi.spyOn(lab, 'undo').mockResolvedValue()
    const w = mountWith(() => (useKeyboardShortcuts(), () => h('input')), true)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }))
    expect(undo).toHaveBeenCalledTimes(1)
    w.find('input').element.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true }))
    expect(undo).toHaveBeenCalledTimes(1)
    w.unmount()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }))
    expect(undo).toHaveBeenCalledTimes(1)
  })
})

describe('useElementWidth', () => {
  it('follows the element while mounted and stops observing when unmounted', () => {
    const observers: { cb: () => void; observed: Element[]; disconnected: boolean }[] = []
    class FakeObserver {
      private o: { cb: () => void; observed: Element[]; disconnected: boolean }
      constructor(cb: () => void) {
        this.o = { cb, observed: [], disconnected: false }
        observers.push(this.o)
      }
      observe(e: Element) {
        this.o.observed.push(e)
      }
      disconnect() {
        this.o.disconnected = true
      }
    }
    vi.stubGlobal('ResizeObserver', FakeObserver)
    let width: ReturnType<typeof useElementWidth> | null = null
    const w = mountWith(() => {
      const box = ref<HTMLElement | null>(null)
      width = useElementWidth(box)
      return () => h('div', { ref: box })
    })
    const el = w.element as HTMLElement
    expect(observers).toHaveLength(1)
    expect(observers[0].observed).toEqual([el])
    Object.defineProperty(el, 'clientWidth', { configurable: true, value: 321 })
    observers[0].cb()
    expect(width!.value).toBe(321)
    w.unmount()
    expect(observers[0].disconnected).toBe(true)
    vi.unstubAllGlobals()
  })
})

describe('usePacketAnimation', () => {
  it('stops its frame loop and viewport listener when unmounted', () => {
    const on = vi.fn()
    const off = vi.fn()
    const fakeCy = { on, off, getElementById: () => ({ empty: () => false, renderedPosition: () => ({ x: 10, y: 10 }) }) } as unknown as Core
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation(() => 42)
    const caf = vi.spyOn(window, 'cancelAnimationFrame').mockImplementation(() => {})
    let api: ReturnType<typeof usePacketAnimation> | null = null
    const w = mountWith(() => {
      const canvas = ref<HTMLCanvasElement | null>(null)
      api = usePacketAnimation(canvas, () => fakeCy)
      return () => h('canvas', { ref: canvas })
    })
    const trail = {
      waypoints: [
        { id: 'a', step: 0, role: 'request' as const, drop: false, flood: false, from: -1 },
        { id: 'b', step: 1, role: 'request' as const, drop: false, flood: false, from: 0 },
      ],
      hops: [
        { kind: 'stay' as const, path: ['a'] },
        { kind: 'link' as const, path: ['a', 'b'] },
      ],
    }
    // A step forward moves the dot along the link from where it was.
    api!.showStep(trail, 0)
    api!.showStep(trail, 1, 500)
    expect(raf).toHaveBeenCalled()
    w.unmount()
    expect(caf).toHaveBeenCalledWith(42)
    raf.mockRestore()
    caf.mockRestore()
  })

  it('follows pan and zoom once it has drawn, and lets go of the instance on unmount', () => {
    const on = vi.fn()
    const off = vi.fn()
    const fakeCy = { on, off, getElementById: () => ({ empty: () => false, renderedPosition: () => ({ x: 10, y: 10 }) }) } as unknown as Core
    let frame: FrameRequestCallback | null = null
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => ((frame = cb), 7))
    let api: ReturnType<typeof usePacketAnimation> | null = null
    const w = mountWith(() => {
      const canvas = ref<HTMLCanvasElement | null>(null)
      api = usePacketAnimation(canvas, () => fakeCy)
      return () => h('canvas', { ref: canvas })
    })
    api!.showStep({ waypoints: [{ id: 'a', step: 0, role: 'reply', drop: false, flood: false, from: -1 }], hops: [{ kind: 'stay', path: ['a'] }] }, 0)
    ;(frame as unknown as FrameRequestCallback)(0)
    expect(on).toHaveBeenCalledWith('viewport', expect.any(Function))
    w.unmount()
    expect(off).toHaveBeenCalledWith('viewport', on.mock.calls[0][1])
    raf.mockRestore()
  })
})

describe('usePaletteDrag', () => {
  it('follows the pointer from a press on an item to the release, Escape cancels, and it stops listening when unmounted', () => {
    const drops: unknown[] = []
    let api: ReturnType<typeof usePaletteDrag> | null = null
    const w = mountWith(() => ((api = usePaletteDrag((item, x, y) => drops.push([item, x, y]))), () => h('div')))
    const d = api!
    d.start('pod', new MouseEvent('mousedown', { button: 0, clientX: 10, clientY: 20 }))
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 300, clientY: 200 }))
    expect(d.drag.value).toEqual({ item: 'pod', x: 300, y: 200 })
    window.dispatchEvent(new MouseEvent('mouseup', { clientX: 310, clientY: 205 }))
    expect(drops).toEqual([['pod', 310, 205]])
    expect(d.drag.value).toBeNull()
    // A right button does not start a drag; Escape drops nothing.
    d.start('node', new MouseEvent('mousedown', { button: 2 }))
    expect(d.drag.value).toBeNull()
    d.start('node', new MouseEvent('mousedown', { button: 0, clientX: 1, clientY: 1 }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    window.dispatchEvent(new MouseEvent('mouseup', { clientX: 5, clientY: 5 }))
    expect(drops).toHaveLength(1)
    d.start('switch', new MouseEvent('mousedown', { button: 0 }))
    w.unmount()
    window.dispatchEvent(new MouseEvent('mouseup', { clientX: 5, clientY: 5 }))
    expect(drops).toHaveLength(1)
  })
})
