import { formatMac } from '../addr/mac.ts'
import { BridgeDevice } from '../kernel/bridge.ts'
import { KernelError } from '../kernel/errors.ts'
import { addBridge, deleteLink, setMaster } from '../kernel/rtnl.ts'
import type { Command, Ctx } from './context.ts'

function bridgeId(br: BridgeDevice): string {
  return '8000.' + formatMac(br.mac).replace(/:/g, '')
}

function byName<T extends { name: string }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function show(ctx: Ctx, only?: string): number {
  const bridges = byName(ctx.netns.deviceList().filter((d): d is BridgeDevice => d instanceof BridgeDevice))
  const list = only === undefined ? bridges : bridges.filter((b) => b.name === only)
  if (only !== undefined && list.length === 0) {
    ctx.eprintln(`bridge ${only} does not exist!`)
    return 1
  }
  // bridge-utils prints the header with the first bridge: a namespace without bridges prints nothing.
  if (list.length) ctx.println('bridge name\tbridge id\t\tSTP enabled\tinterfaces')
  for (const br of list) {
    const ports = byName(br.ports)
    ctx.println(`${br.name}\t\t${bridgeId(br)}\tno\t\t${ports[0]?.name ?? ''}`)
    for (const p of ports.slice(1)) ctx.println(`\t\t\t\t\t\t\t${p.name}`)
  }
  return 0
}

function showmacs(ctx: Ctx, name: string | undefined): number {
  const br = name === undefined ? undefined : ctx.netns.dev(name)
  if (!(br instanceof BridgeDevice)) {
    ctx.eprintln(`read of forward table failed: No such device`)
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

/** bridge-utils `brctl`: show, showmacs, addbr, delbr, addif, delif. */
export const brctl: Command = (ctx, argv) => {
  const [cmd, a1, a2] = argv
  const ns = ctx.netns
  switch (cmd) {
    case undefined:
    case 'show':
      return show(ctx, a1)
    case 'showmacs':
      return showmacs(ctx, a1)
    case 'addbr':
      if (!a1) break
      try {
        addBridge(ns, a1)
        ctx.change()
      } catch (e) {
        if (e instanceof KernelError && e.errno === 'EEXIST') {
          ctx.eprintln(`device ${a1} already exists; can't create bridge with the same name`)
          return 1
        }
        throw e
      }
      return 0
    case 'delbr': {
      const br = a1 ? ns.dev(a1) : undefined
      if (!(br instanceof BridgeDevice)) {
        ctx.eprintln(`bridge ${a1} doesn't exist; can't delete it`)
        return 1
      }
      if (br.adminUp) {
        ctx.eprintln(`bridge ${a1} is still up; can't delete it`)
        return 1
      }
      deleteLink(br)
      ctx.change()
      return 0
    }
    case 'addif':
    case 'delif': {
      const br = a1 ? ns.dev(a1) : undefined
      if (!(br instanceof BridgeDevice)) {
        ctx.eprintln(`bridge ${a1} does not exist!`)
        return 1
      }
      const dev = a2 ? ns.dev(a2) : undefined
      if (!dev) {
        ctx.eprintln(`interface ${a2} does not exist!`)
        return 1
      }
      if (cmd === 'addif') {
        if (dev.master) {
          ctx.eprintln(`device ${a2} is already a member of a bridge; can't add it to bridge ${a1}.`)
          return 1
        }
        setMaster(dev, br)
      } else {
        if (dev.master !== br) {
          ctx.eprintln(`device ${a2} is not a slave of ${a1}`)
          return 1
        }
        setMaster(dev, null)
      }
      ctx.change()
      return 0
    }
    default:
      ctx.eprintln(`never heard of command [${cmd}]`)
      return 1
  }
  ctx.eprintln('Incorrect number of arguments for command')
  return 1
}
