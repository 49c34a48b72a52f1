import { describe, expect, it } from 'vitest'
import {
  commandLines,
  mentioned,
  currentNetns,
  kernelAvailability,
  newNames,
  parseLinkNames,
  parseNetnsList,
  runOnKernel,
  withKernelLab,
} from './harness.ts'

const avail = kernelAvailability()
const reason = avail.ok ? '' : avail.reason
if (!avail.ok) console.warn('skipped: ' + reason)
const needsKernel = !avail.ok

// Namespaces used here all start with this prefix (unique per process, so reruns never collide).
const P = `rk-ht${process.pid}-`

describe('harness parsing (no kernel needed)', () => {
  it('selects command lines with 1-based numbers, trimmed, skipping blanks and # comments', () => {
    expect(commandLines(['# title', '', 'echo a', '   ', '  # indented comment', '  echo b  ', 'echo c # not a comment line']))
      .toEqual([
        { line: 3, command: 'echo a' },
        { line: 6, command: 'echo b' },
        { line: 7, command: 'echo c # not a comment line' },
      ])
  })

  it('matches names as whole words only', () => {
    expect(mentioned('rk-a', ['ip netns add rk-a'])).toBe(true)
    expect(mentioned('rk-a', ['ip -n rk-a link'])).toBe(true)
    expect(mentioned('rk-a', ['ip netns add rk-a1', 'ip netns add xrk-a'])).toBe(false)
    expect(mentioned('veth.1', ['ip link add veth.1 type veth'])).toBe(true)
    expect(mentioned('veth.1', ['ip link add vethx1 type veth'])).toBe(false)
  })

  it('parses ip netns list with and without ids', () => {
    expect(parseNetnsList('rk-b (id: 1)\nrk-a\n\n')).toEqual(['rk-b', 'rk-a'])
  })

  it('parses ip -o link show names, dropping @peer suffixes', () => {
    const text = [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '5: rk-v0@rk-v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff',
      '6: veth1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff link-netns rk-x',
    ].join('\n')
    expect(parseLinkNames(text)).toEqual(['lo', 'rk-v0', 'veth1'])
    expect(newNames(['lo'], ['lo', 'rk-v0', 'veth1', 'rk-v0'])).toEqual(['rk-v0', 'veth1'])
  })
})

describe('kernel harness', () => {
  it.skipIf(needsKernel)('captures stdout, stderr and exit code of each line separately', async () => {
    const r = await runOnKernel([
      'echo hello',
      'echo oops >&2; exit 3',
      "printf 'a  \\n\\nb'",
      'echo out; echo err >&2',
      'false',
      'no-such-command-rk',
    ])
    expect(r.map((x) => x.exitCode)).toEqual([0, 3, 0, 0, 1, 127])
    const { startMs, ...first } = r[0]
    expect(first).toEqual({ line: 1, command: 'echo hello', exitCode: 0, stdout: 'hello\n', stderr: '' })
    expect(startMs).toBeGreaterThanOrEqual(0)
    expect(r[1].startMs).toBeGreaterThan(startMs ?? 0)
    expect(r[1]).toMatchObject({ stdout: '', stderr: 'oops\n' })
    expect(r[2].stdout).toBe('a  \n\nb') // trailing spaces and blank lines kept byte for byte
    expect(r[3]).toMatchObject({ stdout: 'out\n', stderr: 'err\n' })
    expect(r[5].stderr).toContain('no-such-command-rk: command not found')
  })

  it.skipIf(needsKernel)('reports line numbers of the file, skipping blank lines and comments', async () => {
    const r = await runOnKernel(['# a lab', '', '  echo one  ', '   ', '# comment', 'echo two'])
    expect(r.map((x) => [x.line, x.command, x.stdout])).toEqual([
      [3, 'echo one', 'one\n'],
      [6, 'echo two', 'two\n'],
    ])
  })

  it.skipIf(needsKernel)('runs each line in a fresh bash: no shell state, shared working directory, no stdin', async () => {
    const r = await runOnKernel(['X=1; cd /', 'echo "[$X]"; pwd | grep -c rk-run-', 'echo data > f.txt', 'cat f.txt', 'cat'])
    expect(r[1].stdout).toBe('[]\n1\n')
    expect(r[3].stdout).toBe('data\n')
    expect(r[4]).toMatchObject({ exitCode: 0, stdout: '' })
  })

  it.skipIf(needsKernel)('captures real iproute2 output and error text', async () => {
    const ns = `${P}ip`
    const r = await runOnKernel([
      `ip netns add ${ns}`,
      `ip -n ${ns} link show lo`,
      `ip -n ${ns} link set dev rk-nodev up`,
      `ip netns exec ${ns} ping -c 1 -W 1 10.9.9.9`,
    ])
    expect(r[0].exitCode).toBe(0)
    expect(r[1].stdout).toBe(
      '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n')
    expect(r[2]).toMatchObject({ exitCode: 1, stdout: '', stderr: 'Cannot find device "rk-nodev"\n' })
    expect(r[3]).toMatchObject({ exitCode: 2, stdout: '', stderr: 'ping: connect: Network is unreachable\n' })
    expect(currentNetns()).not.toContain(ns)
  })

  it.skipIf(needsKernel)('deletes the namespaces it created even when a line fails', async () => {
    const a = `${P}fa`
    const b = `${P}fb`
    const r = await runOnKernel([
      `ip netns add ${a}`,
      `ip netns add ${b}`,
      `ip -n ${a} link add v0 type veth peer name v1 netns ${b}`,
      'exit 7',
      `ip netns add ${a}`,
      `ip netns list | grep -c '^${P}f'`,
    ])
    expect(r.map((x) => x.exitCode)).toEqual([0, 0, 0, 7, 1, 0])
    expect(r[4].stderr).toBe(`Cannot create namespace file "/run/netns/${a}": File exists\n`)
    expect(r[5].stdout).toBe('2\n')
    const after = currentNetns()
    expect(after).not.toContain(a)
    expect(after).not.toContain(b)
  })

  it.skipIf(needsKernel)('deletes namespaces whose names are built by the line itself (loops, variables)', async () => {
    const r = await runOnKernel([
      `for i in 1 2; do ip netns add ${P}loop$i; done`,
      `N=${P}var; ip netns add "$N"x`,
      `ip netns list | grep -cE '^${P}(loop|varx)'`,
    ])
    expect(r.map((x) => x.exitCode)).toEqual([0, 0, 0])
    expect(r[2].stdout).toBe('3\n')
    expect(currentNetns().filter((n) => n.startsWith(P))).toEqual([])
  })

  it.skipIf(needsKernel)('never deletes a namespace that another process created during the run', async () => {
    const foreign = `${P}foreign`
    const { spawnSync } = await import('node:child_process')
    const timer = setTimeout(() => spawnSync('ip', ['netns', 'add', foreign]), 300)
    try {
      const r = await runOnKernel([`ip netns add ${P}mine`, 'sleep 1', `ip netns list | grep -c '^${P}'`])
      expect(r[2].stdout).toBe('2\n')
      expect(currentNetns()).toContain(foreign)
      expect(currentNetns()).not.toContain(`${P}mine`)
    } finally {
      clearTimeout(timer)
      spawnSync('ip', ['netns', 'del', foreign])
    }
  })

  it.skipIf(needsKernel)('kills a line that exceeds the per-line timeout (exit 124) and still tears down', async () => {
    const ns = `${P}to`
    const t0 = Date.now()
    const r = await runOnKernel([`ip netns add ${ns}`, `ip netns exec ${ns} sleep 30`, 'echo next'], { perLineTimeoutMs: 500 })
    expect(Date.now() - t0).toBeLessThan(10000)
    expect(r[1]).toMatchObject({ line: 2, exitCode: 124, timedOut: true })
    expect(r[2]).toMatchObject({ exitCode: 0, stdout: 'next\n' })
    expect(currentNetns()).not.toContain(ns)
  })

  it.skipIf(needsKernel)('stops at the overall timeout, reports the rest as not run, and tears down', async () => {
    const ns = `${P}ov`
    const r = await runOnKernel([`ip netns add ${ns}`, 'sleep 30', 'echo never'], { timeoutMs: 800, perLineTimeoutMs: 30000 })
    expect(r).toHaveLength(3)
    expect(r[1]).toMatchObject({ exitCode: 124, timedOut: true })
    expect(r[2]).toMatchObject({ line: 3, exitCode: 124, stdout: '', timedOut: true, notRun: true })
    expect(currentNetns()).not.toContain(ns)
  })

  it.skipIf(needsKernel)('does not wait for background jobs a line leaves behind, and kills them at teardown', async () => {
    const ns = `${P}bg`
    const t0 = Date.now()
    const r = await runOnKernel([`ip netns add ${ns}`, `ip netns exec ${ns} sleep 60 &`, 'echo done'])
    expect(Date.now() - t0).toBeLessThan(10000)
    expect(r.map((x) => x.exitCode)).toEqual([0, 0, 0])
    expect(currentNetns()).not.toContain(ns)
  })

  it.skipIf(needsKernel)('withKernelLab deletes namespaces with its prefix even when fn throws', async () => {
    const prefix = `${P}wl-`
    await expect(withKernelLab(prefix, async () => {
      const r = await runOnKernel([`echo never-torn-down-by-runOnKernel`])
      expect(r[0].exitCode).toBe(0)
      const { spawnSync } = await import('node:child_process')
      expect(spawnSync('ip', ['netns', 'add', `${prefix}x`]).status).toBe(0)
      expect(spawnSync('ip', ['netns', 'add', `${prefix}y`]).status).toBe(0)
      expect(currentNetns()).toContain(`${prefix}x`)
      throw new Error('boom')
    })).rejects.toThrow('boom')
    expect(currentNetns().filter((n) => n.startsWith(prefix))).toEqual([])
  })

  it.skipIf(needsKernel)('withKernelLab returns the value of fn and refuses prefixes outside rk-', async () => {
    await expect(withKernelLab(`${P}ok-`, async () => 42)).resolves.toBe(42)
    await expect(withKernelLab('pod-', async () => 1)).rejects.toThrow('rk-')
  })
})

describe('kernel harness on a command file (fixtures/two-pods-bridge.sh)', () => {
  it.skipIf(needsKernel)('reproduces the documented outputs of a small bridge lab and cleans up', async () => {
    const { readFileSync } = await import('node:fs')
    const file = new URL('./fixtures/two-pods-bridge.sh', import.meta.url)
    const lines = readFileSync(file, 'utf8').split('\n')
    const r = await runOnKernel(lines, { timeoutMs: 60000 })
    // The last result for a command (the fixture runs `route add default` twice on purpose).
    const at = (command: string) => {
      const hit = [...r].reverse().find((x) => x.command === command)
      if (!hit) throw new Error('no result for ' + command)
      return hit
    }
    // All setup lines succeed; comment and blank lines are not reported.
    expect(r.every((x) => !x.command.startsWith('#') && x.command !== '')).toBe(true)
    expect(r[0]).toMatchObject({ line: 3, command: 'ip netns add rk-fx-node', exitCode: 0 })
    expect(at('ip -n rk-fx-pod1 route show').stdout).toBe(
      'default via 10.244.1.1 dev eth0 \n' +
      '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n')
    expect(at('ip -n rk-fx-pod1 route get 10.244.1.3').stdout).toBe(
      '10.244.1.3 dev eth0 src 10.244.1.2 uid 0 \n    cache \n')
    expect(at('ip -n rk-fx-node -br link show master cbr0').stdout).toBe(
      'veth1@if2        UP             02:00:00:0b:01:02 <BROADCAST,MULTICAST,UP,LOWER_UP> \n' +
      'veth2@if2        UP             02:00:00:0b:01:03 <BROADCAST,MULTICAST,UP,LOWER_UP> \n')
    const ping = at('ip netns exec rk-fx-pod1 ping -c 1 -W 2 10.244.1.3')
    expect(ping.exitCode).toBe(0)
    expect(ping.stdout).toMatch(/^PING 10\.244\.1\.3 \(10\.244\.1\.3\) 56\(84\) bytes of data\.\n64 bytes from 10\.244\.1\.3: icmp_seq=1 ttl=64 time=\d+\.\d+ ms\n\n--- 10\.244\.1\.3 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/)
    expect(at('ip -n rk-fx-pod1 neigh show 10.244.1.3').stdout).toBe('10.244.1.3 dev eth0 lladdr 02:00:00:0a:01:03 REACHABLE \n')
    expect(at('ip -n rk-fx-pod1 route add default via 10.244.1.1')).toMatchObject({ exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' })
    expect(at('ip -n rk-fx-pod1 route add 10.9.0.0/16 via 192.168.9.1')).toMatchObject({ exitCode: 2, stderr: 'Error: Nexthop has invalid gateway.\n' })
    expect(currentNetns().filter((n) => n.startsWith('rk-fx-'))).toEqual([])
  })
})
