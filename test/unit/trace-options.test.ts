// The send form's options through the handler table: packet size, DF, UDP ports, several probes.
import { describe, expect, it } from 'vitest'
import { hexToBytes } from '../../shared/trace.ts'
import { dissect } from '../../src-main/engine/wire/dissect.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'

function fieldOf(frame: string, layer: 'ethernet' | 'ipv4', layerKey: string, key: string): string | undefined {
  return dissect(hexToBytes(frame), layer).find((l) => l.key === layerKey)?.fields.find((f) => f.key === key)?.raw
}

describe('trace options', () => {
  it('sends the size asked for, with DF, and refuses what does not fit without fragmenting', async () => {
    const h = createHandlers(new LabService('routed'))
    const t = await h.trace({ from: 'pod1', to: 'pod4', size: 1000, df: true })
    expect(t.delivered).toBe(true)
    const send = t.events.find((e) => e.msg === 'send.echo_request')!
    expect(fieldOf(send.frame!, 'ipv4', 'ip', 'ip.len')).toBe('1028')
    expect(fieldOf(send.frame!, 'ipv4', 'ip', 'ip.flags')).toBe('2')
    expect(t.request).toEqual({ from: 'pod1', to: 'pod4', size: 1000, df: true })
    // 1473 bytes of payload make a 1501-byte packet: too big for pod1's eth0, refused at once.
    const big = await h.trace({ from: 'pod1', to: 'pod4', size: 1473, df: true })
    expect(big.delivered).toBe(false)
    expect(big.verdict).toContain('message too long, mtu=1500')
  })

  it('sends UDP between the ports asked for', async () => {
    const h = createHandlers(new LabService('flannel-vxlan'))
    const t = await h.trace({ from: 'pod1', to: 'pod4', proto: 'udp', port: 5353, sport: 41000, size: 10 })
    expect(t.delivered).toBe(true)
    const send = t.events.find((e) => e.msg === 'send.udp')!
    expect(send.params).toMatchObject({ sport: 41000, dport: 5353 })
    expect(fieldOf(send.frame!, 'ipv4', 'udp', 'udp.dstport')).toBe('5353')
    expect(fieldOf(send.frame!, 'ipv4', 'udp', 'udp.length')).toBe('18')
    // On the underlay the datagram rides inside VXLAN: outer UDP to 8472, inner to 5353.
    const outer = t.events.find((e) => e.kind === 'xmit' && e.netns === 'node1' && e.device === 'eth0' && fieldOf(e.frame!, 'ethernet', 'eth', 'eth.type') === '2048')!
    expect(fieldOf(outer.frame!, 'ethernet', 'udp', 'udp.dstport')).toBe('8472')
    expect(fieldOf(outer.frame!, 'ethernet', 'inner.udp', 'udp.dstport')).toBe('5353')
  })

  it('sends several probes one second apart, numbered as ping numbers them', async () => {
    const h = createHandlers(new LabService('routed'))
    const t = await h.trace({ from: 'pod1', to: 'pod3', count: 3 })
    expect(t.delivered).toBe(true)
    expect(t.probes?.map((p) => p.outcome)).toEqual(['reply', 'reply', 'reply'])
    expect(t.verdict).toBe('Result: 3 of 3 packets from pod1 reach pod3')
    expect(t.verdicts?.ja).toBe('結果：pod1 からの 3 個のパケットのうち 3 個が pod3 に届く')
    const sends = t.steps.filter((s) => s.msg === 'send.echo_request')
    expect(sends.map((s) => [s.probe, s.params.seq])).toEqual([[1, 1], [2, 2], [3, 3]])
    expect((sends[2].timeNs - sends[0].timeNs) / 1e9).toBeCloseTo(2, 1)
    // The first probe has to ARP; the later ones find the caches warm, so they take fewer steps.
    const stepsOf = (k: number) => t.steps.filter((s) => s.probe === k).length
    expect(stepsOf(2)).toBeLessThan(stepsOf(1))
    expect(stepsOf(3)).toBe(stepsOf(2))
    // Steps are numbered on, and every step's events are the trace's own.
    expect(t.steps.map((s) => s.n)).toEqual(t.steps.map((_, i) => i + 1))
    const seqs = new Set(t.events.map((e) => e.seq))
    expect(seqs.size).toBe(t.events.length)
    for (const s of t.steps) expect(seqs.has(s.event!)).toBe(true)
  })

  it('refuses options out of range, naming them', async () => {
    const h = createHandlers(new LabService('routed'))
    await expect(h.trace({ from: 'pod1', to: 'pod3', count: 11 })).rejects.toMatchObject({ code: 'invalid-request', path: 'count' })
    await expect(h.trace({ from: 'pod1', to: 'pod3', size: -1 })).rejects.toMatchObject({ path: 'size' })
    await expect(h.trace({ from: 'pod1', to: 'pod3', df: 'yes' as unknown as boolean })).rejects.toMatchObject({ path: 'df' })
  })
})
