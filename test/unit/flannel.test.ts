import { describe, expect, it } from 'vitest'
import { execLine, instantiate } from '../../src-main/lab/lab.ts'
import { scenarioLab } from '../../src-main/lab/session.ts'
import { traceInLab, type TraceReport } from '../../src-main/lab/trace-report.ts'
import { hostVethName, macFor } from '../../src-main/k8s/ids.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { hexToBytes } from '../../shared/trace.ts'
import { dissect } from '../../src-main/engine/wire/dissect.ts'
import { formatMac } from '../../src-main/engine/addr/mac.ts'
import type { VxlanDevice } from '../../src-main/engine/kernel/vxlan.ts'

function lab(scenario: string, commands: string[] = [], nodes?: number) {
  const doc = scenarioLab(scenario, nodes)
  doc.spec.commands = commands
  return instantiate(doc)
}

function trace(scenario: string, opts: { warm?: boolean; commands?: string[]; from?: string; to?: string; size?: number; df?: boolean } = {}): TraceReport {
  const rt = lab(scenario, opts.commands)
  return traceInLab(rt.world, rt.cluster, { from: opts.from ?? 'pod1', to: opts.to ?? 'pod4', warm: opts.warm, size: opts.size, df: opts.df })
}

function signature(rep: TraceReport): string[] {
  return rep.steps.map((s) => `${s.role} ${s.netns}${s.device ? ':' + s.device : ''} ${s.msg}`)
}

const vtep2 = formatMac(macFor('node2/flannel.1'))

describe('walkthrough 3: the flannel VXLAN overlay', () => {
  it('encapsulates on node1, carries node IPs over the underlay, decapsulates on node2', () => {
    const rep = trace('flannel-vxlan', { warm: true })
    expect(rep.outcome.kind).toBe('reply')
    const sig = signature(rep)
    expect(sig.slice(0, sig.indexOf('request pod4:eth0 deliver.echo_request') + 1)).toEqual([
      'request pod1 send.echo_request',
      'request pod1:eth0 route.output',
      'request pod1:eth0 neigh.hit',
      'request pod1:eth0 step.veth',
      'request node1:cbr0 bridge.local',
      'request node1:cbr0 route.input_forward',
      'request node1:flannel.1 forward.ttl',
      'request node1:flannel.1 neigh.hit',
      'tunnel node1:eth0 route.output',
      'tunnel node1:flannel.1 encap.vxlan',
      'tunnel node1:eth0 neigh.hit',
      'tunnel node1:eth0 step.veth',
      'tunnel underlay:br0 bridge.forward',
      'tunnel underlay:to-node2 step.veth',
      'tunnel node2:eth0 route.input_local',
      'request node2:flannel.1 decap.vxlan',
      'request node2:flannel.1 route.input_forward',
      'request node2:cbr0 forward.ttl',
      'request node2:cbr0 neigh.hit',
      'request node2:cbr0 bridge.forward',
      `request node2:${hostVethName('pod4')} step.veth`,
      'request pod4:eth0 route.input_local',
      'request pod4:eth0 deliver.echo_request',
    ])
    const encap = rep.steps.find((s) => s.msg === 'encap.vxlan')!
    expect(encap.entry).toBe(`${vtep2} dev flannel.1 dst 192.168.0.12 self permanent`)
    expect(rep.steps.find((s) => s.netns === 'node1' && s.msg === 'route.input_forward')?.entry).toBe('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink')
  })

  it('puts the outer headers Linux puts: node IPs, UDP 8472 from 32768-60999, VNI 1, TTL 64, no DF', () => {
    const rep = trace('flannel-vxlan', { warm: true })
    const encapEvent = rep.events.find((e) => e.kind === 'encap')!
    const onWire = rep.events.find((e) => e.kind === 'xmit' && e.netns === 'node1' && e.device === 'eth0' && e.packet === encapEvent.packet)!
    const layers = dissect(hexToBytes(onWire.frame!))
    const field = (layer: string, name: string): string | undefined => layers.find((l) => l.name === layer)?.fields.find((f) => f.name === name)?.value
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP', 'VXLAN', 'Inner Ethernet', 'Inner IPv4', 'Inner ICMP'])
    expect(field('IPv4', 'Source')).toBe('192.168.0.11')
    expect(field('IPv4', 'Destination')).toBe('192.168.0.12')
    expect(field('IPv4', 'TTL')).toBe('64')
    expect(field('IPv4', 'Flags')).not.toMatch(/DF/)
    expect(field('UDP', 'Destination port')).toBe('8472')
    const sport = Number(field('UDP', 'Source port'))
    expect(sport).toBeGreaterThanOrEqual(32768)
    expect(sport).toBeLessThan(60999)
    expect(field('VXLAN', 'VNI')).toBe('1')
    expect(field('Inner IPv4', 'Source')).toBe('10.244.1.2')
    expect(field('Inner IPv4', 'Destination')).toBe('10.244.2.3')
    // The inner packet has been routed once (node1), so TTL 63 inside the tunnel.
    expect(field('Inner IPv4', 'TTL')).toBe('63')
  })

  it('costs 50 bytes per packet on the wire compared to the routed mode', () => {
    const wire = (scenario: string): number => {
      const rep = trace(scenario, { warm: true })
      const ev = rep.events.find((e) => e.kind === 'xmit' && e.netns === 'node1' && e.device === 'eth0' && e.msg === 'xmit.veth')!
      return hexToBytes(ev.frame!).length
    }
    expect(wire('routed')).toBe(98)
    expect(wire('flannel-vxlan')).toBe(148)
  })

  it('a missing FDB entry: flannel.1 has nowhere to send the frame and drops it', () => {
    const rep = trace('flannel-vxlan', { warm: true, commands: [`bridge -n node1 fdb del ${vtep2} dev flannel.1 dst 192.168.0.12`] })
    expect(rep.outcome.kind).toBe('timeout')
    expect(signature(rep).at(-1)).toBe('request node1:flannel.1 drop.vxlan_no_fdb')
  })

  it('a wrong VTEP MAC in the neighbour entry: no FDB entry matches it either', () => {
    const rep = trace('flannel-vxlan', { warm: true, commands: ['ip -n node1 neigh replace 10.244.2.0 lladdr 02:00:00:00:99:99 dev flannel.1 nud permanent'] })
    expect(rep.outcome.kind).toBe('timeout')
    const drop = rep.steps.at(-1)!
    expect(drop.msg).toBe('drop.vxlan_no_fdb')
    expect(drop.params.mac).toBe('02:00:00:00:99:99')
  })

  it('a missing route: node1 answers Destination Net Unreachable', () => {
    const rep = trace('flannel-vxlan', { commands: ['ip -n node1 route del 10.244.2.0/24'] })
    expect(rep.outcome).toMatchObject({ kind: 'error', from: '10.244.1.1', code: 0 })
  })

  it('MTU 1500 pods over a 1450 overlay: a full-size DF packet gets frag-needed (mtu 1450) from node1', () => {
    const rep = trace('flannel-vxlan', { size: 1472, df: true, commands: ['podnet pod add big --node node1 --mtu 1500'], from: 'big' })
    expect(rep.outcome).toMatchObject({ kind: 'error', from: '10.244.1.1', type: 3, code: 4, info: 1450 })
    expect(rep.steps.some((s) => s.msg === 'drop.frag_needed' && s.params.mtu === 1450)).toBe(true)
  })

  it('ping -M do -s 1472 from such a pod prints what Linux prints, then the local error', () => {
    const rt = lab('flannel-vxlan', ['podnet pod add big --node node1 --mtu 1500'])
    const first = run(rt.world, 'ip netns exec big ping -c 1 -M do -s 1472 10.244.2.3')
    expect(first.exitCode).toBe(1)
    expect(first.stdout).toContain('From 10.244.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1450)\n')
    expect(first.stdout).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n')
    const second = run(rt.world, 'ip netns exec big ping -c 1 -M do -s 1472 10.244.2.3')
    expect(second.stderr).toBe('ping: local error: message too long, mtu=1450\n')
    expect(run(rt.world, 'ip -n big route get 10.244.2.3').stdout).toBe('10.244.2.3 via 10.244.1.1 dev eth0 src 10.244.1.4 uid 0 \n    cache expires 599sec mtu 1450 \n')
  })
})

describe('flanneld: the control plane', () => {
  it('programs every node with one neighbour, FDB entry and onlink route per other node', () => {
    const rt = lab('flannel-vxlan', [], 3)
    const n1 = (cmd: string): string => run(rt.world, `ip -n node1 ${cmd}`).stdout
    expect(n1('route show')).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink \n10.244.3.0/24 via 10.244.3.0 dev flannel.1 onlink \n')
    expect(n1('neigh show dev flannel.1')).toContain(`10.244.2.0 lladdr ${vtep2} PERMANENT \n`)
    expect(run(rt.world, 'bridge -n node1 fdb show dev flannel.1').stdout).toContain(`${vtep2} dst 192.168.0.12 self permanent\n`)
    expect(n1('-d link show flannel.1')).toMatch(/vxlan id 1 local 192\.168\.0\.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300/)
    expect(n1('link show flannel.1')).toMatch(/mtu 1450/)
    expect(n1('addr show flannel.1')).toContain('inet 10.244.1.0/32 scope global flannel.1')
  })

  it('a node that joins is programmed everywhere; one that leaves is removed everywhere', () => {
    const rt = lab('flannel-vxlan', ['podnet node add node3', 'podnet pod add pod9 --node node3'])
    expect(run(rt.world, 'ip -n node1 route show').stdout).toContain('10.244.3.0/24 via 10.244.3.0 dev flannel.1 onlink')
    expect(run(rt.world, 'ip netns exec pod1 ping -c 1 10.244.3.2').exitCode).toBe(0)
    expect(execLine(rt.world, rt.cluster, 'podnet node del node2').stdout).toBe('node/node2 deleted\n')
    const fdb = run(rt.world, 'bridge -n node1 fdb show dev flannel.1').stdout
    expect(fdb).not.toContain('192.168.0.12')
    expect(run(rt.world, 'ip -n node1 route show').stdout).not.toContain('10.244.2.0/24')
    expect(run(rt.world, 'ip -n node1 neigh show dev flannel.1').stdout).not.toContain('10.244.2.0')
    const events = rt.cluster!.events.slice().map((e) => e.msg)
    expect(events).toContain('control.flannel_remove')
  })

  it('records each peer\'s three lines per node, in the order flanneld programmed them', () => {
    const rt = lab('flannel-vxlan', [], 3)
    const peerLines = rt.cluster!.ops.lines.filter((l) => / flannel\.1 (nud permanent|dst .* self permanent|onlink)$/.test(l))
    const peer = (ns: string, k: number): string[] => {
      const mac = formatMac(macFor(`node${k}/flannel.1`))
      return [
        `ip -n {ns:${ns}} neigh replace 10.244.${k}.0 lladdr ${mac} dev flannel.1 nud permanent`,
        `bridge -n {ns:${ns}} fdb replace ${mac} dev flannel.1 dst 192.168.0.${10 + k} self permanent`,
        `ip -n {ns:${ns}} route replace 10.244.${k}.0/24 via 10.244.${k}.0 dev flannel.1 onlink`,
      ]
    }
    // node2 starts with node1's lease; node3 with both; then node3's lease reaches node1 and node2.
    expect(peerLines).toEqual([...peer('node2', 1), ...peer('node1', 2), ...peer('node3', 1), ...peer('node3', 2), ...peer('node1', 3), ...peer('node2', 3)])
    expect(rt.cluster!.ops.lineCount).toBe(rt.cluster!.ops.lines.length)
  })

  it('in a build, a node holds every later peer as soon as its flanneld starts, yet the log and the lines follow the leases', () => {
    const rt = lab('flannel-vxlan', ['podnet node add node6'], 5)
    const cluster = rt.cluster!
    // The log: each lease, then every earlier flanneld programming it, in start order.
    const log = cluster.events.slice().filter((e) => e.actor.startsWith('flanneld@')).map((e) => (e.msg === 'control.flannel_lease' ? `lease ${e.params.node}` : `${e.actor.slice(9)} ${e.msg.slice(16)} ${e.params.entry ?? e.params.route}`))
    const peerOf = (node: number, k: number): string[] => [
      `node${node} neigh 10.244.${k}.0 lladdr ${formatMac(macFor(`node${k}/flannel.1`))} dev flannel.1 PERMANENT`,
      `node${node} fdb ${formatMac(macFor(`node${k}/flannel.1`))} dev flannel.1 dst 192.168.0.${10 + k} self permanent`,
      `node${node} route 10.244.${k}.0/24 via 10.244.${k}.0 dev flannel.1 onlink`,
    ]
    const expected: string[] = []
    for (let k = 1; k <= 6; k++) {
      for (let j = 1; j < k; j++) expected.push(...peerOf(k, j))
      expected.push(`lease node${k}`)
      for (let j = 1; j < k; j++) expected.push(...peerOf(j, k))
    }
    expect(log).toEqual(expected)
    // The lines: the same order; each node's tables: every other node, in lease order.
    const lines = cluster.ops.lines.filter((l) => / flannel\.1 (nud permanent|dst .* self permanent|onlink)$/.test(l)).map((l) => l.replace(/^(ip|bridge) -n \{ns:(node\d)\} (\w+) replace (\S+) .*$/, '$2 $3 $4'))
    expect(lines).toEqual(expected.filter((l) => !l.startsWith('lease')).map((l) => l.split(' ').slice(0, 3).join(' ')))
    for (let n = 1; n <= 6; n++) {
      const others = [1, 2, 3, 4, 5, 6].filter((k) => k !== n)
      expect(run(rt.world, `ip -n node${n} neigh show dev flannel.1`).stdout).toBe(others.map((k) => `10.244.${k}.0 lladdr ${formatMac(macFor(`node${k}/flannel.1`))} PERMANENT \n`).join(''))
      expect(run(rt.world, `ip -n node${n} route show dev flannel.1`).stdout).toBe(others.map((k) => `10.244.${k}.0/24 via 10.244.${k}.0 onlink \n`).join(''))
    }
    expect(run(rt.world, 'ip netns exec pod1 ping -c 1 10.244.5.2').exitCode).toBe(0)
  })

  it('a remote added to, replaced in or deleted from one node\'s FDB entry leaves the others\' entries to that VTEP alone', () => {
    const rt = lab('flannel-vxlan', [], 3)
    const vtep3 = formatMac(macFor('node3/flannel.1'))
    const fdb = (ns: string): string => run(rt.world, `bridge -n ${ns} fdb show dev flannel.1`).stdout
    const before = fdb('node2')
    // One entry object per VTEP programmed at one time, in every node's table (never changed in place).
    const entryOf = (ns: string) => (rt.world.netns(ns)!.dev('flannel.1') as VxlanDevice).fdb.get(macFor('node3/flannel.1'))
    expect(entryOf('node1')).toBe(entryOf('node2'))
    expect(run(rt.world, `bridge -n node1 fdb append ${vtep3} dev flannel.1 dst 192.168.0.99 self`).exitCode).toBe(0)
    expect(entryOf('node1')).not.toBe(entryOf('node2'))
    expect(fdb('node1')).toContain(`${vtep3} dst 192.168.0.99 self permanent`)
    expect(run(rt.world, `bridge -n node1 fdb del ${vtep3} dev flannel.1 dst 192.168.0.13 self`).exitCode).toBe(0)
    expect(fdb('node1')).not.toContain(`${vtep3} dst 192.168.0.13`)
    expect(run(rt.world, `bridge -n node1 fdb replace ${vtep3} dev flannel.1 dst 192.168.0.98 self permanent`).exitCode).toBe(0)
    expect(fdb('node1')).toContain(`${vtep3} dst 192.168.0.98 self permanent`)
    expect(fdb('node2')).toBe(before)
    expect(fdb('node2')).toContain(`${vtep3} dst 192.168.0.13 self permanent`)
  })

  it('host-gw behind a router cannot program its routes: the lab records why', () => {
    const rt = lab('host-gw-behind-router')
    const errs = rt.cluster!.events.slice().filter((e) => e.msg === 'control.flannel_error')
    expect(errs.map((e) => e.params.error)).toEqual(['Nexthop has invalid gateway', 'Nexthop has invalid gateway'])
    expect(run(rt.world, 'ip netns exec pod1 ping -c 1 -W 1 10.244.2.3').exitCode).toBe(1)
    // The same routed underlay carries the VXLAN overlay, because only node IPs must be routable.
    const vx = lab('vxlan-behind-router')
    expect(run(vx.world, 'ip netns exec pod1 ping -c 1 10.244.2.3').exitCode).toBe(0)
  })
})
