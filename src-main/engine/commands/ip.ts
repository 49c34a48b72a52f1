import { fail, type Command, type Ctx } from './context.ts'
import type { Job } from './jobs.ts'
import { matches } from './iproute-util.ts'
import { colorOption } from '../../../shared/color.ts'
import { ipLink } from './ip-link.ts'
import { ipAddr } from './ip-addr.ts'
import { ipRoute } from './ip-route.ts'
import { ipNeigh } from './ip-neigh.ts'
import { ipNetns } from './ip-netns.ts'

/** Global options of `ip` (ip.c) that the lab honours. */
export interface IpOpts {
  brief: boolean
  details: number
  stats: number
  oneline: boolean
  json: boolean
  /** -pretty: json_writer's indented layout. */
  pretty: boolean
  family: 'inet' | 'inet6' | 'link' | 'any'
  all: boolean
  /** -color: iproute2's colours (never with -json). */
  color: boolean
}

type IpObject = (ctx: Ctx, args: string[], opts: IpOpts) => number | Job

/** The object table, in iproute2's order: the first keyword a typed prefix matches wins. */
const OBJECTS: [string, IpObject | null][] = [
  ['address', ipAddr],
  ['addrlabel', null],
  ['maddress', null],
  ['route', ipRoute],
  ['rule', null],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', null],
  ['ntbl', null],
  ['link', ipLink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', ipNetns],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
  ['stats', null],
]

/** `ip [OPTIONS] OBJECT COMMAND`. */
export const ip: Command = (ctx, argv) => {
  const opts: IpOpts = { brief: false, details: 0, stats: 0, oneline: false, json: false, pretty: false, family: 'any', all: false, color: false }
  let c = ctx
  let i = 0
  while (i < argv.length) {
    let opt = argv[i]
    if (opt === '--') {
      i++
      break
    }
    if (!opt.startsWith('-')) break
    if (opt.startsWith('--')) opt = opt.slice(1)
    if (opt === '-4') opts.family = 'inet'
    else if (opt === '-6') opts.family = 'inet6'
    else if (opt === '-0') opts.family = 'link'
    else if (matches(opt, '-family')) {
      const f = argv[++i]
      if (f === undefined) fail(255, 'Command line is not complete. Try option "help"')
      if (f === 'inet') opts.family = 'inet'
      else if (f === 'inet6') opts.family = 'inet6'
      else if (f === 'link') opts.family = 'link'
      else fail(255, `Error: argument "${f}" is wrong: invalid protocol family`)
    } else if (matches(opt, '-human') || matches(opt, '-human-readable') || matches(opt, '-iec')) {
      /* accepted, no effect on the lab's outputs */
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++
    else if (matches(opt, '-details')) opts.details++
    else if (matches(opt, '-resolve')) {
      /* names are never resolved in the lab */
    } else if (matches(opt, '-oneline')) opts.oneline = true
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) {
      /* accepted */
    } else if (matches(opt, '-Version')) {
      ctx.println('ip utility, iproute2-6.1.0, libbpf 1.1.2')
      return 0
    } else if (matches(opt, '-force')) {
      /* accepted */
    } else if (matches(opt, '-batch')) fail(255, 'podnet: "ip -batch" is not supported')
    else if (matches(opt, '-brief')) opts.brief = true
    else if (matches(opt, '-json')) opts.json = true
    else if (matches(opt, '-pretty')) opts.pretty = true
    else if (colorOption(opt, matches) !== undefined) opts.color = colorOption(opt, matches) === true
    else if (matches(opt, '-help')) return ipUsage(ctx)
    else if (matches(opt, '-netns')) {
      const name = argv[++i]
      const ns = name === undefined ? undefined : ctx.world.netns(name)
      if (!ns || name === '') {
        // A missing name reaches printf's "%s" as NULL, which glibc writes as (null).
        ctx.eprintln(`Cannot open network namespace "${name ?? '(null)'}": No such file or directory`)
        return 255
      }
      c = ctx.inNetns(ns)
    } else if (matches(opt, '-Numeric')) {
      /* accepted */
    } else if (matches(opt, '-all')) opts.all = true
    else fail(255, `Option "${argv[i]}" is unknown, try "ip -help".`)
    i++
  }
  if (i >= argv.length) return ipUsage(ctx)
  const obj = argv[i]
  for (const [name, fn] of OBJECTS) {
    if (matches(obj, name)) {
      if (!fn) fail(1, `podnet: "ip ${name}" is not simulated`)
      return fn(c, argv.slice(i + 1), opts)
    }
  }
  ctx.eprintln(`Object "${obj}" is unknown, try "ip help".`)
  return 1
}

function ipUsage(ctx: Ctx): number {
  ctx.err(`Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`)
  return 255
}
