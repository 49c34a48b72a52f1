import { expect, test, type Page } from '@playwright/test'
import type { Core } from 'cytoscape'
import { openAppEachTest } from './canvas-page.ts'
import { boxOf, centreOf, dragFromPalette, emptyLab, expectNoOverlaps, history, pickMode, pointOf, screenshotsInBothLanguages, sendTrace, shot, topBoxes, wire } from './build-helpers.ts'
import { listText } from './trace-steps.ts'

// The three walkthroughs and the two-subnet underlay behind a router, each built from an empty
// canvas with the real mouse at 1600 x 1000 (the keyboard only for the trace's ends), as a
// learner does: items dropped from the palette stay where they are let go, wires drawn with the
// wiring tool, the mode picked on the canvas; then a trace. Screenshots in English and Japanese.

openAppEachTest()

/** A point of the canvas, from its top-left corner, in pixels. */
async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const r = (await page.getByTestId('canvas').boundingBox())!
  return { x: r.x + x, y: r.y + y }
}

/** Where an element is in the drawing, in model units. */
const modelAt = (page: Page, id: string): Promise<{ x: number; y: number }> =>
  page.getByTestId('canvas').evaluate((el, id) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    return { ...cy.getElementById(id).position() }
  }, id)

const layoutOf = (page: Page): Promise<Record<string, { x: number; y: number }>> => page.evaluate('window.podnet.getState().then((s) => (s.layout ? s.layout.positions : {}))')

test('walkthroughs 1 and 3 from an empty canvas: a node with two pods, then a second node on a switch, flannel VXLAN; two nodes dragged together', async ({ page }) => {
  test.setTimeout(120_000)
  await emptyLab(page)
  const outline = page.getByTestId('topology-outline')

  // Walkthrough 1: one node, two pods on its cbr0 bridge; the node is where it was dropped.
  const drop = await at(page, 300, 200)
  await dragFromPalette(page, 'node', drop)
  await expect(outline).toContainText('node1: node')
  const node1 = await boxOf(page, 'node1')
  expect(drop.x).toBeGreaterThan(node1.x1 - 20)
  expect(drop.x).toBeLessThan(node1.x2 + 20)
  expect(drop.y).toBeGreaterThan(node1.y1 - 20)
  expect(drop.y).toBeLessThan(node1.y2 + 20)
  for (let i = 0; i < 2; i++) await dragFromPalette(page, 'pod', await centreOf(page, 'node1'))
  await expect(outline).toContainText('pod2: pod (node1) 10.244.1.3/24')
  await sendTrace(page, 'pod1', 'pod2')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod2')
  expect(await listText(page)).toContain('cbr0')
  await screenshotsInBothLanguages(page, 'walkthrough-1')

  // Walkthrough 3: a switch above, node1 wired to it, node2 dropped on it (hangs below), two pods.
  await dragFromPalette(page, 'switch', await at(page, 650, 60))
  await page.getByTestId('palette').locator('[data-item="wire"]').click()
  await wire(page, 'node1', 'sw1')
  await page.keyboard.press('Escape')
  await expect(outline).toContainText('node1: node 192.168.0.11/24')
  await dragFromPalette(page, 'node', await pointOf(page, 'if:sw1/br0'))
  await expect(outline).toContainText('node2: node 192.168.0.12/24')
  expect((await boxOf(page, 'node2')).y1).toBeGreaterThan((await boxOf(page, 'sw1')).y2)
  for (let i = 0; i < 2; i++) await dragFromPalette(page, 'pod', await centreOf(page, 'node2'))
  await expect(outline).toContainText('pod4: pod (node2) 10.244.2.3/24')
  await pickMode(page, 'flannel-vxlan')
  await sendTrace(page, 'pod1', 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  expect(await listText(page)).toContain('flannel.1')
  // Boxes that grew as pods and wires came pushed their neighbours away: none covers another.
  await expectNoOverlaps(page)
  await screenshotsInBothLanguages(page, 'walkthrough-3')

  // Both nodes selected (Shift+click) and one dragged by its bridge: both move, as one undo step.
  const steps = (await history(page)).length
  const before = await layoutOf(page)
  const drawn = await topBoxes(page)
  const bridge = await modelAt(page, 'if:sw1/br0')
  const b1 = await boxOf(page, 'node1')
  const b2 = await boxOf(page, 'node2')
  await page.mouse.click(b1.x1 + 6, b1.y1 + 6)
  await page.keyboard.down('Shift')
  await page.mouse.click(b2.x1 + 6, b2.y1 + 6)
  await page.keyboard.up('Shift')
  await expect(page.getByTestId('canvas-selection')).toContainText('2')
  const grip = await pointOf(page, 'if:node2/cbr0')
  await page.mouse.move(grip.x, grip.y)
  await page.mouse.down()
  await page.mouse.move(grip.x + 30, grip.y + 20, { steps: 5 })
  await page.mouse.move(grip.x + 60, grip.y + 40, { steps: 5 })
  await page.mouse.up()
  await expect.poll(async () => (await layoutOf(page)).node2?.x).not.toBe(before.node2.x)
  const after = await layoutOf(page)
  const moved = await topBoxes(page)
  // Centres, not edges: a selected box is drawn with a wider border, and the two boxes' borders
  // before the drag need not be alike (one may be marked by the trace's player).
  const mid = (b: { x1: number; x2: number; y1: number; y2: number }): { x: number; y: number } => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 })
  const by = { x: mid(moved.node2).x - mid(drawn.node2).x, y: mid(moved.node2).y - mid(drawn.node2).y }
  expect(by.x).toBeGreaterThan(10)
  for (const n of ['node1', 'node2']) {
    expect(mid(moved[n]).x - mid(drawn[n]).x, n).toBeCloseTo(by.x, 0)
    expect(mid(moved[n]).y - mid(drawn[n]).y, n).toBeCloseTo(by.y, 0)
  }
  // The switch keeps its bridge where it was (its ports follow the nodes' uplinks).
  expect(await modelAt(page, 'if:sw1/br0')).toEqual(bridge)
  expect(after.sw1).toEqual(before.sw1)
  expect(await history(page)).toHaveLength(steps)
  await page.screenshot({ path: shot('walkthrough-3-dragged.png') })
  await page.mouse.click(5, (await at(page, 0, 500)).y)
  await page.keyboard.press('Control+z')
  await expect.poll(() => layoutOf(page)).toEqual(before)
})

test('two subnets behind a router from an empty canvas: routes cannot cross it, the cloud route table on the router can', async ({ page }) => {
  test.setTimeout(120_000)
  await emptyLab(page)
  const outline = page.getByTestId('topology-outline')
  await dragFromPalette(page, 'router', await at(page, 560, 40))
  await dragFromPalette(page, 'switch', await at(page, 300, 130))
  await dragFromPalette(page, 'switch', await at(page, 820, 130))
  const empty = (await topBoxes(page)).r1
  await page.getByTestId('palette').locator('[data-item="wire"]').click()
  await wire(page, 'r1', 'sw1')
  await wire(page, 'r1', 'sw2')
  await page.keyboard.press('Escape')
  // The router keeps its top-left corner as its first ports come.
  const r1 = (await topBoxes(page)).r1
  expect(Math.abs(r1.x1 - empty.x1)).toBeLessThan(2)
  expect(Math.abs(r1.y1 - empty.y1)).toBeLessThan(2)
  await dragFromPalette(page, 'node', await centreOf(page, 'sw1'))
  await dragFromPalette(page, 'node', await centreOf(page, 'sw2'))
  await expect(outline).toContainText('node1: node 192.168.0.11/24')
  await expect(outline).toContainText('node2: node 192.168.1.11/24')
  await page.screenshot({ path: shot('router-underlay-wired.png') })
  await dragFromPalette(page, 'pod', await centreOf(page, 'node1'))
  await dragFromPalette(page, 'pod', await centreOf(page, 'node2'))
  await expect(outline).toContainText('pod2: pod (node2) 10.244.2.2/24')
  expect(await history(page)).toEqual([
    'podnet router add r1',
    'podnet switch add sw1',
    'podnet switch add sw2',
    'podnet link add r1 sw1',
    'podnet link add r1 sw2',
    'podnet node add node1 --switch sw1',
    'podnet node add node2 --switch sw2',
    'podnet pod add pod1 --node node1',
    'podnet pod add pod2 --node node2',
  ])
  // Routes on every node need the other node on the same segment: the packet does not get there.
  await sendTrace(page, 'pod1', 'pod2')
  await expect(page.getByTestId('verdict')).not.toContainText('reaches pod2')
  await pickMode(page, 'cloud-routes')
  await sendTrace(page, 'pod1', 'pod2')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod2')
  expect(await listText(page)).toContain('r1')
  await expectNoOverlaps(page)
  await screenshotsInBothLanguages(page, 'router-underlay')
})
