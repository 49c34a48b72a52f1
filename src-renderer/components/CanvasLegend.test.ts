// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import CanvasLegend from './CanvasLegend.vue'
import { stylesheet } from '../canvas/style.ts'
import { THEMES, type ThemeName } from '../canvas/theme.ts'

const labels = { veth: 'veth pair', port: 'bridge port', down: 'link down', nic: 'NIC', vethEnd: 'veth end', bridge: 'bridge', vxlan: 'VXLAN device', switchPort: 'switch port', trail: 'path', flood: 'flood' }

/** A style value of the stylesheet rule with this selector. */
function ruleValue(theme: ThemeName, selector: string, prop: string): unknown {
  const rule = (stylesheet(theme) as unknown as { selector: string; style: Record<string, unknown> }[]).find((r) => r.selector === selector)
  return rule?.style[prop]
}

/** A colour as this DOM reports it (happy-dom keeps `#rrggbb` as written). */
const rgb = (hex: string): string => hex

describe('the canvas legend', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`shows the colours the ${theme} stylesheet draws with`, () => {
      const w = mount(CanvasLegend, { props: { theme, labels, tunnel: { text: 'VXLAN tunnel', hidden: false }, part: 'drawing' } })
      const swatch = (text: string) => w.findAll('span').find((s) => s.text() === text)!.find('i').element as HTMLElement
      expect(swatch('veth pair').style.borderTop).toContain(rgb(ruleValue(theme, 'edge', 'line-color') as string))
      expect(swatch('bridge port').style.borderTop).toContain(rgb(ruleValue(theme, 'edge.port', 'line-color') as string))
      expect(swatch('VXLAN tunnel').style.borderTop).toContain(rgb(ruleValue(theme, 'edge.tunnel', 'line-color') as string))
      expect(swatch('link down').style.borderTop).toContain(rgb(ruleValue(theme, 'edge.down', 'line-color') as string))
      for (const [text, kind] of [['NIC', 'nic'], ['veth end', 'veth'], ['switch port', 'port'], ['bridge', 'bridge']] as const) {
        const el = swatch(text)
        expect(el.style.background, text).toContain(rgb(ruleValue(theme, `node.iface.dev-${kind}`, 'background-color') as string))
        expect(el.style.borderColor, text).toBe(rgb(THEMES[theme].device[kind][1]))
      }
      // The trail has a key of its own, shown with a trace.
      expect(w.text()).not.toContain('path')
      const trace = mount(CanvasLegend, { props: { theme, labels, tunnel: null, part: 'trace' } })
      expect(trace.findAll('span').map((s) => s.text())).toEqual(['path', 'flood'])
    })
  }
})
