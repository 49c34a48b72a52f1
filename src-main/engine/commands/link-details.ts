import type { NetDevice } from '../kernel/device.ts'
import { VxlanDevice } from '../kernel/vxlan.ts'
import { formatIpv4 } from '../addr/ipv4.ts'

/**
 * tso_max_size: veth, lo and bridges set GSO_MAX_SIZE; a VXLAN device inherits its lower
 * device's (netif_inherit_tso_max) and keeps the legacy 65536 without one.
 */
function tsoMaxSize(d: NetDevice): number {
  if (d instanceof VxlanDevice) return d.cfg.lower ? tsoMaxSize(d.cfg.lower) : 65536
  return 524280
}

/** The `-d` numbers common to every link, with their JSON keys (print_linkinfo with show_details). */
export function detailJson(d: NetDevice): { head: Record<string, unknown>; tail: Record<string, unknown> } {
  const queues = d.kind === 'veth' ? 2 : 1
  return {
    head: { promiscuity: (d.master ? 1 : 0) + (d.userPromisc ? 1 : 0), allmulti: d.master ? 1 : 0, min_mtu: d.minMtu, max_mtu: d.maxMtu },
    tail: { inet6_addr_gen_mode: 'eui64', num_tx_queues: queues, num_rx_queues: queues, gso_max_size: 65536, gso_max_segs: 65535, tso_max_size: tsoMaxSize(d), tso_max_segs: 65535, gro_max_size: 65536 },
  }
}

/** `linkinfo` of `ip -d -j link`: the kind, and a VXLAN device's settings (vxlan_fill_info). */
export function linkInfoJson(d: NetDevice): Record<string, unknown> | undefined {
  if (d.kind === 'loopback') return undefined
  if (!(d instanceof VxlanDevice)) return { info_kind: d.kind }
  const c = d.cfg
  const data: Record<string, unknown> = { id: c.vni }
  if (c.remote) data.remote = formatIpv4(c.remote)
  if (c.local) data.local = formatIpv4(c.local)
  if (c.lower) data.link = c.lower.name
  Object.assign(data, { port_range: { low: c.srcPortMin, high: c.srcPortMax }, port: c.dstport, learning: c.learning, ttl: c.ttl, df: 'unset', ageing: c.ageingSec, udp_csum: true, udp_zero_csum6_tx: false, udp_zero_csum6_rx: false })
  return { info_kind: 'vxlan', info_data: data }
}

/** The `-d` additions: the tail of the link/ether line and the per-kind lines. */
export function linkDetails(d: NetDevice): { first: string; more: string[] } {
  const promisc = (d.master ? 1 : 0) + (d.userPromisc ? 1 : 0)
  const allmulti = d.master ? 1 : 0
  const first = ` promiscuity ${promisc}  allmulti ${allmulti} minmtu ${d.minMtu} maxmtu ${d.maxMtu} `
  const tail = `addrgenmode eui64 numtxqueues ${d.kind === 'veth' ? 2 : 1} numrxqueues ${d.kind === 'veth' ? 2 : 1} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tsoMaxSize(d)} tso_max_segs 65535 gro_max_size 65536 `
  if (d.kind === 'loopback') return { first: first + tail, more: [] }
  const more: string[] = []
  if (d.kind === 'veth') more.push(d.master ? '    veth ' : '    veth ' + tail)
  if (d.master) more.push(`    bridge_slave state ${d.master.portForwarding(d) ? 'forwarding' : 'disabled'} priority 32 cost 2 ` + tail)
  if (d instanceof VxlanDevice) {
    const c = d.cfg
    let l = `    vxlan id ${c.vni}`
    if (c.remote) l += ` remote ${formatIpv4(c.remote)}`
    if (c.local) l += ` local ${formatIpv4(c.local)}`
    if (c.lower) l += ` dev ${c.lower.name}`
    l += ` srcport ${c.srcPortMin} ${c.srcPortMax} dstport ${c.dstport}`
    if (!c.learning) l += ' nolearning'
    l += ` ttl ${c.ttl || 'auto'} ageing ${c.ageingSec} udpcsum noudp6zerocsumtx noudp6zerocsumrx ` + tail
    more.push(l)
  }
  if (d.kind === 'bridge') more.push('    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 ' + tail)
  return { first, more }
}
