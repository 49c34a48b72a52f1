import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, type ApiError, type LabState, type WorkProgress } from '../../shared/api.ts'
import { tunnelList } from '../../shared/tunnels.ts'
import { createHandlers, dispatch, LabService } from '../ipc/handlers.ts'
import { LabThread } from './lab-thread-client.ts'

// The lab thread as the desktop app runs it: bundled (as electron-vite bundles it next to the
// shell) and started as a real worker thread. No electron is involved.
const entry = new URL('../../out/test/lab-thread.mjs', import.meta.url)
let thread: LabThread

beforeAll(async () => {
  await build({ entryPoints: [new URL('./lab-thread.ts', import.meta.url).pathname], bundle: true, packages: 'external', platform: 'node', format: 'esm', outfile: entry.pathname, logLevel: 'warning' })
  thread = new LabThread(entry, null)
}, 60_000)

afterAll(async () => {
  await thread?.terminate()
})

describe('the lab thread', () => {
  it('answers requests with the reply and the status the shell needs', async () => {
    const made = await thread.call(CHANNELS.newLab, { scenario: 'routed', nodes: 2, podsPerNode: 2 })
    expect(made.reply.ok).toBe(true)
    expect(made.status).toMatchObject({ dirty: false, name: 'routed', recovery: null })
    const changed = await thread.call(CHANNELS.exec, { line: 'ip -n node1 route add 10.9.0.0/16 via 192.168.0.12' })
    expect(changed.reply.ok).toBe(true)
    expect(changed.status.dirty).toBe(true)
    expect(changed.status.recovery).toContain('ip -n node1 route add 10.9.0.0/16 via 192.168.0.12')
    // What the shell itself does: the path it chose, unsaved work, the text, kept progress.
    await thread.setPath('/labs/mine.yaml')
    const state = (await thread.call(CHANNELS.getState, undefined)).reply
    expect(state.ok && (state.value as LabState).path).toBe('/labs/mine.yaml')
    expect(await thread.text()).toBe(changed.status.recovery)
    expect(await thread.loadProgress('{"version": 1, "exercises": [')).toBe(false)
    await thread.call(CHANNELS.saveLab, undefined)
    expect(thread.status.dirty).toBe(false)
    await thread.markDirty()
    expect(thread.status).toMatchObject({ dirty: true, recovery: changed.status.recovery })
    const bad = await thread.call(CHANNELS.newLab, { scenario: 'routed', nodes: 'many' })
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'nodes' } })
  })

  it('reports the progress of a big build, keeps the main thread free, and cancels it leaving the open lab as it was', async () => {
    const before = (await thread.call(CHANNELS.getState, undefined)).reply
    expect(before.ok).toBe(true)
    const progress: WorkProgress[] = []
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const off = thread.onWork((p) => {
      progress.push(p)
      // Cancel once the build is well under way.
      if (p.phase === 'build' && p.done >= 20) thread.cancel()
    })
    const started = performance.now()
    const big = await thread.call(CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes: 400, podsPerNode: 10 })
    const waited = performance.now() - started
    clearInterval(timer)
    off()
    expect(big.reply.ok).toBe(false)
    expect((big.reply as { error: ApiError }).error.code).toBe('cancelled')
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((p) => p.phase === 'build' && p.total === 801 && p.done <= p.total)).toBe(true)
    // The last word on it says how it ended, so a page hides its bar whoever started the work.
    expect(progress.at(-1)?.end).toBe('cancelled')
    expect(progress.filter((p) => p.end !== undefined)).toHaveLength(1)
    // The main thread's timers ran all along (at least a third of the 10 ms ticks of the wait).
    expect(ticks).toBeGreaterThan(waited / 30)
    const after = (await thread.call(CHANNELS.getState, undefined)).reply
    expect(after.ok && before.ok && (after.value as LabState).history).toEqual(before.ok && (before.value as LabState).history)
    expect(after.ok && (after.value as LabState).topology.namespaces.length).toBe(7)
    // The cancel was spent with that request: the next one runs to its end.
    const next = await thread.call(CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes: 3, podsPerNode: 1 })
    expect(next.reply.ok).toBe(true)
    expect(thread.cancel()).toBe(false)
  }, 120_000)

  it('sends a big lab state with its VXLAN tunnels packed, as the browser build does, and every tunnel arrives', async () => {
    const nodes = 48 // 1,128 tunnels: above PACK_TUNNELS_ABOVE
    const made = await thread.call(CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    expect(made.reply.ok).toBe(true)
    const topo = (made.reply as { value: LabState }).value.topology
    expect(topo.tunnels).toBeUndefined()
    expect(topo.packedTunnels?.a).toBeInstanceOf(Uint32Array)
    const direct = await dispatch(createHandlers(new LabService('same-node'), {} as never), CHANNELS.newLab, { scenario: 'flannel-vxlan', nodes, podsPerNode: 1 })
    expect(tunnelList(topo)).toHaveLength((nodes * (nodes - 1)) / 2)
    expect(tunnelList(topo)).toEqual(tunnelList((direct as { value: LabState }).value.topology))
    expect(topo.namespaces).toEqual((direct as { value: LabState }).value.topology.namespaces)
  }, 60_000)
})
