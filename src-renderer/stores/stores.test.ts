// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { requestMethods, type PodnetApi } from '../../shared/api.ts'
// The real handler table stands in for the desktop shell / Worker behind window.podnet.
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { useLabStore } from './lab.ts'
import { useSettingsStore } from './settings.ts'
import { MAX_HISTORY, useTerminalStore } from './terminal.ts'
import { useTraceStore } from './trace.ts'
import { useUiStore } from './ui.ts'

function installBackend(scenario = 'flannel-vxlan'): PodnetApi {
  const h = createHandlers(new LabService(scenario))
  // Every channel of the table, as the preload and the Worker client build them.
  const api: PodnetApi = requestMethods((m) => (payload) => (h[m] as (p?: unknown) => Promise<unknown>)(payload))
  Object.assign(window, { podnet: api })
  return api
}

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

describe('lab store', () => {
  it('loads scenarios and the open lab', async () => {
    installBackend()
    const lab = useLabStore()
    await lab.init()
    expect(lab.scenarios.length).toBeGreaterThan(3)
    expect(lab.state?.name).toBe('flannel-vxlan')
    expect(lab.nodes.map((n) => n.name)).toEqual(['node1', 'node2'])
    expect(lab.pods).toHaveLength(4)
    expect(lab.generation).toBe(1)
    lab.dispose()
  })

  it('shows why an edit failed, in the words of the command', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    expect(await lab.edit({ type: 'addRoute', netns: 'node1', route: '10.9.0.0/16 via 10.99.0.1' })).toBe(false)
    expect(ui.error?.message).toMatch(/Nexthop|gateway|unreachable/i)
    ui.error = null
    expect(await lab.edit({ type: 'removePod', name: 'ghost' })).toBe(false)
    expect(ui.error).toMatchObject({ code: 'not-found', path: 'name' })
    expect(lab.busy).toBe(false)
  })

  it('asks before replacing a lab with unsaved changes', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    await lab.edit({ type: 'setIpForward', netns: 'node1', on: false })
    expect(lab.state?.dirty).toBe(true)
    const refused = lab.newLab('same-node')
    await vi.waitFor(() => expect(ui.confirmation).not.toBeNull())
    ui.answer(false)
    expect(await refused).toBe(false)
    expect(lab.state?.name).toBe('flannel-vxlan')
    const accepted = lab.newLab('same-node')
    await vi.waitFor(() => expect(ui.confirmation).not.toBeNull())
    ui.answer(true)
    expect(await accepted).toBe(true)
    expect(lab.state?.name).toBe('same-node')
    expect(lab.generation).toBe(2)
  })

  it('downloads the lab file where no shell writes it', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    await lab.edit({ type: 'setIpForward', netns: 'node1', on: false })
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:lab')
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    await lab.save()
    expect(created).toHaveBeenCalledOnce()
    expect(clicked).toHaveBeenCalledOnce()
    expect(ui.notice).toContain('flannel-vxlan.yaml')
    expect(lab.state?.dirty).toBe(false)
    created.mockRestore()
    clicked.mockRestore()
  })

  it('applies the changes each reply carries: the same state the lab would send whole', async () => {
    const api = installBackend()
    const lab = useLabStore()
    await lab.init()
    const seq = lab.state!.seq
    const pod1 = lab.byName.get('pod1')
    await lab.edit({ type: 'setLink', netns: 'node1', device: 'cbr0', mtu: 1400 })
    await lab.exec('ip link add v1 type veth peer name v2', 'node2')
    await lab.edit({ type: 'addPod', name: 'web', node: 'node2' })
    await lab.exec('ping -c 1 10.244.2.2', 'pod1')
    await lab.undo()
    expect(lab.state!.seq).toBe(seq + 5)
    // What nothing touched is the very object the first state had.
    expect(lab.byName.get('pod1')).toBe(pod1)
    expect(lab.byName.get('node1')!.devices.find((d) => d.name === 'cbr0')!.mtu).toBe(1400)
    expect(lab.state!.history.map((h) => h.line)).toEqual(['ip -n node1 link set cbr0 mtu 1400', 'ip netns exec node2 ip link add v1 type veth peer name v2'])
    const whole = await api.getState()
    const sorted = <T extends { id: string }>(xs: readonly T[] | undefined): T[] => [...(xs ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))
    const { seq: _s, ...mine } = lab.state!
    const { seq: _w, ...theirs } = whole
    expect({ ...mine, topology: { ...mine.topology, links: sorted(mine.topology.links), tunnels: sorted(mine.topology.tunnels) } }).toEqual({ ...theirs, topology: { ...theirs.topology, links: sorted(theirs.topology.links), tunnels: sorted(theirs.topology.tunnels) } })
  })

  it('keeps the tables of the followed namespace fresh after every change', async () => {
    installBackend()
    const lab = useLabStore()
    await lab.init()
    await lab.followTables('node1')
    expect(lab.tables?.routes.some((r) => r.dst === '10.244.2.0/24' && r.dev === 'flannel.1')).toBe(true)
    await lab.exec('ip route add 10.99.0.0/16 via 192.168.0.12', 'node1')
    await vi.waitFor(() => expect(lab.tables?.routes.some((r) => r.dst === '10.99.0.0/16')).toBe(true))
    await lab.followTables(null)
    expect(lab.tables).toBeNull()
  })

  it('opens a lab file and reports a malformed one with its line', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    expect(await lab.openText('apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: {}\n', 'broken.yaml')).toBe(false)
    expect(ui.error?.code).toBe('lab-format')
    expect(ui.error?.message).toMatch(/^broken\.yaml:3:/)
    expect(lab.state?.name).toBe('flannel-vxlan')
  })
})

describe('terminal store', () => {
  it('opens terminals as tabs, one per namespace unless asked for another', () => {
    const term = useTerminalStore()
    const ui = useUiStore()
    const a = term.openTerminal('node1', { show: false })
    expect(ui.dockTab).toBe('trace')
    const b = term.openTerminal('pod1')
    expect(ui.dockTab).toBe('terminal')
    expect(term.openTerminal('node1').id).toBe(a.id)
    expect(term.activeId).toBe(a.id)
    const c = term.openTerminal('node1', { newTab: true })
    expect(term.tabs.map((t) => t.base)).toEqual(['node1', 'pod1', 'node1'])
    // A shell that entered another namespace is no longer "the terminal of node1".
    term.update(a.id, { netns: 'pod2' })
    term.update(c.id, { running: true })
    const d = term.openTerminal('node1')
    expect([a.id, b.id, c.id]).not.toContain(d.id)
    // Closing the active tab shows its right neighbour, else its left one.
    term.activate(b.id)
    term.close(b.id)
    expect(term.activeId).toBe(c.id)
    term.close(d.id)
    term.activate(c.id)
    term.close(c.id)
    expect(term.activeId).toBe(a.id)
    term.close(a.id)
    expect(term.active).toBeNull()
  })

  it('keeps a history per lab, as bash with HISTCONTROL=ignoreboth', () => {
    const term = useTerminalStore()
    term.useHistoryOf('lab-a')
    for (const l of ['ip route', 'ip route', ' ip secret', '', 'ping -c 1 10.244.2.3']) term.remember(l)
    expect(term.history).toEqual(['ip route', 'ping -c 1 10.244.2.3'])
    term.useHistoryOf('lab-b')
    expect(term.history).toEqual([])
    for (let i = 0; i < MAX_HISTORY + 5; i++) term.remember(`echo ${i}`)
    expect(term.history).toHaveLength(MAX_HISTORY)
    expect(term.history[0]).toBe('echo 5')
    // Another visit (a new store) finds each lab's history again.
    setActivePinia(createPinia())
    const again = useTerminalStore()
    again.useHistoryOf('lab-a')
    expect(again.history).toEqual(['ip route', 'ping -c 1 10.244.2.3'])
  })
})

describe('trace store', () => {
  it('suggests endpoints on different nodes, sends, and inspects a step', async () => {
    installBackend()
    const lab = useLabStore()
    const trace = useTraceStore()
    const ui = useUiStore()
    await lab.init()
    trace.suggest()
    expect(trace.from).toBe('pod1')
    expect(trace.to).toBe('pod3')
    trace.to = 'pod4'
    trace.warm = true
    await trace.send()
    expect(trace.current?.delivered).toBe(true)
    // It starts playing from the first step.
    expect(trace.playing).toBe(true)
    expect(trace.selected).toBe(0)
    const i = trace.current!.steps.findIndex((s) => s.kind === 'encap')
    trace.select(i)
    expect(trace.playing).toBe(false)
    expect(ui.rightTab).toBe('packet')
    expect(ui.selected).toBe('node1')
    await vi.waitFor(() => expect(trace.layers?.map((l) => l.name)).toEqual(expect.arrayContaining(['IPv4', 'UDP', 'VXLAN', 'Inner Ethernet'])))
    // The probe ran in a replay of the lab: the open lab's ARP table learned nothing.
    await lab.followTables('pod1')
    expect(lab.tables?.neighbours).toEqual([])
    // Clicking node2 on the canvas lists only its steps; the background lists all again.
    const all = trace.visible.length
    trace.showStepsAt('node2')
    expect(trace.visible.length).toBeGreaterThan(0)
    expect(trace.visible.length).toBeLessThan(all)
    for (const k of trace.visible) {
      const s = trace.current!.steps[k]
      expect(s.netns === 'node2' || s.params.peerNetns === 'node2').toBe(true)
    }
    trace.showStepsAt(null)
    expect(trace.visible.length).toBe(all)
    // A change to the lab marks the result out of date; a re-run on the changed lab is current again.
    expect(trace.stale).toBe(false)
    await lab.edit({ type: 'addNode', name: 'node3' })
    expect(trace.stale).toBe(true)
    await trace.rerun()
    expect(trace.stale).toBe(false)
    expect(trace.current?.request?.to).toBe('pod4')
    trace.reset()
    expect(trace.current).toBeNull()
    // Without a trace, a click on the canvas filters nothing.
    trace.showStepsAt('node1')
    expect(trace.focus).toBeNull()
  })
})

describe('trace store in a lab without pods', () => {
  it('starts a trace in a node, never in a switch, and in the first pod once there is one', async () => {
    installBackend('empty')
    const lab = useLabStore()
    const trace = useTraceStore()
    await lab.init()
    // The switch comes first in the lab: still no trace starts there.
    await lab.edit({ type: 'addSwitch', name: 'sw1' })
    trace.suggest()
    expect(trace.from).toBe('')
    await lab.edit({ type: 'addRouter', name: 'r1' })
    await lab.edit({ type: 'addWiredNode', name: 'node1', wire: 'sw1' })
    trace.suggest()
    expect(trace.from).toBe('node1')
    await lab.edit({ type: 'addPod', name: 'pod1', node: 'node1' })
    trace.suggest()
    expect(trace.from).toBe('pod1')
    // The learner's own choice stays.
    trace.from = 'node1'
    await lab.edit({ type: 'addPod', name: 'pod2', node: 'node1' })
    trace.suggest()
    expect(trace.from).toBe('node1')
    lab.dispose()
  })
})

describe('settings store', () => {
  it('tells the desktop shell the language, so its menus and dialogs follow', async () => {
    const api = installBackend()
    const told: string[] = []
    Object.assign(api, { onShellEvent: () => () => {}, setLanguage: async (r: { lang: 'en' | 'ja' }) => (told.push(r.lang), r) })
    const s = useSettingsStore()
    s.setLang('ja')
    await vi.waitFor(() => expect(told).toEqual(['en', 'ja']))
    delete (window as { podnet?: unknown }).podnet
  })

  it('remembers the language', () => {
    const s = useSettingsStore()
    s.setLang('ja')
    return vi.waitFor(() => {
      expect(localStorage.getItem('podnet.lang')).toBe('ja')
      expect(document.documentElement.lang).toBe('ja')
    })
  })
})
