import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../shared/api.ts'
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'
import { LabFormatError, parseLab, serializeLab } from '../../src-main/lab/format.ts'
import { LabBuildError } from '../../src-main/lab/lab.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { configSnapshot } from '../../src-main/lab/snapshot.ts'
import { fuzzOptions } from './fuzz-options.ts'

// Lab files from outside: generated from the format's parts with wrong types, limits, names, CIDRs,
// prototype keys, control characters and YAML aliases mixed in, and valid files mutated at random.
// Opening one must end in the lab or in a located refusal (a line and a field), never in another
// exception, never take long, and never change the lab that was open.

const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']
const NAMES = ['node1', 'node2', 'pod1', 'pod2', 'underlay', 'router', 'Node_1', '', 'a'.repeat(16), 'x;rm -rf /', 'ノード', 'a\u0000b', 'a\nb', ...PROTO]
const CIDRS = ['10.244.0.0/16', '192.168.0.0/24', '10.244.1.0/24', '255.255.255.0/24', '10.0.0.0/8', '10.244.0.0/33', '10.244.0.1/16', 'banana', '0.0.0.0/0', '10.244.0.0/30', '10.244.0.0/31', '192.168.0.0/16', '::1/128', '']
const IPS = ['10.244.1.5', '10.244.1.1', '192.168.0.1', '192.168.0.0', '192.168.0.255', '192.168.0.11', '10.244.2.3', '300.1.1.1', 'x', '']
const COMMANDS = ['ip netns add a', 'ip -n a link set lo up', 'ip netns exec a ping -c 2 127.0.0.1', 'sleep 1e30', 'podnet pod add p9 --node node1 --mtu abc', 'ip netns del pod1', 'podnet pod del pod1', 'sysctl constructor', 'touch /tmp/x', 'echo "unterminated', 'ip link add a type veth peer name b; ip link set a up && ip link set b up', 'ip netns exec a ping -c 1 -s 2147483647 127.0.0.1']

/** Any YAML-ish value: what a hand-edited file may hold where something else is expected. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1, 2 ** 53, 4294967296, 0.5),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...PROTO, ...CIDRS, ...IPS),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', ...PROTO), fc.integer(), { maxKeys: 2 }),
)

/** A value that is usually right, sometimes junk. */
const mostly = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: junk })

/** An object that sometimes carries an extra key (unknown, or a prototype key). */
const withExtra = (o: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(o, fc.option(fc.tuple(fc.constantFrom('extra', 'labels', ...PROTO), junk), { freq: 6 })).map(([v, extra]) => (extra ? { ...v, [extra[0]]: extra[1] } : v))

const pod = withExtra(fc.record({ name: mostly(fc.constantFrom(...NAMES)), ip: mostly(fc.constantFrom(...IPS)), mtu: mostly(fc.constantFrom(1500, 67, 65536, 1450)) }, { requiredKeys: ['name'] }))
const node = withExtra(
  fc.record({ name: mostly(fc.constantFrom(...NAMES)), ip: mostly(fc.constantFrom(...IPS)), podCidr: mostly(fc.constantFrom(...CIDRS)), pods: mostly(fc.array(pod, { maxLength: 2 })) }, { requiredKeys: ['name'] }),
)
const cluster = withExtra(
  fc.record({
    mode: mostly(fc.constantFrom('routes', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw', 'nat')),
    clusterCidr: mostly(fc.constantFrom(...CIDRS)),
    underlay: mostly(withExtra(fc.record({ kind: mostly(fc.constantFrom('switch', 'routed')), cidr: mostly(fc.constantFrom(...CIDRS)), routeLimit: mostly(fc.constantFrom(0, 50, 100001)) }, { requiredKeys: ['kind', 'cidr'] }))),
    nodes: mostly(fc.array(node, { maxLength: 3 })),
  }),
)
const labObject = withExtra(
  fc.record(
    {
      apiVersion: mostly(fc.constantFrom('podnet.dev/v1', 'podnet.dev/v1alpha1', ...PROTO)),
      kind: mostly(fc.constant('Lab')),
      metadata: mostly(withExtra(fc.record({ name: mostly(fc.constantFrom('lab', 'a\u0007b', 'x\ny', '', 'n'.repeat(300))), description: mostly(fc.string({ maxLength: 20 })) }, { requiredKeys: ['name'] }))),
      spec: mostly(withExtra(fc.record({ seed: mostly(fc.constantFrom(1, 0, 4294967295, 4294967296, -1)), cluster: mostly(cluster), commands: mostly(fc.array(mostly(fc.constantFrom(...COMMANDS)), { maxLength: 3 })) }))),
    },
    { requiredKeys: ['apiVersion', 'kind', 'metadata', 'spec'] },
  ),
)

/** Valid lab texts to mutate. */
const SEEDS = [serializeLab(scenarioLab('same-node', 1, 1)), serializeLab(scenarioLab('flannel-vxlan', 2, 1)), serializeLab({ ...scenarioLab('routed', 2, 1), spec: { ...scenarioLab('routed', 2, 1).spec, commands: ['ip -n node1 route del 10.244.2.0/24'] } })]
/** What a mutation may insert: YAML's own syntax, aliases, prototype keys, control characters. */
const PIECES = ['*a', '&a ', '[', ']', '{', '}', ': ', '- ', '\n', '  ', '#', '"', "'", '|', '>', '!!str ', '!!binary ', '__proto__: 1', 'constructor: {}', '\u0000', '\u0007', '\r', '\t', '\u2028', '\uFEFF', '<<: *a', '? ', '%YAML 1.2\n', '---\n', '...\n', '9'.repeat(30), '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', 'b: &b [*b]']

const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }))), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let t = text
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1)
      t = t.slice(0, i) + ins + t.slice(i + del)
    }
    return t
  })

const generated = fc.tuple(labObject, fc.boolean()).map(([o, flow]) => {
  // As YAML a person would write: block style, or flow style on one line; prototype keys survive
  // as own keys because the object is built with them as own properties.
  const text = JSON.stringify(o)
  return flow ? text : serializeLab(o as never).replace(/^# .*\n/, '')
})

/** Built-in labs with a few fields changed: most open or fail only when the cluster is built. */
const nearValid = fc
  .tuple(
    fc.constantFrom('same-node', 'routed', 'cloud-routes', 'flannel-vxlan', 'host-gw-behind-router'),
    fc.array(fc.tuple(fc.constantFrom('nodeIp', 'podIp', 'podCidr', 'name', 'clusterCidr', 'underlay', 'mtu', 'command'), fc.nat(), fc.nat()), { maxLength: 3 }),
  )
  .map(([scenario, edits]) => {
    const doc = scenarioLab(scenario, 2, 1)
    const c = doc.spec.cluster!
    for (const [what, i, j] of edits) {
      const n = c.nodes[i % c.nodes.length]
      if (what === 'nodeIp') n.ip = IPS[j % IPS.length]
      else if (what === 'podIp' && n.pods[0]) n.pods[0].ip = IPS[j % IPS.length]
      else if (what === 'podCidr') n.podCidr = CIDRS[j % CIDRS.length]
      else if (what === 'name') n.name = NAMES[j % NAMES.length]
      else if (what === 'clusterCidr') c.clusterCidr = CIDRS[j % CIDRS.length]
      else if (what === 'underlay') c.underlay.cidr = CIDRS[j % CIDRS.length]
      else if (what === 'mtu' && n.pods[0]) n.pods[0].mtu = [68, 1450, 9000, 65535][j % 4]
      else doc.spec.commands.push(COMMANDS[j % COMMANDS.length])
    }
    return serializeLab(doc)
  })

const labText = fc.oneof(generated, mutated, nearValid, fc.string({ maxLength: 60 }))

/**
 * Opens a text as the app does; returns what happened: the lab, or a located refusal. A warning
 * the YAML reader prints to the console (a key it had to turn into text) fails too.
 */
function open(text: string): { ok: true; session: LabSession } | { ok: false; error: Error } {
  const warnings: string[] = []
  const emitWarning = process.emitWarning
  process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning
  try {
    return { ok: true, session: LabSession.fromText(text, 'fuzz.yaml') }
  } catch (e) {
    if (e instanceof LabFormatError || e instanceof LabBuildError) return { ok: false, error: e }
    throw e
  } finally {
    process.emitWarning = emitWarning
    expect(warnings, 'warnings while opening').toEqual([])
  }
}

describe('lab-file fuzzing', () => {
  it('5,000 generated and mutated files: opened or refused with a line and a field, quickly, never anything else', { timeout: 300_000 }, () => {
    let opened = 0
    let refused = 0
    let slowest = 0
    fc.assert(
      fc.property(labText, (text) => {
        const t = performance.now()
        const r = open(text)
        const ms = performance.now() - t
        slowest = Math.max(slowest, ms)
        expect(ms, 'one load').toBeLessThan(10_000)
        if (r.ok) {
          opened++
          // What opened saves and opens again to the same lab.
          const again = parseLab(r.session.save(), 'again.yaml')
          expect(again).toEqual(r.session.doc)
          return
        }
        refused++
        const e = r.error
        if (e instanceof LabFormatError) {
          expect(e.file).toBe('fuzz.yaml')
          expect(e.line).toBeGreaterThanOrEqual(1)
          expect(e.message).toMatch(/^fuzz\.yaml:\d+:\d+: /)
        } else {
          const b = e as LabBuildError
          expect(b.at?.file).toBe('fuzz.yaml')
          expect(b.path).toMatch(/^spec\./)
          expect(b.message).toMatch(/^fuzz\.yaml:\d+:\d+: spec\./)
        }
        expect(e.message).not.toMatch(/\n\s+at /)
      }),
      fuzzOptions('lab files', 5000),
    )
    // Both outcomes happen, so the generators reach past the first checks.
    expect(opened).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(1000)
    expect(slowest).toBeLessThan(10_000)
    console.log(`lab-file fuzzing: ${opened} opened, ${refused} refused, slowest ${Math.round(slowest)} ms`)
  })

  it('a refused open leaves the open lab as it was', { timeout: 120_000 }, async () => {
    const service = new LabService('same-node')
    const h = createHandlers(service)
    await h.exec({ line: 'ip link set lo down', netns: 'node1' })
    // The open lab: its configuration, its file and whether it is saved.
    const lab = (): string => JSON.stringify({ config: configSnapshot(service.session.world), text: service.text(), dirty: service.dirty })
    const before = lab()
    const text = service.text()
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, generated), async (t) => {
        const reply = await dispatch(h, CHANNELS.openLab, { text: t, name: 'fuzz.yaml' })
        if (reply.ok) {
          // Opened: put the lab back for the next file.
          await h.openLab({ text, name: 'back.yaml' })
          service.session.dirty = true
          expect(lab()).toBe(before)
          return
        }
        expect(['lab-format', 'lab-build', 'invalid-request']).toContain(reply.error.code)
        expect(reply.error.message).not.toMatch(/\n\s+at /)
        expect(lab()).toBe(before)
      }),
      fuzzOptions('lab files over an open lab', 300),
    )
  })
})
