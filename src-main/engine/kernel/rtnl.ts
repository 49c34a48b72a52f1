import { isMulticastMac, isZeroMac, type Mac } from '../addr/mac.ts'
import { BridgeDevice } from './bridge.ts'
import type { NetDevice } from './device.ts'
import { KernelError } from './errors.ts'
import { validIfName, type Netns } from './netns.ts'
import { VethDevice } from './veth.ts'

/**
 * Link operations as rtnetlink performs them (RTM_NEWLINK/SETLINK/DELLINK), with the kernel's
 * checks and errors. Commands, the Kubernetes layer and the UI all change links through here.
 */

export interface NewLinkOpts {
  mac?: Mac
  mtu?: number
  txQueueLen?: number
}

function checkName(ns: Netns, name: string): void {
  if (!validIfName(name)) throw new KernelError('EINVAL', name.length > 15 ? 'Attribute failed policy validation.' : undefined)
  if (ns.byName.has(name)) throw new KernelError('EEXIST')
}

function checkMac(mac: Mac | undefined): void {
  if (mac !== undefined && (isMulticastMac(mac) || isZeroMac(mac))) throw new KernelError('EADDRNOTAVAIL')
}

/** The first free `prefix%d` name, as dev_alloc_name does. */
export function allocName(ns: Netns, prefix: string): string {
  for (let i = 0; ; i++) if (!ns.byName.has(`${prefix}${i}`)) return `${prefix}${i}`
}

export function addVeth(ns: Netns, name: string | null, peerName: string | null, peerNs: Netns, opts: NewLinkOpts = {}, peerOpts: NewLinkOpts = {}): [VethDevice, VethDevice] {
  checkMac(opts.mac)
  checkMac(peerOpts.mac)
  // rtnl_newlink refuses a taken name before the driver runs; then veth_newlink registers the
  // peer first, so the peer takes the lower ifindex.
  if (name !== null) checkName(ns, name)
  const pName = peerName ?? allocName(peerNs, 'veth')
  checkName(peerNs, pName)
  const mtu = opts.mtu ?? 1500
  const peer = new VethDevice(peerNs, pName, peerOpts.mac ?? ns.world.randomMac(), peerOpts.mtu ?? mtu)
  if (peerOpts.mac !== undefined) peer.macSet = true
  peerNs.register(peer)
  const dName = name ?? allocName(ns, 'veth')
  try {
    checkName(ns, dName)
  } catch (e) {
    peerNs.unregister(peer)
    throw e
  }
  const dev = new VethDevice(ns, dName, opts.mac ?? ns.world.randomMac(), mtu)
  if (opts.mac !== undefined) dev.macSet = true
  dev.peer = peer
  peer.peer = dev
  ns.register(dev)
  if (peerNs !== ns) {
    ns.ensureNsid(peerNs)
    peerNs.ensureNsid(ns)
  }
  return [dev, peer]
}

export function addBridge(ns: Netns, name: string | null, opts: NewLinkOpts = {}): BridgeDevice {
  checkMac(opts.mac)
  const n = name ?? allocName(ns, 'bridge')
  checkName(ns, n)
  const br = new BridgeDevice(ns, n, opts.mac ?? ns.world.randomMac(), opts.mtu ?? 1500)
  if (opts.mac !== undefined) {
    br.macSet = true
    br.startWithoutCarrier()
  }
  if (opts.mtu !== undefined) br.mtuSetByUser = true
  ns.register(br)
  br.insertLocal(br.mac, null)
  return br
}

export function setMac(dev: NetDevice, mac: Mac): void {
  checkMac(mac)
  // loopback_setup gives lo IFF_LIVE_ADDR_CHANGE and eth_mac_addr: its address can be set.
  if (mac === dev.mac) {
    dev.macSet = true
    return
  }
  const old = dev.mac
  dev.mac = mac
  dev.macSet = true
  if (dev instanceof BridgeDevice) dev.ownAddressChanged(old)
  if (dev.master) dev.master.portAddressChanged(dev, old)
  dev.netns.deviceEvent(dev, 'changeaddr')
}

export function setMtu(dev: NetDevice, mtu: number): void {
  // dev_set_mtu_ext: an unchanged MTU is accepted before any check.
  if (mtu === dev.mtu) return
  if (mtu > dev.maxMtu) throw new KernelError('EINVAL', 'mtu greater than device maximum.')
  if (mtu < dev.minMtu) throw new KernelError('EINVAL', 'mtu less than device minimum.')
  dev.checkMtuChange(mtu)
  dev.mtu = mtu
  if (dev instanceof BridgeDevice) dev.mtuSetByUser = true
  dev.netns.deviceEvent(dev, 'changemtu')
  if (dev.master) dev.master.portMtuChanged()
}

export function setMaster(dev: NetDevice, master: NetDevice | null): void {
  if (master === null) {
    if (dev.master) dev.master.removePort(dev)
    return
  }
  if (!(master instanceof BridgeDevice)) throw new KernelError('EOPNOTSUPP')
  // br_add_if: no loopback, then no bridge (itself included) as a port.
  if (dev.isLoopback) throw new KernelError('EINVAL')
  if (dev instanceof BridgeDevice) throw new KernelError('ELOOP', 'Can not enslave a bridge to a bridge')
  if (dev.master === master) return
  if (dev.master) dev.master.removePort(dev)
  master.addPort(dev)
}

export function deleteLink(dev: NetDevice): void {
  if (dev.isLoopback) throw new KernelError('EOPNOTSUPP')
  dev.netns.deleteDevice(dev)
}

export function renameLink(dev: NetDevice, name: string): void {
  if (name === dev.name) return
  checkName(dev.netns, name)
  const old = dev.name
  dev.netns.rename(dev, name)
  dev.netns.sysctl.renameDevice(old, name)
}
