import { expect, type Locator, type Page } from '@playwright/test'

// The trace panel's step list shows only the rows in sight (it is virtualised): a step further
// down is found as a learner finds it, by scrolling the list. The page-side code is written as
// text, because the specs are compiled without the DOM's types.

/** A row of the step list: its index, where it happens, its kind and the "where" it shows. */
export interface StepRow {
  step: number
  at: string
  kind: string
  where: string
  /** It says which entry decided ("↳ decided by"). */
  entry: boolean
}

/**
 * How far past a screenful a scan scrolls at once (px): the list keeps 8 rows mounted beyond
 * each edge of its view, and none is shorter than 40 px, so no row is skipped.
 */
const STRIDE = 200

/** The step list. */
export const stepList = (page: Page): Locator => page.getByTestId('trace-steps')

/** How many steps the list holds (the rows say it, for screen readers, as aria-setsize). */
export async function listed(page: Page): Promise<number> {
  const row = stepList(page).locator('[aria-setsize]').first()
  await expect(row).toBeAttached()
  return Number(await row.getAttribute('aria-setsize'))
}

/** Pauses the player if it plays (it would scroll the list to each step it shows). */
async function pause(page: Page): Promise<void> {
  const play = page.getByTestId('play')
  if (/^(Pause|一時停止)$/.test((await play.getAttribute('aria-label')) ?? '')) await play.click()
  await expect(play).toHaveAttribute('aria-label', /^(Play|再生)$/)
}

/**
 * Scrolls the list from the top a page at a time (the player paused) and returns every row seen,
 * in order; with `until`, stops at that step with its row scrolled into sight.
 */
export async function scanSteps(page: Page, until: number | null = null): Promise<StepRow[]> {
  await pause(page)
  return page.evaluate<StepRow[]>(`(async () => {
    const list = document.querySelector('[data-testid="trace-steps"]')
    const until = ${JSON.stringify(until)}
    const frame = () => new Promise((done) => requestAnimationFrame(done))
    const seen = new Map()
    const start = list.scrollTop
    list.scrollTop = 0
    await frame()
    for (;;) {
      for (const el of list.querySelectorAll('[data-step]')) {
        const step = Number(el.getAttribute('data-step'))
        seen.set(step, { step, at: el.getAttribute('data-at') ?? '', kind: el.getAttribute('data-kind') ?? '', where: el.querySelector('.where')?.textContent ?? '', entry: !!el.querySelector('.entry') })
      }
      const hit = until === null ? null : list.querySelector('[data-step="' + until + '"]')
      if (hit) {
        hit.scrollIntoView({ block: 'nearest' })
        await frame()
        break
      }
      const before = list.scrollTop
      list.scrollTop = before + list.clientHeight + ${STRIDE}
      await frame()
      if (list.scrollTop === before) break
    }
    // Read only: the list goes back to where it was.
    if (until === null) {
      list.scrollTop = start
      await frame()
    }
    return [...seen.values()].sort((a, b) => a.step - b.step)
  })()`)
}

/** Step `index`'s row, scrolled into sight. */
export async function stepRow(page: Page, index: number): Promise<Locator> {
  await scanSteps(page, index)
  const row = stepList(page).locator(`[data-step="${index}"]`)
  await expect(row).toBeVisible()
  return row
}

/**
 * The first step (or with `last` the last) whose row matches `css` (e.g. '[data-kind="encap"]')
 * and holds `text`, scrolled into sight.
 */
export async function findStep(page: Page, find: { css?: string; text?: string; last?: boolean }): Promise<Locator> {
  await pause(page)
  const at = await page.evaluate<number>(`(async () => {
    const list = document.querySelector('[data-testid="trace-steps"]')
    const css = ${JSON.stringify(find.css ?? '*')}
    const text = ${JSON.stringify(find.text ?? '')}
    const last = ${JSON.stringify(!!find.last)}
    const frame = () => new Promise((done) => requestAnimationFrame(done))
    let found = -1
    list.scrollTop = 0
    await frame()
    for (;;) {
      for (const el of list.querySelectorAll('[data-step]')) {
        if (!el.matches(css) || !el.textContent.includes(text)) continue
        const step = Number(el.getAttribute('data-step'))
        if (!last) {
          el.scrollIntoView({ block: 'nearest' })
          await frame()
          return step
        }
        found = Math.max(found, step)
      }
      const before = list.scrollTop
      list.scrollTop = before + list.clientHeight + ${STRIDE}
      await frame()
      if (list.scrollTop === before) return found
    }
  })()`)
  expect(at, `a step ${JSON.stringify(find)}`).toBeGreaterThanOrEqual(0)
  return find.last ? stepRow(page, at) : stepList(page).locator(`[data-step="${at}"]`)
}

/** The whole list's text, headings included, read by scrolling through it (the player paused). */
export async function listText(page: Page): Promise<string> {
  await pause(page)
  return page.evaluate<string>(`(async () => {
    const list = document.querySelector('[data-testid="trace-steps"]')
    const frame = () => new Promise((done) => requestAnimationFrame(done))
    const rows = new Map()
    const start = list.scrollTop
    list.scrollTop = 0
    await frame()
    for (;;) {
      for (const el of list.querySelectorAll('[aria-posinset]')) rows.set(Number(el.getAttribute('aria-posinset')), el.textContent)
      const before = list.scrollTop
      list.scrollTop = before + list.clientHeight + ${STRIDE}
      await frame()
      if (list.scrollTop === before) break
    }
    list.scrollTop = start
    await frame()
    return [...rows.entries()].sort((a, b) => a[0] - b[0]).map((r) => r[1]).join('\\n')
  })()`)
}
