// `podnet capture`: every capture is read back with tshark (VXLAN decoded on flannel's port) and
// its fields are compared with the trace of the same probe (`podnet trace --json`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'
import { formatIpv4 } from '../../src-main/engine/addr/ipv4.ts'
import { formatMac } from '../../src-main/engine/addr/mac.ts'
import { parseArp } from '../../src-main/engine/wire/arp.ts'
import { ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from '../../src-main/engine/wire/ethernet.ts'
import { parseIcmp } from '../../src-main/engine/wire/icmp.ts'
import { IPPROTO_ICMP, IPPROTO_UDP, parseIpv4Header } from '../../src-main/engine/wire/ipv4.ts'
import { parseVxlan, VXLAN_HEADER_LEN } from '../../src-main/engine/wire/vxlan.ts'
import { LAB_EPOCH_SEC } from '../../src-main/lab/capture.ts'
import { parsePcapng } from '../../src-main/lab/pcapng.ts'
import { hexToBytes, type TraceEventJson } from '../../shared/trace.ts'
import type { TraceReport } from '../../src-main/lab/trace-report.ts'

const dir = mkdtempSync(join(tmpdir(), 'podnet-capture-'))
const file = (name: string): string => join(dir, name)

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; bytes: Uint8Array[] }> {
  let out = ''
  let err = ''
  const bytes: Uint8Array[] = []
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), bytes: (b) => bytes.push(b) }, {})
  return { code, out, err, bytes }
}

const FIELDS = ['frame.time_epoch', 'frame.interface_name', 'frame.packet_flags_direction', 'frame.len', 'eth.src', 'eth.dst', 'arp.opcode', 'ip.src', 'ip.dst', 'ip.ttl', 'udp.dstport', 'vxlan.vni', 'icmp.type', 'frame.comment']

/** tshark's fields, one row per frame, every occurrence (outer, then inner) joined by commas. */
function tshark(path: string): string[][] {
  const r = spawnSync('tshark', ['-r', path, '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 })
  if (r.error || r.status !== 0) throw new Error(`tshark failed (scripts/install-system-deps.sh installs it): ${r.error?.message ?? r.stderr}`)
  return r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
}

/** The same fields, from the bytes and words of a trace event. */
function expected(e: TraceEventJson, epochSec = LAB_EPOCH_SEC): string[] {
  const f = hexToBytes(e.frame!)
  const eth: string[] = []
  const ip: { src: string[]; dst: string[]; ttl: string[] } = { src: [], dst: [], ttl: [] }
  let arp = ''
  let udpPort = ''
  let vni = ''
  const icmp: string[] = []
  let off = 0
  for (;;) {
    const h = parseEthernet(f, off)
    eth.push(formatMac(h.src) + '|' + formatMac(h.dst))
    off += ETHERNET_HEADER_LEN
    if (h.ethertype === ETHERTYPE_ARP) arp = String(parseArp(f, off).op)
    if (h.ethertype !== ETHERTYPE_IPV4) break
    const v4 = parseIpv4Header(f, off, false)
    ip.src.push(formatIpv4(v4.src))
    ip.dst.push(formatIpv4(v4.dst))
    ip.ttl.push(String(v4.ttl))
    if (v4.protocol === IPPROTO_ICMP) {
      parseIcmp(f, off + v4.headerLen, v4.totalLen - v4.headerLen, false)
      icmp.push(String(f[off + v4.headerLen]))
    }
    if (v4.protocol !== IPPROTO_UDP) break
    udpPort = String((f[off + v4.headerLen + 2] << 8) | f[off + v4.headerLen + 3])
    if (udpPort !== '8472') break
    vni = String(parseVxlan(f, off + v4.headerLen + 8).vni)
    off += v4.headerLen + 8 + VXLAN_HEADER_LEN
  }
  const ns = BigInt(epochSec) * 1_000_000_000n + BigInt(e.timeNs)
  return [
    `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`,
    `${e.netns || 'host'}:${e.device}`,
    e.kind === 'xmit' ? '0x00000002' : '0x00000001',
    String(f.length),
    eth.map((x) => x.split('|')[0]).join(','),
    eth.map((x) => x.split('|')[1]).join(','),
    arp,
    ip.src.join(','),
    ip.dst.join(','),
    ip.ttl.join(','),
    udpPort,
    vni,
    icmp.join(','),
  ]
}

/** The trace's frames at the captured interfaces, as `podnet trace --json` gives them. */
async function traceFrames(lab: string, ifaces: string[], ...probe: string[]): Promise<{ rep: TraceReport; frames: TraceEventJson[] }> {
  const t = await cli('trace', lab, ...probe, '--json')
  const rep = JSON.parse(t.out) as TraceReport
  return { rep, frames: rep.events.filter((e) => (e.kind === 'xmit' || e.kind === 'recv') && e.frame && ifaces.includes(`${e.netns}:${e.device}`)) }
}

describe('podnet capture', () => {
  it('writes pcapng with one interface per device, and tshark reads what the trace says, VXLAN included', async () => {
    expect((await cli('new', 'flannel-vxlan', '-o', file('fl.yaml'))).code).toBe(0)
    const ifaces = ['pod1:eth0', 'node1:cbr0', 'node1:eth0', 'node2:eth0', 'node2:flannel.1', 'pod4:eth0']
    const probe = ['--from', 'pod1', '--to', 'pod4']
    const r = await cli('capture', file('fl.yaml'), ...probe, ...ifaces.flatMap((i) => ['--iface', i]), '-o', file('fl.pcapng'))
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/^podnet capture: \d+ frames on 6 interfaces \(pod1:eth0 4, node1:cbr0 \d+, node1:eth0 4, .*\) written to .*fl\.pcapng \(pcapng\)\nResult: the packet from pod1 reaches pod4\n$/)
    const bytes = new Uint8Array(readFileSync(file('fl.pcapng')))
    const parsed = parsePcapng(bytes)
    expect(parsed.interfaces.map((i) => [i.name, i.linktype])).toEqual(ifaces.map((i) => [i, 1]))
    expect(parsed.interfaces[4].description).toBe('flannel.1 in network namespace node2')
    expect(parsed.section.application).toMatch(/^PodNet Lab \d+\.\d+\.\d+/)

    const { rep, frames } = await traceFrames(file('fl.yaml'), ifaces, ...probe)
    const rows = tshark(file('fl.pcapng'))
    expect(rows.length).toBe(frames.length)
    expect(rows.map((row) => row.slice(0, -1))).toEqual(frames.map((e) => expected(e)))
    // The same bytes as the trace, and the trace's words as each frame's comment.
    expect(parsed.packets.map((p) => Buffer.from(p.frame).toString('hex'))).toEqual(frames.map((e) => e.frame))
    expect(rows.every((row) => row.at(-1)!.length > 10)).toBe(true)
    // The overlay is in there: pod1's echo request leaves node1 inside VXLAN (VNI 1) on UDP 8472.
    const tunnelled = rows.find((row) => row[1] === 'node1:eth0' && row[11] === '1' && row[12] === '8')!
    expect(tunnelled.slice(7, 11)).toEqual(['192.168.0.11,10.244.1.2', '192.168.0.12,10.244.2.3', '64,63', '8472'])
    // Timestamps are the simulation's, from the lab's epoch: the first of January 2000.
    expect(Number(rows[0][0])).toBeGreaterThanOrEqual(LAB_EPOCH_SEC)
    expect(Number(rows[0][0])).toBeLessThan(LAB_EPOCH_SEC + 60)
    expect(rep.outcome.kind).toBe('reply')
  })

  it('writes classic pcap with -F pcap, every interface merged, to standard output with -o -', async () => {
    expect((await cli('new', 'routed', '-o', file('routed.yaml'))).code).toBe(0)
    const ifaces = ['pod1:eth0', 'node2:eth0']
    const probe = ['--from', 'pod1', '--to', '10.244.2.3', '--proto', 'udp', '--port', '5000', '--size', '100', '--df']
    const r = await cli('capture', file('routed.yaml'), ...probe, '-i', ifaces[0], '-i', ifaces[1], '-F', 'pcap', '-o', '-', '--quiet')
    expect([r.code, r.out, r.err]).toEqual([0, '', ''])
    expect(r.bytes).toHaveLength(1)
    const path = file('routed.pcap')
    await import('node:fs').then((fs) => fs.writeFileSync(path, r.bytes[0]))
    expect(Buffer.from(r.bytes[0]).readUInt32LE(0)).toBe(0xa1b2c3d4)
    const { frames } = await traceFrames(file('routed.yaml'), ifaces, ...probe)
    const rows = tshark(path)
    // Classic pcap has no interfaces, no directions, no comments, and microseconds.
    expect(rows.map((row) => [row[0].replace(/\d{3}$/, ''), ...row.slice(3, 13)])).toEqual(
      frames.map((e) => {
        const x = expected(e)
        return [x[0].replace(/\d{3}$/, ''), ...x.slice(3)]
      }),
    )
    expect(rows.some((row) => row[10] === '5000')).toBe(true)
  })

  it('captures every device that carries a frame with --all, and a whole namespace with --iface NS', async () => {
    const all = await cli('capture', file('routed.yaml'), '--from', 'pod1', '--to', 'pod2', '--all', '-o', file('all.pcapng'))
    expect(all.code).toBe(0)
    const names = parsePcapng(new Uint8Array(readFileSync(file('all.pcapng')))).interfaces.map((i) => i.name)
    expect(names).toEqual(expect.arrayContaining(['pod1:eth0', 'node1:cbr0', 'pod2:eth0']))
    expect(names.some((n) => n?.startsWith('node2:'))).toBe(false)
    const ns = await cli('capture', file('routed.yaml'), '--from', 'pod1', '--to', 'pod2', '--iface', 'node1', '-o', file('ns.pcapng'), '-q')
    expect(ns.code).toBe(0)
    expect(parsePcapng(new Uint8Array(readFileSync(file('ns.pcapng')))).interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(['node1:lo', 'node1:eth0', 'node1:cbr0']))
  })

  it('writes the capture of a packet that never arrives, and exits 1', async () => {
    const r = await cli('capture', file('routed.yaml'), '--from', 'pod1', '--to', '10.244.9.9', '-i', 'node1:eth0', '-o', file('lost.pcapng'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/Result: the packet never arrives/)
    expect(parsePcapng(new Uint8Array(readFileSync(file('lost.pcapng')))).interfaces).toHaveLength(1)
  })

  it('names what is wrong with a request', async () => {
    const lab = file('routed.yaml')
    const cases: [string[], number, RegExp][] = [
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-o', file('x.pcapng')], 2, /^podnet capture: which interfaces\? give --iface NS:DEV/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod1:eth0'], 2, /^podnet capture: --output FILE is required/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod1:', '-o', file('x.pcapng')], 2, /--iface "pod1:" must be NS:DEV/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod1:eth9', '-o', file('x.pcapng')], 1, /^podnet capture: no device "eth9" in namespace "pod1" \(its devices: lo, eth0\)/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod9:eth0', '-o', file('x.pcapng')], 1, /^podnet capture: no pod or namespace named "pod9"/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod1:eth0', '-F', 'erf', '-o', file('x.pcapng')], 2, /--format must be pcapng or pcap, not "erf"/],
      [['capture', lab, '--from', 'pod1', '--to', 'pod4', '-i', 'pod1:eth0', '--all', '-o', file('x.pcapng')], 2, /cannot be used together/],
    ]
    for (const [argv, code, err] of cases) {
      const r = await cli(...argv)
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), code])
      expect(r.err).toMatch(err)
    }
    expect(() => readFileSync(file('x.pcapng'))).toThrow(/ENOENT/)
  })
})
