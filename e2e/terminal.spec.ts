import { expect, test, type Page } from '@playwright/test'
import { watchPageErrors } from './canvas-page.ts'
import { canvasPoint, expectScreen, openTerminal, screenText, terminalIn, typeLine } from './terminal-helpers.ts'

// The terminal as someone who lives in bash uses it: real keys into xterm.js, the screen read
// back through its screen-reader rows. Each test gets a fresh page, so a fresh lab.

const problems = new WeakMap<Page, string[]>()

async function open(page: Page, scenario = 'flannel-vxlan'): Promise<void> {
  problems.set(page, watchPageErrors(page))
  await page.goto('/')
  await expect(page.getByTestId('topology-outline')).toContainText('pod1')
  if (scenario !== 'same-node') {
    await page.locator('#scenario-picker').selectOption(scenario)
    await page.getByRole('button', { name: 'New', exact: true }).click()
    await expect(page.locator('.labname')).toHaveText(scenario)
  }
}

test.afterEach(async ({ page }) => {
  expect(problems.get(page) ?? [], 'errors in the page').toEqual([])
})

test('a node terminal runs commands, edits lines and browses the history as bash', async ({ page }) => {
  // Many keys, each waited for: on a loaded machine this takes longer than one check.
  test.slow()
  await open(page)
  await terminalIn(page, 'node1')
  await typeLine(page, 'ip route')
  await expectScreen(page, 'root@node1:~# ip route\n10.244.1.0/24 dev cbr0 proto kernel scope link src 10.244.1.1\n10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink')
  await typeLine(page, 'ip link show nothing')
  await expectScreen(page, 'root@node1:~# ip link show nothing\nDevice "nothing" does not exist.\nroot@node1:~#')

  // ←, Home, Ctrl+E, Ctrl+W, Ctrl+U, Ctrl+K on the line being typed.
  const kb = page.keyboard
  await kb.type('ip rute')
  for (let i = 0; i < 3; i++) await kb.press('ArrowLeft')
  await kb.type('o')
  await kb.press('End')
  await kb.type(' show dev eth0')
  await kb.press('Control+w')
  await kb.press('Home')
  await kb.type('  ')
  await kb.press('Control+e')
  await kb.type('cbr0')
  await kb.press('Enter')
  await expectScreen(page, 'root@node1:~#   ip route show dev cbr0\n10.244.1.0/24 proto kernel scope link src 10.244.1.1')
  await kb.type('ip neigh show')
  await kb.press('Control+a')
  await kb.press('Control+k')
  await kb.type('ip -br link show cbr0')
  await kb.press('Control+a')
  await kb.press('Control+ArrowRight')
  await kb.press('Control+u')
  await kb.type('echo')
  await kb.press('Enter')
  await expectScreen(page, 'root@node1:~# echo -br link show cbr0\n-br link show cbr0')

  // ↑ brings lines back (a line typed with a leading space is not kept, as HISTCONTROL=ignoreboth).
  await kb.press('ArrowUp')
  await kb.press('ArrowUp')
  await kb.press('Enter')
  await expectScreen(page, /root@node1:~# ip link show nothing\nDevice "nothing" does not exist.\nroot@node1:~#$/)
  // Ctrl+R finds the last line containing "rou" and runs it.
  await kb.press('Control+r')
  await kb.type('rou')
  await expectScreen(page, "(reverse-i-search)`rou': ip route")
  await kb.press('Enter')
  await expectScreen(page, /root@node1:~# ip route\n10\.244\.1\.0\/24 dev cbr0[^\n]*\n10\.244\.2\.0\/24 via[^\n]*\n192\.168\.0\.0\/24 dev eth0[^\n]*\nroot@node1:~#$/)

  // Ctrl+C abandons a line; Ctrl+L clears the screen but keeps the line.
  await kb.type('ping 10.244.2.3')
  await kb.press('Control+c')
  await expectScreen(page, /root@node1:~# ping 10\.244\.2\.3\^C\nroot@node1:~#$/)
  await kb.type('ip a')
  await kb.press('Control+l')
  await expect.poll(() => screenText(page)).toBe('root@node1:~# ip a')
  await kb.press('Control+u')
  await typeLine(page, 'brctl show')
  // Tabs in the output land on the terminal's tab stops, as in any terminal.
  await expectScreen(page, 'bridge name     bridge id               STP enabled     interfaces\ncbr0            8000.')
  await page.screenshot({ path: '/tmp/ui-e2e-terminal.png' })
  await typeLine(page, 'clear')
  await expect.poll(() => screenText(page)).toBe('root@node1:~#')
})

test('a paste of three lines runs them one after another, as bash reads them', async ({ page }) => {
  await open(page)
  await terminalIn(page, 'pod1')
  // Copied text, pasted with Ctrl+V: the browser's own paste into the terminal.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify('ip -br addr show eth0\nip route\nip neigh show\n')})`)
  await page.keyboard.press('Control+V')
  await expectScreen(
    page,
    /root@pod1:\/# ip -br addr show eth0\neth0@if\d+ +UP +10\.244\.1\.2\/24 [^\n]*\nroot@pod1:\/# ip route\ndefault via 10\.244\.1\.1 dev eth0\n10\.244\.1\.0\/24 dev eth0 proto kernel scope link src 10\.244\.1\.2\nroot@pod1:\/# ip neigh show\nroot@pod1:\/#$/,
  )
})

test('ip netns exec NS bash enters a namespace until exit; exit in the last shell closes the tab', async ({ page }) => {
  await open(page)
  await terminalIn(page, 'node1')
  await typeLine(page, 'ip netns exec pod2 bash')
  await expectScreen(page, 'root@node1:~# ip netns exec pod2 bash\nroot@pod2:/#')
  await expect(page.getByTestId('term-tab').first()).toHaveText('node1 › pod2')
  await typeLine(page, 'ip -br a show eth0')
  await expectScreen(page, /root@pod2:\/# ip -br a show eth0\neth0@if\d+ +UP +10\.244\.1\.3\/24/)
  await typeLine(page, 'exit')
  await expectScreen(page, /root@pod2:\/# exit\nroot@node1:~#$/)
  await expect(page.getByTestId('term-tab').first()).toHaveText('node1')
  // A second terminal, in pod3, as a tab of its own; its screen is its own.
  await openTerminal(page, 'pod3')
  await expect(page.getByTestId('term-tab')).toHaveCount(2)
  await expectScreen(page, /^root@pod3:\/#$/)
  await page.keyboard.press('Control+d')
  await expect(page.getByTestId('term-tab')).toHaveCount(1)
  await expectScreen(page, 'root@pod2:/# exit')
  await typeLine(page, 'exit')
  await expect(page.getByTestId('term-tab')).toHaveCount(0)
  await expect(page.getByText('No terminal is open.')).toBeVisible()
})

test('the canvas context menu opens a terminal where it was asked for', async ({ page }) => {
  await open(page)
  await expect.poll(() => canvasPoint(page, 'pod1')).not.toBeNull()
  const pod1 = (await canvasPoint(page, 'pod1'))!
  await page.mouse.click(pod1.x, pod1.y, { button: 'right' })
  const menu = page.getByRole('menu', { name: 'Actions for pod1' })
  await expect(menu).toBeVisible()
  await expect(menu.getByRole('menuitem')).toHaveText(['Open terminal here', 'Open a new terminal here', 'Show details', 'Trace from here', 'Trace to here', 'Rename…', 'Delete'])
  await page.screenshot({ path: '/tmp/ui-e2e-terminal-menu.png' })
  await menu.getByRole('menuitem', { name: 'Open terminal here' }).click()
  await expect(menu).toHaveCount(0)
  await expect(page.getByTestId('terminal-screen')).toHaveAttribute('data-netns', 'pod1')
  await page.getByTestId('terminal-screen').locator('.xterm').click()
  await typeLine(page, 'ip -br a show eth0')
  await expectScreen(page, /^root@pod1:\/# ip -br a show eth0\neth0@if\d+ +UP +10\.244\.1\.2\/24/)

  // With the keyboard: ↓ to the second item, Enter: a second terminal in node1; Esc closes the menu.
  const node1 = (await canvasPoint(page, 'node1'))!
  await page.mouse.click(node1.x, node1.top + 6, { button: 'right' })
  await expect(page.getByRole('menu', { name: 'Actions for node1' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('canvas-menu')).toHaveCount(0)
  const tabs = await page.getByTestId('term-tab').count()
  await page.mouse.click(node1.x, node1.top + 6, { button: 'right' })
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('term-tab')).toHaveCount(tabs + 1)
  await expect(page.getByTestId('terminal-screen')).toHaveAttribute('data-netns', 'node1')
  await expectScreen(page, /^root@node1:~#$/)
})

test('Tab completes from the command language and the lab; a second Tab lists the candidates', async ({ page }) => {
  await open(page)
  await terminalIn(page, 'node1')
  const kb = page.keyboard
  await kb.type('ip ro')
  await kb.press('Tab')
  await kb.type('sh')
  await kb.press('Tab')
  await expectScreen(page, /root@node1:~# ip route show$/)
  await kb.press('Enter')
  await expectScreen(page, 'root@node1:~# ip route show\n10.244.1.0/24 dev cbr0 proto kernel scope link src 10.244.1.1')
  // Ambiguous: the first Tab rings, the second lists, as bash does; the line is kept.
  await kb.type('ip n')
  await kb.press('Tab')
  await kb.press('Tab')
  await expectScreen(page, /root@node1:~# ip ne\nneigh +netns\nroot@node1:~# ip ne$/)
  await kb.type('i')
  await kb.press('Tab')
  // Device names of the namespace, and a sysctl key a dot at a time.
  await kb.type('show dev f')
  await kb.press('Tab')
  await expectScreen(page, /root@node1:~# ip neigh show dev flannel\.1$/)
  await kb.press('Control+u')
  await kb.type('sysctl net.ipv4.conf.cb')
  await kb.press('Tab')
  await kb.type('rp_f')
  await kb.press('Tab')
  await kb.press('Enter')
  await expectScreen(page, 'root@node1:~# sysctl net.ipv4.conf.cbr0.rp_filter\nnet.ipv4.conf.cbr0.rp_filter = ')
  // Inside ip netns exec, the words are pod1's.
  await kb.type('ip netns exec pod1 ip link set ')
  await kb.press('Tab')
  await kb.press('Tab')
  await expectScreen(page, /\neth0 +lo\nroot@node1:~# ip netns exec pod1 ip link set$/)
  await page.screenshot({ path: '/tmp/ui-e2e-terminal-complete.png' })
})

test('ping streams a line a second; tcpdump in node1 shows it live on flannel.1; Ctrl+C prints the statistics', async ({ page }) => {
  await open(page)
  await terminalIn(page, 'pod1')
  const t0 = Date.now()
  await typeLine(page, 'ping 10.244.2.3')
  await expectScreen(page, /root@pod1:\/# ping 10\.244\.2\.3\nPING 10\.244\.2\.3 \(10\.244\.2\.3\) 56\(84\) bytes of data\.\n64 bytes from 10\.244\.2\.3: icmp_seq=1 ttl=62 time=[\d.]+ ms/)
  // Paced to wall time: the third reply comes two seconds after the first, not 600 at once.
  await expectScreen(page, /icmp_seq=3 /)
  expect(Date.now() - t0).toBeGreaterThan(1_900)
  expect(await screenText(page)).not.toMatch(/icmp_seq=12 /)
  await expect(page.getByTestId('term-tab').and(page.locator('[data-netns="pod1"]'))).toContainText('pod1')

  // Another terminal, in node1, watches the overlay while the ping goes on.
  await openTerminal(page, 'node1')
  await expect(page.getByTestId('terminal-screen')).toHaveAttribute('data-netns', 'node1')
  await page.getByTestId('terminal-screen').locator('.xterm').click()
  await typeLine(page, 'tcpdump -i flannel.1 -n -c 4')
  await expectScreen(
    page,
    /root@node1:~# tcpdump -i flannel\.1 -n -c 4\ntcpdump: verbose output suppressed, use -v\[v\]\.\.\. for full protocol decode\nlistening on flannel\.1, link-type EN10MB \(Ethernet\), snapshot length 262144 bytes\n(\d\d:\d\d:\d\d\.\d{6} IP 10\.244\.1\.2 > 10\.244\.2\.3: ICMP echo request, id \d+, seq \d+, length 64\n\d\d:\d\d:\d\d\.\d{6} IP 10\.244\.2\.3 > 10\.244\.1\.2: ICMP echo reply, id \d+, seq \d+, length 64\n){2}4 packets captured\n4 packets received by filter\n0 packets dropped by kernel\nroot@node1:~#$/,
  )
  await page.screenshot({ path: '/tmp/ui-e2e-terminal-tcpdump.png' })

  // Back to pod1: the ping still runs; Ctrl+C stops it with iputils' statistics.
  await page.getByTestId('term-tab').and(page.locator('[data-netns="pod1"]')).click()
  await page.getByTestId('terminal-screen').locator('.xterm').click()
  await page.keyboard.press('Control+c')
  await expectScreen(page, /icmp_seq=\d+ ttl=62 time=[\d.]+ ms\n\^C\n--- 10\.244\.2\.3 ping statistics ---\n(\d+) packets transmitted, \1 received, 0% packet loss, time \d+ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\nroot@pod1:\/#$/)
  await page.screenshot({ path: '/tmp/ui-e2e-terminal-ping.png' })
  // Observations are not changes: the lab's history has nothing to undo.
  await expect(page.getByRole('button', { name: /Undo/ })).toBeDisabled()
})
