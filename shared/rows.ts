/**
 * Table rows as the commands compute them: each is what iproute2's print function has in hand for
 * one entry, with the keys and order of its JSON output (`ip -j`, `bridge -j`). A command renders
 * rows to text (the functions below, byte for byte what iproute2 prints) or to JSON; views, the
 * renderer and exercises read the rows and never parse printed text. Plain data, structured-clone
 * safe, shared by the engine and the renderer.
 */

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
}

/** The text keyword of each RouteRow key. */
const ROUTE_WORDS: Record<string, string> = { gateway: 'via', dev: 'dev', table: 'table', protocol: 'proto', scope: 'scope', prefsrc: 'src', metric: 'metric' }

/** A route as `ip route show` prints it, with the trailing space iproute2 leaves (no newline). */
export function routeText(r: RouteRow): string {
  const p: string[] = []
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined) continue
    if (k === 'type' || k === 'dst') p.push(String(v))
    else if (k === 'flags') p.push(...(v as string[]))
    else if (k === 'metrics') for (const m of v as Record<string, number>[]) for (const [name, n] of Object.entries(m)) p.push(name, String(n))
    else p.push(ROUTE_WORDS[k], String(v))
  }
  return p.join(' ') + ' '
}

/** What `ip route get` answers: the route a packet would take, with its cache flags. */
export interface RouteGetRow {
  type?: string
  dst: string
  from?: string
  gateway?: string
  dev: string
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
  let line = `${g.type ? `${g.type} ` : ''}${g.dst}`
  if (g.from !== undefined) line += ` from ${g.from}`
  if (g.gateway !== undefined) line += ` via ${g.gateway}`
  line += ` dev ${g.dev}`
  if (g.prefsrc !== undefined) line += ` src ${g.prefsrc}`
  for (const f of g.flags) line += ` ${f}`
  if (g.uid !== undefined) line += ` uid ${g.uid}`
  let cache = '    cache '
  if (g.cache.length) cache += `<${g.cache.join(',')}> `
  if (g.expires !== undefined) cache += `expires ${g.expires}sec `
  const mtu = g.metrics?.[0]?.mtu
  if (mtu) cache += `mtu ${mtu} `
  if (g.iif !== undefined) cache += `iif ${g.iif} `
  return `${line} \n${cache}`
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
  let s = n.dst
  if (n.dev !== undefined) s += ` dev ${n.dev}`
  if (n.lladdr !== undefined) s += ` lladdr ${n.lladdr}`
  if (n.router !== undefined) s += ' router'
  if (n.used !== undefined) s += ` ${n.refcnt ? ` ref ${n.refcnt}` : ''} used ${n.used}/${n.confirmed}/${n.updated}probes ${n.probes}`
  if (n.state !== undefined) s += ` ${n.state.join(' ')}`
  return s + ' '
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

/** An entry as `bridge fdb show` prints it. */
export function fdbText(r: FdbRow): string {
  let s = r.mac
  if (r.ifname !== undefined) s += ` dev ${r.ifname}`
  if (r.dst !== undefined) s += ` dst ${r.dst}`
  if (r.port !== undefined) s += ` port ${r.port}`
  if (r.vni !== undefined) s += ` vni ${r.vni}`
  if (r.used !== undefined) s += ` used ${r.used}/${r.used}`
  s += r.master === undefined ? ' self' : ` master ${r.master}`
  return `${s} ${r.state}`
}

/** An entry as `bridge -j fdb show` writes it (flags instead of the self/master word, no `used`). */
export function fdbJson(r: FdbRow): Record<string, unknown> {
  return { mac: r.mac, ifname: r.ifname, dst: r.dst, port: r.port, vni: r.vni, flags: r.master === undefined ? ['self'] : [], master: r.master, state: r.state }
}
