/// <reference lib="webworker" />
// The browser build's lab: the same handler table as the desktop app's main process, answering
// { id, channel, payload } messages with { id, reply } in the order they came.
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'

const handlers = createHandlers(new LabService('same-node'))
const scope = self as unknown as DedicatedWorkerGlobalScope
let queue: Promise<void> = Promise.resolve()

scope.onmessage = (e: MessageEvent<{ id: number; channel: string; payload: unknown }>) => {
  const { id, channel, payload } = e.data
  queue = queue.then(async () => {
    const reply = await dispatch(handlers, channel, payload)
    scope.postMessage({ id, reply })
  })
}
