import { describe, expect, it } from 'vitest'
import { CHANNELS, type LabState, type LinkView } from '../../shared/api.ts'
import { isPacked, PACK_TUNNELS_ABOVE, packTunnels, tunnelId, unpackTunnels, unpackValue, type PackedTunnels } from '../../shared/tunnels.ts'
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

  it('a big flannel lab: the state reaches the page with every tunnel, sent packed beside it', async () => {
    const { worker, sent } = workerPort()
    const api = createWorkerApi(worker)
    const nodes = 48 // 1,128 tunnels: above PACK_TUNNELS_ABOVE
    const crossed = await api.newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    const msg = sent[0] as { reply: { ok: true; value: LabState & { topology: { packedTunnels?: PackedTunnels } } } }
    expect(msg.reply.value.topology.packedTunnels?.a).toHaveLength((nodes * (nodes - 1)) / 2)
    expect(msg.reply.value.topology.tunnels).toBeUndefined()
    // The renderer's door (api/podnet.ts) unpacks them, for either host.
    expect(isPacked(crossed)).toBe(true)
    const state = unpackValue(crossed)
    expect('packedTunnels' in state.topology).toBe(false)
    expect(isPacked(state)).toBe(false)
    expect((nodes * (nodes - 1)) / 2).toBeGreaterThan(PACK_TUNNELS_ABOVE)
    // What the page got equals what the handler answered, tunnels included.
    const direct = await dispatch(createHandlers(new LabService('same-node'), {} as never), CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    expect(direct.ok).toBe(true)
    const want = (direct as { value: LabState }).value
    expect(state.topology.tunnels).toEqual(want.topology.tunnels)
    expect(state.topology.namespaces).toEqual(want.topology.namespaces)
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
    expect(state.topology).toEqual((direct as { value: LabState }).value.topology)
  })
})
