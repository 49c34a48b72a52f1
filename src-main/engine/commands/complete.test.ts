import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { complete, wordsAtCursor } from './complete.ts'
import { run } from './index.ts'

/** Two namespaces joined by a veth pair, a bridge in one, an address each. */
function lab(): World {
  const w = new World({ seed: 1 })
  for (const line of [
    'ip netns add node1',
    'ip netns add pod1',
    'ip -n node1 link add cbr0 type bridge',
    'ip -n node1 link add veth1 type veth peer name eth0 netns pod1',
    'ip -n node1 link set veth1 master cbr0',
    'ip -n node1 addr add 10.244.1.1/24 dev cbr0',
    'ip -n pod1 addr add 10.244.1.2/24 dev eth0',
    'ip -n node1 link set cbr0 up',
    'ip -n node1 link set veth1 up',
    'ip -n pod1 link set eth0 up',
    'ip -n pod1 route add default via 10.244.1.1',
  ])
    expect(run(w, line).stderr).toBe('')
  return w
}

function c(w: World, line: string, ns = 'node1', cursor = line.length) {
  return complete(w, w.netns(ns)!, line, cursor)
}

describe('completion', () => {
  const w = lab()

  it('finds the word at the cursor and the words of its command before it', () => {
    expect(wordsAtCursor('ip r')).toEqual({ words: ['ip'], cur: 'r', from: 3, quoted: false })
    expect(wordsAtCursor('ip a; ip route ')).toEqual({ words: ['ip', 'route'], cur: '', from: 15, quoted: false })
    expect(wordsAtCursor("echo 'a b")).toMatchObject({ quoted: true })
  })

  it('completes programs, ip objects and verbs as the issue asks: ip r → route, ip ro sh → show', () => {
    expect(c(w, 'tcp')).toEqual({ from: 0, candidates: ['tcpdump'] })
    expect(c(w, 'ip r')).toEqual({ from: 3, candidates: ['route'] })
    expect(c(w, 'ip ro sh')).toEqual({ from: 6, candidates: ['show'] })
    expect(c(w, 'ip n').candidates).toEqual(['neigh', 'netns'])
    expect(c(w, 'ip ').candidates).toEqual(['address', 'link', 'neigh', 'netns', 'route'])
    expect(c(w, 'ip route ').candidates).toEqual(['add', 'append', 'change', 'del', 'flush', 'get', 'prepend', 'replace', 'show'])
    expect(c(w, 'ip -').candidates).toContain('-brief')
    // The cursor in the middle of a line: only what is before it counts.
    expect(c(w, 'ip r show', 'node1', 4)).toEqual({ from: 3, candidates: ['route'] })
  })

  it('offers devices, bridges, addresses, prefixes and neighbours of the namespace', () => {
    expect(c(w, 'ip link set ').candidates).toEqual(['cbr0', 'lo', 'veth1'])
    expect(c(w, 'ip link set veth1 ').candidates).toEqual(['address', 'alias', 'down', 'master', 'mtu', 'name', 'netns', 'nomaster', 'promisc', 'txqueuelen', 'up'])
    expect(c(w, 'ip link set veth1 master ').candidates).toEqual(['cbr0'])
    expect(c(w, 'ip a show dev ').candidates).toEqual(['cbr0', 'lo', 'veth1'])
    expect(c(w, 'ip addr del ').candidates).toEqual(['10.244.1.1/24'])
    expect(c(w, 'ip route del ', 'pod1').candidates).toEqual(['10.244.1.0/24', 'default'])
    // A gateway: on a subnet this namespace is on.
    expect(c(w, 'ip route add 10.9.0.0/16 via ').candidates).toEqual(['10.244.1.2'])
    expect(c(w, 'ip route add 10.9.0.0/16 via 10.244.1.2 d').candidates).toEqual(['dev'])
    expect(c(w, 'ip neigh add 10.244.1.2 lladdr 02:00:00:00:00:01 nud ').candidates).toContain('permanent')
    expect(c(w, 'ping 10.').candidates).toEqual(['10.244.1.1', '10.244.1.2'])
    expect(c(w, 'ping -I ', 'pod1').candidates).toEqual(['10.244.1.2', 'eth0', 'lo'])
    expect(c(w, 'tcpdump -i ').candidates).toEqual(['cbr0', 'lo', 'veth1'])
    expect(c(w, 'tcpdump -i cbr0 -n ').candidates).toContain('icmp')
    expect(c(w, 'brctl addif cbr0 ').candidates).toEqual(['lo', 'veth1'])
  })

  it('follows ip -n NS and ip netns exec NS into the namespace', () => {
    expect(c(w, 'ip -n ').candidates).toEqual(['node1', 'pod1'])
    expect(c(w, 'ip -n pod1 link set ').candidates).toEqual(['eth0', 'lo'])
    expect(c(w, 'ip netns exec p').candidates).toEqual(['pod1'])
    expect(c(w, 'ip netns exec pod1 ').candidates).toContain('ping')
    expect(c(w, 'ip netns exec pod1 ip link set ').candidates).toEqual(['eth0', 'lo'])
    expect(c(w, 'timeout 5 tcpdump -i ', 'pod1').candidates).toEqual(['eth0', 'lo'])
    expect(c(w, 'ip a; ip netns exec pod1 ip r').candidates).toEqual(['route'])
  })

  it('completes sysctl keys a dot at a time, and KEY= with -w', () => {
    expect(c(w, 'sysctl net.ipv4.ip_f')).toEqual({ from: 7, candidates: ['net.ipv4.ip_forward'] })
    expect(c(w, 'sysctl net.ipv4.co')).toEqual({ from: 7, candidates: ['net.ipv4.conf.'], noSpace: true })
    expect(c(w, 'sysctl net.ipv4.conf.').candidates).toEqual(['net.ipv4.conf.all.', 'net.ipv4.conf.cbr0.', 'net.ipv4.conf.default.', 'net.ipv4.conf.lo.', 'net.ipv4.conf.veth1.'])
    expect(c(w, 'sysctl -w net.ipv4.ip_forw')).toEqual({ from: 10, candidates: ['net.ipv4.ip_forward='], noSpace: true })
    expect(c(w, 'sysctl -w net.ipv4.ip_forward=').candidates).toEqual(['net.ipv4.ip_forward=0', 'net.ipv4.ip_forward=1'])
  })

  it('offers nothing where nothing is known: unknown programs, values, quoted words', () => {
    expect(c(w, 'foo ').candidates).toEqual([])
    expect(c(w, 'ip link set veth1 mtu ').candidates).toEqual([])
    expect(c(w, 'ip link add ').candidates).toEqual([])
    expect(c(w, "echo 'x").candidates).toEqual([])
    expect(c(w, 'ip netns exec nosuch ip ').candidates).toEqual([])
  })
})

describe('completion of arping', () => {
  it('offers the devices after -I and the neighbours and on-link addresses as the target', () => {
    const w = lab()
    expect(complete(w, w.netns('pod1')!, 'arping -I ', 10).candidates).toEqual(['eth0', 'lo'])
    expect(complete(w, w.netns('pod1')!, 'arping -c 1 10', 14).candidates).toEqual(['10.244.1.1'])
  })
})
