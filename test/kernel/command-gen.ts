/**
 * Random command sequences for the kernel command fuzzer (command-fuzz.test.ts): what a learner
 * types at a lab's namespaces — ip link/addr/route/neigh, bridge fdb, sysctl -w, ping and the show
 * commands with their options and filters — including wrong ones (bad prefixes, missing devices,
 * duplicates, invalid keywords). The generator keeps a rough model of the lab (namespaces, their
 * devices and addresses) so most commands name things that exist; when a command fails the model
 * may be wrong for a while, which only makes more errors to compare.
 *
 * Commands the engine does not simulate (docs/commands.md) are generated as `unsupported`: they are
 * not compared with the kernel, but the engine must refuse them saying so.
 */
import { formatIpv4 } from '../../src-main/engine/addr/ipv4.ts'
import type { World } from '../../src-main/engine/kernel/world.ts'

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FuzzCommand {
  line: string
  /** Not simulated by the engine: not compared, the engine must say so. */
  unsupported?: boolean
}

interface DevModel {
  name: string
  kind: string
  addrs: string[]
}

interface NsModel {
  /** The namespace's name as both worlds know it (prefixed). */
  name: string
  devs: DevModel[]
}

/** The lab as the generator knows it: namespaces with their devices and addresses. */
export interface LabModel {
  ns: NsModel[]
  /** Every IPv4 address of the lab (ping targets). */
  addrs: string[]
}

export function labModel(world: World, prefix: string): LabModel {
  const ns: NsModel[] = []
  const addrs: string[] = []
  for (const [name, n] of world.namespaces) {
    if (!name.startsWith(prefix)) continue
    const devs = n.deviceList().map((d) => {
      const a = d.inet.map((i) => `${formatIpv4(i.local)}/${i.prefixLen}`)
      if (!d.isLoopback) addrs.push(...d.inet.map((i) => formatIpv4(i.local)))
      return { name: d.name, kind: d.kind, addrs: a }
    })
    ns.push({ name, devs })
  }
  return { ns, addrs }
}

type R = () => number

function pick<T>(r: R, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]
}
function chance(r: R, p: number): boolean {
  return r() < p
}
function int(r: R, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1))
}

const MTUS = ['1500', '1400', '1280', '1000', '9000', '68', '67', '65536', 'abc', '1450']
const PREFIXES = ['10.77.0.0/24', '10.77.1.0/24', '10.78.0.0/16', '10.244.9.0/24', '192.168.50.0/24', '10.77.0.128/25', 'default', '0.0.0.0/0', '10.77.0.1/32', '10.77.0.0/33', '10.77.300.0/24', '10.77.0.5/24']
const NUDS = ['permanent', 'reachable', 'stale', 'noarp', 'delay', 'probe', 'failed', 'bogus']
const SCOPES = ['global', 'link', 'host', 'site', 'nowhere', '200']

/**
 * A new device's address: the kernel draws a random one (eth_hw_addr_random), which no second run
 * repeats, so devices are created with explicit addresses as the lab's export does.
 */
function uniqueMac(r: R): string {
  const b = Array.from({ length: 4 }, () => int(r, 0, 255).toString(16).padStart(2, '0'))
  return `02:fe:${b.join(':')}`
}

function mac(r: R): string {
  return pick(r, ['02:00:00:aa:00:01', '02:00:00:aa:00:02', '02:00:00:bb:cc:dd', 'aa:bb:cc:dd:ee:ff', '01:00:5e:00:00:01', '00:00:00:00:00:00', '02:00:00:zz:00:01', '02:00:00:aa:00'])
}

/** An address near the lab's: one of its own, a neighbour in its subnet, or a new one. */
function addrNear(r: R, m: LabModel): string {
  const roll = r()
  if (m.addrs.length && roll < 0.4) return pick(r, m.addrs)
  if (m.addrs.length && roll < 0.8) {
    const a = pick(r, m.addrs).split('.')
    a[3] = String(pick(r, [1, 2, 9, 77, 200, 254, 255, 0]))
    return a.join('.')
  }
  return pick(r, ['10.77.0.1', '10.77.0.9', '10.78.3.4', '192.168.50.1', '10.77.0.255', '127.0.0.1', '0.0.0.0', '224.0.0.5', '10.77.0.256'])
}

/** A prefix of the lab's address space, or one of a few others (some of them invalid). */
function prefix(r: R, m: LabModel): string {
  if (m.addrs.length && chance(r, 0.3)) {
    const a = pick(r, m.addrs).split('.')
    const len = pick(r, [24, 16, 32, 25])
    return `${a[0]}.${a[1]}.${len === 16 ? '0' : a[2]}.${len === 32 ? a[3] : '0'}/${len}`
  }
  return pick(r, PREFIXES)
}

function devOf(r: R, ns: NsModel, kinds?: string[]): DevModel | undefined {
  const ds = ns.devs.filter((d) => !kinds || kinds.includes(d.kind))
  return ds.length ? pick(r, ds) : undefined
}

/** A device name: usually one the namespace has, sometimes a missing one. */
function devName(r: R, ns: NsModel, kinds?: string[]): string {
  if (chance(r, 0.08)) return pick(r, ['nosuch0', 'eth9', 'a-very-long-name-x'])
  return devOf(r, ns, kinds)?.name ?? 'lo'
}

function newName(r: R, base: string): string {
  return `${base}${int(r, 0, 3)}${chance(r, 0.5) ? '' : String(int(r, 0, 9))}`
}

function linkCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const n = `ip -n ${ns.name}`
  const roll = r()
  if (roll < 0.12) {
    const a = newName(r, 'fv')
    const b = newName(r, 'fp')
    const mtu = chance(r, 0.2) ? ` mtu ${pick(r, MTUS)}` : ''
    ns.devs.push({ name: a, kind: 'veth', addrs: [] }, { name: b, kind: 'veth', addrs: [] })
    if (chance(r, 0.15)) {
      const other = pick(r, m.ns)
      ns.devs.pop()
      other.devs.push({ name: b, kind: 'veth', addrs: [] })
      return { line: `${n} link add ${a}${mtu} address ${uniqueMac(r)} type veth peer name ${b} address ${uniqueMac(r)} netns ${other.name}` }
    }
    return { line: `${n} link add ${a}${mtu} address ${uniqueMac(r)} type veth peer name ${b} address ${uniqueMac(r)}` }
  }
  if (roll < 0.2) {
    const b = newName(r, 'fbr')
    ns.devs.push({ name: b, kind: 'bridge', addrs: [] })
    return { line: `${n} link add ${b} address ${uniqueMac(r)} type bridge` }
  }
  if (roll < 0.26) {
    const v = newName(r, 'fvx')
    ns.devs.push({ name: v, kind: 'vxlan', addrs: [] })
    const lower = devOf(r, ns, ['veth'])
    const parts = [`${n} link add ${v} address ${uniqueMac(r)} type vxlan`]
    if (!chance(r, 0.1)) parts.push(`id ${pick(r, ['1', '42', '16777215', '16777216'])}`)
    if (lower && chance(r, 0.6)) parts.push(`dev ${lower.name}`)
    if (chance(r, 0.4)) parts.push(`local ${addrNear(r, m)}`)
    if (chance(r, 0.3)) parts.push(`remote ${addrNear(r, m)}`)
    if (chance(r, 0.6)) parts.push(`dstport ${pick(r, ['4789', '8472', '0'])}`)
    if (chance(r, 0.2)) parts.push('nolearning')
    if (chance(r, 0.1)) parts.push(`ttl ${pick(r, ['64', '300'])}`)
    return { line: parts.join(' ') }
  }
  if (roll < 0.3) return { line: `${n} link add ${newName(r, 'fd')} type ${pick(r, ['dummy', 'macvlan', 'ipip'])}`, unsupported: true }
  if (roll < 0.38) {
    const d = devOf(r, ns, ['veth', 'bridge', 'vxlan'])
    if (d && chance(r, 0.85)) ns.devs.splice(ns.devs.indexOf(d), 1)
    return { line: `${n} link del ${d && !chance(r, 0.1) ? d.name : 'nosuch0'}` }
  }
  const dev = devName(r, ns)
  const what = r()
  if (what < 0.35) return { line: `${n} link set ${chance(r, 0.3) ? 'dev ' : ''}${dev} ${pick(r, ['up', 'up', 'down'])}` }
  if (what < 0.5) return { line: `${n} link set ${dev} mtu ${pick(r, MTUS)}` }
  if (what < 0.6) return { line: `${n} link set ${dev} address ${mac(r)}` }
  if (what < 0.75) {
    const br = devOf(r, ns, ['bridge'])
    return { line: `${n} link set ${dev} master ${br && !chance(r, 0.1) ? br.name : pick(r, ['nosuch0', dev])}` }
  }
  if (what < 0.82) return { line: `${n} link set ${dev} nomaster` }
  if (what < 0.9) {
    const d = devOf(r, ns, ['veth', 'bridge', 'vxlan'])
    if (!d) return { line: `${n} link set ${dev} name lo` }
    const to = chance(r, 0.2) ? pick(r, ['lo', 'eth0', '0bad name', 'x'.repeat(16)]) : newName(r, 'fn')
    const old = d.name
    if (!ns.devs.some((x) => x.name === to)) d.name = to
    return { line: `${n} link set ${old} name ${to}` }
  }
  if (what < 0.95) return { line: `${n} link set ${dev} ${pick(r, ['promisc on', 'promisc off', 'txqueuelen 500', 'up mtu 1400'])}` }
  return { line: `${n} link set ${dev} ${pick(r, ['arp off', 'multicast off', 'allmulticast on'])}`, unsupported: true }
}

function addrCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const n = `ip -n ${ns.name}`
  const d = devOf(r, ns)
  const dev = d && !chance(r, 0.08) ? d.name : 'nosuch0'
  const roll = r()
  if (roll < 0.5) {
    let a = `${addrNear(r, m)}/${pick(r, ['24', '24', '16', '32', '8', '33', '0'])}`
    if (chance(r, 0.1)) a = pick(r, ['10.77.0.1', '10.77.0.300/24', 'abc/24', '10.77.0.1/24/1'])
    if (d && chance(r, 0.15) && d.addrs.length) a = pick(r, d.addrs)
    const extra: string[] = []
    if (chance(r, 0.2)) extra.push(`brd ${pick(r, ['+', '-', '10.77.0.255'])}`)
    if (chance(r, 0.15)) extra.push(`scope ${pick(r, SCOPES)}`)
    if (chance(r, 0.05)) extra.push('label ' + pick(r, [`${dev}:1`, 'other']))
    if (chance(r, 0.05)) extra.push('noprefixroute')
    if (chance(r, 0.05)) extra.push(`metric ${pick(r, ['5', '100'])}`)
    if (d && !d.addrs.includes(a)) d.addrs.push(a)
    if (chance(r, 0.05)) return { line: `${n} addr add ${a.split('/')[0]} peer ${addrNear(r, m)} dev ${dev}`, unsupported: true }
    return { line: `${n} addr add ${a}${extra.map((e) => ` ${e}`).join('')} dev ${dev}` }
  }
  if (roll < 0.8) {
    const a = d && d.addrs.length && chance(r, 0.75) ? pick(r, d.addrs) : `${addrNear(r, m)}/${pick(r, ['24', '32'])}`
    if (d) d.addrs = d.addrs.filter((x) => x !== a)
    return { line: `${n} addr del ${a} dev ${dev}` }
  }
  if (d) d.addrs = []
  return { line: `${n} addr flush dev ${dev}${chance(r, 0.2) ? ` scope ${pick(r, ['global', 'link', 'host'])}` : ''}` }
}

function routeCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const n = `ip -n ${ns.name}`
  const roll = r()
  const table = chance(r, 0.15) ? ` table ${pick(r, ['main', '100', 'local', '7', 'bogus'])}` : ''
  if (roll < 0.55) {
    const verb = pick(r, ['add', 'add', 'add', 'replace', 'change', 'append', 'prepend'])
    const type = chance(r, 0.15) ? `${pick(r, ['blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'unicast'])} ` : ''
    const parts = [`${n} route ${verb} ${type}${prefix(r, m)}`]
    if (!type || type === 'unicast ' || type === 'local ') {
      if (chance(r, 0.6)) parts.push(`via ${addrNear(r, m)}`)
      if (chance(r, 0.6)) parts.push(`dev ${devName(r, ns)}`)
      if (chance(r, 0.1)) parts.push('onlink')
      if (chance(r, 0.15)) parts.push(`src ${addrNear(r, m)}`)
      if (chance(r, 0.1)) parts.push(`scope ${pick(r, SCOPES)}`)
    }
    if (chance(r, 0.25)) parts.push(`metric ${pick(r, ['0', '10', '100', '4294967295', '-1', 'x'])}`)
    if (chance(r, 0.05)) parts.push(`proto ${pick(r, ['static', 'boot', 'kernel', '42'])}`)
    if (chance(r, 0.05)) parts.push(`mtu ${pick(r, ['1400', '70000'])}`)
    if (chance(r, 0.03)) parts.push(pick(r, ['nosuchword', 'via']))
    return { line: parts.join(' ') + table }
  }
  if (roll < 0.75) {
    const parts = [`${n} route del ${chance(r, 0.1) ? `${pick(r, ['blackhole', 'unreachable'])} ` : ''}${prefix(r, m)}`]
    if (chance(r, 0.3)) parts.push(`via ${addrNear(r, m)}`)
    if (chance(r, 0.3)) parts.push(`dev ${devName(r, ns)}`)
    if (chance(r, 0.15)) parts.push(`metric ${pick(r, ['0', '10', '100'])}`)
    return { line: parts.join(' ') + table }
  }
  if (roll < 0.95) {
    const parts = [`${n} route get ${addrNear(r, m)}`]
    if (chance(r, 0.15)) parts.push(`from ${addrNear(r, m)}`)
    if (chance(r, 0.1)) parts.push(`oif ${devName(r, ns)}`)
    if (chance(r, 0.05)) parts.push('fibmatch')
    return { line: parts.join(' ') }
  }
  return { line: `${n} route flush ${pick(r, [`dev ${devName(r, ns)}`, `table ${pick(r, ['100', '7'])}`, 'cache', prefix(r, m), `proto ${pick(r, ['static', 'boot'])}`])}` }
}

function neighCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const n = `ip -n ${ns.name}`
  const dev = devName(r, ns)
  const roll = r()
  if (roll < 0.6) {
    const verb = pick(r, ['add', 'add', 'replace', 'change'])
    const parts = [`${n} neigh ${verb} ${addrNear(r, m)}`]
    if (!chance(r, 0.1)) parts.push(`lladdr ${mac(r)}`)
    parts.push(`dev ${dev}`)
    if (chance(r, 0.6)) parts.push(`nud ${pick(r, NUDS)}`)
    if (chance(r, 0.05)) parts.push('router')
    return { line: parts.join(' ') }
  }
  if (roll < 0.85) return { line: `${n} neigh del ${addrNear(r, m)} dev ${dev}` }
  return { line: `${n} neigh flush ${pick(r, [`dev ${dev}`, 'all', `nud ${pick(r, ['permanent', 'stale', 'all'])}`, `dev ${dev} nud failed`, addrNear(r, m)])}` }
}

function fdbCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const b = `bridge -n ${ns.name}`
  const d = devOf(r, ns, ['veth', 'vxlan', 'bridge'])
  const dev = d && !chance(r, 0.08) ? d.name : 'nosuch0'
  const verb = pick(r, ['add', 'add', 'append', 'replace', 'del'])
  const parts = [`${b} fdb ${verb} ${mac(r)} dev ${dev}`]
  if (d?.kind === 'vxlan' || chance(r, 0.1)) {
    if (!chance(r, 0.15)) parts.push(`dst ${addrNear(r, m)}`)
    if (chance(r, 0.2)) parts.push(`vni ${pick(r, ['1', '42'])}`)
    if (chance(r, 0.1)) parts.push(`port ${pick(r, ['4789', '8472'])}`)
    if (chance(r, 0.7)) parts.push('self')
  } else if (chance(r, 0.8)) parts.push(pick(r, ['master', 'master', 'self']))
  if (verb !== 'del' && chance(r, 0.6)) parts.push(pick(r, ['permanent', 'static', 'dynamic']))
  return { line: parts.join(' ') }
}

function sysctlCommand(r: R, ns: NsModel): FuzzCommand {
  const e = `ip netns exec ${ns.name} sysctl`
  const dev = devOf(r, ns)?.name ?? 'lo'
  const key = pick(r, ['net.ipv4.ip_forward', 'net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding', `net.ipv4.conf.${dev}.forwarding`,
    'net.ipv4.conf.all.send_redirects', `net.ipv4.conf.${dev}.accept_redirects`, `net.ipv4.conf.${dev}.rp_filter`, 'net.ipv4.ip_default_ttl',
    'net.ipv4.icmp_echo_ignore_all', 'net.ipv4.icmp_ratelimit', 'net.ipv4.conf.nosuch0.forwarding', 'net.ipv4.no_such_key'])
  const val = pick(r, ['0', '1', '1', '2', '64', '300', 'x', ''])
  if (chance(r, 0.2)) return { line: `${e} ${pick(r, ['-n', '-q', ''])} ${key}`.replace(/ +/g, ' ') }
  return { line: `${e} -w ${key}=${val}` }
}

function pingCommand(r: R, ns: NsModel, m: LabModel): FuzzCommand {
  const parts = [`ip netns exec ${ns.name} ping`]
  parts.push(chance(r, 0.2) ? `-w ${pick(r, ['1', '2'])}` : `-c ${pick(r, ['1', '1', '2', '0'])}`)
  if (chance(r, 0.7)) parts.push(`-W ${pick(r, ['1', '1', '0.5'])}`)
  // Not above 65507: the engine refuses it as iputils 20240905 does, the version compared here
  // accepts it (docs/conformance.md, "What the engine does not simulate").
  if (chance(r, 0.15)) parts.push(`-s ${pick(r, ['56', '1472', '1500', '65507', '65507', '-1'])}`)
  if (chance(r, 0.15)) parts.push('-M do')
  if (chance(r, 0.1)) parts.push(`-I ${chance(r, 0.5) ? devName(r, ns) : addrNear(r, m)}`)
  if (chance(r, 0.05)) parts.push('-q')
  if (chance(r, 0.05)) parts.push(`-t ${pick(r, ['1', '64', '0'])}`)
  if (chance(r, 0.2)) parts.push('-i 0.2')
  // Only the lab's own addresses and addresses of its subnets: traffic stays in its namespaces.
  parts.push(m.addrs.length && chance(r, 0.7) ? pick(r, m.addrs) : addrNear(r, m).replace(/^(127|0|224)\..*/, m.addrs[0] ?? '10.77.0.1'))
  return { line: parts.join(' ') }
}

function showCommand(r: R, ns: NsModel): FuzzCommand {
  const opts = (set: string[]): string => {
    const o = set.filter(() => chance(r, 0.25))
    return o.length ? ` ${o.join(' ')}` : ''
  }
  const o = opts(['-br', '-o', '-4', '-6', '-j'])
  const n = `ip${o} -n ${ns.name}`
  const dev = devName(r, ns)
  const br = devOf(r, ns, ['bridge'])?.name ?? 'nosuch0'
  const roll = r()
  if (roll < 0.2) return { line: `${n} link show${pick(r, ['', ` dev ${dev}`, ` ${dev}`, ' up', ` master ${br}`, ` type ${pick(r, ['veth', 'bridge', 'vxlan'])}`])}` }
  if (roll < 0.45) {
    const filter = pick(r, ['', ` dev ${dev}`, ' up', ` ${dev}`, ` master ${br}`, ` scope ${pick(r, ['global', 'link', 'host', 'all', '253'])}`,
      ` ${pick(r, ['permanent', 'dynamic', 'secondary', 'primary', 'noprefixroute'])}`, ` label ${pick(r, [dev, `${dev.slice(0, 1)}*`])}`,
      ` to ${pick(r, ['10.0.0.0/8', '10.244.0.0/16', '192.168.0.0/16'])}`, ` dev ${dev} scope global`, ' up scope link'])
    return { line: `${n} addr show${filter}` }
  }
  if (roll < 0.7) {
    const filter = pick(r, ['', ` dev ${dev}`, ' table all', ' table local', ' table 100', ' proto kernel', ' scope link', ' type blackhole', ' via 10.77.0.1', ' root 10.0.0.0/8', ' match 10.244.1.9', ' exact 0.0.0.0/0', ' default'])
    // IPv6 routes are not simulated (docs/commands.md): `ip -6 route` says so.
    if (n.includes(' -6')) return { line: `${n} route show${filter}`, unsupported: true }
    // Not `table all`: it lists IPv6 too, where a link-local address's `local` route appears when
    // DAD ends, 1-2 s after the link came up at a random moment (fixtures/table-all.sh checks it
    // once DAD is over); the sequence brings links up at any time.
    return { line: `${n} route show${filter === ' table all' ? ' table main' : filter}` }
  }
  // Not `nud all` / `nud noarp`: those list the NOARP entries of multicast groups, which the
  // engine does not simulate (docs/conformance.md).
  if (roll < 0.82) return { line: `ip${opts(['-4', '-s'])} -n ${ns.name} neigh show${pick(r, ['', ` dev ${dev}`, ' nud permanent', ' nud failed', ' nud reachable', ' nud stale', ' proxy'])}` }
  if (roll < 0.92) return { line: `bridge -n ${ns.name} fdb show${pick(r, ['', ` br ${br}`, ` dev ${dev}`, ` brport ${dev}`, ' dynamic'])}` }
  // -d of every kind (a bridge's and a port's settings included), in JSON too (the same draws).
  if (roll < 0.96) return { line: `ip -d${roll >= 0.94 ? ' -j' : ''} -n ${ns.name} link show dev ${devName(r, ns, ['veth', 'vxlan', 'bridge', 'loopback'])}` }
  // Not `ifconfig`: its packet counters include the IPv6 housekeeping the engine sends once where
  // the kernel repeats it (docs/conformance.md, "What the engine does not simulate").
  return { line: `ip netns exec ${ns.name} ${pick(r, ['route -n', 'arp -n', 'brctl show', 'sysctl net.ipv4.ip_forward'])}` }
}

/** One random sequence of `length` commands over the lab. */
export function commandSequence(r: R, m: LabModel, length: number): FuzzCommand[] {
  const out: FuzzCommand[] = []
  for (let i = 0; i < length; i++) {
    const ns = pick(r, m.ns)
    const roll = r()
    if (roll < 0.15) out.push(linkCommand(r, ns, m))
    else if (roll < 0.3) out.push(addrCommand(r, ns, m))
    else if (roll < 0.47) out.push(routeCommand(r, ns, m))
    else if (roll < 0.55) out.push(neighCommand(r, ns, m))
    else if (roll < 0.62) out.push(fdbCommand(r, ns, m))
    else if (roll < 0.67) out.push(sysctlCommand(r, ns))
    else if (roll < 0.73) out.push(pingCommand(r, ns, m))
    else out.push(showCommand(r, ns))
  }
  return out
}
