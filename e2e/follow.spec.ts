import { expect, test, type Page } from '@playwright/test'
import { failOnPageErrors, newHundredNodeLab, openScenario, SHOTS } from './player-helpers.ts'
import { findStep, stepRow } from './trace-steps.ts'

// The canvas follows the packet: in a 100-node lab zoomed in, the view pans to each hop (never
// zooming out); the hop's deciding table entry, or the reason of a drop, is said beside it.

test.use({ viewport: { width: 1600, height: 1000 } })

const watch = failOnPageErrors()

/** Whether the label beside the current hop is inside the canvas. */
async function tagInView(page: Page): Promise<boolean> {
  const tag = await page.getByTestId('step-tag').boundingBox()
  const canvas = await page.getByTestId('canvas').boundingBox()
  if (!tag || !canvas) return false
  return tag.x >= canvas.x && tag.x <= canvas.x + canvas.width && tag.y >= canvas.y && tag.y + tag.height / 2 <= canvas.y + canvas.height
}

test('a 100-node lab zoomed in: the view pans to the hop, which says the entry that decided', async ({ page }) => {
  test.setTimeout(120_000)
  watch(page)
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await newHundredNodeLab(page)
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod200')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod200')
  await page.keyboard.press('Space')
  // Zoom in on the first node with the mouse wheel, as a learner looks closer.
  await page.keyboard.press('Home')
  const box = (await page.getByTestId('canvas').boundingBox())!
  await page.mouse.move(box.x + 120, box.y + 120)
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400)
  await page.getByTestId('trace-steps').focus()
  // The route lookup in pod1: the entry that decided is said beside it.
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('step-tag')).toContainText('default via 10.244.1.1 dev eth0')
  expect(await tagInView(page)).toBe(true)
  // The encapsulation on node1, then the last step at pod200 on node100, far away: the view follows.
  const encap = Number(await (await findStep(page, { css: '[data-kind="encap"]' })).getAttribute('data-step'))
  for (let i = 1; i < encap; i++) await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('step-tag')).toBeVisible()
  // Two hops on: the outer packet on its way, the inner one riding the tunnel.
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await page.screenshot({ path: `${SHOTS}/follow-100-tunnel.png` })
  await page.keyboard.press('End')
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-highlighted', /pod1(\/|$)/)
  const deliver = Number(await (await findStep(page, { css: '[data-kind="deliver"]' })).getAttribute('data-step'))
  await (await stepRow(page, deliver - 1)).click()
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-highlighted', /pod200/)
  await expect(page.getByTestId('step-tag')).toContainText('local 10.244')
  await expect.poll(() => tagInView(page)).toBe(true)
  await page.screenshot({ path: `${SHOTS}/follow-100-en.png` })
})

test('a drop is marked where it happens, with the reason, in both languages', async ({ page }) => {
  watch(page)
  await openScenario(page, 'flannel-vxlan')
  // First the way through: on the underlay, the outer packet carries the inner one, which rides the tunnel.
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await page.keyboard.press('Space')
  await (await findStep(page, { css: '[data-kind="bridge"][data-at="underlay"]', last: true })).click()
  await expect(page.getByTestId('step-tag')).toContainText('master br0')
  await page.screenshot({ path: `${SHOTS}/tunnel-en.png` })
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node1')
  await page.getByTestId('ns-select').press('Enter')
  await page.locator('[data-testid="routes"] li', { hasText: '10.244.2.0/24' }).getByRole('button').click()
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('never')
  await (await findStep(page, { css: '[data-kind="drop"]' })).click()
  const tag = page.getByTestId('step-tag')
  await expect(tag).toHaveClass(/drop/)
  await expect(tag).toContainText('Dropped: the FIB has no route to 10.244.2.3')
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-highlighted', /node1\/cbr0/)
  await page.screenshot({ path: `${SHOTS}/drop-en.png` })
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(tag).toContainText('破棄：cbr0 で受信した 10.244.2.3 宛て')
  await page.screenshot({ path: `${SHOTS}/drop-ja.png` })
})
