import { expect, test, type Page } from '@playwright/test'
import { watchPageErrors } from './canvas-page.ts'

/** For the specs of the trace player and the Compare view. Screenshots go here. */
export const SHOTS = '/tmp/player-shots'

/**
 * Fails each test whose page threw or logged an error. Call at the top level; the function it
 * returns starts watching a page.
 */
export function failOnPageErrors(): (page: Page) => void {
  const problems = new WeakMap<Page, string[]>()
  test.afterEach(async ({ page }) => {
    expect(problems.get(page) ?? [], 'errors in the page').toEqual([])
  })
  return (page) => void problems.set(page, watchPageErrors(page))
}

/** Opens the app and makes a new lab of a scenario with the toolbar's New button. */
export async function openScenario(page: Page, scenario: string): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await page.locator('#scenario-picker').selectOption(scenario)
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText(scenario)
}

/** A flannel VXLAN lab of 100 nodes (or `nodes`) with two pods each (pod1 ... pod200), made in the New lab dialog. */
export async function newHundredNodeLab(page: Page, nodes = 100): Promise<void> {
  await page.getByRole('button', { name: 'New lab with options…' }).click()
  const dialog = page.getByRole('dialog', { name: 'New lab from a scenario' })
  await dialog.getByText('Pod to pod across nodes, flannel VXLAN overlay').click()
  await dialog.getByLabel('Nodes', { exact: true }).fill(String(nodes))
  await dialog.getByLabel('Pods per node', { exact: true }).fill('2')
  await dialog.getByRole('button', { name: 'Create' }).click()
  // A bigger lab's outline lists its nodes with their pod counts, not every pod.
  const last = nodes <= 100 ? `pod${2 * nodes}: pod (node${nodes})` : `node${nodes}: node`
  await expect(page.getByTestId('topology-outline')).toContainText(last, { timeout: 30_000 })
}

/** A lab file whose opening replays a long history (`commands` changes over `nodes` nodes). */
/**
 * Presses the progress bar's Cancel as soon as its step text matches `steps` (a regular
 * expression's source), from inside the page: on a quiet machine a long replay ends a few hundred
 * milliseconds after the bar shows, sooner than a click sent from the test would land. The step
 * text seen when Cancel was pressed is kept in `window.cancelSeen`.
 */
export async function cancelWhenSteps(page: Page, steps: string): Promise<void> {
  // A string: this file is type-checked without the DOM's types.
  await page.evaluate(`(() => {
    delete window.cancelSeen
    const re = new RegExp(${JSON.stringify(steps)})
    const observer = new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="work-progress"]')
      const text = bar?.querySelector('[data-testid="work-steps"]')?.textContent ?? ''
      const button = bar?.querySelector('[data-testid="work-cancel"]')
      if (!button || !re.test(text)) return
      observer.disconnect()
      window.cancelSeen = text
      button.click()
    })
    observer.observe(document.body, { subtree: true, childList: true, characterData: true })
  })()`)
}

export function longHistoryLab(nodes: number, commands: number): string {
  const lines = ['apiVersion: podnet.dev/v1', 'kind: Lab', 'metadata:', '  name: long-history', 'spec:', '  cluster:', '    mode: routes', '    clusterCidr: 10.244.0.0/16', '    underlay:', '      kind: switch', '      cidr: 192.168.0.0/24', '    nodes:']
  for (let i = 1; i <= nodes; i++) lines.push(`      - name: node${i}`, '        pods:', `          - name: pod${i}a`, `          - name: pod${i}b`)
  lines.push('  commands:')
  // Host routes to addresses outside the cluster, each via another node.
  for (let i = 0; i < commands; i++) lines.push(`    - ip -n node${(i % nodes) + 1} route add 10.100.${i >> 8}.${i & 255}/32 via 192.168.0.${11 + ((i + 1) % nodes)}`)
  return lines.join('\n') + '\n'
}
