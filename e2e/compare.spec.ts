import { expect, test, type Page } from '@playwright/test'
import { cancelWhenSteps, failOnPageErrors, longHistoryLab, newHundredNodeLab, openScenario, SHOTS } from './player-helpers.ts'

// The Compare view in the browser build, used as a teacher would: the same pod-to-pod probe in
// two cluster modes of the open lab, then against another lab file, in English and Japanese;
// the comparison is marked out of date when the lab changes.

test.use({ viewport: { width: 1600, height: 1000 } })

const watch = failOnPageErrors()

async function open(page: Page, scenario = 'routed'): Promise<void> {
  watch(page)
  await openScenario(page, scenario)
}

test('routes vs flannel VXLAN side by side: 50 bytes more on the wire, 1500 vs 1450, the tunnel hops on one side', async ({ page }) => {
  await open(page)
  await page.getByRole('tab', { name: 'Compare' }).click()
  // Routes vs VXLAN are offered first for a lab with a cluster; the probe is pod to pod on another node.
  await expect(page.getByTestId('compare-left')).toHaveValue('routes')
  await expect(page.getByTestId('compare-right')).toHaveValue('flannel-vxlan')
  await expect(page.getByTestId('compare-from')).toHaveValue('pod1')
  await page.getByTestId('compare-to').click()
  await page.getByTestId('compare-to').fill('pod4')
  await page.getByTestId('compare-run').click()
  await expect(page.getByTestId('compare-summary')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-head-0')).toHaveText('routes on every node')
  await expect(page.getByTestId('compare-head-1')).toHaveText('flannel VXLAN overlay')
  await expect(page.getByTestId('compare-mtu-0')).toHaveText('1500 bytes')
  await expect(page.getByTestId('compare-mtu-1')).toHaveText('1450 bytes (−50 bytes)')
  // What sets it: the pods' own eth0 on the routed side, flannel.1 on the overlay's.
  await expect(page.getByTestId('compare-mtu-by-0')).toHaveText('pod1 eth0 (MTU 1500)')
  await expect(page.getByTestId('compare-mtu-by-1')).toHaveText('node1 flannel.1 (MTU 1450)')
  await expect(page.getByTestId('compare-wire-0')).toHaveText('98 bytes')
  await expect(page.getByTestId('compare-wire-diff')).toHaveText('(+50 bytes)')
  // Encapsulation and decapsulation exist only on the overlay's side; its underlay frames are 148 bytes.
  const hops = page.getByTestId('compare-hops')
  await expect(hops.locator('tr.one .kind.k-encap')).toHaveCount(1)
  await expect(hops.locator('tr.one .kind.k-decap')).toHaveCount(1)
  await expect(hops.locator('tr', { hasText: 'underlay' }).first()).toContainText(/148 bytes\s*\(\+50\)/)
  // The devices crossed: flannel.1 only on the right.
  await page.getByTestId('compare-summary').locator('summary').nth(1).click()
  await expect(page.getByTestId('compare-summary')).toContainText('node1 flannel.1')
  await page.screenshot({ path: `${SHOTS}/compare-en.png` })

  // The same in Japanese, without running it again.
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.getByTestId('compare-mtu-1')).toHaveText('1450 バイト （−50 バイト）')
  await expect(page.getByTestId('compare-head-1')).toHaveText('flannel VXLAN オーバーレイ')
  await expect(page.getByTestId('compare-mtu-by-1')).toHaveText('node1 flannel.1（MTU 1450）')
  await expect(page.getByTestId('compare-hops')).toContainText('カプセル化')
  await page.screenshot({ path: `${SHOTS}/compare-ja.png` })
})

test('this lab against another lab file; a change to the lab marks the comparison out of date', async ({ page }) => {
  await open(page)
  // The other side: a VXLAN lab saved from the app (the browser build downloads it).
  await page.locator('#scenario-picker').selectOption('flannel-vxlan')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('flannel-vxlan')
  const saved = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const file = await (await saved).path()
  await page.locator('#scenario-picker').selectOption('routed')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('routed')

  await page.getByRole('tab', { name: 'Compare' }).click()
  await page.getByTestId('compare-left').selectOption('lab')
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('compare-right').selectOption('file')
  await (await chooser).setFiles({ name: 'vxlan.podnet', mimeType: 'application/yaml', buffer: (await import('node:fs')).readFileSync(file) })
  await expect(page.getByTestId('compare-right')).toContainText('lab file vxlan.podnet')
  await page.getByTestId('compare-to').fill('pod4')
  await page.getByTestId('compare-run').click()
  await expect(page.getByTestId('compare-head-1')).toHaveText('lab file vxlan.podnet · flannel VXLAN overlay', { timeout: 30_000 })
  await expect(page.getByTestId('compare-head-0')).toHaveText('this lab as it is · routes on every node')
  await expect(page.getByTestId('compare-mtu-1')).toHaveText('1450 bytes (−50 bytes)')
  await expect(page.getByTestId('compare-stale')).toHaveCount(0)

  // Change the lab: pod1's eth0 down from the namespace panel... here with the Undo-able mode edit.
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node1')
  await page.getByTestId('ns-select').press('Enter')
  await page.locator('[data-testid="routes"] li', { hasText: '10.244.2.0/24' }).getByRole('button').click()
  await page.getByRole('tab', { name: 'Compare' }).click()
  await expect(page.getByTestId('compare-stale')).toContainText('Out of date')
  await page.getByTestId('compare-stale').getByRole('button', { name: /Re-run/ }).click()
  await expect(page.getByTestId('compare-stale')).toHaveCount(0)
  await expect(page.getByTestId('compare-mtu-0')).toHaveText('none passes')
})

test('a 600-node lab: the comparison shows its progress while it runs', async ({ page }) => {
  test.setTimeout(90_000)
  watch(page)
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  // Big enough that rebuilding its two sides outlasts the bar's 300 ms wait on a quiet machine too.
  await newHundredNodeLab(page, 600)
  await page.getByRole('tab', { name: 'Compare' }).click()
  await page.getByTestId('compare-to').fill('pod1200')
  // What the bar says while it is up (it goes when the work ends, whenever that is).
  await page.evaluate(`(() => {
    window.stepsSeen = []
    window.barSeen = []
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="work-progress"]')
      const s = bar?.querySelector('[data-testid="work-steps"]')?.textContent
      if (s && window.stepsSeen.at(-1) !== s) window.stepsSeen.push(s)
      const seen = { steps: s, sub: bar?.querySelector('[data-testid="work-sub"]')?.textContent ?? '', percent: bar?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') }
      if (bar && JSON.stringify(window.barSeen.at(-1)) !== JSON.stringify(seen)) window.barSeen.push(seen)
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true })
  })()`)
  // Two replays of 100 nodes, then a walk and the MTU search's probes on each side: the bar shows, counting steps.
  await page.getByTestId('compare-run').click()
  // While a side is rebuilt, the bar says so and moves (looked at in a screenshot when the machine is slow enough to catch it).
  await page.getByTestId('work-sub').waitFor({ timeout: 10_000 }).then(() => page.screenshot({ path: `${SHOTS}/compare-progress-replay.png` })).catch(() => {})
  await expect(page.getByTestId('compare-summary')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('work-progress')).toHaveCount(0)
  const seen = await page.evaluate<string[]>('window.stepsSeen')
  expect(seen.length).toBeGreaterThan(0)
  for (const s of seen) expect(s).toMatch(/^Step \d+ of 38$/)
  // The replays of the two sides take most of the time: the bar moves through them, counting the replay's own steps.
  const bars = await page.evaluate<{ steps: string; sub: string; percent: string | null }[]>('window.barSeen')
  const rebuilding = bars.filter((b) => /^Step [01] of 38$/.test(b.steps))
  expect(rebuilding.some((b) => /^Rebuilding a side: step [\d,]+ of [\d,]+$/.test(b.sub))).toBe(true)
  expect(new Set(rebuilding.map((b) => b.percent)).size).toBeGreaterThan(2)
  const percents = bars.map((b) => Number(b.percent ?? 0))
  expect(percents).toEqual([...percents].sort((a, b) => a - b))
  // Flannel's pods keep their 1450-byte MTU when the lab moves to routes, as on Linux.
  await expect(page.getByTestId('compare-mtu-0')).toHaveText('1450 bytes')
  await expect(page.getByTestId('compare-mtu-1')).toHaveText('1450 bytes')
})

test('Cancel stops a long comparison, in both languages; the open lab stays as it was', async ({ page }) => {
  test.setTimeout(90_000)
  await open(page)
  await page.getByRole('tab', { name: 'Compare' }).click()
  await page.getByTestId('compare-left').selectOption('lab')
  // The other side: a lab file whose history takes seconds to replay.
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('compare-right').selectOption('file')
  await (await chooser).setFiles({ name: 'long-history.yaml', mimeType: 'application/yaml', buffer: Buffer.from(longHistoryLab(100, 10_000)) })
  await page.getByTestId('compare-to').fill('pod4')
  const bar = page.getByTestId('work-progress')
  const cancelled = async (button: string, notice: string, shot: string): Promise<void> => {
    const steps = shot === 'en' ? /^Step \d+ of 38$/ : /^ステップ \d+ \/ 38$/
    // Pressed from inside the page as soon as the bar counts steps: a quiet machine compares fast.
    await cancelWhenSteps(page, steps.source)
    await page.getByTestId('compare-run').click()
    await expect.poll(() => page.evaluate('window.cancelSeen'), { timeout: 20_000 }).toMatch(steps)
    await expect(bar.getByRole('button', { name: button })).toHaveCount(0)
    await expect(bar).toHaveCount(0)
    await expect(page.getByRole('status')).toContainText(notice)
    await expect(page.getByTestId('compare-summary')).toHaveCount(0)
    await expect(page.getByTestId('error')).toHaveCount(0)
    await expect(page.locator('.labname')).toHaveText('routed')
    await expect(page.getByTestId('dirty')).toHaveCount(0)
  }
  await cancelled('Cancel', 'Cancelled', 'en')
  await page.getByRole('button', { name: '日本語' }).click()
  await cancelled('キャンセル', 'キャンセルしました', 'ja')
})
