import { describe, expect, it } from 'vitest'
import { run } from '../../src-main/engine/commands/index.ts'
import { parseDuration } from '../../src-main/engine/commands/builtins.ts'
import { SeqTable } from '../../src-main/engine/commands/ping.ts'
import { MAX_CLOCK_NS, MAX_COMMAND_NS } from '../../src-main/engine/kernel/budget.ts'
import { NS_PER_SEC } from '../../src-main/engine/kernel/scheduler.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { parseLab } from '../../src-main/lab/format.ts'
import { instantiate, withinLoadBound } from '../../src-main/lab/lab.ts'
import { LabSession } from '../../src-main/lab/session.ts'

/** The lab of the report: a few hundred bytes whose history used to hang podnet and Open. */
const SMALL_LAB = `apiVersion: podnet.dev/v1
kind: Lab
metadata: { name: hang }
spec:
  commands:
    - ip netns add a
    - ip -n a link set lo up
    - ip netns exec a ping -q -c 9223372036854775807 127.0.0.1
    - ip netns exec a ping -q -w 2147483647 127.0.0.1
    - sleep 100000000000000000000
    - ip netns exec a timeout 100000000d tcpdump -i lo
    - ip netns exec a ping -c 1 -s 2147483647 127.0.0.1
`

const STOPPED = `podnet: stopped after ${MAX_COMMAND_NS / NS_PER_SEC} s of simulated time, the most one command may take\n`

describe('bounded work per command and per lab', () => {
  it('opens the small lab that used to hang (its observations are not replayed); typed, each long command stops where the bound is and says so', () => {
    expect(SMALL_LAB.length).toBeLessThan(700)
    const t = Date.now()
    const rt = instantiate(parseLab(SMALL_LAB))
    expect(Date.now() - t).toBeLessThan(20_000)
    // A lab is its changes: the pings, the sleep and the capture of an older file are skipped.
    expect(rt.history.map((h) => h.run)).toEqual(['ip netns add a', 'ip -n a link set lo up'])
    for (const r of rt.results.slice(2)) expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '', effect: 'observe' })
    const w = new World()
    const lines = SMALL_LAB.split('\n').filter((l) => l.startsWith('    - ')).map((l) => l.slice(6))
    const [, , pingC, pingW, sleep, capture, big] = lines.map((l) => run(w, l))
    for (const r of [pingC, pingW, sleep, capture]) {
      expect(r.exitCode).toBe(124)
      expect(r.stderr.endsWith(STOPPED)).toBe(true)
    }
    // An interrupted ping still prints its statistics, as one stopped by Ctrl+C does.
    expect(pingC.stdout).toMatch(/\n3601 packets transmitted, 3601 received, 0% packet loss, time 3600000ms\n/)
    expect(big).toEqual({ exitCode: 1, stdout: '', stderr: "ping: invalid -s value: '2147483647': out of range: 0 <= value <= 65507\n" })
    // Four hours and the commands' pauses: the clock stays a whole number of nanoseconds.
    expect(w.sched.now).toBeLessThan(5 * 3600 * NS_PER_SEC)
    expect(Number.isSafeInteger(w.sched.now)).toBe(true)
  })

  it('refuses what iputils and coreutils refuse, with their words', () => {
    const w = new World()
    run(w, 'ip netns add a; ip -n a link set lo up')
    expect(run(w, 'ip netns exec a ping -c 1 -s 65508 127.0.0.1').stderr).toBe("ping: invalid -s value: '65508': out of range: 0 <= value <= 65507\n")
    expect(run(w, 'ip netns exec a ping -c 1 -s 65507 127.0.0.1').stdout).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 65507\(65535\) bytes of data\.\n65515 bytes from 127\.0\.0\.1: icmp_seq=1 /)
    expect(run(w, 'ip netns exec a ping -c 1 -i 2147484 127.0.0.1')).toEqual({ exitCode: 2, stdout: '', stderr: 'ping: bad timing interval: 2147484\n' })
    expect(run(w, 'ip netns exec a ping -c 1 -W 2147484 127.0.0.1')).toEqual({ exitCode: 2, stdout: '', stderr: 'ping: bad linger time: 2147484\n' })
    expect(run(w, 'ip netns exec a ping -c 9223372036854775808 127.0.0.1').stderr).toBe("ping: invalid argument: '9223372036854775808': out of range: 1 <= value <= 9223372036854775807\n")
    expect(run(w, 'ip netns exec a ping -w 2147483648 127.0.0.1').stderr).toBe("ping: invalid argument: '2147483648': out of range: 0 <= value <= 2147483647\n")
    expect(run(w, 'sleep nan')).toEqual({ exitCode: 1, stdout: '', stderr: "sleep: invalid time interval 'nan'\nTry 'sleep --help' for more information.\n" })
    expect(run(w, 'sleep -1')).toEqual({ exitCode: 1, stdout: '', stderr: "sleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n" })
    expect(run(w, 'sleep x 1y')).toEqual({ exitCode: 1, stdout: '', stderr: "sleep: invalid time interval 'x'\nsleep: invalid time interval '1y'\nTry 'sleep --help' for more information.\n" })
    expect(run(w, 'timeout')).toEqual({ exitCode: 125, stdout: '', stderr: "Try 'timeout --help' for more information.\n" })
    expect(run(w, 'timeout -1 true')).toEqual({ exitCode: 125, stdout: '', stderr: "timeout: invalid option -- '1'\nTry 'timeout --help' for more information.\n" })
    expect(run(w, 'timeout 1x true')).toEqual({ exitCode: 125, stdout: '', stderr: "timeout: invalid time interval '1x'\nTry 'timeout --help' for more information.\n" })
  })

  it('reads durations as coreutils does (strtod and one unit)', () => {
    expect([' 1.5', '+2', '1e3', '0x10', '0x.8p1', '1m', '2h', '.5d', 'inf', 'INFINITY', '-0'].map(parseDuration)).toEqual([1.5, 2, 1000, 16, 1, 60, 7200, 43200, Infinity, Infinity, 0])
    for (const bad of ['', 'nan', '-1', '1ss', '1 s', 'x', '1e', '0x', '1.2.3']) expect(parseDuration(bad), bad).toBeNull()
    const w = new World()
    const t = w.sched.now
    expect(run(w, 'sleep 1e-3 0x1p-10s').exitCode).toBe(0)
    expect(w.sched.now - t).toBe(1_000_000 + 976_563 + 2_000_000)
  })

  it('stops at the clock limit of a lab', () => {
    const w = new World()
    let r = run(w, 'true')
    for (let i = 0; i < 30 * 24 && r.exitCode !== 124; i++) r = run(w, 'sleep 3600')
    // Each sleep takes its hour until the 30-day clock is reached.
    expect(run(w, 'sleep 10').stderr).toBe("podnet: stopped: the lab's clock has reached 30 days, the most a lab may run\n")
    expect(w.sched.now).toBeLessThan(MAX_CLOCK_NS + 1e9)
  })

  it('stops a whole lab at its bound of events, and a session keeps nothing past it', () => {
    const w = new World()
    run(w, 'ip netns add a; ip -n a link set lo up')
    const r = withinLoadBound(w, () => run(w, 'ip netns exec a ping -q -c 100000 -i 0.01 127.0.0.1'), 20_000)
    expect(r.exitCode).toBe(124)
    expect(r.stderr).toBe('podnet: stopped: the lab has run 20000 simulation events since it was built, the most a lab may take to open\n')
    expect(w.sched.eventCount).toBeLessThanOrEqual(20_000)
  })

  it('counts replies past 65,536 echoes, as icmp_seq wraps', () => {
    const t = new SeqTable()
    t.set(5)
    expect(t.has(5)).toBe(true)
    expect(t.has(5 + 0x10000)).toBe(true)
    // Sending seq 65541 (= 5 after the wrap) clears the bit, so its reply is not a duplicate.
    t.clear(5 + 0x10000)
    expect(t.has(5)).toBe(false)
    const w = new World()
    run(w, 'ip netns add a; ip -n a link set lo up')
    const n = process.env.PODNET_LONG === '1' ? 70_000 : 0
    if (n) expect(run(w, `ip netns exec a ping -q -c ${n} -i 0.01 127.0.0.1`).stdout).toContain(`${n} packets transmitted, ${n} received, 0% packet loss`)
  })
})

describe('broadcast storms', () => {
  /** Two bridges joined by `links` veth pairs (a loop from two links on). */
  function loop(links: number): string[] {
    const lines = ['ip netns add a', 'ip netns add b', 'ip -n a link add br0 type bridge', 'ip -n b link add br0 type bridge']
    for (let i = 1; i <= links; i++) lines.push(`ip -n a link add l${i} type veth peer name l${i} netns b`, `ip -n a link set l${i} master br0`, `ip -n b link set l${i} master br0`, `ip -n a link set l${i} up`, `ip -n b link set l${i} up`)
    lines.push('ip -n a link set br0 up', 'ip -n b link set br0 up', 'ip -n a addr add 10.0.0.1/24 dev br0')
    return lines
  }

  it('shows a storm, says so, and keeps working', () => {
    const s = LabSession.fromText(`apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: storm }\nspec:\n  commands:\n${loop(3).map((l) => `    - ${l}`).join('\n')}\n`)
    const before = s.world.sched.eventCount
    const r = s.exec('ip netns exec a ping -c 1 -W 1 10.0.0.2')
    expect(r.stdout).toContain('1 packets transmitted, 0 received')
    expect(r.stderr).toMatch(/^podnet: broadcast storm: frames went round a loop of bridges \(seen at br0 in [ab](, br0 in [ab])?\); without STP Linux floods them forever, the lab dropped \d+ copies after 16 rounds\n$/)
    // Three links double every frame at each bridge: bounded here to a few thousand events.
    expect(s.world.sched.eventCount - before).toBeLessThan(20_000)
    // Breaking the loop ends the storm; the bridges forward again.
    s.exec('ip -n a link set l2 down')
    s.exec('ip -n a link set l3 down')
    s.exec('ip -n b addr add 10.0.0.2/24 dev br0')
    const ok = s.exec('ip netns exec a ping -c 1 -W 1 10.0.0.2')
    expect(ok.stdout).toContain('1 packets transmitted, 1 received')
    expect(ok.stderr).toBe('')
  })

  it('a loop through three bridges storms too; one path does not', () => {
    const w = new World()
    const cmds = ['a', 'b', 'c'].flatMap((n) => [`ip netns add ${n}`, `ip -n ${n} link add br0 type bridge`, `ip -n ${n} link set br0 up`])
    for (const [x, y] of [['a', 'b'], ['b', 'c'], ['c', 'a']]) cmds.push(`ip -n ${x} link add ${x}${y} type veth peer name ${y}${x} netns ${y}`, `ip -n ${x} link set ${x}${y} master br0 up`, `ip -n ${y} link set ${y}${x} master br0 up`)
    for (const c of cmds) expect(run(w, c).exitCode, c).toBe(0)
    run(w, 'ip -n a addr add 10.0.0.1/24 dev br0')
    expect(run(w, 'ip netns exec a ping -c 1 -W 1 10.0.0.9').stderr).toMatch(/broadcast storm/)
    run(w, 'ip -n c link set ca down')
    expect(run(w, 'ip netns exec a ping -c 1 -W 1 10.0.0.9').stderr).toBe('')
  })
})
