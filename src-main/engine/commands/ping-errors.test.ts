import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { NS_PER_MS } from '../kernel/scheduler.ts'
import { run } from './index.ts'

/**
 * ping's exit on errors, as iputils 20221126 does it (test/kernel/fixtures/ping-deadline.sh
 * compares the same cases with the kernel): with a deadline (-w) the first error read ends it,
 * after the errors that arrived together with it; -c and -W alone go on until the count of
 * answers and errors. A failed sendmsg is counted and printed nowhere.
 */
function lab(): World {
  const w = new World({ seed: 7 })
  for (const l of [
    'ip netns add a', 'ip netns add r', 'ip netns add b', 'ip netns add c',
    'ip -n a link add eth0 type veth peer name eth0 netns r',
    'ip -n b link add eth0 type veth peer name eth1 netns r',
    'ip -n c link add eth0 type veth peer name eth2 netns r',
    'ip -n r addr add 10.36.0.254/24 dev eth2', 'ip -n c addr add 10.36.0.1/24 dev eth0',
    'ip -n r link set eth2 up', 'ip -n c link set eth0 up', 'ip -n c route add default via 10.36.0.254',
    'ip -n a addr add 10.31.0.1/24 dev eth0', 'ip -n r addr add 10.31.0.254/24 dev eth0',
    'ip -n r addr add 10.32.0.254/24 dev eth1', 'ip -n b addr add 10.32.0.1/24 dev eth0',
    'ip -n a link set eth0 up', 'ip -n r link set eth0 up', 'ip -n r link set eth1 up', 'ip -n b link set eth0 up',
    'ip -n a link set lo up', 'ip -n r link set lo up',
    'ip netns exec r sysctl -w net.ipv4.ip_forward=1',
    'ip -n a route add default via 10.31.0.254', 'ip -n b route add default via 10.32.0.254',
    'ip -n r route add unreachable 10.35.0.0/16',
  ]) {
    const r = run(w, l)
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.stderr}`)
  }
  return w
}

const froms = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('From '))
const stats = (out: string): string => out.split('\n').find((l) => l.includes('packets transmitted')) ?? ''

/** Runs a ping and tells how much simulated time it took, in ms. */
function timed(w: World, cmd: string): { exitCode: number; stdout: string; stderr: string; ms: number } {
  const t0 = w.sched.now
  const r = run(w, cmd)
  return { ...r, ms: (w.sched.now - t0) / NS_PER_MS }
}

describe('ping: errors and the deadline', () => {
  it('-w stops at the first error a router sends; -c with -W goes on to its count', () => {
    const w = lab()
    const quiet = run(w, 'ip netns exec a ping -q -w 3 10.33.0.1')
    expect(quiet.stdout).not.toContain('From ')
    expect(stats(quiet.stdout)).toMatch(/^1 packets transmitted, 0 received, \+1 errors/)
    const dl = timed(w, 'ip netns exec a ping -w 3 10.33.0.1')
    expect(froms(dl.stdout)).toEqual(['From 10.31.0.254 icmp_seq=1 Destination Net Unreachable'])
    expect(stats(dl.stdout)).toMatch(/^1 packets transmitted, 0 received, \+1 errors, 100% packet loss, time 0ms$/)
    expect(dl.exitCode).toBe(1)
    expect(dl.ms).toBeLessThan(100)
    const both = run(w, 'ip netns exec b ping -c 3 -w 3 10.33.0.1')
    expect(stats(both.stdout)).toMatch(/^1 packets transmitted, 0 received, \+1 errors/)
    const count = run(w, 'ip netns exec c ping -c 2 -i 0.5 -W 1 10.33.0.1')
    expect(froms(count.stdout)).toHaveLength(2)
    expect(stats(count.stdout)).toMatch(/^2 packets transmitted, 0 received, \+2 errors/)
  })

  it('-w reads all the errors an ARP failure sends at once (pipe N), then stops without sending more', () => {
    const w = lab()
    const local = timed(w, 'ip netns exec a ping -c 10 -w 6 -i 0.7 10.31.0.98')
    expect(froms(local.stdout)).toEqual([1, 2, 3, 4, 5].map((s) => `From 10.31.0.1 icmp_seq=${s} Destination Host Unreachable`))
    expect(stats(local.stdout)).toMatch(/^5 packets transmitted, 0 received, \+5 errors, 100% packet loss, time 2800ms$/)
    expect(local.stdout).toMatch(/\npipe 5\n$/)
    expect(local.exitCode).toBe(1)
    expect(local.ms).toBeGreaterThan(3000)
    expect(local.ms).toBeLessThan(3200)
    const routed = run(w, 'ip netns exec b ping -w 5 -i 0.7 10.31.0.99')
    expect(froms(routed.stdout)).toHaveLength(5)
    expect(froms(routed.stdout)[0]).toBe('From 10.32.0.254 icmp_seq=1 Destination Host Unreachable')
    expect(stats(routed.stdout)).toMatch(/^5 packets transmitted, 0 received, \+5 errors/)
  })

  it('without -w, an ARP failure ends ping only when errors reach the count', () => {
    const w = lab()
    const r = run(w, 'ip netns exec a ping -c 3 -W 2 10.31.0.97')
    expect(froms(r.stdout)).toHaveLength(3)
    expect(stats(r.stdout)).toMatch(/^3 packets transmitted, 0 received, \+3 errors/)
  })

  it('a local error (-M do) counts as an error: -w ends after one receive wait', () => {
    const w = lab()
    const r = timed(w, 'ip netns exec a ping -M do -s 2000 -w 3 10.32.0.1')
    expect(r.stderr).toBe('ping: local error: message too long, mtu=1500\n')
    expect(stats(r.stdout)).toMatch(/^1 packets transmitted, 0 received, \+1 errors, 100% packet loss, time 0ms$/)
    expect(r.ms).toBeGreaterThanOrEqual(1000)
    expect(r.ms).toBeLessThan(1100)
  })

  it('with -I ADDRESS there is no probe connect: each failing sendmsg is counted silently', () => {
    const w = lab()
    const none = run(w, 'ip netns exec r ping -I 10.31.0.254 -w 2 -i 0.7 10.34.0.1')
    expect(none).toMatchObject({ exitCode: 1, stderr: '' })
    expect(none.stdout).toMatch(/^PING 10\.34\.0\.1 \(10\.34\.0\.1\) from 10\.31\.0\.254 : 56\(84\) bytes of data\.\n/)
    expect(stats(none.stdout)).toBe('3 packets transmitted, 0 received, 100% packet loss, time 1400ms')
    const unreachable = run(w, 'ip netns exec r ping -I 10.31.0.254 -c 2 -i 0.5 -W 1 10.35.0.1')
    expect(unreachable).toMatchObject({ exitCode: 1, stderr: '' })
    expect(stats(unreachable.stdout)).toBe('2 packets transmitted, 0 received, 100% packet loss, time 500ms')
    expect(run(w, 'ip netns exec r ping -w 2 10.34.0.1')).toMatchObject({ exitCode: 2, stdout: '', stderr: 'ping: connect: Network is unreachable\n' })
    expect(run(w, 'ip netns exec r ping -c 1 10.35.0.1')).toMatchObject({ exitCode: 2, stderr: 'ping: connect: No route to host\n' })
  })
})
