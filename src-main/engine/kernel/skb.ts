import { writeIpv4Header, IPV4_HEADER_LEN, type Ipv4EmitRepr } from '../wire/ipv4.ts'
import { checksumUpdate16 } from '../wire/checksum.ts'
import { icmpLength, writeIcmp, type IcmpRepr } from '../wire/icmp.ts'

/** Room kept in front of a new IP packet so the Ethernet header can be added without a copy. */
export const HEADROOM = 14

/**
 * A packet in flight (after Linux's sk_buff): immutable bytes plus the identity that lets the
 * trace follow one packet across hops. Code that changes bytes makes a new array, because trace
 * events keep references to the arrays they saw.
 */
export class Skb {
  /**
   * The bridges this very frame has been through (every flooded copy shares the object): a frame
   * that comes back to one of them has gone round a loop. The first is held on its own (most
   * frames cross one bridge), the others in a list; null until the first bridge.
   */
  firstBridge: object | null = null
  moreBridges: object[] | null = null
  /** How many times copies of this frame came back to a bridge they had been through. */
  loopPasses = 0

  constructor(
    /** The frame (with its Ethernet header at L2) or the IP packet (at L3). */
    public data: Uint8Array,
    /** Packet id for the trace; ARP, ICMP errors and encapsulations get their own. */
    public readonly id: number,
    /** The packet that caused this one (an ICMP error's offending packet, a VXLAN's inner frame). */
    public readonly cause?: number,
    /**
     * True while the HEADROOM bytes before `data` belong to this skb alone and are unused, so the
     * link layer may write its header there (once) instead of copying the packet.
     */
    public headroom = false,
  ) {}

  with(data: Uint8Array, headroom = false): Skb {
    return new Skb(data, this.id, this.cause, headroom)
  }
}

/**
 * Packet bytes are carved out of shared slabs: V8 gives a typed array of more than 64 bytes its
 * own off-heap store (an allocation and a finaliser each, ten times the cost of a view on an
 * existing ArrayBuffer), and a round trip across the overlay makes a dozen packets. A region is
 * handed out once and never reused (a packet's bytes never change once sent: traces and
 * captures keep them), so the slab's memory goes when the last packet on it does. Large packets
 * get a store of their own, so that one long-lived small packet never pins a big one.
 */
const SLAB_BYTES = 64 * 1024
const SLAB_MAX_PACKET = 4 * 1024
let slab = new ArrayBuffer(SLAB_BYTES)
let slabUsed = 0

/**
 * `len` zeroed bytes with HEADROOM unused bytes before them that belong to the same packet (see
 * Skb.headroom): the view starts at the packet.
 */
export function packetBytes(len: number): Uint8Array {
  const need = HEADROOM + len
  if (need > SLAB_MAX_PACKET) return new Uint8Array(need).subarray(HEADROOM)
  if (slabUsed + need > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES)
    slabUsed = 0
  }
  const out = new Uint8Array(slab, slabUsed + HEADROOM, len)
  // Every packet starts on an 8-byte boundary (its headroom first).
  slabUsed += (need + 7) & ~7
  return out
}

/** A new IPv4 packet with its header and payload, allocated with headroom. */
export function newIpv4Packet(repr: Ipv4EmitRepr, payload: Uint8Array): Uint8Array {
  const buf = packetBytes(IPV4_HEADER_LEN + payload.length)
  writeIpv4Header(buf, 0, repr, payload.length)
  buf.set(payload, IPV4_HEADER_LEN)
  return buf
}

/** A new IPv4 packet carrying the ICMP message `icmp` (written in place), allocated with headroom. */
export function newIcmpPacket(repr: Ipv4EmitRepr, icmp: IcmpRepr): Uint8Array {
  const len = icmpLength(icmp)
  const buf = packetBytes(IPV4_HEADER_LEN + len)
  writeIcmp(buf, IPV4_HEADER_LEN, icmp)
  writeIpv4Header(buf, 0, repr, len)
  return buf
}

/** ip_decrease_ttl on a copy (with headroom): the forwarded packet, checksum updated incrementally. */
export function forwardedCopy(packet: Uint8Array): Uint8Array {
  const out = packetBytes(packet.length)
  out.set(packet)
  const ttl = packet[8] - 1
  const ck = checksumUpdate16((packet[10] << 8) | packet[11], (packet[8] << 8) | packet[9], ((ttl & 0xff) << 8) | packet[9])
  out[8] = ttl
  out[10] = ck >>> 8
  out[11] = ck & 0xff
  return out
}

/** Linux's sk_buff pkt_type: how a received frame was addressed relative to the receiver. */
export const enum PktType {
  Host = 0,
  Broadcast = 1,
  Multicast = 2,
  OtherHost = 3,
}
