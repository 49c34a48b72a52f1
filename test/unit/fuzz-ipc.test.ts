import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CHANNELS, type ApiMethod, type ApiReply } from '../../shared/api.ts'
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { serializeLab } from '../../src-main/lab/format.ts'
import { configSnapshot, sameConfig } from '../../src-main/lab/snapshot.ts'
import { fuzzOptions, fuzzScale } from './fuzz-options.ts'

// Calls from a renderer that cannot be trusted: every channel of the handler table, with payloads
// that are right, nearly right (one field of the wrong type, missing, or extra), or anything a
// structured clone can carry. Every reply is a result or a typed error naming what was wrong
// (never 'internal', never a stack trace); a rejected call changes nothing of the open lab (its
// configuration, clock and file); and the open lab always equals its replay from the file it saves.

/** What a structured clone (IPC, postMessage) can carry where something else is expected. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, Number.NaN, Infinity, -0, 2 ** 53, 1e308, '', ' ', 'a'.repeat(5000), '\n', '__proto__', 'constructor', 'node1', 'pod1'),
  fc.integer(),
  fc.string({ maxLength: 10 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(new Date(0), new Map([['a', 1]]), new Set([1]), /x/g, new Uint8Array(3), new ArrayBuffer(2), [1, 'a'], [], {}, { length: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', 'type', 'name', '__proto__', 'constructor', 'toString'), fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxKeys: 3 }),
)

const NAMESPACES = ['node1', 'node2', 'pod1', 'pod2', 'pod3', 'underlay', '', 'nosuch', 'x;rm -rf /', '../etc']
const ns = fc.constantFrom(...NAMESPACES)
const lang = fc.constantFrom('en', 'ja', 'fr')
const LINES = ['ip route show', 'ip link set eth0 mtu 1400', 'ping -c 1 10.244.2.2', 'ip route del 10.244.2.0/24', 'sysctl -w net.ipv4.ip_forward=0', 'podnet pod add p7 --node node1', 'podnet pod del pod1', 'ip netns del node2', 'sleep 5', 'ip link add v1 type veth peer name w1', 'brctl addif', 'ip netns exec pod1 ip link set lo down && false', 'touch /tmp/x', 'ping -c 9223372036854775807 10.244.1.2']
const LAB_TEXTS = [
  serializeLab(scenarioLab('same-node')),
  serializeLab(scenarioLab('routed', 2, 1)),
  'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: x }\nspec: { commands: [ "ping -c 9223372036854775807 127.0.0.1" ] }\n',
  'apiVersion: __proto__\nkind: Lab\n',
  'a: &a [1]\nb: *a\n',
  '',
  'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: x }\nspec:\n  cluster: { mode: routes, clusterCidr: banana, underlay: { kind: switch, cidr: 10.0.0.0/8 }, nodes: [] }\n',
]
const EXERCISE_IDS = ['w1-who-arps', 'w2-missing-route', 'w2-ip-forward', 'nosuch', 'W1', '']
const EXERCISE_TEXT = 'apiVersion: podnet.dev/v1\nkind: Exercise\nmetadata: { id: mine }\n'

/** For each channel, payloads a well-behaved renderer would send (field by field). */
type Fields = Record<string, fc.Arbitrary<unknown>>
const EMPTY: Fields = {}
const EDITS: fc.Arbitrary<Record<string, unknown>>[] = [
  fc.record({ type: fc.constant('addNode'), name: fc.constantFrom('node3', 'node1', 'Bad', 'underlay', 'router') }),
  fc.record({ type: fc.constant('removeNode'), name: fc.constantFrom('node1', 'node2', 'nosuch') }),
  fc.record({ type: fc.constant('addPod'), name: fc.constantFrom('p5', 'pod1', 'router'), node: fc.constantFrom('node1', 'node2', 'nosuch') }),
  fc.record({ type: fc.constant('removePod'), name: fc.constantFrom('pod1', 'pod2', 'nosuch') }),
  fc.record({ type: fc.constant('movePod'), name: fc.constantFrom('pod1', 'pod3'), node: fc.constantFrom('node1', 'node2') }),
  fc.record({ type: fc.constant('setLink'), netns: ns, device: fc.constantFrom('eth0', 'cbr0', 'lo', 'nosuch'), up: fc.boolean(), mtu: fc.constantFrom(68, 1400, 65535, 67, 65536) }, { requiredKeys: ['type', 'netns', 'device'] }),
  fc.record({ type: fc.constant('setIpForward'), netns: ns, on: fc.boolean() }),
  fc.record({ type: fc.constant('addRoute'), netns: ns, route: fc.constantFrom('10.9.0.0/16 via 192.168.0.12', '10.244.2.0/24 via 192.168.0.12 dev eth0', 'default dev eth0', 'banana', '1.2.3.4/33') }),
  fc.record({ type: fc.constant('deleteRoute'), netns: ns, route: fc.constantFrom('10.244.2.0/24 via 192.168.0.12 dev eth0', '10.244.1.0/24 dev cbr0 proto kernel scope link src 10.244.1.1', 'default') }),
  fc.record({ type: fc.constant('setMode'), mode: fc.constantFrom('routes', 'flannel-vxlan', 'cloud-routes', 'flannel-host-gw', 'nat') }),
  fc.record({ type: fc.constant('addWiredNode'), name: fc.constantFrom('n9', 'node1', 'Bad', 'underlay'), wire: ns }),
  fc.record({ type: fc.constant('addSwitch'), name: fc.constantFrom('sw1', 'underlay'), cidr: fc.constantFrom('192.168.5.0/24', '10.244.0.0/16', '999.1.1.1/24', '1.2.3.4/33') }, { requiredKeys: ['type', 'name'] }),
  fc.record({ type: fc.constant('addRouter'), name: fc.constantFrom('r1', 'router', 'pod1') }),
  fc.record({ type: fc.constantFrom('connect', 'disconnect'), a: ns, b: ns }),
  fc.record({ type: fc.constant('remove'), names: fc.array(ns, { maxLength: 3 }), links: fc.array(fc.record({ netns: ns, device: fc.constantFrom('eth0', 'cbr0', 'nosuch') }), { maxLength: 2 }) }, { requiredKeys: ['type', 'names'] }),
  fc.record({ type: fc.constant('movePods'), names: fc.array(fc.constantFrom('pod1', 'pod2', 'pod3', 'nosuch'), { maxLength: 3 }), node: fc.constantFrom('node1', 'node2', 'nosuch') }),
  fc.record({ type: fc.constant('addNamespace'), name: fc.constantFrom('t1', 'pod1', 'Bad') }),
  fc.record({ type: fc.constant('addBridge'), netns: ns, name: fc.constantFrom('br9', 'cbr0', 'eth0@x') }),
  fc.record({ type: fc.constant('addVethPair'), a: fc.record({ netns: ns, name: fc.constantFrom('va', 'eth0') }), b: fc.record({ netns: ns, name: fc.constantFrom('vb', 'lo') }) }),
  fc.record({ type: fc.constant('renameDevice'), netns: ns, device: fc.constantFrom('eth0', 'cbr0', 'nosuch'), name: fc.constantFrom('eth9', 'lo', 'a b') }),
  fc.record({ type: fc.constantFrom('nosuch', '__proto__', 'constructor', 'toString') }),
]
const GOOD: Record<ApiMethod, Fields | fc.Arbitrary<unknown>> = {
  listScenarios: EMPTY,
  newLab: { scenario: fc.constantFrom('same-node', 'routed', 'flannel-vxlan', 'nosuch'), nodes: fc.constantFrom(1, 2, 3, 0, 1001), podsPerNode: fc.constantFrom(0, 1, 2, 251) },
  openLab: { text: fc.constantFrom(...LAB_TEXTS), name: fc.constantFrom('lab.yaml', '/home/user/.bashrc', '../x.yaml', 'a\nb') },
  getState: EMPTY,
  getDelta: EMPTY,
  tables: { netns: ns },
  saveLab: EMPTY,
  exec: { line: fc.constantFrom(...LINES), netns: ns },
  complete: { line: fc.constantFrom(...LINES, 'ip ro', ''), cursor: fc.constantFrom(0, 3, 5, 4096, 4097), netns: ns },
  edit: fc.oneof(...EDITS),
  undo: EMPTY,
  redo: EMPTY,
  setLayout: { set: fc.dictionary(fc.constantFrom('node1', 'pod1', 'underlay', 'nosuch', 'a b', ''), fc.oneof(fc.constant(null), fc.record({ x: fc.double(), y: fc.constantFrom(0, 1e8, -5.5) }))), reset: fc.boolean() },
  trace: { from: fc.constantFrom('pod1', 'pod2', 'node1', 'nosuch'), to: fc.constantFrom('pod2', 'pod3', '10.244.2.2', '8.8.8.8', 'nosuch'), proto: fc.constantFrom('icmp', 'udp', 'tcp'), port: fc.constantFrom(53, 0, 65536), size: fc.constantFrom(0, 1400, 65507, 65508), df: fc.boolean(), count: fc.constantFrom(1, 2, 3, 0), warm: fc.boolean(), lang },
  compare: {
    from: fc.constantFrom('pod1', 'nosuch'),
    to: fc.constantFrom('pod4', 'pod2', '10.244.2.2', 'nosuch'),
    sides: fc.constantFrom([{}, { mode: 'flannel-vxlan' }], [{ mode: 'routes' }, {}], [{}, { text: LAB_TEXTS[0], name: 'b.yaml' }], [{}, { file: 'dialog' }], [{ mode: 'nosuch' }, {}], [{}]),
    proto: fc.constantFrom('icmp', 'udp'),
    size: fc.constantFrom(56, 1500, 65508),
    lang,
  },
  exportScript: { prefix: fc.constantFrom('', 'lab-', 'x;rm', 'a'.repeat(21)), teardown: fc.boolean() },
  exportPcap: { traceId: fc.constantFrom(1, 2, 3, 0, 999), format: fc.constantFrom('pcapng', 'pcap', 'txt'), steps: fc.boolean(), lang },
  dissect: { frame: fc.constantFrom('ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002', '00', 'zz', '0', '45000014000000004001'.repeat(2)), layer: fc.constantFrom('ethernet', 'ipv4', 'udp'), lang },
  listExercises: EMPTY,
  openExercise: fc.oneof(fc.record({ id: fc.constantFrom(...EXERCISE_IDS), fresh: fc.boolean() }, { requiredKeys: ['id'] }), fc.record({ text: fc.constantFrom(EXERCISE_TEXT, '', 'kind: Lab\n'), name: fc.constantFrom('ex.yaml') }, { requiredKeys: ['text'] })),
  exerciseState: EMPTY,
  checkExercise: EMPTY,
  revealHint: EMPTY,
  resetExercise: EMPTY,
  answerQuestion: { goal: fc.constantFrom('who-arps', 'nosuch', 'Bad Id'), answer: fc.constantFrom('pod1', 'cbr0', 'x', 'a\nb', '') },
  removeExercise: { id: fc.constantFrom(...EXERCISE_IDS, 'mine') },
  setLanguage: { lang },
  termRun: { term: fc.constantFrom(1, 2, 0, 1_000_000_001), line: fc.constantFrom(...LINES, 'ping 10.244.2.2', 'tcpdump -i eth0 -n', 'sleep 3; ip link set eth0 mtu 1300', 'bash', 'exit'), netns: ns },
  termInterrupt: { term: fc.constantFrom(1, 2, 3, -1) },
  termSpeed: { speed: fc.constantFrom(1, 0.5, 1000, 0.01, 0.001, 1001, 0) },
}

const METHODS = Object.keys(CHANNELS) as ApiMethod[]

/** A payload for a channel: right, nearly right, or anything at all. */
function payloadFor(method: ApiMethod): fc.Arbitrary<unknown> {
  const g = GOOD[method]
  const good: fc.Arbitrary<Record<string, unknown>> = g instanceof fc.Arbitrary ? (g as fc.Arbitrary<Record<string, unknown>>) : fc.record(g, { requiredKeys: Object.keys(g).slice(0, 1) })
  return fc.oneof(
    { weight: 4, arbitrary: good },
    // One field of the wrong type (or a field the channel does not have).
    { weight: 3, arbitrary: fc.tuple(good, fieldOf(g), junk).map(([o, k, v]) => withOwn(o, k, v)) },
    // One field left out.
    { weight: 1, arbitrary: fc.tuple(good, fc.nat()).map(([o, i]) => Object.fromEntries(Object.entries(o).filter((_, j) => j !== i % Math.max(1, Object.keys(o).length)))) },
    { weight: 2, arbitrary: junk },
  )
}

/** A field to set wrong: mostly one of the channel's own, sometimes one it does not have. */
function fieldOf(g: Fields | fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const others = fc.constantFrom('type', 'name', 'path', 'extra', '__proto__', 'constructor')
  const own = g instanceof fc.Arbitrary ? [] : Object.keys(g)
  return own.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: others }) : others
}

/** The object with k set as its own property (so `__proto__` is a key, as JSON.parse makes it). */
function withOwn(o: Record<string, unknown>, k: string, v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o }
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

/** One call: a channel of the table (now and then one it does not have) and its payload. */
const call: fc.Arbitrary<{ channel: string; payload: unknown }> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...METHODS).chain((m) => payloadFor(m).map((payload) => ({ channel: CHANNELS[m] as string, payload }))) },
  { weight: 1, arbitrary: fc.record({ channel: fc.constantFrom('lab:nosuch', '__proto__', 'constructor', 'toString', ''), payload: junk }) },
)

/** The open lab as far as a rejected call must leave it: configuration, clock, file, saved or not. */
function labOf(service: LabService): { config: ReturnType<typeof configSnapshot>; text: string; dirty: boolean } {
  return { config: configSnapshot(service.session.world), text: service.text(), dirty: service.dirty }
}

function checkReply(reply: ApiReply, what: string): void {
  if (reply.ok) {
    // It must cross the transport: a structured clone of it must be possible.
    expect(() => structuredClone(reply.value), `${what}: the result crosses IPC`).not.toThrow()
    return
  }
  const e = reply.error
  expect(e.code, `${what}: ${e.message}`).not.toBe('internal')
  expect(['invalid-request', 'lab-format', 'lab-build', 'not-found']).toContain(e.code)
  expect(e.message.length, what).toBeGreaterThan(0)
  expect(e.message, what).not.toMatch(/\n\s+at |TypeError|RangeError|\[object \w+\]|\bundefined\b/)
  // A refused request names its field (or the file position, for a lab or exercise file).
  if (e.code === 'invalid-request') {
    expect(e.path, `${what}: ${e.message}`).toBeTruthy()
    expect(e.message.startsWith(`${e.path}: `), `${what}: ${e.message}`).toBe(true)
  }
}

describe('IPC fuzzing', () => {
  it('every channel has payloads', () => {
    expect(Object.keys(GOOD).sort()).toEqual([...METHODS].sort())
  })

  it('2,000 calls over every channel: results or located errors, a rejected call changes nothing, and the lab equals its replay', { timeout: 600_000 }, async () => {
    let calls = 0
    let rejected = 0
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('same-node', 'routed'), fc.array(fc.tuple(call, fc.constantFrom(0, 0, 40, 1000, 30_000)), { minLength: 1, maxLength: 8 }), async (scenario, steps) => {
        const service = new LabService(scenario)
        // A host whose wall clock the test moves: terminal lines run while it does.
        let wall = 0
        let timers: { at: number; fn: () => void }[] = []
        const h = createHandlers(service, {
          now: () => wall,
          setTimer: (fn, ms) => {
            const t = { at: wall + ms, fn }
            timers.push(t)
            return () => void (timers = timers.filter((x) => x !== t))
          },
          emit: () => {},
        })
        const calls_ = steps.map(([c]) => c)
        for (const [{ channel, payload }, waitMs] of steps) {
          // Wall time passes between calls; due timers fire, as the host's event loop would.
          const until = wall + waitMs
          for (let due = timers.find((t) => t.at <= until); due; due = timers.find((t) => t.at <= until)) {
            timers = timers.filter((t) => t !== due)
            wall = Math.max(wall, due.at)
            due.fn()
          }
          wall = until
          const before = labOf(service)
          const what = `${channel} ${describePayload(payload)}`
          const reply = await dispatch(h, channel, payload)
          calls++
          seen.add(channel)
          checkReply(reply, what)
          if (!reply.ok) {
            rejected++
            const after = labOf(service)
            if (!sameConfig(after.config, before.config) || after.text !== before.text || after.dirty !== before.dirty) expect(after, `the lab after the refused ${what}`).toEqual(before)
          }
        }
        // The file the lab saves replays to the same configuration at the same clock.
        const replay = LabSession.fromText(service.text(), 'replay.yaml')
        const live = configSnapshot(service.session.world)
        if (!sameConfig(configSnapshot(replay.world), live)) expect(configSnapshot(replay.world), `replay after ${calls_.map((c) => c.channel).join(', ')}`).toEqual(live)
      }),
      fuzzOptions('IPC calls', 520),
    )
    expect(calls).toBeGreaterThanOrEqual(2000 * fuzzScale() * 0.9)
    expect(rejected).toBeGreaterThan(calls / 4)
    expect(rejected).toBeLessThan(calls)
    for (const m of METHODS) expect(seen, m).toContain(CHANNELS[m])
    console.log(`IPC calls: ${calls} calls, ${rejected} refused, ${seen.size} channels`)
  })
})

function describePayload(p: unknown): string {
  try {
    const s = JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map || v instanceof Set ? `[${v.constructor.name}]` : v))
    return s === undefined ? String(p) : s.length > 200 ? `${s.slice(0, 200)}…` : s
  } catch {
    return String(p)
  }
}
