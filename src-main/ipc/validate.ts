import type { ApiError } from '../../shared/api.ts'
import { formatMessage, type MessageKey } from '../../shared/messages/index.ts'

/**
 * Payload checks for the handler table. Payloads come from a renderer (or any page that reached
 * the Worker), so nothing is trusted: each check names the field and what is wrong with it, and
 * unknown fields are refused so a misspelt option never silently does nothing.
 */

/** A failed call, thrown inside the table and turned into an ApiError at the transport. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
    readonly path?: string,
    readonly reason?: { msg: string; params: Record<string, string> },
  ) {
    super(message)
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...(this.path !== undefined ? { path: this.path } : {}), ...(this.reason ? { msg: this.reason.msg, params: this.reason.params } : {}) }
  }
}

/** A request refused for a reason people read (a message key of shared/messages): worded in English here, in any language by a view. */
export function refused(code: ApiError['code'], path: string, msg: MessageKey, params: Record<string, string> = {}): ApiFailure {
  return new ApiFailure(code, `${path}: ${formatMessage(msg, params, 'en')}`, path, { msg, params })
}

export function invalid(path: string, problem: string): ApiFailure {
  return new ApiFailure('invalid-request', `${path}: ${problem}`, path)
}

export type Check<T> = (v: unknown, path: string) => T

/** What a text field takes, as a refusal says it (shared/messages/request.ts). */
export type WhatKey = Extract<MessageKey, `request.what.${string}`>

/** A value as a refusal names it (never as JavaScript prints it): its key and parameters. */
export function gotParams(v: unknown): Record<string, string> {
  if (v === undefined) return { gotKey: 'request.got.nothing' }
  if (v === null) return { gotKey: 'request.got.null' }
  if (Array.isArray(v)) return { gotKey: 'request.got.list' }
  if (typeof v === 'string') return { gotKey: 'request.got.text', value: v.length > 40 ? `"${v.slice(0, 40)}…"` : JSON.stringify(v) }
  if (typeof v === 'object') return { gotKey: 'request.got.object' }
  if (typeof v === 'number') return { gotKey: 'request.got.number', value: String(v) }
  if (typeof v === 'boolean') return { gotKey: 'request.got.boolean', value: String(v) }
  return { gotKey: 'request.got.other', type: typeof v, value: String(v) }
}

/** A value as an error message names it, in English. */
export function describeValue(v: unknown): string {
  const p = gotParams(v)
  return formatMessage(p.gotKey, p, 'en')
}

/** A shape check's refusal: always 'invalid-request', worded by key. */
const wrong = (path: string, msg: MessageKey, params: Record<string, string> = {}): ApiFailure => refused('invalid-request', path, msg, params)

export function str(opts: { max?: number; min?: number; pattern?: RegExp; what?: WhatKey; singleLine?: boolean } = {}): Check<string> {
  const max = opts.max ?? 1000
  const min = opts.min ?? 0
  const what = (fallback: WhatKey): Record<string, string> => ({ whatKey: opts.what ?? fallback, ...(opts.what || !opts.pattern ? {} : { pattern: String(opts.pattern) }) })
  return (v, path) => {
    if (typeof v !== 'string') throw wrong(path, 'request.must_be', { ...what('request.what.text'), ...gotParams(v) })
    if (v.length < min) throw min === 1 ? wrong(path, 'request.not_empty') : wrong(path, 'request.min_chars', { min: String(min) })
    if (v.length > max) throw wrong(path, 'request.max_chars', { max: String(max), length: String(v.length) })
    if (opts.singleLine && /[\r\n]/.test(v)) throw wrong(path, 'request.single_line')
    if (opts.pattern && !opts.pattern.test(v)) throw wrong(path, 'request.must_be', { ...what('request.what.matching'), ...gotParams(v) })
    return v
  }
}

export function int(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw wrong(path, 'request.whole_number', { min: String(min), max: String(max), ...gotParams(v) })
    return v
  }
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw wrong(path, 'request.true_false', gotParams(v))
  return v
}

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw wrong(path, 'request.one_of', { values: values.join(', '), ...gotParams(v) })
    return v as T
  }
}

/** Marks a field optional: absent (or undefined) passes as undefined. */
export interface Optional<T> {
  optional: true
  check: Check<T>
}
export function optional<T>(check: Check<T>): Optional<T> {
  return { optional: true, check }
}

type Field = Check<unknown> | Optional<unknown>
type Shape = Record<string, Field>
type Out<S extends Shape> = { [K in keyof S as S[K] extends Optional<unknown> ? never : K]: S[K] extends Check<infer T> ? T : never } & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/** A plain object with exactly these fields (optional ones may be missing). */
export function object<S extends Shape>(shape: S): Check<Out<S>> {
  return (v, path) => {
    if (!isPlainObject(v)) throw wrong(path, 'request.object', gotParams(v))
    const at = (k: string): string => (path === 'request' ? k : `${path}.${k}`)
    const fields = Object.keys(shape).join(', ')
    for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) throw fields ? wrong(at(k), 'request.unknown_field', { fields }) : wrong(at(k), 'request.unknown_field_none')
    const out: Record<string, unknown> = {}
    for (const [k, f] of Object.entries(shape)) {
      const value = v[k]
      if ('optional' in f) {
        if (value !== undefined) out[k] = f.check(value, at(k))
      } else {
        if (value === undefined) throw wrong(at(k), 'request.required')
        out[k] = f(value, at(k))
      }
    }
    return out as Out<S>
  }
}

/** Requests without parameters: nothing, or an empty object. */
export const none: Check<void> = (v, path) => {
  if (v === undefined || v === null) return
  object({})(v, path)
}

/** Names the cluster accepts for nodes and pods (Kubernetes-style, fits an interface name). */
export const NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/
/** A network namespace name as `ip netns add` takes it, and safe to put on a command line. */
export const NETNS = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,62}$/
/** An interface name (IFNAMSIZ - 1, no blanks, '/' or ':'), safe on a command line. */
export const IFNAME = /^[A-Za-z0-9_.@+-]{1,15}$/
/**
 * A route as `ip route show` prints it or `ip route add` takes it: words of letters, digits and
 * `. : / -`. Excludes quotes and shell operators, so it stays one command.
 */
export const ROUTE = /^[A-Za-z0-9][A-Za-z0-9.:/ _-]*$/

export const nameField = (what: 'node' | 'pod'): Check<string> => str({ pattern: NAME, what: what === 'node' ? 'request.what.node_name' : 'request.what.pod_name' })
export const netnsField: Check<string> = (v, path) => {
  // '' is the host's root namespace.
  if (v === '') return ''
  return str({ pattern: NETNS, what: 'request.what.netns' })(v, path)
}
export const ifnameField: Check<string> = str({ pattern: IFNAME, what: 'request.what.ifname' })
