import { NetDevice } from './device.ts'
import type { Skb } from './skb.ts'

/** `lo`: every namespace has one, ifindex 1. Frames sent to it come straight back in. */
export class LoopbackDevice extends NetDevice {
  readonly kind = 'loopback' as const

  get minMtu(): number {
    return 0
  }
  get maxMtu(): number {
    return 0x7fffffff
  }
  get carrier(): boolean {
    return true
  }
  override get tracksOperstate(): boolean {
    return false
  }

  xmit(skb: Skb): void {
    if (!this.adminUp) {
      this.counters.txDropped++
      this.netns.world.trace.drop(this.netns, this, skb, 'ethernet', 'drop.lo_down', { dev: this.name })
      return
    }
    this.countTx(skb)
    this.netns.world.sched.after(0, () => this.receive(skb))
  }
}
