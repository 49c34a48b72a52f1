/**
 * A packet in flight (after Linux's sk_buff): immutable bytes plus the identity that lets the
 * trace follow one packet across hops. Code that changes bytes makes a new array, because trace
 * events keep references to the arrays they saw.
 */
export class Skb {
  constructor(
    /** The frame (with its Ethernet header at L2) or the IP packet (at L3). */
    public data: Uint8Array,
    /** Packet id for the trace; ARP, ICMP errors and encapsulations get their own. */
    public readonly id: number,
    /** The packet that caused this one (an ICMP error's offending packet, a VXLAN's inner frame). */
    public readonly cause?: number,
  ) {}

  with(data: Uint8Array): Skb {
    return new Skb(data, this.id, this.cause)
  }
}

/** Linux's sk_buff pkt_type: how a received frame was addressed relative to the receiver. */
export const enum PktType {
  Host = 0,
  Broadcast = 1,
  Multicast = 2,
  OtherHost = 3,
}
