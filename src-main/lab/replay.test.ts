import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LabState } from '../../shared/api.ts'
import { applyDelta } from '../../shared/delta.ts'
import { configSnapshot } from './snapshot.ts'
import { ViewTracker } from './view.ts'
import { instantiate } from './lab.ts'
import { LabSession, scenarioLab } from './session.ts'

/*
 * The history model's promise: a lab's history records every change with the time it was applied
 * at, so the live lab and its replay (the saved file, reopened) have the same configuration at
 * the same clock, whatever reads, observations, failed commands and undos happened in between.
 * Random sequences of terminal lines check it; a failing case prints its seed and the lines.
 */

const NODES = ['node1', 'node2']
const PODS = ['pod1', 'pod2', 'pod3', 'pod4']
const POD_IPS = ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3']

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs)
const small = fc.integer({ min: 1, max: 9 })

/** One terminal action: a line in a namespace (or the host), or undo/redo. */
type Action = { line: string; netns?: string } | { undo: true } | { redo: true }

const change: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ netns: pick(NODES), dev: pick(['eth0', 'cbr0']), mtu: pick([1280, 1400, 1450, 1500]) }).map(({ netns, dev, mtu }) => ({ netns, line: `ip link set ${dev} mtu ${mtu}` })),
  fc.record({ netns: pick(PODS), up: fc.boolean() }).map(({ netns, up }) => ({ netns, line: `ip link set eth0 ${up ? 'up' : 'down'}` })),
  fc.record({ netns: pick([...NODES, ...PODS]), x: small }).map(({ netns, x }) => ({ netns, line: `ip addr add 10.${x}.0.1/24 dev eth0` })),
  fc.record({ netns: pick([...NODES, ...PODS]), x: small }).map(({ netns, x }) => ({ netns, line: `ip route add 10.${50 + x}.0.0/16 via ${POD_IPS[x % 4]}` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ line: `ip -n ${netns} route del 10.244.${x % 3}.0/24` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ netns, line: `ip neigh replace 10.9.9.${x} lladdr 02:00:00:00:00:0${x} dev eth0` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ line: `ip -n ${netns} neigh del 10.9.9.${x} dev eth0` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ netns, line: `bridge fdb add 02:00:00:00:01:0${x} dev cbr0 self` })),
  fc.record({ netns: pick(NODES), on: fc.boolean() }).map(({ netns, on }) => ({ netns, line: `sysctl -w net.ipv4.ip_forward=${on ? 1 : 0}` })),
  // Devices made without an address: their MACs come from the seeded generator.
  small.map((x) => ({ line: `ip link add v${x} type veth peer name w${x}` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ line: `ip link set v${x} netns ${netns}` })),
  fc.record({ netns: pick(NODES), x: small }).map(({ netns, x }) => ({ netns, line: `ip link add br${x} type bridge && ip link set br${x} up` })),
  small.map((x) => ({ line: `ip netns add t${x}` })),
  small.map((x) => ({ line: `ip netns del t${x}` })),
  fc.record({ node: pick(NODES), x: small }).map(({ node, x }) => ({ line: `podnet pod add p${x} --node ${node}` })),
  small.map((x) => ({ line: `podnet pod del p${x}` })),
)

const observe: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ netns: pick(PODS), dst: pick(POD_IPS), n: fc.integer({ min: 1, max: 3 }) }).map(({ netns, dst, n }) => ({ netns, line: `ping -c ${n} -W 1 ${dst}` })),
  fc.integer({ min: 1, max: 40 }).map((s) => ({ line: `sleep ${s}` })),
  fc.record({ netns: pick(PODS), dst: pick(POD_IPS) }).map(({ netns, dst }) => ({ netns, line: `traceroute -n -q 1 -w 1 -m 4 ${dst}` })),
  fc.record({ netns: pick(PODS), dst: pick(POD_IPS) }).map(({ netns, dst }) => ({ netns, line: `tcpdump -i eth0 -c 1 -n & ping -c 1 -W 1 ${dst}; wait` })),
  // A line that changes and observes: only the change is recorded.
  fc.record({ netns: pick(PODS), dst: pick(POD_IPS), mtu: pick([1400, 1450]) }).map(({ netns, dst, mtu }) => ({ netns, line: `ping -c 1 -W 1 ${dst} >/dev/null; ip link set eth0 mtu ${mtu} && ping -c 1 -W 1 ${dst}` })),
)

const read: fc.Arbitrary<Action> = fc.record({ netns: pick([...NODES, ...PODS]), line: pick(['ip route show', 'ip -s neigh', 'bridge fdb show', 'ip -d link show', 'ip -s -s link', 'arp -n', 'ip route get 10.244.2.3']) })

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: change },
  { weight: 3, arbitrary: observe },
  { weight: 2, arbitrary: read },
  { weight: 1, arbitrary: fc.constant<Action>({ undo: true }) },
  { weight: 1, arbitrary: fc.constant<Action>({ redo: true }) },
)

function play(session: LabSession, actions: Action[]): void {
  for (const a of actions) {
    if ('undo' in a) session.undo()
    else if ('redo' in a) session.redo()
    else session.exec(a.line, a.netns)
  }
}

describe('the live lab equals its replay', () => {
  for (const scenario of ['flannel-vxlan', 'routed']) {
    it(`after random lines in ${scenario}: same configuration, same clock`, () => {
      fc.assert(
        fc.property(fc.array(action, { minLength: 1, maxLength: 14 }), (actions) => {
          const live = new LabSession(scenarioLab(scenario))
          play(live, actions)
          const replayed = LabSession.fromText(live.save())
          expect(configSnapshot(replayed.world)).toEqual(configSnapshot(live.world))
          // A fork (what traces run in) is the same replay.
          expect(configSnapshot(live.fork().world)).toEqual(configSnapshot(live.world))
        }),
        { numRuns: Number(process.env.PODNET_REPLAY_RUNS ?? 25) },
      )
    })
  }

  it('the view built from the replies\' deltas equals the whole view, after every action', () => {
    // Links and tunnels are sets: their order is not significant.
    const norm = (s: LabState) => ({ ...s, seq: 0, topology: { ...s.topology, links: [...s.topology.links].sort((a, b) => (a.id < b.id ? -1 : 1)), tunnels: [...(s.topology.tunnels ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1)) } })
    fc.assert(
      fc.property(pick(['flannel-vxlan', 'routed', 'same-node']), fc.array(action, { minLength: 1, maxLength: 10 }), (scenario, actions) => {
        const live = new LabSession(scenarioLab(scenario))
        const tracker = new ViewTracker()
        let state = tracker.full(live)
        for (const a of actions) {
          play(live, [a])
          const next = applyDelta(state, tracker.delta(live))
          expect(next).not.toBeNull()
          state = next!
          expect(norm(state)).toEqual(norm(new ViewTracker().full(live)))
        }
      }),
      { numRuns: Math.ceil(Number(process.env.PODNET_REPLAY_RUNS ?? 25) / 2) },
    )
  })

  it('replays the history without the observations: the ARP entries a ping left are not part of the lab', () => {
    const live = new LabSession(scenarioLab('routed'))
    live.exec('ping -c 1 10.244.2.3', 'pod1')
    live.exec('ip link set cbr0 mtu 1400', 'node1')
    const rt = instantiate(live.doc, { untilNs: live.world.sched.now })
    expect(configSnapshot(rt.world)).toEqual(configSnapshot(live.world))
    expect(live.exec('ip neigh show dev eth0', 'pod1').stdout).toContain('10.244.1.1')
    expect(rt.world.netns('pod1')!.neigh.entries()).toEqual([])
  })
})
