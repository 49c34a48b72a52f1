import { expect, test, type Locator, type Page } from '@playwright/test'
import { failOnPageErrors, newHundredNodeLab, openScenario, SHOTS } from './player-helpers.ts'
import { findStep, listed, listText, scanSteps, stepRow } from './trace-steps.ts'

// The trace player in the browser build, used as a learner would: the send form, the keys, the
// buttons, the scrubber and the filters, the canvas marking each step's device, the inspector's
// per-field changes, and an old result marked out of date after the lab changed.

test.use({ viewport: { width: 1600, height: 1000 } })

const FLANNEL_ROUTE = '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink'

const watch = failOnPageErrors()

async function open(page: Page, scenario = 'flannel-vxlan'): Promise<void> {
  watch(page)
  await openScenario(page, scenario)
  await page.getByRole('tab', { name: 'Trace' }).click()
}

async function sendTo(page: Page, to: string, button = /Send packet/): Promise<void> {
  await page.getByTestId('trace-to').fill(to)
  await page.getByRole('button', { name: button }).click()
}

const steps = (page: Page): Locator => page.getByTestId('trace-steps')
const current = (page: Page): Locator => steps(page).locator('[aria-current="step"]')
const canvas = (page: Page): Locator => page.getByTestId('canvas')

/** The step shown: its index, where it happens (data-at) and its kind. */
async function shown(page: Page): Promise<{ step: number; at: string; kind: string }> {
  const el = current(page)
  await expect(el).toHaveCount(1)
  return { step: Number(await el.getAttribute('data-step')), at: (await el.getAttribute('data-at')) ?? '', kind: (await el.getAttribute('data-kind')) ?? '' }
}

interface Snapshot {
  step: number
  at: string
  kind: string
  highlighted: string
  position: string
  /** The step's row lies wholly within the list's visible area. */
  inSight: boolean
}

/** What the page shows now: the step (list), its place and kind, the canvas's mark and the position text (run in the page). */
const SNAPSHOT = `(() => {
  const el = document.querySelector('[data-testid="trace-steps"] [aria-current="step"]')
  const list = document.querySelector('[data-testid="trace-steps"]').getBoundingClientRect()
  const row = el?.getBoundingClientRect()
  return {
    inSight: !!row && row.top >= list.top - 1 && row.bottom <= list.bottom + 1,
    step: el ? Number(el.getAttribute('data-step')) : -1,
    at: el?.getAttribute('data-at') ?? '',
    kind: el?.getAttribute('data-kind') ?? '',
    highlighted: document.querySelector('[data-testid="canvas"]')?.getAttribute('data-highlighted') ?? '',
    position: document.querySelector('[data-testid="position"]')?.textContent ?? '',
  }
})()`

/** Whether the canvas marks an element of namespace `ns` (the namespace itself or one of its devices). */
function marks(ns: string): RegExp {
  return new RegExp(`^(ns|if):${ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`)
}

test('steps through a VXLAN trace with the keyboard; the canvas marks the device of every step', async ({ page }) => {
  // 78 steps, each looked at: on a loaded machine this takes longer than one action's default.
  test.setTimeout(120_000)
  await open(page)
  // The defaults are a pod to a pod on another node.
  await expect(page.getByTestId('trace-from')).toHaveValue('pod1')
  await expect(page.getByTestId('trace-to')).toHaveValue('pod3')
  await sendTo(page, 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  // It plays by itself from the first step; Space pauses (the focus went to the step list).
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Pause')
  await page.keyboard.press('Space')
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play')
  await page.keyboard.press('Home')
  const total = await listed(page)
  expect(total).toBeGreaterThan(40)
  await expect(page.getByTestId('position')).toHaveText(`Step 1 of ${total}`)
  expect((await shown(page)).step).toBe(0)
  await expect(canvas(page)).toHaveAttribute('data-highlighted', 'ns:pod1')

  // → through every step: the canvas marks where each happens; the tunnel ends are flannel.1.
  const seen: { step: number; at: string; kind: string }[] = []
  for (let i = 0; i < total; i++) {
    if (i > 0) await page.keyboard.press('ArrowRight')
    // One look at the page per step (the list, the position and the canvas), until it shows step i.
    let s: Snapshot = { step: -1, at: '', kind: '', highlighted: '', position: '', inSight: false }
    await expect.poll(async () => (s = await page.evaluate<Snapshot>(SNAPSHOT)).step).toBe(i)
    expect(s.position).toBe(`Step ${i + 1} of ${total}`)
    // The list keeps the step shown in its sight.
    expect(s.inSight, `step ${i} in sight`).toBe(true)
    expect(s.highlighted).toMatch(marks(s.at))
    // The request is wrapped on node1 and unwrapped on node2; the reply the other way round.
    if (s.kind === 'encap' || s.kind === 'decap') expect(s.highlighted).toBe(`if:${s.at}/flannel.1`)
    seen.push(s)
  }
  expect(seen.map((s) => s.kind)).toEqual(expect.arrayContaining(['encap', 'decap', 'deliver']))
  expect(seen[seen.length - 1].at).toBe('pod1')
  // At the end, → stays; ← goes back one step at a time.
  await page.keyboard.press('ArrowRight')
  expect((await shown(page)).step).toBe(total - 1)
  await page.keyboard.press('ArrowLeft')
  await page.keyboard.press('ArrowLeft')
  expect((await shown(page)).step).toBe(total - 3)

  // Mid-way, at the encapsulation: the inspector says VXLAN's outer headers were added.
  const encap = seen.findIndex((s) => s.kind === 'encap')
  await (await stepRow(page, encap)).click()
  await expect(page.getByTestId('position')).toHaveText(`Step ${encap + 1} of ${total}`)
  const inspector = page.getByTestId('inspector')
  await expect(inspector.getByTestId('changes')).toContainText('added')
  await expect(inspector.locator('.layer.added').first()).toContainText('new')
  await expect(inspector.locator('[data-layer="vxlan"]')).toBeVisible()
  // Clicking a step made its device the selection.
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await expect(page.locator('.ns h2')).toHaveText('node1')
  await page.getByRole('tab', { name: 'Packet' }).click()
  await page.screenshot({ path: `${SHOTS}/player-mid-en.png` })

  // A forward through node1: the TTL went down by one and the MACs were rewritten since the last hop.
  const forward = seen.findIndex((s) => s.kind === 'forward' && s.at === 'node1')
  await (await stepRow(page, forward)).click()
  await expect(inspector.getByTestId('changes')).toContainText('Compared with step')
  await expect(inspector.locator('tr.changed', { hasText: 'TTL' })).toContainText('was 64')
})

test('buttons, scrubber, speed and filters drive the player; a namespace lists the steps that touched it', async ({ page }) => {
  // The filters' checks read the whole list, scrolling through it: on a loaded machine this takes longer than the default.
  test.setTimeout(90_000)
  await open(page)
  await sendTo(page, 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await page.getByRole('button', { name: 'Pause' }).click()
  const total = await listed(page)
  await page.getByRole('button', { name: 'Last step' }).click()
  await expect(page.getByTestId('position')).toHaveText(`Step ${total} of ${total}`)
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled()
  await page.getByRole('button', { name: 'First step' }).click()
  await expect(page.getByTestId('position')).toHaveText(`Step 1 of ${total}`)
  await page.getByRole('button', { name: 'Step forward' }).click()
  await page.getByRole('button', { name: 'Step forward' }).click()
  await page.getByRole('button', { name: 'Step back' }).click()
  await expect(page.getByTestId('position')).toHaveText(`Step 2 of ${total}`)

  // The scrubber: a click in its middle jumps to the middle of the trace.
  const box = (await page.getByTestId('scrubber').boundingBox())!
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  const mid = (await shown(page)).step
  expect(Math.abs(mid - (total - 1) / 2)).toBeLessThanOrEqual(2)
  await expect(canvas(page)).toHaveAttribute('data-highlighted', /^(ns|if):/)

  // Filters: ARP and flooded copies hidden, then only decisions; the count of hidden steps shows.
  await page.getByLabel('Hide ARP').check()
  await expect.poll(async () => (await scanSteps(page)).filter((r) => r.kind === 'arp').length).toBe(0)
  await page.getByLabel('Hide flooded copies').check()
  await expect.poll(() => listed(page)).toBeLessThan(total)
  const filtered = await listed(page)
  expect(filtered).toBeLessThan(total)
  await expect(page.getByTestId('player')).toContainText(`${total - filtered} hidden`)
  await page.getByLabel('Only decisions').check()
  await expect.poll(() => listed(page)).toBeLessThan(filtered)
  const decisions = await listed(page)
  const decided = await scanSteps(page)
  expect(decided).toHaveLength(decisions)
  expect(decided.filter((r) => ['send', 'xmit', 'recv'].includes(r.kind) && !r.entry)).toEqual([])
  await page.screenshot({ path: `${SHOTS}/player-filters-en.png` })

  // Played at 4× from a few steps before the end it runs to the last visible step, then stops.
  await page.getByTestId('speed').selectOption('4')
  await page.getByRole('button', { name: 'Last step' }).click()
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step back' }).click()
  await expect(page.getByTestId('position')).toHaveText(`Step ${decisions - 4} of ${decisions}`)
  await page.getByRole('button', { name: 'Play' }).click()
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Pause')
  await expect(page.getByTestId('position')).toHaveText(`Step ${decisions} of ${decisions}`, { timeout: 15_000 })
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play')
  for (const f of ['Hide ARP', 'Hide flooded copies', 'Only decisions']) await page.getByLabel(f).uncheck()
  await expect.poll(() => listed(page)).toBe(total)

  // node2's namespace panel lists the steps there; "only these" filters the trace to them.
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node2')
  await page.getByTestId('ns-select').press('Enter')
  const here = page.getByTestId('steps-here')
  await expect(here.locator('li').first()).toBeVisible()
  const only = here.getByRole('button', { name: /Only these in the trace/ })
  const n = Number((await only.textContent())!.match(/\((\d+)\)/)![1])
  await only.click()
  await expect(page.getByTestId('focus')).toContainText(`Only the steps at node2 (${n})`)
  await expect.poll(() => listed(page)).toBe(n)
  // Each happens in node2 (its "where" names it) or arrives there over a veth pair.
  const places = (await scanSteps(page)).map((r) => `${r.at}|${r.where}`)
  expect(places).toHaveLength(n)
  for (const p of places) expect(p).toMatch(/^node2\||\|node2( |$)/)
  await page.getByRole('button', { name: /Show all steps/ }).click()
  await expect.poll(() => listed(page)).toBe(total)
})

test('the send form: size, DF, UDP ports and a count of probes', async ({ page }) => {
  await open(page)
  // flannel's pods have an MTU of 1450: 1422 bytes of ping payload fit with DF, 1423 do not.
  await page.getByTestId('trace-size').fill('1422')
  await page.getByTestId('trace-df').check()
  await sendTo(page, 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await page.getByTestId('trace-size').fill('1423')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('never arrives')
  await expect(page.getByTestId('verdict')).toContainText('mtu=1450')
  // A UDP datagram to a port, two probes one second apart.
  await page.getByTestId('trace-size').fill('')
  await page.getByTestId('trace-proto').selectOption('udp')
  await page.getByTestId('trace-port').fill('5353')
  await page.getByTestId('trace-port').press('Tab')
  await page.getByTestId('trace-count').fill('2')
  await page.getByTestId('trace-count').press('Tab')
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('pod4')
  const words = await listText(page)
  expect(words).toContain('— Probe 2 —')
  expect(words).toContain('5353')
})

test('after a fix the old result is marked out of date, and one click runs it again', async ({ page }) => {
  await open(page)
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node1')
  await page.getByTestId('ns-select').press('Enter')
  await page.getByRole('button', { name: `Delete route ${FLANNEL_ROUTE}` }).click()
  await expect(page.getByTestId('routes')).not.toContainText(FLANNEL_ROUTE)
  await page.getByRole('tab', { name: 'Trace' }).click()
  await sendTo(page, 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('never arrives')
  await expect(page.getByTestId('stale')).toHaveCount(0)
  // The inspector at the drop: an IPv4 packet at the IP layer, decoded from IPv4 (no Ethernet header).
  const drop = await findStep(page, { css: '[data-kind="drop"]' })
  await drop.click()
  const inspector = page.getByTestId('inspector')
  await expect(inspector.getByTestId('first-layer')).toContainText('IPv4')
  await expect(inspector.locator('.layer').first()).toContainText('IPv4')
  await expect(inspector).not.toContainText('Type 0x')
  // The hex view fits its panel: every byte and its character are in view, none behind a scroll.
  const hex = inspector.locator('.hex')
  await expect(hex).toHaveAttribute('data-per-row', /^(8|16)$/)
  expect(await hex.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0)
  await expect(canvas(page)).toHaveAttribute('data-highlighted', marks('node1'))
  await page.screenshot({ path: `${SHOTS}/inspector-drop-en.png` })

  // The fix: the route goes back (undo). The old verdict is marked out of date.
  await page.getByRole('button', { name: /Undo/ }).click()
  await expect(page.getByTestId('stale')).toContainText('Out of date')
  await expect(page.getByTestId('verdict')).toHaveClass(/stale/)
  await page.screenshot({ path: `${SHOTS}/stale-en.png` })
  await page.getByTestId('rerun').click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await expect(page.getByTestId('stale')).toHaveCount(0)
})

test('in Japanese: the player, the inspector at a drop and the out-of-date mark', async ({ page }) => {
  await open(page)
  await page.getByRole('button', { name: '日本語' }).click()
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByRole('button', { name: /パケットを送信/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('pod4 に届く')
  await page.keyboard.press('Space')
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', '再生')
  const encap = await findStep(page, { css: '[data-kind="encap"]' })
  await encap.click()
  const n = Number(await encap.getAttribute('data-step'))
  const total = await listed(page)
  await expect(page.getByTestId('position')).toHaveText(`ステップ ${n + 1}／${total}`)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('position')).toHaveText(`ステップ ${n + 1}／${total}`)
  await expect(page.getByTestId('inspector').getByTestId('changes')).toContainText('を追加')
  await page.screenshot({ path: `${SHOTS}/player-mid-ja.png` })

  // Break it from the terminal-free panel, trace again, look at the drop; then the lab changes.
  await page.getByRole('tab', { name: '名前空間' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node1')
  await page.getByTestId('ns-select').press('Enter')
  await page.locator('[data-testid="routes"] li', { hasText: FLANNEL_ROUTE }).getByRole('button').click()
  await page.getByRole('tab', { name: 'トレース' }).click()
  await expect(page.getByTestId('stale')).toContainText('古い結果')
  await page.getByTestId('rerun').click()
  await expect(page.getByTestId('verdict')).toContainText('届かない')
  await (await findStep(page, { css: '[data-kind="drop"]' })).click()
  await expect(page.getByTestId('inspector').getByTestId('first-layer')).toContainText('IPv4')
  await page.screenshot({ path: `${SHOTS}/inspector-drop-ja.png` })
})

test('a long trace (ten probes): the list holds only the rows in sight, follows the keys and takes clicks after a scroll', async ({ page }) => {
  await open(page)
  await page.getByTestId('trace-count').fill('10')
  await page.getByTestId('trace-count').press('Tab')
  await sendTo(page, 'pod4')
  await expect(page.getByTestId('verdict')).toContainText('10 of 10 packets from pod1 reach pod4')
  await page.keyboard.press('Space')
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play')
  const total = await listed(page)
  expect(total).toBeGreaterThan(400)
  const look = async (): Promise<Snapshot> => page.evaluate<Snapshot>(SNAPSHOT)
  const mounted = async (): Promise<number> => steps(page).locator('[data-step]').count()

  // The last step, the first, then fifteen steps on with →: each in the list's sight, a few dozen rows mounted.
  await page.keyboard.press('End')
  await expect.poll(async () => (await look()).step).toBe(total - 1)
  expect((await look()).inSight).toBe(true)
  expect(await mounted()).toBeLessThan(60)
  await page.keyboard.press('Home')
  await expect.poll(async () => (await look()).step).toBe(0)
  expect((await look()).inSight).toBe(true)
  for (let i = 1; i <= 15; i++) {
    await page.keyboard.press('ArrowRight')
    await expect.poll(async () => (await look()).step).toBe(i)
    expect((await look()).inSight, `step ${i} in sight`).toBe(true)
  }
  expect(await mounted()).toBeLessThan(60)

  // The scrubber's middle, then the wheel scrolls the list on: a row that came into sight takes a click.
  const bar = (await page.getByTestId('scrubber').boundingBox())!
  await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2)
  const mid = (await shown(page)).step
  expect(Math.abs(mid - total / 2)).toBeLessThan(total / 20)
  expect((await look()).inSight).toBe(true)
  const list = (await steps(page).boundingBox())!
  await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2)
  await page.mouse.wheel(0, 1500)
  // The last row wholly in the list's sight, once the wheel has carried it well past the middle.
  const IN_SIGHT = `(() => {
    const list = document.querySelector('[data-testid="trace-steps"]').getBoundingClientRect()
    const rows = [...document.querySelectorAll('[data-testid="trace-steps"] [data-step]')].filter((e) => {
      const r = e.getBoundingClientRect()
      return r.top >= list.top && r.bottom <= list.bottom
    })
    return rows.length ? Number(rows[rows.length - 1].getAttribute('data-step')) : -1
  })()`
  await expect.poll(() => page.evaluate<number>(IN_SIGHT)).toBeGreaterThan(mid + 15)
  const far = await page.evaluate<number>(IN_SIGHT)
  await steps(page).locator(`[data-step="${far}"]`).click()
  await expect(page.getByTestId('position')).toHaveText(`Step ${far + 1} of ${total}`)
  expect((await look()).inSight).toBe(true)
  // The keys still drive the list after the click.
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect.poll(async () => (await look()).step).toBe(far + 2)
  expect((await look()).inSight).toBe(true)
  await page.screenshot({ path: `${SHOTS}/player-long-en.png` })
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.getByTestId('position')).toHaveText(`ステップ ${far + 3}／${total}`)
  expect((await look()).inSight).toBe(true)
  await page.screenshot({ path: `${SHOTS}/player-long-ja.png` })
})

test('a 100-node lab: the player steps through a trace across the grid', async ({ page }) => {
  // a 100-node lab's build, trace and some fifty key presses: 48 s were seen at load 13
  test.setTimeout(120_000)
  await open(page)
  await newHundredNodeLab(page)
  await page.getByRole('tab', { name: 'Trace' }).click()
  await sendTo(page, 'pod200')
  await expect(page.getByTestId('verdict')).toContainText('reaches pod200')
  await page.keyboard.press('Space')
  const encap = Number(await (await findStep(page, { css: '[data-kind="encap"]' })).getAttribute('data-step'))
  await page.keyboard.press('Home')
  for (let i = 0; i < encap; i++) await page.keyboard.press('ArrowRight')
  expect((await shown(page)).kind).toBe('encap')
  await expect(canvas(page)).toHaveAttribute('data-highlighted', marks('node1'))
  await page.screenshot({ path: `${SHOTS}/player-100-en.png` })
})
