import { describe, expect, it } from 'vitest'
import { run } from '../../src-main/engine/commands/index.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { MAX_HISTORY_COMMANDS, MAX_NODES, MAX_PODS, MAX_PODS_PER_NODE } from '../../src-main/k8s/limits.ts'
import { scenarioSpec } from '../../src-main/k8s/scenarios.ts'
import { exportParts } from '../../src-main/lab/export-iproute2.ts'
import { commandLine, LabFormatError, parseLab, serializeLab } from '../../src-main/lab/format.ts'
import { LabBuildError } from '../../src-main/lab/lab.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { configSnapshot } from '../../src-main/lab/snapshot.ts'

const HEAD = 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: t }\n'

function cluster(opts: { clusterCidr?: string; underlay?: string; nodes?: string } = {}): string {
  return `${HEAD}spec:
  cluster:
    mode: routes
    clusterCidr: ${opts.clusterCidr ?? '10.244.0.0/16'}
    underlay: ${opts.underlay ?? '{ kind: switch, cidr: 192.168.0.0/24 }'}
    nodes:
${opts.nodes ?? '      - { name: node1, pods: [ { name: pod1 } ] }\n      - { name: node2, pods: [] }'}
  commands: []
`
}

/** What opening a lab file text says: the located message of its rejection, or 'opened'. */
function open(text: string): string {
  try {
    LabSession.fromText(text, 'lab.yaml')
    return 'opened'
  } catch (e) {
    if (e instanceof LabFormatError || e instanceof LabBuildError) return e.message
    throw e
  }
}

describe('lab files that were uncaught exceptions', () => {
  it('refuses YAML aliases, however they nest', () => {
    expect(open(`${HEAD}spec:\n  commands: []\nb: *c\n`)).toBe('lab.yaml:6:4: YAML aliases (*c) are not allowed in a lab file; write the value out')
    let laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for (let i = 0; i < 9; i++) laughs += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]\n`
    expect(open(`${HEAD}spec:\n  commands: []\n${laughs}`)).toMatch(/^lab\.yaml:7:\d+: YAML aliases \(\*a\) are not allowed/)
  })

  it('refuses YAML tags and keys that are lists or mappings, where they are written', () => {
    // !!binary, !!set and !!omap made a buffer, a set or a map, and a buffer key a warning from the reader.
    expect(open(`${HEAD}!!binary a2luZA==: Lab\nspec:\n  commands: []\n`)).toMatch(/^lab\.yaml:4:\d+: YAML tags \(!!binary\) are not allowed in a lab file/)
    expect(open(`${HEAD}spec:\n  commands: !!set { a }\n`)).toMatch(/^lab\.yaml:5:\d+: YAML tags \(!!set\) are not allowed/)
    expect(open(`${HEAD}spec:\n  commands: []\n  !foo seed: 1\n`)).toMatch(/^lab\.yaml:6:\d+: YAML tags \(!foo\) are not allowed/)
    expect(open(`${HEAD}spec:\n  commands: []\n? [a]\n: 1\n`)).toBe('lab.yaml:6:3: a key must be plain text, not a list or a mapping')
  })

  it('refuses a nesting the YAML reader would choke on', () => {
    expect(open(`${HEAD}spec:\n  commands: ${'['.repeat(20000)}${']'.repeat(20000)}\n`)).toBe('lab.yaml:5:77: lists and mappings nest more than 64 levels deep')
  })

  it('names the field of a non-CIDR and of a CIDR with no room', () => {
    expect(open(cluster({ clusterCidr: 'banana' }))).toBe('lab.yaml:7:18: spec.cluster.clusterCidr: "banana" is not a CIDR such as 10.244.0.0/16')
    expect(open(cluster({ underlay: '{ kind: switch, cidr: 192.168.0.0/33 }' }))).toMatch(/^lab\.yaml:8:37: spec\.cluster\.underlay\.cidr: "192\.168\.0\.0\/33" is not a CIDR/)
    expect(open(cluster({ underlay: '{ kind: routed, cidr: 255.255.255.0/24 }' }))).toMatch(/^lab\.yaml:8:37: spec\.cluster\.underlay\.cidr: "255\.255\.255\.0\/24" is too small: a routed underlay gives each node a \/24/)
    expect(open(cluster({ underlay: '{ kind: switch, cidr: 10.244.7.0/24 }' }))).toMatch(/^lab\.yaml:8:37: spec\.cluster\.underlay\.cidr: 10\.244\.7\.0\/24 overlaps the cluster CIDR/)
  })

  it('looks versions up without the prototype chain', () => {
    for (const v of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(open(`apiVersion: ${v}\nkind: Lab\nmetadata: { name: t }\nspec: {}\n`)).toMatch(new RegExp(`^lab\\.yaml:1:13: apiVersion: unknown apiVersion "${v}"`))
    }
    // Prototype keys are fields like any other: unknown ones, named where they are.
    expect(open(`${HEAD}spec:\n  __proto__: { commands: [x] }\n`)).toBe('lab.yaml:5:3: spec.__proto__: unknown field "__proto__" (spec has seed, cluster, setup, commands and clock)')
    expect(open(`${HEAD}spec: {}\nconstructor: 1\n`)).toBe('lab.yaml:5:1: constructor: unknown field "constructor" (a lab file has apiVersion, kind, metadata, spec, exercise, layout)')
  })

  it('keeps the names of the underlay and the router for the lab', () => {
    expect(open(cluster({ nodes: '      - { name: underlay, pods: [] }' }))).toBe('lab.yaml:10:17: spec.cluster.nodes[0].name: "underlay" is reserved: the lab gives that name to the namespace of its underlay switch')
    expect(open(cluster({ nodes: '      - { name: node1, pods: [ { name: router } ] }' }))).toBe('lab.yaml:10:40: spec.cluster.nodes[0].pods[0].name: "router" is reserved: the lab gives that name to the namespace of its underlay router')
  })

  it('refuses pod del and move after a manual ip netns del, changing nothing', () => {
    const s = new LabSession(scenarioLab('routed'))
    expect(s.exec('ip netns del pod1').exitCode).toBe(0)
    const before = JSON.stringify(configSnapshot(s.world))
    const history = [...s.doc.spec.commands]
    for (const line of ['podnet pod del pod1', 'podnet pod move pod1 --node node2', 'podnet node del node1']) {
      const r = s.exec(line)
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toMatch(/^podnet: the network namespace of pod "pod1" is gone \(deleted with "ip netns del"\?\); undo that first\n$/)
    }
    expect(JSON.stringify(configSnapshot(s.world))).toBe(before)
    expect(s.doc.spec.commands).toEqual(history)
  })

  it('exports a lab whose cluster cannot be built as a located refusal', () => {
    const doc = scenarioLab('routed')
    doc.spec.cluster!.nodes[0].name = 'Node_1'
    expect(() => exportParts(doc)).toThrow(LabBuildError)
  })
})

describe('half-applied changes', () => {
  it('an edit that cannot apply is refused before anything changes, and records nothing', async () => {
    const service = new LabService('routed')
    const h = createHandlers(service)
    await h.exec({ line: 'ip netns del node1' })
    await h.exec({ line: 'ip netns del pod3' })
    const before = JSON.stringify(configSnapshot(service.session.world))
    const history = [...service.session.doc.spec.commands]
    await expect(h.edit({ type: 'removeNode', name: 'node1' })).rejects.toMatchObject({ code: 'invalid-request', path: 'name' })
    await expect(h.edit({ type: 'removePod', name: 'pod3' })).rejects.toMatchObject({ code: 'invalid-request', path: 'name' })
    await expect(h.edit({ type: 'movePod', name: 'pod3', node: 'node1' })).rejects.toMatchObject({ code: 'invalid-request', path: 'name' })
    expect(JSON.stringify(configSnapshot(service.session.world))).toBe(before)
    expect(service.session.doc.spec.commands).toEqual(history)
    // The open lab is what its saved file replays to.
    expect(JSON.stringify(configSnapshot(LabSession.fromText(service.session.save()).world))).toBe(before)
  })

  it('a failed request takes no simulated time and is not recorded', () => {
    const s = new LabSession(scenarioLab('routed'))
    const t = s.world.sched.now
    for (const line of ['ip link set nosuch up', 'ip -n node1 route add 10.0.0.0/8 via 1.2.3.4', 'podnet pod del nosuch', 'bridge fdb add zz dev x']) expect(s.exec(line).exitCode).not.toBe(0)
    expect(s.world.sched.now).toBe(t)
    expect(s.doc.spec.commands).toEqual([])
    expect(s.exec('ip -n node1 link set eth0 mtu 1400').exitCode).toBe(0)
    expect(JSON.stringify(configSnapshot(s.world))).toBe(JSON.stringify(configSnapshot(LabSession.fromText(s.save()).world)))
  })

  it('a change its lab file could not hold is taken back, so the lab always opens again', () => {
    // sysctl takes KEY=VALUE without -w; a NUL in a word was recorded and the saved file refused.
    const s = new LabSession(scenarioLab('same-node'))
    const before = JSON.stringify(configSnapshot(s.world))
    const r = s.exec('sysctl net.ipv4.ip_forward=0 \u0000', 'node1')
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/podnet: not kept: a lab file could not hold it \(a command must not hold control characters\)\n$/)
    expect(s.doc.spec.commands).toEqual([])
    expect({ ...configSnapshot(s.world), clockNs: 0 }).toEqual({ ...JSON.parse(before), clockNs: 0 })
    expect(JSON.stringify(configSnapshot(LabSession.fromText(s.save()).world))).toBe(JSON.stringify(configSnapshot(s.world)))
  })

  it('a lab command the kernel refuses part way is rolled back whole', () => {
    const s = new LabSession(scenarioLab('routed'))
    // The switch port a third node would get is taken behind the cluster's back.
    expect(s.exec('ip -n underlay link add to-node3 type bridge').exitCode).toBe(0)
    const before = JSON.stringify(configSnapshot(s.world))
    const r = s.exec('podnet node add node3')
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^podnet: node add node3: /)
    expect(JSON.stringify(configSnapshot(s.world))).toBe(before)
    expect(s.cluster!.nodes.has('node3')).toBe(false)
  })
})

describe('validation', () => {
  it('takes --mtu only as a whole number in range', () => {
    const s = new LabSession(scenarioLab('routed'))
    for (const mtu of ['abc', '-5', '99999999', '1e3', '']) expect(s.exec(`podnet pod add x --node node2 --mtu '${mtu}'`).stderr).toMatch(/--mtu must be a whole number from 68 to 65535/)
    expect(s.exec('podnet pod add x --node node2 --mtu 67').stderr).toBe('podnet: the MTU must be a whole number from 68 to 65535, not 67\n')
    expect(s.exec('podnet pod add x --node node2 --mtu 1400').exitCode).toBe(0)
    expect(s.doc.spec.commands.map(commandLine)).toEqual(['podnet pod add x --node node2 --mtu 1400'])
  })

  it('refuses overlapping pod CIDRs, pod IPs used twice, node IPs taken by the router or another node', () => {
    expect(open(cluster({ nodes: '      - { name: node1, podCidr: 10.244.0.0/23, pods: [] }\n      - { name: node2, podCidr: 10.244.1.0/24, pods: [] }' }))).toBe('lab.yaml:11:33: spec.cluster.nodes[1].podCidr: 10.244.1.0/24 overlaps node1\'s pod CIDR 10.244.0.0/23')
    expect(open(cluster({ nodes: '      - { name: node1, pods: [ { name: a, ip: 10.244.1.5 }, { name: b, ip: 10.244.1.5 } ] }' }))).toBe('lab.yaml:10:76: spec.cluster.nodes[0].pods[1].ip: 10.244.1.5 is already in use')
    expect(open(cluster({ nodes: '      - { name: node1, pods: [ { name: a, ip: 10.244.1.1 } ] }' }))).toMatch(/^lab\.yaml:10:\d+: spec\.cluster\.nodes\[0\]\.pods\[0\]\.ip: 10\.244\.1\.1 is reserved/)
    const cloud = cluster({ nodes: '      - { name: node1, ip: 192.168.0.1, pods: [] }' }).replace('mode: routes', 'mode: cloud-routes')
    expect(open(cloud)).toBe("lab.yaml:10:28: spec.cluster.nodes[0].ip: 192.168.0.1 is the router's address on the underlay")
    expect(open(cluster({ nodes: '      - { name: node1, ip: 192.168.0.0, pods: [] }' }))).toBe("lab.yaml:10:28: spec.cluster.nodes[0].ip: 192.168.0.0 is the underlay's network address")
    expect(open(cluster({ underlay: '{ kind: routed, cidr: 192.168.0.0/16 }', nodes: '      - { name: node1, ip: 192.168.1.10, pods: [] }\n      - { name: node2, ip: 192.168.1.20, pods: [] }' }))).toMatch(/^lab\.yaml:11:28: spec\.cluster\.nodes\[1\]\.ip: 192\.168\.1\.20 is on node1's segment/)
  })

  it('refuses unknown keys at the top level, in metadata and in the underlay', () => {
    expect(open(`${HEAD}spec: {}\nextra: 1\n`)).toBe('lab.yaml:5:1: extra: unknown field "extra" (a lab file has apiVersion, kind, metadata, spec, exercise, layout)')
    expect(open(HEAD.replace('{ name: t }', '{ name: t, owner: me }') + 'spec: {}\n')).toBe('lab.yaml:3:22: metadata.owner: unknown field "owner" (metadata has name and description)')
    expect(open(cluster({ underlay: '{ kind: switch, cidr: 192.168.0.0/24, vlan: 5 }' }))).toBe('lab.yaml:8:53: spec.cluster.underlay.vlan: unknown field "vlan" (underlay has kind, cidr and routeLimit)')
    expect(open(HEAD.replace('{ name: t }', '{ name: "a\\u0007b" }') + 'spec: {}\n')).toMatch(/^lab\.yaml:3:\d+: metadata\.name: must be one line of text without control characters/)
  })

  it("answers sysctl for a prototype key as Linux's sysctl does", () => {
    const w = new World()
    expect(run(w, 'sysctl constructor')).toEqual({ exitCode: 1, stdout: '', stderr: 'sysctl: cannot stat /proc/sys/constructor: No such file or directory\n' })
    expect(run(w, 'sysctl -w __proto__=1')).toEqual({ exitCode: 1, stdout: '', stderr: 'sysctl: cannot stat /proc/sys/__proto__: No such file or directory\n' })
    expect(run(w, 'sysctl -w net.ipv4.conf.all.constructor=1').exitCode).toBe(1)
    expect(run(w, 'ip netns add a; ip -n a route add 10.0.0.0/8 dev lo proto constructor').stderr).toBe('Error: argument "constructor" is wrong: "protocol" value is invalid\n\n')
    expect(run(w, 'ip -n a neigh add 10.0.0.9 lladdr 02:00:00:00:00:01 dev lo nud toString').stderr).toMatch(/nud state is bad/)
  })
})

describe('size limits, the same in the loader and in podnet new', () => {
  const nodesYaml = (n: number, pods = 0): string => Array.from({ length: n }, (_, i) => `      - { name: n${i}, pods: [${Array.from({ length: pods }, (_, j) => `{ name: p${i}x${j} }`).join(', ')}] }`).join('\n')

  it('caps nodes, pods per node and pods in all', () => {
    expect(open(cluster({ clusterCidr: '10.0.0.0/8', underlay: '{ kind: switch, cidr: 172.16.0.0/12 }', nodes: nodesYaml(MAX_NODES + 1) }))).toBe(`lab.yaml:10:7: spec.cluster.nodes: has ${MAX_NODES + 1} nodes; a lab may have at most ${MAX_NODES}`)
    expect(open(cluster({ nodes: nodesYaml(1, MAX_PODS_PER_NODE + 1) }))).toBe(`lab.yaml:10:27: spec.cluster.nodes[0].pods: has ${MAX_PODS_PER_NODE + 1} pods; a node may run at most ${MAX_PODS_PER_NODE}`)
    expect(open(cluster({ clusterCidr: '10.0.0.0/8', underlay: '{ kind: switch, cidr: 172.16.0.0/12 }', nodes: nodesYaml(MAX_PODS / MAX_PODS_PER_NODE + 1, MAX_PODS_PER_NODE) }))).toMatch(/^lab\.yaml:\d+:\d+: spec\.cluster\.nodes\[200\]\.pods: brings the cluster to more than 50000 pods/)
    expect(() => scenarioSpec('routed', MAX_NODES + 1)).toThrow(`--nodes must be between 0 and ${MAX_NODES}, not ${MAX_NODES + 1}`)
    expect(() => scenarioSpec('routed', 201, MAX_PODS_PER_NODE)).toThrow(/make 50250 pods; a lab may have at most 50000/)
  })

  it('caps the history and the file size', () => {
    const doc = scenarioLab('same-node')
    doc.spec.commands = Array.from({ length: MAX_HISTORY_COMMANDS + 1 }, () => 'true')
    expect(() => parseLab(serializeLab(doc))).toThrow(/spec\.commands: holds 10001 commands; a lab's history may hold at most 10000/)
    expect(() => parseLab(`${HEAD}spec: {}\n#${'x'.repeat(17 * 1024 * 1024)}\n`)).toThrow(/^lab\.yaml:1:1: the file is too big/)
  })

  it('refuses a new lab over the limits through IPC with the field', async () => {
    const h = createHandlers(new LabService(null))
    await expect(h.newLab({ scenario: 'routed', nodes: MAX_NODES + 1 })).rejects.toMatchObject({ code: 'invalid-request', path: 'nodes' })
    await expect(h.newLab({ scenario: 'routed', nodes: 300, podsPerNode: 200 })).rejects.toMatchObject({ code: 'invalid-request', path: 'podsPerNode' })
    await expect(h.newLab({ scenario: 'host-gw-behind-router', nodes: 256 })).rejects.toMatchObject({ code: 'invalid-request', path: 'nodes' })
  })
})
