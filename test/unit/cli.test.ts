import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) })
  return { code, out, err }
}

const dir = mkdtempSync(join(tmpdir(), 'podnet-cli-'))
const file = (name: string): string => join(dir, name)

describe('podnet new / trace', () => {
  it('writes a lab file and traces walkthrough 2 from it', async () => {
    const r = await cli('new', 'routed', '-o', file('lab.yaml'))
    expect(r).toMatchObject({ code: 0, out: '', err: '' })
    const text = readFileSync(file('lab.yaml'), 'utf8')
    expect(text).toContain('apiVersion: podnet.dev/v1')
    expect(text).toContain('ip: 10.244.2.3')
    const t = await cli('trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4')
    expect(t.code).toBe(0)
    expect(t.out.split('\n')[0]).toBe('Trace pod1 (10.244.1.2) → pod4 (10.244.2.3), ICMP echo')
    expect(t.out).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(t.out.trimEnd().split('\n').at(-1)).toBe('Result: the packet from pod1 reaches pod4')
  })

  it('gives the trace as JSON with steps and raw events', async () => {
    await cli('new', 'flannel-vxlan', '-o', file('fl.yaml'))
    const t = await cli('trace', file('fl.yaml'), '--from', 'pod1', '--to', '10.244.2.3', '--json', '--warm')
    const rep = JSON.parse(t.out)
    expect(rep.to).toEqual({ name: 'pod4', ip: '10.244.2.3' })
    expect(rep.steps.some((s: { msg: string }) => s.msg === 'encap.vxlan')).toBe(true)
    expect(rep.events[0]).toHaveProperty('frame')
  })

  it('explains a drop and exits 1', async () => {
    writeFileSync(file('broken.yaml'), readFileSync(file('lab.yaml'), 'utf8').replace('commands: []', 'commands:\n    - ip -n node1 route del 10.244.2.0/24'))
    const t = await cli('trace', file('broken.yaml'), '--from', 'pod1', '--to', 'pod4')
    expect(t.code).toBe(1)
    expect(t.out).toContain('Result: the packet never arrives — 10.244.1.1: Destination Net Unreachable')
  })
})

describe('podnet run', () => {
  it('runs a command file and prints one JSON object per command', async () => {
    writeFileSync(file('cmds.sh'), '# a comment\n\nip netns add a\nip -n a link set lo up\nip netns exec a ping -c 1 127.0.0.1\nip -n a route get 10.0.0.1\n')
    const r = await cli('run', file('cmds.sh'), '--json')
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.line, l.command, l.exitCode])).toEqual([
      [3, 'ip netns add a', 0],
      [4, 'ip -n a link set lo up', 0],
      [5, 'ip netns exec a ping -c 1 127.0.0.1', 0],
      [6, 'ip -n a route get 10.0.0.1', 2],
    ])
    expect(lines[3].stderr).toBe('RTNETLINK answers: Network is unreachable\n')
    expect(lines[2].stdout).toContain('1 packets transmitted, 1 received, 0% packet loss')
  })

  it('runs in a lab with --lab', async () => {
    writeFileSync(file('in-lab.sh'), 'ip -n node1 route\n')
    const r = await cli('run', file('in-lab.sh'), '--lab', file('lab.yaml'))
    expect(r.out).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0 \n')
  })
})

describe('bad input', () => {
  it('answers with a message and a non-zero exit, never a stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['frobnicate'], 2, /^podnet: unknown command "frobnicate"/],
      [['new'], 2, /^podnet new: which scenario\?/],
      [['new', 'mesh'], 2, /^podnet new: unknown scenario "mesh"; choose one of: same-node, routed/],
      [['new', 'routed', '--nodes', 'x'], 2, /^podnet: --nodes needs a whole number, not "x"/],
      [['new', 'routed', '--nodes', '0'], 2, /--nodes must be between 1 and 200, not 0/],
      [['trace', file('nope.yaml'), '--from', 'a', '--to', 'b'], 1, /^podnet: cannot read .*nope\.yaml: No such file or directory/],
      [['trace', file('lab.yaml'), '--from', 'pod1'], 2, /--from POD and --to POD\|IP are required/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod99'], 1, /^podnet trace: no pod or namespace named "pod99"/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--proto', 'tcp'], 2, /--proto must be icmp or udp/],
      [['run', file('nope.sh')], 1, /^podnet run: cannot read/],
      [['export', file('lab.yaml'), '--format', 'ansible'], 2, /unknown format "ansible"/],
      [['export', file('lab.yaml'), '--prefix', 'a b'], 2, /--prefix "a b" may only use/],
      [['trace', file('lab.yaml'), '--bogus'], 2, /^podnet: unknown option "--bogus"/],
    ]
    for (const [argv, code, err] of cases) {
      const r = await cli(...argv)
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), code])
      expect(r.err).toMatch(err)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
  })

  it('reports a malformed lab file with its position', async () => {
    writeFileSync(file('bad.yaml'), 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: x }\nspec:\n  seed: -4\n')
    const r = await cli('trace', file('bad.yaml'), '--from', 'a', '--to', 'b')
    expect(r.code).toBe(1)
    expect(r.err).toBe(`podnet: ${file('bad.yaml')}:5:9: spec.seed: must be a whole number from 0 to 4294967295\n`)
  })

  it('never leaves a half-written file behind when saving fails', async () => {
    const r = await cli('new', 'routed', '-o', join(dir, 'missing-dir', 'lab.yaml'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/cannot write/)
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false)
  })
})

describe('podnet export', () => {
  it('prints a flat script with prefixed namespaces, and its teardown', async () => {
    const r = await cli('export', file('lab.yaml'), '--format', 'iproute2', '--prefix', 'zz-')
    const lines = r.out.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(lines[0]).toBe('ip netns add zz-underlay')
    expect(lines).toContain('ip -n zz-node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(lines.every((l) => /^(ip|bridge) /.test(l))).toBe(true)
    expect(r.out).not.toMatch(/\$\{|\bfor\b|\bfunction\b|\bwhile\b/)
    const t = await cli('export', file('lab.yaml'), '--teardown', '--prefix', 'zz-')
    expect(t.out.split('\n').filter((l) => l.startsWith('ip netns del'))).toHaveLength(7)
  })
})
