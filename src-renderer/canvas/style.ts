import type { StylesheetStyle } from 'cytoscape'

/**
 * The canvas stylesheet: static selectors over classes and data fields that graph.ts precomputes
 * (no per-element style functions, which would run on every render).
 */
export const ROLE_COLORS = {
  request: '#2563eb',
  arp: '#d97706',
  reply: '#059669',
  tunnel: '#7c3aed',
  error: '#dc2626',
} as const

/** Padding of a box around its children (Cytoscape's compound padding). */
export const BOX_PADDING = 18

/** Drawn sizes of leaves, shared by the stylesheet and the layout that measures boxes. */
export const SIZES = {
  pod: { w: 100, h: 40 },
  iface: { w: 18, h: 18 },
  bridge: { w: 30, h: 22 },
  vxlan: { w: 24, h: 22 },
} as const

/** Half the drawn size of a leaf with these classes. */
export function halfSize(classes: string): { w: number; h: number } {
  const s = classes.startsWith('pod') ? SIZES.pod : classes.includes('kind-bridge') ? SIZES.bridge : classes.includes('kind-vxlan') ? SIZES.vxlan : classes.startsWith('anchor') ? { w: 0, h: 0 } : SIZES.iface
  return { w: s.w / 2, h: s.h / 2 }
}

const FONT = 'Inter, "Segoe UI", "Hiragino Sans", "Noto Sans JP", system-ui, sans-serif'

const rules: { selector: string; style: Record<string, unknown> }[] = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 10,
      color: '#1f2937',
      'text-wrap': 'wrap',
      'min-zoomed-font-size': 7,
      'overlay-opacity': 0,
    },
  },
  {
    selector: 'node.box',
    style: {
      shape: 'round-rectangle',
      'background-color': '#f8fafc',
      'background-opacity': 1,
      'border-width': 1.5,
      'border-color': '#94a3b8',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -4,
      'font-size': 13,
      'font-weight': 'bold',
      color: '#334155',
      padding: `${BOX_PADDING}px`,
      'corner-radius': 10,
      width: 80,
      height: 50,
    },
  },
  // Node names sit below the box, leaving the top edge to the VXLAN tunnel arcs.
  { selector: 'node.box.role-node', style: { 'background-color': '#f1f5f9', 'border-color': '#64748b', 'text-valign': 'bottom', 'text-margin-y': 5 } },
  { selector: 'node.box.big-label', style: { 'font-size': 30 } },
  { selector: 'node.box.mid-label', style: { 'font-size': 24 } },
  { selector: 'node.box.role-switch', style: { 'background-color': '#fff7ed', 'border-color': '#f59e0b' } },
  { selector: 'node.box.role-router', style: { 'background-color': '#f5f3ff', 'border-color': '#8b5cf6' } },
  { selector: 'node.box.role-other', style: { 'background-color': '#f0fdf4', 'border-color': '#22c55e', 'border-style': 'dashed' } },
  // A namespace drawn as one box (far out): its summary inside, the text scaled to the box.
  {
    selector: 'node.box.collapsed',
    style: {
      width: 'data(w)',
      height: 'data(h)',
      'font-size': 'data(fs)',
      'text-valign': 'center',
      'text-margin-y': 0,
      'line-height': 1.25,
      'font-weight': 'normal',
      'min-zoomed-font-size': 6,
    },
  },
  { selector: 'node.box.collapsed.warn', style: { 'border-color': '#dc2626', 'border-width': 3, 'background-color': '#fef2f2', color: '#991b1b' } },
  // Invisible corners that keep an underlay box at its full size while only some ports are drawn.
  { selector: 'node.anchor', style: { width: 1, height: 1, opacity: 0, events: 'no', label: '' } },
  {
    selector: 'node.pod',
    style: {
      shape: 'round-rectangle',
      width: SIZES.pod.w,
      height: SIZES.pod.h,
      'background-color': '#dbeafe',
      'border-width': 1.5,
      'border-color': '#3b82f6',
      'text-valign': 'center',
      'text-halign': 'center',
      'font-size': 12,
      'line-height': 1.3,
      color: '#1e3a8a',
    },
  },
  {
    selector: 'node.iface',
    style: {
      shape: 'round-rectangle',
      width: SIZES.iface.w,
      height: SIZES.iface.h,
      'border-width': 1.5,
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 3,
      'font-size': 10.5,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'text-background-shape': 'roundrectangle',
    },
  },
  // Neighbouring lane ports take turns: every other label one line lower.
  { selector: 'node.iface.label-low', style: { 'text-margin-y': 16 } },
  { selector: 'node.iface.kind-veth', style: { 'background-color': '#bbf7d0', 'border-color': '#16a34a' } },
  { selector: 'node.iface.kind-bridge', style: { 'background-color': '#fde68a', 'border-color': '#d97706', width: SIZES.bridge.w, height: SIZES.bridge.h } },
  { selector: 'node.iface.kind-vxlan', style: { 'background-color': '#ddd6fe', 'border-color': '#7c3aed', shape: 'hexagon', width: SIZES.vxlan.w, height: SIZES.vxlan.h } },
  { selector: 'node.iface.kind-dummy', style: { 'background-color': '#e5e7eb', 'border-color': '#6b7280' } },
  { selector: 'node.down', style: { 'background-color': '#f3f4f6', 'border-color': '#9ca3af', 'border-style': 'dashed', color: '#6b7280' } },
  { selector: 'node.nocarrier', style: { 'border-style': 'dashed' } },
  {
    selector: 'edge',
    style: {
      'curve-style': 'straight',
      width: 2,
      'line-color': '#64748b',
      'font-family': FONT,
      'font-size': 9,
      'min-zoomed-font-size': 7,
      color: '#475569',
      'overlay-opacity': 0,
    },
  },
  { selector: 'edge.port', style: { width: 1.5, 'line-color': '#d97706', 'line-style': 'dashed', 'line-dash-pattern': [4, 3] } },
  // Underlay links to lower rows of nodes: down a lane beside the column, then across to the uplink
  // (an L: the turn at 100% is 'too close' for taxi routing, which then bends once at the target's height).
  { selector: 'edge.lane', style: { 'curve-style': 'round-taxi', 'taxi-direction': 'downward', 'taxi-turn': '100%', 'taxi-radius': 8 } },
  // Ports of a big underlay join their bridge through one horizontal bus just above them.
  { selector: 'edge.bus', style: { 'curve-style': 'taxi', 'taxi-direction': 'upward', 'taxi-turn': 20, 'taxi-turn-min-distance': 5 } },
  {
    selector: 'edge.tunnel',
    style: {
      'curve-style': 'unbundled-bezier',
      'control-point-distances': 'data(cpd)',
      'control-point-weights': 0.5,
      width: 2,
      'line-color': '#8b5cf6',
      'line-style': 'dashed',
      label: 'data(label)',
      color: '#6d28d9',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '1px',
    },
  },
  { selector: 'edge.down', style: { 'line-style': 'dotted', 'line-color': '#9ca3af' } },
  { selector: 'node.sel', style: { 'border-width': 3, 'border-color': '#2563eb', 'underlay-color': '#60a5fa', 'underlay-padding': 6, 'underlay-opacity': 0.25 } },
  { selector: 'node.hl', style: { 'underlay-color': '#f59e0b', 'underlay-padding': 10, 'underlay-opacity': 0.45, 'border-width': 3, 'border-color': '#b45309' } },
  { selector: 'node.hl-drop', style: { 'underlay-color': '#ef4444', 'underlay-padding': 10, 'underlay-opacity': 0.5, 'border-width': 3, 'border-color': '#b91c1c' } },
]

export const stylesheet = rules as unknown as StylesheetStyle[]
