import { describe, expect, it } from 'vitest'
import { LabFormatError, parseLab, serializeLab } from '../../src-main/lab/format.ts'
import { instantiate, LabBuildError } from '../../src-main/lab/lab.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { thrown } from './thrown.ts'

function errorOf(text: string): LabFormatError {
  return thrown(LabFormatError, () => parseLab(text, 'lab.yaml'))
}

const GOOD = `apiVersion: podnet.dev/v1
kind: Lab
metadata:
  name: t
spec:
  seed: 7
  cluster:
    mode: routes
    clusterCidr: 10.244.0.0/16
    underlay: { kind: switch, cidr: 192.168.0.0/24 }
    nodes:
      - name: node1
        pods:
          - name: pod1
          - name: pod2
            ip: 10.244.1.9
  commands:
    - ip -n node1 route show
`

describe('lab files', () => {
  it('round-trips through YAML', () => {
    const doc = parseLab(GOOD)
    expect(doc.spec.seed).toBe(7)
    expect(parseLab(serializeLab(doc))).toEqual(doc)
  })

  it('names the line, column and field of each problem', () => {
    const e = errorOf(GOOD.replace('ip: 10.244.1.9', 'ip: [1, 2]'))
    expect(e.message).toBe('lab.yaml:16:17: spec.cluster.nodes[0].pods[1].ip: must be an IPv4 address')
    expect(errorOf(GOOD.replace('mode: routes', 'mode: nat')).message).toBe('lab.yaml:8:11: spec.cluster.mode: must be one of routes, cloud-routes, flannel-vxlan, flannel-host-gw')
    expect(errorOf(GOOD.replace('apiVersion: podnet.dev/v1', 'apiVersion: podnet.dev/v9')).message).toMatch(/^lab\.yaml:1:13: apiVersion: unknown apiVersion "podnet.dev\/v9"/)
    expect(errorOf('spec: [').message).toMatch(/^lab\.yaml:1:\d+: not valid YAML/)
    expect(errorOf(GOOD.replace('  seed: 7', '  seed: 7\n  extra: 1')).message).toBe('lab.yaml:7:3: spec.extra: unknown field "extra" (spec has seed, cluster, setup, commands and clock)')
    expect(errorOf(GOOD.replace('    - ip -n node1 route show', '    - { at: -1, run: ip link }')).message).toBe('lab.yaml:18:13: spec.commands[0].at: must be the simulated time in seconds, from 0 to 2592000')
    expect(errorOf(GOOD.replace('    - ip -n node1 route show', '    - { at: 1, run: ip link, by: me }')).message).toBe('lab.yaml:18:30: spec.commands[0].by: unknown field "by" (a timed command has at and run)')
    expect(errorOf(GOOD.replace('    - ip -n node1 route show', '    - { at: 1 }')).message).toMatch(/^lab\.yaml:18:7: spec\.commands\[0\]\.run: the command line is required$/)
    expect(errorOf(GOOD.replace('  seed: 7', '  seed: 7\n  clock: soon')).message).toBe('lab.yaml:7:10: spec.clock: must be the simulated time in seconds, from 0 to 2592000')
    expect(errorOf('- 1\n').message).toBe('lab.yaml:1:1: a lab file is a YAML mapping with apiVersion, kind, metadata and spec')
  })

  it('reads the older v1alpha1 layout', () => {
    const doc = parseLab(`apiVersion: podnet.dev/v1alpha1
kind: Lab
metadata: { name: old }
spec:
  mode: routes
  clusterCidr: 10.244.0.0/16
  underlay: { kind: switch, cidr: 192.168.0.0/24 }
  nodes: [{ name: node1, pods: [{ name: pod1 }] }]
`)
    expect(doc.apiVersion).toBe('podnet.dev/v1')
    expect(doc.spec.cluster?.nodes[0].pods[0].name).toBe('pod1')
  })

  it('refuses a cluster that cannot be built, naming the field', () => {
    const bad = parseLab(GOOD.replace('ip: 10.244.1.9', 'ip: 10.9.9.9'))
    expect(() => instantiate(bad)).toThrow(LabBuildError)
    expect(() => instantiate(bad)).toThrow("spec.cluster.nodes[0].pods[1].ip: 10.9.9.9 is not in node1's pod CIDR 10.244.1.0/24")
    const dup = parseLab(GOOD.replace('- name: pod2', '- name: pod1'))
    expect(() => instantiate(dup)).toThrow('spec.cluster.nodes[0].pods[1].name: "pod1" is used twice')
  })

  it('replays the same lab to the same network, byte for byte', () => {
    const doc = scenarioLab('routed')
    doc.spec.commands = ['ip -n node1 link set cbr0 mtu 1400', { at: 9.5, run: 'ip -n node2 route del 10.244.1.0/24' }]
    const a = instantiate(doc)
    const b = instantiate(doc)
    const show = (w: typeof a.world): string => ['ip -n node1 neigh', 'bridge -n underlay fdb show', 'ip netns exec pod1 ping -c 1 10.244.2.2'].map((l) => run(w, l).stdout).join('')
    expect(show(a.world)).toBe(show(b.world))
  })
})

describe('sessions', () => {
  it('records changes with their time, not reads or observations; undo rebuilds without the last change', () => {
    const s = new LabSession(scenarioLab('routed'))
    s.exec('ip route show', 'node1')
    s.exec('ping -c 2 10.244.2.3', 'pod1')
    expect(s.doc.spec.commands).toEqual([])
    const t = s.world.sched.now
    s.exec('ip -n node1 route del 10.244.2.0/24')
    expect(s.doc.spec.commands).toEqual([{ at: t / 1e9, run: 'ip -n node1 route del 10.244.2.0/24' }])
    expect(s.exec('ip route show', 'node1').stdout).not.toContain('10.244.2.0/24')
    const before = s.world.sched.now
    expect(s.undo()).toBe(true)
    // Time does not go back with an undo.
    expect(s.world.sched.now).toBe(before)
    expect(s.exec('ip route show', 'node1').stdout).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(s.canRedo).toBe(true)
    s.redo()
    expect(s.exec('ip route show', 'node1').stdout).not.toContain('10.244.2.0/24')
    expect(s.doc.spec.commands).toHaveLength(1)
  })

  it('records the simple commands of a line that changed something, each on its own', () => {
    const s = new LabSession(scenarioLab('same-node'))
    const r = s.exec("ip link add a type dummy 2>/dev/null; ip link add x type veth peer name y && ping -c 1 10.244.1.3 >/dev/null && ip link set x alias 'it''s x' || true", 'node1')
    expect(r.exitCode).toBe(0)
    expect(s.doc.spec.commands.map((c) => (typeof c === 'string' ? c : c.run))).toEqual([
      'ip netns exec node1 ip link add x type veth peer name y',
      `ip netns exec node1 ip link set x alias 'its x'`,
    ])
    const [a, b] = s.doc.spec.commands as { at: number }[]
    expect(b.at).toBeGreaterThan(a.at)
    expect(s.exec('ip link show x', 'node1').stdout).toContain('alias its x')
  })

  it('does not record a request that failed, but records a failed command that changed something', () => {
    const s = new LabSession(scenarioLab('routed'))
    const r = s.exec('ip route add 10.244.2.0/24 via 192.168.0.12', 'node1')
    expect(r.stderr).toBe('RTNETLINK answers: File exists\n')
    s.exec('bridge fdb add 02:00:00:00:00:01 dev nothing master', 'node1')
    s.exec('podnet pod add pod9 --node node9')
    s.exec('ping -c 1 -W 1 10.244.9.9', 'pod1')
    expect(s.doc.spec.commands).toEqual([])
    expect(s.canUndo).toBe(false)
    const partial = s.exec('sysctl -w net.ipv4.ip_forward=0 net.ipv4.nothing=1', 'node1')
    expect(partial.exitCode).toBe(1)
    expect(s.doc.spec.commands.map((c) => (typeof c === 'string' ? c : c.run))).toEqual(['ip netns exec node1 sysctl -w net.ipv4.ip_forward=0 net.ipv4.nothing=1'])
  })

  it('reads take no simulated time; observations and changes do', () => {
    const s = new LabSession(scenarioLab('same-node'))
    const t0 = s.world.sched.now
    s.exec('ip a', 'pod1')
    s.exec('bridge fdb show', 'node1')
    expect(s.world.sched.now).toBe(t0)
    s.exec('ping -c 1 10.244.1.3', 'pod1')
    const t1 = s.world.sched.now
    expect(t1).toBeGreaterThan(t0)
    s.exec('ip link set cbr0 mtu 1400', 'node1')
    expect(s.world.sched.now).toBeGreaterThan(t1)
  })

  it('saves the clock; the saved lab reopens with the same history at the same time', () => {
    const s = new LabSession(scenarioLab('routed'))
    s.exec('ip link set eth0 mtu 1400', 'node2')
    s.exec('sleep 5', 'node1')
    s.exec('ip -n node1 route del 10.244.2.0/24')
    s.exec('sleep 2')
    const text = s.save()
    expect(text).toContain('clock: 10.')
    const t = LabSession.fromText(text)
    expect(t.world.sched.now).toBe(s.world.sched.now)
    expect(t.doc.spec.commands).toEqual(s.doc.spec.commands)
    expect(t.exec('ip route show', 'node1').stdout).toBe(s.exec('ip route show', 'node1').stdout)
  })

  it('opens a lab of bare lines (older files): changes get their times, observations are dropped and not run', () => {
    const doc = scenarioLab('routed')
    doc.spec.commands = ['ip netns exec pod1 ping -c 3 10.244.2.3', 'ip -n node1 link set cbr0 mtu 1400', 'sleep 20', 'ip route show', 'ip -n node2 route del 10.244.1.0/24']
    const s = new LabSession(doc)
    expect(s.doc.spec.commands.map((c) => (typeof c === 'string' ? c : c.run))).toEqual(['ip -n node1 link set cbr0 mtu 1400', 'ip -n node2 route del 10.244.1.0/24'])
    // The ping was not run: node1 learned nothing from it.
    expect(s.exec('ip neigh show dev eth0', 'node1').stdout).toBe('')
    const again = new LabSession(structuredClone(s.doc))
    expect(again.doc.spec.commands).toEqual(s.doc.spec.commands)
    expect(again.world.sched.now).toBe(s.world.sched.now)
  })
})
