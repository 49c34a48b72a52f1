import { describe, expect, it } from 'vitest'
import { alignHops, compareLabs, formatComparison, type CompareHop, type CompareInput } from './compare.ts'
import { instantiate } from './lab.ts'
import { scenarioLab } from './session.ts'
import type { Mode } from '../k8s/spec.ts'

/** A scenario's lab built afresh, moved to `mode` as `podnet cluster mode` does. */
function lab(scenario: string, mode?: Mode): CompareInput {
  const rt = instantiate(scenarioLab(scenario))
  if (mode && rt.cluster!.mode !== mode) rt.cluster!.setMode(mode)
  return { label: mode ?? scenario, world: rt.world, cluster: rt.cluster }
}

const req = { from: 'pod1', to: 'pod4' }

describe('compare: the same probe in two modes', () => {
  it('routes vs flannel VXLAN: 50 more bytes on the wire, 1500 vs 1450 through, the tunnel hops only on one side', () => {
    const c = compareLabs(lab('routed', 'routes'), lab('routed', 'flannel-vxlan'), req)
    const [r, v] = c.sides
    expect(r.delivered && v.delivered).toBe(true)
    expect(r.pathMtu).toBe(1500)
    // Pods made before the change keep MTU 1500; flannel.1's 1450 is what the path allows.
    expect(v.pathMtu).toBe(1450)
    expect(r.mtuSetBy).toEqual({ device: 'pod1 eth0', mtu: 1500 })
    expect(v.mtuSetBy).toEqual({ device: 'node1 flannel.1', mtu: 1450 })
    expect(r.wireBytes).toBe(14 + 20 + 8 + 56)
    expect(v.wireBytes - r.wireBytes).toBe(50)
    expect(v.devices).toContain('node1 flannel.1')
    expect(r.devices).not.toContain('node1 flannel.1')
    expect(v.tables.some((t) => t.startsWith('node1: ') && t.includes('dev flannel.1'))).toBe(true)
    // Aligned: the first and last hops on both sides; encapsulation and decapsulation only on VXLAN's.
    expect(c.rows[0]).toEqual([0, 0])
    expect(c.rows[c.rows.length - 1]).toEqual([r.hops.length - 1, v.hops.length - 1])
    const only = c.rows.filter(([a]) => a === null).map(([, b]) => v.hops[b!].kind)
    expect(only).toEqual(expect.arrayContaining(['encap', 'decap']))
    expect(r.hops.at(-1)!.kind).toBe('deliver')
    for (const [a, b] of c.rows) if (a !== null && b !== null) expect(`${r.hops[a].netns}|${r.hops[a].kind}`).toBe(`${v.hops[b].netns}|${v.hops[b].kind}`)
    // Every hop on VXLAN's underlay carries the outer headers: 148-byte frames between the nodes.
    const underlay = v.hops.filter((h) => h.netns === 'underlay')
    expect(underlay.length).toBeGreaterThan(0)
    for (const h of underlay) expect(h.bytes).toBe(148)
  })

  it('says what sets the path MTU: a VXLAN lab moved to routes keeps its pods at 1450, at their own eth0', () => {
    const c = compareLabs(lab('flannel-vxlan', 'routes'), lab('flannel-vxlan'), req)
    expect(c.sides.map((s) => s.pathMtu)).toEqual([1450, 1450])
    expect(c.sides[0].mtuSetBy).toEqual({ device: 'pod1 eth0', mtu: 1450 })
    expect(c.sides[1].mtuSetBy).toEqual({ device: 'pod1 eth0', mtu: 1450 })
    expect(c.sides[1].wireBytes - c.sides[0].wireBytes).toBe(50)
    expect(formatComparison(c)).toMatch(/MTU set by +pod1 eth0 +pod1 eth0/)
  })

  it('a lab that cannot deliver says so, and no size passes', () => {
    const broken = lab('host-gw-behind-router')
    const c = compareLabs(broken, lab('vxlan-behind-router'), req)
    expect(c.sides[0].delivered).toBe(false)
    expect(c.sides[0].pathMtu).toBeNull()
    expect(c.sides[1].delivered).toBe(true)
    expect(c.sides[1].pathMtu).toBe(1450)
    expect(formatComparison(c)).toMatch(/Path MTU \(largest DF\) +- +1450/)
    expect(c.sides[0].mtuSetBy).toBeUndefined()
    // Built for the overlay from the start: the pods themselves are at 1450.
    expect(formatComparison(c)).toMatch(/MTU set by +- +pod1 eth0/)
  })

  it('is deterministic: the same labs give the same comparison, byte for byte', () => {
    const a = JSON.stringify(compareLabs(lab('routed'), lab('flannel-vxlan'), req, 'ja'))
    const b = JSON.stringify(compareLabs(lab('routed'), lab('flannel-vxlan'), req, 'ja'))
    expect(a).toBe(b)
  })

  it('prints both columns lined up, in Japanese too (wide characters take two columns)', () => {
    const text = formatComparison(compareLabs(lab('routed'), lab('flannel-vxlan'), req, 'ja'), 'ja')
    const lines = text.split('\n')
    const mtu = lines.find((l) => l.startsWith('経路 MTU'))!
    const wire = lines.find((l) => l.startsWith('リンク上の最大フレーム'))!
    const col = (l: string, s: string): number => [...l.slice(0, l.indexOf(s))].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)
    expect(col(mtu, '1500')).toBe(col(wire, '98 バイト'))
    expect(wire).toContain('148 バイト (+50)')
  })
})

describe('alignHops', () => {
  const h = (netns: string, kind: string): CompareHop => ({ netns, kind, msg: '', params: {}, text: '' })
  it('keeps common hops on one row and the others alone, in order', () => {
    const a = [h('pod1', 'send'), h('node1', 'forward'), h('pod4', 'deliver')]
    const b = [h('pod1', 'send'), h('node1', 'forward'), h('node1', 'encap'), h('node2', 'decap'), h('pod4', 'deliver')]
    expect(alignHops(a, b)).toEqual([[0, 0], [1, 1], [null, 2], [null, 3], [2, 4]])
    expect(alignHops([], b).every(([x]) => x === null)).toBe(true)
    expect(alignHops(a, [])).toEqual([[0, null], [1, null], [2, null]])
  })
})
