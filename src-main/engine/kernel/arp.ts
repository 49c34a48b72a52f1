import { formatIpv4, isLoopbackIpv4, isMulticastIpv4, type Ipv4 } from '../addr/ipv4.ts'
import { formatMac, MAC_BROADCAST, MAC_ZERO, type Mac } from '../addr/mac.ts'
import { ARP_REPLY, ARP_REQUEST, emitArp, parseArp, type ArpRepr } from '../wire/arp.ts'
import { emitEthernet, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, writeEthernetHeader } from '../wire/ethernet.ts'
import { Scope, type NetDevice } from './device.ts'
import { Nud, type Neighbour } from './neigh.ts'
import type { Netns } from './netns.ts'
import { HEADROOM, packetBytes, PktType, Skb } from './skb.ts'

/**
 * ARP for one namespace (net/ipv4/arp.c): requests for unresolved neighbours, replies for our
 * addresses (any of them, on any device: Linux's weak host model with arp_ignore=0), and the
 * neighbour updates a received ARP packet causes.
 */
export class Arp {
  constructor(private readonly ns: Netns) {}

  /** Puts an IPv4 packet on the wire to a resolved MAC. */
  transmit(dev: NetDevice, mac: Mac, skb: Skb): void {
    const d = skb.data
    if (skb.headroom && d.byteOffset >= HEADROOM) {
      // The packet was allocated with room for this header: write it there instead of copying.
      skb.headroom = false
      const frame = new Uint8Array(d.buffer, d.byteOffset - HEADROOM, d.length + HEADROOM)
      writeEthernetHeader(frame, 0, { dst: mac, src: dev.mac, ethertype: ETHERTYPE_IPV4 })
      dev.xmit(skb.with(frame))
      return
    }
    const frame = packetBytes(ETHERNET_HEADER_LEN + d.length)
    writeEthernetHeader(frame, 0, { dst: mac, src: dev.mac, ethertype: ETHERTYPE_IPV4 })
    frame.set(d, ETHERNET_HEADER_LEN)
    dev.xmit(skb.with(frame))
  }

  /** arp_solicit. */
  solicit(n: Neighbour, pending: Skb | null, unicastTo: Mac | null): void {
    const dev = n.dev
    let saddr = 0
    if (pending && this.ns.sysctl.devconf(dev.name, 'arp_announce') === 0) {
      const src = readSrc(pending.data)
      if (this.ns.devinet.isLocal(src)) saddr = src
    }
    if (!saddr) saddr = this.ns.devinet.selectAddr(dev, n.ip, Scope.Link)
    const arp: ArpRepr = { op: ARP_REQUEST, senderMac: dev.mac, senderIp: saddr, targetMac: MAC_ZERO, targetIp: n.ip }
    const id = this.ns.world.nextPacketId()
    const skb = new Skb(emitEthernet({ dst: unicastTo ?? MAC_BROADCAST, src: dev.mac, ethertype: ETHERTYPE_ARP }, emitArp(arp)), id, pending?.id)
    const trace = this.ns.world.trace
    if (trace.enabled) {
      trace.packet('arp', this.ns, dev, skb, 'ethernet', unicastTo === null ? 'arp.request' : 'arp.probe', { ip: formatIpv4(n.ip), src: formatIpv4(saddr), dev: dev.name, mac: formatMac(dev.mac) })
    }
    dev.xmit(skb)
  }

  /** arp_rcv / arp_process for a frame that arrived on dev. */
  receive(dev: NetDevice, skb: Skb, pktType: PktType): void {
    const trace = this.ns.world.trace
    let arp: ArpRepr
    try {
      arp = parseArp(skb.data, ETHERNET_HEADER_LEN)
    } catch {
      trace.drop(this.ns, dev, skb, 'ethernet', 'drop.arp_malformed', { dev: dev.name })
      return
    }
    if (pktType === PktType.OtherHost) {
      trace.drop(this.ns, dev, skb, 'ethernet', 'drop.not_for_us', { dev: dev.name })
      return
    }
    const sip = arp.senderIp
    const tip = arp.targetIp
    if (isMulticastIpv4(tip) || isLoopbackIpv4(tip) || isMulticastIpv4(sip)) {
      trace.drop(this.ns, dev, skb, 'ethernet', 'drop.arp_martian', { ip: formatIpv4(tip) })
      return
    }
    if (sip === 0) {
      // Duplicate address detection probe: answer if it asks for one of ours, learn nothing.
      if (arp.op === ARP_REQUEST && this.ns.devinet.isLocal(tip) && this.ignoreOk(dev, sip, tip)) this.reply(dev, arp, skb.id)
      return
    }
    if (arp.op === ARP_REQUEST) {
      if (this.ns.devinet.isLocal(tip) && !this.ns.devinet.isLocal(sip) && this.ignoreOk(dev, sip, tip)) {
        const n = this.ns.neigh.lookup(dev, sip) ?? this.ns.neigh.create(dev, sip)
        this.ns.neigh.update(n, arp.senderMac, Nud.Stale, { override: true })
        if (trace.enabled) trace.packet('arp', this.ns, dev, skb, 'ethernet', 'arp.request_for_us', { ip: formatIpv4(tip), asker: formatIpv4(sip), dev: dev.name })
        this.reply(dev, arp, skb.id)
        return
      }
      if (trace.enabled) trace.packet('arp', this.ns, dev, skb, 'ethernet', 'arp.request_not_for_us', { ip: formatIpv4(tip), asker: formatIpv4(sip), dev: dev.name })
    }
    const n = this.ns.neigh.lookup(dev, sip)
    if (n) {
      const garp = sip === tip
      const override = this.ns.neigh.overrideAllowed(n) || garp
      const state = arp.op === ARP_REPLY && pktType === PktType.Host ? Nud.Reachable : Nud.Stale
      if (trace.enabled && arp.op === ARP_REPLY) trace.packet('arp', this.ns, dev, skb, 'ethernet', 'arp.reply_received', { ip: formatIpv4(sip), mac: formatMac(arp.senderMac), dev: dev.name })
      this.ns.neigh.update(n, arp.senderMac, state, { override })
    } else if (arp.op === ARP_REPLY) {
      trace.drop(this.ns, dev, skb, 'ethernet', 'drop.arp_unsolicited', { ip: formatIpv4(sip), dev: dev.name })
    }
  }

  /** arp_ignore=0 replies for any local address; 1 only for addresses on the receiving device. */
  private ignoreOk(dev: NetDevice, _sip: Ipv4, tip: Ipv4): boolean {
    const mode = this.ns.sysctl.devconf(dev.name, 'arp_ignore')
    if (mode === 0) return true
    const ifa = dev.inet.find((i) => i.local === tip)
    return ifa !== undefined
  }

  private reply(dev: NetDevice, req: ArpRepr, cause: number): void {
    const arp: ArpRepr = { op: ARP_REPLY, senderMac: dev.mac, senderIp: req.targetIp, targetMac: req.senderMac, targetIp: req.senderIp }
    const skb = new Skb(emitEthernet({ dst: req.senderMac, src: dev.mac, ethertype: ETHERTYPE_ARP }, emitArp(arp)), this.ns.world.nextPacketId(), cause)
    const trace = this.ns.world.trace
    if (trace.enabled) trace.packet('arp', this.ns, dev, skb, 'ethernet', 'arp.reply', { ip: formatIpv4(req.targetIp), mac: formatMac(dev.mac), to: formatIpv4(req.senderIp), dev: dev.name })
    dev.xmit(skb)
  }
}

function readSrc(ipPacket: Uint8Array): Ipv4 {
  return ((ipPacket[12] << 24) | (ipPacket[13] << 16) | (ipPacket[14] << 8) | ipPacket[15]) >>> 0
}
