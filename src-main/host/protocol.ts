import type { ApiReply, TerminalEvent, WorkProgress } from '../../shared/api.ts'

/** What the desktop shell sends the lab thread. */
export type ThreadRequest = { id: number; channel: string; payload: unknown } | { id: number; shell: ShellOp }

/**
 * What the shell itself does to the open lab: where it lives on disk (the shell chooses paths; the
 * lab shows it in LabState.path), that it holds unsaved work (a restored recovery file, a failed
 * write), asks for its file text, or loads the learner's kept exercise progress. Answered like a
 * request: with the text, with whether the progress could be read, or with null.
 */
export type ShellOp = { setPath: string | undefined } | { markDirty: true } | { text: true } | { loadProgress: string }

/** What the lab needs told to the shell after each request (title, recovery file, exercise progress). */
export interface ThreadStatus {
  dirty: boolean
  /** The lab's name (metadata.name). */
  name: string
  /** The lab file text while it is unsaved and the request may have changed it; null when clean. */
  recovery?: string | null
  /** The learner's exercise progress, when it changed. */
  progress?: string
  /** The latest trace, for File > Export capture. */
  lastTraceId: number | null
}

/**
 * What the lab thread sends the shell: an answer with the lab's status (a big lab state's tunnels
 * packed in it, shared/tunnels.ts, passed on to the window as they are), terminal events,
 * progress of long work.
 */
export type ThreadMessage = { id: number; reply: ApiReply; status: ThreadStatus } | { terminal: TerminalEvent; status?: ThreadStatus } | { work: WorkProgress }

/** What the thread is started with: the shared word of its cancels (ipc/work-host.ts), and the first lab. */
export interface ThreadData {
  cancel: SharedArrayBuffer
  initial: string | null
}
