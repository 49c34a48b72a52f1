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
})
