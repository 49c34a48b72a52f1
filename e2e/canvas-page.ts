import { expect, test, type Page } from '@playwright/test'

/**
 * For specs of the canvas as a learner sees it: each test opens the app at 1600 x 1000 and waits
 * for the first drawn canvas, and fails if its page threw or logged an error. Call at the top level.
 */
/** Collects what the page throws or logs as an error, from now on; a test expects it empty. */
export function watchPageErrors(page: Page): string[] {
  const list: string[] = []
  page.on('pageerror', (e) => list.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error') list.push(m.text())
  })
  return list
}

export function openAppEachTest(): void {
  test.use({ viewport: { width: 1600, height: 1000 } })
  const problems = new WeakMap<Page, string[]>()
  test.beforeEach(async ({ page }) => {
    problems.set(page, watchPageErrors(page))
    await page.goto('/')
    await expect(page.getByTestId('canvas')).toHaveAttribute('data-drawn', /[1-9]/)
  })
  test.afterEach(async ({ page }) => {
    expect(problems.get(page) ?? [], 'errors in the page').toEqual([])
  })
}
