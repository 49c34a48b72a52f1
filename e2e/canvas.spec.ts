import { expect, test, type Page } from '@playwright/test'
import { openAppEachTest } from './canvas-page.ts'
import type { Core } from 'cytoscape'

// The canvas as a learner uses it at 1600 x 1000: what the drawing shows and how it looks in
// both themes. The Cytoscape instance is read (never changed) through the handle the library
// keeps on its container.

openAppEachTest()


async function scenario(page: Page, name: string): Promise<void> {
  await page.locator('#scenario-picker').selectOption(name)
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText(name)
}

/** Classes and parent of canvas elements, by id. */
async function elements(page: Page, ids: string[]): Promise<Record<string, { classes: string; parent: string; style: Record<string, string> }>> {
  return page.getByTestId('canvas').evaluate((el, ids) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const out: Record<string, { classes: string; parent: string; style: Record<string, string> }> = {}
    for (const id of ids) {
      const e = cy.getElementById(id)
      if (e.empty()) continue
      const style: Record<string, string> = { shape: String(e.style('shape')), bg: String(e.style('background-color')), image: String(e.style('background-image')) }
      out[id] = { classes: e.classes().join(' '), parent: e.isNode() && e.parent().nonempty() ? e.parent().first().id() : '', style }
    }
    return out
  }, ids)
}

test('the drawing nests node ⊃ pod ⊃ interface, gives each device its shape, and a link down shows', async ({ page }) => {
  await scenario(page, 'flannel-vxlan')
  const host = await page.evaluate<string>("window.podnet.getState().then((s) => s.topology.namespaces.find((n) => n.name === 'pod1').devices.find((d) => d.name === 'eth0').peer.device)")
  const ids = ['ns:pod1', 'if:pod1/eth0', `if:node1/${host}`, 'if:node1/eth0', 'if:node1/cbr0', 'if:node1/flannel.1', 'if:underlay/to-node1']
  const e = await elements(page, ids)
  expect(e['ns:pod1'].parent).toBe('ns:node1')
  expect(e['if:pod1/eth0'].parent).toBe('ns:pod1')
  expect(e[`if:node1/${host}`].parent).toBe('ns:node1')
  const shapes = Object.fromEntries(ids.slice(1).map((id) => [id, e[id].style.shape]))
  expect(shapes).toEqual({ 'if:pod1/eth0': 'ellipse', [`if:node1/${host}`]: 'ellipse', 'if:node1/eth0': 'rectangle', 'if:node1/cbr0': 'round-rectangle', 'if:node1/flannel.1': 'hexagon', 'if:underlay/to-node1': 'rectangle' })
  for (const id of ['if:node1/eth0', 'if:node1/cbr0', 'if:node1/flannel.1']) expect(e[id].style.image, id).toMatch(/^data:image\/svg\+xml/)
  await page.screenshot({ path: '/tmp/ui-e2e-drawing.png' })
  // pod1's eth0 down: crossed out, its link red and broken.
  await page.getByRole('tab', { name: 'Namespace' }).click()
  const picker = page.getByTestId('ns-select')
  await picker.fill('pod1')
  await picker.press('Enter')
  await page.getByTestId('devices').locator('[data-device="eth0"]').getByRole('button', { name: 'Set down' }).click()
  await expect.poll(async () => (await elements(page, ['if:pod1/eth0']))['if:pod1/eth0'].classes).toContain('down')
  const link = await page.getByTestId('canvas').evaluate((el) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const edge = cy.getElementById('if:pod1/eth0').connectedEdges().first()
    return { classes: edge.classes().join(' '), color: edge.style('line-color'), style: edge.style('line-style') }
  })
  expect(link.classes).toContain('down')
  expect(link.style).toBe('dashed')
  expect(link.color).toBe('rgb(220,38,38)')
  await page.screenshot({ path: '/tmp/ui-e2e-link-down.png' })
})

test('the dark theme recolours the page and the canvas, and the choice is kept', async ({ page }) => {
  await scenario(page, 'flannel-vxlan')
  const lightBg = await page.evaluate<string>("getComputedStyle(document.querySelector('.side')).backgroundColor")
  await page.getByTestId('theme').click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.side')).backgroundColor")).not.toBe(lightBg)
  const e = await elements(page, ['ns:node1'])
  expect(e['ns:node1'].style.bg).toBe('rgb(30,41,59)')
  await page.screenshot({ path: '/tmp/ui-e2e-dark.png' })
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByRole('button', { name: '日本語' }).click()
  await page.screenshot({ path: '/tmp/ui-e2e-dark-ja.png' })
})
