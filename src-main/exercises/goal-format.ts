import { MODES, type Mode } from '../k8s/spec.ts'
import type { Path } from '../lab/format.ts'
import type { Text } from './format.ts'
import type { Reader } from './reader.ts'

/** One probe packet, as the trace panel sends it. */
export interface Probe {
  from: string
  /** A pod or namespace name, or an IPv4 address. */
  to: string
  proto: 'icmp' | 'udp'
  port?: number
  /** Payload bytes after the ICMP/UDP header (ping -s). */
  size?: number
  /** Don't Fragment (ping -M do). */
  df?: boolean
}

export const COUNT_OF = ['routes', 'neighbours', 'fdb', 'devices', 'namespaces', 'pods', 'nodes'] as const
export type CountOf = (typeof COUNT_OF)[number]

/** What a goal checks; the YAML key of the goal's check is its `kind`. */
export type GoalCheck =
  | { kind: 'deliver'; probe: Probe; expect: 'delivered' | 'dropped'; reason?: string; at?: string }
  | { kind: 'path'; probe: Probe; through: string[]; avoids: string[] }
  | { kind: 'route'; netns: string; dst: string; via?: string; dev?: string; present: boolean }
  | { kind: 'neighbour'; netns: string; ip: string; lladdr?: string; dev?: string; permanent?: boolean; present: boolean }
  | { kind: 'fdb'; netns: string; dev: string; mac?: string; dst?: string; port?: string; present: boolean }
  | { kind: 'sysctl'; netns: string; key: string; value: string }
  | { kind: 'link'; netns: string; dev: string; exists: boolean; up?: boolean; mtu?: number; master?: string | null }
  | { kind: 'count'; netns?: string; dev?: string; of: CountOf; within?: string; min?: number; max?: number }
  | { kind: 'command'; netns?: string; run: string; matches?: string; exitCode?: number }
  | { kind: 'question'; choices?: { id: string; text: Text }[]; answers: string[] }
  | { kind: 'mode'; mode: Mode }
  | { kind: 'keep'; pods: boolean; nodes: boolean }

export type GoalKind = GoalCheck['kind']
export const GOAL_KINDS: readonly GoalKind[] = ['deliver', 'path', 'route', 'neighbour', 'fdb', 'sysctl', 'link', 'count', 'command', 'question', 'mode', 'keep']

export interface Goal {
  id: string
  text: Text
  check: GoalCheck
}

const GOAL_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/

/** Reads one goal or constraint: `id` (optional), `text`, and exactly one check key. */
export function parseGoal(r: Reader, v: unknown, p: Path, defaultId: string): Goal {
  const o = r.mapping(v, p, ['id', 'text', ...GOAL_KINDS])
  const id = o.id === undefined ? defaultId : r.string(o.id, [...p, 'id'])
  if (!GOAL_ID.test(id)) r.fail([...p, 'id'], 'must be lowercase letters, digits, - and _')
  const kinds = GOAL_KINDS.filter((k) => o[k] !== undefined)
  if (kinds.length !== 1) r.fail(p, kinds.length ? `a goal checks one thing; this one has ${kinds.join(' and ')}` : `a goal needs one check: ${GOAL_KINDS.join(', ')}`)
  const kind = kinds[0]
  return { id, text: r.text(o.text, [...p, 'text']), check: parseCheck(r, kind, o[kind], [...p, kind]) }
}

function probe(r: Reader, o: Record<string, unknown>, p: Path): Probe {
  const proto = o.proto === undefined ? 'icmp' : r.oneOf(o.proto, [...p, 'proto'], ['icmp', 'udp'] as const)
  const to = typeof o.to === 'string' ? o.to : r.string(o.to, [...p, 'to'])
  if (!/^[A-Za-z0-9_.-]{1,63}$/.test(to)) r.fail([...p, 'to'], 'must be a pod or namespace name, or an IPv4 address')
  return {
    from: r.netns(o.from, [...p, 'from']),
    to,
    proto,
    ...(o.port !== undefined ? { port: r.int(o.port, [...p, 'port'], 1, 65535) } : {}),
    ...(o.size !== undefined ? { size: r.int(o.size, [...p, 'size'], 0, 65507) } : {}),
    ...(o.df !== undefined ? { df: r.bool(o.df, [...p, 'df']) } : {}),
  }
}

const PROBE_KEYS = ['from', 'to', 'proto', 'port', 'size', 'df']

function present(r: Reader, v: unknown, p: Path): boolean {
  return v === undefined ? true : r.bool(v, p)
}

function names(r: Reader, v: unknown, p: Path): string[] {
  return r.list(v ?? [], p).map((x, i) => {
    const s = r.string(x, [...p, i])
    if (!/^[A-Za-z0-9_.@+-]+(\/[A-Za-z0-9_.@+-]+)?$/.test(s)) r.fail([...p, i], 'must be a namespace, a device, or NAMESPACE/DEVICE')
    return s
  })
}

function parseCheck(r: Reader, kind: GoalKind, v: unknown, p: Path): GoalCheck {
  switch (kind) {
    case 'deliver': {
      const o = r.mapping(v, p, [...PROBE_KEYS, 'expect', 'reason', 'at'])
      const expect = o.expect === undefined ? 'delivered' : r.oneOf(o.expect, [...p, 'expect'], ['delivered', 'dropped'] as const)
      if (expect === 'delivered' && (o.reason !== undefined || o.at !== undefined)) r.fail([...p, o.reason !== undefined ? 'reason' : 'at'], 'reason and at describe a drop: use them with expect: dropped')
      const reason = o.reason === undefined ? undefined : r.string(o.reason, [...p, 'reason'])
      if (reason !== undefined && !/^[a-z_.]+$/.test(reason)) r.fail([...p, 'reason'], 'must be a drop reason such as no_route, not_forwarding, frag_needed, neigh_failed')
      return { kind, probe: probe(r, o, p), expect, ...(reason ? { reason } : {}), ...(o.at !== undefined ? { at: r.netns(o.at, [...p, 'at']) } : {}) }
    }
    case 'path': {
      const o = r.mapping(v, p, [...PROBE_KEYS, 'through', 'avoids'])
      const through = names(r, o.through, [...p, 'through'])
      const avoids = names(r, o.avoids, [...p, 'avoids'])
      if (!through.length && !avoids.length) r.fail(p, 'a path goal needs through or avoids')
      return { kind, probe: probe(r, o, p), through, avoids }
    }
    case 'route': {
      const o = r.mapping(v, p, ['netns', 'dst', 'via', 'dev', 'present'])
      return {
        kind,
        netns: r.netns(o.netns, [...p, 'netns']),
        dst: r.prefix(o.dst, [...p, 'dst'], true),
        ...(o.via !== undefined ? { via: r.ip(o.via, [...p, 'via']) } : {}),
        ...(o.dev !== undefined ? { dev: r.ifname(o.dev, [...p, 'dev']) } : {}),
        present: present(r, o.present, [...p, 'present']),
      }
    }
    case 'neighbour': {
      const o = r.mapping(v, p, ['netns', 'ip', 'lladdr', 'dev', 'permanent', 'present'])
      return {
        kind,
        netns: r.netns(o.netns, [...p, 'netns']),
        ip: r.ip(o.ip, [...p, 'ip']),
        ...(o.lladdr !== undefined ? { lladdr: r.mac(o.lladdr, [...p, 'lladdr']) } : {}),
        ...(o.dev !== undefined ? { dev: r.ifname(o.dev, [...p, 'dev']) } : {}),
        ...(o.permanent !== undefined ? { permanent: r.bool(o.permanent, [...p, 'permanent']) } : {}),
        present: present(r, o.present, [...p, 'present']),
      }
    }
    case 'fdb': {
      const o = r.mapping(v, p, ['netns', 'dev', 'mac', 'dst', 'port', 'present'])
      return {
        kind,
        netns: r.netns(o.netns, [...p, 'netns']),
        dev: r.ifname(o.dev, [...p, 'dev']),
        ...(o.mac !== undefined ? { mac: r.mac(o.mac, [...p, 'mac']) } : {}),
        ...(o.dst !== undefined ? { dst: r.ip(o.dst, [...p, 'dst']) } : {}),
        ...(o.port !== undefined ? { port: r.ifname(o.port, [...p, 'port']) } : {}),
        present: present(r, o.present, [...p, 'present']),
      }
    }
    case 'sysctl': {
      const o = r.mapping(v, p, ['netns', 'key', 'value'])
      const key = r.string(o.key, [...p, 'key'])
      if (!/^[a-z0-9_.\-/]+$/.test(key)) r.fail([...p, 'key'], 'must be a sysctl name such as net.ipv4.ip_forward')
      const value = typeof o.value === 'number' ? String(o.value) : r.string(o.value, [...p, 'value'])
      return { kind, netns: r.netns(o.netns, [...p, 'netns']), key, value }
    }
    case 'link': {
      const o = r.mapping(v, p, ['netns', 'dev', 'exists', 'up', 'mtu', 'master'])
      const exists = o.exists === undefined ? true : r.bool(o.exists, [...p, 'exists'])
      if (!exists && (o.up !== undefined || o.mtu !== undefined || o.master !== undefined)) r.fail(p, 'a link that must not exist has no state to check')
      if (exists && o.up === undefined && o.mtu === undefined && o.master === undefined && o.exists === undefined) r.fail(p, 'a link goal checks exists, up, mtu or master')
      return {
        kind,
        netns: r.netns(o.netns, [...p, 'netns']),
        dev: r.ifname(o.dev, [...p, 'dev']),
        exists,
        ...(o.up !== undefined ? { up: r.bool(o.up, [...p, 'up']) } : {}),
        ...(o.mtu !== undefined ? { mtu: r.int(o.mtu, [...p, 'mtu'], 68, 65535) } : {}),
        ...(o.master !== undefined ? { master: o.master === null ? null : r.ifname(o.master, [...p, 'master']) } : {}),
      }
    }
    case 'count': {
      const o = r.mapping(v, p, ['netns', 'dev', 'of', 'within', 'min', 'max'])
      const of = r.oneOf(o.of, [...p, 'of'], COUNT_OF)
      const scoped = of === 'routes' || of === 'neighbours' || of === 'fdb' || of === 'devices'
      if (scoped && o.netns === undefined) r.fail([...p, 'netns'], `counting ${of} needs the namespace`)
      if (of === 'fdb' && o.dev === undefined) r.fail([...p, 'dev'], 'counting FDB entries needs the bridge or VXLAN device')
      if (o.within !== undefined && of !== 'routes') r.fail([...p, 'within'], 'within narrows routes to a range')
      if (o.min === undefined && o.max === undefined) r.fail(p, 'a count goal needs min or max')
      const min = o.min === undefined ? undefined : r.int(o.min, [...p, 'min'], 0, 1_000_000)
      const max = o.max === undefined ? undefined : r.int(o.max, [...p, 'max'], 0, 1_000_000)
      if (min !== undefined && max !== undefined && min > max) r.fail([...p, 'min'], `min ${min} is above max ${max}`)
      return {
        kind,
        of,
        ...(o.netns !== undefined ? { netns: r.netns(o.netns, [...p, 'netns']) } : {}),
        ...(o.dev !== undefined ? { dev: r.ifname(o.dev, [...p, 'dev']) } : {}),
        ...(o.within !== undefined ? { within: r.prefix(o.within, [...p, 'within'], false) } : {}),
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
      }
    }
    case 'command': {
      const o = r.mapping(v, p, ['netns', 'run', 'matches', 'exitCode'])
      const run = r.string(o.run, [...p, 'run'])
      if (run.includes('\n')) r.fail([...p, 'run'], 'a command is a single line')
      if (o.matches === undefined && o.exitCode === undefined) r.fail(p, 'a command goal needs matches or exitCode')
      const matches = o.matches === undefined ? undefined : r.string(o.matches, [...p, 'matches'])
      if (matches !== undefined) {
        try {
          new RegExp(matches, 'm')
        } catch (e) {
          r.fail([...p, 'matches'], `not a valid regular expression: ${(e as Error).message}`)
        }
      }
      return {
        kind,
        run,
        ...(o.netns !== undefined ? { netns: r.netns(o.netns, [...p, 'netns']) } : {}),
        ...(matches !== undefined ? { matches } : {}),
        ...(o.exitCode !== undefined ? { exitCode: r.int(o.exitCode, [...p, 'exitCode'], 0, 255) } : {}),
      }
    }
    case 'question': {
      const o = r.mapping(v, p, ['choices', 'answer'])
      const accepted = (Array.isArray(o.answer) ? r.list(o.answer, [...p, 'answer'], 1) : [o.answer]).map((a, i) => r.string(typeof a === 'number' ? String(a) : a, Array.isArray(o.answer) ? [...p, 'answer', i] : [...p, 'answer']))
      if (o.choices === undefined) return { kind, answers: accepted }
      const choices = r.list(o.choices, [...p, 'choices'], 2).map((c, i) => {
        const co = r.mapping(c, [...p, 'choices', i], ['id', 'text'])
        return { id: r.string(co.id, [...p, 'choices', i, 'id']), text: r.text(co.text, [...p, 'choices', i, 'text']) }
      })
      const ids = choices.map((c) => c.id)
      if (new Set(ids).size !== ids.length) r.fail([...p, 'choices'], 'two choices have the same id')
      if (accepted.length !== 1 || !ids.includes(accepted[0])) r.fail([...p, 'answer'], `must be the id of one choice (${ids.join(', ')})`)
      return { kind, choices, answers: accepted }
    }
    case 'mode':
      return { kind, mode: r.oneOf(v, p, MODES) }
    case 'keep': {
      const o = r.mapping(v, p, ['pods', 'nodes'])
      const pods = o.pods === undefined ? false : r.bool(o.pods, [...p, 'pods'])
      const nodes = o.nodes === undefined ? false : r.bool(o.nodes, [...p, 'nodes'])
      if (!pods && !nodes) r.fail(p, 'keep needs pods: true or nodes: true')
      return { kind, pods, nodes }
    }
  }
}
