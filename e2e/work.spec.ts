import { expect, test, type Page } from '@playwright/test'
import { openAppEachTest } from './canvas-page.ts'
import { cancelWhenSteps, longHistoryLab } from './player-helpers.ts'
import { terminalIn, typeLine } from './terminal-helpers.ts'

// Long work in the browser build, as a learner meets it at 1600 x 1000 with the mouse: building a
// 1,000-node lab from the New dialog and opening a lab file with a long history show a progress
// bar; Cancel stops the work in the Worker (the page is cross-origin isolated, so it shares a word
// of memory with it) and the lab that was open stays exactly as it was, unsaved change included.

openAppEachTest()
test.setTimeout(120_000)

/** What the learner sees of the open lab, and what the lab holds. */
async function snapshot(page: Page) {
  return {
    name: await page.locator('.labname').textContent(),
    dirty: await page.getByTestId('dirty').isVisible(),
    outline: await page.getByTestId('topology-outline').textContent(),
    drawn: await page.getByTestId('canvas').getAttribute('data-drawn'),
    state: await page.evaluate<{ history: unknown[]; namespaces: string[]; timeNs: number }>(
      'window.podnet.getState().then((s) => ({ history: s.history, namespaces: s.topology.namespaces.map((n) => n.name), timeNs: s.timeNs }))',
    ),
  }
}

/** Counts how often the progress bar appears from now on. */
async function countBars(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.barsSeen = 0
    let on = false
    new MutationObserver(() => {
      const now = document.querySelector('[data-testid="work-progress"]') !== null
      if (now && !on) window.barsSeen++
      on = now
    }).observe(document.body, { childList: true, subtree: true })
  })()`)
}

/** An unsaved change made in the terminal, which a cancelled build or open must not lose. */
async function unsavedChange(page: Page): Promise<void> {
  await terminalIn(page, 'node1')
  await typeLine(page, 'ip route add 10.9.0.0/16 via 10.244.1.2')
  await expect(page.getByTestId('dirty')).toBeVisible()
}

test('building a 1,000-node lab shows its progress; Cancel keeps the open lab as it was', async ({ page }) => {
  expect(await page.evaluate<boolean>('crossOriginIsolated')).toBe(true)
  await unsavedChange(page)
  await page.getByRole('tab', { name: 'Lab' }).click()
  const before = await snapshot(page)

  await page.getByRole('button', { name: 'New lab with options…' }).click()
  const dialog = page.getByRole('dialog', { name: 'New lab from a scenario' })
  await dialog.getByText('Pod to pod across nodes, flannel VXLAN overlay').click()
  await dialog.getByLabel('Nodes', { exact: true }).fill('1000')
  await dialog.getByLabel('Pods per node', { exact: true }).fill('30')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('button', { name: 'Discard changes' }).click()

  const bar = page.getByTestId('work-progress')
  await expect(bar).toBeVisible({ timeout: 10_000 })
  await expect(bar.getByRole('heading')).toHaveText('Building the lab…')
  // It moves while the Worker builds: two different counts of the 2,001 steps.
  const steps = bar.getByTestId('work-steps')
  await expect(steps).toHaveText(/^Step [\d,]+ of 2,001$/)
  const first = await steps.textContent()
  await expect(steps).not.toHaveText(first ?? '')
  await expect(bar.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^\d+$/)
  await page.screenshot({ path: '/tmp/ui-e2e-work-build-en.png' })

  await bar.getByRole('button', { name: 'Cancel' }).click()
  await expect(bar).toBeHidden({ timeout: 15_000 })
  await expect(page.getByRole('status')).toHaveText('Cancelled. The lab that was open is as it was.')
  await expect(page.getByTestId('error')).toBeHidden()
  await page.screenshot({ path: '/tmp/ui-e2e-work-cancelled-en.png' })
  expect(await snapshot(page)).toEqual(before)
  const routes = await page.evaluate<string>("window.podnet.exec({ line: 'ip route', netns: 'node1' }).then((r) => r.stdout)")
  expect(routes).toContain('10.9.0.0/16 via 10.244.1.2 dev cbr0')

  // Short work never flashes a bar: a small lab is built without one.
  await countBars(page)
  await page.getByRole('button', { name: 'New lab with options…' }).click()
  await dialog.getByLabel('Nodes', { exact: true }).fill('2')
  await dialog.getByLabel('Pods per node', { exact: true }).fill('2')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page.locator('.labname')).toHaveText('flannel-vxlan')
  expect(await page.evaluate<number>('window.barsSeen')).toBe(0)
})

test('in Japanese: opening a lab file replays its history with a progress bar, and キャンセル keeps the open lab', async ({ page }) => {
  await unsavedChange(page)
  await page.getByRole('button', { name: '日本語' }).click()
  const before = await snapshot(page)

  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: '開く…' }).click()
  await (await chooser).setFiles({ name: 'long-history.yaml', mimeType: 'application/yaml', buffer: Buffer.from(longHistoryLab(100, 10_000)) })
  // The cluster is built first, then its 10,000 changes are replayed: キャンセル during the replay.
  await cancelWhenSteps(page, '^コマンド [\\d,]+ / 10,000$')
  await page.getByRole('button', { name: '変更を破棄' }).click()

  const bar = page.getByTestId('work-progress')
  await expect.poll(() => page.evaluate('window.cancelSeen'), { timeout: 20_000 }).toMatch(/^コマンド [\d,]+ \/ 10,000$/)
  await expect(bar).toBeHidden({ timeout: 15_000 })
  await expect(page.getByRole('status')).toHaveText('キャンセルしました。開いていたラボはそのままです。')
  await page.screenshot({ path: '/tmp/ui-e2e-work-cancelled-ja.png' })
  expect(await snapshot(page)).toEqual(before)
  await expect(page.locator('.labname')).toHaveText('same-node')
})
