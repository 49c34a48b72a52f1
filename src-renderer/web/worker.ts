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
import { WorkReporter } from '../../src-main/ipc/work-host.ts'
import { replyMessage, type WorkerMessage, type WorkerRequest } from './client.ts'
import { timed, timedAsync } from '../lib/timing.ts'

const scope = self as unknown as DedicatedWorkerGlobalScope
const service = new LabService('same-node')
// A whole state goes out before the view works out what the next delta compares against: that
// is done right after the reply is posted, while the page reads it (settleView below).
service.settleAfterPost = true
// Progress of long work goes to the page; the page cancels through a word of memory it shares
// with this Worker ({ cancelFlag }, see client.ts), where it can share memory.
const work = new WorkReporter(null, (p) => scope.postMessage({ work: p } satisfies WorkerMessage))
// Terminal lines that take simulated time run on this Worker's timers; what they print, and
// their ends (after which the unsaved lab text may have changed), go to the page.
const handlers = createHandlers(service, {
  ...realTimeIo((e) => {
    scope.postMessage({ terminal: e } satisfies WorkerMessage)
    if (e.type === 'done') scope.postMessage({ recovery: service.dirty ? service.text() : null } satisfies WorkerMessage)
  }),
  work: work.options,
})
let queue: Promise<void> = Promise.resolve()

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data
  queue = queue.then(async () => {
    if ('cancelFlag' in msg) {
      work.flag = new Int32Array(msg.cancelFlag)
      return
    }
    if ('progress' in msg) {
      service.exercises.progress.load(msg.progress)
      return
    }
    if ('restore' in msg) {
      // Never cancelled (id 0): a cancelled restore would drop the work it recovers.
      const reply = await work.run(0, () => dispatch(handlers, CHANNELS.openLab, { text: msg.restore, name: 'the recovered lab' }))
      // What was restored has never been saved; a text that no longer opens is dropped.
      if (reply.ok) service.markDirty()
      scope.postMessage({ recovery: reply.ok ? msg.restore : null })
      service.settleView()
      return
    }
    const reply = await timedAsync('worker:request', () => work.run(msg.id, () => dispatch(handlers, msg.channel, msg.payload)))
    // Posting copies the reply (a big lab's state: tens of megabytes, less with its tunnels packed).
    timed('worker:send', () => {
      const { message, transfer } = replyMessage(msg.id, reply)
      scope.postMessage(message, transfer)
    })
    timed('worker:settle', () => service.settleView())
    if (MUTATING_CHANNELS.has(msg.channel)) timed('worker:recovery', () => scope.postMessage({ recovery: service.dirty ? service.text() : null }))
    const progress = service.exercises.take(service.session)
    if (progress !== null) scope.postMessage({ progress })
  })
}
