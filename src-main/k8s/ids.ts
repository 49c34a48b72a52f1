import { hashString } from '../engine/kernel/random.ts'
import type { Mac } from '../engine/addr/mac.ts'

/**
 * Stable identities: MACs and veth names are derived from what they belong to, so adding a pod
 * never changes another pod's MAC and a lab rebuilds byte for byte.
 */
export function macFor(id: string): Mac {
  const h1 = hashString(id)
  const h2 = hashString(id, 0x9747b28c) & 0xff
  // 02:... = locally administered unicast.
  return 0x02 * 0x1_0000_0000_00 + h1 * 0x100 + h2
}

/** The host end of a pod's veth pair, named like the CNI bridge plugin does (veth + 8 hex). */
export function hostVethName(pod: string): string {
  return 'veth' + hashString(`veth/${pod}`).toString(16).padStart(8, '0')
}

/** The switch port for a node's uplink; at most 15 characters. */
export function switchPortName(node: string): string {
  return `to-${node}`.slice(0, 15)
}
