import cytoscape, { type Core, type NodeSingular } from 'cytoscape'
import { describe, expect, it, vi } from 'vitest'
import { stylesheet } from './style.ts'
import { styleTriggersOnce } from './style-triggers.ts'

/** A node box holding two pods, each with an interface, and a veth between the interfaces. */
function box(): Core {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [...stylesheet('light'), { selector: 'node.hidden', style: { display: 'none' } }, { selector: 'node.faded', style: { opacity: 0.2 } }] as never,
    elements: [
      { group: 'nodes', data: { id: 'ns:node1', label: 'node1' }, classes: 'box role-node' },
      { group: 'nodes', data: { id: 'ns:pod1', parent: 'ns:node1', label: 'pod1' }, classes: 'pod', position: { x: 0, y: 0 } },
      { group: 'nodes', data: { id: 'ns:pod2', parent: 'ns:node1', label: 'pod2' }, classes: 'pod', position: { x: 200, y: 0 } },
      { group: 'nodes', data: { id: 'if:pod1/eth0', parent: 'ns:pod1', label: 'eth0' }, classes: 'iface dev-veth', position: { x: 0, y: 0 } },
      { group: 'nodes', data: { id: 'if:pod2/eth0', parent: 'ns:pod2', label: 'eth0' }, classes: 'iface dev-veth', position: { x: 200, y: 0 } },
      { group: 'edges', data: { id: 'veth:1', source: 'if:pod1/eth0', target: 'if:pod2/eth0' }, classes: 'veth' },
    ],
  })
  styleTriggersOnce(cy)
  return cy
}

describe('style triggers once per styling', () => {
  it('still clears what the descendants cached: a box hidden hides its pods and their link, shown again shows them', () => {
    const cy = box()
    const iface = cy.getElementById('if:pod1/eth0') as NodeSingular
    const edge = cy.getElementById('veth:1')
    expect(iface.visible()).toBe(true)
    expect(edge.visible()).toBe(true)
    cy.getElementById('ns:node1').addClass('hidden')
    expect(iface.visible()).toBe(false)
    expect(edge.visible()).toBe(false)
    cy.getElementById('ns:node1').removeClass('hidden')
    expect(iface.visible()).toBe(true)
    // An opacity set on the box reaches what it holds.
    cy.getElementById('ns:node1').addClass('faded')
    expect(iface.effectiveOpacity()).toBeCloseTo(0.2)
    cy.getElementById('ns:node1').removeClass('faded')
    expect(iface.effectiveOpacity()).toBeCloseTo(1)
  })

  it("clears an element's relatives once when it is styled, not once per property", () => {
    const cy = box()
    const proto = Object.getPrototypeOf(cy.collection()) as { dirtyStyleCache(): unknown }
    const spy = vi.spyOn(proto, 'dirtyStyleCache')
    // The box's class changes many of its properties (the selection's border, underlay...).
    const node = cy.getElementById('ns:node1') as NodeSingular
    node.addClass('sel')
    node.numericStyle('border-width')
    const calls = spy.mock.calls.length
    spy.mockRestore()
    expect(calls).toBe(1)
    expect(node.numericStyle('border-width')).toBe(3)
  })

  it('is applied once to the style shared by every instance', () => {
    const a = box()
    const b = box()
    const pa = Object.getPrototypeOf((a as unknown as { style(): object }).style())
    const pb = Object.getPrototypeOf((b as unknown as { style(): object }).style())
    expect(pa).toBe(pb)
    const before = pa.checkTriggers
    styleTriggersOnce(a)
    expect(pa.checkTriggers).toBe(before)
  })

  it("marks an element's bounds and its boxes' dirty once per styling, and they follow the new style", () => {
    const cy = box()
    const proto = Object.getPrototypeOf(cy.collection()) as { dirtyBoundingBoxCache(): unknown; dirtyCompoundBoundsCache(): unknown }
    const count = (spy: { mock: { contexts: unknown[] } }, id: string): number => spy.mock.contexts.filter((c) => Array.from(c as ArrayLike<{ id(): string }>).some((e) => e.id() === id)).length
    // A new interface in pod1, styled once for the first time: some 20 of its properties change its bounds.
    const bounds = vi.spyOn(proto, 'dirtyBoundingBoxCache')
    const boxes = vi.spyOn(proto, 'dirtyCompoundBoundsCache')
    const nic = cy.add({ group: 'nodes', data: { id: 'if:pod1/eth1', parent: 'ns:pod1', label: 'eth1' }, classes: 'iface dev-nic', position: { x: 40, y: 0 } }) as unknown as NodeSingular
    const added = { bounds: count(bounds, 'if:pod1/eth1'), boxes: count(boxes, 'if:pod1/eth1') }
    nic.numericStyle('width')
    const styled = { bounds: count(bounds, 'if:pod1/eth1') - added.bounds, boxes: count(boxes, 'if:pod1/eth1') - added.boxes }
    bounds.mockRestore()
    boxes.mockRestore()
    expect(styled).toEqual({ bounds: 1, boxes: 1 })
    // Its size is the nic's, and the pod around it grew to hold it.
    expect(nic.boundingBox({ includeLabels: false }).w).toBeCloseTo(25.5, 5)
    const pod = cy.getElementById('ns:pod1') as NodeSingular
    expect(pod.boundingBox({ includeLabels: false }).x2).toBeGreaterThan(40 + 11)
    // A wider border later: the interface's bounds follow.
    const before = nic.boundingBox({ includeLabels: false }).w
    nic.addClass('down')
    expect(nic.boundingBox({ includeLabels: false }).w - before).toBeCloseTo(1, 5)
  })
})
