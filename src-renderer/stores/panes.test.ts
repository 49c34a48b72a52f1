// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { beforeEach, describe, expect, it } from 'vitest'
import { currentPaneSize, DEFAULT_PANES, dockShare, paneSize, PANE_LIMITS, useSettingsStore } from './settings.ts'

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

describe('the sizes of the dock and the side panel', () => {
  const view = { width: 1600, height: 1000 }

  it('stay within the window, leaving the canvas its room', () => {
    expect(paneSize('dock', 400, view)).toBe(400)
    expect(paneSize('dock', 10, view)).toBe(PANE_LIMITS.dock)
    expect(paneSize('dock', 5000, view)).toBe(1000 - PANE_LIMITS.chrome - PANE_LIMITS.canvasHeight)
    expect(paneSize('side', 5000, view)).toBe(1600 - PANE_LIMITS.canvasWidth)
    expect(paneSize('side', Number.NaN, view)).toBe(PANE_LIMITS.side)
    // A window too small for both: the pane keeps its minimum.
    expect(paneSize('dock', 500, { width: 300, height: 300 })).toBe(PANE_LIMITS.dock)
    expect(dockShare(view)).toBe(Math.round(0.4 * 954))
    expect(dockShare({ height: 400 })).toBe(220)
  })

  it('are the chosen ones within the window; the dock takes its share until one is chosen', () => {
    expect(currentPaneSize('dock', DEFAULT_PANES, view)).toBe(dockShare(view))
    expect(currentPaneSize('dock', { ...DEFAULT_PANES, dock: 300 }, view)).toBe(300)
    expect(currentPaneSize('side', { ...DEFAULT_PANES, side: 5000 }, view)).toBe(1600 - PANE_LIMITS.canvasWidth)
    expect(currentPaneSize('side', { ...DEFAULT_PANES, side: 420 }, { width: 600, height: 600 })).toBe(PANE_LIMITS.side)
  })

  it('are kept across restarts, folded or not, and a broken preference falls back to the defaults', async () => {
    const s = useSettingsStore()
    s.resizePane('dock', 480.4, view)
    s.resizePane('side', 9999, view)
    s.togglePane('side')
    await nextTick()
    setActivePinia(createPinia())
    const again = useSettingsStore()
    expect(again.panes).toEqual({ dock: 480, side: 1600 - PANE_LIMITS.canvasWidth, dockCollapsed: false, sideCollapsed: true })
    localStorage.setItem('podnet.panes', '{"dock":"x","side":null,"dockCollapsed":1}')
    setActivePinia(createPinia())
    expect(useSettingsStore().panes).toEqual({ dock: 0, side: 400, dockCollapsed: false, sideCollapsed: false })
  })
})
