import { expect, type Page } from '@playwright/test'

// Driving the terminal as a user does: the dock's Terminal tab, a tab per namespace, real keys.

/** The active terminal's screen as text, one line a row (from xterm's screen-reader rows). */
export function screenText(page: Page): Promise<string> {
  return page.getByTestId('terminal-screen').evaluate((el) =>
    [...el.querySelectorAll('.xterm-accessibility-tree > div')]
      .map((d) => (d.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .replace(/\n+$/, ''),
  )
}

/** Shows the terminal of a namespace (opening one if needed) and gives it the keyboard. */
export async function terminalIn(page: Page, netns: string): Promise<void> {
  await page.getByRole('tab', { name: 'Terminal' }).click()
  const tab = page.getByTestId('term-tab').and(page.locator(`[data-netns="${netns}"]`))
  if ((await tab.count()) === 0) await openTerminal(page, netns)
  else await tab.first().click()
  await expect(page.getByTestId('terminal-screen')).toHaveAttribute('data-netns', netns)
  await page.getByTestId('terminal-screen').locator('.xterm').click()
}

/** Opens a new terminal tab in a namespace with the dock's searchable picker. */
export async function openTerminal(page: Page, netns: string): Promise<void> {
  const picker = page.getByTestId('term-open')
  await picker.fill(netns)
  await picker.press('Enter')
}

/** Types a line and Enter, then waits until the prompt is back (the line has finished). */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line)
  await page.keyboard.press('Enter')
}

/** Waits until the screen shows `text`. */
export async function expectScreen(page: Page, text: string | RegExp): Promise<void> {
  await expect.poll(() => screenText(page), { timeout: 10_000 }).toMatch(typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text)
}

/** Where the canvas draws a namespace (its box, pod or summary; its middle and top edge), in page pixels; null if not drawn. */
export async function canvasPoint(page: Page, ns: string): Promise<{ x: number; y: number; top: number } | null> {
  return page.getByTestId('canvas').evaluate((el, id) => {
    type El = { empty(): boolean; renderedBoundingBox(o: object): { x1: number; x2: number; y1: number; y2: number } }
    const cy = (el as unknown as { _cyreg: { cy: { getElementById(id: string): El } } })._cyreg.cy
    const e = cy.getElementById(id)
    if (e.empty()) return null
    const r = el.getBoundingClientRect()
    const bb = e.renderedBoundingBox({ includeLabels: false })
    return { x: r.left + (bb.x1 + bb.x2) / 2, y: r.top + (bb.y1 + bb.y2) / 2, top: r.top + bb.y1 }
  }, `ns:${ns}`)
}
