import { describe, expect, it } from 'vitest'
import { hexToBytes } from '../../shared/trace.ts'
import { dissect } from '../../src-main/engine/wire/dissect.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { headerChanges, previousHop } from './changes.ts'

describe('changed since the previous hop, on a real VXLAN walk', () => {
  it('finds the previous hop of each packet, across the tunnel too, and what changed', async () => {
    const h = createHandlers(new LabService('flannel-vxlan'))
    const t = await h.trace({ from: 'pod1', to: 'pod4', warm: true })
    const layersOf = (i: number) => {
      const ev = t.events.find((e) => e.seq === t.steps[i].frameEvent)!
      return dissect(hexToBytes(ev.frame!), ev.layer ?? 'ethernet')
    }
    const idx = (pred: (s: (typeof t.steps)[number]) => boolean) => t.steps.findIndex(pred)

    // node1 forwards the packet: the TTL goes down by one, the checksum follows.
    const fwd = idx((s) => s.kind === 'forward' && s.netns === 'node1')
    const before = previousHop(t.steps, t.events, fwd)!
    expect(before).toBeLessThan(fwd)
    const c1 = headerChanges(layersOf(before), layersOf(fwd))
    expect(c1.fields.get('ip|ip.ttl')).toEqual({ before: '64' })
    expect(c1.fields.has('ip|ip.checksum')).toBe(true)
    expect(c1.fields.has('ip|ip.src')).toBe(false)

    // Encapsulation, compared with the packet node1 forwarded: the outer IPv4, UDP and VXLAN
    // headers are new, and so is the inner frame's Ethernet header; the inner packet is unchanged.
    const encap = idx((s) => s.kind === 'encap')
    const c2 = headerChanges(layersOf(previousHop(t.steps, t.events, encap)!), layersOf(encap))
    expect(c2.added).toEqual(['ip', 'udp', 'vxlan', 'inner.eth'])
    expect([...c2.fields.keys()].filter((k) => k.startsWith('inner.ip|'))).toEqual([])

    // On the underlay the outer frame carries node MACs; unwrapped on node2, the outer headers go.
    const decap = idx((s) => s.kind === 'decap')
    const pDecap = previousHop(t.steps, t.events, decap)!
    expect(t.steps[pDecap].role).toBe('tunnel')
    const c3 = headerChanges(layersOf(pDecap), layersOf(decap))
    expect(c3.removed).toEqual(['Ethernet', 'IPv4', 'UDP', 'VXLAN'])
    expect(c3.added).toEqual([])

    // node2 routes the unwrapped packet to cbr0: a new link header, with new MACs and a lower TTL.
    const out = idx((s) => s.kind === 'neigh' && s.netns === 'node2' && s.device === 'cbr0' && s.role === 'request')
    const c4 = headerChanges(layersOf(previousHop(t.steps, t.events, out)!), layersOf(out))
    expect(c4.fields.has('eth|eth.src')).toBe(true)
    expect(c4.fields.has('eth|eth.dst')).toBe(true)
    expect(c4.fields.get('ip|ip.ttl')).toEqual({ before: '63' })

    // The very first step has no previous hop.
    expect(previousHop(t.steps, t.events, 0)).toBeNull()
  })

  it('says a stripped link header was removed and an added one is new', () => {
    const frame = dissect(hexToBytes('ffffffffffff02000000010208004500001c0001000040015eb10a0000010a0000020800f7ff00000000'))
    const packet = dissect(hexToBytes('4500001c0001000040015eb10a0000010a0000020800f7ff00000000'), 'ipv4')
    expect(headerChanges(frame, packet)).toMatchObject({ added: [], removed: ['Ethernet'] })
    expect(headerChanges(packet, frame)).toMatchObject({ added: ['eth'], removed: [] })
    expect(headerChanges(frame, frame).fields.size).toBe(0)
  })
})

describe('a packet that goes on unchanged', () => {
  it('is compared with where it was last seen, with nothing changed', async () => {
    const h = createHandlers(new LabService('same-node'))
    const t = await h.trace({ from: 'pod1', to: 'pod2' })
    // The ARP request as cbr0 hands it up to its own stack: the same bytes pod1 sent.
    const i = t.steps.findIndex((s) => s.netns === 'node1' && s.msg === 'arp.request_not_for_us')
    const j = previousHop(t.steps, t.events, i)
    expect(j).not.toBeNull()
    expect(t.steps[j!].role).toBe('arp')
    const layersOf = (k: number) => {
      const ev = t.events.find((e) => e.seq === t.steps[k].frameEvent)!
      return dissect(hexToBytes(ev.frame!), ev.layer ?? 'ethernet')
    }
    expect(headerChanges(layersOf(j!), layersOf(i))).toEqual({ fields: new Map(), added: [], removed: [] })
  })
})
