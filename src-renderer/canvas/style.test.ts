import cytoscape from 'cytoscape'
import { describe, expect, it } from 'vitest'
import { BLANK_IMAGE, stylesheet } from './style.ts'

// Every node draws a background image: Cytoscape marks a node without one as "backgrounding"
// and back again at each draw, which restyles it with its whole box twice per draw (the longest
// frames of a pan). Nodes without an icon draw a blank one, unseen; icons stay visible.
describe('the canvas stylesheet', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`gives every node an image, and shows only icons (${theme})`, () => {
      const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet(theme) })
      cy.add([
        { group: 'nodes', data: { id: 'box', label: 'node1', w: 80, h: 50, fs: 12 }, classes: 'box role-node collapsed' },
        { group: 'nodes', data: { id: 'pod', label: 'pod1' }, classes: 'pod' },
        { group: 'nodes', data: { id: 'port', label: 'to-node1' }, classes: 'iface kind-veth dev-port' },
        { group: 'nodes', data: { id: 'nic', label: 'eth0' }, classes: 'iface kind-physical dev-nic' },
        { group: 'nodes', data: { id: 'bridge', label: 'cbr0' }, classes: 'iface kind-bridge dev-bridge' },
        { group: 'nodes', data: { id: 'down', label: 'eth0' }, classes: 'iface kind-veth dev-veth down' },
      ])
      const image = (id: string) => ({ url: String(cy.getElementById(id).style('background-image')), opacity: Number(cy.getElementById(id).style('background-image-opacity')) })
      for (const id of ['box', 'pod', 'port']) expect(image(id), id).toEqual({ url: BLANK_IMAGE, opacity: 0 })
      for (const id of ['nic', 'bridge', 'down']) {
        expect(image(id).url, id).not.toBe(BLANK_IMAGE)
        expect(image(id).url, id).toMatch(/^data:image\/svg\+xml/)
        expect(image(id).opacity, id).toBe(1)
      }
      cy.destroy()
    })
  }
})
