import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { run } from './index.ts'

/**
 * Differences from the kernel that the command fuzzer (test/kernel/command-fuzz.test.ts) found;
 * each expected answer is what Linux 6.18 with iproute2 6.1 printed for the same line
 * (test/kernel/fixtures/fuzz-findings.sh compares them with the kernel).
 */
function lab(): World {
  const w = new World({ seed: 3 })
  for (const l of [
    'ip netns add a',
    'ip -n a link add v0 address 02:00:00:0e:00:01 type veth peer name v1 address 02:00:00:0e:00:02',
    'ip -n a link add br0 type bridge',
  ]) {
    const r = run(w, l)
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.stderr}`)
  }
  return w
}

function answer(w: World, line: string): [number, string, string] {
  const r = run(w, line)
  return [r.exitCode, r.stdout, r.stderr]
}

describe('found by the command fuzzer', () => {
  it('a link-layer address is read as ll_addr_a2n reads it, and its length checked', () => {
    const w = lab()
    expect(answer(w, 'ip -n a link set v0 address 02:00:00:zz:00:01')).toEqual([1, '', '"zz" is invalid lladdr.\n'])
    expect(answer(w, 'ip -n a link set v0 address -1:00:00:00:00:01')).toEqual([1, '', '"-1" is invalid lladdr.\n'])
    expect(answer(w, 'ip -n a link set v0 address 100:00:00:00:00:01')).toEqual([1, '', '"100" is invalid lladdr.\n'])
    expect(answer(w, 'ip -n a link set v0 address 02:00:00:aa:00')).toEqual([1, '', 'Invalid address length 5 - must be 6 bytes\n'])
    expect(answer(w, 'ip -n a link set v0 address 02:00:00:aa:00:01:05')).toEqual([1, '', 'Invalid address length 7 - must be 6 bytes\n'])
    expect(answer(w, 'ip -n a link set v0 address 1.2.3.4')).toEqual([1, '', 'Invalid address length 4 - must be 6 bytes\n'])
    // sscanf("%x") reads `1g` as 1 and `0x2` as 2.
    expect(answer(w, 'ip -n a link set v0 address 2:0:0:a:0:1g')[0]).toBe(0)
    expect(answer(w, 'ip -n a -br link show v0')[1]).toContain(' 02:00:00:0a:00:01 ')
    expect(answer(w, 'ip -n a link set v0 address 0x2:00:00:aa:00:01')[0]).toBe(0)
    expect(answer(w, 'ip -n a -br link show v0')[1]).toContain(' 02:00:00:aa:00:01 ')
  })

  it('ip neigh: an unreadable lladdr is iproute2\'s error, a short one the kernel\'s', () => {
    const w = lab()
    expect(answer(w, 'ip -n a neigh add 10.0.0.9 lladdr 02:00:00:zz:00:01 dev v0')).toEqual([1, '', '"zz" is invalid lladdr.\n'])
    expect(answer(w, 'ip -n a neigh add 10.0.0.9 lladdr 1.2.3.4 dev v0')).toEqual([2, '', 'Error: Invalid link address.\n'])
    expect(answer(w, 'ip -n a neigh add 10.0.0.9 lladdr 02:00:00:aa:00 dev v0')).toEqual([2, '', 'Error: Invalid link address.\n'])
  })

  it('bridge fdb … master on a device that is no bridge port is not supported; a port refuses 00:00:00:00:00:00', () => {
    const w = lab()
    expect(answer(w, 'bridge -n a fdb add 02:00:00:00:00:01 dev v0 master')).toEqual([255, '', 'RTNETLINK answers: Operation not supported\n'])
    expect(answer(w, 'bridge -n a fdb append 02:00:00:00:00:01 dev v0 master permanent')).toEqual([255, '', 'RTNETLINK answers: Operation not supported\n'])
    run(w, 'ip -n a link set v0 master br0')
    expect(answer(w, 'bridge -n a fdb add 00:00:00:00:00:00 dev v0 master permanent')).toEqual([255, '', 'RTNETLINK answers: Invalid argument\n'])
    expect(answer(w, 'bridge -n a fdb append 02:00:00:00:00:01 dev v0 master permanent')[0]).toBe(0)
  })

  it('bridge fdb append|replace … self of an address the device has is accepted (only add is exclusive)', () => {
    const w = lab()
    expect(answer(w, 'bridge -n a fdb add 02:00:00:00:00:01 dev v0 self')[0]).toBe(0)
    expect(answer(w, 'bridge -n a fdb add 02:00:00:00:00:01 dev v0 self')).toEqual([255, '', 'RTNETLINK answers: File exists\n'])
    expect(answer(w, 'bridge -n a fdb append 02:00:00:00:00:01 dev v0 self')).toEqual([0, '', ''])
    expect(answer(w, 'bridge -n a fdb replace 02:00:00:00:00:01 dev v0 self')).toEqual([0, '', ''])
    expect(run(w, 'bridge -n a fdb show dev v0').stdout.split('\n').filter((l) => l.startsWith('02:00:00:00:00:01 ')).length).toBe(1)
  })

  it('ip route show|flush of a table the namespace never created fails as the dump does', () => {
    const w = lab()
    expect(answer(w, 'ip -n a route show table 100')).toEqual([2, '', 'Error: ipv4: FIB table does not exist.\nDump terminated\n'])
    expect(answer(w, 'ip -n a route flush table 100')).toEqual([2, '', 'Error: ipv4: FIB table does not exist.\nFlush terminated\n'])
    expect(answer(w, 'ip -n a route show table main')).toEqual([0, '', ''])
    run(w, 'ip -n a link set v0 up')
    expect(run(w, 'ip -n a route add 10.1.0.0/24 dev v0 table 100').exitCode).toBe(0)
    expect(run(w, 'ip -n a route del 10.1.0.0/24 dev v0 table 100').exitCode).toBe(0)
    // A table stays once created, also empty.
    expect(answer(w, 'ip -n a route show table 100')).toEqual([0, '', ''])
  })

  it('invarg prints its message and a newline, as iproute2 does (messages that end in one give a blank line)', () => {
    const w = lab()
    expect(answer(w, 'ip -n a route add 10.78.0.0/16 metric x')).toEqual([255, '', 'Error: argument "x" is wrong: "metric" value is invalid\n\n'])
    expect(answer(w, 'ip -n a addr show master nosuch0')).toEqual([255, '', 'Error: argument "nosuch0" is wrong: Device does not exist\n\n'])
  })

  it('a device kind Linux has and the lab does not model is named as not simulated', () => {
    const w = lab()
    const [code, , err] = answer(w, 'ip -n a link add d0 type dummy')
    expect(code).toBe(2)
    expect(err).toMatch(/"ip link add \.\.\. type dummy" is not simulated/)
    expect(answer(w, 'ip -n a link add d0 type foo')).toEqual([2, '', 'Error: Unknown device type.\n'])
  })

  it('ip route del: a prefix with host bits is refused, and a table that was never created is named', () => {
    const w = lab()
    run(w, 'ip -n a link set v0 up')
    expect(answer(w, 'ip -n a route del 10.1.0.0/24 dev v0')).toEqual([2, '', 'Error: FIB table does not exist.\n'])
    expect(answer(w, 'ip -n a route flush table main')).toEqual([2, '', 'Error: ipv4: FIB table does not exist.\nFlush terminated\n'])
    run(w, 'ip -n a addr add 10.1.0.1/24 dev v0')
    expect(answer(w, 'ip -n a route del 10.77.0.5/24')).toEqual([2, '', 'Error: Invalid prefix for given prefix length.\n'])
    expect(answer(w, 'ip -n a route del 10.1.0.0/24 table 100')).toEqual([2, '', 'Error: FIB table does not exist.\n'])
    expect(answer(w, 'ip -n a route del 10.9.0.0/24')).toEqual([2, '', 'RTNETLINK answers: No such process\n'])
  })

  it('ip route add … onlink without a gateway is refused before the device is looked at', () => {
    const w = lab()
    run(w, 'ip -n a link set v0 up')
    const msg = 'Error: Invalid flags for nexthop - PERVASIVE and ONLINK can not be set.\n'
    expect(answer(w, 'ip -n a route add 192.168.50.0/24 onlink')).toEqual([2, '', msg])
    expect(answer(w, 'ip -n a route add 192.168.50.0/24 dev v0 onlink')).toEqual([2, '', msg])
  })

  it('ip neigh change of a missing entry is ENOENT before any question about its address', () => {
    const w = lab()
    run(w, 'ip -n a link set v0 up')
    expect(answer(w, 'ip -n a neigh change 10.1.0.7 dev v0')).toEqual([2, '', 'RTNETLINK answers: No such file or directory\n'])
    expect(answer(w, 'ip -n a neigh replace 10.1.0.7 dev v0')).toEqual([2, '', 'Error: No link layer address given.\n'])
  })

  it('sysctl icmp_echo_ignore_* take 0 or 1 only', () => {
    const w = lab()
    expect(answer(w, 'ip netns exec a sysctl -w net.ipv4.icmp_echo_ignore_all=64')).toEqual([1, '', 'sysctl: setting key "net.ipv4.icmp_echo_ignore_all": Invalid argument\n'])
    expect(answer(w, 'ip netns exec a sysctl -w net.ipv4.icmp_echo_ignore_all=1')).toEqual([0, 'net.ipv4.icmp_echo_ignore_all = 1\n', ''])
  })

  it('ping -t 0 fails at setsockopt, after the probe connect found a route', () => {
    const w = lab()
    expect(answer(w, 'ip netns exec a ping -c 1 -t 0 10.9.0.1')).toEqual([2, '', 'ping: connect: Network is unreachable\n'])
    run(w, 'ip -n a link set v0 up')
    run(w, 'ip -n a addr add 10.1.0.1/24 dev v0')
    expect(answer(w, 'ip netns exec a ping -c 1 -t 0 10.1.0.2')).toEqual([2, '', 'ping: cannot set unicast time-to-live: Invalid argument\n'])
  })

  it('ping: a route that refuses with EACCES (prohibit) reads as a broadcast asked for without -b', () => {
    const w = lab()
    run(w, 'ip -n a link set v0 up')
    run(w, 'ip -n a route add prohibit 10.9.0.0/24')
    expect(answer(w, 'ip netns exec a ping -c 1 10.9.0.1')).toEqual([2, '', 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n'])
  })

  it('bridge fdb … self with a state other than permanent on a plain device is EINVAL, without a message of its own', () => {
    const w = lab()
    expect(answer(w, 'bridge -n a fdb add 02:00:00:aa:00:01 dev v0 self dynamic')).toEqual([255, '', 'RTNETLINK answers: Invalid argument\n'])
    expect(answer(w, 'bridge -n a fdb add 01:00:5e:00:00:01 dev v0 self static')).toEqual([255, '', 'RTNETLINK answers: Invalid argument\n'])
  })

  it('ping -I ADDRESS binds to any address in a namespace that never had a local table', () => {
    const w = lab()
    // inet_addr_type finds no local table: RTN_BROADCAST, which raw_bind accepts; each send then fails.
    expect(answer(w, 'ip netns exec a ping -c 2 -I 10.244.1.2 10.244.2.3')).toEqual([1, 'PING 10.244.2.3 (10.244.2.3) from 10.244.1.2 : 56(84) bytes of data.\n\n--- 10.244.2.3 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n\n', ''])
    run(w, 'ip -n a link set lo up')
    expect(answer(w, 'ip netns exec a ping -c 2 -I 10.244.1.2 10.244.2.3')).toEqual([2, '', 'ping: bind: Cannot assign requested address\n'])
  })

  it('a bridge made a port of a bridge, itself included, is ELOOP with the kernel\'s message', () => {
    const w = lab()
    expect(answer(w, 'ip -n a link set br0 master br0')).toEqual([2, '', 'Error: Can not enslave a bridge to a bridge.\n'])
    run(w, 'ip -n a link add br1 type bridge')
    expect(answer(w, 'ip -n a link set br1 master br0')).toEqual([2, '', 'Error: Can not enslave a bridge to a bridge.\n'])
    expect(answer(w, 'ip -n a link set lo master br0')).toEqual([2, '', 'RTNETLINK answers: Invalid argument\n'])
  })

  it('ip route get … oif DEV with no source to select prints no src', () => {
    const w = lab()
    run(w, 'ip -n a link set v0 up')
    expect(answer(w, 'ip -n a route get 10.9.0.1 oif v0')).toEqual([0, '10.9.0.1 dev v0 uid 0 \n    cache \n', ''])
  })

  /** v0/v1 (v1 a port of br0), addresses on v0 and br0, d0/d1 down (d1 a port, no address). */
  function filterLab(): World {
    const w = lab()
    for (const l of [
      'ip -n a link add d0 address 02:00:00:0e:00:06 type veth peer name d1 address 02:00:00:0e:00:07',
      'ip -n a link set v1 master br0', 'ip -n a link set d1 master br0',
      'ip -n a addr add 10.1.0.1/24 dev v0', 'ip -n a addr add 10.1.0.9/24 dev v0', 'ip -n a addr add 10.4.0.1/24 noprefixroute dev v0',
      'ip -n a addr add 10.3.0.1/24 dev br0', 'ip -n a addr add 10.5.0.1/24 dev d0',
      'ip -n a link set lo up', 'ip -n a link set v0 up', 'ip -n a link set v1 up', 'ip -n a link set br0 up',
    ]) run(w, l)
    w.advance(3e9)
    return w
  }

  it('ip addr show scope / flag / to filters: links whose addresses all fail are left out, links without any kept', () => {
    const w = filterLab()
    const names = (line: string): string[] => answer(w, line)[1].split('\n').filter((l) => /^\d+: /.test(l)).map((l) => l.split(':')[1].trim())
    expect(names('ip -n a addr show scope link')).toEqual(['v1@v0', 'v0@v1', 'br0@NONE'.replace('@NONE', ''), 'd1@d0'])
    expect(names('ip -n a addr show scope host')).toEqual(['lo', 'd1@d0'])
    expect(names('ip -n a addr show secondary')).toEqual(['v0@v1', 'd1@d0'])
    expect(names('ip -n a addr show dynamic')).toEqual(['d1@d0'])
    expect(names('ip -n a addr show to 10.1.0.0/16')).toEqual(['v0@v1'])
    expect(answer(w, 'ip -n a addr show noprefixroute')[1]).toContain('    inet 10.4.0.1/24 scope global noprefixroute v0\n')
    expect(answer(w, 'ip -n a addr show scope bogus')).toEqual([255, '', 'Error: argument "bogus" is wrong: invalid "scope"\n\n'])
    expect(answer(w, 'ip -n a addr show to 10.1.0.300/16')).toEqual([1, '', 'Error: any valid prefix is expected rather than "10.1.0.300/16".\n'])
    // label: the addresses alone, no link header.
    expect(answer(w, 'ip -n a -4 addr show label br*')[1]).toBe('    inet 10.3.0.1/24 scope global br0\n       valid_lft forever preferred_lft forever\n')
  })

  it('-j: a link the filters drop is {}, a filtered address {}, and a peer in the same namespace is "link"', () => {
    const w = filterLab()
    const j = JSON.parse(answer(w, 'ip -n a -j addr show up')[1]) as Record<string, unknown>[]
    expect(j.slice(-2)).toEqual([{}, {}])
    expect(j[1]).toMatchObject({ ifindex: 2, link: 'v0', ifname: 'v1' })
    const br = JSON.parse(answer(w, 'ip -n a -br -j -4 addr show dev v0')[1]) as unknown
    expect(br).toEqual([{ link: 'v1', ifname: 'v0', operstate: 'UP', addr_info: [{ local: '10.1.0.1', prefixlen: 24 }, { local: '10.4.0.1', prefixlen: 24 }, { local: '10.1.0.9', prefixlen: 24 }] }])
    const o = JSON.parse(answer(w, 'ip -n a -o -j -4 addr show dev d0')[1]) as unknown
    expect(o).toEqual([{ addr_info: [{ index: 6, dev: 'd0', family: 'inet', local: '10.5.0.1', prefixlen: 24, scope: 'global', label: 'd0', valid_life_time: 4294967295, preferred_life_time: 4294967295 }] }])
    const scoped = JSON.parse(answer(w, 'ip -n a -j addr show dev v0 scope link')[1]) as { addr_info: unknown[] }[]
    expect(scoped[0].addr_info.slice(0, 3)).toEqual([{}, {}, {}])
    // An IPv6 link message has no master: `-6 … master` lists nothing, `-6 -o … master` every address.
    expect(answer(w, 'ip -n a -6 addr show master br0')[1]).toBe('')
    expect(answer(w, 'ip -n a -6 -o addr show master br0')[1].split('\n').filter(Boolean).length).toBe(4)
  })

  it('lo takes a new address; a route out through lo is cache <local>; a bridge\'s own fdb entries are permanent', () => {
    const w = filterLab()
    expect(answer(w, 'ip -n a link set lo address 02:00:00:0f:00:09')).toEqual([0, '', ''])
    expect(answer(w, 'ip -n a -br link show lo')[1]).toBe('lo               UNKNOWN        02:00:00:0f:00:09 <LOOPBACK,UP,LOWER_UP> \n')
    expect(answer(w, 'ip -n a route get 10.1.0.5 oif lo')).toEqual([0, '10.1.0.5 dev lo src 10.1.0.1 uid 0 \n    cache <local> \n', ''])
    for (const st of ['dynamic', 'static', 'self dynamic']) {
      expect(answer(w, `bridge -n a fdb add 02:00:00:0f:00:aa dev br0 ${st}`)).toEqual([255, '', 'RTNETLINK answers: Invalid argument\n'])
    }
    expect(answer(w, 'bridge -n a fdb add 02:00:00:0f:00:ae dev br0')[0]).toBe(0)
    expect(answer(w, 'bridge -n a fdb show br br0')[1]).toContain('02:00:00:0f:00:ae dev br0 master br0 permanent\n')
  })

  it('ip route show table all lists the IPv6 link-local routes too, in the order the links became ready', () => {
    const w = lab()
    for (const l of ['ip -n a link set lo up', 'ip -n a link set v1 up', 'ip -n a link set v0 up']) run(w, l)
    // veth_open turns the opened device's carrier on first: v0, then v1.
    const before = answer(w, 'ip -n a route show table all')[1].split('\n').filter((l) => l.includes(':'))
    expect(before).toEqual([
      'fe80::/64 dev v0 proto kernel metric 256 pref medium',
      'fe80::/64 dev v1 proto kernel metric 256 pref medium',
      'local ::1 dev lo table local proto kernel metric 0 pref medium',
      'multicast ff00::/8 dev v0 table local proto kernel metric 256 pref medium',
      'multicast ff00::/8 dev v1 table local proto kernel metric 256 pref medium',
    ])
    w.advance(3e9)
    // Once DAD is over, each address's local route, in address order.
    expect(answer(w, 'ip -n a route show table all type local')[1].split('\n').filter((l) => l.includes(':'))).toEqual([
      'local ::1 dev lo table local proto kernel metric 0 pref medium',
      'local fe80::ff:fe0e:1 dev v0 table local proto kernel metric 0 pref medium',
      'local fe80::ff:fe0e:2 dev v1 table local proto kernel metric 0 pref medium',
    ])
    run(w, 'ip -n a link set v0 down')
    expect(answer(w, 'ip -n a route show table all dev v1')[1]).toBe('fe80::/64 proto kernel metric 256 linkdown pref medium\nlocal fe80::ff:fe0e:2 table local proto kernel metric 0 pref medium\nmulticast ff00::/8 table local proto kernel metric 256 linkdown pref medium\n')
    expect(answer(w, 'ip -n a -4 route show table all')[1]).not.toContain('fe80')
  })
})
