/**
 * How big a lab may be. One module for every place that makes or reads a lab: the loader, `podnet
 * new`, the IPC validation and the New dialog (which gets them with the scenario list). The sizes
 * keep the biggest lab well inside memory and a few seconds of building; the work a lab's history
 * may do is bounded by engine/kernel/budget.ts.
 */

/** Nodes in one cluster. */
export const MAX_NODES = 1000
/** Pods on one node (a /24 pod CIDR holds 253; Kubernetes' default is 110). */
export const MAX_PODS_PER_NODE = 250
/** Pods in one cluster. */
export const MAX_PODS = 50_000
/** Commands in a lab's history (spec.commands). */
export const MAX_HISTORY_COMMANDS = 10_000
/** Characters in one command line. */
export const MAX_COMMAND_LENGTH = 4096
/** A lab file's size, in bytes (characters for text already read). */
export const MAX_LAB_FILE_BYTES = 16 * 1024 * 1024
/** Characters in a lab's name and description. */
export const MAX_NAME_LENGTH = 200
export const MAX_DESCRIPTION_LENGTH = 10_000
/** The largest route limit a cloud route table may declare. */
export const MAX_ROUTE_LIMIT = 100_000

/** Positions in a lab file's layout section: every node, pod and underlay box of the biggest lab, with room for namespaces made by commands. */
export const MAX_LAYOUT_ENTRIES = MAX_NODES + MAX_PODS + 2000
/** How far from the origin a layout position may be, in canvas units (a 1,000-node grid spans about 100,000). */
export const MAX_LAYOUT_COORD = 10_000_000
