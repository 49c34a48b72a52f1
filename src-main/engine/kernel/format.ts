import { formatIpv4 } from '../addr/ipv4.ts'
import { Scope } from './device.ts'
import { RouteType, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_BOOT, routeDstString, type Route } from './fib.ts'

/** rt_protos names (iproute2 /usr/share/iproute2/rt_protos and its built-in table). */
const PROTOS: Record<number, string> = {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra', 12: 'bird',
  13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 17: 'mrouted', 18: 'keepalived', 42: 'babel', 99: 'openr', 186: 'bgp', 187: 'isis',
  188: 'ospf', 189: 'rip', 192: 'eigrp',
}

export function protoName(p: number): string {
  return PROTOS[p] ?? String(p)
}

const TYPES: Record<number, string> = {
  0: 'none', 1: 'unicast', 2: 'local', 3: 'broadcast', 4: 'anycast', 5: 'multicast', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit', 9: 'throw', 10: 'nat', 11: 'xresolve',
}

export function routeTypeName(t: RouteType): string {
  return TYPES[t] ?? String(t)
}

export function scopeName(s: number): string {
  switch (s) {
    case Scope.Universe:
      return 'global'
    case Scope.Site:
      return 'site'
    case Scope.Link:
      return 'link'
    case Scope.Host:
      return 'host'
    case Scope.Nowhere:
      return 'nowhere'
    default:
      return String(s)
  }
}

export function tableName(t: number): string {
  switch (t) {
    case RT_TABLE_MAIN:
      return 'main'
    case RT_TABLE_LOCAL:
      return 'local'
    case 253:
      return 'default'
    default:
      return String(t)
  }
}

/**
 * A route as `ip route show` prints it (iproute2 print_route), without the trailing space and
 * newline: `[type] PREFIX [via GW] dev DEV [table T] [proto P] [scope S] [src A] [metric N] [flags]`.
 */
export function routeLine(r: Route, opts: { showTable?: boolean; linkdown?: boolean } = {}): string {
  const parts: string[] = []
  if (r.type !== RouteType.Unicast) parts.push(routeTypeName(r.type))
  parts.push(routeDstString(r))
  if (r.gateway) parts.push('via', formatIpv4(r.gateway))
  if (r.dev) parts.push('dev', r.dev.name)
  if (opts.showTable ?? r.table !== RT_TABLE_MAIN) parts.push('table', tableName(r.table))
  if (r.protocol !== RTPROT_BOOT) parts.push('proto', protoName(r.protocol))
  if (r.scope !== Scope.Universe) parts.push('scope', scopeName(r.scope))
  if (r.prefsrc) parts.push('src', formatIpv4(r.prefsrc))
  if (r.priority) parts.push('metric', String(r.priority))
  if (r.onlink) parts.push('onlink')
  if (opts.linkdown ?? (r.dev !== null && r.dev.adminUp && !r.dev.running && r.scope !== Scope.Host)) parts.push('linkdown')
  if (r.mtu) parts.push('mtu', String(r.mtu))
  return parts.join(' ')
}
