// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceView } from '../../shared/api.ts'
import { installBackend, settle } from '../../test/unit/renderer-backend.ts'
import { stepsTouching } from '../player/player.ts'
import { useLabStore } from '../stores/lab.ts'
import { useTraceStore } from '../stores/trace.ts'
import TracePanel from './TracePanel.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

/** A real trace of ten probes across flannel's overlay, told over and over until it has `n` steps. */
function longTrace(t: TraceView, n: number): TraceView {
  const probes = t.probes?.length ?? 1
  const steps = Array.from({ length: n }, (_, i) => {
    const s = t.steps[i % t.steps.length]
    const round = Math.floor(i / t.steps.length)
    return { ...s, n: i + 1, probe: (s.probe ?? 1) + round * probes }
  })
  return { ...t, steps, probes: Array.from({ length: Math.ceil(n / t.steps.length) * probes }, (_, i) => ({ probe: i + 1, outcome: 'delivered' as const })) }
}

describe('the trace panel step list', () => {
  it('mounts only the rows in sight of a 5,000-step trace, and brings a selected step into them', async () => {
    const api = installBackend('flannel-vxlan')
    const lab = useLabStore()
    await lab.init()
    const real = await api.trace({ from: 'pod1', to: 'pod4', count: 10 })
    expect(real.delivered).toBe(true)
    const trace = useTraceStore()
    trace.current = longTrace(real, 5000)
    const w = mount(TracePanel, { attachTo: document.body })
    await settle()

    const list = w.get('[data-testid="trace-steps"]')
    const mounted = (): number[] => list.findAll('[data-step]').map((e) => Number(e.attributes('data-step')))
    // A bounded window from the top, not 5,000 rows; each row says where it is in the whole list.
    expect(mounted().length).toBeGreaterThan(3)
    expect(mounted().length).toBeLessThan(60)
    expect(mounted()[0]).toBe(0)
    const rows = list.findAll('[role="listitem"]')
    expect(rows[0].attributes('aria-setsize')).toBe('5000')
    expect(rows.map((r) => Number(r.attributes('aria-posinset')))).toEqual(mounted().map((i) => i + 1))
    expect(list.text()).toContain('— Probe 1 —')
    expect(list.attributes('data-player-keys')).toBeDefined()
    expect(list.attributes('tabindex')).toBe('0')

    // Selecting step 4,000 scrolls the list to it: its row is mounted and marked, the top is gone.
    trace.select(3999)
    await settle()
    expect(mounted()).toContain(3999)
    expect(mounted()).not.toContain(0)
    expect(mounted().length).toBeLessThan(60)
    expect(list.get('[aria-current="step"]').attributes('data-step')).toBe('3999')
    expect(list.get('[data-step="3999"]').text()).toContain(String(4000))
    // A row in sight has a probe heading where its probe starts, a reply heading where the reply does.
    const steps = trace.current.steps
    for (const row of list.findAll('[role="listitem"]')) {
      const i = Number(row.get('[data-step]').attributes('data-step'))
      expect(row.text().includes(`— Probe ${steps[i].probe} —`)).toBe(steps[i].probe !== steps[i - 1].probe)
      expect(row.text().includes('— The reply —')).toBe(steps[i].role === 'reply' && steps[i - 1].role !== 'reply' && steps[i].probe === steps[i - 1].probe)
    }
    expect(list.text()).toContain('— The reply —')

    // A click on another row in sight selects it.
    await list.get('[data-step="3995"]').trigger('click')
    expect(trace.selected).toBe(3995)

    // Only the steps at node2: the list holds that many rows, still a bounded window of them.
    trace.setFocus('node2')
    await settle()
    const here = stepsTouching(trace.current.steps, 'node2').length
    expect(here).toBeGreaterThan(100)
    expect(list.get('[role="listitem"]').attributes('aria-setsize')).toBe(String(here))
    expect(mounted().length).toBeLessThan(60)
    expect(mounted().every((i) => stepsTouching(trace.current!.steps, 'node2').includes(i))).toBe(true)
    w.unmount()
    lab.dispose()
  })
})
