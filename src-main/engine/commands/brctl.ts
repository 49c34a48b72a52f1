import { formatMac } from '../addr/mac.ts'
import { BridgeDevice } from '../kernel/bridge.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import { addBridge, deleteLink, setMaster } from '../kernel/rtnl.ts'
import type { Command, Ctx } from './context.ts'

function bridgeId(br: BridgeDevice): string {
  return '8000.' + formatMac(br.mac).replace(/:/g, '')
}

function byName<T extends { name: string }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function show(ctx: Ctx, names: string[]): number {
  const all = byName(ctx.netns.deviceList().filter((d): d is BridgeDevice => d instanceof BridgeDevice))
  let list = all
  let code = 0
  if (names.length) {
    list = []
    for (const name of names) {
      const d = ctx.netns.dev(ifName(name))
      if (d instanceof BridgeDevice) list.push(d)
      else {
        ctx.eprintln(d ? `device ${name} is not a bridge!` : `bridge ${name} does not exist!`)
        code = 1
      }
    }
  }
  // bridge-utils prints the header with the first bridge: a namespace without bridges prints nothing.
  if (list.length) ctx.println('bridge name\tbridge id\t\tSTP enabled\tinterfaces')
  for (const br of list) {
    const ports = byName(br.ports)
    ctx.println(`${br.name}\t\t${bridgeId(br)}\tno\t\t${ports[0]?.name ?? ''}`)
    for (const p of ports.slice(1)) ctx.println(`\t\t\t\t\t\t\t${p.name}`)
  }
  return code
}

function showmacs(ctx: Ctx, name: string): number {
  const br = ctx.netns.dev(ifName(name))
  if (!(br instanceof BridgeDevice)) {
    ctx.eprintln(`read of forward table failed: ${STRERROR[br ? 'EOPNOTSUPP' : 'ENODEV']}`)
    return 1
  }
  ctx.println('port no\tmac addr\t\tis local?\tageing timer')
  const order = [...br.ports].reverse()
  const now = ctx.world.sched.now
  const entries = br.liveEntries().filter((e) => e.port !== null).sort((a, b) => a.mac - b.mac)
  for (const e of entries) {
    const portNo = order.indexOf(e.port!) + 1
    const age = e.local || e.isStatic ? 0 : Math.floor((now - e.updatedNs) / 1e7)
    const timer = `${String(Math.floor(age / 100)).padStart(4)}.${String(age % 100).padStart(2, '0')}`
    ctx.println(`${String(portNo).padStart(3)}\t${formatMac(e.mac)}\t${e.local ? 'yes' : 'no'}\t\t${timer}`)
  }
  return 0
}

/** A name as the bridge ioctls pass it to the kernel: at most IFNAMSIZ - 1 characters. */
const ifName = (name: string): string => name.slice(0, 15)

function addbr(ctx: Ctx, name: string): number {
  try {
    addBridge(ctx.netns, ifName(name))
  } catch (e) {
    if (!(e instanceof KernelError)) throw e
    ctx.eprintln(e.errno === 'EEXIST' ? `device ${name} already exists; can't create bridge with the same name` : `add bridge failed: ${STRERROR[e.errno]}`)
    return 1
  }
  ctx.change()
  return 0
}

function delbr(ctx: Ctx, name: string): number {
  const br = ctx.netns.dev(ifName(name))
  if (!br) ctx.eprintln(`bridge ${name} doesn't exist; can't delete it`)
  else if (!(br instanceof BridgeDevice)) ctx.eprintln(`can't delete bridge ${name}: ${STRERROR.EPERM}`)
  else if (br.adminUp) ctx.eprintln(`bridge ${name} is still up; can't delete it`)
  else {
    deleteLink(br)
    ctx.change()
    return 0
  }
  return 1
}

/** brctl addif|delif BRIDGE IF...: each interface in turn, stopping at the first that fails, as bridge-utils does. */
function ports(ctx: Ctx, add: boolean, brName: string, ifNames: string[]): number {
  for (const name of ifNames) {
    const dev = ctx.netns.dev(name)
    const br = ctx.netns.dev(ifName(brName))
    let problem: string | null = null
    if (!dev) problem = `interface ${name} does not exist!`
    else if (!br) problem = `bridge ${brName} does not exist!`
    else if (!(br instanceof BridgeDevice)) problem = add ? `can't add ${name} to bridge ${brName}: ${STRERROR.EOPNOTSUPP}` : `can't delete ${name} from ${brName}: ${STRERROR.EOPNOTSUPP}`
    else if (add) {
      // br_add_if's order: not an Ethernet device, a bridge itself, already a port somewhere.
      if (dev.isLoopback) problem = `can't add ${name} to bridge ${brName}: ${STRERROR.EINVAL}`
      else if (dev instanceof BridgeDevice) problem = `device ${name} is a bridge device itself; can't add a bridge device to a bridge device.`
      else if (dev.master) problem = `device ${name} is already a member of a bridge; can't add it to bridge ${brName}.`
    } else if (dev.master !== br) problem = `device ${name} is not a port of ${brName}`
    if (problem === null) {
      try {
        setMaster(dev!, add ? (br as BridgeDevice) : null)
      } catch (e) {
        if (!(e instanceof KernelError)) throw e
        problem = add ? `can't add ${name} to bridge ${brName}: ${STRERROR[e.errno]}` : `can't delete ${name} from ${brName}: ${STRERROR[e.errno]}`
      }
    }
    if (problem !== null) {
      ctx.eprintln(problem)
      return 1
    }
    ctx.change()
  }
  return 0
}

/** bridge-utils 1.7's commands: how many arguments each needs, and its line of the usage. */
const USAGE: [name: string, nargs: number, help: string][] = [
  ['addbr', 1, '<bridge>\t\tadd bridge'],
  ['delbr', 1, '<bridge>\t\tdelete bridge'],
  ['addif', 2, '<bridge> <device>\tadd interface to bridge'],
  ['delif', 2, '<bridge> <device>\tdelete interface from bridge'],
  ['hairpin', 3, '<bridge> <port> {on|off}\tturn hairpin on/off'],
  ['setageing', 2, '<bridge> <time>\t\tset ageing time'],
  ['setbridgeprio', 2, '<bridge> <prio>\t\tset bridge priority'],
  ['setfd', 2, '<bridge> <time>\t\tset bridge forward delay'],
  ['sethello', 2, '<bridge> <time>\t\tset hello time'],
  ['setmaxage', 2, '<bridge> <time>\t\tset max message age'],
  ['setpathcost', 3, '<bridge> <port> <cost>\tset path cost'],
  ['setportprio', 3, '<bridge> <port> <prio>\tset port priority'],
  ['show', 0, '[ <bridge> ]\t\tshow a list of bridges'],
  ['showmacs', 1, '<bridge>\t\tshow a list of mac addrs'],
  ['showstp', 1, '<bridge>\t\tshow bridge stp info'],
  ['stp', 2, '<bridge> {on|off}\tturn stp on/off'],
]

/** brctl's usage, on stdout as bridge-utils prints it (names padded to 10 columns). */
function usage(ctx: Ctx): number {
  ctx.println('Usage: brctl [commands]')
  ctx.println('commands:')
  for (const [name, , help] of USAGE) ctx.println(`\t${name.padEnd(10)}\t${help}`)
  return 1
}

/** bridge-utils `brctl`: show, showmacs, addbr, delbr, addif, delif. */
export const brctl: Command = (ctx, argv) => {
  const [cmd, a1] = argv
  if (cmd === undefined) return usage(ctx)
  const known = USAGE.find(([name]) => name === cmd)
  if (!known) {
    ctx.eprintln(`never heard of command [${cmd}]`)
    return usage(ctx)
  }
  if (argv.length - 1 < known[1]) {
    ctx.println('Incorrect number of arguments for command')
    ctx.println(`Usage: brctl ${known[0]} ${known[2]}`)
    return 1
  }
  switch (cmd) {
    case 'show':
      return show(ctx, argv.slice(1))
    case 'showmacs':
      return showmacs(ctx, a1)
    case 'addbr':
      return addbr(ctx, a1)
    case 'delbr':
      return delbr(ctx, a1)
    case 'addif':
    case 'delif':
      return ports(ctx, cmd === 'addif', a1, argv.slice(2))
    default:
      // STP, ageing, priorities and hairpin are not simulated.
      ctx.eprintln(`podnet: brctl ${cmd} is not simulated (bridges here run without STP, with the default timers)`)
      return 1
  }
}
