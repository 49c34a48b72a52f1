import { printJson } from './json-out.ts'
import { coloredNeighText, type NeighRow } from '../../../shared/rows.ts'
import type { Netns } from '../kernel/netns.ts'
import { formatIpv4, parseIpv4Loose, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, type Mac } from '../addr/mac.ts'
import type { NetDevice } from '../kernel/device.ts'
import { KernelError } from '../kernel/errors.ts'
import { Nud, stateName, type Neighbour } from '../kernel/neigh.ts'
import { fail, type Ctx } from './context.ts'
import type { IpOpts } from './ip.ts'
import { Args, invarg, llAddrA2n, macOfBytes, matches, rtnl, rtnlError } from './iproute-util.ts'

/** `ip neigh` { add | del | change | replace | show | flush | get }. */
export function ipNeigh(ctx: Ctx, argv: string[], opts: IpOpts): number {
  if (opts.family === 'inet6') return 0
  if (argv.length === 0) return neighShow(ctx, [], opts, false)
  const cmd = argv[0]
  const rest = argv.slice(1)
  if (matches(cmd, 'add')) return neighModify(ctx, rest, 'add')
  if (matches(cmd, 'change') || cmd === 'chg') return neighModify(ctx, rest, 'change')
  if (matches(cmd, 'replace')) return neighModify(ctx, rest, 'replace')
  if (matches(cmd, 'delete')) return neighModify(ctx, rest, 'del')
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return neighShow(ctx, rest, opts, false)
  if (matches(cmd, 'flush')) return neighShow(ctx, rest, opts, true)
  if (matches(cmd, 'get')) return neighGet(ctx, rest, opts)
  fail(255, `Command "${cmd}" is unknown, try "ip neigh help".`)
}

const NUD_BY_NAME: Record<string, number> = {
  permanent: Nud.Permanent, reachable: Nud.Reachable, noarp: Nud.Noarp, none: Nud.None, stale: Nud.Stale,
  incomplete: Nud.Incomplete, delay: Nud.Delay, probe: Nud.Probe, failed: Nud.Failed,
}

function parseNud(s: string): number {
  if (Object.hasOwn(NUD_BY_NAME, s)) return NUD_BY_NAME[s]
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return Number(s) & 0xff
  invarg('nud state is bad', s)
}

function neighModify(ctx: Ctx, argv: string[], cmd: 'add' | 'change' | 'replace' | 'del'): number {
  const a = new Args(argv)
  let dst: Ipv4 | undefined
  let dstText = ''
  let lladdr: Mac | undefined
  let llBad = false
  let dev: string | undefined
  let nud = Nud.Permanent
  let router = false
  while (!a.done) {
    const w = a.peek()!
    if (w === 'lladdr') {
      const v = a.value()
      // ll_addr_a2n into a 20-byte buffer; neigh_add refuses fewer bytes than the device's
      // address has and takes the first six of more.
      const b = v === 'null' ? null : llAddrA2n(v, 20)
      if (b === null) lladdr = undefined
      else if (!Array.isArray(b)) fail(1, b.error)
      else if (b.length < 6) llBad = true
      else lladdr = macOfBytes(b)
    } else if (w === 'nud') {
      nud = parseNud(a.value())
    } else if (w === 'proxy') {
      fail(1, 'podnet: proxy neighbours are not simulated')
    } else if (w === 'router') {
      router = true
      a.next()
    } else if (w === 'extern_learn' || w === 'managed' || w === 'use') {
      a.next()
    } else if (w === 'dev') {
      dev = a.value()
    } else {
      let v = a.next()
      if (v === 'to') v = a.done ? a.value() : a.next()
      if (dst !== undefined) fail(255, `Error: either "to" is duplicate, or "${v}" is a garbage.`)
      const ip = parseIpv4Loose(v)
      if (ip === null) fail(1, `Error: any valid address is expected rather than "${v}".`)
      dst = ip
      dstText = v
    }
  }
  if (dst === undefined || dev === undefined) fail(255, 'Device and destination are required arguments.')
  const d = ctx.netns.dev(dev)
  if (!d) fail(1, `Cannot find device "${dev}"`)
  void dstText
  const table = ctx.netns.neigh
  const existing = table.lookup(d, dst)
  if (cmd === 'del') {
    if (!existing || existing.state === Nud.None) rtnlError(new KernelError('ENOENT'))
    table.update(existing, null, Nud.Failed, { override: true, admin: true })
    table.remove(existing)
    ctx.change()
    return 0
  }
  if (llBad) rtnlError(new KernelError('EINVAL', 'Invalid link address.'))
  // neigh_add: the entry is looked up (EEXIST for add, ENOENT for change) before
  // __neigh_update asks for a link-layer address.
  if (cmd === 'add' && existing && existing.state !== Nud.None) rtnlError(new KernelError('EEXIST'))
  if (cmd === 'change' && (!existing || existing.state === Nud.None)) rtnlError(new KernelError('ENOENT'))
  if (lladdr === undefined && nud & (Nud.Permanent | Nud.Noarp | Nud.Reachable | Nud.Stale | Nud.Delay | Nud.Probe)) rtnlError(new KernelError('EINVAL', 'No link layer address given.'))
  rtnl(() => {
    const n = existing ?? table.create(d, dst)
    table.update(n, lladdr ?? null, nud, { override: true, admin: true, isRouter: router })
    if (!existing && nud === Nud.None) n.state = Nud.None
  })
  ctx.change()
  return 0
}

interface NeighFilter {
  dev?: NetDevice
  dst?: Ipv4
  nud?: number
  all: boolean
}

function parseFilter(ctx: Ctx, argv: string[]): NeighFilter {
  const f: NeighFilter = { all: false }
  const a = new Args(argv)
  while (!a.done) {
    const w = a.peek()!
    if (w === 'dev') {
      const v = a.value()
      const d = ctx.netns.dev(v)
      if (!d) fail(1, `Cannot find device "${v}"`)
      f.dev = d
    } else if (w === 'nud') {
      const v = a.value()
      if (v === 'all') {
        f.nud = 0xff
        f.all = true
      } else f.nud = (f.nud ?? 0) | parseNud(v) || (v === 'none' ? 0x100 : 0)
    } else if (w === 'proxy' || w === 'unused') {
      a.next()
    } else {
      let v = a.next()
      if (v === 'to') v = a.done ? a.value() : a.next()
      if (v === 'all') {
        f.all = true
        continue
      }
      const ip = parseIpv4Loose(v.split('/')[0])
      if (ip === null) fail(1, `Error: any valid prefix is expected rather than "${v}".`)
      f.dst = ip
    }
  }
  return f
}

function visible(n: Neighbour, f: NeighFilter): boolean {
  if (f.dev && n.dev !== f.dev) return false
  if (f.dst !== undefined && n.ip !== f.dst) return false
  if (f.nud !== undefined) {
    if (f.nud === 0xff) return true
    if (n.state === Nud.None) return (f.nud & 0x100) !== 0
    return (n.state & f.nud) !== 0
  }
  // Default filter: everything but NOARP and NONE.
  return n.state !== Nud.None && !(n.state & Nud.Noarp)
}

/** The entries `ip neigh show` lists in a namespace (the default filter: no NOARP or NONE entries). */
export function neighRows(ns: Netns): NeighRow[] {
  const now = ns.world.sched.now
  const f: NeighFilter = { all: false }
  return ns.neigh.entries().filter((n) => visible(n, f)).map((n) => neighRow(n, true, false, now))
}

function neighShow(ctx: Ctx, argv: string[], opts: IpOpts, flush: boolean): number {
  const f = parseFilter(ctx, argv)
  const table = ctx.netns.neigh
  if (flush) {
    if (argv.length === 0) fail(255, 'Flush requires arguments.')
    for (const n of table.entries()) {
      if (!visible(n, f)) continue
      if (n.state & Nud.Permanent && (f.nud === undefined || !(f.nud & Nud.Permanent))) continue
      table.remove(n)
      ctx.change()
    }
    return 0
  }
  const rows = table.entries().filter((n) => visible(n, f)).map((n) => neighRow(n, !f.dev, opts.stats > 0, ctx.world.sched.now))
  if (opts.json) printJson(ctx, rows, opts.pretty)
  else for (const r of rows) ctx.println(coloredNeighText(r, opts.color))
  return 0
}

/** The entry as print_neigh has it: `ip -j neigh`'s keys, each present when its words are printed. */
function neighRow(n: Neighbour, withDev: boolean, stats: boolean, nowNs: number): NeighRow {
  const j: NeighRow = { dst: formatIpv4(n.ip) }
  if (withDev) j.dev = n.dev.name
  if (hasLladdr(n)) j.lladdr = formatMac(n.mac!)
  if (n.isRouter) j.router = null
  if (stats) {
    const sec = (t: number): number => Math.max(0, Math.floor((nowNs - t) / 1e9))
    if (referenced(n)) j.refcnt = 1
    Object.assign(j, { used: sec(n.usedNs), confirmed: sec(n.confirmedNs), updated: sec(n.updatedNs), probes: n.probes })
  }
  if (n.state !== Nud.None) j.state = stateName(n.state).split(' ')
  return j
}

function hasLladdr(n: Neighbour): boolean {
  return n.mac !== null && n.state !== Nud.Failed && n.state !== Nud.Incomplete && n.state !== Nud.None
}

/** `ref 1`: something holds the entry (its timer while resolving or confirming, a cached route). */
function referenced(n: Neighbour): boolean {
  return (n.state & (Nud.Permanent | Nud.Reachable | Nud.Stale | Nud.Delay | Nud.Probe | Nud.Noarp | Nud.Incomplete)) !== 0
}

function neighGet(ctx: Ctx, argv: string[], opts: IpOpts): number {
  const f = parseFilter(ctx, argv)
  if (f.dst === undefined || !f.dev) fail(255, 'Device and address are required arguments.')
  const n = ctx.netns.neigh.lookup(f.dev, f.dst)
  if (!n || n.state === Nud.None) rtnlError(new KernelError('ENOENT', 'Neighbour entry not found.'))
  ctx.println(coloredNeighText(neighRow(n, true, false, ctx.world.sched.now), opts.color))
  return 0
}
