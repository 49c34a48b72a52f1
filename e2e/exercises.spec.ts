import { expect, test, type Page } from '@playwright/test'
import { watchPageErrors } from './canvas-page.ts'
import { expectScreen, openTerminal, terminalIn, typeLine } from './terminal-helpers.ts'
import bridgeDown from '../src-main/exercises/course/03-w1-bridge-down.ts'

// The exercises as a learner meets them in the browser build: the course from the toolbar, the
// Exercise tab, checks after each change, hints, progress kept across a reload, both languages.

test.use({ viewport: { width: 1600, height: 1000 } })

const problems = new WeakMap<Page, string[]>()

async function open(page: Page): Promise<void> {
  problems.set(page, watchPageErrors(page))
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
}

test.afterEach(async ({ page }) => {
  expect(problems.get(page) ?? [], 'errors in the page').toEqual([])
})

async function pick(page: Page, testid: string, name: string): Promise<void> {
  const field = page.getByTestId(testid)
  await field.click()
  await field.fill(name)
  await field.press('Enter')
}

async function startExercise(page: Page, id: string): Promise<void> {
  await page.getByTestId('toolbar-exercises').click()
  const row = page.locator(`[data-exercise="${id}"]`)
  await row.getByRole('button').first().click()
  await expect(page.getByTestId('exercise-course')).toBeHidden()
  await expect(page.getByTestId('exercise-panel')).toBeVisible()
}

function goal(page: Page, id: string) {
  return page.getByTestId('exercise-panel').locator(`[data-goal="${id}"]`)
}

test('the course lists every exercise; one is solved with panel edits, checked after each change', async ({ page }) => {
  await open(page)
  await page.getByTestId('toolbar-exercises').click()
  const course = page.getByTestId('exercise-course')
  await expect(course.locator('[data-exercise]')).toHaveCount(17)
  const first = course.locator('[data-exercise="w1-who-arps"]')
  await expect(first).toContainText('Who asks "who has 10.244.1.3?"')
  await expect(first).toContainText('Beginner')
  await expect(first).toContainText('5 min')
  await expect(first).toContainText('Not started')
  await expect(course).toContainText('Walkthrough 2 · routes between nodes')
  await expect(page.getByTestId('course-progress')).toHaveText('0 of 17 solved')
  await page.screenshot({ path: '/tmp/exercises-course-en.png' })

  await course.locator('[data-exercise="w2-ip-forward"]').getByRole('button', { name: 'Start' }).click()
  const panel = page.getByTestId('exercise-panel')
  await expect(panel.getByTestId('exercise-task')).toContainText('Pods on node1 cannot reach pods on node2')
  // Checked at once (check after each change is on): every goal fails, each saying why.
  await expect(goal(page, 'reach')).toContainText('pod1 → pod4 is dropped at node2: IP forwarding is off (net.ipv4.ip_forward = 0)')
  await expect(page.getByTestId('exercise-summary')).toHaveText('0 of 3 goals pass')
  await expect(page.getByTestId('exercise-status')).toHaveText('In progress')
  // The break is not the learner's: no history, nothing to undo.
  await expect(page.getByRole('button', { name: /Undo/ })).toBeDisabled()
  await page.screenshot({ path: '/tmp/exercises-failed-en.png' })

  // The fix, in the Namespace panel.
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await pick(page, 'ns-select', 'node2')
  await page.getByRole('switch', { name: 'IP forwarding' }).click()
  await page.getByRole('tab', { name: 'Exercise' }).click()
  await expect(page.getByTestId('exercise-summary')).toHaveText('Every goal passes: solved!')
  await expect(page.getByTestId('exercise-status')).toHaveText('Solved')
  await expect(page.getByTestId('exercise-explanation')).toContainText('node2 had net.ipv4.ip_forward = 0')
  await page.screenshot({ path: '/tmp/exercises-solved-en.png' })
  await page.getByTestId('toolbar-exercises').click()
  await expect(page.getByTestId('course-progress')).toHaveText('1 of 17 solved')
  await expect(course.locator('[data-exercise="w2-ip-forward"]')).toContainText('Solved')
})

test('one is solved in the terminal; hints come one by one and the solution only after the last', async ({ page }) => {
  await open(page)
  await startExercise(page, 'w2-missing-route')
  await expect(goal(page, 'reach')).toContainText('pod1 → pod4 is dropped at node1: no route to 10.244.2.3')
  await expect(page.getByText('The solution appears after the last hint.')).toBeVisible()
  const hints = page.getByTestId('exercise-hints')
  await page.getByTestId('exercise-hint').click()
  await expect(hints.locator('li')).toHaveCount(1)
  await expect(page.getByTestId('exercise-hint')).toHaveText('Show a hint (2 of 3)')
  await expect(page.getByTestId('exercise-solution')).toHaveCount(0)
  await page.getByTestId('exercise-hint').click()
  await expect(hints.locator('li')).toHaveCount(2)
  await expect(page.getByTestId('exercise-solution')).toHaveCount(0)
  await page.getByTestId('exercise-hint').click()
  await expect(hints.locator('li')).toHaveCount(3)
  await expect(page.getByTestId('exercise-hint')).toHaveCount(0)
  await expect(page.getByTestId('exercise-solution')).toHaveText('ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0')

  await terminalIn(page, 'node1')
  await typeLine(page, 'ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0')
  await expectScreen(page, /root@node1:~# ip route add 10\.244\.2\.0\/24 via 192\.168\.0\.12 dev eth0\nroot@node1:~#/)
  await expect(page.getByTestId('exercise-summary')).toHaveText('Every goal passes: solved!')
  await expect(page.getByTestId('exercise-status')).toHaveText('Solved')
})

test('progress and work in progress survive a reload; reset starts over', async ({ page }) => {
  await open(page)
  await startExercise(page, 'w1-bridge-down')
  await page.getByTestId('exercise-hint').click()
  await terminalIn(page, 'node1')
  await typeLine(page, 'ip link set vethaf9d6e67 up')
  await page.getByRole('tab', { name: 'Lab' }).click()
  await expect(page.getByTestId('history')).toContainText('ip netns exec node1 ip link set vethaf9d6e67 up')
  await startExercise(page, 'w2-ip-forward')
  await page.getByRole('tab', { name: 'Namespace' }).click()
  await pick(page, 'ns-select', 'node2')
  await page.getByRole('switch', { name: 'IP forwarding' }).click()
  await page.getByRole('tab', { name: 'Exercise' }).click()
  await expect(page.getByTestId('exercise-status')).toHaveText('Solved')

  await page.reload()
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  await page.getByTestId('toolbar-exercises').click()
  const course = page.getByTestId('exercise-course')
  await expect(course.locator('[data-exercise="w2-ip-forward"]')).toContainText('Solved')
  await expect(course.locator('[data-exercise="w1-bridge-down"]')).toContainText('In progress')
  await expect(course.locator('[data-exercise="w2-missing-route"]')).toContainText('Not started')
  await course.locator('[data-exercise="w1-bridge-down"]').getByRole('button', { name: 'Continue' }).click()
  // The learner's change and the hint they saw are still there.
  await expect(page.getByTestId('exercise-hints').locator('li')).toHaveCount(1)
  await page.getByRole('tab', { name: 'Lab' }).click()
  await expect(page.getByTestId('history')).toContainText('ip netns exec node1 ip link set vethaf9d6e67 up')
  await page.getByRole('tab', { name: 'Exercise' }).click()
  await page.getByTestId('exercise-reset').click()
  await page.getByRole('dialog').getByRole('button', { name: 'Reset exercise' }).click()
  await expect(page.getByRole('button', { name: /Undo/ })).toBeDisabled()
  await expect(page.getByTestId('exercise-hints').locator('li')).toHaveCount(1)
  await expect(goal(page, 'bridge-up')).toContainText('cbr0 in node1 is down')
})

test('in Japanese: the course, a failed check and a solved exercise', async ({ page }) => {
  await open(page)
  await page.getByRole('button', { name: '日本語' }).click()
  await page.getByTestId('toolbar-exercises').click()
  const course = page.getByTestId('exercise-course')
  await expect(course.locator('[data-exercise="w3-pod-mtu"]')).toContainText('小さなトンネルに大きなパケット')
  await expect(course.locator('[data-exercise="w3-pod-mtu"]')).toContainText('未着手')
  await expect(course).toContainText('ウォークスルー 3・flannel の VXLAN オーバーレイ')
  await expect(page.getByTestId('course-progress')).toHaveText('17 問中 0 問を解決')
  await page.screenshot({ path: '/tmp/exercises-course-ja.png' })
  await course.locator('[data-exercise="w3-missing-fdb"]').getByRole('button', { name: '始める' }).click()
  await expect(goal(page, 'reach')).toContainText('pod1 → pod4 は node1 で破棄される：flannel.1 に 02:3d:6c:ea:63:68 の VXLAN FDB エントリがない')
  await expect(page.getByTestId('exercise-summary')).toHaveText('目標 3 個中 0 個を満たしています')
  await page.screenshot({ path: '/tmp/exercises-failed-ja.png' })
  // The dock in Japanese: the same steps as terminalIn, with the tab's Japanese name.
  await page.getByRole('tab', { name: 'ターミナル' }).click()
  if ((await page.getByTestId('term-tab').and(page.locator('[data-netns="node1"]')).count()) === 0) await openTerminal(page, 'node1')
  await expect(page.getByTestId('terminal-screen')).toHaveAttribute('data-netns', 'node1')
  await page.getByTestId('terminal-screen').locator('.xterm').click()
  await typeLine(page, 'bridge fdb append 02:3d:6c:ea:63:68 dev flannel.1 dst 192.168.0.12 self permanent')
  await page.getByRole('tab', { name: '演習' }).click()
  await expect(page.getByTestId('exercise-summary')).toHaveText('すべての目標を満たしました。解決です！')
  await expect(page.getByTestId('exercise-status')).toHaveText('解決済み')
  await expect(page.getByTestId('exercise-explanation')).toContainText('flanneld はリモートノードごとに 3 つのものを設定します')
  await page.screenshot({ path: '/tmp/exercises-solved-ja.png' })
})

test('a question is answered in the checklist, and a teacher\'s file opens from disk', async ({ page }) => {
  await open(page)
  await startExercise(page, 'w1-who-arps')
  await expect(goal(page, 'who-arps')).toContainText('not answered yet')
  await goal(page, 'who-arps').getByLabel('pod1, through its eth0').check()
  await goal(page, 'bridge-does').getByLabel('It floods it out of its other ports and learns pod1\'s MAC').check()
  await expect(page.getByTestId('exercise-summary')).toHaveText('Every goal passes: solved!')

  // A lab saved during the exercise names it: opened again later, the exercise continues.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const saved = await (await download).path()
  await page.locator('#scenario-picker').selectOption('routed')
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.locator('.labname')).toHaveText('routed')
  await expect(page.getByTestId('exercise-panel')).toHaveCount(0)
  await page.getByTestId('open-file').setInputFiles(saved)
  await expect(page.getByTestId('exercise-panel')).toContainText('Who asks "who has 10.244.1.3?"')
  await expect(goal(page, 'who-arps').getByLabel('pod1, through its eth0')).toBeChecked()
  await expect(page.getByTestId('exercise-summary')).toHaveText('Every goal passes: solved!')

  await page.getByTestId('toolbar-exercises').click()
  await page.getByTestId('open-exercise-file').setInputFiles({ name: 'class.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bridgeDown.replace('id: w1-bridge-down', 'id: class-bridge').replace('en: After maintenance on node1', 'en: Our class bridge')) })
  await expect(page.getByTestId('exercise-panel')).toContainText('Our class bridge')
  await expect(goal(page, 'bridge-up')).toContainText('cbr0 in node1 is down')
  await page.getByTestId('toolbar-exercises').click()
  await expect(page.getByTestId('exercise-course')).toContainText('Your exercises')
  await expect(page.locator('[data-exercise="class-bridge"]')).toContainText('In progress')
})
