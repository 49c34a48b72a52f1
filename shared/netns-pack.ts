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

/** The namespaces packed, or null when one has a field packing could not give back (then they go as they are). */
export function packNamespaces(list: readonly NetnsView[]): PackedNamespaces | null {
  const index = new Map<string, number>()
  const strings: string[] = []
  const str = (s: string): number => {
    let i = index.get(s)
    if (i === undefined) {
      i = strings.length
      index.set(s, i)
      strings.push(s)
    }
    return i
  }
  let devices = 0
  for (const n of list) devices += n.devices.length
  const int = (k: number): Int32Array => new Int32Array(k)
  const p: PackedNamespaces = {
    strings,
    macs: [],
    addresses: [],
    ns: { name: int(list.length), role: int(list.length), node: int(list.length), forward: int(list.length), devices: int(list.length + 1) },
    dev: { name: int(devices), ifindex: int(devices), kind: int(devices), mtu: int(devices), flags: int(devices), operState: int(devices), master: int(devices), peerNetns: int(devices), peerDevice: int(devices), addresses: int(devices + 1) },
  }
  const known = new Set(['name', 'role', 'node', 'devices', 'ipForward'])
  const knownDev = new Set(['name', 'ifindex', 'kind', 'mac', 'mtu', 'up', 'carrier', 'operState', 'addresses', 'master', 'peer'])
  const isInt = (x: number): boolean => Number.isInteger(x) && x >= 0 && x <= INT32_MAX
  let di = 0
  for (let i = 0; i < list.length; i++) {
    const n = list[i]
    for (const k in n) if (!known.has(k)) return null
    if ('node' in n && n.node === undefined) return null
    p.ns.name[i] = str(n.name)
    p.ns.role[i] = str(n.role)
    p.ns.node[i] = n.node === undefined ? -1 : str(n.node)
    p.ns.forward[i] = n.ipForward ? 1 : 0
    p.ns.devices[i] = di
    for (const d of n.devices) {
      for (const k in d) if (!knownDev.has(k)) return null
      if (('master' in d && d.master === undefined) || ('peer' in d && d.peer === undefined) || !isInt(d.ifindex) || !isInt(d.mtu)) return null
      p.dev.name[di] = str(d.name)
      p.dev.ifindex[di] = d.ifindex
      p.dev.kind[di] = str(d.kind)
      p.macs.push(d.mac)
      p.dev.mtu[di] = d.mtu
      p.dev.flags[di] = (d.up ? 1 : 0) | (d.carrier ? 2 : 0)
      p.dev.operState[di] = str(d.operState)
      p.dev.master[di] = d.master === undefined ? -1 : str(d.master)
      p.dev.peerNetns[di] = d.peer === undefined ? -1 : str(d.peer.netns)
      p.dev.peerDevice[di] = d.peer === undefined ? -1 : str(d.peer.device)
      p.dev.addresses[di] = p.addresses.length
      for (const a of d.addresses) p.addresses.push(a)
      di++
    }
  }
  p.ns.devices[list.length] = di
  p.dev.addresses[di] = p.addresses.length
  return p
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
