import { formatIpv4, parseIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import { RouteType } from '../kernel/fib.ts'
import { pathMtu, routeOutput } from '../kernel/route.ts'
import { NS_PER_MS } from '../kernel/scheduler.ts'
import { newIcmpPacket, Skb } from '../kernel/skb.ts'
import type { RawIcmpSocket, SockError } from '../kernel/sockets.ts'
import { type IcmpEchoRepr, type IcmpRedirectRepr, type IcmpRepr } from '../wire/icmp.ts'
import { IPPROTO_ICMP, type Ipv4Repr } from '../wire/ipv4.ts'
import { Ctx, fail, UsageExit, type Command } from './context.ts'
import type { Netns } from '../kernel/netns.ts'
import type { NetDevice } from '../kernel/device.ts'
import type { World } from '../kernel/world.ts'
import type { CommandResult } from './shell.ts'
import { PING_USAGE } from './ping-usage.ts'
import { SIGTERM_STATUS, type Job } from './jobs.ts'

interface PingOpts {
  count: number
  intervalMs: number
  lingerMs: number
  deadlineS: number
  size: number
  /** -t, or -1 when not given (0 is refused later, as setsockopt(IP_TTL) refuses it). */
  ttl: number
  pmtudisc: 'want' | 'do' | 'dont'
  quiet: boolean
  broadcast: boolean
  target: string
  /** -I ADDRESS: the socket is bound to it. */
  source: Ipv4 | null
  /** -I DEVICE: SO_BINDTODEVICE. */
  device: string | null
}

const MAX_COUNT = 9223372036854775807n
const INT_MAX = 2147483647
/** The most data an ICMP echo over IPv4 can carry: 65535 - 20 (IP header) - 8 (ICMP header). */
const ICMP_MAX_DATALEN = 65507

/**
 * Which of the last 65536 sequence numbers have been answered (iputils' rcvd_tbl): icmp_seq wraps
 * at 65536, so a number's bit is cleared when it is sent again, and a late answer to the old one
 * is not taken for a duplicate of the new.
 */
export class SeqTable {
  private readonly bits = new Uint32Array(0x10000 / 32)

  clear(seq: number): void {
    const b = seq & 0xffff
    this.bits[b >>> 5] &= ~(1 << (b & 31))
  }

  set(seq: number): void {
    const b = seq & 0xffff
    this.bits[b >>> 5] |= 1 << (b & 31)
  }

  has(seq: number): boolean {
    const b = seq & 0xffff
    return (this.bits[b >>> 5] & (1 << (b & 31))) !== 0
  }
}

/** iputils' strtol-style checks with its exact complaints. */
function parseCount(v: string, min: number, max: bigint | number): number {
  if (!/^[+-]?\d+$/.test(v.trim())) fail(1, `ping: invalid argument: '${v}'`)
  const n = BigInt(v.trim())
  if (n < BigInt(min) || n > BigInt(max)) fail(1, `ping: invalid argument: '${v}': out of range: ${min} <= value <= ${max}`)
  return Number(n)
}

/** strtod with iputils' "garbage" warning: a leading number is used, the rest complained about. */
function parseSeconds(ctx: Ctx, v: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(v)
  if (!m) {
    ctx.eprintln(`ping: option argument contains garbage: ${v}`)
    ctx.eprintln('ping: this will become fatal error in the future')
    return 0
  }
  if (m[0].length !== v.length) {
    ctx.eprintln(`ping: option argument contains garbage: ${v.slice(m[0].length)}`)
    ctx.eprintln('ping: this will become fatal error in the future')
  }
  return Number(m[0])
}

function parseArgs(ctx: Ctx, argv: string[]): PingOpts {
  const o: PingOpts = { count: 0, intervalMs: 1000, lingerMs: 10_000, deadlineS: 0, size: 56, ttl: -1, pmtudisc: 'want', quiet: false, broadcast: false, target: '', source: null, device: null }
  const targets: string[] = []
  const withArg = 'cWsMtiwIpQSlmTFeN'
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      targets.push(...argv.slice(i + 1))
      break
    }
    if (!a.startsWith('-') || a === '-') {
      targets.push(a)
      continue
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]
      if (withArg.includes(c)) {
        let v = a.slice(j + 1)
        if (v === '') {
          if (i + 1 >= argv.length) fail(2, `ping: option requires an argument -- '${c}'\n${PING_USAGE}`)
          v = argv[++i]
        }
        applyOpt(ctx, o, c, v)
        break
      }
      switch (c) {
        case 'q':
          o.quiet = true
          break
        case 'b':
          o.broadcast = true
          break
        case 'n':
        case '4':
        case 'v':
        case 'D':
        case 'U':
        case 'A':
        case 'a':
        case 'd':
        case 'L':
        case 'O':
        case 'B':
        case 'C':
        case 'r':
        case 'R':
          break
        case 'V':
          throw new UsageExit(0, '', 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: yes, error.h: yes, getrandom(): yes, __fpending(): yes\n')
          break
        case 'h':
          fail(2, PING_USAGE)
          break
        case 'f':
          fail(2, 'podnet: flood ping is not simulated')
          break
        case '6':
          fail(2, 'podnet: IPv6 is not simulated')
          break
        default:
          fail(2, `ping: invalid option -- '${c}'\n${PING_USAGE}`)
      }
    }
  }
  if (targets.length === 0) fail(1, 'ping: usage error: Destination address required')
  if (targets.length > 1) fail(2, 'ping: record route: Operation not permitted')
  o.target = targets[0]
  // iputils since 20240905 refuses what no IPv4 packet can carry (20221126 accepted it and then
  // spun on each send); the lab follows the newer, bounded behaviour.
  if (o.size > ICMP_MAX_DATALEN) fail(1, `ping: invalid -s value: '${o.size}': out of range: 0 <= value <= ${ICMP_MAX_DATALEN}`)
  return o
}

function applyOpt(ctx: Ctx, o: PingOpts, c: string, v: string): void {
  switch (c) {
    case 'c':
      o.count = parseCount(v, 1, MAX_COUNT)
      return
    case 's':
      o.size = parseCount(v, 0, INT_MAX)
      return
    case 't':
      // A TTL of 0 fails at setsockopt(IP_TTL), after the probe connect (see startPing).
      o.ttl = parseCount(v, 0, 255)
      return
    case 'W': {
      const s = parseSeconds(ctx, v)
      if (s < 0 || s > INT_MAX / 1000) fail(2, `ping: bad linger time: ${v}`)
      o.lingerMs = Math.round(s * 1000)
      return
    }
    case 'i': {
      const s = parseSeconds(ctx, v)
      if (s < 0 || s > INT_MAX / 1000) fail(2, `ping: bad timing interval: ${v}`)
      o.intervalMs = Math.round(s * 1000)
      if (o.intervalMs === 0) o.intervalMs = 1000
      return
    }
    case 'w':
      o.deadlineS = parseCount(v, 0, 2147483647)
      return
    case 'M':
      if (v === 'do' || v === 'dont' || v === 'want') o.pmtudisc = v
      else if (v === 'probe') o.pmtudisc = 'do'
      else fail(2, `ping: invalid -M argument: ${v}`)
      return
    case 'I': {
      // An address binds the socket to it; anything else names a device.
      const a = parseIpv4(v)
      if (a !== null) o.source = a
      else o.device = v
      return
    }
    default:
      return
  }
}

/** iputils pr_icmph for the errors the lab produces. */
export function icmpText(type: number, code: number, info: number): string {
  if (type === 3) {
    const texts = ['Destination Net Unreachable', 'Destination Host Unreachable', 'Destination Protocol Unreachable', 'Destination Port Unreachable', '', 'Source Route Failed', 'Destination Net Unknown', 'Destination Host Unknown', 'Source Host Isolated', 'Destination Net Prohibited', 'Destination Host Prohibited', 'Destination Net Unreachable for Type of Service', 'Destination Host Unreachable for Type of Service', 'Packet filtered', 'Precedence Violation', 'Precedence Cutoff']
    if (code === 4) return `Frag needed and DF set (mtu = ${info})`
    return texts[code] ?? `Dest Unreachable, Bad Code: ${code}`
  }
  if (type === 11) return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`
  if (type === 5) {
    const t = ['Redirect Network', 'Redirect Host', 'Redirect Type of Service and Network', 'Redirect Type of Service and Host'][code] ?? `Redirect, Bad Code: ${code}`
    return `${t}(New nexthop: ${formatIpv4(info)})`
  }
  return `Bad ICMP type: ${type}`
}

/** The `time=` field as iputils formats a round trip in microseconds. */
export function formatTripTime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)} ms`
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)} ms`
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')} ms`
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')} ms`
}

function ms3(us: number): string {
  return `${Math.floor(us / 1000)}.${String(Math.floor(us % 1000)).padStart(3, '0')}`
}

/** %g of a float, as the loss percentage is printed. */
function fmtG(x: number): string {
  const f = Math.fround(x)
  if (f === 0) return '0'
  let s = f.toPrecision(6)
  if (s.includes('e')) return s
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return s
}

/**
 * iputils `ping` over a raw ICMP socket in the current namespace: one echo request per interval,
 * replies and ICMP errors reported as iputils prints them, the same exit codes (0 replies seen,
 * 1 none, 2 setup errors). A job: it goes on while the World's clock runs, until it would have
 * exited (-c, -w) or Ctrl+C.
 */
export const ping: Command = (ctx, argv) => (ctx.observe() ? startPing(ctx, argv) : 0)

/**
 * Several pings started at the same instant, as `ping ... & ping ... & wait` in bash, each in
 * its namespace with its own output. Each one ends (closes its socket) the moment it would exit,
 * so a late answer meant for one cannot reach it while the others still run.
 */
export function pingConcurrently(world: World, runs: readonly { ns: Netns; argv: string[]; startNs?: number }[]): CommandResult[] {
  const ctxs = runs.map((r) => new Ctx(world, r.ns))
  const jobs: (Job | number | null)[] = runs.map(() => null)
  const codes: (number | null)[] = runs.map(() => null)
  const start = (i: number): void => {
    try {
      jobs[i] = startPing(ctxs[i], runs[i].argv)
    } catch (e) {
      if (!(e instanceof UsageExit)) throw e
      if (e.stdoutText) ctxs[i].out(e.stdoutText)
      if (e.stderrText) ctxs[i].err(e.stderrText)
      jobs[i] = codes[i] = e.code
    }
  }
  // Each ping starts at its own instant (now, or startNs), as processes a shell spawns do.
  runs.forEach((r, i) => {
    if (r.startNs !== undefined && r.startNs > world.sched.now) world.sched.at(r.startNs, () => start(i))
    else start(i)
  })
  const settle = (): boolean => {
    let all = true
    jobs.forEach((j, i) => {
      if (codes[i] !== null) return
      if (j === null || typeof j === 'number') {
        all = false
        return
      }
      if (j.done()) codes[i] = j.finish()
      else all = false
    })
    return all
  }
  const latest = Math.max(world.sched.now, ...runs.map((r) => r.startNs ?? 0))
  world.sched.runUntil(settle, latest + 600 * 1000 * NS_PER_MS)
  jobs.forEach((j, i) => {
    if (codes[i] === null && j !== null && typeof j !== 'number') {
      j.stop('limit')
      codes[i] = j.finish()
    }
  })
  return ctxs.map((c, i) => ({ exitCode: codes[i] ?? 0, stdout: c.stdout, stderr: c.stderr }))
}

function startPing(ctx: Ctx, argv: string[]): Job {
  const o = parseArgs(ctx, argv)
  const dst = parseIpv4(o.target)
  if (dst === null) fail(2, `ping: ${o.target}: Temporary failure in name resolution`)
  const ns = ctx.netns
  const world = ctx.world
  let oif: NetDevice | undefined
  if (o.device !== null) {
    oif = ns.dev(o.device)
    if (!oif) fail(2, `ping: SO_BINDTODEVICE ${o.device}: No such device`)
  }
  // raw_bind asks inet_addr_type, which answers RTN_BROADCAST (bindable) in a namespace whose
  // local table was never created (no address was ever up there).
  if (o.source !== null && ns.local.used && !ns.devinet.hasAddress(o.source)) fail(2, 'ping: bind: Cannot assign requested address')
  // Without -I ADDRESS, iputils connects a UDP probe socket (bound like the ping socket) to learn
  // its source: a destination without a route fails there. With one there is no probe, and each
  // send fails on its own (counted, printed nowhere: see sendOne).
  let source = o.source
  let broadcastRoute = false
  if (source === null) {
    let probe
    try {
      probe = routeOutput(ns, { daddr: dst, oif })
    } catch (e) {
      const msg = e instanceof KernelError ? STRERROR[e.errno] : String(e)
      // iputils reads EACCES from the probe's connect as a broadcast asked for without -b.
      if (e instanceof KernelError && e.errno === 'EACCES' && !o.broadcast) fail(2, 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules')
      fail(2, `ping: connect: ${msg}`)
    }
    source = probe.src
    broadcastRoute = probe.type === RouteType.Broadcast
    if (oif && !ns.devinet.ifaOnDevice(oif, source)) ctx.eprintln(`ping: Warning: source address might be selected on device other than: ${oif.name}`)
  }
  if (broadcastRoute || isSubnetBroadcast(ctx, dst)) {
    if (!o.broadcast) fail(2, 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules')
    ctx.eprintln('WARNING: pinging broadcast address')
  }
  if (o.ttl === 0) fail(2, 'ping: cannot set unicast time-to-live: Invalid argument')
  const datalen = o.size
  const from = o.device !== null || o.source !== null ? `from ${formatIpv4(source)} ${o.device ?? ''}: ` : ''
  ctx.println(`PING ${o.target} (${formatIpv4(dst)}) ${from}${datalen}(${datalen + 28}) bytes of data.`)

  const ident = world.rng.below(0x10000)
  const ttl = o.ttl > 0 ? o.ttl : ns.sysctl.num('net.ipv4.ip_default_ttl')
  const start = world.sched.now
  let ntransmitted = 0
  let nreceived = 0
  let nerrors = 0
  let nrepeats = 0
  let pipesize = 0
  let tmin = Infinity
  let tmax = 0
  let tsum = 0
  let tsum2 = 0
  let lastSendNs = start
  let exiting = false
  let waitSet = false
  /** The highest sequence number answered (by a reply or an error), as iputils' `acked`. */
  let acked = 0
  const sendTimes = new Map<number, number>()
  const received = new SeqTable()

  const countReached = (): boolean => o.count > 0 && nreceived + nerrors >= o.count

  const acknowledge = (seq: number): void => {
    const diff = (ntransmitted - seq) & 0xffff
    if (diff > 0x7fff) return
    if (diff + 1 > pipesize) pipesize = diff + 1
    if (((seq - acked) << 16) >> 16 > 0 || ((ntransmitted - acked) & 0xffff) > 0x7fff) acked = seq
  }

  /** advance_ntransmitted(): when icmp_seq wraps, what was acked no longer counts. */
  const advanceTransmitted = (): void => {
    ntransmitted++
    if (((ntransmitted - acked) & 0xffff) > 0x7fff) acked = (ntransmitted + 1) & 0xffff
  }

  /** iputils' in_flight(): probes sent after the highest one answered. */
  const inFlight = (): number => {
    const diff = (ntransmitted - acked) & 0xffff
    return diff <= 0x7fff ? diff : ntransmitted - nreceived - nerrors
  }

  /**
   * The exit conditions iputils checks at the top of its main loop: the count of answers and
   * errors reached, or, with a deadline (-w), any error at all (-w means "until a reply or an
   * error"; -c and -W alone go on after errors).
   */
  const mustExit = (): boolean => exiting || countReached() || (o.deadlineS > 0 && nerrors > 0)

  // What reaches the socket waits there until ping reads it (readSocket): errors (IP_RECVERR's
  // queue, sk_err) and packets (the raw socket's receive queue, with their arrival times).
  const errQueue: SockError[] = []
  const rxQueue: { ip: Ipv4Repr; msg: IcmpRepr; atNs: number }[] = []
  let wakePending = false

  const onEchoReply = (ip: Ipv4Repr, msg: IcmpEchoRepr, atNs: number): void => {
    if (msg.ident !== ident) return
    const seq = msg.seq
    const sent = sendTimes.get(seq)
    if (sent === undefined) return
    acknowledge(seq)
    // The receive timestamp (SO_TIMESTAMP) is the packet's arrival, not the moment it is read.
    const us = Math.max(0, Math.floor((atNs - sent) / 1000))
    const dup = received.has(seq)
    if (dup) nrepeats++
    else {
      received.set(seq)
      nreceived++
      tsum += us
      tsum2 += us * us
      if (us < tmin) tmin = us
      if (us > tmax) tmax = us
    }
    if (!o.quiet) {
      const from = formatIpv4(ip.src)
      const wrong = ip.src !== dst && !o.broadcast
      ctx.println(`${msg.data.length + 8} bytes from ${from}: icmp_seq=${seq} ttl=${ip.ttl} time=${formatTripTime(us)}${dup ? ' (DUP!)' : ''}${wrong ? ' (DIFFERENT ADDRESS!)' : ''}`)
    }
  }

  const onRedirect = (ip: Ipv4Repr, msg: IcmpRedirectRepr): void => {
    const q = msg.original
    if (q.length < 28) return
    const qdst = ((q[16] << 24) | (q[17] << 16) | (q[18] << 8) | q[19]) >>> 0
    const hl = (q[0] & 15) * 4
    if (q[hl] !== 8 || qdst !== dst || ((q[hl + 4] << 8) | q[hl + 5]) !== ident) return
    const seq = (q[hl + 6] << 8) | q[hl + 7]
    if (!o.quiet) ctx.println(`From ${formatIpv4(ip.src)}: icmp_seq=${seq} ${icmpText(5, msg.code, msg.gateway)}`)
  }

  const onError = (err: SockError): void => {
    const p = err.quotedPayload
    // iputils takes an error only about its own target and ident (another ping's is not ours).
    if (p.length < 8 || p[0] !== 8 || ((p[4] << 8) | p[5]) !== ident) return
    if (err.origin === 'icmp' && err.quoted.dst !== dst) return
    const seq = (p[6] << 8) | p[7]
    acknowledge(seq)
    nerrors++
    if (!o.quiet) ctx.println(`From ${formatIpv4(err.offender)} icmp_seq=${seq} ${icmpText(err.type, err.code, err.info)}`)
  }

  /** One recvmsg(): a pending socket error before any queued packet (sock_error). */
  const readOne = (): boolean => {
    const err = errQueue.shift()
    if (err !== undefined) {
      onError(err)
      return true
    }
    const pkt = rxQueue.shift()
    if (pkt === undefined) return false
    if (pkt.msg.kind === 'echoReply') onEchoReply(pkt.ip, pkt.msg, pkt.atNs)
    else if (pkt.msg.kind === 'redirect') onRedirect(pkt.ip, pkt.msg)
    return true
  }

  /**
   * iputils' receive loop once ping is woken: every error queued by then is read first, then the
   * packets in the order they came. ping goes back to the top of its main loop (and its exit
   * checks) when nothing is in flight any more or the socket is empty; what is left unread when
   * it exits is never printed. A redirect and the error that the same packet caused further on
   * arrive in one softirq run, so `-c 1` prints only the error; the errors of all the probes an
   * ARP failure drops arrive together, so `-w` prints them all and then stops.
   */
  const readSocket = (): void => {
    wakePending = false
    for (;;) {
      if (mustExit()) {
        exiting = true
        errQueue.length = 0
        rxQueue.length = 0
        return
      }
      for (;;) {
        if (!readOne()) {
          if (mustExit()) exiting = true
          return
        }
        if (inFlight() === 0) break
      }
    }
  }
  const wake = (): void => {
    if (wakePending) return
    wakePending = true
    world.sched.whenQuiet(readSocket)
  }

  const sock: RawIcmpSocket = {
    onPacket(ip: Ipv4Repr, msg: IcmpRepr) {
      if (exiting) return
      // Errors about echo requests are read from the error queue; their raw copy only
      // acknowledges what the error did already.
      if (msg.kind !== 'echoReply' && msg.kind !== 'redirect') return
      rxQueue.push({ ip, msg, atNs: world.sched.now })
      wake()
    },
    onError(err: SockError) {
      if (exiting) return
      errQueue.push(err)
      wake()
    },
  }
  const close = ns.sockets.openRawIcmp(sock)

  const sendOne = (): void => {
    const seq = (ntransmitted + 1) & 0xffff
    received.clear(seq)
    lastSendNs = world.sched.now
    const data = new Uint8Array(datalen)
    for (let i = 0; i < datalen; i++) data[i] = i & 0xff
    if (datalen >= 16) writeTimeval(data, world.sched.now)
    let route
    try {
      route = routeOutput(ns, { daddr: dst, saddr: o.source ?? undefined, oif })
    } catch (e) {
      // sendmsg fails without queueing an error: iputils counts the probe and prints nothing
      // (it reports the errno only when an ICMP error was waiting on the socket).
      if (!(e instanceof KernelError)) throw e
      advanceTransmitted()
      return
    }
    const size = 28 + datalen
    const mtu = route.type === RouteType.Local ? ns.lo.mtu : pathMtu(ns, route.route, route.dev, dst)

    if (o.pmtudisc === 'do' && size > mtu) {
      advanceTransmitted()
      nerrors++
      if (!o.quiet) ctx.eprintln(`ping: local error: message too long, mtu=${mtu}`)
      return
    }
    const df = o.pmtudisc === 'do' || (o.pmtudisc === 'want' && size <= mtu)
    const pkt = newIcmpPacket({ src: route.src, dst, protocol: IPPROTO_ICMP, ttl, tos: 0, id: df ? 0 : ns.stack.nextId(), df, mf: false, fragOffset: 0 }, { kind: 'echoRequest', ident, seq, data })
    const skb = new Skb(pkt, world.nextPacketId(), undefined, true)
    const trace = world.trace
    if (trace.enabled) trace.packet('send', ns, null, skb, 'ipv4', 'send.echo_request', { src: formatIpv4(route.src), dst: formatIpv4(dst), seq, ns: ns.name })
    sendTimes.set(seq, world.sched.now)
    advanceTransmitted()
    ns.stack.output(route, skb)
  }

  const scheduleExitAfterLast = (): void => {
    if (waitSet) return
    waitSet = true
    let waitMs = o.lingerMs
    if (nreceived) waitMs = Math.max(Math.ceil((2 * tmax) / 1000), o.intervalMs)
    world.sched.after(waitMs * NS_PER_MS, () => {
      exiting = true
    })
  }

  // Deadline (-w): exit when it passes, whatever is outstanding.
  if (o.deadlineS) world.sched.after(o.deadlineS * 1000 * NS_PER_MS, () => (exiting = true))
  const forever = o.count === 0 && o.deadlineS === 0
  const limit = forever ? world.sched.now + 600 * 1000 * NS_PER_MS : Infinity

  const tick = (): void => {
    // A local error (-M do) is read while sending; the deadline's check on errors comes when the
    // receive wait (SO_RCVTIMEO, one interval) ends, before the next probe.
    if (mustExit()) exiting = true
    if (exiting) return
    if (o.count && ntransmitted >= o.count && !o.deadlineS) return
    sendOne()
    if (o.count && ntransmitted >= o.count && !o.deadlineS) scheduleExitAfterLast()
    else world.sched.after(o.intervalMs * NS_PER_MS, tick)
  }
  tick()
  const done = (): boolean => exiting || countReached()
  let closed = false
  let cutOff = false
  let terminated = false
  // Exiting closes the socket at once, so a late answer meant for this ping reaches no one.
  const stop = (): void => {
    exiting = true
    if (!closed) close()
    closed = true
  }
  return {
    done,
    deadlineNs: Infinity,
    onDeadline: () => {},
    limitNs: limit,
    // SIGINT: iputils' handler sets `exiting`, and the statistics follow as at any other exit.
    // SIGTERM (timeout) has no handler: ping dies without them.
    stop: (why) => {
      cutOff = why === 'limit'
      terminated = why === 'terminate'
      stop()
    },
    finish: () => {
      stop()
      return terminated ? SIGTERM_STATUS : summary()
    },
    diesOnInterrupt: false,
  }

  function summary(): number {
    const totalMs = Math.floor((lastSendNs - start + 500_000) / 1_000_000)
    ctx.println('')
    ctx.println(`--- ${o.target} ping statistics ---`)
    let line = `${ntransmitted} packets transmitted, ${nreceived} received`
    if (nrepeats) line += `, +${nrepeats} duplicates`
    if (nerrors) line += `, +${nerrors} errors`
    if (ntransmitted) {
      line += `, ${fmtG(((ntransmitted - nreceived) * 100) / ntransmitted)}% packet loss`
      line += `, time ${totalMs}ms`
    }
    ctx.println(line)
    let tail = ''
    let comma = ''
    if (nreceived) {
      const total = nreceived + nrepeats
      const avg = Math.floor(tsum / total)
      const tmvar = Math.floor((tsum2 - Math.floor((tsum * tsum) / total)) / total)
      const mdev = Math.floor(Math.sqrt(Math.max(0, tmvar)))
      tail += `rtt min/avg/max/mdev = ${ms3(tmin)}/${ms3(avg)}/${ms3(tmax)}/${ms3(mdev)} ms`
      comma = ', '
    }
    if (pipesize > 1) tail += `${comma}pipe ${pipesize}`
    ctx.println(tail)
    if (forever && cutOff) ctx.eprintln('podnet: ping without -c or -w stopped after 600 s of simulated time')
    return nreceived === 0 || (o.deadlineS > 0 && o.count > 0 && nreceived < o.count) ? 1 : 0
  }
}

function isSubnetBroadcast(ctx: Ctx, dst: Ipv4): boolean {
  return ctx.netns.local.exact(dst, 32).some((r) => r.type === RouteType.Broadcast)
}

/** struct timeval (64-bit seconds and microseconds, little-endian) of simulated time. */
function writeTimeval(b: Uint8Array, ns: number): void {
  const sec = Math.floor(ns / 1e9)
  const usec = Math.floor((ns % 1e9) / 1000)
  const dv = new DataView(b.buffer, b.byteOffset, 16)
  dv.setUint32(0, sec >>> 0, true)
  dv.setUint32(4, Math.floor(sec / 0x1_0000_0000), true)
  dv.setUint32(8, usec, true)
  dv.setUint32(12, 0, true)
}
