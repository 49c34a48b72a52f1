import { FitAddon } from '@xterm/addon-fit'
import { Terminal, type ITheme } from '@xterm/xterm'
import type { CompletionView, ShellRequest } from '../../shared/api.ts'
import { commonPrefix, formatMatches, QUERY_ITEMS } from './complete-list.ts'
import { splitKeys } from './keys.ts'
import { LineEditor, type EditorAction, type HistorySource } from './line-editor.ts'
import { drawnAt, leaveLine, NOTHING_DRAWN, redraw, type Drawn } from './line-render.ts'

/**
 * One terminal: an xterm.js screen with a bash-like shell in front of the lab. The line editor
 * (line-editor.ts) turns keys into edits; this class draws them, keeps typeahead (a paste of
 * several lines runs them one after another, as bash reads them), completes words with the
 * lab's candidates, and runs lines through a ShellHost. Nothing here is reactive state: a store
 * keeps the tab, the component moves `element` into the page.
 */

/** What a finished line asked of the shell. */
export interface RunOutcome {
  exitCode: number
  shell?: ShellRequest
}

/** The lab behind a terminal. */
export interface ShellHost {
  /** Runs a line in a namespace; output goes to `write` as it comes; resolves when the line is done. */
  run(line: string, netns: string, write: (text: string) => void): Promise<RunOutcome>
  /** Ctrl+C while a line runs. */
  interrupt(): void
  complete(line: string, cursor: number, netns: string): Promise<CompletionView | null>
}

export interface ShellOptions {
  netns: string
  host: ShellHost
  history: HistorySource & { add(line: string): void }
  /** The prompt for a namespace. */
  prompt(netns: string): string
  /** The namespace the shell is in changed (`ip netns exec NS bash`, `exit`). */
  onNetns?(netns: string): void
  /** The shell's last `exit`: the tab closes. */
  onExit?(): void
  onRunning?(running: boolean): void
}

/** xterm colours: the 16 ANSI colours readable on the dock's dark background. */
export const THEME: ITheme = {
  background: '#0b1220',
  foreground: '#e5e7eb',
  cursor: '#f8fafc',
  cursorAccent: '#0b1220',
  selectionBackground: '#334155',
  black: '#1f2937',
  red: '#f87171',
  green: '#4ade80',
  yellow: '#facc15',
  blue: '#60a5fa',
  magenta: '#e879f9',
  cyan: '#22d3ee',
  white: '#e5e7eb',
  brightBlack: '#64748b',
  brightRed: '#fca5a5',
  brightGreen: '#86efac',
  brightYellow: '#fde68a',
  brightBlue: '#93c5fd',
  brightMagenta: '#f0abfc',
  brightCyan: '#67e8f9',
  brightWhite: '#ffffff',
}

const FONT = "'JetBrains Mono', 'DejaVu Sans Mono', 'Noto Sans Mono CJK JP', ui-monospace, monospace"

export class TerminalShell {
  readonly term: Terminal
  readonly element: HTMLDivElement
  private readonly fit = new FitAddon()
  private readonly editor: LineEditor
  private drawn: Drawn = NOTHING_DRAWN
  /** Keys typed or pasted while a line or a completion was busy, in order. */
  private queue: string[] = []
  private busy: 'run' | 'complete' | null = null
  /** The namespaces of the nested shells, the terminal's own first. */
  private readonly stack: string[]
  /** Candidates waiting for the answer to "Display all N possibilities? (y or n)". */
  private asking: string[] | null = null
  /** Esc was the last key: Esc then Tab leaves the terminal for keyboard users. */
  private escaped = false
  private disposed = false

  constructor(private readonly opts: ShellOptions) {
    this.stack = [opts.netns]
    this.editor = new LineEditor(opts.history)
    this.element = document.createElement('div')
    this.element.className = 'xterm-host'
    this.term = new Terminal({
      screenReaderMode: true,
      convertEol: true,
      scrollback: 5000,
      cursorBlink: true,
      fontFamily: FONT,
      fontSize: 13,
      lineHeight: 1.15,
      theme: THEME,
      rightClickSelectsWord: true,
    })
    this.term.loadAddon(this.fit)
    this.term.attachCustomKeyEventHandler((e) => this.onKeyEvent(e))
    this.term.onData((data) => this.input(data))
  }

  get netns(): string {
    return this.stack[this.stack.length - 1]
  }

  get running(): boolean {
    return this.busy === 'run'
  }

  /** Opens the screen in the (detached) element; done once, when first shown. */
  open(): void {
    if (this.term.element) return
    this.term.open(this.element)
    this.resize()
    this.showPrompt()
  }

  /** Fits the screen to its element; the line being edited reflows with it. */
  resize(): void {
    if (!this.term.element || this.element.clientWidth === 0) return
    const before = this.term.cols
    this.fit.fit()
    if (this.term.cols !== before && this.busy !== 'run') this.drawn = drawnAt(this.image(), this.term.cols)
  }

  focus(): void {
    this.term.focus()
  }

  dispose(): void {
    this.disposed = true
    this.term.dispose()
    this.element.remove()
  }

  /** Terminal input: keys, pastes (each line ends in a carriage return, so it runs). */
  input(data: string): void {
    const keys = splitKeys(data)
    for (const k of keys) {
      if (this.busy === 'run' && k === '\x03') {
        // SIGINT: throws away what was typed ahead. The lab echoes ^C into the line's output
        // stream, after what the command printed before the signal (a reply already on its way
        // here would otherwise land after the ^C and before the statistics).
        this.queue = []
        this.opts.host.interrupt()
        continue
      }
      this.queue.push(k)
    }
    this.pump()
  }

  /** Handles queued keys until one starts something that takes time. */
  private pump(): void {
    while (this.busy === null && this.queue.length > 0 && !this.disposed) this.key(this.queue.shift()!)
  }

  private key(k: string): void {
    if (this.asking) {
      this.answerQuery(k)
      return
    }
    this.act(this.editor.key(k))
  }

  private act(a: EditorAction): void {
    switch (a.type) {
      case 'edit':
        this.draw()
        return
      case 'bell':
        this.term.write('\x07')
        return
      case 'clear-screen':
        // Ctrl+L: the prompt and line at the top of a cleared screen; scrollback stays.
        this.term.write('\x1b[H\x1b[2J')
        this.drawn = NOTHING_DRAWN
        this.draw()
        return
      case 'interrupt':
        this.draw()
        this.term.write('^C' + leaveLine(this.drawn))
        this.editor.reset()
        this.showPrompt()
        return
      case 'eof':
        // bash prints "exit" on Ctrl+D, then leaves.
        this.term.write('exit\r\n')
        if (this.leave()) this.showPrompt()
        return
      case 'complete':
        void this.complete(a.repeat)
        return
      case 'submit':
        void this.submit(a.line)
        return
    }
  }

  private image(): { prompt: string; text: string; cursor: number } {
    const v = this.editor.view()
    return { prompt: v.prompt ?? this.opts.prompt(this.netns), text: v.text, cursor: v.cursor }
  }

  private draw(): void {
    const r = redraw(this.drawn, this.image(), this.term.cols)
    this.drawn = r.drawn
    this.term.write(r.out)
  }

  private showPrompt(): void {
    this.drawn = NOTHING_DRAWN
    this.draw()
  }

  private async submit(line: string): Promise<void> {
    // The line as entered stays on screen, after the shell's prompt (also when it came from a
    // Ctrl+R search); output starts below it.
    const r = redraw(this.drawn, { prompt: this.opts.prompt(this.netns), text: line, cursor: line.length }, this.term.cols)
    this.term.write(r.out + leaveLine(r.drawn))
    this.drawn = NOTHING_DRAWN
    if (line.trim() !== '') this.opts.history.add(line)
    if (line.trim() === '') {
      this.showPrompt()
      return
    }
    this.busy = 'run'
    this.opts.onRunning?.(true)
    const write = (text: string): void => {
      if (text !== '' && !this.disposed) this.term.write(text)
    }
    let outcome: RunOutcome
    try {
      outcome = await this.opts.host.run(line, this.netns, write)
    } catch (e) {
      write(`podnet: ${e instanceof Error ? e.message : ((e as { message?: string }).message ?? String(e))}\n`)
      outcome = { exitCode: 1 }
    }
    if (this.disposed) return
    // bash would print its prompt right after output that ends mid-row; starting the prompt on
    // a fresh row keeps the line editor's rows right (`clear` ends at the top-left corner).
    await new Promise<void>((resolve) => this.term.write('', resolve))
    if (this.disposed) return
    if (this.term.buffer.active.cursorX !== 0) this.term.write('\r\n')
    this.busy = null
    this.opts.onRunning?.(false)
    if (outcome.shell?.type === 'enter') {
      this.stack.push(outcome.shell.netns)
      this.opts.onNetns?.(this.netns)
    } else if (outcome.shell?.type === 'exit') {
      if (!this.leave()) return
    }
    this.showPrompt()
    this.pump()
  }

  /** Leaves the innermost shell; false when it was the terminal's own (the tab closes). */
  private leave(): boolean {
    if (this.stack.length > 1) {
      this.stack.pop()
      this.opts.onNetns?.(this.netns)
      return true
    }
    this.queue = []
    this.opts.onExit?.()
    return false
  }

  private async complete(repeat: boolean): Promise<void> {
    const line = this.editor.buffer
    const cursor = this.editor.cursor
    this.busy = 'complete'
    let reply: CompletionView | null
    try {
      reply = await this.opts.host.complete(line, cursor, this.netns)
    } catch {
      reply = null
    }
    this.busy = null
    if (this.disposed) return
    // The line changed meanwhile (it cannot: keys wait in the queue), or nothing to offer.
    if (!reply || reply.candidates.length === 0 || this.editor.buffer !== line) {
      this.term.write('\x07')
      this.pump()
      return
    }
    const word = line.slice(reply.from, cursor)
    const unique = new Set(reply.candidates)
    if (unique.size === 1) {
      const only = reply.candidates[0]
      this.editor.replace(reply.from, cursor, only + (reply.noSpace ? '' : ' '))
      this.draw()
    } else {
      const prefix = commonPrefix(reply.candidates)
      if (prefix.length > word.length) {
        this.editor.replace(reply.from, cursor, prefix)
        this.draw()
      } else if (repeat) this.list([...unique])
      else this.term.write('\x07')
    }
    this.pump()
  }

  /** The second Tab: the candidates below the line, then the prompt and line again. */
  private list(words: string[]): void {
    this.term.write(leaveLine(this.drawn))
    if (words.length >= QUERY_ITEMS) {
      this.term.write(`Display all ${words.length} possibilities? (y or n)`)
      this.asking = words
      return
    }
    this.printList(words)
  }

  private printList(words: string[]): void {
    this.term.write(formatMatches(words, this.term.cols).join('\r\n') + '\r\n')
    this.showPrompt()
  }

  private answerQuery(k: string): void {
    const words = this.asking!
    if (k === 'y' || k === 'Y' || k === ' ') {
      this.asking = null
      this.term.write('\r\n')
      this.printList(words)
    } else if (k === 'n' || k === 'N' || k === '\x7f' || k === '\x03' || k === '\x07') {
      this.asking = null
      this.term.write('\r\n')
      this.showPrompt()
    } else this.term.write('\x07')
  }

  /**
   * Keys the terminal should not turn into input: Ctrl+C copies when text is selected (else it
   * is SIGINT), Ctrl+Shift+C copies, Ctrl(+Shift)+V lets the browser paste, Esc then Tab moves
   * the focus out of the terminal.
   */
  private onKeyEvent(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown') return true
    const k = e.key.toLowerCase()
    if (e.key === 'Tab' && this.escaped) {
      this.escaped = false
      return false
    }
    this.escaped = e.key === 'Escape'
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      if (k === 'c' && (e.shiftKey || this.term.hasSelection())) {
        const text = this.term.getSelection()
        if (text) void navigator.clipboard?.writeText(text).catch(() => undefined)
        e.preventDefault()
        return false
      }
      if (k === 'v') return false
    }
    return true
  }
}
