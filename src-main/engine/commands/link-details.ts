import type { NetDevice } from '../kernel/device.ts'
import { VxlanDevice } from '../kernel/vxlan.ts'
import { formatIpv4 } from '../addr/ipv4.ts'

/** The `-d` additions: the tail of the link/ether line and the per-kind lines. */
export function linkDetails(d: NetDevice): { first: string; more: string[] } {
  const promisc = (d.master ? 1 : 0) + (d.userPromisc ? 1 : 0)
  const allmulti = d.master ? 1 : 0
  const first = ` promiscuity ${promisc}  allmulti ${allmulti} minmtu ${d.minMtu} maxmtu ${d.maxMtu} `
  const tail = `addrgenmode eui64 numtxqueues ${d.kind === 'veth' ? 2 : 1} numrxqueues ${d.kind === 'veth' ? 2 : 1} gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 `
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
