import { expect, test } from '@playwright/test'
import { openAppEachTest } from './canvas-page.ts'
import { boxOf, centreOf, dragFromPalette, emptyLab, emptySpot, freeSpot, history, wire } from './build-helpers.ts'

// Building a lab on the canvas with the mouse, as a learner does at 1600 x 1000: items dragged
// from the palette, wires drawn between devices, refusals shown where they happen, Delete and undo.
// Real mouse events (page.mouse down/move/up); the Cytoscape instance is only read, to find
// where a box is drawn.

openAppEachTest()


test('walkthrough 2 built from an empty lab with the mouse only: palette, wiring, a trace from pod1 to pod4, undo and Delete', async ({ page }) => {
  // Some twenty gestures, each an edit the Worker applies: more than the default time on a loaded machine.
  test.setTimeout(120_000)
  await emptyLab(page)
  const outline = page.getByTestId('topology-outline')
  await expect(outline.locator('li')).toHaveCount(0)

  // A switch on the empty canvas, a node dropped onto it (joins it), another beside (wired after).
  await dragFromPalette(page, 'switch', await emptySpot(page))
  await expect(outline).toContainText('sw1: switch')
  await dragFromPalette(page, 'node', await centreOf(page, 'sw1'))
  await expect(outline).toContainText('node1: node 192.168.0.11/24')
  // Beside the switch, not on it (it stays where it was dropped).
  await dragFromPalette(page, 'node', await freeSpot(page))
  await expect(outline).toContainText('node2: node')
  await expect(outline).not.toContainText('node2: node 192.168')
  await page.getByTestId('palette').locator('[data-item="wire"]').click()
  await wire(page, 'node2', 'sw1')
  await expect(outline).toContainText('node2: node 192.168.0.12/24')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('palette').locator('[data-item="wire"]')).toHaveAttribute('aria-pressed', 'false')

  // A pod dropped on empty canvas is refused, next to where it was dropped, and nothing changes.
  const spot = await emptySpot(page)
  await dragFromPalette(page, 'pod', { x: spot.x, y: spot.y - 200 })
  await expect(page.getByTestId('canvas-bubble')).toContainText('A pod runs on a node')
  await expect(outline).not.toContainText('pod1')

  // Two pods into each node: the CNI plugin gives each its address.
  for (const node of ['node1', 'node1', 'node2', 'node2']) await dragFromPalette(page, 'pod', await centreOf(page, node))
  for (const line of ['pod1: pod (node1) 10.244.1.2/24', 'pod2: pod (node1) 10.244.1.3/24', 'pod3: pod (node2) 10.244.2.2/24', 'pod4: pod (node2) 10.244.2.3/24']) await expect(outline).toContainText(line)
  await page.screenshot({ path: '/tmp/canvas-e2e-built.png' })
  expect(await history(page)).toEqual([
    'podnet switch add sw1',
    'podnet node add node1 --switch sw1',
    'podnet node add node2',
    'podnet link add node2 sw1',
    'podnet pod add pod1 --node node1',
    'podnet pod add pod2 --node node1',
    'podnet pod add pod3 --node node2',
    'podnet pod add pod4 --node node2',
  ])

  // The packet goes from pod1 to pod4 across the switch.
  await page.getByRole('tab', { name: 'Trace' }).click()
  const fromField = page.getByTestId('trace-from')
  await fromField.click()
  await fromField.fill('pod1')
  await fromField.press('Enter')
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await page.screenshot({ path: '/tmp/canvas-e2e-trace.png' })

  // Each action is one undo step.
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline).not.toContainText('pod4')
  await page.getByRole('button', { name: /Redo/ }).click()
  await expect(outline).toContainText('pod4: pod (node2)')

  // Delete on a selected node with pods asks first; the answer deletes it with its pods, one step.
  const box = await boxOf(page, 'node2')
  await page.mouse.click((box.x1 + box.x2) / 2, box.y1 + 6)
  await expect(page.locator('.ns h2')).toHaveText('node2')
  await page.keyboard.press('Delete')
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('node2 runs 2 pods')
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(outline).not.toContainText('node2')
  await expect(outline).not.toContainText('pod3')
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline).toContainText('pod3: pod (node2) 10.244.2.2/24')
})

test('in Japanese: refusals of the lab are worded next to the wire that caused them', async ({ page }) => {
  await emptyLab(page)
  await page.getByRole('button', { name: '日本語' }).click()
  const outline = page.getByTestId('topology-outline')
  await dragFromPalette(page, 'switch', await emptySpot(page))
  await expect(outline).toContainText('sw1')
  await dragFromPalette(page, 'switch', { x: (await emptySpot(page)).x - 400, y: (await emptySpot(page)).y - 300 })
  await expect(outline).toContainText('sw2')
  await page.getByTestId('palette').locator('[data-item="wire"]').click()
  await wire(page, 'sw1', 'sw2')
  await expect(page.getByTestId('canvas-bubble')).toContainText('どちらもスイッチです')
  await expect(page.getByTestId('error')).toHaveCount(0)
  await page.screenshot({ path: '/tmp/canvas-e2e-refused-ja.png' })
  expect(await history(page)).toEqual(['podnet switch add sw1', 'podnet switch add sw2'])
})

test('the context menu of a box: trace from and to it, and delete it (one undo step)', async ({ page }) => {
  await page.locator('#scenario-picker').selectOption('routed')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('routed')
  const outline = page.getByTestId('topology-outline')
  const menuOn = async (ns: string) => {
    const b = await boxOf(page, ns)
    await page.mouse.click((b.x1 + b.x2) / 2, b.y1 + 6, { button: 'right' })
    await expect(page.getByTestId('canvas-menu')).toBeVisible()
  }
  await menuOn('node1')
  await page.getByTestId('canvas-menu').locator('[data-action="traceFrom"]').click()
  await menuOn('node2')
  await page.getByTestId('canvas-menu').locator('[data-action="traceTo"]').click()
  await expect(page.getByTestId('trace-from')).toHaveValue('node1')
  await expect(page.getByTestId('trace-to')).toHaveValue('node2')
  await menuOn('node2')
  await page.getByTestId('canvas-menu').locator('[data-action="delete"]').click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
  await expect(outline).not.toContainText('node2')
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline).toContainText('node2: node')
})
