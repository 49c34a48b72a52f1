/**
 * The canvas's colours and device icons, for the light and the dark theme. The stylesheet, the
 * legend and the packet overlay all take their colours from here, so the legend shows exactly
 * what is drawn.
 */

export type ThemeName = 'light' | 'dark'

/** How each kind of device is drawn (graph.ts picks the kind from the namespace and the peer). */
export type DeviceKind = 'nic' | 'veth' | 'port' | 'bridge' | 'vxlan' | 'dummy'

export interface CanvasTheme {
  name: ThemeName
  text: string
  muted: string
  /** Behind labels, so a label stays readable wherever it is. */
  labelBg: string
  canvasBg: string
  grid: string
  box: { node: [string, string]; switch: [string, string]; router: [string, string]; other: [string, string]; pod: [string, string] }
  device: Record<DeviceKind, [fill: string, border: string]>
  edge: { veth: string; port: string; tunnel: string; down: string }
  warn: [fill: string, border: string, text: string]
  select: string
  highlight: string
  drop: string
}

/** Colours of the packet by what it is (request, ARP, reply, tunnel, ICMP error), both themes. */
export const ROLE_COLORS = {
  request: '#2563eb',
  arp: '#d97706',
  reply: '#059669',
  tunnel: '#7c3aed',
  error: '#dc2626',
} as const

export const THEMES: Record<ThemeName, CanvasTheme> = {
  light: {
    name: 'light',
    text: '#1f2937',
    muted: '#475569',
    labelBg: '#ffffff',
    canvasBg: '#fbfcfd',
    grid: '#e2e8f0',
    box: {
      node: ['#f1f5f9', '#64748b'],
      switch: ['#fff7ed', '#f59e0b'],
      router: ['#f5f3ff', '#8b5cf6'],
      other: ['#f0fdf4', '#22c55e'],
      pod: ['#dbeafe', '#3b82f6'],
    },
    device: {
      nic: ['#0f766e', '#134e4a'],
      veth: ['#bbf7d0', '#16a34a'],
      port: ['#fed7aa', '#c2410c'],
      bridge: ['#fde68a', '#b45309'],
      vxlan: ['#ddd6fe', '#6d28d9'],
      dummy: ['#e5e7eb', '#6b7280'],
    },
    edge: { veth: '#64748b', port: '#d97706', tunnel: '#8b5cf6', down: '#dc2626' },
    warn: ['#fef2f2', '#dc2626', '#991b1b'],
    select: '#2563eb',
    highlight: '#f59e0b',
    drop: '#ef4444',
  },
  dark: {
    name: 'dark',
    text: '#e2e8f0',
    muted: '#94a3b8',
    labelBg: '#0f172a',
    canvasBg: '#0b1220',
    grid: '#1e293b',
    box: {
      node: ['#1e293b', '#94a3b8'],
      switch: ['#3b2410', '#f59e0b'],
      router: ['#2e1f4d', '#a78bfa'],
      other: ['#12301f', '#4ade80'],
      pod: ['#1e3a5f', '#60a5fa'],
    },
    device: {
      nic: ['#14b8a6', '#5eead4'],
      veth: ['#166534', '#4ade80'],
      port: ['#9a3412', '#fb923c'],
      bridge: ['#a16207', '#fcd34d'],
      vxlan: ['#5b21b6', '#c4b5fd'],
      dummy: ['#374151', '#9ca3af'],
    },
    edge: { veth: '#94a3b8', port: '#f59e0b', tunnel: '#a78bfa', down: '#f87171' },
    warn: ['#3f1212', '#f87171', '#fecaca'],
    select: '#60a5fa',
    highlight: '#fbbf24',
    drop: '#f87171',
  },
}

const svg = (body: string, stroke: string): string =>
  `data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="${stroke}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`)}`

/**
 * Icons drawn inside devices: an Ethernet socket for a NIC, a bridge for a bridge, a tunnel for
 * a VXLAN device, a cross for a device that is down. Plain SVG (data: URIs).
 */
export function deviceIcons(t: CanvasTheme): Record<'nic' | 'bridge' | 'vxlan' | 'down', string> {
  const on = t.name === 'light' ? '#ffffff' : '#0b1220'
  const ink = t.name === 'light' ? '#1f2937' : '#e2e8f0'
  return {
    // An RJ45 socket: the outline with its latch notch and the contacts.
    nic: svg('<path d="M4 6h16v10h-4v3H8v-3H4z"/><path d="M8 9v2M11 9v2M13 9v2M16 9v2"/>', on),
    // A bridge: a deck on three piers.
    bridge: svg('<path d="M2 9h20"/><path d="M5 9v8M12 9v8M19 9v8"/><path d="M2 9c3-4 7-4 10 0c3-4 7-4 10 0"/>', ink),
    // A tunnel: an arch with a lane through it.
    vxlan: svg('<path d="M4 19V11a8 8 0 0 1 16 0v8"/><path d="M8 19v-7a4 4 0 0 1 8 0v7"/>', ink),
    down: svg('<path d="M6 6l12 12M18 6L6 18"/>', t.drop),
  }
}

/** How strongly the packet's path and flooded copies are drawn over the canvas. */
export const TRAIL_ALPHA = 0.7
export const FLOOD_ALPHA = 0.55

/** `rgba()` of a `#rrggbb` colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
