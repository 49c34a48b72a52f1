import { describe, expect, it } from 'vitest'
import type { Edit, Topology } from '../../shared/api.ts'
// The real handler table: each edit the palette or a wire asks for is applied and undone.
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { dropEdit, namespaceAt, nextDevice, nextName, wireEdit } from './build.ts'
import { buildModel, locate, type CanvasModel } from './graph.ts'

async function lab(scenario = 'empty') {
  const h = createHandlers(new LabService(null))
  await h.newLab({ scenario })
  const now = async (): Promise<{ topo: Topology; model: CanvasModel }> => {
    const topo = (await h.getState()).topology
    return { topo, model: buildModel(topo) }
  }
  const centre = (model: CanvasModel, ns: string) => {
    const b = locate(model, ns)!
    return { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 }
  }
  /** Applies an edit; it must be one step of the history. */
  const apply = async (e: Edit) => {
    const before = (await h.getState()).history.length
    const r = await h.edit(e)
    expect(r.exitCode, r.stderr).toBe(0)
    expect((await h.getState()).history.length).toBe(before + 1)
  }
  return { h, now, centre, apply }
}

const far = { x: 99_999, y: 99_999 }

describe('building on the canvas', () => {
  it('names new items after the first free name of their kind', async () => {
    const { now, apply } = await lab()
    expect(nextName((await now()).topo, 'node')).toBe('node1')
    await apply({ type: 'addSwitch', name: 'sw1' })
    await apply({ type: 'addNode', name: 'node1' })
    const { topo } = await now()
    expect([nextName(topo, 'node'), nextName(topo, 'switch'), nextName(topo, 'router'), nextName(topo, 'pod'), nextName(topo, 'namespace')]).toEqual(['node2', 'sw2', 'r1', 'pod1', 'ns1'])
  })

  it('drops each palette item as one edit: a node on a switch joins it, a pod in a node runs there, one undo takes each back', async () => {
    const { h, now, centre, apply } = await lab()
    let { topo, model } = await now()
    expect(dropEdit(topo, model, 'switch', far)).toEqual({ edit: { type: 'addSwitch', name: 'sw1' } })
    expect(dropEdit(topo, model, 'router', far)).toEqual({ edit: { type: 'addRouter', name: 'r1' } })
    expect(dropEdit(topo, model, 'namespace', far)).toEqual({ edit: { type: 'addNamespace', name: 'ns1' } })
    await apply({ type: 'addSwitch', name: 'sw1' })
    ;({ topo, model } = await now())
    const onSwitch = dropEdit(topo, model, 'node', centre(model, 'sw1'))
    expect(onSwitch).toEqual({ edit: { type: 'addWiredNode', name: 'node1', wire: 'sw1' } })
    await apply((onSwitch as { edit: Edit }).edit)
    ;({ topo, model } = await now())
    expect(dropEdit(topo, model, 'node', far)).toEqual({ edit: { type: 'addNode', name: 'node2' } })
    const pod = dropEdit(topo, model, 'pod', centre(model, 'node1'))
    expect(pod).toEqual({ edit: { type: 'addPod', name: 'pod1', node: 'node1' } })
    await apply((pod as { edit: Edit }).edit)
    ;({ topo, model } = await now())
    // A second pod dropped onto the first lands on the same node.
    expect(dropEdit(topo, model, 'pod', centre(model, 'pod1'))).toEqual({ edit: { type: 'addPod', name: 'pod2', node: 'node1' } })
    expect(namespaceAt(topo, model, centre(model, 'pod1'))).toEqual({ ns: 'pod1', role: 'pod' })
    // Outside every node a pod is refused, saying why.
    expect(dropEdit(topo, model, 'pod', far)).toEqual({ refused: { key: 'canvas.build.podOutside' } })
    // Undo: the pod, then the node, then the switch, one step each.
    for (const gone of ['pod1', 'node1', 'sw1']) {
      await h.undo()
      expect((await h.getState()).topology.namespaces.some((n) => n.name === gone), gone).toBe(false)
    }
  })

  it('wires a node to a switch or router by a wire drawn between them, and refuses wires that make no sense', async () => {
    const { now, centre, apply, h } = await lab()
    for (const e of [{ type: 'addSwitch', name: 'sw1' }, { type: 'addRouter', name: 'r1' }, { type: 'addNode', name: 'node1' }, { type: 'addNode', name: 'node2' }] as Edit[]) await apply(e)
    await apply({ type: 'addPod', name: 'pod1', node: 'node1' })
    const { topo, model } = await now()
    expect(wireEdit(topo, model, centre(model, 'node1'), centre(model, 'sw1'))).toEqual({ edit: { type: 'connect', a: 'node1', b: 'sw1' } })
    expect(wireEdit(topo, model, centre(model, 'r1'), centre(model, 'sw1'))).toEqual({ edit: { type: 'connect', a: 'r1', b: 'sw1' } })
    expect(wireEdit(topo, model, centre(model, 'node1'), centre(model, 'node2'))).toEqual({ refused: { key: 'canvas.build.wireKinds', params: { a: 'node1', b: 'node2' } } })
    expect(wireEdit(topo, model, centre(model, 'pod1'), centre(model, 'sw1'))).toEqual({ refused: { key: 'canvas.build.wirePod', params: { pod: 'pod1' } } })
    expect(wireEdit(topo, model, centre(model, 'sw1'), centre(model, 'sw1'))).toEqual({ refused: { key: 'canvas.build.wireSelf', params: { name: 'sw1' } } })
    expect(wireEdit(topo, model, far, centre(model, 'sw1'))).toEqual({ refused: { key: 'canvas.build.wireNothing' } })
    // Two nodes, a router and a switch: wired by hand, node1 reaches node2's pod CIDR through the switch.
    await apply({ type: 'connect', a: 'node1', b: 'sw1' })
    await apply({ type: 'connect', a: 'node2', b: 'sw1' })
    expect((await h.exec({ line: 'ip route', netns: 'node1' })).stdout).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    await h.undo()
    expect((await h.exec({ line: 'ip route', netns: 'node1' })).stdout).not.toContain('10.244.2.0/24')
  })

  it('drops a bridge into the namespace under it and draws a veth pair between two namespaces, one undo step each', async () => {
    const { h, now, centre, apply } = await lab()
    for (const e of [{ type: 'addSwitch', name: 'sw1' }, { type: 'addWiredNode', name: 'node1', wire: 'sw1' }, { type: 'addNamespace', name: 'ns1' }] as Edit[]) await apply(e)
    await apply({ type: 'addPod', name: 'pod1', node: 'node1' })
    let { topo, model } = await now()
    // Into the node's root namespace (not the pod inside it), named as `ip` users name the first one.
    const nodeBox = model.boxes.find((b) => b.ns === 'node1')!
    const br = dropEdit(topo, model, 'bridge', { x: nodeBox.bounds.x1 + 5, y: nodeBox.bounds.y1 + 5 })
    expect(br).toEqual({ edit: { type: 'addBridge', netns: 'node1', name: 'br0' } })
    expect(dropEdit(topo, model, 'bridge', centre(model, 'pod1'))).toEqual({ edit: { type: 'addBridge', netns: 'pod1', name: 'br0' } })
    expect(dropEdit(topo, model, 'bridge', far)).toEqual({ refused: { key: 'canvas.build.bridgeOutside' } })
    await apply((br as { edit: Edit }).edit)
    expect((await h.exec({ line: 'ip -d link show br0', netns: 'node1' })).stdout).toMatch(/br0: <BROADCAST,MULTICAST> .* state DOWN[\s\S]*bridge /)
    ;({ topo, model } = await now())
    expect(nextDevice(topo, 'node1', 'br')).toBe('br1')
    // A veth pair from ns1 to the pod: one end in each, named veth0 (the pod has none yet).
    const veth = wireEdit(topo, model, centre(model, 'ns1'), centre(model, 'pod1'), 'veth')
    expect(veth).toEqual({ edit: { type: 'addVethPair', a: { netns: 'ns1', name: 'veth0' }, b: { netns: 'pod1', name: 'veth0' } } })
    expect(wireEdit(topo, model, centre(model, 'ns1'), far, 'veth')).toEqual({ refused: { key: 'canvas.build.vethNothing' } })
    expect(wireEdit(topo, model, centre(model, 'ns1'), centre(model, 'ns1'), 'veth')).toEqual({ refused: { key: 'canvas.build.wireSelf', params: { name: 'ns1' } } })
    // Unlike an underlay wire, a veth pair may end on a pod or join two nodes.
    await apply((veth as { edit: Edit }).edit)
    expect((await h.exec({ line: 'ip link show veth0', netns: 'ns1' })).stdout).toMatch(/veth0@if\d+: <BROADCAST,MULTICAST> .* state DOWN [\s\S]*link-netns pod1/)
    expect(nextDevice((await now()).topo, 'ns1', 'veth')).toBe('veth1')
    await h.undo()
    expect((await h.getState()).topology.namespaces.find((n) => n.name === 'ns1')!.devices.map((d) => d.name)).toEqual(['lo'])
    await h.undo()
    expect((await h.getState()).topology.namespaces.find((n) => n.name === 'node1')!.devices.some((d) => d.name === 'br0')).toBe(false)
  })

  it('renames a device as ip link set NAME name NEW does (up or down, as Linux 6.x allows), and refuses a taken name in words', async () => {
    const { h, apply } = await lab()
    for (const e of [{ type: 'addNamespace', name: 'ns1' }, { type: 'addNamespace', name: 'ns2' }] as Edit[]) await apply(e)
    await apply({ type: 'addVethPair', a: { netns: 'ns1', name: 'veth0' }, b: { netns: 'ns2', name: 'veth0' } })
    await apply({ type: 'renameDevice', netns: 'ns1', device: 'veth0', name: 'to-ns2' })
    expect((await h.getState()).history.at(-1)!.line).toBe('ip -n ns1 link set dev veth0 name to-ns2')
    await apply({ type: 'setLink', netns: 'ns1', device: 'to-ns2', up: true })
    await apply({ type: 'renameDevice', netns: 'ns1', device: 'to-ns2', name: 'eth1' })
    expect((await h.exec({ line: 'ip -br link', netns: 'ns1' })).stdout).toMatch(/^eth1@if\d+ +DOWN +\S+ <NO-CARRIER,BROADCAST,MULTICAST,UP>/m)
    await apply({ type: 'addBridge', netns: 'ns1', name: 'br0' })
    await expect(h.edit({ type: 'renameDevice', netns: 'ns1', device: 'br0', name: 'eth1' })).rejects.toMatchObject({ reason: { msg: 'edit.device_taken', params: { netns: 'ns1', device: 'eth1' } } })
    await h.undo()
    await h.undo()
    expect((await h.exec({ line: 'ip -br link', netns: 'ns1' })).stdout).toMatch(/^to-ns2@if\d+ +DOWN +\S+ <NO-CARRIER,BROADCAST,MULTICAST,UP>/m)
  })
})
