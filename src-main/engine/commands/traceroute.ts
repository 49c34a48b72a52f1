import { formatIpv4, parseIpv4 } from '../addr/ipv4.ts'
import { KernelError, STRERROR } from '../kernel/errors.ts'
import { routeOutput } from '../kernel/route.ts'
import { NS_PER_SEC } from '../kernel/scheduler.ts'
import { newIpv4Packet, Skb } from '../kernel/skb.ts'
import { emitUdp } from '../wire/udp.ts'
import { IPPROTO_UDP } from '../wire/ipv4.ts'
import { fail, type Command } from './context.ts'
import { SIGINT_STATUS } from './jobs.ts'
import { formatTripTime } from './ping.ts'

/**
 * `traceroute [-n] [-q N] [-w S] [-m MAX] [-p PORT] [-f FIRST] HOST` (traceroute 2.x, UDP probes
 * to port 33434 upwards): per hop, send the probes, list who answered (ICMP time exceeded from a
 * router, port unreachable from the destination) with times, `*` for silence, `!H`/`!N`/`!X` for
 * unreachables. A job: each hop's line comes when its probes are answered or its wait is over.
 */
export const traceroute: Command = (ctx, argv) => {
  if (!ctx.observe()) return 0
  let q = 3
  let waitS = 5
  let max = 30
  let first = 1
  let port = 33434
  let host: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const num = (): number => {
      const v = argv[++i]
      if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) fail(2, `Cannot handle \`${a}' option with arg \`${v ?? ''}' (argc ${i})`)
      return Number(v)
    }
    if (a === '-n' || a === '-I' || a === '-U' || a === '-4') continue
    else if (a === '-q') q = num()
    else if (a === '-w') waitS = num()
    else if (a === '-m') max = num()
    else if (a === '-f') first = num()
    else if (a === '-p') port = num()
    else if (a.startsWith('-')) fail(2, `Bad option \`${a}' (argc ${i + 1})`)
    else if (host === undefined) host = a
    else fail(2, `Extra arg \`${a}' (position 3, argc ${i + 1})`)
  }
  if (host === undefined) fail(2, 'Specify "host" missing argument.')
  const dst = parseIpv4(host)
  if (dst === null) fail(2, `${host}: Temporary failure in name resolution\nCannot handle "host" cmdline arg \`${host}' on position 1 (argc ${argv.length})`)
  const ns = ctx.netns
  const world = ctx.world
  // The header goes out first, without its newline: each hop's line starts with one (and the
  // last one ends the output), so a failure shows under the header as traceroute 2.x prints it.
  ctx.out(`traceroute to ${host} (${formatIpv4(dst)}), ${max} hops max, 60 byte packets`)
  let route
  try {
    route = routeOutput(ns, { daddr: dst })
  } catch (e) {
    ctx.eprintln(`\nconnect: ${e instanceof KernelError ? STRERROR[e.errno] : String(e)}`)
    return 1
  }
  const sport = 40000 + world.rng.below(20000)
  type Answer = { from: number; us: number; mark: string; final: boolean }
  const answers = new Map<number, Answer>()
  let onAnswer = (): void => {}
  const sent = new Map<number, number>()
  const close = ns.sockets.bindUdp({
    port: sport,
    addr: 0,
    onDatagram: () => {},
    onError: (err) => {
      const p = err.quotedPayload
      if (p.length < 4) return
      const probe = ((p[2] << 8) | p[3]) - port
      const t = sent.get(probe)
      if (t === undefined || answers.has(probe)) return
      let mark = ''
      let final = false
      if (err.type === 3) {
        final = true
        if (err.code === 3) mark = ''
        else mark = { 0: ' !N', 1: ' !H', 2: ' !P', 4: ' !F', 13: ' !X' }[err.code] ?? ` !<${err.code}>`
      }
      answers.set(probe, { from: err.offender, us: Math.floor((world.sched.now - t) / 1000), mark, final })
      onAnswer()
    },
  })
  let probe = 0
  let ttl = first
  let ids: number[] = []
  let hopEnd = Infinity
  let finished = false
  let killed = false
  const printHop = (): void => {
    let line = '\n' + String(ttl).padStart(2) + ' '
    let last = -1
    let reached = false
    for (const id of ids) {
      const a = answers.get(id)
      if (!a) {
        line += ' *'
        continue
      }
      if (a.from !== last) line += ` ${formatIpv4(a.from)}`
      last = a.from
      line += `  ${formatTripTime(a.us)}${a.mark}`
      if (a.final) reached = true
    }
    ctx.out(line)
    ttl++
    if (reached || ttl > max) end()
    else sendHop()
  }
  const end = (killedBySignal = false): void => {
    if (!finished && !killedBySignal) ctx.out('\n')
    finished = true
    hopEnd = Infinity
    close()
  }
  // One hop: its probes now; its line when all have answered or its wait is over.
  const sendHop = (): void => {
    ids = []
    for (let k = 0; k < q; k++, probe++) {
      ids.push(probe)
      sent.set(probe, world.sched.now)
      const payload = new Uint8Array(32).fill(0x40)
      const udp = emitUdp(sport, port + probe, payload, route.src, dst)
      const pkt = newIpv4Packet({ src: route.src, dst, protocol: IPPROTO_UDP, ttl, tos: 0, id: ns.stack.nextId(), df: false, mf: false, fragOffset: 0 }, udp)
      try {
        const r = routeOutput(ns, { daddr: dst })
        ns.stack.output(r, new Skb(pkt, world.nextPacketId(), undefined, true))
      } catch {
        /* the line shows * for it */
      }
    }
    hopEnd = world.sched.now + waitS * NS_PER_SEC
  }
  onAnswer = () => {
    if (!finished && ids.every((id) => answers.has(id))) printHop()
  }
  if (first > max) end()
  else sendHop()
  return {
    done: () => finished,
    get deadlineNs() {
      return hopEnd
    },
    onDeadline: () => {
      if (!finished) printHop()
    },
    limitNs: Infinity,
    // traceroute has no signal handler: Ctrl+C kills it between lines.
    stop: (why) => {
      killed = why !== 'limit'
      end(killed)
    },
    finish: () => (killed ? SIGINT_STATUS : 0),
    diesOnInterrupt: true,
  }
}
