import { isApiError, requestMethods, type ApiError, type ApiMethod, type PodnetApi, type ShellEvent, type TerminalEvent, type WorkProgress } from '../../shared/api.ts'
import { isPacked, unpackValue } from '../../shared/tunnels.ts'
import { timed } from '../lib/timing.ts'

/**
 * The renderer's only door to the lab. `window.podnet` is provided by the Electron preload or by
 * the browser build's Worker client; nothing else in the renderer knows which one it is.
 */
function podnet(): PodnetApi {
  const api = window.podnet
  if (!api) throw new Error('window.podnet is missing: the page was opened without the PodNet Lab shell')
  return api
}

/**
 * Both hosts send a big lab state's VXLAN tunnels packed (shared/tunnels.ts: two typed arrays
 * instead of half a million objects through the Worker's or Electron's copy, and through the
 * preload's bridge), which stay packed (the canvas makes objects for the tunnels it draws), and
 * its namespaces (shared/netns-pack.ts: typed rows), which are unpacked here, once, for the whole
 * renderer (the span page:unpack).
 */
const unpacked = <T>(value: T): T => (isPacked(value) ? timed('page:unpack', () => unpackValue(value)) : value)

export const api: Pick<PodnetApi, ApiMethod> = requestMethods(
  (method) => async (payload) => unpacked(await (podnet()[method] as (payload?: unknown) => Promise<unknown>)(payload)),
)

/** Whether a shell (the desktop app) owns menus and their shortcuts. */
export function hasShell(): boolean {
  return typeof window.podnet?.onShellEvent === 'function'
}

/** Listens to the desktop shell's pushes; a no-op where there is no shell. */
export function onShellEvent(listener: (e: ShellEvent) => void): () => void {
  const api = window.podnet
  return api?.onShellEvent ? api.onShellEvent((e) => listener(e.type === 'state' ? { ...e, state: unpacked(e.state) } : e)) : () => {}
}

/** Listens to what running terminal lines print and when they end (both hosts push these). */
export function onTerminal(listener: (e: TerminalEvent) => void): () => void {
  const api = window.podnet
  return api?.onTerminal ? api.onTerminal(listener) : () => {}
}

/** Listens to the progress of long work (building, opening, replaying a lab) where the host reports it. */
export function onWork(listener: (p: WorkProgress) => void): () => void {
  const api = window.podnet
  return api?.onWork ? api.onWork(listener) : () => {}
}

/** Whether the host can stop long work (the browser build only where the page is cross-origin isolated). */
export function canCancelWork(): boolean {
  return typeof window.podnet?.cancelWork === 'function'
}

/** Stops the long work under way (its request fails with code 'cancelled'); false where nothing can be cancelled. */
export function cancelWork(): boolean {
  return window.podnet?.cancelWork?.() ?? false
}

/** Any failure as an ApiError, so views show one kind of message. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) }
}
