import { describe, expect, it } from 'vitest'
import { CHANNELS, type LabState, type LinkView } from '../../shared/api.ts'
import { applyDelta } from '../../shared/delta.ts'
import { isPacked, PACK_TUNNELS_ABOVE, packTunnels, tunnelCount, tunnelForm, tunnelId, tunnelList, tunnelsOf, unpackTunnels, unpackValue } from '../../shared/tunnels.ts'
import { PACK_NAMESPACES_ABOVE, packNamespaces, unpackNamespaces, type PackedNamespaces } from '../../shared/netns-pack.ts'
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'
import { createWorkerApi, replyMessage, type WorkerMessage, type WorkerRequest } from './client.ts'

/**
 * The browser build's transport: the lab Worker's handler table (the real one) behind a port that
 * copies every message the way postMessage does (structuredClone, typed arrays transferred).
 */
function workerPort(): { worker: Worker; sent: WorkerMessage[] } {
  const service = new LabService('same-node')
  const handlers = createHandlers(service, {} as never)
  const sent: WorkerMessage[] = []
  const worker = {
    onmessage: null as ((e: MessageEvent<WorkerMessage>) => void) | null,
    onerror: null,
    postMessage(msg: WorkerRequest) {
      if (!('id' in msg)) return
      void dispatch(handlers, msg.channel, msg.payload).then((reply) => {
        const { message, transfer } = replyMessage(msg.id, reply)
        const copy = structuredClone(message, { transfer })
        sent.push(copy)
        worker.onmessage?.({ data: copy } as MessageEvent<WorkerMessage>)
      })
    },
  }
  return { worker: worker as unknown as Worker, sent }
}

describe('VXLAN tunnels crossing to the page', () => {
  it('pack and unpack to the same list, in order, and are not packed when an id is not the canonical one', () => {
    const end = (n: number) => ({ netns: `node${n}`, device: 'flannel.1' })
    const list: LinkView[] = []
    for (let i = 1; i <= 30; i++) for (let j = i + 1; j <= 30; j++) list.push(i % 2 ? { id: tunnelId(end(i), end(j)), a: end(i), b: end(j) } : { id: tunnelId(end(j), end(i)), a: end(j), b: end(i) })
    const packed = packTunnels(list)!
    expect(packed.netns).toHaveLength(30)
    expect(packed.a).toBeInstanceOf(Uint32Array)
    expect(unpackTunnels(packed)).toEqual(list)
    expect(packTunnels([...list, { id: 'vxlan:other', a: end(1), b: end(2) }])).toBeNull()
  })

  it('a big flannel lab: the state reaches the page with every tunnel, packed, and stays packed there', async () => {
    const { worker, sent } = workerPort()
    const api = createWorkerApi(worker)
    const nodes = 48 // 1,128 tunnels: above PACK_TUNNELS_ABOVE
    const crossed = await api.newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    const msg = sent[0] as { reply: { ok: true; value: LabState } }
    expect(msg.reply.value.topology.packedTunnels?.a).toHaveLength((nodes * (nodes - 1)) / 2)
    expect(msg.reply.value.topology.tunnels).toBeUndefined()
    expect((nodes * (nodes - 1)) / 2).toBeGreaterThan(PACK_TUNNELS_ABOVE)
    // The renderer's door (api/podnet.ts) leaves the tunnels packed: nothing to unpack in this lab.
    expect(isPacked(crossed)).toBe(false)
    const state = unpackValue(crossed)
    expect(state.topology.packedTunnels?.a).toBeInstanceOf(Uint32Array)
    expect(state.topology.tunnels).toBeUndefined()
    expect(tunnelCount(state.topology)).toBe((nodes * (nodes - 1)) / 2)
    // What the page got is what the handler answered (which is packed too), tunnel for tunnel.
    const direct = await dispatch(createHandlers(new LabService('same-node'), {} as never), CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    expect(direct.ok).toBe(true)
    const want = (direct as { value: LabState }).value
    expect(want.topology.tunnels).toBeUndefined()
    expect(tunnelList(state.topology)).toEqual(tunnelList(want.topology))
    expect(tunnelList(state.topology)).toHaveLength((nodes * (nodes - 1)) / 2)
    expect(state.topology.namespaces).toEqual(want.topology.namespaces)
    // The view's own packed tunnels were copied for the transfer, not moved: the next change is
    // worked out against all of them (node5's VXLAN device gone: its 47 tunnels go), and applied
    // to the packed state gives the state the lab now sends whole.
    const ran = await api.exec({ line: 'ip -n node5 link del flannel.1' })
    expect(ran.exitCode).toBe(0)
    expect(ran.delta.tunnels.set).toEqual([])
    expect([...ran.delta.tunnels.remove].sort()).toEqual(tunnelList(state.topology).filter((t) => t.a.netns === 'node5' || t.b.netns === 'node5').map((t) => t.id).sort())
    const next = applyDelta(state, ran.delta)!
    expect(next.topology.packedTunnels?.a).toHaveLength(((nodes - 1) * (nodes - 2)) / 2)
    const whole = await api.getState()
    expect(tunnelList(next.topology)).toEqual(tunnelList(whole.topology))
  })

  it('packed tunnels read as their objects would: count, all, and a namespace\'s own (objects made for those only)', () => {
    const end = (n: number, dev = 'flannel.1') => ({ netns: `node${n}`, device: dev })
    const list: LinkView[] = []
    for (let i = 1; i <= 50; i++) for (let j = i + 1; j <= 50; j++) list.push(i % 3 ? { id: tunnelId(end(i), end(j)), a: end(i), b: end(j) } : { id: tunnelId(end(j), end(i)), a: end(j), b: end(i) })
    // A second device in node7 with tunnels of its own: both of node7's ends count.
    for (const j of [3, 9]) list.push({ id: tunnelId(end(7, 'vx9'), end(j, 'vx9')), a: end(7, 'vx9'), b: end(j, 'vx9') })
    const packed = packTunnels(list)!
    const topo = { packedTunnels: structuredClone(packed) }
    expect(tunnelCount(topo)).toBe(list.length)
    expect(tunnelCount({ tunnels: list })).toBe(list.length)
    expect(tunnelCount({})).toBe(0)
    expect(tunnelList(topo)).toEqual(list)
    expect(tunnelList(topo)).toBe(tunnelList(topo))
    expect(tunnelList({ tunnels: list })).toBe(list)
    for (const ns of ['node1', 'node7', 'node50', 'node51']) {
      const want = list.filter((t) => t.a.netns === ns || t.b.netns === ns)
      expect(tunnelsOf({ packedTunnels: packed }, ns)).toEqual(want)
      expect(tunnelsOf({ tunnels: list }, ns)).toEqual(want)
    }
    expect(tunnelsOf(topo, 'node7')).toHaveLength(49 + 2)
    expect(tunnelsOf(topo, 'node51')).toEqual([])
  })

  it('a state carries its tunnels packed above PACK_TUNNELS_ABOVE, as objects up to it', () => {
    const end = (n: number) => ({ netns: `node${n}`, device: 'flannel.1' })
    const mesh = (n: number) => {
      const out: LinkView[] = []
      for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) out.push({ id: tunnelId(end(i), end(j)), a: end(i), b: end(j) })
      return out
    }
    const small = mesh(45) // 990
    const big = mesh(46) // 1,035
    expect(tunnelForm(small)).toEqual({ tunnels: small })
    expect(tunnelForm(null, packTunnels(small)!)).toEqual({ tunnels: small })
    expect(tunnelForm(big).packedTunnels).toEqual(packTunnels(big))
    expect(tunnelForm(null, packTunnels(big)!).packedTunnels).toEqual(packTunnels(big))
  })

  it('a small lab goes as it is', async () => {
    const { worker, sent } = workerPort()
    const state = await createWorkerApi(worker).newLab({ scenario: 'flannel-vxlan', nodes: 3, podsPerNode: 1 })
    expect('packedTunnels' in (sent[0] as { reply: { value: LabState } }).reply.value.topology).toBe(false)
    expect(state.topology.tunnels).toHaveLength(3)
  })
})

describe('namespaces crossing to the page', () => {
  it('pack and unpack to the same objects, field for field (pods, nodes, the underlay, a device with a master and a peer)', async () => {
    const s = await createHandlers(new LabService(null), {} as never).newLab({ scenario: 'flannel-vxlan', nodes: 3, podsPerNode: 2 })
    const spaces = s.topology.namespaces
    expect(spaces.some((n) => n.devices.some((d) => d.master && d.peer))).toBe(true)
    const packed = packNamespaces(spaces)!
    expect(packed.dev.ifindex).toBeInstanceOf(Int32Array)
    const back = unpackNamespaces(structuredClone(packed))
    expect(back).toEqual(spaces)
    // The same keys too: no field comes back as an explicit undefined.
    expect(back.map((n) => [Object.keys(n), n.devices.map((d) => Object.keys(d))])).toEqual(spaces.map((n) => [Object.keys(n), n.devices.map((d) => Object.keys(d))]))
    // A field packing does not know goes as it is.
    expect(packNamespaces([...spaces, { ...spaces[0], extra: 1 } as never])).toBeNull()
  })

  it('a lab of more than PACK_NAMESPACES_ABOVE namespaces sends them packed, and the page gets them whole', async () => {
    const { worker, sent } = workerPort()
    const api = createWorkerApi(worker)
    const [nodes, pods] = [30, 17]
    expect(nodes * (pods + 1)).toBeGreaterThan(PACK_NAMESPACES_ABOVE)
    const crossed = await api.newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode: pods })
    const topo = (sent[0] as { reply: { value: LabState & { topology: { packedNamespaces?: PackedNamespaces } } } }).reply.value.topology
    expect(topo.namespaces).toEqual([])
    expect(topo.packedNamespaces?.ns.name).toHaveLength(nodes * (pods + 1) + 1)
    expect(isPacked(crossed)).toBe(true)
    const state = unpackValue(crossed)
    expect('packedNamespaces' in state.topology).toBe(false)
    const direct = await dispatch(createHandlers(new LabService('same-node'), {} as never), CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes, podsPerNode: pods })
    // The host's own state carries them packed as its view wrote them; the page's is the same unpacked.
    const own = (direct as { value: LabState }).value
    expect(own.topology.namespaces).toEqual([])
    expect(state.topology).toEqual(unpackValue(own).topology)
  })
})
