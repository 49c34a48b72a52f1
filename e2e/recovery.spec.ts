import { expect, test } from '@playwright/test'
import { terminalIn, typeLine } from './terminal-helpers.ts'

// Unsaved work in the browser build survives a reload: the Worker mirrors the lab text into
// localStorage after every change, and the next load reopens it, still unsaved.

test('an unsaved change survives a reload, and saving clears the recovery copy', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await expect(page.locator('.labname')).toHaveText('same-node')

  await terminalIn(page, 'node1')
  await typeLine(page, 'ip route add 10.9.0.0/16 via 10.244.1.2')
  await expect(page.getByText('unsaved', { exact: true })).toBeVisible()
  await expect.poll(() => page.evaluate<string>("localStorage.getItem('podnet.recovery') ?? ''")).toContain('ip netns exec node1 ip route add 10.9.0.0/16 via 10.244.1.2')

  await page.reload()
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await expect(page.getByText(/Reopened your unsaved lab "same-node"/)).toBeVisible()
  await expect(page.getByText('unsaved', { exact: true })).toBeVisible()
  const routes = await page.evaluate<string>("window.podnet.exec({ line: 'ip route', netns: 'node1' }).then((r) => r.stdout)")
  expect(routes).toContain('10.9.0.0/16 via 10.244.1.2 dev cbr0')
  await page.screenshot({ path: '/tmp/ui-e2e-recovered.png' })

  // Saving (a download in the browser) makes the lab clean: nothing left to recover.
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save', exact: true }).click()])
  await expect(page.getByText('unsaved', { exact: true })).toBeHidden()
  await expect.poll(() => page.evaluate<string | null>("localStorage.getItem('podnet.recovery')")).toBeNull()
  await page.reload()
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await expect(page.getByText(/Reopened your unsaved lab/)).toBeHidden()
  expect(errors).toEqual([])
})
