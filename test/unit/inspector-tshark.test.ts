// The header inspector against Wireshark: every step of every scenario's traces (deliveries and
// drops, ICMP and UDP, VXLAN) is exported as the app exports it (one record per step, frames on
// Ethernet interfaces, IP-level steps on raw IPv4 ones) and decoded by tshark; each field the
// inspector shows must be one tshark shows, at the same bytes, with the same value.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { Buffer } from 'node:buffer'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TraceRequestView, TraceView } from '../../shared/api.ts'
import { hexToBytes } from '../../shared/trace.ts'
import { dissect, type Layer } from '../../src-main/engine/wire/dissect.ts'
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { SCENARIOS } from '../../src-main/k8s/scenarios.ts'

const dir = mkdtempSync(join(tmpdir(), 'podnet-inspector-'))

interface PdmlField {
  name: string
  pos: number
  size: number
  show: string
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]
const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** tshark's decode of every record: its fields (name, position, size, shown value) in order. */
function tsharkPackets(path: string): { protocols: string; fields: PdmlField[] }[] {
  const r = spawnSync('tshark', ['-r', path, '-d', 'udp.port==8472,vxlan', '-T', 'pdml'], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000 })
  if (r.error || r.status !== 0) throw new Error(`tshark failed (scripts/install-system-deps.sh installs it): ${r.error?.message ?? r.stderr}`)
  return r.stdout.split('<packet>').slice(1).map((p) => {
    const fields: PdmlField[] = []
    for (const m of p.matchAll(/<field [^>]*>/g)) {
      const name = attr(m[0], 'name')
      const pos = attr(m[0], 'pos')
      const size = attr(m[0], 'size')
      const show = attr(m[0], 'show')
      if (name && pos !== undefined && size !== undefined && show !== undefined) fields.push({ name, pos: Number(pos), size: Number(size), show: unescape(show) })
    }
    return { protocols: fields.find((f) => f.name === 'frame.protocols')?.show ?? '', fields }
  })
}

/** Fields the inspector shows under another name in Wireshark, and those Wireshark has no field for. */
const TSHARK_NAME: Record<string, string> = { 'icmp.data': 'data.data' }
// Wireshark splits VXLAN's first word as the Group Policy extension does (16 bits of flags, a
// 16-bit group id); the inspector shows RFC 7348's 8 bits of flags and 24 reserved, as flannel sends.
const NOT_IN_TSHARK = new Set(['data', 'reason', 'icmp.rest', 'vxlan.flags', 'vxlan.reserved_24'])

/** Our raw value and tshark's shown value say the same: numbers by value (0x0800 = 2048), addresses as text. */
function sameValue(key: string, raw: string, show: string, f: { length: number }): boolean {
  if (key === 'icmp.data') return show.split(':').length === f.length || (f.length === 0 && show === '')
  if (/^\d+$/.test(raw) && /^(0x[0-9a-f]+|\d+)$/i.test(show)) return Number(raw) === Number(show)
  return raw === show
}

/** Each field of the inspector's decode, checked against tshark's decode of the same bytes. */
function compare(layers: Layer[], packet: { fields: PdmlField[] }, where: string): string[] {
  const problems: string[] = []
  for (const l of layers) {
    expect(l.key, `${where}: ${l.name} could not be decoded`).not.toMatch(/malformed/)
    for (const f of l.fields) {
      if (NOT_IN_TSHARK.has(f.key)) continue
      const name = TSHARK_NAME[f.key] ?? f.key
      const theirs = packet.fields.filter((t) => t.name === name && t.pos === f.offset)
      if (!theirs.length) {
        problems.push(`${where}: ${l.name} ${f.name} (${f.key} at ${f.offset}) is not in tshark's decode`)
        continue
      }
      if (!theirs.some((t) => t.size === f.length && sameValue(f.key, f.raw, t.show, f))) {
        problems.push(`${where}: ${l.name} ${f.name} = ${f.raw} (${f.offset}+${f.length}); tshark: ${theirs.map((t) => `${t.show} (${t.pos}+${t.size})`).join(' | ')}`)
      }
    }
  }
  return problems
}

interface Case {
  label: string
  commands?: string[]
  req: TraceRequestView
}

/** Deliveries and the usual faults of a scenario, between its first pod and a pod on another node. */
function cases(from: { name: string; node?: string }, to: { name: string; node?: string }): Case[] {
  const req = { from: from.name, to: to.name }
  const crossNode = to.node !== from.node
  const out: Case[] = [
    { label: 'ICMP', req },
    { label: 'UDP', req: { ...req, proto: 'udp', port: 5000, size: 100 } },
    { label: 'two probes', req: { ...req, count: 2 } },
    { label: 'DF 1472', req: { ...req, size: 1472, df: true } },
    { label: 'no forwarding', commands: [`ip netns exec ${to.node} sysctl -w net.ipv4.ip_forward=0`], req },
    { label: 'destination down', commands: [`ip -n ${to.name} link set eth0 down`], req },
    { label: 'no default route', commands: [`ip -n ${from.name} route del default`], req },
  ]
  // TTL 1 runs out at the first router: an ICMP time exceeded quoting the packet.
  out.push({ label: 'TTL 1', commands: [`ip netns exec ${from.name} sysctl -w net.ipv4.ip_default_ttl=1`], req })
  if (crossNode) out.push({ label: 'no route on the node', commands: [`ip -n ${from.node} route add unreachable ${to.name === 'pod4' ? '10.244.2.3' : '10.244.2.2'}/32`], req })
  return out
}

describe('the header inspector decodes every step as Wireshark does', () => {
  it.each(SCENARIOS.filter((s) => s.defaults.podsPerNode > 0).map((s) => s.name))('%s: every step of its traces, drops included', async (scenario) => {
    const problems: string[] = []
    let checked = 0
    const layersSeen = new Set<string>()
    const service = new LabService(scenario)
    const pods = service.session.cluster!.pods().map((p) => ({ name: p.name, node: service.session.cluster!.podNode(p.name)?.name }))
    const from = pods[0]
    const to = pods.find((p) => p.node !== from.node) ?? pods[pods.length - 1]
    // All traces of the scenario in one file (a pcapng section each), for one run of tshark.
    const traces: { c: Case; t: TraceView }[] = []
    const files: Uint8Array[] = []
    for (const c of cases(from, to)) {
      const h = createHandlers(new LabService(scenario))
      for (const line of c.commands ?? []) expect((await h.exec({ line })).exitCode, line).toBe(0)
      const t = await h.trace(c.req)
      traces.push({ c, t })
      files.push((await h.exportPcap({ traceId: t.id, steps: true })).bytes)
    }
    const file = join(dir, `${scenario}.pcapng`)
    writeFileSync(file, Buffer.concat(files))
    const packets = tsharkPackets(file)
    let at = 0
    for (const { c, t } of traces) {
      const withBytes = t.steps.filter((s) => s.frameEvent !== undefined)
      withBytes.forEach((s) => {
        const ev = t.events.find((e) => e.seq === s.frameEvent)!
        const layer = ev.layer ?? 'ethernet'
        const layers = dissect(hexToBytes(ev.frame!), layer)
        for (const l of layers) layersSeen.add(l.key)
        const where = `${scenario} ${c.label} step ${s.n} (${s.msg})`
        const packet = packets[at++]
        expect(packet, `${where}: one record per step with bytes`).toBeDefined()
        // The first layer is the one on the record's link type (IP-level steps start at IPv4), and
        // what follows makes sense to Wireshark too: a frame read from the wrong layer would not.
        expect(packet.protocols, where).toMatch(layer === 'ipv4' ? /^ip:(icmp|udp)/ : /^eth:ethertype:(ip:(icmp|udp)|arp|ipv6)/)
        problems.push(...compare(layers, packet, where))
        checked++
      })
      if (c.label === 'no forwarding' && to.node !== from.node) {
        const drop = t.steps.find((s) => s.kind === 'drop')!
        expect(drop, `${scenario}: the packet is dropped`).toBeDefined()
        expect(t.events.find((e) => e.seq === drop.frameEvent)?.layer).toBe('ipv4')
      }
    }
    expect(at).toBe(packets.length)
    expect(problems).toEqual([])
    expect(checked).toBeGreaterThan(50)
    expect([...layersSeen]).toEqual(expect.arrayContaining(['eth', 'arp', 'ip', 'icmp', 'udp']))
    if (scenario.includes('vxlan')) expect([...layersSeen]).toEqual(expect.arrayContaining(['vxlan', 'inner.eth', 'inner.ip', 'inner.icmp', 'inner.udp']))
    if (scenario !== 'same-node' && scenario !== 'host-gw-behind-router') expect([...layersSeen]).toEqual(expect.arrayContaining(['quoted.ip', 'quoted.icmp']))
  }, 60_000)
})
