import { describe, expect, it } from 'vitest'
import { instantiate } from '../../src-main/lab/lab.ts'
import { scenarioLab } from '../../src-main/lab/session.ts'
import { traceInLab, type TraceReport } from '../../src-main/lab/trace-report.ts'
import { hostVethName } from '../../src-main/k8s/ids.ts'

/** One step as `role netns[:device] message [peer]`: the decision sequence, readable in a diff. */
function signature(rep: TraceReport): string[] {
  return rep.steps.map((s) => `${s.role} ${s.netns}${s.device ? ':' + s.device : ''} ${s.msg}${s.msg === 'step.veth' ? ` ${s.params.peerNetns}:${s.params.peer}` : ''}`)
}

function trace(scenario: string, from: string, to: string, opts: { warm?: boolean; commands?: string[] } = {}): TraceReport {
  const doc = scenarioLab(scenario)
  doc.spec.commands = opts.commands ?? []
  const rt = instantiate(doc)
  return traceInLab(rt.world, rt.cluster, { from, to, warm: opts.warm })
}

const v1 = hostVethName('pod1')
const v2 = hostVethName('pod2')
const v4 = hostVethName('pod4')

describe('walkthrough 1: pod to pod on the same node', () => {
  it('cold ARP cache: pod1 ARPs for pod2, cbr0 floods the request and forwards the reply', () => {
    const rep = trace('same-node', 'pod1', 'pod2')
    expect(rep.outcome.kind).toBe('reply')
    expect(signature(rep)).toEqual([
      'request pod1 send.echo_request',
      'request pod1:eth0 route.output',
      'request pod1:eth0 neigh.miss',
      'arp pod1:eth0 arp.request',
      `arp pod1:eth0 step.veth node1:${v1}`,
      'arp node1:cbr0 bridge.flood_broadcast',
      `arp node1:${v2} step.veth pod2:eth0`,
      'arp node1:cbr0 bridge.local',
      'arp node1:cbr0 arp.request_not_for_us',
      'arp pod2:eth0 arp.request_for_us',
      'arp pod2:eth0 arp.reply',
      `arp pod2:eth0 step.veth node1:${v2}`,
      'arp node1:cbr0 bridge.forward',
      `arp node1:${v1} step.veth pod1:eth0`,
      'arp pod1:eth0 arp.reply_received',
      `request pod1:eth0 step.veth node1:${v1}`,
      'request node1:cbr0 bridge.forward',
      `request node1:${v2} step.veth pod2:eth0`,
      'request pod2:eth0 route.input_local',
      'request pod2:eth0 deliver.echo_request',
      'reply pod2 icmp.echo_reply',
      'reply pod2:eth0 neigh.hit',
      `reply pod2:eth0 step.veth node1:${v2}`,
      'reply node1:cbr0 bridge.forward',
      `reply node1:${v1} step.veth pod1:eth0`,
      'reply pod1:eth0 route.input_local',
      'reply pod1:eth0 deliver.echo_reply',
    ])
  })

  it('warm cache: no ARP at all, the bridge forwards from its FDB', () => {
    const sig = signature(trace('same-node', 'pod1', 'pod2', { warm: true }))
    expect(sig.filter((s) => s.startsWith('arp'))).toEqual([])
    expect(sig.slice(0, 6)).toEqual([
      'request pod1 send.echo_request',
      'request pod1:eth0 route.output',
      'request pod1:eth0 neigh.hit',
      `request pod1:eth0 step.veth node1:${v1}`,
      'request node1:cbr0 bridge.forward',
      `request node1:${v2} step.veth pod2:eth0`,
    ])
  })
})

describe('walkthrough 2: pod to pod across nodes', () => {
  it('routed, warm: node1 routes 10.244.2.0/24 via node2 out of eth0, node2 delivers on cbr0', () => {
    const rep = trace('routed', 'pod1', 'pod4', { warm: true })
    expect(rep.outcome.kind).toBe('reply')
    const request = signature(rep).filter((s) => s.startsWith('request'))
    expect(request).toEqual([
      'request pod1 send.echo_request',
      'request pod1:eth0 route.output',
      'request pod1:eth0 neigh.hit',
      `request pod1:eth0 step.veth node1:${v1}`,
      'request node1:cbr0 bridge.local',
      'request node1:cbr0 route.input_forward',
      'request node1:eth0 forward.ttl',
      'request node1:eth0 neigh.hit',
      'request node1:eth0 step.veth underlay:to-node1',
      'request underlay:br0 bridge.forward',
      'request underlay:to-node2 step.veth node2:eth0',
      'request node2:eth0 route.input_forward',
      'request node2:cbr0 forward.ttl',
      'request node2:cbr0 neigh.hit',
      'request node2:cbr0 bridge.forward',
      `request node2:${v4} step.veth pod4:eth0`,
      'request pod4:eth0 route.input_local',
      'request pod4:eth0 deliver.echo_request',
    ])
    const fwd = rep.steps.find((s) => s.netns === 'node1' && s.msg === 'route.input_forward')
    expect(fwd?.entry).toBe('10.244.2.0/24 via 192.168.0.12 dev eth0')
    // No NAT: the packet keeps pod addresses end to end.
    const deliver = rep.steps.find((s) => s.msg === 'deliver.echo_request')
    expect(deliver?.params).toMatchObject({ from: '10.244.1.2', to: '10.244.2.3' })
  })

  it('routed, cold: ARP on every L2 segment the packet crosses (pod1→cbr0, node1→node2, cbr0→pod4)', () => {
    const rep = trace('routed', 'pod1', 'pod4')
    const arpAsked = rep.steps.filter((s) => s.msg === 'arp.request').map((s) => `${s.netns}:${s.device} ${s.params.ip}`)
    expect(arpAsked).toEqual(['pod1:eth0 10.244.1.1', 'node1:eth0 192.168.0.12', 'node2:cbr0 10.244.2.3'])
    expect(rep.outcome.kind).toBe('reply')
  })

  it('cloud routes: the router holds the per-node routes; TTL drops once more', () => {
    const rep = trace('cloud-routes', 'pod1', 'pod4', { warm: true })
    expect(rep.outcome.kind).toBe('reply')
    const entries = rep.steps.filter((s) => s.role === 'request' && s.msg === 'route.input_forward').map((s) => `${s.netns} ${s.entry}`)
    expect(entries).toEqual([
      'node1 default via 192.168.0.1 dev eth0',
      'router 10.244.2.0/24 via 192.168.0.12 dev eth0',
      'node2 10.244.2.0/24 dev cbr0 proto kernel scope link src 10.244.2.1',
    ])
  })

  it('ip_forward=0 on the receiving node: dropped silently there, ping times out', () => {
    const rep = trace('routed', 'pod1', 'pod4', { warm: true, commands: ['ip netns exec node2 sysctl -w net.ipv4.ip_forward=0'] })
    expect(rep.outcome.kind).toBe('timeout')
    expect(signature(rep).slice(-2)).toEqual(['request node2:eth0 route.not_forwarding', 'request node2:eth0 drop.not_forwarding'])
  })

  it('a deleted route: node1 answers Destination Net Unreachable', () => {
    const rep = trace('routed', 'pod1', 'pod4', { commands: ['ip -n node1 route del 10.244.2.0/24'] })
    expect(rep.outcome).toMatchObject({ kind: 'error', from: '10.244.1.1', type: 3, code: 0 })
    expect(signature(rep)).toContain('request node1:cbr0 drop.no_route')
    expect(signature(rep)).toContain('error node1 icmp.net_unreachable')
  })

  it('a link down: node1 cannot resolve node2 and reports Destination Host Unreachable after 3 ARP tries', () => {
    const rep = trace('routed', 'pod1', 'pod4', { commands: ['ip -n node2 link set eth0 down'] })
    expect(rep.outcome).toMatchObject({ kind: 'error', from: '10.244.1.1', type: 3, code: 1 })
    const tries = rep.steps.filter((s) => s.netns === 'node1' && s.msg === 'arp.request')
    expect(tries).toHaveLength(3)
    expect(tries[1].timeNs - tries[0].timeNs).toBeGreaterThanOrEqual(1e9)
  })
})
