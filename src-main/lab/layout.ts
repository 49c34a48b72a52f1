import { MAX_LAYOUT_COORD, MAX_LAYOUT_ENTRIES } from '../k8s/limits.ts'
import type { LabLayout, LayoutChange, Point } from '../../shared/api.ts'
import { says, type Problem } from '../../shared/messages/problem.ts'

export type { LabLayout, LayoutChange, Point } from '../../shared/api.ts'

/**
 * Where the user put things on the canvas: a lab file's optional `layout` section
 * (docs/lab-format.md). It is not part of the network: a lab replays the same with or without it,
 * and entries for namespaces that no longer exist are ignored (and left out when saving).
 */

/** A namespace name as `ip netns add` takes it (the names a layout may position). */
export const LAYOUT_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,62}$/

type Fail = (p: (string | number)[], problem: Problem) => never

/** One coordinate: a finite number within the canvas bounds, rounded to a tenth (files stay short and stable). */
function coord(v: unknown, p: (string | number)[], fail: Fail): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_LAYOUT_COORD) fail(p, says('labfile.layout_coord', { max: MAX_LAYOUT_COORD }))
  return Math.round(v * 10) / 10
}

/** `{ x, y }`, nothing else. */
export function checkPoint(v: unknown, p: (string | number)[], fail: Fail): Point {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(p, says('labfile.layout_point', { form: '{ x: NUMBER, y: NUMBER }' }))
  const o = v as Record<string, unknown>
  for (const k of Object.keys(o)) if (k !== 'x' && k !== 'y') fail([...p, k], says('labfile.layout_point_field', { field: k }))
  return { x: coord(o.x, [...p, 'x'], fail), y: coord(o.y, [...p, 'y'], fail) }
}

/** A lab file's `layout` section, validated: every error names the field (and so its line). */
export function checkLayout(v: unknown, p: (string | number)[], fail: Fail): LabLayout {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(p, says('labfile.layout_mapping'))
  const o = v as Record<string, unknown>
  for (const k of Object.keys(o)) if (k !== 'positions') fail([...p, k], says('labfile.layout_unknown', { field: k }))
  const raw = o.positions ?? {}
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail([...p, 'positions'], says('labfile.layout_positions', { form: '{ x, y }' }))
  const names = Object.keys(raw)
  if (names.length > MAX_LAYOUT_ENTRIES) fail([...p, 'positions'], says('labfile.layout_too_many', { count: names.length, max: MAX_LAYOUT_ENTRIES }))
  const positions: Record<string, Point> = {}
  for (const name of names) {
    if (!LAYOUT_NAME.test(name)) fail([...p, 'positions', name], says('labfile.layout_name', { name }))
    positions[name] = checkPoint((raw as Record<string, unknown>)[name], [...p, 'positions', name], fail)
  }
  return { positions }
}

/** The layout with a change applied (a new object; the old one is kept for undo). */
export function applyLayoutChange(layout: LabLayout | undefined, change: LayoutChange): LabLayout | undefined {
  if (change.reset) return undefined
  const positions: Record<string, Point> = { ...(layout?.positions ?? {}) }
  for (const [name, pt] of Object.entries(change.set ?? {})) {
    if (pt === null) delete positions[name]
    else positions[name] = { x: Math.round(pt.x * 10) / 10, y: Math.round(pt.y * 10) / 10 }
  }
  return Object.keys(positions).length ? { positions } : undefined
}

/** The layout as a lab file writes it: only namespaces that exist, in name order (stable diffs). */
export function layoutToSave(layout: LabLayout | undefined, exists: (name: string) => boolean): LabLayout | undefined {
  if (!layout) return undefined
  const names = Object.keys(layout.positions).filter(exists).sort()
  if (!names.length) return undefined
  return { positions: Object.fromEntries(names.map((n) => [n, { ...layout.positions[n] }])) }
}
