import { emitIpv4, parseIpv4Header, type Ipv4Repr } from '../wire/ipv4.ts'
import type { Netns } from './netns.ts'
import { NS_PER_SEC } from './scheduler.ts'
import { newIpv4Packet, Skb } from './skb.ts'

/** ip_fragment: pieces of at most mtu bytes, data in multiples of 8, MF on all but the last. */
export function fragment(packet: Uint8Array, mtu: number): Uint8Array[] {
  const ip = parseIpv4Header(packet, 0)
  const hlen = ip.headerLen
  const data = packet.subarray(hlen, ip.totalLen)
  const step = Math.floor((mtu - hlen) / 8) * 8
  if (step <= 0) return []
  const out: Uint8Array[] = []
  for (let off = 0; off < data.length; off += step) {
    const chunk = data.subarray(off, Math.min(off + step, data.length))
    const last = off + step >= data.length
    out.push(newIpv4Packet({ src: ip.src, dst: ip.dst, protocol: ip.protocol, ttl: ip.ttl, tos: ip.tos, id: ip.id, df: false, mf: !last || ip.mf, fragOffset: ip.fragOffset + off }, chunk))
  }
  return out
}

interface Queue {
  parts: { off: number; data: Uint8Array }[]
  total: number
  first: Ipv4Repr | null
  firstSkb: Skb | null
  gen: number
}

/** ipfrag_time: incomplete datagrams are dropped after 30 s. */
const IPFRAG_TIME_NS = 30 * NS_PER_SEC

/** ip_defrag for locally delivered fragments. */
export class Reassembler {
  private readonly queues = new Map<string, Queue>()

  constructor(private readonly ns: Netns) {}

  add(skb: Skb, ip: Ipv4Repr): Skb | null {
    const key = `${ip.src}/${ip.dst}/${ip.id}/${ip.protocol}`
    let q = this.queues.get(key)
    if (!q) {
      q = { parts: [], total: -1, first: null, firstSkb: null, gen: 0 }
      this.queues.set(key, q)
      const gen = q.gen
      const queue = q
      this.ns.world.sched.after(IPFRAG_TIME_NS, () => {
        if (this.queues.get(key) !== queue || queue.gen !== gen) return
        this.queues.delete(key)
        if (queue.first && queue.firstSkb) this.ns.icmp.send(queue.firstSkb, queue.first, 11, 1, 0)
      })
    }
    const off = ip.fragOffset
    const data = skb.data.subarray(ip.headerLen, ip.totalLen)
    q.parts.push({ off, data })
    if (off === 0) {
      q.first = ip
      q.firstSkb = skb
    }
    if (!ip.mf) q.total = off + data.length
    if (q.total < 0 || !q.first) return null
    q.parts.sort((a, b) => a.off - b.off)
    let have = 0
    for (const p of q.parts) {
      if (p.off > have) return null
      have = Math.max(have, p.off + p.data.length)
    }
    if (have < q.total) return null
    const payload = new Uint8Array(q.total)
    for (const p of q.parts) payload.set(p.data.subarray(0, Math.max(0, Math.min(p.data.length, q.total - p.off))), p.off)
    this.queues.delete(key)
    q.gen++
    const f = q.first
    const whole = emitIpv4({ src: f.src, dst: f.dst, protocol: f.protocol, ttl: f.ttl, tos: f.tos, id: f.id, df: false, mf: false, fragOffset: 0 }, payload)
    return new Skb(whole, skb.id, skb.cause)
  }
}
