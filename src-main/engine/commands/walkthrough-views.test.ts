import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { run } from './index.ts'

/**
 * Detail, statistics and JSON views of a flannel node (walkthrough 3), as Linux 6.18 with
 * iproute2 6.1 prints them (test/kernel/fixtures/walkthrough-views.sh compares them with the kernel).
 */
function lab(): World {
  const w = new World({ seed: 3 })
  for (const l of [
    'ip netns add n1',
    'ip netns add p1',
    'ip -n n1 link add eth0 address 02:00:00:00:01:11 type veth peer name eth9 address 02:00:00:00:01:19',
    'ip -n n1 addr add 192.168.0.11/24 dev eth0',
    'ip -n n1 link set eth0 up',
    'ip -n n1 link set eth9 up',
    'ip netns exec n1 sysctl -w net.ipv4.ip_forward=1',
    'ip -n n1 link add cbr0 address 02:00:00:0a:01:01 type bridge',
    'ip -n n1 addr add 10.244.1.1/24 dev cbr0',
    'ip -n n1 link set cbr0 up',
    'ip -n p1 link add eth0 address 02:00:00:0a:01:02 type veth peer name veth1 address 02:00:00:0b:01:02 netns n1',
    'ip -n n1 link set veth1 master cbr0',
    'ip -n n1 link set veth1 up',
    'ip -n p1 addr add 10.244.1.2/24 dev eth0',
    'ip -n p1 link set eth0 up',
    'ip -n p1 route add default via 10.244.1.1',
    'ip -n n1 link add flannel.1 address 02:00:00:f1:00:01 type vxlan id 1 local 192.168.0.11 dev eth0 dstport 8472 nolearning',
    'ip -n n1 addr add 10.244.1.0/32 dev flannel.1',
    'ip -n n1 link set flannel.1 up',
    'ip -n n1 route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
  ]) {
    const r = run(w, l)
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.stderr}`)
  }
  return w
}

const out = (w: World, line: string): string => run(w, line).stdout

describe('walkthrough views: detail, statistics and JSON forms', () => {
  it('ip -d route shows type, protocol and scope; -d route get the type and table', () => {
    const w = lab()
    expect(out(w, 'ip -n n1 -d route')).toBe(
      'unicast 10.244.1.0/24 dev cbr0 proto kernel scope link src 10.244.1.1 \n' +
        'unicast 10.244.2.0/24 via 10.244.2.0 dev flannel.1 proto boot scope global onlink \n' +
        'unicast 192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.11 \n',
    )
    expect(out(w, 'ip -n p1 -j -d route')).toBe(
      '[{"type":"unicast","dst":"default","gateway":"10.244.1.1","dev":"eth0","protocol":"boot","scope":"global","flags":[]},{"type":"unicast","dst":"10.244.1.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"10.244.1.2","flags":[]}]\n',
    )
    expect(out(w, 'ip -n n1 -d route get 10.244.2.2')).toBe('unicast 10.244.2.2 via 10.244.2.0 dev flannel.1 table main src 10.244.1.0 uid 0 \n    cache \n')
    // Without -d nothing changes.
    expect(out(w, 'ip -n n1 route get 10.244.2.2')).toBe('10.244.2.2 via 10.244.2.0 dev flannel.1 src 10.244.1.0 uid 0 \n    cache \n')
  })

  it('ip -d addr has the link details without addrgenmode', () => {
    const w = lab()
    expect(out(w, 'ip -n n1 -d addr show dev flannel.1').split('\n').slice(1, 3)).toEqual([
      '    link/ether 02:00:00:f1:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
      '    vxlan id 1 local 192.168.0.11 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
    ])
    expect(out(w, 'ip -n n1 -d -j addr show dev flannel.1')).toContain(
      '"broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":1,"local":"192.168.0.11","link":"eth0","port_range":{"low":0,"high":0},"port":8472,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,"udp_zero_csum6_rx":false}},"num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536,"addr_info":[',
    )
  })

  it('bridge link names the peer by its ifindex in this namespace (no netns id), with -d the port flags', () => {
    const w = lab()
    // veth1's peer is ifindex 2 in p1; in n1, ifindex 2 is eth9.
    expect(out(w, 'bridge -n n1 link')).toBe('5: veth1@eth9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master cbr0 state forwarding priority 32 cost 2 \n')
    expect(out(w, 'bridge -n n1 -d link').split('\n')[1]).toBe(
      '    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off ',
    )
    expect(out(w, 'bridge -n n1 -j link')).toBe(
      '[{"ifindex":5,"link":"eth9","ifname":"veth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"cbr0","state":"forwarding","priority":32,"cost":2}]\n',
    )
  })

  it('a VXLAN device counts the inner packet without its Ethernet header; -s -s adds the error lines and carrier changes', () => {
    const w = lab()
    const before = out(w, 'ip -n n1 -j -s link show flannel.1')
    const tx0 = (JSON.parse(before) as { stats64: { tx: { bytes: number; packets: number } } }[])[0].stats64.tx
    run(w, 'bridge -n n1 fdb append 02:00:00:f1:00:02 dev flannel.1 dst 192.168.0.12 self permanent')
    run(w, 'ip -n n1 neigh replace 10.244.2.0 lladdr 02:00:00:f1:00:02 dev flannel.1 nud permanent')
    run(w, 'ip netns exec p1 ping -c 1 -W 1 10.244.2.2')
    const tx1 = (JSON.parse(out(w, 'ip -n n1 -j -s link show flannel.1')) as { stats64: { tx: { bytes: number; packets: number } } }[])[0].stats64.tx
    expect([tx1.packets - tx0.packets, tx1.bytes - tx0.bytes]).toEqual([1, 84])
    // A veth pair: carrier off when made (1), on when both ends are up (2), off when one goes down (3).
    run(w, 'ip -n n1 link add q1 mtu 1000 type veth peer name q2 mtu 1000')
    const transns = (): string[] => ['q1', 'q2'].map((d) => out(w, `ip -n n1 -s -s link show ${d}`).split('\n')[9])
    expect(out(w, 'ip -n n1 -s -s link show q1').split('\n').slice(2)).toEqual([
      '    RX:  bytes packets errors dropped  missed   mcast           ',
      '             0       0      0       0       0       0 ',
      '    RX errors:  length    crc   frame    fifo overrun',
      '                     0      0       0       0       0 ',
      '    TX:  bytes packets errors dropped carrier collsns           ',
      '             0       0      0       0       0       0 ',
      '    TX errors: aborted   fifo  window heartbt transns',
      '                     0      0       0       0       1 ',
      '',
    ])
    run(w, 'ip -n n1 link set q1 up')
    expect(transns()).toEqual(['                     0      0       0       0       1 ', '                     0      0       0       0       1 '])
    run(w, 'ip -n n1 link set q2 up')
    expect(transns()).toEqual(['                     0      0       0       0       2 ', '                     0      0       0       0       2 '])
    run(w, 'ip -n n1 link set q2 down')
    expect(transns()).toEqual(['                     0      0       0       0       3 ', '                     0      0       0       0       3 '])
    expect(out(w, 'ip -n n1 -s -s -j link show q1')).toContain('"tx":{"bytes":0,"packets":0,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0,"aborted_errors":0,"fifo_errors":0,"window_errors":0,"heartbeat_errors":0,"carrier_changes":3}')
  })
})
