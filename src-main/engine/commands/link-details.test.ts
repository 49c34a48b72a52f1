import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { run } from './index.ts'
import { compactJson, JsonRaw, prettyJson } from './json-out.ts'

/**
 * `ip -d link` and `ip -d -j link` of a bridge, its ports and lo, as Linux 6.18 with iproute2 6.1
 * prints them (test/kernel/fixtures/json.sh compares them with the kernel; the timers count down
 * in simulated time here).
 */
function lab(): World {
  const w = new World({ seed: 3 })
  for (const l of [
    'ip netns add a',
    'ip -n a link add br0 address 02:00:00:0a:01:01 type bridge',
    'ip -n a link add p1 address 02:00:00:0b:01:02 type veth peer name q1 address 02:00:00:0b:01:03',
    'ip -n a link add p2 address 02:00:00:0b:01:04 type veth peer name q2 address 02:00:00:0b:01:05',
    'ip -n a link set p1 master br0',
    'ip -n a link set p2 master br0',
    'ip -n a link set lo up',
    'ip -n a link set br0 up',
    'ip -n a link set q1 up',
    'ip -n a link set p1 up',
  ]) {
    const r = run(w, l)
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.stderr}`)
  }
  return w
}

/** The timers' values, and the text with each replaced by <t>. */
function timers(s: string): { text: string; t: Record<string, number> } {
  const t: Record<string, number> = {}
  const text = s.replace(/(\w+_timer)( +|":)(\d+\.\d\d)\b/g, (_m, k: string, sep: string, v: string) => {
    t[k] = Number(v)
    return `${k}${sep.startsWith('"') ? sep : ' '}<t>`
  })
  return { text, t }
}

function json(w: World, line: string): Record<string, unknown>[] {
  const r = run(w, line)
  expect(r.exitCode).toBe(0)
  return JSON.parse(r.stdout) as Record<string, unknown>[]
}

describe('ip -d link: a bridge, its ports and lo', () => {
  it('a bridge has br_fill_info in its linkinfo, with gc_timer counting down from 1/10 s after it opened', () => {
    const w = lab()
    run(w, 'sleep 3')
    const { text: out, t } = timers(run(w, 'ip -n a -d -j link show br0').stdout)
    // Commands take a little simulated time too: 3 s and a few jiffies after the bridge opened.
    expect(t.gc_timer).toBeGreaterThan(297.0)
    expect(t.gc_timer).toBeLessThanOrEqual(297.1)
    // The kernel's line for cbr0 (fixtures/json.sh), with the gc_timer of the same instant.
    expect(out).toContain(
      '"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_time":200,"max_age":2000,"ageing_time":30000,"stp_state":0,"priority":32768,"vlan_filtering":0,"bridge_id":"8000.2:0:0:a:1:1","root_id":"8000.2:0:0:a:1:1","root_port":0,"root_path_cost":0,"topology_change":0,"topology_change_detected":0,"hello_timer":<t>,"tcn_timer":<t>,"topology_change_timer":<t>,"gc_timer":<t>,"group_fwd_mask":"0","group_addr":"01:80:c2:00:00:00","mcast_snooping":1,"no_linklocal_learn":0,"mcast_vlan_snooping":0,"mcast_router":1,"mcast_query_use_ifaddr":0,"mcast_querier":0,"mcast_hash_elasticity":16,"mcast_hash_max":4096,"mcast_last_member_cnt":2,"mcast_startup_query_cnt":2,"mcast_last_member_intvl":100,"mcast_membership_intvl":26000,"mcast_querier_intvl":25500,"mcast_query_intvl":12500,"mcast_query_response_intvl":1000,"mcast_startup_query_intvl":3124,"mcast_stats_enabled":0,"mcast_igmp_version":2,"mcast_mld_version":1,"nf_call_iptables":0,"nf_call_ip6tables":0,"nf_call_arptables":0}},"inet6_addr_gen_mode":"eui64"',
    )
    expect(t).toMatchObject({ hello_timer: 0, tcn_timer: 0, topology_change_timer: 0 })
    expect(timers(run(w, 'ip -n a -d link show br0').stdout).text.split('\n')[2]).toBe(
      '    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.2:0:0:a:1:1 designated_root 8000.2:0:0:a:1:1 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer <t> tcn_timer <t> topology_change_timer <t> gc_timer <t> group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
    )
    run(w, 'ip -n a link set br0 down')
    expect(run(w, 'ip -n a -d link show br0').stdout).toContain(' gc_timer    0.00 ')
  })

  it('a port has its number, id and forward_delay_timer (15 s from when it began forwarding); a port without carrier is disabled', () => {
    const w = lab()
    run(w, 'sleep 3')
    const [p1] = json(w, 'ip -n a -d -j link show p1')
    expect(p1.linkinfo).toEqual({ info_kind: 'veth', info_slave_kind: 'bridge', info_slave_data: expect.any(Object) as unknown })
    const { text: raw, t } = timers(run(w, 'ip -n a -d link show p1').stdout)
    expect(t.forward_delay_timer).toBeGreaterThan(11.9)
    expect(t.forward_delay_timer).toBeLessThanOrEqual(12.0)
    expect(t).toMatchObject({ hold_timer: 0, message_age_timer: 0 })
    const text = raw.split('\n')
    expect(text.slice(2, 4)).toEqual([
      '    veth ',
      '    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.2:0:0:a:1:1 designated_root 8000.2:0:0:a:1:1 hold_timer <t> message_age_timer <t> forward_delay_timer <t> topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ',
    ])
    expect(timers(run(w, 'ip -n a -d -j link show p1').stdout).text).toContain(
      '"info_slave_data":{"state":"forwarding","priority":32,"cost":2,"hairpin":false,"guard":false,"root_block":false,"fastleave":false,"learning":true,"flood":true,"id":"0x8001","no":"0x1","designated_port":32769,"designated_cost":0,"bridge_id":"8000.2:0:0:a:1:1","root_id":"8000.2:0:0:a:1:1","hold_timer":<t>,"message_age_timer":<t>,"forward_delay_timer":<t>,"topology_change_ack":0,"config_pending":0,"proxy_arp":false,"proxy_arp_wifi":false,"multicast_router":1,"mcast_flood":true,"bcast_flood":true,"mcast_to_unicast":false,"neigh_suppress":false,"group_fwd_mask":"0","group_fwd_mask_str":"0x0","vlan_tunnel":false,"isolated":false,"locked":false}}',
    )
    // p2: up without carrier (q2 is down), port 2, never forwarding.
    run(w, 'ip -n a link set p2 up')
    expect(run(w, 'ip -n a -d -j link show p2').stdout).toContain('{"state":"disabled","priority":32,"cost":2,')
    expect(run(w, 'ip -n a -d -j link show p2').stdout).toContain('"id":"0x8002","no":"0x2","designated_port":32770,')
    expect(run(w, 'ip -n a -d -j link show p2').stdout).toContain('"forward_delay_timer":0.00,')
    // The timer expires and stays at 0; a port that starts forwarding again arms it again.
    run(w, 'sleep 13')
    expect(run(w, 'ip -n a -d link show p1').stdout).toContain(' forward_delay_timer    0.00 ')
    run(w, 'ip -n a link set q2 up')
    expect(run(w, 'ip -n a -d link show p2').stdout).toContain(' state forwarding ')
    expect(run(w, 'ip -n a -d link show p2').stdout).toMatch(/ forward_delay_timer {3}(15.00|14.99) /)
    // `type bridge_slave`: the ports (in JSON an empty object for each other link).
    expect(run(w, 'ip -n a link show type bridge_slave').stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(':')[1].trim())).toEqual(['p1@q1', 'p2@q2'])
    expect(json(w, 'ip -n a -j link show type bridge_slave').map((l) => l.ifname ?? null)).toEqual([null, null, null, 'p1', null, 'p2'])
  })

  it("a bridge's tso_max_size is 65536 until a port is added, then its ports' smallest, kept when the port goes", () => {
    const w = new World({ seed: 3 })
    for (const l of ['ip netns add a', 'ip -n a link add b0 type bridge', 'ip -n a link add v0 type veth peer name v1', 'ip -n a link add vx type vxlan id 5 dstport 4789']) run(w, l)
    const tso = (): unknown => json(w, 'ip -n a -d -j link show b0')[0].tso_max_size
    expect(tso()).toBe(65536)
    run(w, 'ip -n a link set v0 master b0')
    expect(tso()).toBe(524280)
    run(w, 'ip -n a link set v0 nomaster')
    expect(tso()).toBe(524280)
    run(w, 'ip -n a link set vx master b0')
    expect(tso()).toBe(65536)
  })

  it('lo has no max_mtu (0)', () => {
    const w = lab()
    expect(run(w, 'ip -n a -d link show lo').stdout).toContain(' minmtu 0 maxmtu 0 addrgenmode eui64 ')
    expect(json(w, 'ip -n a -d -j link show lo')[0]).toMatchObject({ min_mtu: 0, max_mtu: 0 })
  })

  it('a timer is printed as json_writer prints it, compact and pretty', () => {
    expect(compactJson([{ a: new JsonRaw('0.00'), b: [1, 'x'], c: undefined }])).toBe('[{"a":0.00,"b":[1,"x"]}]')
    expect(prettyJson([{ a: new JsonRaw('12.50') }])).toBe('[ {\n        "a": 12.50\n    } ]')
  })
})
