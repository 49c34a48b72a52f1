import { formatMac } from '../addr/mac.ts'
import type { NetDevice } from '../kernel/device.ts'
import type { Netns } from '../kernel/netns.ts'
import { operStateColor, paint } from '../../../shared/color.ts'

/** dev_get_flags → iproute2 print_link_flags: `NO-CARRIER,BROADCAST,MULTICAST,UP,LOWER_UP`. */
export function linkFlags(dev: NetDevice): string {
  const st = dev.operState
  const running = dev.adminUp && (st === 'UP' || st === 'UNKNOWN')
  const f: string[] = []
  if (dev.adminUp && !running) f.push('NO-CARRIER')
  if (dev.isLoopback) f.push('LOOPBACK')
  else f.push('BROADCAST', 'MULTICAST')
  if (dev.userPromisc) f.push('PROMISC')
  if (dev.adminUp) f.push('UP')
  if (dev.adminUp && dev.carrier) f.push('LOWER_UP')
  const link = dev.link
  if (link && link.netns === dev.netns && !link.adminUp) f.push('M-DOWN')
  return f.join(',')
}

/** `name@peer` (same namespace) or `name@ifN` (peer elsewhere), as ip prints the IFLA_LINK. */
export function linkName(dev: NetDevice): string {
  const link = dev.link
  if (!link) return dev.name
  if (link.netns === dev.netns) return `${dev.name}@${link.name}`
  return `${dev.name}@if${link.ifindex}`
}

/** The ` link-netns NAME` / ` link-netnsid N` suffix for a device whose peer lives elsewhere. */
export function linkNetnsSuffix(dev: NetDevice): string {
  const link = dev.link
  if (!link || link.netns === dev.netns) return ''
  const ns: Netns = dev.netns
  const id = ns.ensureNsid(link.netns)
  return link.netns.name !== '' && ns.world.namespaces.get(link.netns.name) === link.netns ? ` link-netns ${link.netns.name}` : ` link-netnsid ${id}`
}

export function qdiscName(dev: NetDevice): string {
  return dev.everUp ? 'noqueue' : 'noop'
}

/** The first line of `ip link` / `ip addr` for a device (without the newline); `color`: ip -c. */
export function linkHeader(dev: NetDevice, withMode: boolean, color = false): string {
  const master = dev.master ? ` master ${dev.master.name}` : ''
  const mode = withMode ? 'mode DEFAULT ' : ''
  const st = dev.operState
  return `${dev.ifindex}: ${paint(color, 'ifname', `${linkName(dev)}: `)}<${linkFlags(dev)}> mtu ${dev.mtu} qdisc ${qdiscName(dev)}${master} state ${paint(color, operStateColor(st), `${st} `)}${mode}group default qlen ${dev.txQueueLen}`
}

export function linkLayerLine(dev: NetDevice, color = false): string {
  const mac = paint(color, 'mac', formatMac(dev.mac))
  if (dev.isLoopback) return `    link/loopback ${mac} brd ${paint(color, 'mac', '00:00:00:00:00:00')}`
  return `    link/ether ${mac} brd ${paint(color, 'mac', 'ff:ff:ff:ff:ff:ff')}${linkNetnsSuffix(dev)}`
}

/** `ip -br link`'s line for a device. */
export function briefLinkLine(dev: NetDevice, color = false): string {
  const st = dev.operState
  return `${briefHead(linkName(dev), st, color)}${paint(color, 'mac', `${formatMac(dev.mac)} `)}<${linkFlags(dev)}> `
}

/** The name and state columns that start `ip -br link` and `ip -br addr` lines. */
export function briefHead(name: string, state: string, color = false): string {
  return paint(color, 'ifname', `${name.padEnd(16)} `) + paint(color, operStateColor(state), `${state.padEnd(14)} `)
}

/** The `-s` counters block. */
export function statsLines(dev: NetDevice, level = 1): string[] {
  const s = dev.stats
  const widths = [10, 7, 6, 7, 7, 7]
  const row = (vals: number[]): string => '    ' + vals.map((v, i) => String(v).padStart(widths[i])).join(' ') + ' '
  // -s -s: the error breakdowns, under the columns from the second on (print_stats64).
  const errors = (vals: number[]): string => ' '.repeat(15) + vals.map((v, i) => String(v).padStart(widths[i + 1])).join(' ') + ' '
  const rx = ['    RX:  bytes packets errors dropped  missed   mcast           ', row([s.rxBytes, s.rxPackets, 0, s.rxDropped, 0, 0])]
  const tx = ['    TX:  bytes packets errors dropped carrier collsns           ', row([s.txBytes, s.txPackets, 0, s.txDropped, 0, 0])]
  if (level > 1) {
    rx.push('    RX errors:  length    crc   frame    fifo overrun', errors([0, 0, 0, 0, 0]))
    tx.push('    TX errors: aborted   fifo  window heartbt transns', errors([0, 0, 0, 0, dev.carrierChanges]))
  }
  return [...rx, ...tx]
}

/** print_stats64's JSON: `stats64` with rx and tx, and with -s -s the error counters. */
export function statsJson(dev: NetDevice, level = 1): Record<string, unknown> {
  const s = dev.stats
  const rx: Record<string, number> = { bytes: s.rxBytes, packets: s.rxPackets, errors: 0, dropped: s.rxDropped, over_errors: 0, multicast: 0 }
  const tx: Record<string, number> = { bytes: s.txBytes, packets: s.txPackets, errors: 0, dropped: s.txDropped, carrier_errors: 0, collisions: 0 }
  if (level > 1) {
    Object.assign(rx, { length_errors: 0, crc_errors: 0, frame_errors: 0, fifo_errors: 0, missed_errors: 0 })
    Object.assign(tx, { aborted_errors: 0, fifo_errors: 0, window_errors: 0, heartbeat_errors: 0 })
    if (dev.carrierChanges) tx.carrier_changes = dev.carrierChanges
  }
  return { rx, tx }
}
