// Ethernet II framing. Frames are not padded to 60 bytes: Linux veth and bridges never pad
// (that happens in NIC hardware), so captures on them show 42-byte ARP frames and so do we.

import type { Mac } from '../addr/mac.ts'
import { readMac, writeMac } from '../addr/mac.ts'
import { ensureLength } from './error.ts'

export const ETHERTYPE_IPV4 = 0x0800
export const ETHERTYPE_ARP = 0x0806
export const ETHERTYPE_VLAN = 0x8100
export const ETHERTYPE_IPV6 = 0x86dd
export const ETHERNET_HEADER_LEN = 14

export interface EthernetRepr {
  dst: Mac
  src: Mac
  ethertype: number
}

export function parseEthernet(frame: Uint8Array, off = 0): EthernetRepr {
  ensureLength(frame, off, ETHERNET_HEADER_LEN, 'Ethernet', 'header')
  return {
    dst: readMac(frame, off),
    src: readMac(frame, off + 6),
    ethertype: (frame[off + 12] << 8) | frame[off + 13],
  }
}

/** Writes the 14-byte header at `off` so callers can build a whole frame in one allocation. */
export function writeEthernetHeader(buf: Uint8Array, off: number, repr: EthernetRepr): void {
  writeMac(buf, off, repr.dst)
  writeMac(buf, off + 6, repr.src)
  buf[off + 12] = repr.ethertype >>> 8
  buf[off + 13] = repr.ethertype
}

export function emitEthernet(repr: EthernetRepr, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(ETHERNET_HEADER_LEN + payload.length)
  writeEthernetHeader(frame, 0, repr)
  frame.set(payload, ETHERNET_HEADER_LEN)
  return frame
}

// Hot-path accessors for the bridge: no object, no bounds check beyond what the caller knows
// (every frame the engine creates is at least 14 bytes long).

export function frameDst(frame: Uint8Array): Mac {
  return readMac(frame, 0)
}

export function frameSrc(frame: Uint8Array): Mac {
  return readMac(frame, 6)
}

export function frameEthertype(frame: Uint8Array): number {
  return (frame[12] << 8) | frame[13]
}

/**
 * A copy of the frame with new MAC addresses, as a router emits it after rewriting L2;
 * written into `into` (same length) when given. A real copy even for a Node Buffer.
 */
export function frameWithMacs(frame: Uint8Array, dst: Mac, src: Mac, into?: Uint8Array): Uint8Array {
  const out = into ?? new Uint8Array(frame.length)
  if (out.length !== frame.length) throw new RangeError(`copy target has ${out.length} bytes, need ${frame.length}`)
  out.set(frame)
  writeMac(out, 0, dst)
  writeMac(out, 6, src)
  return out
}
