import { parseIpv4Loose, type Ipv4 } from '../addr/ipv4.ts'
import type { NetDevice } from '../kernel/device.ts'
import { KernelError } from '../kernel/errors.ts'
import type { Netns } from '../kernel/netns.ts'
import { allocName, type NewLinkOpts } from '../kernel/rtnl.ts'
import { VXLAN_HEADROOM, VxlanDevice } from '../kernel/vxlan.ts'
import { fail, type Ctx } from './context.ts'
import { Args, invarg } from './iproute-util.ts'

export interface VxlanArgs {
  vni: number
  local: Ipv4
  remote: Ipv4
  lower: NetDevice | null
  dstport: number
  learning: boolean
  ttl: number
  srcPortMin: number
  srcPortMax: number
  ageing: number
}

const VXLAN_USAGE = `Usage: ... vxlan id VNI
		[ { group | remote } IP_ADDRESS ]
		[ local ADDR ]
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dev PHYS_DEV ]
		[ dstport PORT ]
		[ srcport MIN MAX ]
		[ [no]learning ]
		[ [no]proxy ]
		[ [no]rsc ]
		[ [no]l2miss ]
		[ [no]l3miss ]
		[ ageing SECONDS ]
		[ maxaddress NUMBER ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ [no]remcsumtx ] [ [no]remcsumrx ]
		[ [no]external ] [ gbp ] [ gpe ]
		[ [no]vnifilter ]

Where:	VNI	:= 0-16777215
	ADDR	:= { IP_ADDRESS | any }
	TOS	:= { NUMBER | inherit }
	TTL	:= { 1..255 | auto | inherit }
	DF	:= { unset | set | inherit }
	LABEL := 0-1048575`

function num(v: string, max: number, what: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v) || Number(v) > max) invarg(`invalid ${what}`, v)
  return Number(v)
}

/** iplink_vxlan.c's option parser for `ip link add NAME type vxlan ...`. */
export function parseVxlanArgs(ctx: Ctx, argv: string[]): VxlanArgs {
  const a = new Args(argv)
  const v: VxlanArgs = { vni: -1, local: 0, remote: 0, lower: null, dstport: -1, learning: true, ttl: 0, srcPortMin: 0, srcPortMax: 0, ageing: 300 }
  while (!a.done) {
    const w = a.next()
    const val = (): string => {
      if (a.done) fail(255, 'Command line is not complete. Try option "help"')
      return a.next()
    }
    switch (w) {
      case 'id':
      case 'vni':
        v.vni = num(val(), 16777215, 'id')
        break
      case 'group':
      case 'remote': {
        const s = val()
        const ip = parseIpv4Loose(s)
        if (ip === null) invarg(`invalid address`, s)
        v.remote = ip
        break
      }
      case 'local': {
        const s = val()
        if (s === 'any') break
        const ip = parseIpv4Loose(s)
        if (ip === null) invarg('invalid local address', s)
        v.local = ip
        break
      }
      case 'dev': {
        const s = val()
        const d = ctx.netns.dev(s)
        if (!d) fail(255, `Cannot find device "${s}"`)
        v.lower = d
        break
      }
      case 'ttl':
      case 'hoplimit': {
        const s = val()
        if (s === 'auto' || s === 'inherit') v.ttl = 0
        else v.ttl = num(s, 255, 'TTL')
        break
      }
      case 'tos':
      case 'dsfield':
      case 'df':
      case 'flowlabel':
      case 'maxaddress':
        val()
        break
      case 'dstport':
        v.dstport = num(val(), 65535, 'dstport')
        break
      case 'srcport':
      case 'port':
        v.srcPortMin = num(val(), 65535, 'min port')
        v.srcPortMax = num(val(), 65535, 'max port')
        break
      case 'learning':
        v.learning = true
        break
      case 'nolearning':
        v.learning = false
        break
      case 'ageing':
        v.ageing = num(val(), 0xffffffff, 'ageing')
        break
      case 'proxy':
      case 'noproxy':
      case 'rsc':
      case 'norsc':
      case 'l2miss':
      case 'nol2miss':
      case 'l3miss':
      case 'nol3miss':
      case 'udpcsum':
      case 'noudpcsum':
      case 'udp6zerocsumtx':
      case 'noudp6zerocsumtx':
      case 'udp6zerocsumrx':
      case 'noudp6zerocsumrx':
      case 'remcsumtx':
      case 'noremcsumtx':
      case 'remcsumrx':
      case 'noremcsumrx':
      case 'noexternal':
      case 'novnifilter':
        break
      case 'external':
      case 'gbp':
      case 'gpe':
      case 'vnifilter':
        fail(1, `podnet: vxlan "${w}" is not simulated`)
        break
      case 'help':
        fail(255, VXLAN_USAGE)
        break
      default:
        fail(1, `vxlan: unknown command "${w}"?\n${VXLAN_USAGE}`)
    }
  }
  if (v.vni < 0) fail(1, 'vxlan: missing virtual network identifier')
  if (v.dstport < 0) {
    ctx.eprintln('vxlan: destination port not specified')
    ctx.eprintln('Will use Linux kernel default (non-standard value)')
    ctx.eprintln("Use 'dstport 4789' to get the IANA assigned value")
    ctx.eprintln("Use 'dstport 0' to get default and quiet this message")
    v.dstport = 8472
  }
  if (v.dstport === 0) v.dstport = 8472
  return v
}

/** vxlan_newlink: one device per (VNI, port) in a namespace; MTU from the lower device. */
export function addVxlan(ns: Netns, name: string | null, a: VxlanArgs, o: NewLinkOpts): NetDevice {
  for (const d of ns.devices.values()) {
    if (d instanceof VxlanDevice && d.cfg.vni === a.vni && d.cfg.dstport === a.dstport) throw new KernelError('EEXIST', 'A VXLAN device with the specified VNI already exists.')
  }
  const n = name ?? allocName(ns, 'vxlan')
  if (ns.byName.has(n)) throw new KernelError('EEXIST')
  if (n.length > 15) throw new KernelError('EINVAL', 'Attribute failed policy validation.')
  // vxlan_config_apply: an MTU asked for (or the lower device's, less the outer headers) is
  // clamped to what the lower device leaves room for.
  const maxMtu = a.lower ? Math.max(68, a.lower.mtu - VXLAN_HEADROOM) : 65535
  const mtu = Math.min(o.mtu ?? (a.lower ? maxMtu : 1500), maxMtu)
  const dev = new VxlanDevice(ns, n, o.mac ?? ns.world.randomMac(), mtu, {
    vni: a.vni, local: a.local, lower: a.lower, dstport: a.dstport, learning: a.learning, ttl: a.ttl,
    srcPortMin: a.srcPortMin, srcPortMax: a.srcPortMax, ageingSec: a.ageing, remote: a.remote,
  })
  if (o.mac !== undefined) dev.macSet = true
  ns.register(dev)
  if (a.remote) dev.fdbAdd(0, { ip: a.remote, port: 0, vni: -1, oif: a.lower }, 'append', 'permanent')
  return dev
}
