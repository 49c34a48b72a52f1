import { describe, expect, it } from 'vitest'
import { World } from './world.ts'
import { run } from '../commands/index.ts'

/** Regressions for differences the kernel conformance suite found (docs/conformance.md). */
function lab(lines: string[]): World {
  const w = new World({ seed: 1 })
  for (const l of lines) {
    const r = run(w, l)
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.stderr}`)
  }
  return w
}

describe('kernel conformance fixes', () => {
  it('brctl show prints nothing without bridges; route -n fails before the main table exists', () => {
    const w = lab(['ip netns add a'])
    expect(run(w, 'ip netns exec a brctl show')).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(run(w, 'ip netns exec a route -n').exitCode).toBe(1)
    run(w, 'ip -n a link set lo up')
    expect(run(w, 'ip netns exec a route -n').exitCode).toBe(0)
  })

  it('a veth without carrier whose peer lives in another namespace is DOWN, not LOWERLAYERDOWN', () => {
    const w = lab(['ip netns add a', 'ip netns add b', 'ip -n a link add eth0 type veth peer name p netns b', 'ip -n a link set eth0 up'])
    expect(run(w, 'ip -n a -br link show eth0').stdout).toMatch(/^eth0@if\d+\s+DOWN /)
    const same = lab(['ip netns add c', 'ip -n c link add x type veth peer name y', 'ip -n c link set x up'])
    expect(run(same, 'ip -n c -br link show x').stdout).toMatch(/LOWERLAYERDOWN/)
  })

  it('an MTU below 1280 stops IPv6 on the device and a usable one brings it back', () => {
    const w = lab(['ip netns add a', 'ip -n a link add x type veth peer name y', 'ip -n a link set x up', 'ip -n a link set y up', 'sleep 3'])
    expect(run(w, 'ip -n a addr show x').stdout).toContain('inet6 fe80::')
    run(w, 'ip -n a link set x mtu 1000')
    expect(run(w, 'ip -n a addr show x').stdout).not.toContain('inet6')
    expect(run(w, 'bridge -n a fdb show dev x').stdout).not.toContain('33:33:')
    run(w, 'ip -n a link set x mtu 1500')
    expect(run(w, 'ip -n a addr show x').stdout).toContain('inet6 fe80::')
  })

  it('a bridge whose last port left goes back to MTU 1500', () => {
    const w = lab(['ip netns add a', 'ip -n a link add br0 type bridge', 'ip -n a link add x mtu 1400 type veth peer name y', 'ip -n a link set x master br0'])
    expect(run(w, 'ip -n a link show br0').stdout).toContain('mtu 1400')
    run(w, 'ip -n a link del x')
    expect(run(w, 'ip -n a link show br0').stdout).toContain('mtu 1500')
  })

  it('a host accepts a redirect when it knows the new gateway, and ip route get shows it', () => {
    const w = lab([
      'ip netns add sw', 'ip netns add h', 'ip netns add r', 'ip netns add g',
      'ip -n sw link add br0 type bridge', 'ip -n sw link set br0 up',
      'ip -n h link add eth0 type veth peer name ph netns sw', 'ip -n r link add eth0 type veth peer name pr netns sw', 'ip -n g link add eth0 type veth peer name pg netns sw',
      'ip -n sw link set ph master br0', 'ip -n sw link set pr master br0', 'ip -n sw link set pg master br0',
      'ip -n sw link set ph up', 'ip -n sw link set pr up', 'ip -n sw link set pg up',
      'ip -n h addr add 192.168.0.11/24 dev eth0', 'ip -n r addr add 192.168.0.1/24 dev eth0', 'ip -n g addr add 192.168.0.12/24 dev eth0',
      'ip -n h link set eth0 up', 'ip -n r link set eth0 up', 'ip -n g link set eth0 up', 'ip -n g link set lo up',
      'ip -n g addr add 10.9.0.1/32 dev lo',
      'ip netns exec r sysctl -qw net.ipv4.ip_forward=1',
      'ip -n h route add default via 192.168.0.1', 'ip -n r route add 10.9.0.0/24 via 192.168.0.12',
      'ip -n g route add default via 192.168.0.1',
    ])
    run(w, 'ip netns exec h ping -c 1 -W 1 192.168.0.12')
    const p = run(w, 'ip netns exec h ping -c 1 -W 1 10.9.0.1')
    expect(p.stdout).toContain('From 192.168.0.1: icmp_seq=1 Redirect Host(New nexthop: 192.168.0.12)')
    expect(run(w, 'ip -n h route get 10.9.0.1').stdout).toBe('10.9.0.1 via 192.168.0.12 dev eth0 src 192.168.0.11 uid 0 \n    cache <redirected> expires 299sec \n')
  })
})
