import { formatIpv4, parseIpv4, parsePrefix, prefixMask } from '../engine/addr/ipv4.ts'
import { formatMac, parseMac } from '../engine/addr/mac.ts'
import { run } from '../engine/commands/index.ts'
import { BridgeDevice, fdbLine } from '../engine/kernel/bridge.ts'
import { RouteType, type Route } from '../engine/kernel/fib.ts'
import { routeLine } from '../engine/kernel/format.ts'
import { Nud, neighLine } from '../engine/kernel/neigh.ts'
import type { Netns } from '../engine/kernel/netns.ts'
import { VxlanDevice } from '../engine/kernel/vxlan.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'
import type { Text } from './format.ts'
import type { GoalCheck } from './goal-format.ts'
import { same, say } from './messages.ts'

/** A goal's outcome: passed, or failed with the reason in both languages. */
export type Outcome = { pass: true } | { pass: false; why: Text }

const PASS: Outcome = { pass: true }
const fail = (why: Text): Outcome => ({ pass: false, why })

type TableCheck = Extract<GoalCheck, { kind: 'route' | 'neighbour' | 'fdb' | 'sysctl' | 'link' | 'count' | 'command' }>

/**
 * Goals about tables and devices, read from the engine's objects (the FIB, the neighbour table,
 * the bridge and VXLAN FDBs, sysctls, devices) of a replayed copy of the learner's lab.
 */
export function checkTable(world: World, cluster: Cluster | null, c: TableCheck): Outcome {
  const ns = c.netns === undefined ? null : (world.netns(c.netns) ?? null)
  if (c.netns !== undefined && !ns) return fail(say('table.no_netns', { netns: c.netns }))
  switch (c.kind) {
    case 'route':
      return routeGoal(ns!, c)
    case 'neighbour':
      return neighGoal(ns!, c)
    case 'fdb':
      return fdbGoal(ns!, c)
    case 'sysctl': {
      const actual = ns!.sysctl.get(c.key) ?? '-'
      return actual === c.value ? PASS : fail(say('sysctl.value', { key: c.key, actual, value: c.value, netns: c.netns }))
    }
    case 'link':
      return linkGoal(ns!, c)
    case 'count':
      return countGoal(world, cluster, ns, c)
    case 'command':
      return commandGoal(world, ns, c)
  }
}

/** Unicast routes of the main table (what `ip route show` lists). */
function mainRoutes(ns: Netns): Route[] {
  return ns.main.routes().filter((r) => r.type === RouteType.Unicast)
}

function routeGoal(ns: Netns, c: Extract<GoalCheck, { kind: 'route' }>): Outcome {
  const pre = c.dst === 'default' ? { addr: 0, len: 0 } : parsePrefix(c.dst)!
  const via = c.via === undefined ? undefined : parseIpv4(c.via)!
  const matches = mainRoutes(ns).filter((r) => r.dst === pre.addr && r.len === pre.len && (via === undefined || r.gateway === via) && (c.dev === undefined || r.dev?.name === c.dev))
  const wanted = [c.dst, ...(c.via ? ['via', c.via] : []), ...(c.dev ? ['dev', c.dev] : [])].join(' ')
  if (c.present) return matches.length ? PASS : fail(say('route.missing', { netns: c.netns, route: wanted }))
  return matches.length ? fail(say('route.present', { netns: c.netns, entry: routeLine(matches[0]) })) : PASS
}

function neighGoal(ns: Netns, c: Extract<GoalCheck, { kind: 'neighbour' }>): Outcome {
  const ip = parseIpv4(c.ip)!
  const mac = c.lladdr === undefined ? undefined : parseMac(c.lladdr)!
  const matches = ns.neigh.entries().filter((n) => n.ip === ip && (c.dev === undefined || n.dev.name === c.dev) && (mac === undefined || n.mac === mac) && (!c.permanent || n.state === Nud.Permanent))
  const wanted = [c.ip, ...(c.dev ? ['dev', c.dev] : []), ...(c.lladdr ? ['lladdr', c.lladdr] : []), ...(c.permanent ? ['PERMANENT'] : [])].join(' ')
  if (c.present) return matches.length ? PASS : fail(say('neigh.missing', { netns: c.netns, entry: wanted }))
  return matches.length ? fail(say('neigh.present', { netns: c.netns, entry: neighLine(matches[0]) })) : PASS
}

function fdbGoal(ns: Netns, c: Extract<GoalCheck, { kind: 'fdb' }>): Outcome {
  const dev = ns.dev(c.dev)
  if (!dev) return fail(say('link.missing', { netns: c.netns, dev: c.dev }))
  const mac = c.mac === undefined ? undefined : parseMac(c.mac)!
  const dst = c.dst === undefined ? undefined : parseIpv4(c.dst)!
  let found: string | undefined
  if (dev instanceof VxlanDevice) {
    for (const e of dev.fdb.values()) {
      if (mac !== undefined && e.mac !== mac) continue
      const r = e.remotes.find((x) => dst === undefined || x.ip === dst)
      if (r) {
        found = `${formatMac(e.mac)} dst ${formatIpv4(r.ip)}`
        break
      }
    }
  } else if (dev instanceof BridgeDevice) {
    const e = dev.liveEntries().find((x) => (mac === undefined || x.mac === mac) && (c.port === undefined || x.port?.name === c.port))
    if (e) found = fdbLine(e, dev.name)
  } else return fail(say('fdb.no_table', { netns: c.netns, dev: c.dev }))
  const wanted = [c.mac ?? '*', ...(c.dst ? ['dst', c.dst] : []), ...(c.port ? ['dev', c.port] : [])].join(' ')
  if (c.present) return found !== undefined ? PASS : fail(say('fdb.missing', { netns: c.netns, dev: c.dev, entry: wanted }))
  return found === undefined ? PASS : fail(say('fdb.present', { netns: c.netns, dev: c.dev, entry: found }))
}

function linkGoal(ns: Netns, c: Extract<GoalCheck, { kind: 'link' }>): Outcome {
  const d = ns.dev(c.dev)
  const p = { netns: c.netns, dev: c.dev }
  if (!c.exists) return d ? fail(say('link.exists', p)) : PASS
  if (!d) return fail(say('link.missing', p))
  if (c.up !== undefined && d.adminUp !== c.up) return fail(say(d.adminUp ? 'link.up' : 'link.down', p))
  if (c.mtu !== undefined && d.mtu !== c.mtu) return fail(say('link.mtu', { ...p, actual: d.mtu, mtu: c.mtu }))
  if (c.master !== undefined) {
    const actual = d.master?.name ?? null
    if (c.master === null && actual !== null) return fail(say('link.has_master', { ...p, actual }))
    if (c.master !== null && actual === null) return fail(say('link.no_master', p))
    if (c.master !== null && actual !== c.master) return fail(say('link.master', { ...p, actual: actual!, master: c.master }))
  }
  return PASS
}

function countGoal(world: World, cluster: Cluster | null, ns: Netns | null, c: Extract<GoalCheck, { kind: 'count' }>): Outcome {
  let n: number
  switch (c.of) {
    case 'routes': {
      const within = c.within === undefined ? null : parsePrefix(c.within)!
      n = mainRoutes(ns!).filter((r) => !within || (r.len >= within.len && ((r.dst & prefixMask(within.len)) >>> 0) === within.addr)).length
      break
    }
    case 'neighbours':
      n = ns!.neigh.entries().length
      break
    case 'fdb': {
      const d = ns!.dev(c.dev!)
      if (!d) return fail(say('link.missing', { netns: c.netns!, dev: c.dev! }))
      n = d instanceof VxlanDevice ? d.fdb.size : d instanceof BridgeDevice ? d.liveEntries().filter((e) => !e.local).length : 0
      break
    }
    case 'devices':
      n = ns!.deviceList().length
      break
    case 'namespaces':
      n = world.namespaces.size
      break
    case 'pods':
      n = cluster?.pods().length ?? 0
      break
    case 'nodes':
      n = cluster?.nodes.size ?? 0
      break
  }
  const params = { scope: c.netns !== undefined ? same(c.netns) : say('count.lab'), n, what: say(`of.${c.of}`) }
  if (c.max !== undefined && n > c.max) return fail(say('count.max', { ...params, max: c.max }))
  if (c.min !== undefined && n < c.min) return fail(say('count.min', { ...params, min: c.min }))
  return PASS
}

/** A teacher's pattern over what a command prints, run in the copy (never in the learner's lab). */
function commandGoal(world: World, ns: Netns | null, c: Extract<GoalCheck, { kind: 'command' }>): Outcome {
  const r = run(world, c.run, ns ?? undefined, 0)
  if (c.exitCode !== undefined && r.exitCode !== c.exitCode) return fail(say('command.exit', { run: c.run, code: r.exitCode, expected: c.exitCode }))
  if (c.matches !== undefined && !new RegExp(c.matches, 'm').test(r.stdout)) {
    const shown = r.stdout.trim().split('\n').slice(0, 3).join(' / ')
    return fail(say('command.no_match', { run: c.run, output: shown ? same(`“${shown.length > 160 ? shown.slice(0, 160) + '…' : shown}”`) : say('command.nothing'), pattern: c.matches }))
  }
  return PASS
}
