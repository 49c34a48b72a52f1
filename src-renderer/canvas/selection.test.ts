import { describe, expect, it } from 'vitest'
import type { Edit } from '../../shared/api.ts'
// The real handler table: what Delete asks for is applied, and one undo brings it all back.
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { deletionOf, nodesWithPods, pickMany, pickOne, prunePicks } from './selection.ts'

async function lab() {
  const h = createHandlers(new LabService(null))
  await h.newLab({ scenario: 'empty' })
  const apply = async (e: Edit) => {
    const r = await h.edit(e)
    expect(r.exitCode, r.stderr).toBe(0)
  }
  for (const e of [
    { type: 'addSwitch', name: 'sw1' },
    { type: 'addWiredNode', name: 'node1', wire: 'sw1' },
    { type: 'addWiredNode', name: 'node2', wire: 'sw1' },
    { type: 'addWiredNode', name: 'node3', wire: 'sw1' },
    { type: 'addPod', name: 'pod1', node: 'node1' },
    { type: 'addPod', name: 'pod2', node: 'node2' },
    { type: 'addNamespace', name: 'ns1' },
    { type: 'addNamespace', name: 'ns2' },
    { type: 'addVethPair', a: { netns: 'ns1', name: 'veth0' }, b: { netns: 'ns2', name: 'veth0' } },
  ] as Edit[])
    await apply(e)
  return { h, apply }
}

const linkOf = (topo: { links: { id: string; a: { netns: string }; b: { netns: string } }[] }, a: string, b: string): string =>
  topo.links.find((l) => (l.a.netns === a && l.b.netns === b) || (l.a.netns === b && l.b.netns === a))!.id

describe('the canvas selection', () => {
  it('Shift+click toggles, a plain click picks one, a box adds what it holds once', () => {
    let s = pickOne([], { ns: 'a' }, false)
    s = pickOne(s, { ns: 'b' }, true)
    s = pickOne(s, { link: 'l1' }, true)
    expect(s).toEqual([{ ns: 'a' }, { ns: 'b' }, { link: 'l1' }])
    expect(pickOne(s, { ns: 'b' }, true)).toEqual([{ ns: 'a' }, { link: 'l1' }])
    expect(pickOne(s, { ns: 'c' }, false)).toEqual([{ ns: 'c' }])
    expect(pickMany(s, [{ ns: 'a' }, { ns: 'd' }], true)).toEqual([...s, { ns: 'd' }])
    expect(pickMany(s, [{ ns: 'd' }], false)).toEqual([{ ns: 'd' }])
  })

  it('deletes namespaces and links picked together as one change, which one undo takes back whole', async () => {
    const { h } = await lab()
    const before = await h.getState()
    const topo = before.topology
    const picks = [{ ns: 'node1' }, { ns: 'pod1' }, { ns: 'pod2' }, { link: linkOf(topo, 'ns1', 'ns2') }, { link: linkOf(topo, 'node3', 'sw1') }, { link: linkOf(topo, 'node1', 'sw1') }]
    const e = deletionOf(topo, picks)
    // pod1 goes with node1, and so does node1's wire; ns1's veth pair and node3's wire go by one end each.
    expect(e).toEqual({ type: 'remove', names: ['node1', 'pod2'], links: [{ netns: expect.any(String), device: expect.any(String) }, { netns: expect.any(String), device: expect.any(String) }] })
    expect(nodesWithPods(topo, picks)).toEqual([{ name: 'node1', pods: 1 }])
    const r = await h.edit(e!)
    expect(r.exitCode, r.stderr).toBe(0)
    const after = await h.getState()
    expect(after.history.length).toBe(before.history.length + 1)
    expect(after.history.at(-1)!.line).toMatch(/^podnet delete node1 pod2 \S+\/\S+ \S+\/\S+$/)
    const names = after.topology.namespaces.map((n) => n.name)
    expect(names).not.toContain('node1')
    expect(names).not.toContain('pod1')
    expect(names).not.toContain('pod2')
    expect(names).toContain('node3')
    expect(after.topology.links.some((l) => l.a.netns === 'ns1' || l.b.netns === 'ns1')).toBe(false)
    // node3 was unwired the way `podnet link del` does it: no address on the segment any more.
    expect(after.topology.namespaces.find((n) => n.name === 'node3')!.devices.some((d) => d.addresses.some((a) => a.startsWith('192.168.')))).toBe(false)
    expect((await h.exec({ line: 'ip route', netns: 'node2' })).stdout).not.toContain('10.244.3.0/24')
    // What went is pruned from the selection.
    expect(prunePicks(after.topology, picks)).toEqual([])
    await h.undo()
    const back = await h.getState()
    expect(back.history).toEqual(before.history)
    expect(back.topology.namespaces.map((n) => n.name).sort()).toEqual(topo.namespaces.map((n) => n.name).sort())
    expect(back.topology.links.length).toBe(topo.links.length)
    expect((await h.exec({ line: 'ip route', netns: 'node2' })).stdout).toContain('10.244.3.0/24 via 192.168.0.13')
  })

  it('nothing left to delete (the host, links gone with their namespaces) is no edit; a device that is not there is refused in words', async () => {
    const { h } = await lab()
    const topo = (await h.getState()).topology
    expect(deletionOf(topo, [])).toBeNull()
    expect(deletionOf(topo, [{ ns: '' }])).toBeNull()
    expect(deletionOf(topo, [{ ns: 'ns1' }, { link: linkOf(topo, 'ns1', 'ns2') }])).toEqual({ type: 'remove', names: ['ns1'] })
    await expect(h.edit({ type: 'remove', names: [], links: [{ netns: 'ns1', device: 'nope0' }] })).rejects.toMatchObject({ code: 'not-found', reason: { msg: 'edit.no_device', params: { netns: 'ns1', device: 'nope0' } } })
    await expect(h.edit({ type: 'remove', names: [] })).rejects.toMatchObject({ code: 'invalid-request' })
  })

  it('moves several pods to one node as one change (podnet pod move A B --node N), or refuses all of them in words', async () => {
    const { h, apply } = await lab()
    await apply({ type: 'addPod', name: 'pod3', node: 'node1' })
    const before = (await h.getState()).history.length
    await expect(h.edit({ type: 'movePods', names: ['pod1', 'pod2'], node: 'node2' })).rejects.toMatchObject({ reason: { msg: 'edit.pod_same_node', params: { pod: 'pod2', node: 'node2' } } })
    await expect(h.edit({ type: 'movePods', names: ['pod1', 'nope'], node: 'node2' })).rejects.toMatchObject({ reason: { msg: 'edit.no_pod', params: { name: 'nope' } } })
    await apply({ type: 'movePods', names: ['pod1', 'pod3'], node: 'node3' })
    const s = await h.getState()
    expect(s.history.length).toBe(before + 1)
    expect(s.history.at(-1)!.line).toBe('podnet pod move pod1 pod3 --node node3')
    expect(s.topology.namespaces.filter((n) => n.node === 'node3').map((n) => n.name).sort()).toEqual(['pod1', 'pod3'])
    await h.undo()
    expect((await h.getState()).topology.namespaces.filter((n) => n.node === 'node1').map((n) => n.name).sort()).toEqual(['pod1', 'pod3'])
  })
})
