import { expect, test, type Page } from '@playwright/test'
import { openAppEachTest } from './canvas-page.ts'
import { bigLab } from './build-helpers.ts'
import type { Core } from 'cytoscape'

// Big labs in the browser build, with real mouse events at 1600 x 1000: what is drawn far out and
// close up, panning that never moves a pod, moving one on purpose, and finding a pod among
// thousands. The canvas's Cytoscape instance is read (never changed) through the handle the
// library keeps on its container, to know where things are drawn.

openAppEachTest()
// Building and drawing thousands of pods takes seconds, more when the machine is shared.
test.setTimeout(120_000)



interface Drawn {
  exists: boolean
  open: boolean
  label: string
  x: number
  y: number
  /** Left and right edges. */
  x1: number
  x2: number
}

/** Where an element is drawn, in page pixels, and whether it is a box drawn in full. */
async function drawn(page: Page, id: string): Promise<Drawn> {
  return page.getByTestId('canvas').evaluate((el, id) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const e = cy.getElementById(id)
    if (e.empty()) return { exists: false, open: false, label: '', x: 0, y: 0, x1: 0, x2: 0 }
    const r = el.getBoundingClientRect()
    const bb = e.renderedBoundingBox({ includeLabels: false })
    return { exists: true, open: e.isNode() && e.isParent(), label: String(e.data('label')), x: r.left + (bb.x1 + bb.x2) / 2, y: r.top + (bb.y1 + bb.y2) / 2, x1: r.left + bb.x1, x2: r.left + bb.x2 }
  }, id)
}

async function view(page: Page): Promise<{ zoom: number; x: number; y: number }> {
  return page.getByTestId('canvas').evaluate((el) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    return { zoom: cy.zoom(), ...cy.pan() }
  })
}

/** A slow drag with the mouse, as a hand does it. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, modifier?: 'Alt'): Promise<void> {
  if (modifier) await page.keyboard.down(modifier)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 12, from.y + ((to.y - from.y) * i) / 12)
  await page.mouse.up()
  if (modifier) await page.keyboard.up(modifier)
}

/** Picks a namespace in the Lab tab's searchable list, which also brings it into view. */
async function find(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Lab' }).click()
  await page.getByTestId('ns-search').fill(name)
  await page.getByTestId('ns-list').getByRole('button', { name: new RegExp(`^pod ${name}\\b`) }).first().click()
  await expect(page.locator('.ns h2')).toHaveText(name)
}

test('in a 100-node lab, far-out nodes are summary boxes that open when zoomed in on', async ({ page }) => {
  await bigLab(page, 100, 4)
  const node1 = await drawn(page, 'ns:node1')
  expect(node1.open).toBe(false)
  expect(await drawn(page, 'ns:pod1')).toMatchObject({ exists: false })
  await page.screenshot({ path: '/tmp/ui-e2e-big-far.png' })
  // Far out a node still says how many pods it runs, and the underlay is named in a band above the grid.
  expect(node1.label).toMatch(/^node1( {2}· {2}|\n)4 pods$|^node1\n192\.168\.0\.11\n4 pods$/)
  const band = await drawn(page, 'ns:underlay#banner')
  expect(band).toMatchObject({ exists: true, label: 'underlay  ·  L2 switch  ·  100 ports' })
  expect(band.x2 - band.x1).toBeGreaterThan(node1.x2 - node1.x1)
  // The wheel zooms in where the mouse is.
  await page.mouse.move(node1.x, node1.y)
  const far = (await view(page)).zoom
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -100)
  await expect.poll(async () => (await view(page)).zoom).toBeGreaterThan(far)
  // Zoomed in with the buttons, the node in the middle of the view opens once the view rests;
  // far ones stay closed.
  while ((await view(page)).zoom < 0.35) await page.getByRole('button', { name: 'Zoom in' }).click()
  const box = (await page.getByTestId('canvas').boundingBox())!
  const middle = await page.getByTestId('canvas').evaluate((el, p) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const hit = cy.nodes('.box').filter((n) => {
      const bb = n.renderedBoundingBox({ includeLabels: false })
      return bb.x1 <= p.x && p.x <= bb.x2 && bb.y1 <= p.y && p.y <= bb.y2
    })
    return hit.nonempty() ? hit.first().id() : ''
  }, { x: box.width / 2, y: box.height / 2 })
  expect(middle).toMatch(/^ns:node\d+$/)
  await expect.poll(async () => (await drawn(page, middle)).open).toBe(true)
  expect((await drawn(page, 'ns:node100')).open).toBe(false)
  await page.screenshot({ path: '/tmp/ui-e2e-big-near.png' })
})

test('panning over pods moves the view, never a pod; a selected pod, or any with Alt, drags onto another node', async ({ page }) => {
  await bigLab(page, 100, 4)
  await find(page, 'pod6')
  const pod5 = await drawn(page, 'ns:pod5')
  expect(pod5.exists).toBe(true)
  // A drag that starts on an unselected pod pans.
  const before = await view(page)
  await drag(page, pod5, { x: pod5.x + 150, y: pod5.y + 90 })
  const after = await view(page)
  expect(after.x - before.x).toBeCloseTo(150, -1)
  expect(after.y - before.y).toBeCloseTo(90, -1)
  await expect(page.getByTestId('topology-outline')).toContainText('pod5: pod (node2)')
  await expect(page.getByTestId('dirty')).toBeHidden()
  // The selected pod (pod6, picked in the list) moves when dragged onto node1's box (its near end).
  const pod6 = await drawn(page, 'ns:pod6')
  const node1 = await drawn(page, 'ns:node1')
  expect(node1.x2).toBeGreaterThan(60)
  await drag(page, pod6, { x: node1.x2 - 40, y: node1.y })
  await expect(page.getByTestId('topology-outline')).toContainText('pod6: pod (node1)')
  await page.getByRole('tab', { name: 'Lab' }).click()
  await expect(page.getByTestId('history')).toContainText('podnet pod move pod6 --node node1')
  // With Alt held, an unselected pod moves too.
  const pod7 = await drawn(page, 'ns:pod7')
  const again = await drawn(page, 'ns:node1')
  await drag(page, pod7, { x: again.x2 - 40, y: again.y }, 'Alt')
  await expect(page.getByTestId('topology-outline')).toContainText('pod7: pod (node1)')
  await page.screenshot({ path: '/tmp/ui-e2e-big-moved.png' })
})

test('a 2,000-pod lab keeps the page small, and its lists find any pod', async ({ page }) => {
  await bigLab(page, 100, 20)
  expect(await page.evaluate<number>("document.getElementsByTagName('*').length")).toBeLessThan(1500)
  // The Lab tab lists namespaces virtually: a few dozen rows in the page, any of 2,101 found.
  await page.getByTestId('ns-search').fill('pod1234')
  const list = page.getByTestId('ns-list')
  await expect(list.getByRole('button')).toHaveCount(1)
  await list.getByRole('button', { name: /pod1234/ }).click()
  await expect(page.locator('.ns h2')).toHaveText('pod1234')
  // The canvas went to it and drew it in full, in the middle of the view.
  const pod = await drawn(page, 'ns:pod1234')
  const box = (await page.getByTestId('canvas').boundingBox())!
  expect(Math.abs(pod.x - (box.x + box.width / 2))).toBeLessThan(5)
  expect((await view(page)).zoom).toBeGreaterThanOrEqual(0.3)
  // The trace pickers search too: the destination by typing part of its name.
  await page.getByRole('tab', { name: 'Trace' }).click()
  const to = page.getByTestId('trace-to')
  await to.fill('pod199')
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(11)
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(to).toHaveValue('pod1990')
  await page.screenshot({ path: '/tmp/ui-e2e-big-search.png' })
  expect(await page.evaluate<number>("document.getElementsByTagName('*').length")).toBeLessThan(3000)
})
