import { describe, expect, it } from 'vitest'
import { ClusterEvents, EventGroup, type ClusterEvent } from './events.ts'

const plain = (e: ClusterEvent) => ({ seq: e.seq, timeNs: e.timeNs, actor: e.actor, msg: e.msg, params: e.params })

const peer = new EventGroup<string, number>([
  ['control.flannel_neigh', (node, n) => ({ node, entry: `n${n}` })],
  ['control.flannel_fdb', (node, n) => ({ node, entry: `f${n}` })],
  ['control.flannel_route', (node, n) => ({ node, route: `r${n}` })],
])

describe('ClusterEvents', () => {
  it('numbers single events and grouped ones in the order logged, each with its time and words', () => {
    const clock = { now: 0 }
    const log = new ClusterEvents(clock)
    log.add('cni', 'control.ipam_assign', { pod: 'pod1', ip: '10.244.1.2', node: 'node1' })
    clock.now = 5
    log.addGroup('flanneld@node1', peer, 'node1', 7)
    clock.now = 3_000_000_000
    log.add('flanneld@node1', 'control.flannel_route', (node: string, n: number) => ({ node, route: `x${n}` }), 'node1', 9)
    log.addGroup('flanneld@node2', peer, 'node2', 8)
    expect(log.length).toBe(8)
    const all = log.slice()
    expect(all.map((e) => [e.seq, e.timeNs, e.actor, e.msg])).toEqual([
      [0, 0, 'cni', 'control.ipam_assign'],
      [1, 5, 'flanneld@node1', 'control.flannel_neigh'],
      [2, 5, 'flanneld@node1', 'control.flannel_fdb'],
      [3, 5, 'flanneld@node1', 'control.flannel_route'],
      [4, 3_000_000_000, 'flanneld@node1', 'control.flannel_route'],
      [5, 3_000_000_000, 'flanneld@node2', 'control.flannel_neigh'],
      [6, 3_000_000_000, 'flanneld@node2', 'control.flannel_fdb'],
      [7, 3_000_000_000, 'flanneld@node2', 'control.flannel_route'],
    ])
    expect(all.map((e) => e.params)).toEqual([
      { pod: 'pod1', ip: '10.244.1.2', node: 'node1' },
      { node: 'node1', entry: 'n7' },
      { node: 'node1', entry: 'f7' },
      { node: 'node1', route: 'r7' },
      { node: 'node1', route: 'x9' },
      { node: 'node2', entry: 'n8' },
      { node: 'node2', entry: 'f8' },
      { node: 'node2', route: 'r8' },
    ])
    // Any window, starting or ending inside a group, as Array.prototype.slice would cut it.
    for (let from = -9; from <= 9; from++) for (let to = -9; to <= 9; to++) expect(log.slice(from, to).map(plain)).toEqual(all.slice(from, to).map(plain))
    expect(plain(log.at(6))).toEqual(plain(all[6]))
    expect(() => log.at(8)).toThrow(RangeError)
  })

  it('logs runs of one group (one actor\'s peers, one peer logged by every actor) as the events one by one', () => {
    const clock = { now: 0 }
    const log = new ClusterEvents(clock)
    const ref = new ClusterEvents(clock)
    const both = (actor: string, node: string, n: number): void => {
      log.addGroup(actor, peer, node, n)
      ref.add(actor, 'control.flannel_neigh', (node: string, n: number) => ({ node, entry: `n${n}` }), node, n)
      ref.add(actor, 'control.flannel_fdb', (node: string, n: number) => ({ node, entry: `f${n}` }), node, n)
      ref.add(actor, 'control.flannel_route', (node: string, n: number) => ({ node, route: `r${n}` }), node, n)
    }
    const single = (): void => {
      for (const l of [log, ref]) l.add('cni', 'control.ipam_assign', { pod: 'pod1', ip: '10.244.1.2', node: 'node1' })
    }
    // node3's initial list, then peer 3 logged by nodes 1 and 2, then a run cut by the clock,
    // by another event and by a different actor and peer.
    for (const n of [1, 2, 4, 5]) both('flanneld@node3', 'node3', n)
    for (const node of ['node1', 'node2', 'node4']) both(`flanneld@${node}`, node, 3)
    both('flanneld@node4', 'node4', 6)
    clock.now = 7
    both('flanneld@node4', 'node4', 7)
    single()
    both('flanneld@node4', 'node4', 8)
    both('flanneld@node5', 'node5', 9)
    both('flanneld@node5', 'node5', 9)
    both('flanneld@node6', 'node6', 9)
    expect(log.length).toBe(ref.length)
    const all = ref.slice().map(plain)
    expect(log.slice().map(plain)).toEqual(all)
    for (let seq = 0; seq < ref.length; seq++) expect(plain(log.at(seq))).toEqual(all[seq])
    for (let from = 0; from <= ref.length; from += 4) expect(log.slice(from, from + 7).map(plain)).toEqual(all.slice(from, from + 7))
  })
})
