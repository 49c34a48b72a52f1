import { describe, expect, it } from 'vitest'
import { NS_PER_SEC } from '../engine/kernel/scheduler.ts'
import { LiveShell, type LiveEnd, type LiveSink } from './live.ts'
import { LabSession, scenarioLab } from './session.ts'
import { readPcap } from './pcap.ts'

/** Collects what running lines report, per terminal. */
function recorder() {
  const out = new Map<number, string>()
  const ends = new Map<number, LiveEnd>()
  const files: { term: number; name: string; bytes: Uint8Array }[] = []
  const sink: LiveSink = {
    output: (term, data) => out.set(term, (out.get(term) ?? '') + data),
    file: (term, name, bytes) => files.push({ term, name, bytes }),
    done: (term, end) => ends.set(term, end),
  }
  return { out, ends, files, sink, text: (term: number) => out.get(term) ?? '' }
}

function vxlan(): LabSession {
  return new LabSession(scenarioLab('flannel-vxlan'))
}

/** Runs a terminal line to its end through the live shell, advancing in slices of `sliceNs`. */
function runLive(session: LabSession, line: string, netns: string, sliceNs: number): string {
  const live = new LiveShell(session)
  const r = recorder()
  const start = live.start(1, line, netns, r.sink)
  let out = start.output
  while (live.running) live.advance(session.world.sched.now + sliceNs, r.sink)
  out += r.text(1)
  return out
}

describe('live terminal lines', () => {
  it('print as a batch run prints them, whatever the slices, and observations stay out of the history', () => {
    const batch = vxlan()
    const expected = batch.exec('ping -c 3 10.244.2.3', 'pod1')
    for (const slice of [1_000_000, 0.25 * NS_PER_SEC, 7 * NS_PER_SEC]) {
      const s = vxlan()
      expect(runLive(s, 'ping -c 3 10.244.2.3', 'pod1', slice)).toBe(expected.stdout + expected.stderr)
      expect(s.world.sched.now).toBe(batch.world.sched.now)
      expect(s.history).toEqual([])
    }
  })

  it('share the clock: a capture in node1 sees, live, the VXLAN packets of a ping in pod1', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    const cap = live.start(2, 'tcpdump -i flannel.1 -n -c 4', 'node1', r.sink)
    expect(cap.end).toBeNull()
    expect(cap.output).toBe('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on flannel.1, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n')
    const ping = live.start(1, 'ping 10.244.2.3', 'pod1', r.sink)
    expect(ping.output).toBe('PING 10.244.2.3 (10.244.2.3) 56(84) bytes of data.\n')
    // Half a second: the first echo and its reply went both ways through flannel.1.
    live.advance(s.world.sched.now + NS_PER_SEC / 2, r.sink)
    expect(r.text(1)).toMatch(/^64 bytes from 10\.244\.2\.3: icmp_seq=1 ttl=62 time=[\d.]+ ms\n$/)
    expect(r.text(2).split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{6} IP 10\.244\.1\.2 > 10\.244\.2\.3: ICMP echo request, id \d+, seq 1, length 64$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{6} IP 10\.244\.2\.3 > 10\.244\.1\.2: ICMP echo reply, id \d+, seq 1, length 64$/),
    ])
    expect(r.ends.has(2)).toBe(false)
    // One more second: the capture has its 4 packets and ends; the ping goes on.
    live.advance(s.world.sched.now + NS_PER_SEC, r.sink)
    expect(r.ends.get(2)).toEqual({ exitCode: 0 })
    expect(r.text(2)).toMatch(/seq 2, length 64\n4 packets captured\n4 packets received by filter\n0 packets dropped by kernel\n$/)
    expect(live.isRunning(1)).toBe(true)
    // Ctrl+C: the statistics as iputils prints them (the terminal echoes the ^C).
    live.advance(s.world.sched.now + 1.3 * NS_PER_SEC, r.sink)
    expect(live.interrupt(1, r.sink)).toBe(true)
    expect(r.ends.get(1)).toEqual({ exitCode: 0 })
    expect(r.text(1)).toMatch(/icmp_seq=3 ttl=62 .*\n\n--- 10\.244\.2\.3 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2\d{3}ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/)
    expect(live.running).toBe(false)
    expect(s.history).toEqual([])
  })

  it('records the changes of a line as they are made, with their times, and not its observations', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    const t0 = s.world.sched.now
    live.start(1, 'sleep 2; ip link set cbr0 mtu 1400; ping -c 1 10.244.1.2', 'node1', r.sink)
    live.advance(t0 + 3 * NS_PER_SEC, r.sink)
    expect(r.ends.get(1)).toEqual({ exitCode: 0 })
    expect(s.history).toEqual([{ at: (t0 + 2 * NS_PER_SEC) / NS_PER_SEC, run: 'ip netns exec node1 ip link set cbr0 mtu 1400' }])
  })

  it('lets Ctrl+C kill sleep and abandon the rest of the line, as bash does; a handled one goes on', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    live.start(1, 'sleep 10; echo after', '', r.sink)
    live.advance(s.world.sched.now + NS_PER_SEC, r.sink)
    live.interrupt(1, r.sink)
    expect(r.ends.get(1)).toEqual({ exitCode: 130 })
    expect(r.text(1)).toBe('')
    live.start(2, 'ping 10.244.1.3; echo after', 'pod1', r.sink)
    live.advance(s.world.sched.now + NS_PER_SEC / 2, r.sink)
    live.interrupt(2, r.sink)
    expect(r.text(2)).toMatch(/ms\nafter\n$/)
  })

  it('gives tcpdump -w a pcap file and prints what tcpdump prints for one', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    const cap = live.start(1, 'tcpdump -i eth0 -w pod1.pcap', 'pod1', r.sink)
    expect(cap.output).toBe('tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n')
    live.start(2, 'ping -c 2 10.244.2.3', 'pod1', r.sink)
    live.advance(s.world.sched.now + 3 * NS_PER_SEC, r.sink)
    live.interrupt(1, r.sink)
    // No newline first: tcpdump -w printed no lines to end.
    const n = Number(/^(\d+) packets captured\n/.exec(r.text(1))?.[1])
    expect(r.text(1)).toBe(`${n} packets captured\n${n} packets received by filter\n0 packets dropped by kernel\n`)
    expect(r.files).toHaveLength(1)
    expect(r.files[0].name).toBe('pod1.pcap')
    const pcap = readPcap(r.files[0].bytes)
    expect(pcap.linktype).toBe(1)
    // Two echo requests and replies, and the ARP exchange before them, at least.
    expect(n).toBeGreaterThanOrEqual(6)
    expect(pcap.records).toHaveLength(n)
  })

  it('keeps to the bound on one command: an hour of simulated time, then exit 124', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    const t0 = s.world.sched.now
    live.start(1, 'sleep inf; echo after', 'pod1', r.sink)
    live.advance(t0 + 4000 * NS_PER_SEC, r.sink)
    expect(r.ends.get(1)).toEqual({ exitCode: 124 })
    expect(r.text(1)).toBe('podnet: stopped after 3600 s of simulated time, the most one command may take\n')
    // The clock stops when nothing runs: at the bound, and the pause a command takes.
    expect(s.world.sched.now).toBe(t0 + 3600 * NS_PER_SEC + 2_000_000)
  })

  it('stops running lines when the lab is rebuilt', () => {
    const s = vxlan()
    const live = new LiveShell(s)
    const r = recorder()
    live.start(1, 'ping 10.244.2.3', 'pod1', r.sink)
    live.abandon(r.sink, 'the lab was rebuilt for undo')
    expect(r.ends.get(1)).toEqual({ exitCode: 143 })
    expect(r.text(1)).toContain('podnet: the lab was rebuilt for undo: the command was stopped')
    expect(live.running).toBe(false)
  })
})
