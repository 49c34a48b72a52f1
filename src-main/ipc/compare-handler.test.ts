import { describe, expect, it } from 'vitest'
import { CHANNELS, type CompareView, type WorkProgress } from '../../shared/api.ts'
import { configSnapshot } from '../lab/snapshot.ts'
import { scenarioLab } from '../lab/session.ts'
import { serializeLab } from '../lab/format.ts'
import { COMPARE_STEPS } from '../lab/compare.ts'
import { createHandlers, dispatch, LabService } from './handlers.ts'
import { NO_IO } from './live-host.ts'

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

  it('tells how far it has got, each probe of the MTU search a step, and the host may stop it between any two', async () => {
    const service = new LabService('routed')
    const seen: WorkProgress[] = []
    const h = createHandlers(service, { ...NO_IO, work: { progress: (p) => seen.push(p) } })
    const c = (await h.compare({ from: 'pod1', to: 'pod4', sides: [{ mode: 'routes' }, { mode: 'flannel-vxlan' }] })) as CompareView
    expect(c.sides.map((s) => s.pathMtu)).toEqual([1500, 1450])
    expect(seen.every((p) => p.phase === 'compare' && p.total === COMPARE_STEPS)).toBe(true)
    const done = seen.map((p) => p.done)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done.at(-1)).toBe(COMPARE_STEPS)
    // The two replays, then per side its walk and the search's probes (one of 0 bytes, then a halving each).
    expect(seen.length).toBeGreaterThanOrEqual(2 + 2 * (1 + 1 + 15))

    // Stopped after the fifth step: the request fails as cancelled and the open lab is as it was.
    const before = JSON.stringify(configSnapshot(service.session.world))
    let steps = 0
    const signal = { cancelled: false }
    const stopping = createHandlers(service, { ...NO_IO, work: { signal, progress: () => void (++steps === 5 && (signal.cancelled = true)) } })
    await expect(stopping.compare({ from: 'pod1', to: 'pod4', sides: [{ mode: 'routes' }, { mode: 'flannel-vxlan' }] })).rejects.toMatchObject({ code: 'cancelled' })
    expect(steps).toBe(5)
    expect(JSON.stringify(configSnapshot(service.session.world))).toBe(before)
    expect(service.dirty).toBe(false)
  })

  it('the bar moves while the two sides are rebuilt: each replay\'s build and history come through as sub-steps, weighted', async () => {
    // 12 nodes and 40 changes in the history: each side's replay builds the cluster, then replays them.
    const lines = ['apiVersion: podnet.dev/v1', 'kind: Lab', 'metadata:', '  name: many', 'spec:', '  cluster:', '    mode: routes', '    clusterCidr: 10.244.0.0/16', '    underlay:', '      kind: switch', '      cidr: 192.168.0.0/24', '    nodes:']
    for (let i = 1; i <= 12; i++) lines.push(`      - name: node${i}`, '        pods:', `          - name: pod${i}a`)
    lines.push('  commands:')
    for (let i = 0; i < 40; i++) lines.push(`    - ip -n node${(i % 12) + 1} route add 10.100.0.${i}/32 via 192.168.0.${11 + ((i + 1) % 12)}`)
    const service = new LabService('routed')
    const seen: WorkProgress[] = []
    const h = createHandlers(service, { ...NO_IO, work: { progress: (p) => seen.push(p) } })
    await h.openLab({ text: lines.join('\n') + '\n', name: 'many.yaml' })
    seen.length = 0
    const c = (await h.compare({ from: 'pod1a', to: 'pod12a', sides: [{}, { mode: 'flannel-vxlan' }] })) as CompareView
    expect(c.sides.map((s) => s.pathMtu)).toEqual([1500, 1450])
    expect(seen.every((p) => p.phase === 'compare' && p.total === COMPARE_STEPS && p.fraction !== undefined)).toBe(true)
    const fractions = seen.map((p) => p.fraction!)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(fractions[0]).toBeGreaterThanOrEqual(0)
    expect(fractions.at(-1)).toBe(1)
    for (const side of [0, 1]) {
      // While side `side` is rebuilt (steps done: side), its build then its history, each counted up.
      const subs = seen.filter((p) => p.done === side && p.sub).map((p) => p.sub!)
      const builds = subs.filter((s) => s.phase === 'build')
      const replays = subs.filter((s) => s.phase === 'replay')
      expect(builds.length).toBeGreaterThan(12)
      expect(replays.length).toBeGreaterThanOrEqual(40)
      expect(subs.indexOf(replays[0])).toBeGreaterThan(subs.indexOf(builds.at(-1)!))
      expect(builds.map((s) => s.done)).toEqual([...builds.map((s) => s.done)].sort((a, b) => a - b))
      expect(replays.map((s) => s.done)).toEqual([...replays.map((s) => s.done)].sort((a, b) => a - b))
      expect(replays.at(-1)).toEqual({ phase: 'replay', done: 40, total: 40 })
    }
    // The replays weigh most: when both are done, the bar is 40% on (24 of 60 units), and it moved all the way there.
    const both = seen.find((p) => p.done === 2)!
    expect(both.sub).toBeUndefined()
    expect(both.fraction).toBeCloseTo(0.4, 10)
    expect(new Set(seen.filter((p) => p.done < 2).map((p) => p.fraction)).size).toBeGreaterThan(50)
    // The steps after the replays: one unit each, as before.
    expect(seen.filter((p) => p.done > 2 && !p.sub).every((p) => Math.abs(p.fraction! - (24 + p.done - 2) / 60) < 1e-9)).toBe(true)
  })
})
