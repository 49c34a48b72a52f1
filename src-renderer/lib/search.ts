/** One choice of a searchable picker or list. */
export interface PickOption {
  value: string
  label: string
  /** A second, quieter text (the role, the node it runs on). */
  hint?: string
}

/**
 * The options that contain `query` (case-insensitive, in the value, the label or the hint), best
 * first: an exact match, then names that start with it, then the rest, each group in its own
 * order. An empty query matches everything as it is.
 */
export function rankMatches<T extends PickOption>(options: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase()
  if (q === '') return options as T[]
  const exact: T[] = []
  const prefix: T[] = []
  const inside: T[] = []
  for (const o of options) {
    const v = o.value.toLowerCase()
    const l = o.label.toLowerCase()
    if (v === q || l === q) exact.push(o)
    else if (v.startsWith(q) || l.startsWith(q)) prefix.push(o)
    else if (v.includes(q) || l.includes(q) || (o.hint !== undefined && o.hint.toLowerCase().includes(q))) inside.push(o)
  }
  return [...exact, ...prefix, ...inside]
}
