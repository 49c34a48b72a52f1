import { describe, expect, it } from 'vitest'
import { CHANNELS, EVENT_VIEW_LIMIT, type Edit, type LabDelta, type LabState } from '../../shared/api.ts'
import { applyDelta } from '../../shared/delta.ts'
import { fdbText, neighText, routeText } from '../../shared/rows.ts'
import { COMMAND_OVERHEAD_NS } from '../engine/commands/index.ts'
import { readPcap } from '../lab/pcap.ts'
import { parsePcapng } from '../lab/pcapng.ts'
import { LAB_EPOCH_NS, LAB_EPOCH_SEC } from '../lab/capture.ts'
import { createHandlers, dispatch, editCommand, LabService, TRACE_CACHE_SIZE, type Handlers } from './handlers.ts'

function fresh(scenario: string | null = 'same-node'): { h: Handlers; service: LabService } {
  const service = new LabService(scenario)
  return { h: createHandlers(service), service }
}

async function vxlan(): Promise<Handlers> {
  const { h } = fresh()
  await h.newLab({ scenario: 'flannel-vxlan' })
  return h
}

/**
 * A renderer stand-in: the handlers with every reply's delta applied to the state it has, as the
 * store does. `state` is what the renderer would show.
 */
async function viewer(h: Handlers): Promise<{ state: LabState; follow: (d: LabDelta) => LabState }> {
  const v = {
    state: await h.getState(),
    follow(d: LabDelta): LabState {
      const next = applyDelta(v.state, d)
      if (!next) throw new Error(`delta for state ${d.base}, not ${v.state.seq}`)
      v.state = next
      return next
    },
  }
  return v
}

describe('state and scenarios', () => {
  it('lists the built-in scenarios', async () => {
    const { h } = fresh()
    const list = await h.listScenarios()
    expect(list.map((s) => s.name)).toContain('flannel-vxlan')
    expect(list.find((s) => s.name === 'same-node')?.defaults).toEqual({ nodes: 1, podsPerNode: 2 })
  })

  it('starts with the same-node scenario, clean', async () => {
    const { h } = fresh()
    const s = await h.getState()
    expect(s.dirty).toBe(false)
    expect(s.canUndo).toBe(false)
    const roles = Object.fromEntries(s.topology.namespaces.map((n) => [n.name, n.role]))
    expect(roles).toEqual({ underlay: 'switch', node1: 'node', pod1: 'pod', pod2: 'pod' })
    expect(s.topology.namespaces.find((n) => n.name === 'pod1')?.node).toBe('node1')
  })

  it('carries only the latest control-plane events of a big lab, with the total', async () => {
    const { h } = fresh()
    const s = await h.newLab({ scenario: 'routed', nodes: 30, podsPerNode: 1 })
    expect(s.topology.eventCount).toBeGreaterThan(EVENT_VIEW_LIMIT)
    expect(s.topology.events).toHaveLength(EVENT_VIEW_LIMIT)
    expect(s.topology.events.at(-1)!.seq).toBe(s.topology.eventCount - 1)
    expect(s.topology.events[0].seq).toBe(s.topology.eventCount - EVENT_VIEW_LIMIT)
  })

  it('can start empty', async () => {
    const { h } = fresh(null)
    const s = await h.getState()
    expect(s.topology.namespaces).toEqual([])
    expect(s.topology.mode).toBeNull()
  })

  it('describes devices, tables and links of a flannel VXLAN lab', async () => {
    const h = await vxlan()
    const s = await h.getState()
    expect(s.topology.mode).toBe('flannel-vxlan')
    const node1 = s.topology.namespaces.find((n) => n.name === 'node1')!
    expect(node1.ipForward).toBe(true)
    const t = await h.tables({ netns: 'node1' })
    expect(t.routes.map(routeText)).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ')
    expect(t.routes.find((r) => r.dev === 'flannel.1')).toEqual({ dst: '10.244.2.0/24', gateway: '10.244.2.0', dev: 'flannel.1', flags: ['onlink'] })
    const vtep2 = s.topology.namespaces.find((n) => n.name === 'node2')!.devices.find((d) => d.name === 'flannel.1')!.mac
    expect(t.neighbours.map(neighText)).toContain(`10.244.2.0 dev flannel.1 lladdr ${vtep2} PERMANENT `)
    expect(t.fdb.map(fdbText)).toContain(`${vtep2} dev flannel.1 dst 192.168.0.12 self permanent`)
    expect(t.fdb.some((r) => r.mac.startsWith('33:33'))).toBe(false)
    // The rows are what `ip route` prints.
    expect(t.routes.map(routeText).join('\n') + '\n').toBe((await h.exec({ netns: 'node1', line: 'ip route' })).stdout)
    await expect(h.tables({ netns: 'nowhere' })).rejects.toMatchObject({ code: 'not-found', path: 'netns' })
    const flannel = node1.devices.find((d) => d.name === 'flannel.1')!
    expect(flannel).toMatchObject({ kind: 'vxlan', mtu: 1450, up: true, addresses: ['10.244.1.0/32'] })
    const eth0 = s.topology.namespaces.find((n) => n.name === 'pod1')!.devices.find((d) => d.name === 'eth0')!
    expect(eth0.kind).toBe('veth')
    expect(eth0.peer?.netns).toBe('node1')
    expect(eth0.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
    const veth = node1.devices.find((d) => d.name === eth0.peer!.device)!
    expect(veth.master).toBe('cbr0')
    // Each veth pair once: 4 pods + 2 node uplinks.
    expect(s.topology.links).toHaveLength(6)
    expect(new Set(s.topology.links.map((l) => l.id)).size).toBe(6)
    expect(s.topology.tunnels).toEqual([{ id: 'vxlan:node1/flannel.1|node2/flannel.1', a: { netns: 'node1', device: 'flannel.1' }, b: { netns: 'node2', device: 'flannel.1' } }])
    expect(s.topology.events.length).toBeGreaterThan(0)
    expect(s.topology.events[0].text).not.toContain('{')
    expect(s.topology.events[0].msg).toMatch(/^control\./)
  })
})

describe('exec and edits', () => {
  it('runs commands in a namespace; only changes enter the history', async () => {
    const h = await vxlan()
    const v = await viewer(h)
    const r = await h.exec({ line: 'ip route', netns: 'node1' })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink')
    // A read changes nothing: the delta is empty but for its header.
    expect(r.delta).toMatchObject({ history: { keep: 0, append: [] }, namespaces: { remove: [], set: [] }, links: { remove: [], set: [] }, events: { append: [] } })
    expect(v.follow(r.delta).history).toEqual([])
    // The terminal's shell lines are no changes either; they say what the terminal should do.
    const enter = await h.exec({ line: 'ip netns exec pod1 bash', netns: 'node1' })
    expect(enter).toMatchObject({ exitCode: 0, shell: { type: 'enter', netns: 'pod1' } })
    v.follow(enter.delta)
    const exit = await h.exec({ line: 'exit', netns: 'pod1' })
    expect(exit).toMatchObject({ shell: { type: 'exit', code: 0 } })
    v.follow(exit.delta)
    expect(v.follow((await h.exec({ line: 'clear' })).delta).history).toEqual([])
    const w = await h.exec({ line: 'ip link set cbr0 mtu 1400', netns: 'node1' })
    expect(w.delta.namespaces.set.map((n) => n.name)).toEqual(['node1'])
    const s = v.follow(w.delta)
    expect(s.history.map((e) => e.line)).toEqual(['ip netns exec node1 ip link set cbr0 mtu 1400'])
    expect(s.history[0].atNs).toBe(s.timeNs - COMMAND_OVERHEAD_NS)
    expect(s.dirty).toBe(true)
    expect(s.canUndo).toBe(true)
    const bad = await h.exec({ line: 'ip route add nonsense' })
    expect(bad.exitCode).not.toBe(0)
    expect(bad.stderr).not.toBe('')
  })

  it('completes words from the command table and the lab, in a namespace', async () => {
    const h = await vxlan()
    expect(await h.complete({ line: 'ip r', cursor: 4, netns: 'node1' })).toEqual({ from: 3, candidates: ['route'] })
    expect((await h.complete({ line: 'tcpdump -i f', cursor: 12, netns: 'node1' })).candidates).toEqual(['flannel.1'])
    expect((await h.complete({ line: 'podnet pod move pod1 --node ', cursor: 28 })).candidates).toEqual(['node1', 'node2'])
    await expect(h.complete({ line: 'ip ', cursor: 3, netns: 'nosuch' })).rejects.toMatchObject({ code: 'not-found', path: 'netns' })
    // Completing changes nothing.
    expect((await h.getState()).history).toEqual([])
  })

  it('maps every edit to its command line', () => {
    const cases: [Edit, string][] = [
      [{ type: 'addNode', name: 'node3' }, 'podnet node add node3'],
      [{ type: 'removeNode', name: 'node3' }, 'podnet node del node3'],
      [{ type: 'addPod', name: 'web', node: 'node1' }, 'podnet pod add web --node node1'],
      [{ type: 'removePod', name: 'web' }, 'podnet pod del web'],
      [{ type: 'movePod', name: 'pod1', node: 'node2' }, 'podnet pod move pod1 --node node2'],
      [{ type: 'setLink', netns: 'node1', device: 'cbr0', up: false }, 'ip -n node1 link set cbr0 down'],
      [{ type: 'setLink', netns: 'node1', device: 'cbr0', mtu: 1400 }, 'ip -n node1 link set cbr0 mtu 1400'],
      [{ type: 'setIpForward', netns: 'node1', on: false }, 'ip netns exec node1 sysctl -w net.ipv4.ip_forward=0'],
      [{ type: 'addRoute', netns: 'node1', route: '10.9.0.0/16  via 192.168.0.12' }, 'ip -n node1 route add 10.9.0.0/16 via 192.168.0.12'],
      [{ type: 'deleteRoute', netns: '', route: 'default' }, 'ip route del default'],
    ]
    for (const [e, line] of cases) expect(editCommand(e)).toBe(line)
  })

  it('applies edits, and one undo stack covers edits and terminal commands', async () => {
    const h = await vxlan()
    const v = await viewer(h)
    const ns = (name: string) => v.state.topology.namespaces.find((n) => n.name === name)
    let r = await h.edit({ type: 'addNode', name: 'node3' })
    expect(r.exitCode).toBe(0)
    v.follow(r.delta)
    r = await h.edit({ type: 'addPod', name: 'web', node: 'node3' })
    v.follow(r.delta)
    expect(ns('web')).toMatchObject({ role: 'pod', node: 'node3' })
    r = await h.edit({ type: 'movePod', name: 'web', node: 'node1' })
    v.follow(r.delta)
    expect(ns('web')?.node).toBe('node1')
    r = await h.edit({ type: 'setLink', netns: 'pod1', device: 'eth0', mtu: 1400, up: true })
    v.follow(r.delta)
    expect(ns('pod1')!.devices.find((d) => d.name === 'eth0')!.mtu).toBe(1400)
    r = await h.edit({ type: 'setIpForward', netns: 'node2', on: false })
    v.follow(r.delta)
    expect(ns('node2')!.ipForward).toBe(false)
    v.follow((await h.exec({ line: 'ip route add 10.99.0.0/16 via 192.168.0.12', netns: 'node1' })).delta)
    r = await h.edit({ type: 'removePod', name: 'web' })
    v.follow(r.delta)
    expect(ns('web')).toBeUndefined()
    expect(v.state.history).toHaveLength(7)
    v.follow(await h.undo())
    expect(ns('web')).toBeDefined()
    v.follow(await h.undo())
    expect((await h.tables({ netns: 'node1' })).routes.some((r) => r.dst === '10.99.0.0/16')).toBe(false)
    expect(v.state.canRedo).toBe(true)
    v.follow(await h.redo())
    expect((await h.tables({ netns: 'node1' })).routes.map(routeText)).toContain('10.99.0.0/16 via 192.168.0.12 dev eth0 ')
    // The state the deltas built is the state the lab would send whole (links and tunnels in any order).
    const whole = await h.getState()
    const norm = (s: LabState) => ({ ...s, seq: 0, topology: { ...s.topology, links: [...s.topology.links].sort((a, b) => (a.id < b.id ? -1 : 1)), tunnels: [...(s.topology.tunnels ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1)) } })
    expect(norm(v.state)).toEqual(norm(whole))
  })

  it('deleting the flannel route makes the trace drop; undo brings delivery back', async () => {
    const h = await vxlan()
    expect((await h.trace({ from: 'pod1', to: 'pod4' })).delivered).toBe(true)
    const r = await h.edit({ type: 'deleteRoute', netns: 'node1', route: '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink' })
    expect(r.exitCode).toBe(0)
    expect(r.delta.history.append.map((e) => e.line)).toEqual(['ip -n node1 route del 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink'])
    const dropped = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(dropped.delivered).toBe(false)
    expect(dropped.verdict).toContain('Unreachable')
    await h.undo()
    expect((await h.trace({ from: 'pod1', to: 'pod4' })).delivered).toBe(true)
  })

  it('refuses edits that cannot apply, recording nothing', async () => {
    const h = await vxlan()
    const attempts: [Edit, string, string][] = [
      [{ type: 'removeNode', name: 'node9' }, 'not-found', 'name'],
      [{ type: 'addNode', name: 'pod1' }, 'invalid-request', 'name'],
      [{ type: 'addPod', name: 'web', node: 'node9' }, 'not-found', 'node'],
      [{ type: 'movePod', name: 'pod1', node: 'node1' }, 'invalid-request', 'node'],
      [{ type: 'setLink', netns: 'node1', device: 'eth9', up: true }, 'not-found', 'device'],
      [{ type: 'setIpForward', netns: 'nowhere', on: true }, 'not-found', 'netns'],
      [{ type: 'deleteRoute', netns: 'node1', route: '10.1.0.0/16 dev eth0' }, 'not-found', 'route'],
    ]
    for (const [e, code, path] of attempts) await expect(h.edit(e), JSON.stringify(e)).rejects.toMatchObject({ code, path })
    expect((await h.getState()).history).toEqual([])
  })
})

describe('traces, pcap and the header inspector', () => {
  it('traces pod1 to pod4 through the VXLAN tunnel', async () => {
    const h = await vxlan()
    const t = await h.trace({ from: 'pod1', to: 'pod4', warm: true, lang: 'ja' })
    expect(t.delivered).toBe(true)
    expect(t.outcome).toBe('reply')
    expect(t.verdicts?.en).toBe('Result: the packet from pod1 reaches pod4')
    expect(t.verdict).toBe(t.verdicts?.ja)
    expect(t.steps.map((s) => s.n)).toEqual(t.steps.map((_, i) => i + 1))
    const encap = t.steps.find((s) => s.kind === 'encap')!
    expect(encap.netns).toBe('node1')
    expect(encap.event).toBeTypeOf('number')
    for (const s of t.steps) expect(s.frameEvent, `step ${s.n}`).toBeTypeOf('number')
    const crossing = t.steps.find((s) => s.msg === 'step.veth')!
    expect(crossing.params).toMatchObject({ fromDev: 'eth0', fromNs: 'pod1', toNs: 'node1' })
    const ev = t.events.find((e) => e.seq === encap.frameEvent)!
    const layers = await h.dissect({ frame: ev.frame!, layer: ev.layer })
    const names = layers.map((l) => l.name)
    expect(names).toContain('VXLAN')
    expect(names.some((n) => n.startsWith('Inner'))).toBe(true)
    const udp = layers.find((l) => l.name === 'UDP')!
    expect(udp.fields.some((f) => f.value.includes('8472'))).toBe(true)
    for (const l of layers) expect(l.offset).toBeGreaterThanOrEqual(0)
  })

  it('runs in a replay of the lab: the open lab keeps its caches, and the same trace repeats byte for byte', async () => {
    const { h, service } = fresh()
    await h.newLab({ scenario: 'flannel-vxlan' })
    const neighBefore = service.session.exec('ip neigh', 'node1').stdout
    const a = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(service.session.exec('ip neigh', 'node1').stdout).toBe(neighBefore)
    const b = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events))
    // A ping is an observation: it is not recorded, and the ARP entries it left are not part of the
    // lab, so the trace starts from the same cold caches (later in simulated time).
    const ping = await h.exec({ netns: 'pod1', line: 'ping -c 1 10.244.2.3' })
    expect(ping.delta.history.append).toEqual([])
    expect(service.session.exec('ip neigh', 'node1').stdout).not.toBe(neighBefore)
    const c = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(c.steps.map((s) => s.msg)).toEqual(a.steps.map((s) => s.msg))
    expect(c.steps[0].timeNs).toBeGreaterThan(a.steps[0].timeNs)
  })

  it('reports an unknown target and an unknown source', async () => {
    const h = await vxlan()
    await expect(h.trace({ from: 'pod1', to: 'pod99' })).rejects.toMatchObject({ code: 'not-found', path: 'to' })
    await expect(h.trace({ from: 'pod99', to: 'pod1' })).rejects.toMatchObject({ code: 'not-found', path: 'from' })
  })

  it('exports a trace as pcapng: one interface per device, the trace\'s words as comments, times from the lab\'s epoch', async () => {
    const h = await vxlan()
    const t = await h.trace({ from: 'pod1', to: 'pod4', proto: 'udp', port: 5000 })
    const { bytes, name } = await h.exportPcap({ traceId: t.id, lang: 'ja' })
    expect(name).toBe(`trace-${t.id}-pod1-pod4.pcapng`)
    const f = parsePcapng(bytes)
    const frames = t.events.filter((e) => (e.kind === 'xmit' || e.kind === 'recv') && e.frame)
    expect(f.packets).toHaveLength(frames.length)
    const names = f.interfaces.map((i) => i.name)
    expect(names).toEqual([...new Set(frames.map((e) => `${e.netns}:${e.device}`))])
    expect(names).toContain('node1:flannel.1')
    f.packets.forEach((p, i) => {
      expect(names[p.interfaceId]).toBe(`${frames[i].netns}:${frames[i].device}`)
      expect(p.timestampNs).toBe(LAB_EPOCH_NS + BigInt(frames[i].timeNs))
      expect(p.direction).toBe(frames[i].kind === 'xmit' ? 'outbound' : 'inbound')
      expect(Buffer.from(p.frame).toString('hex')).toBe(frames[i].frame)
    })
    expect(f.packets[0].comment).toMatch(/[ぁ-んァ-ン]/)
  })

  it('exports classic pcap when asked, and refuses an unknown format', async () => {
    const h = await vxlan()
    const t = await h.trace({ from: 'pod1', to: 'pod4' })
    const { bytes, name } = await h.exportPcap({ traceId: t.id, format: 'pcap' })
    expect(name).toMatch(/\.pcap$/)
    const { linktype, records } = readPcap(bytes)
    expect(linktype).toBe(1)
    const frames = t.events.filter((e) => (e.kind === 'xmit' || e.kind === 'recv') && e.frame)
    expect(records).toHaveLength(frames.length)
    expect(records[0].timeNs).toBe(LAB_EPOCH_SEC * 1e9 + Math.floor(frames[0].timeNs / 1000) * 1000)
    await expect(h.exportPcap({ traceId: t.id, format: 'erf' as 'pcap' })).rejects.toMatchObject({ code: 'invalid-request', path: 'format' })
  })

  it('keeps only the last traces', async () => {
    const h = await vxlan()
    const first = await h.trace({ from: 'pod1', to: 'pod2' })
    for (let i = 0; i < TRACE_CACHE_SIZE; i++) await h.trace({ from: 'pod1', to: 'pod2' })
    await expect(h.exportPcap({ traceId: first.id })).rejects.toMatchObject({ code: 'not-found', path: 'traceId' })
  })

  it('dissects an IPv4 packet without its Ethernet header', async () => {
    const h = await vxlan()
    const t = await h.trace({ from: 'pod1', to: 'pod2' })
    const l3 = t.events.find((e) => e.layer === 'ipv4' && e.frame)!
    const layers = await h.dissect({ frame: l3.frame!, layer: 'ipv4' })
    expect(layers[0]).toMatchObject({ name: 'IPv4', offset: 0 })
    expect(layers.map((l) => l.name)).toContain('ICMP')
  })
})

describe('lab files', () => {
  it('saves and reopens a lab', async () => {
    const h = await vxlan()
    await h.edit({ type: 'setIpForward', netns: 'node2', on: false })
    const { text, path } = await h.saveLab({})
    expect(path).toBeUndefined()
    expect(text).toContain('apiVersion: podnet.dev/v1')
    expect(text).toContain('ip netns exec node2 sysctl -w net.ipv4.ip_forward=0')
    expect((await h.getState()).dirty).toBe(false)
    const other = fresh()
    const s = await other.h.openLab({ text, name: 'vx.yaml' })
    // Where a lab lives is the desktop shell's to say (after its own dialogs), never a request's.
    expect(s.path).toBeUndefined()
    expect(s.dirty).toBe(false)
    expect(s.topology.namespaces.find((n) => n.name === 'node2')!.ipForward).toBe(false)
    expect(s.canUndo).toBe(true)
    other.service.path = '/tmp/labs/vx.yaml'
    expect((await other.h.saveLab({})).path).toBe('/tmp/labs/vx.yaml')
    await expect(other.h.saveLab({ path: '/tmp/labs/vx2.yaml' })).rejects.toMatchObject({ code: 'invalid-request', path: 'path' })
    expect((await other.h.getState()).path).toBe('/tmp/labs/vx.yaml')
  })

  it('names the line of a malformed lab file and keeps the open lab', async () => {
    const { h } = fresh()
    const before = await h.getState()
    const err = await h.openLab({ text: 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata:\n  name: x\nspec:\n  seed: one\n', name: '/x/bad.yaml' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'lab-format', path: 'spec.seed' })
    expect((err as Error).message).toMatch(/^bad\.yaml:6:\d+: spec\.seed:/)
    const yamlErr = await h.openLab({ text: 'a: [1,\n' }).catch((e: unknown) => e)
    expect(yamlErr).toMatchObject({ code: 'lab-format' })
    expect((yamlErr as Error).message).toMatch(/^lab\.yaml:\d+:\d+: not valid YAML/)
    // A name (a browser's file pick) labels messages but is not a place to save to.
    const named = await h.openLab({ text: 'kind: Lab\n', name: 'picked.yaml' }).catch((e: unknown) => e)
    expect((named as Error).message).toMatch(/^picked\.yaml:1:1: apiVersion/)
    expect({ ...(await h.getState()), seq: 0 }).toEqual({ ...before, seq: 0 })
  })

  it('reports a lab that parses but cannot be built', async () => {
    const { h } = fresh()
    const text = 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: x }\nspec:\n  cluster:\n    mode: routes\n    clusterCidr: 10.244.0.0/16\n    underlay: { kind: switch, cidr: 192.168.0.0/24 }\n    nodes:\n      - { name: node1, ip: 10.0.0.1, pods: [] }\n'
    await expect(h.openLab({ text })).rejects.toMatchObject({ code: 'lab-build' })
  })

  it('exports the iproute2 script', async () => {
    const h = await vxlan()
    const { text } = await h.exportScript({ prefix: 'lab-' })
    expect(text).toContain("'ip' 'netns' 'add' 'lab-node1'")
    const down = await h.exportScript({ teardown: true })
    expect(down.text).toContain("'ip' 'netns' 'del' 'node1'")
  })
})

describe('bad payloads', () => {
  const cases: [keyof Handlers, unknown, string][] = [
    ['newLab', undefined, 'request'],
    ['newLab', {}, 'scenario'],
    ['newLab', { scenario: 'nope' }, 'scenario'],
    ['newLab', { scenario: 'routed', nodes: -1 }, 'nodes'],
    ['newLab', { scenario: 'routed', nodes: 2.5 }, 'nodes'],
    ['newLab', { scenario: 'routed', podsPerNode: '2' }, 'podsPerNode'],
    ['newLab', { scenario: 'routed', extra: 1 }, 'extra'],
    ['newLab', [], 'request'],
    ['openLab', { text: 42 }, 'text'],
    ['openLab', { text: 'x', path: '' }, 'path'],
    ['openLab', { text: 'x', name: 7 }, 'name'],
    ['getState', { please: true }, 'please'],
    ['saveLab', { path: 'a\nb' }, 'path'],
    ['exec', { line: 5 }, 'line'],
    ['exec', { line: '' }, 'line'],
    ['exec', { line: 'ip a\nip r' }, 'line'],
    ['exec', { line: 'ip a', netns: 'bad name' }, 'netns'],
    ['complete', { line: 'ip r' }, 'cursor'],
    ['complete', { line: 'ip r', cursor: 5 }, 'cursor'],
    ['complete', { line: 'ip r', cursor: -1 }, 'cursor'],
    ['complete', { line: 'ip\nr', cursor: 1 }, 'line'],
    ['edit', null, 'request'],
    ['edit', { type: 'explode' }, 'type'],
    ['edit', { name: 'x' }, 'type'],
    ['edit', { type: 'addNode' }, 'name'],
    ['edit', { type: 'addNode', name: 'Node_1' }, 'name'],
    ['edit', { type: 'addNode', name: 'n; reboot' }, 'name'],
    ['edit', { type: 'addPod', name: 'web' }, 'node'],
    ['edit', { type: 'setLink', netns: 'node1', device: 'cbr0' }, 'up'],
    ['edit', { type: 'setLink', netns: 'node1', device: 'cbr0', mtu: 10 }, 'mtu'],
    ['edit', { type: 'setLink', netns: 'node1', device: 'a b', up: true }, 'device'],
    ['edit', { type: 'setIpForward', netns: 'node1', on: 'yes' }, 'on'],
    ['edit', { type: 'addRoute', netns: 'node1', route: '10.0.0.0/8 via 1.2.3.4; ip link del eth0' }, 'route'],
    ['edit', { type: 'deleteRoute', netns: 'node1', route: '' }, 'route'],
    ['edit', { type: 'deleteRoute', netns: 'node1', route: 'default', via: 'x' }, 'via'],
    ['trace', { from: 'pod1' }, 'to'],
    ['trace', { from: 'pod1', to: 'pod2', proto: 'tcp' }, 'proto'],
    ['trace', { from: 'pod1', to: 'pod2', port: 70000 }, 'port'],
    ['trace', { from: 'pod1', to: 'pod2', lang: 'fr' }, 'lang'],
    ['trace', { from: 'pod1', to: 'pod2', warm: 'yes' }, 'warm'],
    ['exportScript', { prefix: 'a b' }, 'prefix'],
    ['exportScript', { teardown: 1 }, 'teardown'],
    ['exportPcap', {}, 'traceId'],
    ['exportPcap', { traceId: '1' }, 'traceId'],
    ['dissect', { frame: 'abc' }, 'frame'],
    ['dissect', { frame: 'zz' }, 'frame'],
    ['dissect', { frame: 'aabb', layer: 'tcp' }, 'layer'],
  ]
  for (const [method, payload, path] of cases) {
    it(`${method}(${JSON.stringify(payload)}) names ${path}`, async () => {
      const { h } = fresh()
      const before = await h.getState()
      const err = await (h[method] as (p: unknown) => Promise<unknown>)(payload).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'invalid-request', path })
      expect((err as Error).message.startsWith(`${path}: `)).toBe(true)
      expect({ ...(await h.getState()), seq: 0 }).toEqual({ ...before, seq: 0 })
    })
  }
})

describe('dispatch', () => {
  it('answers by channel with a reply envelope', async () => {
    const { h } = fresh()
    const ok = await dispatch(h, CHANNELS.getState, undefined)
    expect(ok.ok).toBe(true)
    const bad = await dispatch(h, CHANNELS.newLab, { scenario: 7 })
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('scenario: must be one of'), path: 'scenario', msg: 'request.one_of', params: expect.objectContaining({ gotKey: 'request.got.number', value: '7' }) },
    })
    expect(await dispatch(h, 'lab:nothing', {})).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'channel' } })
  })

  it('turns unexpected failures into internal errors', async () => {
    const { h } = fresh()
    const broken = { ...h, getState: async () => { throw new Error('boom') } } as Handlers
    expect(await dispatch(broken, CHANNELS.getState, undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } })
  })
})

describe('opening by name', () => {
  it('keeps no save path for a lab opened by name only', async () => {
    const { h } = fresh()
    const text = (await h.saveLab({})).text
    const s = await h.openLab({ text, name: 'mine.yaml' })
    expect(s.path).toBeUndefined()
  })
})
