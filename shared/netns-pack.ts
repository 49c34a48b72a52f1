import type { DeviceView, NetnsView, NsRole } from './api.ts'

/**
 * A big lab state's namespaces packed to cross a thread or process boundary: a 1,000-node cluster
 * has some 32,000 namespaces with 96,000 devices, and the structured clone of that many small
 * objects took about a second to write in the Worker and two to read on the page. Packed, they
 * are typed rows (one Int32Array per field, transferred without a copy) and lists of the
 * strings they use; unpackNamespaces makes the same objects again on the page.
 */
export interface PackedNamespaces {
  /** Every name, kind and state used, each once; fields below hold indexes into it (-1: absent). */
  strings: string[]
  /** Each device's MAC address, and each address (mostly different from one another: not looked up). */
  macs: string[]
  addresses: string[]
  /** Per namespace: name, role, node, ip_forward (0/1), and where its devices start (one more at the end). */
  ns: { name: Int32Array; role: Int32Array; node: Int32Array; forward: Int32Array; devices: Int32Array }
  /** Per device: its fields, and where its addresses start (one more at the end). */
  dev: {
    name: Int32Array
    ifindex: Int32Array
    kind: Int32Array
    mtu: Int32Array
    /** up: 1, carrier: 2. */
    flags: Int32Array
    operState: Int32Array
    master: Int32Array
    peerNetns: Int32Array
    peerDevice: Int32Array
    addresses: Int32Array
  }
}

/** Above this many namespaces a lab state's namespaces cross packed. */
export const PACK_NAMESPACES_ABOVE = 500

const INT32_MAX = 0x7fffffff

/**
 * Writes the packed form row by row: a namespace, then its devices, each followed by its
 * addresses. packNamespaces writes a list of views with it, and a host's view of a big lab writes
 * straight from its namespaces (src-main/lab/view.ts), with no view objects in between; strings
 * are numbered in the order first written, so the same rows give the same form either way.
 */
export class NamespacePacker {
  private readonly index = new Map<string, number>()
  private readonly p: PackedNamespaces
  private ni = 0
  private di = 0

  /** `namespaces` and `devices`: how many rows of each will be written (exactly). */
  constructor(namespaces: number, devices: number) {
    const int = (k: number): Int32Array => new Int32Array(k)
    this.p = {
      strings: [],
      macs: [],
      addresses: [],
      ns: { name: int(namespaces), role: int(namespaces), node: int(namespaces), forward: int(namespaces), devices: int(namespaces + 1) },
      dev: { name: int(devices), ifindex: int(devices), kind: int(devices), mtu: int(devices), flags: int(devices), operState: int(devices), master: int(devices), peerNetns: int(devices), peerDevice: int(devices), addresses: int(devices + 1) },
    }
  }

  private str(s: string): number {
    let i = this.index.get(s)
    if (i === undefined) {
      i = this.p.strings.length
      this.index.set(s, i)
      this.p.strings.push(s)
    }
    return i
  }

  namespace(name: string, role: NsRole, node: string | undefined, ipForward: boolean): void {
    const { ns } = this.p
    const i = this.ni++
    ns.name[i] = this.str(name)
    ns.role[i] = this.str(role)
    ns.node[i] = node === undefined ? -1 : this.str(node)
    ns.forward[i] = ipForward ? 1 : 0
    ns.devices[i] = this.di
  }

  /** A device of the namespace written last; `flags`: up 1, carrier 2. Its addresses follow (address). */
  device(name: string, ifindex: number, kind: string, mac: string, mtu: number, flags: number, operState: string, master: string | undefined, peerNetns: string | undefined, peerDevice: string | undefined): void {
    const { dev } = this.p
    const d = this.di++
    dev.name[d] = this.str(name)
    dev.ifindex[d] = ifindex
    dev.kind[d] = this.str(kind)
    this.p.macs.push(mac)
    dev.mtu[d] = mtu
    dev.flags[d] = flags
    dev.operState[d] = this.str(operState)
    dev.master[d] = master === undefined ? -1 : this.str(master)
    dev.peerNetns[d] = peerNetns === undefined ? -1 : this.str(peerNetns)
    dev.peerDevice[d] = peerDevice === undefined ? -1 : this.str(peerDevice)
    dev.addresses[d] = this.p.addresses.length
  }

  address(a: string): void {
    this.p.addresses.push(a)
  }

  /** The packed form, once every row was written. */
  finish(): PackedNamespaces {
    const { ns, dev } = this.p
    if (this.ni !== ns.name.length || this.di !== dev.name.length) throw new Error(`packed namespaces: ${this.ni} of ${ns.name.length} namespaces and ${this.di} of ${dev.name.length} devices written`)
    ns.devices[this.ni] = this.di
    dev.addresses[this.di] = this.p.addresses.length
    return this.p
  }
}

/** Whether a device's ifindex or MTU can be packed (a non-negative 32-bit integer). */
export const packableInt = (x: number): boolean => Number.isInteger(x) && x >= 0 && x <= INT32_MAX

/** The namespaces packed, or null when one has a field packing could not give back (then they go as they are). */
export function packNamespaces(list: readonly NetnsView[]): PackedNamespaces | null {
  let devices = 0
  for (const n of list) devices += n.devices.length
  const w = new NamespacePacker(list.length, devices)
  const known = new Set(['name', 'role', 'node', 'devices', 'ipForward'])
  const knownDev = new Set(['name', 'ifindex', 'kind', 'mac', 'mtu', 'up', 'carrier', 'operState', 'addresses', 'master', 'peer'])
  for (const n of list) {
    for (const k in n) if (!known.has(k)) return null
    if ('node' in n && n.node === undefined) return null
    w.namespace(n.name, n.role, n.node, n.ipForward)
    for (const d of n.devices) {
      for (const k in d) if (!knownDev.has(k)) return null
      if (('master' in d && d.master === undefined) || ('peer' in d && d.peer === undefined) || !packableInt(d.ifindex) || !packableInt(d.mtu)) return null
      w.device(d.name, d.ifindex, d.kind, d.mac, d.mtu, (d.up ? 1 : 0) | (d.carrier ? 2 : 0), d.operState, d.master, d.peer?.netns, d.peer?.device)
      for (const a of d.addresses) w.address(a)
    }
  }
  return w.finish()
}

/** The namespaces again, in their order, as the host made them. */
export function unpackNamespaces(p: PackedNamespaces): NetnsView[] {
  const s = p.strings
  const { ns, dev, macs, addresses: all } = p
  const out: NetnsView[] = new Array(ns.name.length)
  for (let i = 0; i < out.length; i++) {
    const devices: DeviceView[] = []
    for (let d = ns.devices[i]; d < ns.devices[i + 1]; d++) {
      const addresses = all.slice(dev.addresses[d], dev.addresses[d + 1])
      const v: DeviceView = {
        name: s[dev.name[d]],
        ifindex: dev.ifindex[d],
        kind: s[dev.kind[d]] as DeviceView['kind'],
        mac: macs[d],
        mtu: dev.mtu[d],
        up: (dev.flags[d] & 1) !== 0,
        carrier: (dev.flags[d] & 2) !== 0,
        operState: s[dev.operState[d]],
        addresses,
      }
      if (dev.master[d] >= 0) v.master = s[dev.master[d]]
      if (dev.peerNetns[d] >= 0) v.peer = { netns: s[dev.peerNetns[d]], device: s[dev.peerDevice[d]] }
      devices.push(v)
    }
    const v: NetnsView = { name: s[ns.name[i]], role: s[ns.role[i]] as NsRole, devices, ipForward: ns.forward[i] === 1 }
    if (ns.node[i] >= 0) v.node = s[ns.node[i]]
    out[i] = v
  }
  return out
}

/** The buffers to transfer with a packed form. */
export function namespaceBuffers(p: PackedNamespaces): ArrayBuffer[] {
  return [...Object.values(p.ns), ...Object.values(p.dev)].map((a) => a.buffer as ArrayBuffer)
}
