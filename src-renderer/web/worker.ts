/// <reference lib="webworker" />
// The browser build's lab: the same handler table as the desktop app's main process, answering
// { id, channel, payload } messages with { id, reply } in the order they came. Like the desktop
// shell's recovery file, it reports the unsaved lab text after every change ({ recovery }), and
// a { restore } message reopens such a text as unsaved. Exercise progress goes the same way:
// { progress } loads what the page kept, and the Worker posts { progress } whenever it changed.
import { CHANNELS } from '../../shared/api.ts'
import { MUTATING_CHANNELS } from '../../shared/api.ts'
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'
import { realTimeIo } from '../../src-main/ipc/live-host.ts'
import type { WorkerMessage, WorkerRequest } from './client.ts'
import { PROGRESS_EVERY_MS } from '../../src-main/host/protocol.ts'

const scope = self as unknown as DedicatedWorkerGlobalScope
const service = new LabService('same-node')
/** Set by the page to cancel the request under way (see client.ts); none where memory cannot be shared. */
let cancelFlag: Int32Array | null = null
let lastProgress = -Infinity
// Terminal lines that take simulated time run on this Worker's timers; what they print, and
// their ends (after which the unsaved lab text may have changed), go to the page.
const handlers = createHandlers(service, {
  ...realTimeIo((e) => {
    scope.postMessage({ terminal: e } satisfies WorkerMessage)
    if (e.type === 'done') scope.postMessage({ recovery: service.dirty ? service.text() : null } satisfies WorkerMessage)
  }),
  work: {
    signal: {
      get cancelled() {
        return cancelFlag !== null && Atomics.load(cancelFlag, 0) === 1
      },
    },
    progress: (p) => {
      const now = performance.now()
      if (p.done !== p.total && now - lastProgress < PROGRESS_EVERY_MS) return
      lastProgress = now
      scope.postMessage({ work: p } satisfies WorkerMessage)
    },
  },
})
let queue: Promise<void> = Promise.resolve()

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data
  queue = queue.then(async () => {
    if ('cancelFlag' in msg) {
      cancelFlag = new Int32Array(msg.cancelFlag)
      return
    }
    if ('progress' in msg) {
      service.exercises.progress.load(msg.progress)
      return
    }
    if ('restore' in msg) {
      const reply = await dispatch(handlers, CHANNELS.openLab, { text: msg.restore, name: 'the recovered lab' })
      // What was restored has never been saved; a text that no longer opens is dropped.
      if (reply.ok) service.markDirty()
      scope.postMessage({ recovery: reply.ok ? msg.restore : null })
      return
    }
    lastProgress = -Infinity
    const reply = await dispatch(handlers, msg.channel, msg.payload)
    // A cancel asked for this request is spent with it.
    if (cancelFlag) Atomics.store(cancelFlag, 0, 0)
    scope.postMessage({ id: msg.id, reply })
    if (MUTATING_CHANNELS.has(msg.channel)) scope.postMessage({ recovery: service.dirty ? service.text() : null })
    const progress = service.exercises.take(service.session)
    if (progress !== null) scope.postMessage({ progress })
  })
}
