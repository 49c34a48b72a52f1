import type { NetDevice } from './device.ts'
import type { VethDevice } from './veth.ts'

/**
 * The frames a bridge floods to ports where they are only counted, counted once per flood
 * instead of once per port. A flooded IPv6 frame (DAD, MLD, router solicitations: a big lab's
 * first seconds are full of them) that a veth port passes to a peer outside any bridge is not
 * simulated above the driver: the port counts it sent and the peer counts it received
 * (VethDevice.xmit, NetDevice.receiveInert). On an underlay switch of 1,000 nodes each such frame
 * reached 999 ports. Here a flood adds to one total, and the frame's ingress port (which the flood
 * skips) to its own deduction; `settle` adds the totals to every port's and peer's counters.
 *
 * Made only when every port of the bridge is such a port (up, paired, its peer up and not
 * enslaved), and used only while no device anywhere changed (World.deviceGen), so what each
 * flood would have done per port is what this counts. Every reader of a device's counters goes
 * through NetDevice.stats, which settles first.
 */
export class CountedFlood {
  /** Whether the world's list of floods to settle holds this one. */
  listed = false
  private packets = 0
  private bytes = 0
  private readonly skippedPackets: number[]
  private readonly skippedBytes: number[]

  private constructor(
    private readonly ports: readonly VethDevice[],
    private readonly peers: readonly VethDevice[],
    private readonly index: ReadonlyMap<NetDevice, number>,
    /** The longest frame (without its Ethernet header) every port and peer takes. */
    readonly maxLen: number,
  ) {
    this.skippedPackets = new Array<number>(ports.length).fill(0)
    this.skippedBytes = new Array<number>(ports.length).fill(0)
  }

  /**
   * For a bridge that is up and whose ports each pass a flooded IPv6 frame to a peer that only
   * counts it (the checks of BridgeDevice.portForwarding, VethDevice.xmit and receiveInert), else null.
   */
  static of(ports: readonly NetDevice[]): CountedFlood | null {
    const own: VethDevice[] = []
    const peers: VethDevice[] = []
    const index = new Map<NetDevice, number>()
    let maxLen = Infinity
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i] as VethDevice
      if (p.kind !== 'veth' || !p.adminUp) return null
      const peer = p.peer
      if (peer === null || !peer.adminUp || peer.master !== null) return null
      own.push(p)
      peers.push(peer)
      index.set(p, i)
      maxLen = Math.min(maxLen, p.mtu, peer.mtu + 4)
    }
    return new CountedFlood(own, peers, index, maxLen)
  }

  /** Counts one flood of a frame of `len` bytes that came in on `ingress`; false when it cannot. */
  add(len: number, ingress: NetDevice | null): boolean {
    if (len - 14 > this.maxLen) return false
    if (ingress !== null) {
      const i = this.index.get(ingress)
      if (i === undefined) return false
      this.skippedPackets[i]++
      this.skippedBytes[i] += len
    }
    this.packets++
    this.bytes += len
    return true
  }

  /** Adds what was flooded since the last settle to the ports' and peers' counters. */
  settle(): void {
    const { packets, bytes } = this
    if (packets === 0) return
    for (let i = 0; i < this.ports.length; i++) {
      const n = packets - this.skippedPackets[i]
      if (n === 0) continue
      const b = bytes - this.skippedBytes[i]
      const tx = this.ports[i].counters
      tx.txPackets += n
      tx.txBytes += b
      const rx = this.peers[i].counters
      rx.rxPackets += n
      rx.rxBytes += b
    }
    this.packets = 0
    this.bytes = 0
    this.skippedPackets.fill(0)
    this.skippedBytes.fill(0)
  }
}
