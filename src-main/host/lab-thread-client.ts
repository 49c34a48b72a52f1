import { Worker } from 'node:worker_threads'
import type { ApiReply, TerminalEvent, WorkProgress } from '../../shared/api.ts'
import type { ShellOp, ThreadData, ThreadMessage, ThreadRequest, ThreadStatus } from './protocol.ts'

/** One answer of the lab thread: the reply the page gets, and what the shell needs to know. */
export interface ThreadAnswer {
  reply: ApiReply
  status: ThreadStatus
}

/**
 * The main process's side of the lab thread (lab-thread.ts, built next to the shell's own
 * bundle): requests go in order and come back with the lab's status; terminal events and the
 * progress of long work are passed to listeners as they come; cancel() stops the request being
 * worked on (building, opening, replaying) between two commands or events of the engine.
 */
export class LabThread {
  private readonly worker: Worker
  private readonly flag = new Int32Array(new SharedArrayBuffer(4))
  private next = 1
  private readonly pending = new Map<number, { resolve: (a: ThreadAnswer) => void; reject: (e: Error) => void }>()
  private readonly listeners = { terminal: new Set<(e: TerminalEvent) => void>(), work: new Set<(p: WorkProgress) => void>() }
  /** The status of the latest answer (the shell's title and recovery file follow it). */
  status: ThreadStatus = { dirty: false, name: '', lastTraceId: null }

  constructor(entry: string | URL, initial: string | null = 'same-node') {
    this.worker = new Worker(entry, { workerData: { cancel: this.flag.buffer as SharedArrayBuffer, initial } satisfies ThreadData })
    this.worker.on('message', (m: ThreadMessage) => {
      if ('terminal' in m) {
        if (m.status) this.status = m.status
        for (const l of this.listeners.terminal) l(m.terminal)
      }
      else if ('work' in m) for (const l of this.listeners.work) l(m.work)
      else {
        const p = this.pending.get(m.id)
        this.pending.delete(m.id)
        this.status = m.status
        p?.resolve({ reply: m.reply, status: m.status })
      }
    })
    const fail = (e: Error): void => {
      // A thread that died answers nothing more: fail what waits instead of hanging.
      for (const p of this.pending.values()) p.reject(e)
      this.pending.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => fail(new Error(`the lab thread stopped (exit code ${code})`)))
  }

  /** Whether a request is being worked on or waits. */
  get busy(): boolean {
    return this.pending.size > 0
  }

  call(channel: string, payload: unknown): Promise<ThreadAnswer> {
    return new Promise((resolve, reject) => {
      const id = this.next++
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, channel, payload } satisfies ThreadRequest)
    })
  }

  private shell(op: ShellOp): Promise<ThreadAnswer> {
    return new Promise((resolve, reject) => {
      const id = this.next++
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, shell: op } satisfies ThreadRequest)
    })
  }

  /** Tells the lab where it lives on disk (a path the shell chose). */
  async setPath(path: string | undefined): Promise<void> {
    await this.shell({ setPath: path })
  }

  /** Marks the lab as holding unsaved work. */
  async markDirty(): Promise<void> {
    await this.shell({ markDirty: true })
  }

  /** The lab's file text as it stands. */
  async text(): Promise<string> {
    const a = await this.shell({ text: true })
    return a.reply.ok ? (a.reply.value as string) : ''
  }

  /** Loads the learner's kept exercise progress; false when the text is not progress. */
  async loadProgress(text: string): Promise<boolean> {
    const a = await this.shell({ loadProgress: text })
    return a.reply.ok && a.reply.value === true
  }

  /**
   * Stops the request being worked on, and any sent before this call that still waits; false
   * when there is none. Long work so stopped answers with code 'cancelled'.
   */
  cancel(): boolean {
    if (!this.busy) return false
    Atomics.store(this.flag, 0, this.next - 1)
    return true
  }

  onTerminal(l: (e: TerminalEvent) => void): () => void {
    this.listeners.terminal.add(l)
    return () => this.listeners.terminal.delete(l)
  }

  onWork(l: (p: WorkProgress) => void): () => void {
    this.listeners.work.add(l)
    return () => this.listeners.work.delete(l)
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }
}
