import type { MessageKey, MessageParams } from './index.ts'

/**
 * A problem worded by key (a lab file's, a cluster's, a build's): views word it in the learner's
 * language, the CLI and `Error.message` in English (formatMessage(msg, params, 'en')).
 */
export interface Problem {
  msg: MessageKey
  params: Record<string, string | number>
}

/** `says('build.no_node', { name })`: a problem; a mistyped key or a missing parameter fails the type check. */
export function says<K extends MessageKey>(msg: K, ...params: Placeholderless<K> extends true ? [MessageParams<K>?] : [MessageParams<K>]): Problem {
  return { msg, params: params[0] ?? {} }
}

/** Whether a message has no placeholders (its parameters may be left out). */
type Placeholderless<K extends MessageKey> = Record<never, never> extends MessageParams<K> ? true : false
