/**
 * Table rows as the commands compute them: each is what iproute2's print function has in hand for
 * one entry, with the keys and order of its JSON output (`ip -j`, `bridge -j`). A command renders
 * rows to text (the functions below, byte for byte what iproute2 prints) or to JSON; views, the
 * renderer and exercises read the rows and never parse printed text. Plain data, structured-clone
 * safe, shared by the engine and the renderer.
 */

import { addressColor, paint } from './color.ts'

/** One route of `ip route show` (print_route); a key is present under the condition its words are printed. */
export interface RouteRow {
  /** Left out for unicast. */
  type?: string
  /** `default`, an address (a /32), or PREFIX/LEN. */
  dst: string
  gateway?: string
  dev?: string
  table?: string
  protocol?: string
  scope?: string
  prefsrc?: string
  metric?: number
  /** `onlink`, `linkdown`. */
  flags: string[]
  metrics?: { mtu: number }[]
  /** IPv6 routes: the router preference (`pref medium`), printed last and without a trailing space. */
  pref?: string
}

/** The text keyword of each RouteRow key. */
const ROUTE_WORDS: Record<string, string> = { gateway: 'via', dev: 'dev', table: 'table', protocol: 'proto', scope: 'scope', prefsrc: 'src', metric: 'metric' }

/**
 * A route as `ip route show` prints it, with the trailing space iproute2 leaves (no newline);
 * `color`: `ip -c`, which colours the destination, gateway, device and source (with the space).
 */
export function routeText(r: RouteRow): string {
  return coloredRouteText(r, false)
}

/** routeText as `-color` prints it (on: colours; off: the same text). */
export function coloredRouteText(r: RouteRow, color: boolean): string {
  let s = ''
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined) continue
    if (k === 'type') s += `${v} `
    else if (k === 'dst') s += paint(color, addressColor(r.dst), `${v} `)
    else if (k === 'flags') for (const f of v as string[]) s += `${f} `
    else if (k === 'metrics') for (const m of v as Record<string, number>[]) for (const [name, n] of Object.entries(m)) s += `${name} ${n} `
    else if (k === 'gateway' || k === 'prefsrc') s += `${ROUTE_WORDS[k]} ${paint(color, addressColor(String(v)), `${v} `)}`
    else if (k === 'dev') s += `dev ${paint(color, 'ifname', `${v} `)}`
    else if (k === 'pref') s += `pref ${v}`
    else s += `${ROUTE_WORDS[k]} ${v} `
  }
  return s
}

/** What `ip route get` answers: the route a packet would take, with its cache flags. */
export interface RouteGetRow {
  type?: string
  dst: string
  from?: string
  gateway?: string
  dev: string
  /** With -d: the table the answer came from (`main`). */
  table?: string
  prefsrc?: string
  flags: string[]
  uid?: number
  cache: string[]
  expires?: number
  metrics?: { mtu: number }[]
  iif?: string
}

/** `ip route get`'s two lines (each ending in the space iproute2 leaves, no final newline). */
export function routeGetText(g: RouteGetRow): string {
  return coloredRouteGetText(g, false)
}

/** routeGetText as `-color` prints it (on: colours; off: the same text). */
export function coloredRouteGetText(g: RouteGetRow, color: boolean): string {
  let line = `${g.type ? `${g.type} ` : ''}${paint(color, addressColor(g.dst), `${g.dst} `)}`
  if (g.from !== undefined) line += `from ${paint(color, addressColor(g.from), `${g.from} `)}`
  if (g.gateway !== undefined) line += `via ${paint(color, addressColor(g.gateway), `${g.gateway} `)}`
  line += `dev ${paint(color, 'ifname', `${g.dev} `)}`
  if (g.table !== undefined) line += `table ${g.table} `
  if (g.prefsrc !== undefined) line += `src ${paint(color, addressColor(g.prefsrc), `${g.prefsrc} `)}`
  for (const f of g.flags) line += `${f} `
  if (g.uid !== undefined) line += `uid ${g.uid} `
  let cache = '    cache '
  if (g.cache.length) cache += `<${g.cache.join(',')}> `
  if (g.expires !== undefined) cache += `expires ${g.expires}sec `
  const mtu = g.metrics?.[0]?.mtu
  if (mtu) cache += `mtu ${mtu} `
  if (g.iif !== undefined) cache += `iif ${g.iif} `
  return `${line}\n${cache}`
}

/** One entry of `ip neigh show` (print_neigh). */
export interface NeighRow {
  dst: string
  /** Left out when the listing is for one device. */
  dev?: string
  lladdr?: string
  /** Present (null, as iproute2's JSON writes it) for a router. */
  router?: null
  /** With -s: 1 while something holds the entry. */
  refcnt?: number
  /** With -s: seconds since used, confirmed and updated, and the probes sent. */
  used?: number
  confirmed?: number
  updated?: number
  probes?: number
  /** NUD state words (`REACHABLE`, `STALE`, ...); left out for NONE. */
  state?: string[]
}

/** An entry as `ip neigh show` prints it, with the trailing space iproute2 leaves. */
export function neighText(n: NeighRow): string {
  return coloredNeighText(n, false)
}

/** neighText as `-color` prints it (on: colours; off: the same text). */
export function coloredNeighText(n: NeighRow, color: boolean): string {
  // Every word ends in its space (a coloured one inside its colour, as iproute2 prints it).
  let s = paint(color, addressColor(n.dst), `${n.dst} `)
  if (n.dev !== undefined) s += `dev ${paint(color, 'ifname', `${n.dev} `)}`
  if (n.lladdr !== undefined) s += `lladdr ${paint(color, 'mac', `${n.lladdr} `)}`
  if (n.router !== undefined) s += 'router '
  if (n.used !== undefined) s += `${n.refcnt ? ` ref ${n.refcnt}` : ''} used ${n.used}/${n.confirmed}/${n.updated}probes ${n.probes} `
  if (n.state !== undefined) s += `${n.state.join(' ')} `
  return s
}

/** One entry of `bridge fdb show`: a bridge's (`master`) or a device's own (`self`). */
export interface FdbRow {
  mac: string
  /** Left out when the dump is for one device. */
  ifname?: string
  dst?: string
  port?: number
  vni?: number
  /** Seconds since use and update, with -s (text only). */
  used?: number
  /** The bridge, for `master` entries; `self` entries have none. */
  master?: string
  /** `permanent`, `static`, or '' for a learned entry. */
  state: string
}

/** An entry as `bridge fdb show` prints it; `color`: `bridge -c`. */
export function fdbText(r: FdbRow): string {
  return coloredFdbText(r, false)
}

/** fdbText as `-color` prints it (on: colours; off: the same text). */
export function coloredFdbText(r: FdbRow, color: boolean): string {
  let s = paint(color, 'mac', `${r.mac} `)
  if (r.ifname !== undefined) s += `dev ${paint(color, 'ifname', `${r.ifname} `)}`
  if (r.dst !== undefined) s += `dst ${paint(color, addressColor(r.dst), `${r.dst} `)}`
  if (r.port !== undefined) s += `port ${r.port} `
  if (r.vni !== undefined) s += `vni ${r.vni} `
  if (r.used !== undefined) s += `used ${r.used}/${r.used} `
  s += r.master === undefined ? 'self ' : `master ${r.master} `
  return s + r.state
}

/** An entry as `bridge -j fdb show` writes it (flags instead of the self/master word, no `used`). */
export function fdbJson(r: FdbRow): Record<string, unknown> {
  return { mac: r.mac, ifname: r.ifname, dst: r.dst, port: r.port, vni: r.vni, flags: r.master === undefined ? ['self'] : [], master: r.master, state: r.state }
}
