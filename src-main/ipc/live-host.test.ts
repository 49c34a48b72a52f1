import { describe, expect, it } from 'vitest'
import type { TerminalEvent } from '../../shared/api.ts'
import { createHandlers, LabService } from './handlers.ts'
import type { HostIo } from './live-host.ts'

/** A host whose wall clock and timers the test moves by hand. */
function fakeHost() {
  let now = 0
  let timers: { at: number; fn: () => void }[] = []
  const events: TerminalEvent[] = []
  const io: HostIo = {
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn }
      timers.push(t)
      return () => {
        timers = timers.filter((x) => x !== t)
      }
    },
    emit: (e) => events.push(e),
  }
  /** Lets `ms` of wall time pass, firing the timers due on the way. */
  const wait = (ms: number): void => {
    const end = now + ms
    for (;;) {
      timers.sort((a, b) => a.at - b.at)
      const t = timers[0]
      if (!t || t.at > end) break
      timers.shift()
      now = t.at
      t.fn()
    }
    now = end
  }
  const output = (term: number): string => events.map((e) => (e.type === 'output' && e.term === term ? e.data : '')).join('')
  return { io, events, wait, output, pending: () => timers.length }
}

describe('the lab host runs terminal lines in wall time', () => {
  it('prints one ping line a second at speed 1, and stops the clock when nothing runs', async () => {
    const host = fakeHost()
    const h = createHandlers(new LabService('flannel-vxlan'), host.io)
    const started = await h.termRun({ term: 7, line: 'ping 10.244.2.3', netns: 'pod1' })
    expect(started).toEqual({ running: true, output: 'PING 10.244.2.3 (10.244.2.3) 56(84) bytes of data.\n' })
    host.wait(2_500)
    expect(host.output(7).match(/icmp_seq=/g)).toHaveLength(3)
    // Twice as fast: two more lines in the next second.
    await h.termSpeed({ speed: 2 })
    host.wait(1_000)
    expect(host.output(7).match(/icmp_seq=/g)).toHaveLength(5)
    expect(await h.termInterrupt({ term: 7 })).toEqual({ interrupted: true })
    const done = host.events.find((e) => e.type === 'done')
    expect(done).toMatchObject({ type: 'done', term: 7, exitCode: 0 })
    // The ^C echo comes in the line's stream: after the replies printed before it, before the statistics.
    expect(host.output(7)).toMatch(/icmp_seq=5 ttl=62 time=[\d.]+ ms\n\^C\n--- 10\.244\.2\.3 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss/)
    expect(host.output(7).match(/\^C/g)).toHaveLength(1)
    expect(host.events.at(-1)).toMatchObject({ type: 'clock', running: false, speed: 2 })
    expect(host.pending()).toBe(0)
    // Observations are not changes: nothing to undo.
    expect((await h.getState()).history).toEqual([])
  })

  it('refuses a second line in a busy terminal and payloads of the wrong shape', async () => {
    const host = fakeHost()
    const h = createHandlers(new LabService('flannel-vxlan'), host.io)
    await h.termRun({ term: 1, line: 'sleep 5' })
    await expect(h.termRun({ term: 1, line: 'ip a' })).rejects.toMatchObject({ code: 'invalid-request', path: 'term' })
    await expect(h.termRun({ term: 0, line: 'ip a' })).rejects.toMatchObject({ path: 'term' })
    await expect(h.termRun({ term: 2, line: 'ip a\nip r' })).rejects.toMatchObject({ path: 'line' })
    await expect(h.termRun({ term: 2, line: 'ip a', netns: 'nosuch' })).rejects.toMatchObject({ code: 'not-found', path: 'netns' })
    await expect(h.termSpeed({ speed: 0 })).rejects.toMatchObject({ path: 'speed' })
    await expect(h.termSpeed({ speed: '2' })).rejects.toMatchObject({ path: 'speed' })
    expect(await h.termInterrupt({ term: 2 })).toEqual({ interrupted: false })
    // Nothing runs there: nothing is echoed into it.
    expect(host.output(2)).toBe('')
    // A line that takes no time ends in the reply.
    expect(await h.termRun({ term: 2, line: 'ip -br link show lo', netns: 'node1' })).toMatchObject({ running: false, exitCode: 0, output: expect.stringMatching(/^lo +UNKNOWN/) })
    host.wait(5_100)
    expect(host.events.find((e) => e.type === 'done')).toMatchObject({ term: 1, exitCode: 0 })
  })

  it('sends a panel trace into the live lab too while a capture runs there', async () => {
    const host = fakeHost()
    const h = createHandlers(new LabService('flannel-vxlan'), host.io)
    await h.termRun({ term: 1, line: 'tcpdump -i flannel.1 -n icmp', netns: 'node1' })
    const t = await h.trace({ from: 'pod1', to: 'pod4' })
    expect(t.delivered).toBe(true)
    host.wait(200)
    const lines = host.output(1).split('\n').filter((l) => / IP /.test(l))
    expect(lines).toEqual([expect.stringContaining('IP 10.244.1.2 > 10.244.2.3: ICMP echo request'), expect.stringContaining('IP 10.244.2.3 > 10.244.1.2: ICMP echo reply')])
    // The probe the panel described: its size too.
    await h.trace({ from: 'pod1', to: 'pod4', size: 200 })
    host.wait(200)
    expect(host.output(1)).toMatch(/IP 10\.244\.1\.2 > 10\.244\.2\.3: ICMP echo request, id \d+, seq 1, length 208\n/)
    await h.termInterrupt({ term: 1 })
    expect(host.output(1)).toMatch(/length 208\n\^C\n4 packets captured\n/)
  })
})
