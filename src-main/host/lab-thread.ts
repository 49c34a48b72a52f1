// The desktop app's lab: the handler table in a worker thread of the main process, so a long
// command (building a 1,000-node lab, opening a big file) never freezes the window's menus and
// dialogs, and can be cancelled. Requests are answered in the order they came, each with the
// lab's status the shell needs (title, recovery file, exercise progress). A cancel is a word of
// shared memory the shell sets (ipc/work-host.ts); the engine reads it between commands and events.
import { parentPort, workerData } from 'node:worker_threads'
import { MUTATING_CHANNELS } from '../../shared/api.ts'
import { packReply } from '../../shared/tunnels.ts'
import { createHandlers, dispatch, LabService } from '../ipc/handlers.ts'
import { realTimeIo } from '../ipc/live-host.ts'
import { WorkReporter } from '../ipc/work-host.ts'
import type { ThreadData, ThreadMessage, ThreadRequest, ThreadStatus } from './protocol.ts'

const port = parentPort
if (!port) throw new Error('lab-thread.ts runs as a worker thread')
const data = workerData as ThreadData
const post = (m: ThreadMessage): void => port.postMessage(m)
const work = new WorkReporter(new Int32Array(data.cancel), (p) => post({ work: p }))
const service = new LabService(data.initial)
// What only the next delta needs is worked out right after each reply is posted (settleView).
service.settleAfterPost = true
const handlers = createHandlers(service, {
  // A line that ended may have changed the lab: the shell's title and recovery file follow.
  ...realTimeIo((e) => post(e.type === 'done' ? { terminal: e, status: status(true) } : { terminal: e })),
  work: work.options,
})

function status(mutating: boolean): ThreadStatus {
  const s: ThreadStatus = { dirty: service.dirty, name: service.session.doc.metadata.name, lastTraceId: service.lastTraceId ?? null }
  if (mutating) s.recovery = service.dirty ? service.text() : null
  const progress = service.exercises.take(service.session)
  if (progress !== null) s.progress = progress
  return s
}

let queue: Promise<void> = Promise.resolve()
port.on('message', (msg: ThreadRequest) => {
  queue = queue.then(async () => {
    if ('shell' in msg) {
      const op = msg.shell
      let value: string | boolean | null = null
      if ('setPath' in op) service.path = op.setPath
      else if ('markDirty' in op) service.markDirty()
      else if ('loadProgress' in op) value = service.exercises.progress.load(op.loadProgress)
      else value = service.text()
      post({ id: msg.id, reply: { ok: true, value }, status: status(true) })
      return
    }
    // A big lab state's tunnels cross packed, as in the browser build (shared/tunnels.ts): the
    // main process passes them on to the window as they are, the page unpacks them.
    const { reply, transfer } = packReply(await work.run(msg.id, () => dispatch(handlers, msg.channel, msg.payload)))
    port.postMessage({ id: msg.id, reply, status: status(MUTATING_CHANNELS.has(msg.channel)) } satisfies ThreadMessage, transfer)
    service.settleView()
  })
})
