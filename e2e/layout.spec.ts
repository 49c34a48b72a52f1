import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import type { Core, NodeSingular } from 'cytoscape'
import { openAppEachTest } from './canvas-page.ts'
import { listText } from './trace-steps.ts'

// Arranging a lab as a learner does, with the real mouse at 1600 x 1000: moving a node (its pods
// come along) and a pod, undo, saving and opening the file again, Re-layout; the dock and the side
// panel resized and folded. The Cytoscape instance is only read, through the handle the library
// keeps on its container.

openAppEachTest()

async function scenario(page: Page, name: string): Promise<void> {
  await page.locator('#scenario-picker').selectOption(name)
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText(name)
  // The new lab is fitted a moment after it is drawn: wait until two readings of the view agree.
  let last = ''
  await expect
    .poll(async () => {
      const before = last
      last = await page.getByTestId('canvas').evaluate((el) => {
        const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
        return JSON.stringify([cy.zoom(), cy.pan(), cy.nodes().length])
      })
      return last === before
    })
    .toBe(true)
}

/** Model positions of canvas elements, by id (compound boxes: the middle of what they hold). */
async function positions(page: Page, ids: string[]): Promise<Record<string, { x: number; y: number }>> {
  return page.getByTestId('canvas').evaluate((el, ids) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    return Object.fromEntries(ids.map((id) => [id, { ...(cy.getElementById(id) as NodeSingular).position() }]))
  }, ids)
}

/** An element's drawn box in window coordinates, and the zoom. */
async function onScreen(page: Page, id: string): Promise<{ x1: number; y1: number; x2: number; y2: number; zoom: number }> {
  return page.getByTestId('canvas').evaluate((el, id) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const r = el.getBoundingClientRect()
    const b = cy.getElementById(id).renderedBoundingBox({ includeLabels: false })
    return { x1: r.left + b.x1, y1: r.top + b.y1, x2: r.left + b.x2, y2: r.top + b.y2, zoom: cy.zoom() }
  }, id)
}

async function drag(page: Page, from: { x: number; y: number }, by: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + by.x / 2, from.y + by.y / 2, { steps: 6 })
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 6 })
  await page.mouse.up()
}

const layoutOf = (page: Page): Promise<Record<string, { x: number; y: number }> | null> => page.evaluate('window.podnet.getState().then((s) => s.layout ? s.layout.positions : null)')

test('a node moved with the mouse takes its pods along; a pod moves inside it; both are kept in the file and come back on open', async ({ page }) => {
  // Two labs, two drags, two saves and an open: a minute on a busy 2-core machine.
  test.setTimeout(90_000)
  await scenario(page, 'routed')
  const ids = ['ns:pod1', 'if:pod1/eth0', 'if:node1/eth0', 'ns:pod3', 'ns:underlay']
  const before = await positions(page, ids)
  // Click the node's box (its corner, clear of its devices) to select it, then drag it.
  const box = await onScreen(page, 'ns:node1')
  const corner = { x: box.x1 + 6, y: box.y1 + 6 }
  await page.mouse.click(corner.x, corner.y)
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-drawn', /\d/)
  await drag(page, corner, { x: -50, y: 60 })
  await expect.poll(() => layoutOf(page)).not.toBeNull()
  const dz = (v: number): number => v / box.zoom
  const after = await positions(page, ids)
  for (const id of ['ns:pod1', 'if:pod1/eth0', 'if:node1/eth0']) {
    expect(after[id].x - before[id].x, id).toBeCloseTo(dz(-50), 0)
    expect(after[id].y - before[id].y, id).toBeCloseTo(dz(60), 0)
  }
  // The other node stays where it was; the lab is modified.
  expect(after['ns:pod3']).toEqual(before['ns:pod3'])
  await expect(page.getByText('unsaved')).toBeVisible()
  await page.screenshot({ path: '/tmp/layout-e2e-moved-node.png' })

  // A pod: select it, drag it a little within its node.
  const pod = await onScreen(page, 'ns:pod1')
  const podAt = { x: (pod.x1 + pod.x2) / 2, y: pod.y2 - 4 }
  await page.mouse.click(podAt.x, podAt.y)
  await drag(page, podAt, { x: -30, y: 40 })
  await expect.poll(async () => (await layoutOf(page))?.pod1).toBeTruthy()
  const podMoved = await positions(page, ['ns:pod1', 'if:pod1/eth0', 'ns:node1'])
  // Moving the node did not change the view: the same zoom.
  expect(pod.zoom).toBe(box.zoom)
  expect(podMoved['ns:pod1'].x - after['ns:pod1'].x).toBeCloseTo(dz(-30), 0)
  expect(podMoved['ns:pod1'].y - after['ns:pod1'].y).toBeCloseTo(dz(40), 0)
  await page.screenshot({ path: '/tmp/layout-e2e-moved-pod.png' })

  // One undo step per drag: Ctrl+Z puts the pod back, Ctrl+Y moves it again.
  await page.mouse.click(5, 500)
  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await layoutOf(page))?.pod1 ?? null).toBeNull()
  await expect.poll(async () => (await positions(page, ['ns:pod1']))['ns:pod1']).toEqual(after['ns:pod1'])
  await page.keyboard.press('Control+y')
  await expect.poll(async () => (await positions(page, ['ns:pod1']))['ns:pod1']).toEqual(podMoved['ns:pod1'])

  // Save (the browser build downloads the file), open it again: everything where it was left.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save', exact: true }).click()])
  const file = await download.path()
  const text = readFileSync(file, 'utf8')
  expect(text).toMatch(/\nlayout:\n {2}positions:\n/)
  expect(text).toMatch(/ {4}node1: \{ x: -?[\d.]+, y: -?[\d.]+ \}\n/)
  expect(text).toMatch(/ {4}pod1: \{ x: -?[\d.]+, y: -?[\d.]+ \}\n/)
  await scenario(page, 'same-node')
  await page.getByTestId('open-file').setInputFiles(file)
  await expect(page.locator('.labname')).toHaveText('routed')
  await expect.poll(() => positions(page, ['ns:pod1', 'if:node1/eth0', 'ns:pod3'])).toEqual({ 'ns:pod1': podMoved['ns:pod1'], 'if:node1/eth0': after['if:node1/eth0'], 'ns:pod3': before['ns:pod3'] })
  await expect(page.getByText('unsaved')).toHaveCount(0)
  await page.screenshot({ path: '/tmp/layout-e2e-reopened.png' })

  // Re-layout: back to the automatic layout, modified, one undo step; the next save has no positions.
  await page.getByTestId('relayout').click()
  await expect.poll(() => layoutOf(page)).toBeNull()
  await expect.poll(() => positions(page, ['ns:pod1', 'if:node1/eth0'])).toEqual({ 'ns:pod1': before['ns:pod1'], 'if:node1/eth0': before['if:node1/eth0'] })
  await expect(page.getByText('unsaved')).toBeVisible()
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save', exact: true }).click()])
  expect(readFileSync(await again.path(), 'utf8')).not.toContain('layout:')
  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await positions(page, ['ns:pod1']))['ns:pod1']).toEqual(podMoved['ns:pod1'])
})

test('the dock and the side panel are resized by mouse and keyboard, fold away, and stay so after a restart; the canvas follows', async ({ page }) => {
  await scenario(page, 'flannel-vxlan')
  const canvasSize = (): Promise<{ w: number; h: number; cw: number; ch: number }> =>
    page.getByTestId('canvas').evaluate((el) => {
      const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
      return { w: Math.round(el.clientWidth), h: Math.round(el.clientHeight), cw: Math.round(cy.width()), ch: Math.round(cy.height()) }
    })
  const start = await canvasSize()
  const dockSplit = page.getByTestId('dock-splitter')
  const sb = (await dockSplit.boundingBox())!
  // Drag the dock's handle up by 150 pixels: the dock grows, the canvas (and Cytoscape's idea of it) shrinks.
  await drag(page, { x: sb.x + sb.width / 2, y: sb.y + 2 }, { x: 0, y: -150 })
  await expect.poll(async () => (await canvasSize()).h).toBe(start.h - 150)
  await expect.poll(async () => (await canvasSize()).ch).toBe(start.h - 150)
  // The side panel's handle, by keyboard: focus, ArrowLeft grows it by 16 pixels, Shift by 80.
  const sideSplit = page.getByTestId('side-splitter')
  const width0 = Number(await sideSplit.getAttribute('aria-valuenow'))
  await sideSplit.focus()
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('Shift+ArrowLeft')
  await expect(sideSplit).toHaveAttribute('aria-valuenow', String(width0 + 96))
  await expect.poll(async () => (await canvasSize()).cw).toBe(start.w - 96)
  await page.screenshot({ path: '/tmp/layout-e2e-panes-resized.png' })
  // Fold both away: the canvas takes the room.
  await page.getByTestId('dock-fold').click()
  await page.getByTestId('side-fold').click()
  await expect.poll(async () => (await canvasSize()).h).toBeGreaterThan(start.h + 100)
  await expect.poll(async () => (await canvasSize()).cw).toBeGreaterThan(start.w + 300)
  await page.screenshot({ path: '/tmp/layout-e2e-panes-folded.png' })
  // A restart keeps the folds and the sizes.
  await page.reload()
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-drawn', /[1-9]/)
  await expect(page.getByTestId('side-fold')).toHaveAttribute('aria-expanded', 'false')
  await expect(page.getByTestId('dock-fold')).toHaveAttribute('aria-expanded', 'false')
  // Enter on the side handle unfolds the panel; picking a dock tab shows the dock again, both at their sizes.
  await page.getByTestId('side-splitter').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('side-splitter')).toHaveAttribute('aria-valuenow', String(width0 + 96))
  await page.getByRole('tab', { name: 'Terminal' }).click()
  await expect(page.getByTestId('dock-fold')).toHaveAttribute('aria-expanded', 'true')
  await expect.poll(() => canvasSize()).toEqual({ w: start.w - 96, h: start.h - 150, cw: start.w - 96, ch: start.h - 150 })
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.getByTestId('side-fold')).toHaveAttribute('title', 'サイドパネルを隠す')
  await page.screenshot({ path: '/tmp/layout-e2e-panes-ja.png' })
})

test('walkthrough: a routes lab arranged by hand is converted to flannel VXLAN, keeps its arrangement, and a trace crosses flannel.1', async ({ page }) => {
  await scenario(page, 'routed')
  const box = await onScreen(page, 'ns:node2')
  const corner = { x: box.x2 - 6, y: box.y1 + 6 }
  await page.mouse.click(corner.x, corner.y)
  await drag(page, corner, { x: 40, y: 30 })
  await expect.poll(() => layoutOf(page)).not.toBeNull()
  const before = await layoutOf(page)
  const pod3 = await positions(page, ['ns:pod3'])
  await page.getByTestId('canvas-mode').selectOption('flannel-vxlan')
  await page.getByRole('dialog').getByRole('button', { name: 'Change mode' }).click()
  await expect.poll(() => page.evaluate('window.podnet.getState().then((s) => s.topology.mode)')).toBe('flannel-vxlan')
  // The VXLAN devices appear in both nodes; node2 stays where it was put.
  await expect.poll(async () => (await page.getByTestId('canvas').evaluate((el) => (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy.getElementById('if:node2/flannel.1').nonempty()))).toBe(true)
  // flannel.1 joins the top row of each node's box (a taller shape: the contents shift a few units).
  expect(await layoutOf(page)).toEqual(before)
  const after = (await positions(page, ['ns:pod3']))['ns:pod3']
  expect(Math.abs(after.x - pod3['ns:pod3'].x)).toBeLessThan(5)
  expect(Math.abs(after.y - pod3['ns:pod3'].y)).toBeLessThan(5)
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod3')
  await page.getByTestId('send-form').getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('pod3')
  expect(await listText(page)).toContain('flannel.1')
  await page.screenshot({ path: '/tmp/layout-e2e-vxlan.png' })
})
