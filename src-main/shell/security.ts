// What the desktop window may load, reach and ask for: the decisions the Electron shell applies
// (src-main/index.ts), kept here without electron so they are unit-tested. docs/security.md goes
// through Electron's security checklist item by item.
import { relative, isAbsolute, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ApiError } from '../../shared/api.ts'

/**
 * The Content-Security-Policy of the window: sent as a header on every response of the app's own
 * page (file:// through the file protocol handler, the dev server's http://), and as a meta tag in
 * index.html, which carries all of it but frame-ancestors (meta tags cannot).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Where the window's page comes from: its own index.html, or the dev server in development. */
export interface AppPage {
  /** The renderer's folder (out/renderer); index.html is in it. */
  rendererDir: string
  /** ELECTRON_RENDERER_URL when the dev server serves the page. */
  devUrl?: string
}

/** The URL the window loads. */
export function pageUrl(page: AppPage): string {
  return page.devUrl ?? pathToFileURL(resolve(page.rendererDir, 'index.html')).href
}

/** Whether a URL is the app's own page (any #fragment), nothing else: not another file, not another origin. */
export function isAppPage(url: string, page: AppPage): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (page.devUrl !== undefined) {
    const dev = new URL(page.devUrl)
    // The dev server's origin exactly (scheme, host and port): a prefix would let
    // http://localhost:5173.evil.example pass.
    return u.origin === dev.origin && (u.protocol === 'http:' || u.protocol === 'https:')
  }
  if (u.protocol !== 'file:' || u.search !== '' || (u.host !== '' && u.host !== 'localhost')) return false
  const want = new URL(pageUrl(page))
  return u.pathname === want.pathname
}

/** What the main process knows about an IPC message's sender. */
export interface SenderInfo {
  /** The URL of the frame that sent it (WebFrameMain.url). */
  url: string
  /** Whether that frame is the top frame of its page (no parent frame). */
  mainFrame: boolean
  /** Whether the page is the app's window (event.sender is win.webContents). */
  appWindow: boolean
}

/** Only the main frame of the app's own page in the app's window may call the lab. */
export function isTrustedSender(s: SenderInfo, page: AppPage): boolean {
  return s.appWindow && s.mainFrame && isAppPage(s.url, page)
}

/**
 * Whether the window may go to a URL (navigation, redirect, reload): only its own page. Links to
 * anything else are not followed; nothing the app shows links out.
 */
export function mayNavigate(url: string, page: AppPage): boolean {
  return isAppPage(url, page)
}

/**
 * The file a file:// request of the app may read: a file inside the renderer's folder (the page,
 * its scripts, styles and images), or null for anything else on the disk, however the path is
 * spelled (`..`, encoded slashes, another drive).
 */
export function appFileFor(url: string, page: AppPage): string | null {
  let path: string
  try {
    const u = new URL(url)
    if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return null
    // An encoded separator would name a different file than the path it seems to be.
    if (/%2f|%5c|%00/i.test(u.pathname)) return null
    path = fileURLToPath(u)
  } catch {
    return null
  }
  const root = resolve(page.rendererDir)
  const rel = relative(root, resolve(path))
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null
  return resolve(root, rel)
}

/**
 * A save request from the window: the page may ask to save, never say where. The place is the
 * lab's own file or one the user picks in the main process's dialog; a payload with any field
 * (a `path` above all) is refused, naming the field.
 */
export function saveRequestError(payload: unknown): ApiError | null {
  if (payload === undefined || payload === null) return null
  if (typeof payload !== 'object' || Array.isArray(payload)) return { code: 'invalid-request', message: 'request: must be an empty object', path: 'request' }
  const key = Object.keys(payload)[0]
  if (key === undefined) return null
  const why = key === 'path' ? 'the page cannot choose where the lab is saved; Save As asks the user' : 'unknown field (expected no fields)'
  return { code: 'invalid-request', message: `${key}: ${why}`, path: key }
}

/** Every permission a page may ask for (camera, notifications, clipboard, ...): none is given. */
export function permissionAllowed(_permission: string): boolean {
  return false
}
