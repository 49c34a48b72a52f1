import type { StylesheetStyle } from 'cytoscape'
import { deviceIcons, THEMES, type CanvasTheme, type DeviceKind, type ThemeName } from './theme.ts'

export { ROLE_COLORS } from './theme.ts'

/**
 * The canvas stylesheet: static selectors over classes and data fields that graph.ts precomputes
 * (no per-element style functions, which would run on every render), in the colours of a theme.
 * Every kind of device has its own shape and icon; labels sit beside devices, away from the
 * links, on a background of their own.
 */

/** Padding of a box around its children (Cytoscape's compound padding). */
export const BOX_PADDING = 18

/** The inside of a box that holds nothing yet (a router or a namespace before it is wired). */
export const EMPTY_BOX = { w: 80, h: 50 } as const

/** Padding of a pod's box around its interfaces. */
export const POD_PADDING = 6

/** Drawn sizes of leaves, shared by the stylesheet and the layout that measures boxes. */
export const SIZES = {
  pod: { w: 104, h: 58 },
  nic: { w: 22, h: 18 },
  veth: { w: 14, h: 14 },
  port: { w: 14, h: 14 },
  bridge: { w: 34, h: 20 },
  vxlan: { w: 26, h: 24 },
  dummy: { w: 16, h: 16 },
} as const

/** The kind of device an element with these classes is drawn as. */
export function deviceKindOf(classes: string): DeviceKind {
  const m = /\bdev-(\w+)/.exec(classes)
  return (m?.[1] as DeviceKind | undefined) ?? 'veth'
}

/** Half the drawn size of a leaf with these classes. */
export function halfSize(classes: string): { w: number; h: number } {
  if (classes.startsWith('anchor')) return { w: 0, h: 0 }
  const s = classes.startsWith('pod') ? SIZES.pod : SIZES[deviceKindOf(classes)]
  return { w: s.w / 2, h: s.h / 2 }
}

const FONT = 'Inter, "Segoe UI", "Hiragino Sans", "Noto Sans JP", system-ui, sans-serif'

type Rule = { selector: string; style: Record<string, unknown> }

/** A 1 x 1 transparent image (see the rule for every node). */
export const BLANK_IMAGE = 'data:image/svg+xml;utf8,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

function rules(t: CanvasTheme): Rule[] {
  const icon = deviceIcons(t)
  // Icons fill most of their device, centred.
  const iconFit = { 'background-fit': 'none', 'background-width': '78%', 'background-height': '78%', 'background-clip': 'node', 'background-image-opacity': 1 }
  const label = { 'text-background-color': t.labelBg, 'text-background-opacity': 0.85, 'text-background-padding': '1px', 'text-background-shape': 'roundrectangle' }
  const device = (k: DeviceKind, extra: Record<string, unknown> = {}): Rule => ({
    selector: `node.iface.dev-${k}`,
    style: { 'background-color': t.device[k][0], 'border-color': t.device[k][1], width: SIZES[k].w, height: SIZES[k].h, ...extra },
  })
  const box = (role: keyof CanvasTheme['box'], extra: Record<string, unknown> = {}): Rule => ({
    selector: `node.box.role-${role}`,
    style: { 'background-color': t.box[role][0], 'border-color': t.box[role][1], ...extra },
  })
  return [
    // A pan of a big drawing moves a snapshot of the view (use-cytoscape.ts): what it did not
    // cover shows the canvas's own background, not Cytoscape's white veil.
    { selector: 'core', style: { 'outside-texture-bg-opacity': 0 } },
    {
      selector: 'node',
      // Every node draws an image (a blank one unless it has an icon): Cytoscape marks a node
      // without any as "backgrounding" and back at each draw, restyling it and its whole box
      // (parents and children) twice per draw; that made the first frames of a pan the longest.
      style: { label: 'data(label)', 'font-family': FONT, 'font-size': 10, color: t.text, 'text-wrap': 'wrap', 'min-zoomed-font-size': 7, 'overlay-opacity': 0, 'background-image': BLANK_IMAGE, 'background-image-opacity': 0 },
    },
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle',
        'background-opacity': 1,
        'border-width': 1.5,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-size': 13,
        'font-weight': 'bold',
        color: t.text,
        padding: `${BOX_PADDING}px`,
        'corner-radius': 10,
        width: EMPTY_BOX.w,
        height: EMPTY_BOX.h,
      },
    },
    // Node names sit below the box, leaving the top edge to the VXLAN tunnel arcs.
    box('node', { 'text-valign': 'bottom', 'text-margin-y': 5 }),
    { selector: 'node.box.big-label', style: { 'font-size': 30 } },
    { selector: 'node.box.mid-label', style: { 'font-size': 24 } },
    box('switch'),
    box('router'),
    box('other', { 'border-style': 'dashed' }),
    // A namespace drawn as one box (far out): its summary inside, the text scaled to the box.
    {
      selector: 'node.box.collapsed',
      style: { width: 'data(w)', height: 'data(h)', 'font-size': 'data(fs)', 'text-valign': 'center', 'text-margin-y': 0, 'line-height': 1.25, 'font-weight': 'normal', 'min-zoomed-font-size': 6 },
    },
    // An underlay's far-out band (graph.ts bannerOf): one line, as wide as it needs.
    { selector: 'node.box.collapsed.banner', style: { 'text-wrap': 'none', 'font-weight': 'bold' } },
    { selector: 'node.box.collapsed.warn', style: { 'background-color': t.warn[0], 'border-color': t.warn[1], 'border-width': 3, color: t.warn[2] } },
    // Far out (a grid of hundreds of boxes at a fortieth of their size) a box keeps an outline that shows.
    { selector: 'node.box.collapsed.far', style: { 'border-width': 30 } },
    // Far out, a big grid's captions beside its rows: text only, which a press goes through.
    {
      selector: 'node.caption',
      style: { shape: 'rectangle', 'background-opacity': 0, 'border-width': 0, width: 'data(w)', height: 'data(h)', 'font-size': 'data(fs)', 'font-weight': 'bold', 'text-valign': 'center', 'text-halign': 'center', 'text-justification': 'left', 'text-max-width': 'data(w)', 'line-height': 1.3, color: t.muted, 'min-zoomed-font-size': 6, events: 'no' },
    },
    { selector: 'node.caption.warn', style: { color: t.warn[2] } },
    // Invisible corners that keep an underlay box at its full size while only some ports are drawn.
    { selector: 'node.anchor', style: { width: 1, height: 1, opacity: 0, events: 'no', label: '' } },
    // A pod is a box of its own inside its node, holding its interface; its name and address below it.
    {
      selector: 'node.pod',
      style: {
        shape: 'round-rectangle',
        'background-color': t.box.pod[0],
        'border-color': t.box.pod[1],
        'border-width': 1.5,
        'corner-radius': 8,
        padding: `${POD_PADDING}px`,
        // A pod without children (outside any node) is a leaf of the same size.
        width: SIZES.pod.w,
        height: SIZES.pod.h,
        // The minimum is of the area inside the padding.
        'min-width': SIZES.pod.w - 2 * POD_PADDING,
        'min-height': SIZES.pod.h - 2 * POD_PADDING,
        // The interfaces at the top, the room below for the name and address; sized by the
        // interfaces alone (their names stay inside the minimum width).
        'compound-sizing-wrt-labels': 'exclude',
        'min-width-bias-left': '50%',
        'min-width-bias-right': '50%',
        'min-height-bias-top': '0%',
        'min-height-bias-bottom': '100%',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': -33,
        'font-size': 11.5,
        'line-height': 1.25,
        color: t.text,
      },
    },
    // Devices: each kind its own shape (and icon); the name to its right, off the links.
    {
      selector: 'node.iface',
      style: {
        shape: 'round-rectangle',
        'border-width': 1.5,
        'text-valign': 'center',
        'text-halign': 'right',
        'text-margin-x': 4,
        'text-justification': 'left',
        'font-size': 10.5,
        ...label,
      },
    },
    device('nic', { shape: 'rectangle', 'background-image': icon.nic, ...iconFit }),
    device('veth', { shape: 'ellipse' }),
    device('port', { shape: 'rectangle' }),
    device('bridge', { shape: 'round-rectangle', 'background-image': icon.bridge, ...iconFit }),
    device('vxlan', { shape: 'hexagon', 'background-image': icon.vxlan, ...iconFit }),
    device('dummy', { shape: 'diamond' }),
    // An underlay's ports stand in a row over the lanes: their names run down beside them.
    { selector: 'node.iface.infra-port', style: { 'text-rotation': 1.5708, 'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-x': 9, 'text-margin-y': 4 } },
    { selector: 'node.iface.dev-vxlan', style: { 'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-x': 0, 'text-margin-y': 3, 'text-justification': 'center' } },
    // A port wired to another underlay box: its name below it, to the right, off the wire whether it
    // runs sideways or up and down, and the box grows right and down only (its corner stays).
    { selector: 'node.iface.label-above', style: { 'text-valign': 'top', 'text-halign': 'right', 'text-margin-x': 0, 'text-margin-y': -3, 'text-justification': 'left' } },
    { selector: 'node.iface.label-below', style: { 'text-valign': 'bottom', 'text-halign': 'right', 'text-margin-x': 0, 'text-margin-y': 3, 'text-justification': 'left' } },
    // Down: red, crossed out. No carrier: red border.
    { selector: 'node.iface.down', style: { 'background-color': t.warn[0], 'border-color': t.drop, 'border-width': 2.5, 'background-image': icon.down, ...iconFit, color: t.warn[2] } },
    { selector: 'node.iface.nocarrier', style: { 'border-color': t.drop, 'border-style': 'dashed', 'border-width': 2 } },
    { selector: 'node.pod.down', style: { 'border-color': t.drop, 'border-style': 'dashed' } },
    {
      selector: 'edge',
      style: { 'curve-style': 'straight', width: 2, 'line-color': t.edge.veth, 'font-family': FONT, 'font-size': 9, 'min-zoomed-font-size': 7, color: t.muted, 'overlay-opacity': 0 },
    },
    { selector: 'edge.port', style: { width: 1.5, 'line-color': t.edge.port } },
    // Underlay links to lower rows of nodes: down a lane beside the column, then across to the uplink
    // (an L: the turn at 100% is 'too close' for taxi routing, which then bends once at the target's height).
    { selector: 'edge.lane', style: { 'curve-style': 'round-taxi', 'taxi-direction': 'downward', 'taxi-turn': '100%', 'taxi-radius': 8 } },
    // Bridge ports join their bridge through one horizontal bus just above them.
    { selector: 'edge.bus', style: { 'curve-style': 'taxi', 'taxi-direction': 'upward', 'taxi-turn': 20, 'taxi-turn-min-distance': 5 } },
    {
      selector: 'edge.tunnel',
      style: {
        'curve-style': 'unbundled-bezier',
        'control-point-distances': 'data(cpd)',
        'control-point-weights': 0.5,
        width: 2,
        'line-color': t.edge.tunnel,
        'line-style': 'dashed',
        label: 'data(label)',
        color: t.edge.tunnel,
        ...label,
        // Tunnels arc over boxes: a press on one goes to what is under it.
        events: 'no',
      },
    },
    // A link that is down: thick, red, broken in the middle.
    {
      selector: 'edge.down',
      style: { 'line-color': t.edge.down, width: 3, 'line-style': 'dashed', 'line-dash-pattern': [7, 4], 'mid-source-arrow-shape': 'tee', 'mid-target-arrow-shape': 'tee', 'mid-source-arrow-color': t.edge.down, 'mid-target-arrow-color': t.edge.down, 'arrow-scale': 1.4 },
    },
    { selector: 'node.sel', style: { 'border-width': 3, 'border-color': t.select, 'underlay-color': t.select, 'underlay-padding': 6, 'underlay-opacity': 0.25 } },
    { selector: 'edge.sel', style: { 'underlay-color': t.select, 'underlay-padding': 4, 'underlay-opacity': 0.35 } },
    { selector: 'node.hl', style: { 'underlay-color': t.highlight, 'underlay-padding': 10, 'underlay-opacity': 0.45, 'border-width': 3, 'border-color': t.highlight } },
    { selector: 'node.hl-drop', style: { 'underlay-color': t.drop, 'underlay-padding': 10, 'underlay-opacity': 0.5, 'border-width': 3, 'border-color': t.drop } },
    // Where a dragged item would land (or could not).
    { selector: 'node.drop-ok', style: { 'underlay-color': t.select, 'underlay-padding': 12, 'underlay-opacity': 0.3 } },
    { selector: 'node.drop-no', style: { 'underlay-color': t.drop, 'underlay-padding': 12, 'underlay-opacity': 0.3 } },
  ]
}

/** The stylesheet for a theme. */
export function stylesheet(theme: ThemeName = 'light'): StylesheetStyle[] {
  return rules(THEMES[theme]) as unknown as StylesheetStyle[]
}
