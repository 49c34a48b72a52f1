// tcpdump -w in a terminal: the file the terminal offers opens in Wireshark's reader (tshark),
// with the frames the capture printed a count of, VXLAN decoded on flannel's port.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NS_PER_SEC } from '../../src-main/engine/kernel/scheduler.ts'
import { LiveShell, type LiveSink } from '../../src-main/lab/live.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'

describe('tcpdump -w in a terminal', () => {
  it('gives a pcap that tshark reads: the encapsulated echo requests and replies of a ping in pod1', () => {
    const s = new LabSession(scenarioLab('flannel-vxlan'))
    const live = new LiveShell(s)
    const files: { name: string; bytes: Uint8Array }[] = []
    let out = ''
    const sink: LiveSink = { output: (_t, d) => (out += d), file: (_t, name, bytes) => files.push({ name, bytes }), done: () => {} }
    live.start(1, 'tcpdump -i eth0 -n -w overlay.pcap udp port 8472', 'node1', sink)
    live.start(2, 'ping -c 3 10.244.2.3', 'pod1', sink)
    live.advance(s.world.sched.now + 3 * NS_PER_SEC, sink)
    live.interrupt(1, sink)
    expect(out).toContain('6 packets captured\n')
    expect(files.map((f) => f.name)).toEqual(['overlay.pcap'])
    const path = join(mkdtempSync(join(tmpdir(), 'podnet-terminal-')), 'overlay.pcap')
    writeFileSync(path, files[0].bytes)
    const r = spawnSync('tshark', ['-r', path, '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'vxlan.vni', '-e', 'icmp.type', '-E', 'occurrence=a', '-E', 'aggregator=,'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 })
    if (r.error || r.status !== 0) throw new Error(`tshark failed (scripts/install-system-deps.sh installs it): ${r.error?.message ?? r.stderr}`)
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'))
    expect(rows).toHaveLength(6)
    for (let i = 0; i < 6; i++) {
      const request = i % 2 === 0
      // Outer node to node, inner pod to pod, VNI 1, ICMP echo request (8) or reply (0).
      expect(rows[i]).toEqual(request ? ['192.168.0.11,10.244.1.2', '192.168.0.12,10.244.2.3', '1', '8'] : ['192.168.0.12,10.244.2.3', '192.168.0.11,10.244.1.2', '1', '0'])
    }
  })
})
