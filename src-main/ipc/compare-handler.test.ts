import { describe, expect, it } from 'vitest'
import { CHANNELS, type CompareView } from '../../shared/api.ts'
import { configSnapshot } from '../lab/snapshot.ts'
import { scenarioLab } from '../lab/session.ts'
import { serializeLab } from '../lab/format.ts'
import { createHandlers, dispatch, LabService } from './handlers.ts'

function open(scenario: string | null) {
  const service = new LabService(scenario)
  return { h: createHandlers(service), service }
}

describe('the compare channel', () => {
  it('routes vs flannel VXLAN of the open lab: 50 bytes more on the wire, 1500 vs 1450, and the open lab untouched', async () => {
    const { h, service } = open('routed')
    const before = JSON.stringify(configSnapshot(service.session.world))
    const clock = service.session.world.sched.now
    const c = (await h.compare({ from: 'pod1', to: 'pod4', sides: [{ mode: 'routes' }, { mode: 'flannel-vxlan' }], lang: 'ja' })) as CompareView
    const [r, v] = c.sides
    expect([r.delivered, v.delivered]).toEqual([true, true])
    expect([r.pathMtu, v.pathMtu]).toEqual([1500, 1450])
    expect(v.wireBytes - r.wireBytes).toBe(50)
    expect([r.label, v.label]).toEqual(['routes', 'flannel-vxlan'])
    // Verdicts in both languages, step texts in the one asked for, re-renderable from msg and params.
    expect(v.verdicts.en).toMatch(/pod1.*pod4/)
    expect(v.verdicts.ja).toMatch(/[ぁ-ん]/)
    expect(v.hops.every((x) => typeof x.msg === 'string' && typeof x.params === 'object')).toBe(true)
    expect(v.hops.some((x) => x.kind === 'encap')).toBe(true)
    expect(JSON.stringify(configSnapshot(service.session.world))).toBe(before)
    expect(service.session.world.sched.now).toBe(clock)
    expect(service.dirty).toBe(false)
    expect(service.session.cluster!.mode).toBe('routes')
  })

  it('the open lab as it is against another lab file given as text', async () => {
    const { h } = open('routed')
    const c = (await h.compare({ from: 'pod1', to: 'pod4', sides: [{}, { text: serializeLab(scenarioLab('flannel-vxlan')), name: '/tmp/dir/vxlan.podnet' }] })) as CompareView
    expect(c.sides[0].label).toBe('routed')
    expect(c.sides[1].label).toBe('vxlan.podnet')
    expect(c.sides[1].mode).toBe('flannel-vxlan')
    expect(c.sides[1].pathMtu).toBe(1450)
  })

  it('names what is wrong in a request, and where', async () => {
    const { h } = open('routed')
    const err = async (payload: unknown) => {
      const r = await dispatch(h, CHANNELS.compare, payload)
      expect(r.ok).toBe(false)
      return r.ok ? null : r.error
    }
    expect(await err({ from: 'pod1', to: 'pod4', sides: [{}] })).toMatchObject({ code: 'invalid-request', path: 'sides' })
    expect(await err({ from: 'pod1', to: 'pod4', sides: [{}, { mode: 'ospf' }] })).toMatchObject({ code: 'invalid-request', path: 'sides.1.mode' })
    // A path is never taken from the page; only the desktop shell answers { file: 'dialog' }.
    expect(await err({ from: 'pod1', to: 'pod4', sides: [{}, { file: 'dialog' }] })).toMatchObject({ code: 'invalid-request', path: 'sides.1.file' })
    expect(await err({ from: 'pod1', to: 'pod4', sides: [{}, { path: '/etc/passwd' }] })).toMatchObject({ code: 'invalid-request', path: 'sides.1.path' })
    expect(await err({ from: 'pod1', to: 'pod4', sides: [{}, { text: 'kind: [', name: 'bad.yaml' }] })).toMatchObject({ code: 'lab-format', path: 'sides.1.text' })
    expect(await err({ from: 'nosuch', to: 'pod4', sides: [{}, {}] })).toMatchObject({ code: 'not-found', path: 'from' })
    expect(await err({ from: 'pod1', to: 'nosuch', sides: [{}, {}] })).toMatchObject({ code: 'not-found', path: 'to' })
    // A lab without a cluster has no mode to change.
    const { h: plain } = open(null)
    const r = await dispatch(plain, CHANNELS.compare, { from: 'pod1', to: 'pod2', sides: [{}, { mode: 'routes' }] })
    expect(r.ok ? null : r.error.path).toBe('sides.1.mode')
  })
})
