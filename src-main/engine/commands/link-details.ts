import type { NetDevice } from '../kernel/device.ts'
import { VxlanDevice } from '../kernel/vxlan.ts'
import { formatIpv4 } from '../addr/ipv4.ts'
import { formatMac } from '../addr/mac.ts'
import { BridgeDevice } from '../kernel/bridge.ts'
import { HZ } from '../kernel/jiffies.ts'
import { JsonRaw } from './json-out.ts'

/**
 * tso_max_size: veth and lo set GSO_MAX_SIZE; a VXLAN device inherits its lower device's
 * (netif_inherit_tso_max) and keeps the legacy 65536 without one; a bridge takes its ports'.
 */
function tsoMaxSize(d: NetDevice): number {
  if (d instanceof VxlanDevice) return d.cfg.lower ? tsoMaxSize(d.cfg.lower) : 65536
  if (d instanceof BridgeDevice) return d.tsoMaxSize
  return 524280
}

/** IFLA_MAX_MTU: loopback sets no max_mtu (0: no limit), which the engine keeps as the largest int. */
function reportedMaxMtu(d: NetDevice): number {
  return d.kind === 'loopback' ? 0 : d.maxMtu
}

/** The `-d` numbers common to every link, with their JSON keys (print_linkinfo with show_details). */
export function detailJson(d: NetDevice): { head: Record<string, unknown>; tail: Record<string, unknown> } {
  const queues = d.kind === 'veth' ? 2 : 1
  return {
    head: { promiscuity: (d.master ? 1 : 0) + (d.userPromisc ? 1 : 0), allmulti: d.master ? 1 : 0, min_mtu: d.minMtu, max_mtu: reportedMaxMtu(d) },
    tail: { inet6_addr_gen_mode: 'eui64', num_tx_queues: queues, num_rx_queues: queues, gso_max_size: 65536, gso_max_segs: 65535, tso_max_size: tsoMaxSize(d), tso_max_segs: 65535, gro_max_size: 65536 },
  }
}

/** A bridge's timer as iproute2 prints it: jiffies as USER_HZ ticks (jiffies_delta_to_clock_t), `%i.%.2i`. */
function timer(j: number): string {
  const cs = Math.floor((Math.max(0, j) * 100) / HZ)
  return `${Math.floor(cs / 100)}.${String(cs % 100).padStart(2, '0')}`
}

/** br_dump_bridge_id: the priority in hex, then the MAC's bytes in %x. */
function bridgeId(br: BridgeDevice): string {
  return '8000.' + formatMac(br.mac).split(':').map((b) => parseInt(b, 16).toString(16)).join(':')
}

/**
 * A bridge's settings (br_fill_info) as [JSON key, text key, value] in iproute2's order; `text`
 * null for what the text form leaves out, a number (a timer's jiffies) printed as a timer. STP is
 * off, and the multicast and netfilter settings are the kernel's defaults (the engine has no way
 * to change them).
 */
function bridgeInfo(br: BridgeDevice): [string, string, string | number | JsonRaw][] {
  const id = bridgeId(br)
  return [
    ['forward_delay', 'forward_delay', 1500], ['hello_time', 'hello_time', 200], ['max_age', 'max_age', 2000],
    ['ageing_time', 'ageing_time', Math.round(br.ageingNs / 1e7)], ['stp_state', 'stp_state', 0], ['priority', 'priority', 32768],
    ['vlan_filtering', 'vlan_filtering', 0], ['bridge_id', 'bridge_id', id], ['root_id', 'designated_root', id], ['root_port', 'root_port', 0],
    ['root_path_cost', 'root_path_cost', 0], ['topology_change', 'topology_change', 0], ['topology_change_detected', 'topology_change_detected', 0],
    ['hello_timer', 'hello_timer', new JsonRaw(timer(0))], ['tcn_timer', 'tcn_timer', new JsonRaw(timer(0))],
    ['topology_change_timer', 'topology_change_timer', new JsonRaw(timer(0))], ['gc_timer', 'gc_timer', new JsonRaw(timer(br.gcTimer()))],
    ['group_fwd_mask', 'group_fwd_mask', '0'], ['group_addr', 'group_address', '01:80:c2:00:00:00'], ['mcast_snooping', 'mcast_snooping', 1],
    ['no_linklocal_learn', 'no_linklocal_learn', 0], ['mcast_vlan_snooping', 'mcast_vlan_snooping', 0], ['mcast_router', 'mcast_router', 1],
    ['mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', 0], ['mcast_querier', 'mcast_querier', 0], ['mcast_hash_elasticity', 'mcast_hash_elasticity', 16],
    ['mcast_hash_max', 'mcast_hash_max', 4096], ['mcast_last_member_cnt', 'mcast_last_member_count', 2], ['mcast_startup_query_cnt', 'mcast_startup_query_count', 2],
    ['mcast_last_member_intvl', 'mcast_last_member_interval', 100], ['mcast_membership_intvl', 'mcast_membership_interval', 26000],
    ['mcast_querier_intvl', 'mcast_querier_interval', 25500], ['mcast_query_intvl', 'mcast_query_interval', 12500],
    ['mcast_query_response_intvl', 'mcast_query_response_interval', 1000], ['mcast_startup_query_intvl', 'mcast_startup_query_interval', 3124],
    ['mcast_stats_enabled', 'mcast_stats_enabled', 0], ['mcast_igmp_version', 'mcast_igmp_version', 2], ['mcast_mld_version', 'mcast_mld_version', 1],
    ['nf_call_iptables', 'nf_call_iptables', 0], ['nf_call_ip6tables', 'nf_call_ip6tables', 0], ['nf_call_arptables', 'nf_call_arptables', 0],
  ]
}

/**
 * A bridge port's settings (br_port_fill_attrs), as bridgeInfo: priority 32, a veth's path cost
 * 2 (10 Gbit/s), port_id = priority << 10 | port_no, the port designated (STP off); booleans are
 * `on`/`off` in the text form. `mcast_fast_leave` is the text form's second name for fastleave.
 */
function portInfo(br: BridgeDevice, p: NetDevice): [string, string | null, string | number | boolean | JsonRaw][] {
  const no = br.portNo(p)
  const portId = (32 << 10) | no
  const id = bridgeId(br)
  return [
    ['state', 'state', br.portForwarding(p) ? 'forwarding' : 'disabled'], ['priority', 'priority', 32], ['cost', 'cost', p.kind === 'veth' ? 2 : 100],
    ['hairpin', 'hairpin', false], ['guard', 'guard', false], ['root_block', 'root_block', false], ['fastleave', 'fastleave', false],
    ['learning', 'learning', true], ['flood', 'flood', true], ['id', 'port_id', '0x' + portId.toString(16)], ['no', 'port_no', '0x' + no.toString(16)],
    ['designated_port', 'designated_port', portId], ['designated_cost', 'designated_cost', 0], ['bridge_id', 'designated_bridge', id],
    ['root_id', 'designated_root', id], ['hold_timer', 'hold_timer', new JsonRaw(timer(0))], ['message_age_timer', 'message_age_timer', new JsonRaw(timer(0))],
    ['forward_delay_timer', 'forward_delay_timer', new JsonRaw(timer(br.forwardDelayTimer(p)))], ['topology_change_ack', 'topology_change_ack', 0],
    ['config_pending', 'config_pending', 0], ['proxy_arp', 'proxy_arp', false], ['proxy_arp_wifi', 'proxy_arp_wifi', false],
    ['multicast_router', 'mcast_router', 1], ['', 'mcast_fast_leave', false], ['mcast_flood', 'mcast_flood', true], ['bcast_flood', 'bcast_flood', true],
    ['mcast_to_unicast', 'mcast_to_unicast', false], ['neigh_suppress', 'neigh_suppress', false], ['group_fwd_mask', 'group_fwd_mask', '0'],
    ['group_fwd_mask_str', 'group_fwd_mask_str', '0x0'], ['vlan_tunnel', 'vlan_tunnel', false], ['isolated', 'isolated', false], ['locked', 'locked', false],
  ]
}

function infoText(kind: string, rows: [string, string | null, string | number | boolean | JsonRaw][]): string {
  let l = `    ${kind} `
  for (const [, key, v] of rows) {
    if (key === null) continue
    if (v instanceof JsonRaw) l += `${key} ${v.text.padStart(7)} `
    else l += `${key} ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v} `
  }
  return l
}

function infoJson(rows: [string, string | null, string | number | boolean | JsonRaw][]): Record<string, unknown> {
  const j: Record<string, unknown> = {}
  for (const [key, , v] of rows) if (key !== '') j[key] = v
  return j
}

/** `linkinfo` of `ip -d -j link`: the kind and its settings (a VXLAN device's, a bridge's), a bridge port's. */
export function linkInfoJson(d: NetDevice): Record<string, unknown> | undefined {
  if (d.kind === 'loopback') return undefined
  const info: Record<string, unknown> = { info_kind: d.kind }
  if (d instanceof VxlanDevice) {
    const c = d.cfg
    const data: Record<string, unknown> = { id: c.vni }
    if (c.remote) data.remote = formatIpv4(c.remote)
    if (c.local) data.local = formatIpv4(c.local)
    if (c.lower) data.link = c.lower.name
    Object.assign(data, { port_range: { low: c.srcPortMin, high: c.srcPortMax }, port: c.dstport, learning: c.learning, ttl: c.ttl, df: 'unset', ageing: c.ageingSec, udp_csum: true, udp_zero_csum6_tx: false, udp_zero_csum6_rx: false })
    info.info_data = data
  }
  if (d instanceof BridgeDevice) info.info_data = infoJson(bridgeInfo(d))
  if (d.master) {
    info.info_slave_kind = 'bridge'
    info.info_slave_data = infoJson(portInfo(d.master, d))
  }
  return info
}

/**
 * The `-d` additions: the tail of the link/ether line and the per-kind lines, the numbers last.
 * `ip -d addr` has no addrgenmode (its link messages carry no IFLA_AF_SPEC).
 */
export function linkDetails(d: NetDevice, addrgenmode = true): { first: string; more: string[] } {
  const promisc = (d.master ? 1 : 0) + (d.userPromisc ? 1 : 0)
  const allmulti = d.master ? 1 : 0
  const first = ` promiscuity ${promisc}  allmulti ${allmulti} minmtu ${d.minMtu} maxmtu ${reportedMaxMtu(d)} `
  const tail = `${addrgenmode ? 'addrgenmode eui64 ' : ''}numtxqueues ${d.kind === 'veth' ? 2 : 1} numrxqueues ${d.kind === 'veth' ? 2 : 1} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tsoMaxSize(d)} tso_max_segs 65535 gro_max_size 65536 `
  if (d.kind === 'loopback') return { first: first + tail, more: [] }
  const more: string[] = []
  if (d.kind === 'veth') more.push('    veth ')
  if (d instanceof VxlanDevice) {
    const c = d.cfg
    let l = `    vxlan id ${c.vni}`
    if (c.remote) l += ` remote ${formatIpv4(c.remote)}`
    if (c.local) l += ` local ${formatIpv4(c.local)}`
    if (c.lower) l += ` dev ${c.lower.name}`
    l += ` srcport ${c.srcPortMin} ${c.srcPortMax} dstport ${c.dstport}`
    if (!c.learning) l += ' nolearning'
    l += ` ttl ${c.ttl || 'auto'} ageing ${c.ageingSec} udpcsum noudp6zerocsumtx noudp6zerocsumrx `
    more.push(l)
  }
  if (d instanceof BridgeDevice) more.push(infoText('bridge', bridgeInfo(d)))
  if (d.master) more.push(infoText('bridge_slave', portInfo(d.master, d)))
  if (more.length === 0) return { first: first + tail, more }
  more[more.length - 1] += tail
  return { first, more }
}
