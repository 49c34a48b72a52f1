import { formatIpv4, parseIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, isMulticastMac, MAC_BROADCAST, type Mac } from '../addr/mac.ts'
import { KernelError } from '../kernel/errors.ts'
import { routeOutput } from '../kernel/route.ts'
import { NS_PER_SEC } from '../kernel/scheduler.ts'
import { Skb } from '../kernel/skb.ts'
import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp } from '../wire/arp.ts'
import { emitEthernet, ETHERTYPE_ARP, frameDst, frameEthertype } from '../wire/ethernet.ts'
import { fail, type Command } from './context.ts'
import type { Job } from './jobs.ts'

const USAGE = `
Usage:
  arping [options] <destination>

Options:
  -f            quit on first reply
  -q            be quiet
  -b            keep on broadcasting, do not unicast
  -D            duplicate address detection mode
  -U            unsolicited ARP mode, update your neighbours
  -A            ARP answer mode, update your neighbours
  -V            print version and exit
  -c <count>    how many packets to send
  -w <timeout>  how long to wait for a reply
  -i <interval> set interval between packets (default: 1 second)
  -I <device>   which ethernet device to use
  -s <source>   source ip address
  <destination> dns name or ip address

For more details see arping(8).`

/** How long a batch lets an arping without -c or -w run (a terminal runs it until Ctrl+C). */
const ARPING_LIMIT_NS = 600 * NS_PER_SEC

/** iputils' reply time, with its own arithmetic (it adds half a millisecond, and prints that). */
function replyTime(deltaNs: number): string {
  let usecs = Math.trunc((deltaNs + 500) / 1000)
  const msecs = Math.trunc((usecs + 500) / 1000)
  usecs -= msecs * 1000 - 500
  return ` ${msecs}.${String(usecs).padStart(3, '0')}ms`
}

const hex = (m: Mac): string => formatMac(m).toUpperCase()

/**
 * iputils `arping`: ARP requests for an address through a packet socket on one device, the
 * answers as they come (`Unicast reply from IP [MAC]  T ms`), and the counts at the end, with
 * arping's exit status. One probe a second (-i), -c probes (each tick sends one until the count is
 * passed), -w a deadline, -f the first reply, -D duplicate address detection, -U/-A unsolicited
 * announcements. A job: it goes on while simulated time passes, until its count, -w, or Ctrl+C.
 */
export const arping: Command = (ctx, argv): number | Job => {
  if (!ctx.observe()) return 0
  let count = -1
  let timeoutS = 0
  let intervalS = 1
  let device: string | undefined
  let source: Ipv4 | undefined
  let quiet = false
  let quitOnReply = false
  let broadcastOnly = false
  let dad = false
  let unsolicited = false
  let advert = false
  let target: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('-') || a === '-') {
      if (target !== undefined) fail(2, USAGE)
      target = a
      continue
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]
      if ('cwiIs'.includes(c)) {
        let v = a.slice(j + 1)
        if (v === '') {
          if (i + 1 >= argv.length) fail(2, `arping: option requires an argument -- '${c}'${USAGE}`)
          v = argv[++i]
        }
        const num = (): number => {
          if (!/^\d+$/.test(v)) fail(2, `arping: invalid argument: '${v}'`)
          return Number(v)
        }
        if (c === 'c') count = num()
        else if (c === 'w') timeoutS = num()
        else if (c === 'i') intervalS = Math.max(1, num())
        else if (c === 'I') device = v
        else {
          const s = parseIpv4(v)
          if (s === null) fail(2, `arping: invalid source ${v}`)
          source = s
        }
        break
      }
      if (c === 'q') quiet = true
      else if (c === 'f') quitOnReply = true
      else if (c === 'b') broadcastOnly = true
      else if (c === 'D') {
        dad = true
        quitOnReply = true
      } else if (c === 'U') unsolicited = true
      else if (c === 'A') {
        advert = true
        unsolicited = true
      } else if (c === 'V') {
        ctx.println('arping from iputils 20221126')
        ctx.println('libcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes')
        return 0
      } else fail(2, `arping: invalid option -- '${c}'${USAGE}`)
    }
  }
  if (target === undefined) fail(2, USAGE)
  const dst = parseIpv4(target)
  if (dst === null) fail(2, `arping: ${target}: Temporary failure in name resolution`)
  const ns = ctx.netns
  const world = ctx.world
  if (unsolicited) source = dst
  // No -I: the device the route to the destination goes out of (arping asks rtnetlink).
  if (device === undefined) {
    try {
      device = routeOutput(ns, { daddr: dst }).dev.name
    } catch {
      fail(2, 'arping: Device  not available.')
    }
  }
  const dev = ns.dev(device)
  if (!dev) fail(2, `arping: Device ${device} not available.`)
  if (!dev.adminUp) {
    ctx.println(`Interface "${device}" is down`)
    return 2
  }
  if (dev.isLoopback) {
    ctx.println(`Interface "${device}" is not ARPable`)
    return 2
  }
  if (source === undefined && !dad) {
    try {
      source = routeOutput(ns, { daddr: dst, oif: dev }).src
    } catch (e) {
      fail(2, `arping: no source address in not-DAD mode: ${e instanceof KernelError ? e.message : String(e)}`)
    }
  }
  const src = source ?? 0
  if (!quiet) ctx.println(`ARPING ${formatIpv4(dst)} from ${formatIpv4(src)} ${device}`)

  const start = world.sched.now
  let sent = 0
  let brdSent = 0
  let received = 0
  let brdRecv = 0
  let reqRecv = 0
  let lastSendNs = 0
  let unicastTo: Mac | null = null
  let exiting = false
  /** Interval ticks so far (arping's timer expirations, the first send counting as one). */
  let expires = 1
  let nextTick = start + intervalS * NS_PER_SEC
  const timeoutAt = timeoutS ? start + timeoutS * NS_PER_SEC : Infinity

  const send = (): void => {
    const he = unicastTo ?? MAC_BROADCAST
    const arp = emitArp({ op: advert ? ARP_REPLY : ARP_REQUEST, senderMac: dev.mac, senderIp: src, targetMac: advert ? dev.mac : he, targetIp: dst })
    dev.xmit(new Skb(emitEthernet({ dst: he, src: dev.mac, ethertype: ETHERTYPE_ARP }, arp), world.nextPacketId()))
    lastSendNs = world.sched.now
    sent++
    if (unicastTo === null) brdSent++
  }

  // The packet socket: ARP frames the device receives for us or for everyone.
  const tap = (ev: { kind: 'xmit' | 'recv'; netns: string; device: string; timeNs: number; frame: Uint8Array }): void => {
    if (exiting || ev.kind !== 'recv' || ev.netns !== ns.name || ev.device !== dev.name) return
    const f = ev.frame
    if (f.length < 42 || frameEthertype(f) !== ETHERTYPE_ARP) return
    const to = frameDst(f)
    const host = to === dev.mac
    if (!host && !isMulticastMac(to)) return
    let a
    try {
      a = parseArp(f, 14)
    } catch {
      return
    }
    if (a.senderIp !== dst) return
    if (!dad) {
      if (a.targetIp !== src || a.targetMac !== dev.mac) return
    } else {
      if (a.senderMac === dev.mac) return
      if (src && src !== a.targetIp) return
    }
    if (!quiet) {
      let line = `${host ? 'Unicast' : 'Broadcast'} ${a.op === ARP_REPLY ? 'reply' : 'request'} from ${formatIpv4(a.senderIp)} [${hex(a.senderMac)}] `
      let forPrinted = false
      if (a.targetIp !== src) {
        line += `for ${formatIpv4(a.targetIp)} `
        forPrinted = true
      }
      if (a.targetMac !== dev.mac) line += `${forPrinted ? '' : 'for '}[${hex(a.targetMac)}]`
      line += lastSendNs || sent ? replyTime(world.sched.now - lastSendNs) : ' UNSOLICITED?'
      ctx.println(line)
    }
    received++
    if (timeoutS && received === count) {
      exiting = true
      return
    }
    if (!host) brdRecv++
    if (a.op === ARP_REQUEST) reqRecv++
    if (quitOnReply || (count === 0 && received === sent)) {
      exiting = true
      return
    }
    if (!broadcastOnly) unicastTo = a.senderMac
  }
  world.trace.taps.add(tap)
  send()
  const close = (): void => {
    exiting = true
    world.trace.taps.delete(tap)
  }
  const forever = count <= 0 && timeoutS === 0

  return {
    done: () => exiting,
    get deadlineNs() {
      return exiting ? Infinity : Math.min(nextTick, timeoutAt)
    },
    // At the same instant the interval timer is handled before the deadline, as arping polls them.
    onDeadline: () => {
      const now = world.sched.now
      if (now >= nextTick) {
        expires++
        nextTick += intervalS * NS_PER_SEC
        if (count > 0 && count < expires) {
          exiting = true
          return
        }
        send()
      }
      if (now >= timeoutAt) exiting = true
    },
    limitNs: forever ? start + ARPING_LIMIT_NS : Infinity,
    // SIGINT, SIGTERM: arping's signalfd ends the loop; the counts follow.
    stop: () => {
      exiting = true
    },
    finish: () => {
      close()
      if (!quiet) {
        ctx.println(`Sent ${sent} probes (${brdSent} broadcast(s))`)
        let line = `Received ${received} response(s)`
        if (brdRecv || reqRecv) line += ` (${reqRecv ? `${reqRecv} request(s)` : ''}${brdRecv ? `${reqRecv ? ', ' : ''}${brdRecv} broadcast(s)` : ''})`
        ctx.println(line)
      }
      let rc = dad ? (received ? 1 : 0) : unsolicited ? 0 : received ? 0 : 1
      if (unsolicited) {
        /* nothing more */
      } else if (dad && quitOnReply) rc |= brdSent !== received ? 0 : 1
      else if (timeoutS && !(count > 0)) rc |= received > 0 ? 0 : 1
      else rc |= sent !== received ? 1 : 0
      return rc
    },
    diesOnInterrupt: false,
  }
}
