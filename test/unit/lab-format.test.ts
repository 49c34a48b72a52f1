import { describe, expect, it } from 'vitest'
import { LabFormatError, parseLab, serializeLab } from '../../src-main/lab/format.ts'
import { instantiate, LabBuildError } from '../../src-main/lab/lab.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { run } from '../../src-main/engine/commands/index.ts'

function errorOf(text: string): LabFormatError {
  try {
    parseLab(text, 'lab.yaml')
  } catch (e) {
    if (e instanceof LabFormatError) return e
    throw e
  }
  throw new Error('parsed')
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
    expect(errorOf(GOOD.replace('  seed: 7', '  seed: 7\n  extra: 1')).message).toBe('lab.yaml:7:3: spec.extra: unknown field "extra" (spec has seed, cluster, setup and commands)')
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
    doc.spec.commands = ['ip netns exec pod1 ping -c 3 10.244.2.3', 'sleep 20']
    const a = instantiate(doc)
    const b = instantiate(doc)
    const show = (w: typeof a.world): string => ['ip -n node1 neigh', 'bridge -n underlay fdb show', 'ip netns exec pod1 ping -c 1 10.244.2.2'].map((l) => run(w, l).stdout).join('')
    expect(show(a.world)).toBe(show(b.world))
  })
})

describe('sessions', () => {
  it('records changes, not reads, and undo rebuilds without the last change', () => {
    const s = new LabSession(scenarioLab('routed'))
    s.exec('ip route show', 'node1')
    expect(s.doc.spec.commands).toEqual([])
    s.exec('ip -n node1 route del 10.244.2.0/24')
    expect(s.doc.spec.commands).toEqual(['ip -n node1 route del 10.244.2.0/24'])
    expect(s.exec('ip route show', 'node1').stdout).not.toContain('10.244.2.0/24')
    expect(s.undo()).toBe(true)
    expect(s.exec('ip route show', 'node1').stdout).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(s.canRedo).toBe(true)
    s.redo()
    expect(s.exec('ip route show', 'node1').stdout).not.toContain('10.244.2.0/24')
  })

  it('does not record an ip/bridge/podnet request that failed, but keeps a failed ping', () => {
    const s = new LabSession(scenarioLab('routed'))
    const r = s.exec('ip route add 10.244.2.0/24 via 192.168.0.12', 'node1')
    expect(r.stderr).toBe('RTNETLINK answers: File exists\n')
    s.exec('bridge fdb add 02:00:00:00:00:01 dev nothing master', 'node1')
    s.exec('podnet pod add pod9 --node node9')
    expect(s.doc.spec.commands).toEqual([])
    expect(s.canUndo).toBe(false)
    // A ping that gets no answer still sent frames and filled caches: replay needs it.
    s.exec('ping -c 1 -W 1 10.244.9.9', 'pod1')
    expect(s.doc.spec.commands).toEqual(['ip netns exec pod1 ping -c 1 -W 1 10.244.9.9'])
  })

  it('reads take no simulated time; changes do', () => {
    const s = new LabSession(scenarioLab('same-node'))
    const t0 = s.world.sched.now
    s.exec('ip a', 'pod1')
    s.exec('bridge fdb show', 'node1')
    expect(s.world.sched.now).toBe(t0)
    s.exec('ping -c 1 10.244.1.3', 'pod1')
    expect(s.world.sched.now).toBeGreaterThan(t0)
  })
})
