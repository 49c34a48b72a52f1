import { textWidth } from './keys.ts'

/**
 * How bash (readline) shows completions on the second Tab, and how the first Tab extends the
 * word: pure functions, tested against readline's rules.
 */

/** readline's completion-query-items: from this many candidates on, it asks before listing. */
export const QUERY_ITEMS = 100

/** The longest prefix all candidates share (readline inserts it on the first Tab). */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return ''
  let p = words[0]
  for (const w of words) {
    let i = 0
    while (i < p.length && i < w.length && p[i] === w[i]) i++
    p = p.slice(0, i)
    if (p === '') break
  }
  return p
}

/**
 * The candidates in columns, as readline's rl_display_match_list prints them: sorted, filled
 * down each column first, every column as wide as the longest candidate plus two spaces, as
 * many columns as fit the screen (one fewer when they would fill it exactly).
 */
export function formatMatches(words: readonly string[], cols: number): string[] {
  const sorted = [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (sorted.length === 0) return []
  const max = Math.max(...sorted.map(textWidth)) + 2
  let limit = Math.floor(cols / max)
  if (limit !== 1 && limit * max === cols) limit--
  if (limit <= 0) limit = 1
  const count = Math.ceil(sorted.length / limit)
  const rows: string[] = []
  for (let i = 0; i < count; i++) {
    let row = ''
    for (let j = 0; j < limit; j++) {
      const k = i + j * count
      if (k >= sorted.length) break
      const w = sorted[k]
      const last = j === limit - 1 || i + (j + 1) * count >= sorted.length
      row += last ? w : w + ' '.repeat(max - textWidth(w))
    }
    rows.push(row)
  }
  return rows
}
