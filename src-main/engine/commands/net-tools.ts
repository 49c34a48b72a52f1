import { formatIpv4, parseIpv4Loose, prefixMask } from '../addr/ipv4.ts'
import { formatIpv6 } from '../addr/ipv6.ts'
import { formatMac, parseMac } from '../addr/mac.ts'
import type { NetDevice } from '../kernel/device.ts'
import { RouteType } from '../kernel/fib.ts'
import { Nud } from '../kernel/neigh.ts'
import { fibLookup } from '../kernel/route.ts'
import type { Command } from './context.ts'

/** net-tools `route [-n]`: the main table as /proc/net/route shows it. */
export const route: Command = (ctx, argv) => {
  let numeric = false
  for (const a of argv) {
    if (a === '-n') numeric = true
    else if (a === '-e' || a === '-ee' || a === '-v') continue
    else if (a === '-A' || a === 'inet') continue
    else {
      ctx.eprintln(`podnet: route ${a}: only "route [-n]" is simulated; use "ip route"`)
      return 1
    }
  }
  ctx.println('Kernel IP routing table')
  ctx.println('Destination     Gateway         Genmask         Flags Metric Ref    Use Iface')
  // /proc/net/route is empty (no header line) while the main table does not exist yet; net-tools
  // then fails. The local table is an alias of main until policy rules exist, so either counts.
  if (!ctx.netns.main.used && !ctx.netns.local.used) return 1
  for (const r of ctx.netns.main.routes()) {
    let flags = 'U'
    if (r.gateway) flags += 'G'
    if (r.len === 32) flags += 'H'
    if (r.type === RouteType.Unreachable || r.type === RouteType.Prohibit) flags = '!' + flags
    const dest = !numeric && r.len === 0 && r.dst === 0 ? 'default' : formatIpv4(r.dst)
    const iface = r.dev ? r.dev.name : '*'
    ctx.println(`${dest.padEnd(15)} ${formatIpv4(r.gateway).padEnd(15)} ${formatIpv4(prefixMask(r.len)).padEnd(15)} ${flags.padEnd(5)} ${String(r.priority).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${iface}`)
  }
  return 0
}

/** net-tools `arp [-n] [-a] [-d IP] [-s IP MAC] [IP]`: the neighbour table as /proc/net/arp shows it. */
export const arp: Command = (ctx, argv) => {
  let bsd = false
  let target: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 'n' || c === 'v' || c === 'e') continue
        if (c === 'a') bsd = true
        else if (c === 'd') return arpDelete(ctx, argv[i + 1])
        else if (c === 's') return arpSet(ctx, argv[i + 1], argv[i + 2])
        else {
          ctx.eprintln(`arp: invalid option -- '${c}'`)
          return 1
        }
      }
    } else target = a
  }
  const ip = target === undefined ? undefined : parseIpv4Loose(target)
  const entries = ctx.netns.neigh.entries().filter((n) => !(n.state & Nud.Noarp) && n.state !== Nud.None && (ip === undefined || n.ip === ip))
  if (ip !== undefined && entries.length === 0) {
    ctx.println(`${target} (${formatIpv4(ip ?? 0)}) -- no entry`)
    return 0
  }
  if (!bsd && entries.length) ctx.println('Address                  HWtype  HWaddress           Flags Mask            Iface')
  for (const n of entries) {
    const valid = n.state !== Nud.Incomplete && n.state !== Nud.Failed && n.mac !== null
    const flags = valid ? (n.state & Nud.Permanent ? 'CM' : 'C') : ''
    if (bsd) {
      ctx.println(valid ? `? (${formatIpv4(n.ip)}) at ${formatMac(n.mac!)} [ether] ${n.state & Nud.Permanent ? 'PERM ' : ''}on ${n.dev.name}` : `? (${formatIpv4(n.ip)}) at <incomplete> on ${n.dev.name}`)
      continue
    }
    const hw = valid ? formatMac(n.mac!) : '(incomplete)'
    ctx.println(`${formatIpv4(n.ip).padEnd(23)}  ${(valid ? 'ether' : '').padEnd(8)}${hw.padEnd(20)}${flags.padEnd(6)}${''.padEnd(16)}${n.dev.name}`)
  }
  return 0
}

function arpDelete(ctx: Parameters<Command>[0], target: string | undefined): number {
  const ip = target === undefined ? null : parseIpv4Loose(target)
  const n = ip === null ? undefined : ctx.netns.neigh.entries().find((e) => e.ip === ip && e.state !== Nud.None)
  if (!n) {
    ctx.println(`No ARP entry for ${target ?? ''}`)
    return 255
  }
  ctx.netns.neigh.remove(n)
  ctx.change()
  return 0
}

function arpSet(ctx: Parameters<Command>[0], target: string | undefined, hw: string | undefined): number {
  const ip = target === undefined ? null : parseIpv4Loose(target)
  const mac = hw === undefined ? null : parseMac(hw)
  if (ip === null || mac === null) {
    ctx.eprintln('arp: need host name')
    return 255
  }
  let dev: NetDevice | null
  try {
    dev = fibLookup(ctx.netns, { daddr: ip }).route.dev
  } catch {
    dev = null
  }
  if (!dev) {
    ctx.eprintln('SIOCSARP: Network is unreachable')
    return 255
  }
  const t = ctx.netns.neigh
  const n = t.lookup(dev, ip) ?? t.create(dev, ip)
  t.update(n, mac, Nud.Permanent, { override: true, admin: true })
  ctx.change()
  return 0
}

const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, RUNNING: 0x40, PROMISC: 0x100, MULTICAST: 0x1000 }

function scaled(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}

function ifconfigBlock(dev: NetDevice): string[] {
  let flags = 0
  const names: string[] = []
  if (dev.adminUp) {
    flags |= IFF.UP
    names.push('UP')
  }
  if (!dev.isLoopback) {
    flags |= IFF.BROADCAST
    names.push('BROADCAST')
  } else {
    flags |= IFF.LOOPBACK
    names.push('LOOPBACK')
  }
  const st = dev.operState
  if (dev.adminUp && (st === 'UP' || st === 'UNKNOWN')) {
    flags |= IFF.RUNNING
    names.push('RUNNING')
  }
  if (dev.userPromisc) {
    flags |= IFF.PROMISC
    names.push('PROMISC')
  }
  if (!dev.isLoopback) {
    flags |= IFF.MULTICAST
    names.push('MULTICAST')
  }
  const out = [`${dev.name}: flags=${flags}<${names.join(',')}>  mtu ${dev.mtu}`]
  const prim = dev.inet.find((i) => !i.secondary && i.label === dev.name)
  if (prim) out.push(`        inet ${formatIpv4(prim.local)}  netmask ${formatIpv4(prefixMask(prim.prefixLen))}${dev.isLoopback ? '' : `  broadcast ${formatIpv4(prim.broadcast)}`}`)
  if (dev.isLoopback && dev.adminUp) out.push('        inet6 ::1  prefixlen 128  scopeid 0x10<host>')
  if (dev.ipv6LinkLocal) out.push(`        inet6 ${formatIpv6(dev.ipv6LinkLocal)}  prefixlen 64  scopeid 0x20<link>`)
  out.push(dev.isLoopback ? `        loop  txqueuelen ${dev.txQueueLen}  (Local Loopback)` : `        ether ${formatMac(dev.mac)}  txqueuelen ${dev.txQueueLen}  (Ethernet)`)
  const s = dev.stats
  out.push(`        RX packets ${s.rxPackets}  bytes ${s.rxBytes} (${scaled(s.rxBytes)})`)
  out.push(`        RX errors 0  dropped ${s.rxDropped}  overruns 0  frame 0`)
  out.push(`        TX packets ${s.txPackets}  bytes ${s.txBytes} (${scaled(s.txBytes)})`)
  out.push(`        TX errors 0  dropped ${s.txDropped} overruns 0  carrier 0  collisions 0`)
  out.push('')
  return out
}

/** net-tools `ifconfig [-a] [DEV]` (display only). */
export const ifconfig: Command = (ctx, argv) => {
  let all = false
  const names: string[] = []
  for (const a of argv) {
    if (a === '-a') all = true
    else if (a.startsWith('-')) continue
    else names.push(a)
  }
  if (names.length > 1) {
    ctx.eprintln('podnet: only "ifconfig [-a] [DEV]" is simulated; use "ip link" and "ip addr" to change devices')
    return 1
  }
  if (names.length === 1) {
    const d = ctx.netns.dev(names[0])
    if (!d) {
      ctx.eprintln(`${names[0]}: error fetching interface information: Device not found`)
      return 1
    }
    for (const l of ifconfigBlock(d)) ctx.println(l)
    return 0
  }
  const devs = ctx.netns.deviceList().filter((d) => all || d.adminUp).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const d of devs) for (const l of ifconfigBlock(d)) ctx.println(l)
  return 0
}
