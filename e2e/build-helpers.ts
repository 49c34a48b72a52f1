import { expect, type Page } from '@playwright/test'
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape'

// Gestures of building on the canvas with the real mouse (page.mouse down/move/up), for the
// building specs. The Cytoscape instance is only read, to find where something is drawn.

/** Where screenshots go: PODNET_SHOTS, else /tmp. */
export const shot = (name: string): string => `${process.env.PODNET_SHOTS ?? '/tmp'}/${name}`

export async function emptyLab(page: Page): Promise<void> {
  await scenarioLab(page, 'empty')
}

/** The middle of a namespace's box on the screen, once the canvas has drawn it. */
export async function centreOf(page: Page, ns: string): Promise<{ x: number; y: number }> {
  return drawnAt(page, `ns:${ns}`, true)
}

/** Where a namespace's box is drawn on the screen. */
export async function boxOf(page: Page, ns: string): Promise<{ x1: number; y1: number; x2: number; y2: number }> {
  return page.getByTestId('canvas').evaluate((el, id) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const b = cy.getElementById(id).renderedBoundingBox({ includeLabels: false })
    const r = el.getBoundingClientRect()
    return { x1: r.left + b.x1, y1: r.top + b.y1, x2: r.left + b.x2, y2: r.top + b.y2 }
  }, `ns:${ns}`)
}

/** Where the top-level boxes (and empty boxes) are in the drawing, in model units, by namespace. */
export async function topBoxes(page: Page): Promise<Record<string, { x1: number; y1: number; x2: number; y2: number }>> {
  return page.getByTestId('canvas').evaluate((el) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const out: Record<string, { x1: number; y1: number; x2: number; y2: number }> = {}
    cy.nodes('.box')
      .orphans()
      .forEach((n) => {
        const b = n.boundingBox({ includeLabels: false })
        out[String(n.data('ns'))] = { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }
      })
    return out
  })
}

/** Expects no two top-level boxes of the drawing to cover one another. */
export async function expectNoOverlaps(page: Page): Promise<void> {
  const boxes = Object.entries(await topBoxes(page))
  expect(boxes.length).toBeGreaterThan(1)
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [[a, p], [b, q]] = [boxes[i], boxes[j]]
      expect(p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2, `${a} ${JSON.stringify(p)} covers ${b} ${JSON.stringify(q)}`).toBe(false)
    }
  }
}

/** A free spot of the canvas (its lower right), where nothing is drawn yet. */
export async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const r = (await page.getByTestId('canvas').boundingBox())!
  return { x: r.x + r.width - 80, y: r.y + r.height - 60 }
}

/** A point of the canvas at least `clear` pixels from everything drawn (and from the palette and the mode picker). */
export async function freeSpot(page: Page, clear = 90): Promise<{ x: number; y: number }> {
  const spot = await page.getByTestId('canvas').evaluate((el, clear) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    const r = el.getBoundingClientRect()
    const boxes = cy.nodes().map((n) => n.renderedBoundingBox({}))
    for (let y = 70; y < r.height - 40; y += 20) {
      for (let x = 130; x < r.width - 60; x += 20) {
        if (boxes.every((b) => x < b.x1 - clear || x > b.x2 + clear || y < b.y1 - clear || y > b.y2 + clear)) return { x: r.left + x, y: r.top + y }
      }
    }
    return null
  }, clear)
  expect(spot, 'a free spot on the canvas').not.toBeNull()
  return spot!
}

/** Drags a palette item to a point with the mouse, in steps as a hand does. */
export async function dragFromPalette(page: Page, item: string, to: { x: number; y: number }): Promise<void> {
  const from = (await page.getByTestId('palette').locator(`[data-item="${item}"]`).boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(from.x + 60, from.y + 20, { steps: 4 })
  await expect(page.getByTestId('palette-ghost')).toBeVisible()
  await page.mouse.move(to.x, to.y, { steps: 8 })
  await page.mouse.up()
  await expect(page.getByTestId('palette-ghost')).toHaveCount(0)
}

/** Draws a wire with the wiring tool from one box to another. */
export async function wire(page: Page, a: string, b: string): Promise<void> {
  const from = await centreOf(page, a)
  const to = await centreOf(page, b)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps: 10 })
  await page.mouse.up()
}

export async function history(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.podnet.getState().then((s) => s.history.map((h) => h.line))')
}


/** Where a canvas element is drawn on the screen: a node's middle, an edge's midpoint. */
export async function pointOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  return drawnAt(page, id, false)
}

/**
 * Where an element is on the screen once the canvas has drawn it and the view has come to rest
 * (two readings alike: a fit follows a change a moment later). `box`: the middle of its bounding box.
 */
async function drawnAt(page: Page, id: string, box: boolean): Promise<{ x: number; y: number }> {
  let at: { x: number; y: number } | null = null
  let last: { x: number; y: number } | null = null
  await expect.poll(async () => {
    last = at
    at = await page.getByTestId('canvas').evaluate(
      (el, [id, box]) => {
        const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
        const e = cy.getElementById(id as string)
        if (e.empty()) return null
        const r = el.getBoundingClientRect()
        if (box) {
          const b = e.renderedBoundingBox({})
          return { x: r.left + (b.x1 + b.x2) / 2, y: r.top + (b.y1 + b.y2) / 2 }
        }
        const p = e.isEdge() ? (e as EdgeSingular).renderedMidpoint() : (e as NodeSingular).renderedPosition()
        return { x: r.left + p.x, y: r.top + p.y }
      },
      [id, box] as const,
    )
    const a: { x: number; y: number } | null = at
    const b: { x: number; y: number } | null = last
    return a && b && Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 ? a : null
  }).not.toBeNull()
  return at!
}

/** The id of the link between two namespaces (the first one), as the topology names it. */
export async function linkBetween(page: Page, a: string, b: string): Promise<string> {
  const links = await page.evaluate<{ id: string; a: { netns: string }; b: { netns: string } }[]>('window.podnet.getState().then((s) => s.topology.links)')
  return links.find((l) => (l.a.netns === a && l.b.netns === b) || (l.a.netns === b && l.b.netns === a))?.id ?? ''
}

/** Opens a scenario as a new lab. */
export async function scenarioLab(page: Page, name: string): Promise<void> {
  await page.locator('#scenario-picker').selectOption(name)
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText(name)
}

/**
 * A new flannel VXLAN lab of this many nodes and pods per node, from the New lab dialog.
 * `building` runs right after Create is clicked (while the lab builds); `timeout`: how long the
 * drawing may take.
 */
export async function bigLab(page: Page, nodes: number, pods: number, opts: { building?: () => Promise<void>; timeout?: number } = {}): Promise<void> {
  const before = Number(await page.getByTestId('canvas').getAttribute('data-drawn'))
  await page.getByRole('button', { name: 'New lab with options…' }).click()
  const dialog = page.getByRole('dialog', { name: 'New lab from a scenario' })
  await dialog.getByText('Pod to pod across nodes, flannel VXLAN overlay').click()
  await dialog.getByLabel('Nodes', { exact: true }).fill(String(nodes))
  await dialog.getByLabel('Pods per node', { exact: true }).fill(String(pods))
  await dialog.getByRole('button', { name: 'Create' }).click()
  await opts.building?.()
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-drawn', String(before + 1), { timeout: opts.timeout ?? 30_000 })
}

/** Sends a packet from the Trace tab (the source picked from its list, as a learner does) and waits for the verdict. */
export async function sendTrace(page: Page, from: string, to: string): Promise<void> {
  await page.getByRole('tab', { name: 'Trace' }).click()
  const fromField = page.getByTestId('trace-from')
  await fromField.click()
  await fromField.fill(from)
  await fromField.press('Enter')
  await page.getByTestId('trace-to').fill(to)
  await page.getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toBeVisible()
}

/** Changes the cluster's mode with the canvas's mode picker, confirming. */
export async function pickMode(page: Page, mode: string): Promise<void> {
  await page.getByTestId('canvas-mode').selectOption(mode)
  await page.getByRole('dialog').getByRole('button', { name: 'Change mode' }).click()
  await expect(page.getByTestId('canvas-mode')).toHaveValue(mode)
}

/** Screenshots of the whole lab (Fit), in English and then in Japanese (back in English after). */
export async function screenshotsInBothLanguages(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Fit', exact: true }).click()
  await page.screenshot({ path: shot(`${name}-en.png`) })
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.getByTestId('legend')).toContainText('veth ペア')
  await page.screenshot({ path: shot(`${name}-ja.png`) })
  await page.getByRole('button', { name: 'EN', exact: true }).click()
  await expect(page.getByTestId('legend')).toContainText('veth pair')
}
