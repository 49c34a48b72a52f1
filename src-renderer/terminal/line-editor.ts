import { isText } from './keys.ts'

/**
 * A line editor with bash's (GNU readline's emacs mode) keys, as a pure state machine: it takes
 * one key unit at a time (see splitKeys) and says what the shell should do. It knows nothing of
 * xterm; rendering is line-render.ts, the shell around it terminal/shell.ts.
 */

/** What a key asks of the shell around the editor. */
export type EditorAction =
  /** Only the line changed (or nothing): redraw it. */
  | { type: 'edit' }
  /** Enter: run this line. */
  | { type: 'submit'; line: string }
  /** Ctrl+C: abandon the line (bash prints ^C and a fresh prompt). */
  | { type: 'interrupt' }
  /** Ctrl+D on an empty line: end of input, as `exit`. */
  | { type: 'eof' }
  /** Ctrl+L: clear the screen, keep the line. */
  | { type: 'clear-screen' }
  /** Tab: complete the word before the cursor (`repeat`: the Tab right before was a Tab too). */
  | { type: 'complete'; repeat: boolean }
  /** Nothing to do for this key (readline rings the bell). */
  | { type: 'bell' }

/** The command history the editor browses (shared by a lab's terminals, newest last). */
export interface HistorySource {
  entries(): readonly string[]
}

interface Search {
  query: string
  /** Index of the history entry that matched, or null before any match. */
  match: number | null
  failed: boolean
  /** The line as it was when the search began (Ctrl+G brings it back). */
  original: string
  originalCursor: number
}

/** What to draw: the prompt (or the search prompt that replaces it) and the line with its cursor. */
export interface EditorView {
  /** A prompt of its own (reverse search); undefined for the shell's prompt. */
  prompt?: string
  text: string
  cursor: number
}

const WORD = /[\p{L}\p{N}]/u

export class LineEditor {
  buffer = ''
  /** Cursor position in UTF-16 units, always on a code point boundary. */
  cursor = 0
  /** Position while browsing the history with ↑/↓ (entries().length = the new line). */
  private histPos: number | null = null
  /** The new line as it was before browsing started. */
  private draft = ''
  private killed = ''
  private search: Search | null = null
  private lastSearch = ''
  private lastKey = ''

  constructor(private readonly history: HistorySource) {}

  /** A fresh, empty line (after a submit or an interrupt). */
  reset(): void {
    this.buffer = ''
    this.cursor = 0
    this.histPos = null
    this.draft = ''
    this.search = null
    this.lastKey = ''
  }

  view(): EditorView {
    const s = this.search
    if (!s) return { text: this.buffer, cursor: this.cursor }
    return { prompt: `(${s.failed ? 'failed ' : ''}reverse-i-search)\`${s.query}': `, text: this.buffer, cursor: this.cursor }
  }

  get searching(): boolean {
    return this.search !== null
  }

  /** Replaces the text between from and to (completion), leaving the cursor after it. */
  replace(from: number, to: number, text: string): void {
    this.buffer = this.buffer.slice(0, from) + text + this.buffer.slice(to)
    this.cursor = from + text.length
  }

  /** Inserts text at the cursor, as typing it would. */
  insert(text: string): void {
    this.replace(this.cursor, this.cursor, text)
  }

  key(k: string): EditorAction {
    const prev = this.lastKey
    this.lastKey = k
    if (this.search) {
      const handled = this.searchKey(k)
      if (handled) return handled
    }
    if (isText(k)) {
      this.insert(k)
      return { type: 'edit' }
    }
    switch (k) {
      case '\r':
      case '\n':
        return this.accept()
      case '\t':
        return { type: 'complete', repeat: prev === '\t' }
      case '\x03': // Ctrl+C
        return { type: 'interrupt' }
      case '\x04': // Ctrl+D: end of input on an empty line, else delete-char
        if (this.buffer === '') return { type: 'eof' }
        return this.deleteForward()
      case '\x0c': // Ctrl+L
        return { type: 'clear-screen' }
      case '\x7f':
      case '\x08':
        return this.backspace()
      case '\x1b[3~':
        return this.deleteForward()
      case '\x1b[D':
      case '\x1bOD':
      case '\x02':
        return this.move(this.prevCp(this.cursor))
      case '\x1b[C':
      case '\x1bOC':
      case '\x06':
        return this.move(this.nextCp(this.cursor))
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x1b[7~':
      case '\x01':
        return this.move(0)
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x1b[8~':
      case '\x05':
        return this.move(this.buffer.length)
      case '\x1b[1;5D':
      case '\x1b[1;3D':
      case '\x1bb':
        return this.move(this.wordStart(this.cursor))
      case '\x1b[1;5C':
      case '\x1b[1;3C':
      case '\x1bf':
        return this.move(this.wordEnd(this.cursor))
      case '\x1b[A':
      case '\x1bOA':
      case '\x10':
        return this.browse(-1)
      case '\x1b[B':
      case '\x1bOB':
      case '\x0e':
        return this.browse(1)
      case '\x15': // Ctrl+U: unix-line-discard
        return this.kill(0, this.cursor)
      case '\x0b': // Ctrl+K: kill-line
        return this.kill(this.cursor, this.buffer.length)
      case '\x17': // Ctrl+W: unix-word-rubout (whitespace-delimited)
        return this.kill(this.spaceWordStart(this.cursor), this.cursor)
      case '\x1b\x7f': // Alt+Backspace: backward-kill-word
        return this.kill(this.wordStart(this.cursor), this.cursor)
      case '\x1bd': // Alt+D: kill-word
        return this.kill(this.cursor, this.wordEnd(this.cursor))
      case '\x19': // Ctrl+Y: yank
        if (this.killed === '') return { type: 'bell' }
        this.insert(this.killed)
        return { type: 'edit' }
      case '\x1b.': // Alt+.: yank-last-arg
      case '\x1b_': {
        const h = this.history.entries()
        const last = h[h.length - 1]?.trim().split(/\s+/).pop()
        if (!last) return { type: 'bell' }
        this.insert(last)
        return { type: 'edit' }
      }
      case '\x14': // Ctrl+T: transpose-chars
        return this.transpose()
      case '\x12': // Ctrl+R: reverse-search-history
        this.search = { query: '', match: null, failed: false, original: this.buffer, originalCursor: this.cursor }
        return { type: 'edit' }
      case '\x07': // Ctrl+G outside a search: nothing to abort
        return { type: 'bell' }
      default:
        return { type: 'bell' }
    }
  }

  private accept(): EditorAction {
    const line = this.buffer
    this.reset()
    return { type: 'submit', line }
  }

  private move(to: number): EditorAction {
    if (to === this.cursor) return { type: 'bell' }
    this.cursor = to
    return { type: 'edit' }
  }

  private backspace(): EditorAction {
    if (this.cursor === 0) return { type: 'bell' }
    const from = this.prevCp(this.cursor)
    this.buffer = this.buffer.slice(0, from) + this.buffer.slice(this.cursor)
    this.cursor = from
    return { type: 'edit' }
  }

  private deleteForward(): EditorAction {
    if (this.cursor >= this.buffer.length) return { type: 'bell' }
    this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.nextCp(this.cursor))
    return { type: 'edit' }
  }

  private kill(from: number, to: number): EditorAction {
    if (from >= to) return { type: 'bell' }
    this.killed = this.buffer.slice(from, to)
    this.buffer = this.buffer.slice(0, from) + this.buffer.slice(to)
    this.cursor = from
    return { type: 'edit' }
  }

  private transpose(): EditorAction {
    if (this.buffer.length < 2 || this.cursor === 0) return { type: 'bell' }
    // At the end of the line readline swaps the last two characters.
    const at = this.cursor >= this.buffer.length ? this.prevCp(this.buffer.length) : this.cursor
    const a0 = this.prevCp(at)
    const b1 = this.nextCp(at)
    this.buffer = this.buffer.slice(0, a0) + this.buffer.slice(at, b1) + this.buffer.slice(a0, at) + this.buffer.slice(b1)
    this.cursor = b1
    return { type: 'edit' }
  }

  /** ↑ (-1) and ↓ (+1) through the history; the new line being typed is kept as a draft. */
  private browse(dir: -1 | 1): EditorAction {
    const h = this.history.entries()
    const pos = this.histPos ?? h.length
    const next = pos + dir
    if (next < 0 || next > h.length) return { type: 'bell' }
    if (this.histPos === null) this.draft = this.buffer
    this.histPos = next === h.length ? null : next
    this.buffer = next === h.length ? this.draft : h[next]
    this.cursor = this.buffer.length
    return { type: 'edit' }
  }

  /** A key during Ctrl+R: refine, step back, accept or leave the search; null = handle it as usual after leaving. */
  private searchKey(k: string): EditorAction | null {
    const s = this.search!
    if (isText(k)) {
      s.query += k
      this.find(s.match ?? this.history.entries().length - 1, false)
      return { type: 'edit' }
    }
    switch (k) {
      case '\x12': // Ctrl+R again: the next older match
        if (s.query === '') {
          s.query = this.lastSearch
          this.find(this.history.entries().length - 1, false)
        } else this.find((s.match ?? this.history.entries().length) - 1, true)
        return { type: 'edit' }
      case '\x7f':
      case '\x08':
        if (s.query === '') return { type: 'bell' }
        s.query = s.query.slice(0, -1)
        s.failed = false
        if (s.query === '') {
          s.match = null
          this.buffer = s.original
          this.cursor = s.originalCursor
        } else this.find(this.history.entries().length - 1, false)
        return { type: 'edit' }
      case '\x07': // Ctrl+G: abort, the line as it was
        this.buffer = s.original
        this.cursor = s.originalCursor
        this.search = null
        return { type: 'edit' }
      case '\x1b': // Esc: keep the match for editing
        this.endSearch()
        return { type: 'edit' }
      case '\r':
      case '\n':
        this.endSearch()
        return this.accept()
      default:
        // Any other key leaves the search with the match in the line, then acts as usual.
        this.endSearch()
        return null
    }
  }

  private endSearch(): void {
    if (this.search && this.search.query) this.lastSearch = this.search.query
    this.search = null
  }

  /** Looks for the query from history entry `from` backwards; `step` means a repeated Ctrl+R. */
  private find(from: number, step: boolean): void {
    const s = this.search!
    const h = this.history.entries()
    for (let i = Math.min(from, h.length - 1); i >= 0; i--) {
      const at = h[i].lastIndexOf(s.query)
      if (at < 0) continue
      // A repeated Ctrl+R skips an entry equal to the one shown.
      if (step && s.match !== null && h[i] === h[s.match]) continue
      s.match = i
      s.failed = false
      this.buffer = h[i]
      this.cursor = at
      return
    }
    s.failed = true
  }

  private prevCp(i: number): number {
    if (i <= 0) return 0
    const c = this.buffer.charCodeAt(i - 1)
    return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? i - 2 : i - 1
  }

  private nextCp(i: number): number {
    if (i >= this.buffer.length) return this.buffer.length
    const c = this.buffer.charCodeAt(i)
    return c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1
  }

  /** readline's backward-word: back over non-word characters, then over word characters. */
  private wordStart(i: number): number {
    let j = i
    while (j > 0 && !WORD.test(this.buffer[j - 1])) j--
    while (j > 0 && WORD.test(this.buffer[j - 1])) j--
    return j
  }

  private wordEnd(i: number): number {
    let j = i
    const n = this.buffer.length
    while (j < n && !WORD.test(this.buffer[j])) j++
    while (j < n && WORD.test(this.buffer[j])) j++
    return j
  }

  /** Ctrl+W's word: back over spaces, then over everything but spaces. */
  private spaceWordStart(i: number): number {
    let j = i
    while (j > 0 && /\s/.test(this.buffer[j - 1])) j--
    while (j > 0 && !/\s/.test(this.buffer[j - 1])) j--
    return j
  }
}
