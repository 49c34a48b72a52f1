// Where the window was and how big: restored at the next start, but only onto a display that
// still exists (a laptop undocked from its second screen must not open the window off-screen).
import { isRecord, readJson, writeJson } from './json-file.ts'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
  fullScreen: boolean
}

export const DEFAULT_SIZE = { width: 1280, height: 800 }
export const MIN_SIZE = { width: 1024, height: 640 }

const isRect = (v: unknown): v is Rect => isRecord(v) && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(v[k]))

export function loadWindowState(file: string): WindowState | null {
  const v = readJson(file)
  if (!isRecord(v) || !isRect(v.bounds)) return null
  return { bounds: v.bounds, maximized: v.maximized === true, fullScreen: v.fullScreen === true }
}

export function saveWindowState(file: string, s: WindowState): void {
  writeJson(file, s)
}

function overlapX(a: Rect, b: Rect): number {
  return Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
}

function overlapY(a: Rect, b: Rect): number {
  return Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
}

const overlap = (a: Rect, b: Rect): number => overlapX(a, b) * overlapY(a, b)

/**
 * The bounds to open the window with, given the displays' work areas (the primary first): the
 * saved bounds when enough of the title bar area is on a display, shrunk to fit it; otherwise
 * the default size centred on the primary display.
 */
export function placeWindow(saved: Rect | null, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE }
  const centred = (w: number, h: number, area: Rect): Rect => ({
    width: w,
    height: h,
    x: Math.round(area.x + (area.width - w) / 2),
    y: Math.round(area.y + (area.height - h) / 2),
  })
  if (saved && saved.width > 0 && saved.height > 0) {
    // The strip the user grabs to move the window must be reachable.
    const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: 32 }
    const area = [...workAreas].sort((a, b) => overlap(titleBar, b) - overlap(titleBar, a))[0]
    if (area && overlapX(titleBar, area) >= Math.min(100, saved.width) && overlapY(titleBar, area) > 0) {
      const width = Math.min(Math.max(saved.width, MIN_SIZE.width), area.width)
      const height = Math.min(Math.max(saved.height, MIN_SIZE.height), area.height)
      const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width)
      const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height)
      return { x, y, width, height }
    }
  }
  return centred(Math.min(DEFAULT_SIZE.width, primary.width), Math.min(DEFAULT_SIZE.height, primary.height), primary)
}
