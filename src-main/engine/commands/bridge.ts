import { printJson } from './json-out.ts'
import { coloredFdbText, fdbJson, type FdbRow } from '../../../shared/rows.ts'
import { colorOption } from '../../../shared/color.ts'
import type { Netns } from '../kernel/netns.ts'
import { formatIpv4, parseIpv4Loose } from '../addr/ipv4.ts'
import { formatMac, isMulticastMac, parseMac, type Mac } from '../addr/mac.ts'
import { BridgeDevice, type FdbEntry } from '../kernel/bridge.ts'
import type { NetDevice } from '../kernel/device.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import { VxlanDevice } from '../kernel/vxlan.ts'
import { fail, type Command, type Ctx } from './context.ts'
import { matches } from './iproute-util.ts'
import { linkFlags } from './link-format.ts'

interface BridgeOpts {
  stats: boolean
  details: boolean
  json: boolean
  pretty: boolean
  /** -color: iproute2's colours. */
  color: boolean
}

/** `bridge [-n NS] [-s] [-d] [-j] { fdb | link } ...` (iproute2's bridge tool); its failures exit 255. */
export const bridge: Command = (ctx, argv) => {
  const o: BridgeOpts = { stats: false, details: false, json: false, pretty: false, color: false }
  let c = ctx
  let i = 0
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const a = argv[i].replace(/^--/, '-')
    if (matches(a, '-netns')) {
      const name = argv[++i]
      const ns = name === undefined ? undefined : ctx.world.namespaces.get(name)
      // iproute2 prints the missing name with printf's "%s", which glibc writes as (null).
      if (!ns) fail(255, `Cannot open network namespace "${name ?? '(null)'}": No such file or directory`)
      c = ctx.inNetns(ns)
    } else if (matches(a, '-statistics') || matches(a, '-stats')) o.stats = true
    else if (matches(a, '-details')) o.details = true
    else if (matches(a, '-json')) o.json = true
    else if (matches(a, '-pretty')) o.pretty = true
    else if (colorOption(a, matches) !== undefined) o.color = colorOption(a, matches) === true
    else if (a === '-4' || a === '-6' || matches(a, '-oneline') || matches(a, '-timestamp') || matches(a, '-compressvlans') || matches(a, '-force')) {
      /* accepted */
    } else if (matches(a, '-Version')) {
      ctx.println('bridge utility, 6.1.0')
      return 0
    } else fail(255, `Option "${argv[i]}" is unknown, try "bridge help".`)
  }
  const obj = argv[i]
  const rest = argv.slice(i + 1)
  if (obj === undefined) fail(255, 'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n                    -o[neline] | -t[imestamp] | -n[etns] name |\n                    -com[pressvlans] -c[olor] -p[retty] -j[son] }')
  if (matches(obj, 'fdb')) return fdb(c, rest, o)
  if (matches(obj, 'link')) return link(c, rest, o)
  fail(255, `Object "${obj}" is unknown, try "bridge help".`)
}

function link(ctx: Ctx, argv: string[], o: BridgeOpts): number {
  const cmd = argv[0] ?? 'show'
  if (!(matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst'))) fail(255, `Command "${cmd}" is unknown, try "bridge link help".`)
  let only: NetDevice | undefined
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === 'dev') {
      const d = ctx.netns.dev(argv[++i] ?? '')
      if (!d) fail(255, `Cannot find device "${argv[i]}"`)
      only = d
    }
  }
  const rows: Record<string, unknown>[] = []
  for (const d of ctx.netns.deviceList()) {
    if (!d.master || (only && d !== only)) continue
    const state = d.master.portForwarding(d) ? 'forwarding' : 'disabled'
    // br_fill_ifinfo sends IFLA_LINK without a netns id, so bridge names the peer's ifindex as
    // it is in this namespace: whatever device has that number here, or ifN.
    const peer = d.link ? (ctx.netns.devices.get(d.link.ifindex)?.name ?? `if${d.link.ifindex}`) : undefined
    const cost = d.kind === 'veth' ? 2 : 100
    if (o.json) {
      const j: Record<string, unknown> = { ifindex: d.ifindex }
      if (peer !== undefined) j.link = peer
      Object.assign(j, { ifname: d.name, flags: linkFlags(d).split(',').filter((f) => f !== ''), mtu: d.mtu, master: d.master.name, state, priority: 32, cost })
      if (o.details) Object.assign(j, PORT_FLAGS)
      rows.push(j)
      continue
    }
    ctx.println(`${d.ifindex}: ${peer === undefined ? d.name : `${d.name}@${peer}`}: <${linkFlags(d)}> mtu ${d.mtu} master ${d.master.name} state ${state} priority 32 cost ${cost} `)
    if (o.details) ctx.println('    ' + Object.entries(PORT_FLAGS).map(([k, v]) => `${k} ${typeof v === 'boolean' ? (v ? 'on' : 'off') : v} `).join(''))
  }
  if (o.json) printJson(ctx, rows, o.pretty)
  return 0
}

/** A port's flags as `bridge -d link` prints them (print_protinfo), all at the kernel's defaults. */
const PORT_FLAGS: Record<string, boolean | number> = {
  hairpin: false, guard: false, root_block: false, fastleave: false, learning: true, flood: true, mcast_flood: true, bcast_flood: true,
  mcast_router: 1, mcast_to_unicast: false, neigh_suppress: false, vlan_tunnel: false, isolated: false, locked: false,
}

type FdbState = 'permanent' | 'static' | 'dynamic'

function fdb(ctx: Ctx, argv: string[], o: BridgeOpts): number {
  const cmd = argv[0] ?? 'show'
  const rest = argv.slice(1)
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) return fdbShow(ctx, rest, o)
  if (cmd === 'add' || cmd === 'append' || cmd === 'replace' || cmd === 'del' || cmd === 'delete' || cmd === 'change') return fdbModify(ctx, rest, cmd === 'delete' ? 'del' : cmd)
  if (matches(cmd, 'flush')) return 0
  fail(255, `Command "${cmd}" is unknown, try "bridge fdb help".`)
}

function fdbModify(ctx: Ctx, argv: string[], cmd: 'add' | 'append' | 'replace' | 'del' | 'change'): number {
  let mac: Mac | undefined
  let devName: string | undefined
  let dst: number | undefined
  let port = 0
  let vni = -1
  let self = false
  let master = false
  let state: FdbState = 'permanent'
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]
    const val = (): string => {
      if (i + 1 >= argv.length) fail(255, 'Command line is not complete. Try option "help"')
      return argv[++i]
    }
    if (w === 'dev') devName = val()
    else if (w === 'dst') {
      const v = val()
      const ip = parseIpv4Loose(v)
      if (ip === null) fail(255, `Invalid address "${v}"`)
      dst = ip
    } else if (w === 'port' || w === 'dst_port') {
      const v = val()
      if (!/^\d+$/.test(v) || Number(v) > 65535) fail(255, `Invalid port "${v}"`)
      port = Number(v)
    } else if (w === 'vni') {
      const v = val()
      if (!/^\d+$/.test(v) || Number(v) > 16777215) fail(255, `Invalid VNI "${v}"`)
      vni = Number(v)
    } else if (w === 'self') self = true
    else if (w === 'master') master = true
    else if (w === 'local' || w === 'permanent') state = 'permanent'
    else if (w === 'temp' || w === 'static') state = 'static'
    else if (w === 'dynamic') state = 'dynamic'
    else if (w === 'router' || w === 'use' || w === 'extern_learn' || w === 'sticky') {
      /* flags without effect in the lab */
    } else if (w === 'vlan' || w === 'via' || w === 'src_vni' || w === 'nhid') val()
    else {
      if (mac !== undefined) fail(255, `Error: either "dev" is duplicate, or "${w}" is a garbage.`)
      const m = parseMac(w)
      if (m === null) fail(255, `Invalid mac address ${w}`)
      mac = m
    }
  }
  if (mac === undefined || devName === undefined) fail(255, 'Device and address are required arguments.')
  const dev = ctx.netns.dev(devName)
  if (!dev) fail(255, `Cannot find device "${devName}"`)
  if (!self && !master) self = true
  try {
    if (master) {
      // rtnl_fdb_add hands `master` to the bridge only for a bridge port; otherwise nothing
      // takes it (EOPNOTSUPP). br_fdb_add refuses the all-zero address.
      const br = dev.master
      if (!br) throw new KernelError('EOPNOTSUPP')
      if (cmd !== 'del' && mac === 0) throw new KernelError('EINVAL')
      masterModify(br, dev, mac, cmd, state)
      ctx.change()
    }
    if (self) {
      if (dev instanceof VxlanDevice) {
        const remote = { ip: dst ?? 0, port, vni }
        if (cmd === 'del') dev.fdbDel(mac, dst === undefined ? null : remote)
        else {
          if (dst === undefined) throw new KernelError('EINVAL', 'Unicast destination required')
          dev.fdbAdd(mac, remote, cmd === 'change' ? 'replace' : cmd, state === 'dynamic' ? 'reachable' : state)
        }
      } else if (dev instanceof BridgeDevice) {
        masterModify(dev, dev, mac, cmd, state)
      } else {
        selfModify(dev, mac, cmd, state)
      }
      ctx.change()
    }
  } catch (e) {
    if (e instanceof KernelError) fail(255, e.extack ? `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}` : `RTNETLINK answers: ${STRERROR[e.errno]}`)
    throw e
  }
  return 0
}

/** br_fdb_add / br_fdb_delete on the bridge's FDB (static and permanent entries). */
function masterModify(br: BridgeDevice, port: NetDevice, mac: Mac, cmd: string, state: FdbState): void {
  const e = br.fdb.get(mac)
  const onPort = port === br ? null : port
  if (cmd === 'del') {
    if (!e || e.port !== onPort) throw new KernelError('ENOENT')
    br.fdb.delete(mac)
    return
  }
  // fdb_add_entry: an entry on the bridge itself (no port) must be permanent, checked first.
  if (!onPort && state !== 'permanent') throw new KernelError('EINVAL')
  if (e && cmd === 'add') throw new KernelError('EEXIST')
  if (e) br.fdb.delete(mac)
  br.fdb.set(mac, { mac, port: onPort, local: state === 'permanent', isStatic: state !== 'dynamic', updatedNs: br.netns.world.sched.now })
}

/** ndo_dflt_fdb_add/del: a device's own unicast/multicast address lists; only permanent ones. */
function selfModify(dev: NetDevice, mac: Mac, cmd: string, state: FdbState): void {
  const list = isMulticastMac(mac)
  if (cmd === 'del') {
    if (list) {
      if (!dev.hasMc(mac)) throw new KernelError('ENOENT')
      dev.mcDel(mac)
    } else {
      if (!dev.ucDel(mac)) throw new KernelError('ENOENT')
    }
    return
  }
  // "default FDB implementation only supports local addresses" goes to the kernel log only.
  if (state !== 'permanent') throw new KernelError('EINVAL')
  // ndo_dflt_fdb_add reports a duplicate only with NLM_F_EXCL (`add`); append and replace keep
  // the one entry there is.
  if (list) {
    if (dev.hasMc(mac)) {
      if (cmd === 'add') throw new KernelError('EEXIST')
      return
    }
    dev.mcAdd(mac)
  } else {
    if (dev.uc.includes(mac)) {
      if (cmd === 'add') throw new KernelError('EEXIST')
      return
    }
    dev.ucAdd(mac)
  }
}

/** What `bridge fdb show` lists: the rows, for every device or filtered. */
interface FdbFilter {
  br?: NetDevice
  only?: NetDevice
  dynamicOnly: boolean
  stats: boolean
  /** Forwarding entries only: no device's own addresses (`self` on a non-VXLAN device) and no multicast. */
  forwardingOnly?: boolean
}

function fdbShow(ctx: Ctx, argv: string[], o: BridgeOpts): number {
  let br: NetDevice | undefined
  let only: NetDevice | undefined
  let dynamicOnly = false
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]
    if (w === 'br') {
      const d = ctx.netns.dev(argv[++i] ?? '')
      if (!d) fail(255, `Cannot find bridge device "${argv[i]}"`)
      br = d
    } else if (w === 'brport' || w === 'dev') {
      const d = ctx.netns.dev(argv[++i] ?? '')
      if (!d) fail(255, `Cannot find device "${argv[i]}"`)
      only = d
    } else if (w === 'dynamic') dynamicOnly = true
    else if (w === 'vlan' || w === 'state') i++
    else if (w === 'self' || w === 'master') {
      /* filters not needed by the lab */
    } else fail(255, `Error: either "dev" is duplicate, or "${w}" is a garbage.`)
  }
  const rows = fdbRowsOf(ctx.netns, { br, only, dynamicOnly, stats: o.stats })
  if (o.json) {
    // bridge -j: mac, ifname, dst/port/vni, flags, master, state.
    printJson(ctx, rows.map(fdbJson), o.pretty)
    return 0
  }
  for (const r of rows) ctx.println(coloredFdbText(r, o.color))
  return 0
}

/**
 * The forwarding entries of bridges (`master`) and VXLAN devices in a namespace, as `bridge fdb
 * show` lists them, without the devices' multicast memberships (kernel bookkeeping, not forwarding).
 */
export function fdbRows(ns: Netns): FdbRow[] {
  return fdbRowsOf(ns, { dynamicOnly: false, stats: false, forwardingOnly: true })
}

function fdbRowsOf(ns: Netns, f: FdbFilter): FdbRow[] {
  const { br, only, dynamicOnly } = f
  const shown = (mac: Mac): boolean => !f.forwardingOnly || !isMulticastMac(mac)
  const now = ns.world.sched.now
  const rows: FdbRow[] = []
  const ifname = (d: NetDevice): string | undefined => (only === undefined ? d.name : undefined)
  const used = (e: { updatedNs: number }): number | undefined => (f.stats ? Math.max(0, Math.floor((now - e.updatedNs) / 1e9)) : undefined)
  const bridgeRow = (e: FdbEntry, d: NetDevice, master: string, withUsed = true): FdbRow => ({ mac: formatMac(e.mac), ifname: ifname(d), used: withUsed ? used(e) : undefined, master, state: bridgeState(e) })
  const selfRow = (mac: Mac, d: NetDevice): FdbRow => ({ mac: formatMac(mac), ifname: ifname(d), state: 'permanent' })
  for (const d of ns.deviceList()) {
    if (d.isLoopback) continue
    if (only && d !== only) continue
    if (br && d !== br && d.master !== br) continue
    if (d.master) {
      for (const e of newestFirst(d.master.liveEntries()).filter((x) => x.port === d)) {
        if ((dynamicOnly && (e.local || e.isStatic)) || !shown(e.mac)) continue
        rows.push(bridgeRow(e, d, d.master.name))
      }
    }
    if (dynamicOnly) {
      if (d instanceof BridgeDevice) for (const e of newestFirst(d.liveEntries()).filter((x) => x.port === null && !x.local && !x.isStatic)) rows.push(bridgeRow(e, d, d.name, false))
      continue
    }
    if (d instanceof VxlanDevice) {
      for (const e of newestFirst([...d.fdb.values()].filter((x) => d.lookup(x.mac) === x && shown(x.mac)))) {
        for (const r of e.remotes) {
          rows.push({
            mac: formatMac(e.mac), ifname: ifname(d), dst: formatIpv4(r.ip),
            port: r.port && r.port !== d.cfg.dstport ? r.port : undefined,
            vni: r.vni >= 0 && r.vni !== d.cfg.vni ? r.vni : undefined,
            used: used(e), state: e.state === 'reachable' ? '' : e.state,
          })
        }
      }
      continue
    }
    if (!f.forwardingOnly) {
      for (const m of d.uc) rows.push(selfRow(m, d))
      for (const mac of d.mcAddrs()) rows.push(selfRow(mac, d))
    }
    if (d instanceof BridgeDevice) {
      for (const e of newestFirst(d.liveEntries()).filter((x) => x.port === null && shown(x.mac))) rows.push(bridgeRow(e, d, d.name))
    }
  }
  return rows
}

function newestFirst<T>(xs: T[]): T[] {
  return [...xs].reverse()
}

function bridgeState(e: FdbEntry): string {
  if (e.local) return 'permanent'
  if (e.isStatic) return 'static'
  return ''
}
