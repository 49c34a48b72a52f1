import { expect, test, type Page } from '@playwright/test'
import type { Core } from 'cytoscape'
import { watchPageErrors } from './canvas-page.ts'
import { canvasPoint } from './terminal-helpers.ts'
import { englishWords, findEnglish, type Finding } from './japanese-words.ts'
import { findStep } from './trace-steps.ts'

// Every view, panel and dialog in Japanese: each is opened as a learner opens it, and what can be
// read there (text, tooltips, labels, placeholders, options) must hold no English word beyond the
// names Linux and the protocols keep (e2e/japanese-words.ts). What Linux prints (terminal output,
// table rows, field values) stays as Linux prints it.

test.use({ viewport: { width: 1600, height: 1000 } })

const SHOTS = '/tmp/player-shots'

test('every view in Japanese reads in Japanese', async ({ page }) => {
  test.setTimeout(150_000)
  const errors = watchPageErrors(page)
  const found: Finding[] = []
  // The lab's own names (namespaces, scenarios) are names, in any language.
  const names = new Set<string>(['nosuch'])
  const look = async (label: string, shot?: string): Promise<void> => {
    for (const v of await page.locator('#scenario-picker option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))) names.add(v)
    for (const li of await page.getByTestId('topology-outline').locator('li').allTextContents()) names.add(li.split(':')[0].trim())
    found.push(...(await findEnglish(page, label, names)))
    if (shot) await page.screenshot({ path: `${SHOTS}/ja-${shot}.png` })
  }
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await page.getByRole('button', { name: '日本語' }).click()
  await page.locator('#scenario-picker').selectOption('flannel-vxlan')
  await page.getByRole('button', { name: '新規', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('flannel-vxlan')
  await look('start', 'start')

  // The New lab dialog.
  await page.getByRole('button', { name: /オプションを指定/ }).click()
  await expect(page.getByRole('dialog')).toBeVisible()
  await look('new-lab dialog', 'new-lab')
  // Counts the scenario cannot take: said in the dialog, in Japanese, and Create waits.
  await page.getByLabel('ノード数').fill('1000')
  await page.getByLabel('ノードあたりの Pod 数').fill('100')
  await expect(page.getByTestId('new-problem')).toHaveText('1000 ノード × 100 Pod で Pod が 100000 個になります。ラボに置ける Pod は最大 50000 個です')
  await expect(page.getByRole('button', { name: '作成', exact: true })).toBeDisabled()
  await look('new-lab dialog with counts too big', 'new-lab-too-big')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)

  // The export menu of the toolbar.
  await page.getByRole('button', { name: /エクスポート/ }).first().click()
  await look('export menu')
  await page.keyboard.press('Escape')

  // A trace, played and stepped; the inspector at the encapsulation.
  await page.getByRole('tab', { name: 'トレース' }).click()
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByTestId('send-form').getByRole('button', { name: /パケットを送信/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('pod4 に届く')
  await page.keyboard.press('Space')
  await (await findStep(page, { css: '[data-kind="encap"]' })).click()
  await look('trace + inspector', 'trace')
  await (await findStep(page, { css: '[data-kind="arp"]' })).click()
  await look('inspector at ARP')

  // The namespace panel of a node; then a change, so the trace is out of date; a drop.
  await page.getByRole('tab', { name: '名前空間' }).click()
  await page.getByTestId('ns-select').click()
  await page.getByTestId('ns-select').fill('node1')
  await page.getByTestId('ns-select').press('Enter')
  await look('namespace node1', 'namespace')
  // A form's value the lab refuses (an MTU out of range): the lab's reason, in Japanese.
  await page.getByLabel('MTU eth0').fill('70000')
  await page.getByLabel('MTU eth0').press('Enter')
  await expect(page.getByTestId('error')).toContainText('68 から 65535 までの整数を指定してください（数値 70000 は使えません）')
  await look('error banner of a refused MTU', 'error-mtu')
  await page.getByTestId('error').getByRole('button').click()
  await page.locator('[data-testid="routes"] li', { hasText: '10.244.2.0/24' }).getByRole('button').click()
  await page.getByRole('tab', { name: 'トレース' }).click()
  await expect(page.getByTestId('stale')).toBeVisible()
  await page.getByTestId('rerun').click()
  await expect(page.getByTestId('verdict')).toContainText('届かない — 10.244.1.1：ICMP ネットワーク到達不能')
  await (await findStep(page, { css: '[data-kind="drop"]' })).click()
  await look('trace at a drop', 'drop')

  // An error banner: a destination that does not exist.
  await page.getByTestId('trace-to').fill('nosuch')
  await page.getByTestId('send-form').getByRole('button', { name: /パケットを送信/ }).click()
  await expect(page.getByTestId('error')).toBeVisible()
  await look('error banner', 'error')
  await page.getByTestId('error').getByRole('button').click()
  // A destination that cannot be one (a blank in it): what the field takes, in Japanese.
  await page.getByTestId('trace-to').fill('pod 4')
  await page.getByTestId('send-form').getByRole('button', { name: /パケットを送信/ }).click()
  await expect(page.getByTestId('error')).toContainText('Pod、名前空間、IPv4 アドレスのいずれかを指定してください（"pod 4" は使えません）')
  await look('error banner of a refused destination')
  await page.getByTestId('error').getByRole('button').click()

  // A malformed lab file opened: the banner says what is wrong and where (file, line, column, field), in Japanese.
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: '開く…' }).click()
  const broken = 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata:\n  name: broken\nspec:\n  seed: 1\n  colour: red\n  commands: []\n'
  // The file's own keys are written as the file has them (like Linux's names), the wrong one included.
  for (const key of ['colour', 'spec', 'seed', 'cluster', 'setup', 'commands', 'clock']) names.add(key)
  await (await chooser).setFiles({ name: 'broken.podnet', mimeType: 'application/yaml', buffer: Buffer.from(broken) })
  // The lab has an unsaved change (the route deleted): asked first; the open fails, so the lab stays as it is.
  await page.getByRole('button', { name: '変更を破棄' }).click()
  await expect(page.getByTestId('error')).toContainText('broken.podnet の 7 行 3 列：spec.colour：「colour」は不明なフィールドです')
  await look('error banner of a malformed lab file', 'error-lab-file')
  await page.getByTestId('error').getByRole('button').click()

  // A lab file that reads well but cannot be built (two nodes with one address): the build's reason, in Japanese, and where.
  const clash = [
    'apiVersion: podnet.dev/v1', 'kind: Lab', 'metadata:', '  name: clash', 'spec:', '  seed: 1', '  cluster:', '    mode: routes',
    '    clusterCidr: 10.244.0.0/16', '    underlay:', '      kind: switch', '      cidr: 192.168.0.0/24', '    nodes:',
    '      - name: node1', '        ip: 192.168.0.11', '        pods: []', '      - name: node2', '        ip: 192.168.0.11', '        pods: []', '  commands: []', '',
  ].join('\n')
  for (const key of ['nodes', 'ip']) names.add(key)
  const chooser2 = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: '開く…' }).click()
  await (await chooser2).setFiles({ name: 'clash.podnet', mimeType: 'application/yaml', buffer: Buffer.from(clash) })
  await page.getByRole('button', { name: '変更を破棄' }).click()
  await expect(page.getByTestId('error')).toContainText('clash.podnet の 18 行 13 列：spec.cluster.nodes[1].ip：192.168.0.11 はすでに node1 が使っています')
  await expect(page.getByTestId('error').locator('[data-code]')).toHaveText('構築できない')
  await look('error banner of a lab that cannot be built', 'error-lab-build')
  await page.getByTestId('error').getByRole('button').click()

  // Compare, with a result.
  await page.getByRole('button', { name: /元に戻す/ }).click()
  await page.getByRole('tab', { name: '比較' }).click()
  await page.getByTestId('compare-to').fill('pod4')
  await page.getByTestId('compare-run').click()
  await expect(page.getByTestId('compare-summary')).toBeVisible({ timeout: 30_000 })
  await look('compare', 'compare')

  // The terminal and the events.
  await page.getByRole('tab', { name: 'ターミナル' }).click()
  await look('terminal')
  await page.getByRole('tab', { name: /イベント/ }).click()
  await look('events', 'events')

  // The lab tab, the canvas's context menu, and the confirmation before deleting a node.
  await page.getByRole('tab', { name: 'ラボ' }).click()
  await look('lab overview')
  await expect.poll(() => canvasPoint(page, 'node1')).not.toBeNull()
  const node1 = (await canvasPoint(page, 'node1'))!
  await page.mouse.click(node1.x, node1.top + 6, { button: 'right' })
  await expect(page.getByTestId('canvas-menu')).toBeVisible()
  await look('canvas menu', 'menu')
  await page.getByTestId('canvas-menu').locator('[data-action="delete"]').click()
  await expect(page.getByRole('dialog')).toBeVisible()
  await look('confirm dialog', 'confirm')
  await page.keyboard.press('Escape')

  // The exercises: the course list, then one open in its panel, checked.
  await page.getByTestId('toolbar-exercises').click()
  await expect(page.getByTestId('exercise-course')).toBeVisible()
  await look('exercise course', 'course')
  await page.getByTestId('exercise-course').locator('[data-exercise="w2-ip-forward"]').getByRole('button').click()
  // The lab has unsaved changes: asked first.
  await expect(page.getByRole('dialog', { name: '演習を開きますか？' })).toBeVisible()
  await look('discard dialog')
  await page.getByRole('button', { name: '演習を開く' }).click()
  await expect(page.getByTestId('exercise-panel')).toBeVisible()
  await page.getByTestId('exercise-check').click()
  await look('exercise panel', 'exercise')

  // Each word once, with the first text and place it was seen in.
  const byWord = new Map<string, Finding>()
  for (const f of found) if (!byWord.has(f.word)) byWord.set(f.word, f)
  const report = [...byWord.values()].map((f) => `${f.word}  in "${f.text}"  (${f.where})`)
  expect(report, 'English words in the Japanese UI').toEqual([])
  expect(errors).toEqual([])
})

/** What the canvas draws: each element's words and place (Cytoscape's own, as drawn). */
async function drawnWords(page: Page): Promise<{ id: string; label: string; x: number; y: number }[]> {
  return page.getByTestId('canvas').evaluate((el) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy
    return cy.nodes().map((n) => ({ id: n.id(), label: String(n.data('label') ?? ''), x: Math.round(n.position('x')), y: Math.round(n.position('y')) })).sort((a, b) => a.id.localeCompare(b.id))
  })
}

async function zoomOf(page: Page): Promise<number> {
  return page.getByTestId('canvas').evaluate((el) => (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy.zoom())
}

test('a change of language rewrites the canvas and the open panels in place: the words change, nothing moves', async ({ page }) => {
  test.setTimeout(90_000)
  const errors = watchPageErrors(page)
  await page.goto('/')
  await page.locator('#scenario-picker').selectOption('flannel-vxlan')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('flannel-vxlan')
  const names = new Set<string>(['flannel-vxlan'])
  for (const li of await page.getByTestId('topology-outline').locator('li').allTextContents()) names.add(li.split(':')[0].trim())
  // Far out, each node is one summary box that says how many pods it runs.
  for (let i = 0; i < 12 && (await zoomOf(page)) >= 0.2; i++) await page.getByRole('button', { name: 'Zoom out' }).click()
  await expect.poll(async () => (await drawnWords(page)).filter((n) => /\d+ pods?\b/.test(n.label)).length).toBeGreaterThan(1)
  const en = await drawnWords(page)
  expect(en.flatMap((n) => englishWords(n.label, names))).toContain('switch')
  await page.getByRole('button', { name: '日本語' }).click()
  await expect.poll(async () => (await drawnWords(page)).flatMap((n) => englishWords(n.label, names))).toEqual([])
  const ja = await drawnWords(page)
  // The same elements in the same places; every word drawn is Japanese (names and addresses stay).
  expect(ja.map(({ id, x, y }) => ({ id, x, y }))).toEqual(en.map(({ id, x, y }) => ({ id, x, y })))
  expect(ja.some((n) => n.label.includes('L2 スイッチ'))).toBe(true)
  await page.getByRole('button', { name: 'EN', exact: true }).click()
  await expect.poll(() => drawnWords(page)).toEqual(en)

  // With a trace on show and a node selected (its pods and interfaces drawn), the Lab tab's list open.
  await page.getByRole('tab', { name: 'Trace' }).click()
  await page.getByTestId('trace-to').fill('pod4')
  await page.getByTestId('send-form').getByRole('button', { name: /Send packet/ }).click()
  await expect(page.getByTestId('verdict')).toContainText('reaches pod4')
  await page.getByRole('tab', { name: 'Lab' }).click()
  await page.getByTestId('ns-search').fill('node1')
  await page.getByTestId('ns-list').getByRole('button', { name: /^node node1\b/ }).click()
  await expect(page.locator('.ns h2')).toHaveText('node1')
  await expect.poll(async () => (await drawnWords(page)).some((n) => n.id === 'if:node1/eth0')).toBe(true)
  // A moment after the node is selected its box can still settle by a pixel (seen up to 2 s
  // later): take the places once two looks 800 ms apart agree.
  const places = async (): Promise<string> => JSON.stringify((await drawnWords(page)).map(({ id, x, y }) => ({ id, x, y })))
  let last = ''
  await expect.poll(async () => last === (last = await places()), { intervals: [800], timeout: 20_000 }).toBe(true)
  const near = await drawnWords(page)
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.getByTestId('legend')).toContainText('veth ペア')
  await expect(page.locator('.ns h2')).toHaveText('node1')
  await expect.poll(async () => (await drawnWords(page)).flatMap((n) => englishWords(n.label, names))).toEqual([])
  expect((await drawnWords(page)).map(({ id, x, y }) => ({ id, x, y }))).toEqual(near.map(({ id, x, y }) => ({ id, x, y })))
  // The panels, the dock and the lists read in Japanese too.
  expect((await findEnglish(page, 'after the switch', names)).map((f) => `${f.word} in "${f.text}" (${f.where})`)).toEqual([])
  await page.getByRole('tab', { name: 'トレース' }).click()
  await expect(page.getByTestId('verdict')).toContainText('pod4 に届く')
  expect((await findEnglish(page, 'trace after the switch', names)).map((f) => `${f.word} in "${f.text}" (${f.where})`)).toEqual([])
  await page.getByRole('button', { name: 'EN', exact: true }).click()
  await expect.poll(() => drawnWords(page)).toEqual(near)
  expect(errors).toEqual([])
})

test('the word check itself: English words are found, names and Linux words are not', () => {
  expect(englishWords('ICMP ネットワーク到達不能（タイプ 3、コード 0）')).toEqual([])
  expect(englishWords('ICMP Destination Net Unreachable を送る')).toEqual(['Destination', 'Net'])
  expect(englishWords('eth0 が「10.244.1.1 は 02:29:af:95:3e:d7」と応答する、flannel.1 の lladdr')).toEqual([])
  expect(englishWords('iproute2 スクリプト（.sh）、ENETUNREACH')).toEqual([])
  expect(englishWords('to: no pod or namespace named "x"')).toEqual(['to', 'no', 'or', 'namespace', 'named'])
  expect(englishWords('Podを underlay に', new Set(['underlay']))).toEqual([])
})
