import { expect, test, type Page } from '@playwright/test'
import { openAppEachTest } from './canvas-page.ts'
import { findEnglish } from './japanese-words.ts'
import { bigLab, boxOf, centreOf, dragFromPalette, emptyLab, emptySpot, history, linkBetween, pointOf, scenarioLab } from './build-helpers.ts'
import { listText } from './trace-steps.ts'

// Editing on the canvas with the real mouse and keyboard at 1600 x 1000: a bridge and a veth pair
// from the palette, renaming and setting a link down from the context menu (and the trace that
// then drops), several things selected and deleted as one undo step, refused drops put back, and
// the cluster's mode changed from the canvas.

openAppEachTest()

const outline = (page: Page) => page.getByTestId('topology-outline')
const menu = (page: Page) => page.getByTestId('canvas-menu')

async function rightClick(page: Page, at: { x: number; y: number }): Promise<void> {
  await page.mouse.click(at.x, at.y, { button: 'right' })
  await expect(menu(page)).toBeVisible()
}

/**
 * Starts noting whether an element with this test id appears (a refused item going back lasts
 * half a second: a loaded machine may look after it has gone).
 */
async function watchAppears(page: Page, testId: string): Promise<() => Promise<boolean>> {
  // A script of the page (the specs' TypeScript has no DOM types).
  await page.evaluate(`(() => {
    const id = ${JSON.stringify(testId)}
    window.seen = { ...(window.seen ?? {}), [id]: false }
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-testid="' + id + '"]')) {
        window.seen[id] = true
        obs.disconnect()
      }
    }).observe(document.body, { childList: true, subtree: true })
  })()`)
  return () => page.evaluate<boolean>(`window.seen[${JSON.stringify(testId)}]`)
}

/** Draws with the active wiring tool from one point to another. */
async function drawWire(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps: 10 })
  await page.mouse.up()
}

test('a bridge and a veth pair from the palette, a device renamed, a link set down and the trace that drops there', async ({ page }) => {
  test.setTimeout(60_000)
  await emptyLab(page)
  const spot = await emptySpot(page)
  await dragFromPalette(page, 'namespace', spot)
  await expect(outline(page)).toContainText('ns1: ')
  await dragFromPalette(page, 'namespace', { x: spot.x - 500, y: spot.y - 250 })
  await expect(outline(page)).toContainText('ns2: ')
  // A bridge dropped into ns1; a veth pair drawn from ns1 to ns2 with the veth tool.
  await dragFromPalette(page, 'bridge', await centreOf(page, 'ns1'))
  await page.getByTestId('palette').locator('[data-item="veth"]').click()
  await expect(page.getByTestId('palette').locator('[data-item="veth"]')).toHaveAttribute('aria-pressed', 'true')
  await drawWire(page, await centreOf(page, 'ns1'), await centreOf(page, 'ns2'))
  await expect.poll(() => history(page)).toEqual(['ip netns add ns1', 'ip netns add ns2', 'ip -n ns1 link add br0 type bridge', 'ip link add veth0 netns ns1 type veth peer name veth0 netns ns2'])
  await page.keyboard.press('Escape')

  // Renamed from the menu of its interface (Linux renames a device up or down).
  await rightClick(page, await pointOf(page, 'if:ns1/veth0'))
  await menu(page).locator('[data-action="rename"]').click()
  await page.getByTestId('rename-input').fill('to-ns2')
  await page.keyboard.press('Enter')
  await expect.poll(async () => (await history(page)).at(-1)).toBe('ip -n ns1 link set dev veth0 name to-ns2')
  // A taken name is refused next to the menu, in words, and changes nothing.
  await rightClick(page, await pointOf(page, 'if:ns1/to-ns2'))
  await menu(page).locator('[data-action="rename"]').click()
  await page.getByTestId('rename-input').fill('br0')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('canvas-bubble')).toContainText('ns1 already has a device named br0')
  expect(await history(page)).toHaveLength(5)
  await page.screenshot({ path: '/tmp/canvas-edit-veth.png' })

  // In a cluster: pod1's veth set down from the menu of its link; the trace from pod1 drops there.
  await page.locator('#scenario-picker').selectOption('routed')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Discard changes' }).click()
  await expect(page.locator('.labname')).toHaveText('routed')
  const link = await linkBetween(page, 'pod1', 'node1')
  await rightClick(page, await pointOf(page, `veth:${link}`))
  const down = menu(page).locator('[data-action^="down:pod1/"]')
  await expect(down).toHaveText('Set pod1:eth0 down')
  await down.click()
  await expect.poll(async () => (await history(page)).at(-1)).toBe('ip -n pod1 link set eth0 down')
  await expect(page.locator(`[data-testid="canvas"]`)).toBeVisible()
  await page.getByRole('tab', { name: 'Trace' }).click()
  await expect(page.getByTestId('trace-from')).toHaveValue('pod1')
  await page.getByTestId('trace-to').fill('pod3')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toHaveClass(/bad/)
  await page.screenshot({ path: '/tmp/canvas-edit-link-down.png' })
  // Up again from the same menu: one undo step each way.
  await rightClick(page, await pointOf(page, `veth:${link}`))
  await menu(page).locator('[data-action^="up:pod1/"]').click()
  await expect.poll(async () => (await history(page)).at(-1)).toBe('ip -n pod1 link set eth0 up')
})

test('Shift+click and a Shift+drag box select several things; Delete deletes them as one change and one undo brings all back', async ({ page }) => {
  test.setTimeout(60_000)
  await scenarioLab(page, 'routed')
  const before = await history(page)
  // pod1 and pod4 with Shift+click, then node2's wire to the switch.
  await page.mouse.click((await centreOf(page, 'pod1')).x, (await boxOf(page, 'pod1')).y2 - 6)
  const p4 = await boxOf(page, 'pod4')
  await page.keyboard.down('Shift')
  await page.mouse.click((p4.x1 + p4.x2) / 2, p4.y2 - 6)
  const wire = await linkBetween(page, 'node2', 'underlay')
  const w = await pointOf(page, `veth:${wire}`)
  await page.mouse.click(w.x, w.y)
  await page.keyboard.up('Shift')
  await expect(page.getByTestId('canvas-selection')).toHaveText('3 selected')
  await page.screenshot({ path: '/tmp/canvas-edit-multi.png' })
  await page.keyboard.press('Delete')
  await expect(outline(page)).not.toContainText('pod1:')
  await expect(outline(page)).not.toContainText('pod4:')
  await expect(outline(page)).toContainText('node2: node')
  await expect(outline(page)).not.toContainText('node2: node 192.168')
  const after = await history(page)
  expect(after.slice(0, -1)).toEqual(before)
  expect(after.at(-1)).toMatch(/^podnet delete pod1 pod4 \S+\/\S+$/)
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline(page)).toContainText('pod1: pod (node1)')
  await expect(outline(page)).toContainText('pod4: pod (node2)')
  await expect(outline(page)).toContainText('node2: node 192.168.0.12/24')
  expect(await history(page)).toEqual(before)

  // A box drawn with Shift held on the background around node2 picks it with its pods and links.
  const n2 = await boxOf(page, 'node2')
  await page.keyboard.down('Shift')
  // From the empty background below and right of it (a press on a box would pan).
  await page.mouse.move(n2.x2 + 30, n2.y2 + 40)
  await page.mouse.down()
  await page.mouse.move(n2.x1 - 6, n2.y1 - 12, { steps: 8 })
  await page.mouse.up()
  await page.keyboard.up('Shift')
  await expect(page.getByTestId('canvas-selection')).toBeVisible()
  await page.screenshot({ path: '/tmp/canvas-edit-box.png' })
  await page.keyboard.press('Backspace')
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('node2 (2 pods)')
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(outline(page)).not.toContainText('node2')
  expect((await history(page)).length).toBe(before.length + 1)
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline(page)).toContainText('pod3: pod (node2)')

  // pod1 and pod2 picked, then dragged together onto node2: one move of both, one undo.
  const p1 = await boxOf(page, 'pod1')
  await page.mouse.click((p1.x1 + p1.x2) / 2, p1.y2 - 6)
  const p2 = await boxOf(page, 'pod2')
  await page.keyboard.down('Shift')
  await page.mouse.click((p2.x1 + p2.x2) / 2, p2.y2 - 6)
  await page.keyboard.up('Shift')
  await expect(page.getByTestId('canvas-selection')).toHaveText('2 selected')
  const target = await boxOf(page, 'node2')
  await page.mouse.move((p1.x1 + p1.x2) / 2, p1.y2 - 6)
  await page.mouse.down()
  await page.mouse.move((target.x1 + target.x2) / 2, target.y1 + 40, { steps: 12 })
  await page.mouse.up()
  await expect.poll(async () => (await history(page)).at(-1)).toBe('podnet pod move pod1 pod2 --node node2')
  await expect(outline(page)).toContainText('pod1: pod (node2)')
  await expect(outline(page)).toContainText('pod2: pod (node2)')
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(outline(page)).toContainText('pod2: pod (node1)')
  expect(await history(page)).toEqual(before)
})

test('refused drops go back where they came from, saying why, in English and Japanese', async ({ page }) => {
  test.setTimeout(60_000)
  await scenarioLab(page, 'routed')
  const spot = await emptySpot(page)
  // A bridge dropped on nothing: the item slides back to the palette.
  let back = await watchAppears(page, 'palette-ghost-back')
  await dragFromPalette(page, 'bridge', spot)
  await page.screenshot({ path: '/tmp/canvas-edit-refused-en.png' })
  await expect(page.getByTestId('canvas-bubble')).toContainText('A bridge is a device of a namespace')
  expect(await back()).toBe(true)
  await expect(page.getByTestId('palette-ghost-back')).toHaveCount(0)
  // A pod dragged out of its node (Alt+drag) slides back into it and says why.
  const pod = await centreOf(page, 'pod1')
  const home = await pointOf(page, 'ns:pod1')
  await page.keyboard.down('Alt')
  await page.mouse.move(pod.x, pod.y)
  await page.mouse.down()
  await page.mouse.move(spot.x, spot.y - 100, { steps: 10 })
  await page.mouse.up()
  await page.keyboard.up('Alt')
  await expect(page.getByTestId('canvas-bubble')).toContainText('pod1 was put back')
  // Alt moves; it draws no selection box.
  await expect(page.getByTestId('canvas-selection')).toHaveCount(0)
  await expect.poll(async () => {
    const p = await pointOf(page, 'ns:pod1')
    return Math.hypot(p.x - home.x, p.y - home.y)
  }).toBeLessThan(2)

  await page.getByRole('button', { name: '日本語' }).click()
  // The menus of a device and of a link read in Japanese (names of the lab and of Linux aside).
  const names = new Set(['routed', ...(await page.getByTestId('topology-outline').locator('li').allTextContents()).map((li) => li.split(':')[0].trim())])
  for (const [at, label] of [[await pointOf(page, 'if:node1/cbr0'), 'device menu'], [await pointOf(page, `veth:${await linkBetween(page, 'pod1', 'node1')}`), 'link menu'], [await centreOf(page, 'pod2'), 'pod menu']] as const) {
    await rightClick(page, at)
    if (label === 'device menu') await menu(page).locator('[data-action="rename"]').click()
    expect(await findEnglish(page, label, names)).toEqual([])
    if (label === 'pod menu') await page.screenshot({ path: '/tmp/canvas-edit-menu-ja.png' })
    await page.keyboard.press('Escape')
  }
  // A veth pair drawn to nothing shrinks back to where it started.
  await page.getByTestId('palette').locator('[data-item="veth"]').click()
  const line = await watchAppears(page, 'wire-back')
  await drawWire(page, await centreOf(page, 'node1'), spot)
  await expect(page.getByTestId('canvas-bubble')).toContainText('veth ペアは名前空間')
  expect(await line()).toBe(true)
  // Gone once it has shrunk back.
  await expect(page.getByTestId('wire-line')).toHaveCount(0)
  await page.keyboard.press('Escape')
  back = await watchAppears(page, 'palette-ghost-back')
  await dragFromPalette(page, 'pod', spot)
  await page.screenshot({ path: '/tmp/canvas-edit-refused-ja.png' })
  await expect(page.getByTestId('canvas-bubble')).toContainText('Pod はノードの上で動きます')
  expect(await back()).toBe(true)
  expect((await history(page)).length).toBe(0)
})

test('the cluster mode is changed from the canvas after a confirmation, traced through flannel.1, and undone in one step', async ({ page }) => {
  test.setTimeout(60_000)
  await scenarioLab(page, 'routed')
  const picker = page.getByTestId('canvas-mode')
  await expect(picker).toHaveValue('routes')
  // Cancelled: nothing changes and the picker shows the lab's mode again.
  await picker.selectOption('flannel-vxlan')
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
  await expect(picker).toHaveValue('routes')
  await picker.selectOption('flannel-vxlan')
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('removes what "routes on every node" programmed')
  await page.screenshot({ path: '/tmp/canvas-edit-mode.png' })
  await dialog.getByRole('button', { name: 'Change mode' }).click()
  await expect(picker).toHaveValue('flannel-vxlan')
  expect((await history(page)).at(-1)).toBe('podnet cluster mode flannel-vxlan')
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod3')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod3')
  expect(await listText(page)).toContain('flannel.1')
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(picker).toHaveValue('routes')
  expect(await history(page)).toEqual([])
})

test('in a 100-node lab: pods picked with Shift+click go with one Delete and come back with one undo; the menu of a link', async ({ page }) => {
  test.setTimeout(90_000)
  await bigLab(page, 100, 2)
  const before = await history(page)
  // Zoomed in on pod1 (picked from the list), then pod2 beside it added with Shift+click.
  await page.getByTestId('ns-search').fill('pod1')
  await page.getByTestId('ns-list').getByRole('button', { name: /pod1\b/ }).first().click()
  const p2 = await boxOf(page, 'pod2')
  await page.keyboard.down('Shift')
  await page.mouse.click((p2.x1 + p2.x2) / 2, p2.y2 - 5)
  await page.keyboard.up('Shift')
  await expect(page.getByTestId('canvas-selection')).toHaveText('2 selected')
  await rightClick(page, await pointOf(page, `veth:${await linkBetween(page, 'pod2', 'node1')}`))
  await expect(menu(page).locator('[data-action^="down:pod2/"]')).toBeVisible()
  await page.screenshot({ path: '/tmp/canvas-edit-100-nodes.png' })
  await page.keyboard.press('Escape')
  await page.keyboard.press('Delete')
  await expect.poll(async () => (await history(page)).at(-1)).toBe('podnet delete pod1 pod2')
  await expect(page.getByTestId('topology-outline')).not.toContainText('pod2: ')
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(page.getByTestId('topology-outline')).toContainText('pod2: pod (node1)')
  expect(await history(page)).toEqual(before)
})
