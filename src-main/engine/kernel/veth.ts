import { NetDevice } from './device.ts'
import type { Skb } from './skb.ts'
import { ETHERTYPE_IPV6, frameEthertype } from '../wire/ethernet.ts'

/** One simulated crossing of a veth pair (the softirq hop), in nanoseconds. */
export const VETH_DELAY_NS = 5_000

/**
 * One end of a veth pair. The pair has carrier only while both ends are up; a frame put on one
 * end arrives at the other, which may sit in another namespace.
 */
export class VethDevice extends NetDevice {
  readonly kind = 'veth' as const
  peer: VethDevice | null = null
  /** The netif carrier bit, for carrier_changes: veth_newlink turns it off (one change). */
  private carrierBit = false
  override carrierChanges = 1

  get minMtu(): number {
    return 68
  }
  get maxMtu(): number {
    return 65535
  }
  get carrier(): boolean {
    return this.adminUp && this.peer !== null && this.peer.adminUp
  }
  override get link(): VethDevice | null {
    return this.peer
  }

  override open(): void {
    // veth_open: both ends get carrier when the peer is up.
    if (this.peer?.adminUp) {
      this.setCarrierBit(true)
      this.peer.setCarrierBit(true)
      this.peer.carrierChangedFromPeer()
    }
  }
  override stop(): void {
    // veth_close: both ends lose it.
    this.setCarrierBit(false)
    this.peer?.setCarrierBit(false)
    if (this.peer?.adminUp) this.peer.carrierChangedFromPeer()
  }

  private setCarrierBit(on: boolean): void {
    if (this.carrierBit === on) return
    this.carrierBit = on
    this.carrierChanges++
  }

  carrierChangedFromPeer(): void {
    this.carrierChanged()
  }

  override destroy(): void {
    const p = this.peer
    this.netns.world.deviceGen++
    this.peer = null
    if (p) {
      p.peer = null
      p.netns.deleteDevice(p)
    }
  }

  xmit(skb: Skb): void {
    const trace = this.netns.world.trace
    const peer = this.peer
    // Without carrier the device has the noop qdisc (dev_deactivate): nothing reaches a capture.
    // With carrier, dev_queue_xmit_nit shows the frame before veth_xmit may still drop it.
    if (this.running && peer && trace.observing) trace.frame('xmit', this.netns, this, skb, 'xmit.veth', { dev: this.name, peer: peer.name, peerNetns: peer.netns.name })
    if (!this.running || !peer) {
      this.counters.txDropped++
      trace.drop(this.netns, this, skb, 'ethernet', 'drop.no_carrier', { dev: this.name })
      return
    }
    // veth_xmit → __dev_forward_skb: the receiving end refuses frames above its own MTU.
    if (skb.data.length - 14 > peer.mtu + 4) {
      this.counters.txDropped++
      trace.drop(peer.netns, peer, skb, 'ethernet', 'drop.veth_mtu', { dev: peer.name, mtu: peer.mtu, len: skb.data.length - 14 })
      return
    }
    this.countTx(skb)
    // A host's end (no bridge above it) does nothing with IPv6 but count it. Unwatched, that is
    // done now instead of as a scheduled hop: IPv6 housekeeping floods are most of the frames a
    // big cluster sends while it is built.
    if (peer.master === null && !trace.observing && frameEthertype(skb.data) === ETHERTYPE_IPV6) {
      peer.receiveInert(skb)
      return
    }
    this.netns.world.sched.hop(VETH_DELAY_NS, arrive, peer, skb)
  }
}

/** The far end gets the frame, unless the pair was taken apart meanwhile. */
function arrive(peer: VethDevice, skb: Skb): void {
  if (peer.peer !== null) peer.receive(skb)
}
