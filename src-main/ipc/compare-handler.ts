import type { CompareSourceView, CompareView } from '../../shared/api.ts'
import { MAX_LAB_FILE_BYTES } from '../k8s/limits.ts'
import { MODES, SpecError } from '../k8s/spec.ts'
import { CompareWork, compareLabs, type CompareInput } from '../lab/compare.ts'
import { LabFormatError } from '../lab/format.ts'
import { LabBuildError } from '../lab/lab.ts'
import { LabSession } from '../lab/session.ts'
import { TraceRequestError } from '../lab/trace-report.ts'
import { WorkCancelled } from '../engine/kernel/work.ts'
import type { Handlers, LabService } from './handlers.ts'
import { NO_IO, type HostIo } from './live-host.ts'
import { langField, probeFields } from './probe-fields.ts'
import { labBuildFailure, labFormatFailure, problemFailure } from './lab-errors.ts'
import { ApiFailure, refused, invalid, isPlainObject, object, oneOf, optional, str, type Check } from './validate.ts'

/**
 * The Compare view's channel: the same probe on two sides, each a replay (the open lab as it is or
 * moved to another cluster mode, or another lab file's text), so nothing open or saved changes.
 */

const modeSource = object({ mode: optional(oneOf(MODES)) })
const textSource = object({
  text: str({ max: MAX_LAB_FILE_BYTES, what: 'request.what.lab_text' }),
  name: optional(str({ max: 255, min: 1, singleLine: true, what: 'request.what.file_name' })),
})

/** A side: `{}` or `{ mode }` (the open lab), `{ text, name? }` (another lab's file). */
const sourceField: Check<CompareSourceView> = (v, path) => {
  if (!isPlainObject(v)) throw invalid(path, `must be an object ({}, { mode }, or { text, name }), not ${Array.isArray(v) ? 'a list' : typeof v}`)
  // Only the desktop shell answers { file: 'dialog' } (it shows its Open dialog and sends the text); it never reaches here from it.
  if (Object.hasOwn(v, 'file')) throw invalid(`${path}.file`, 'only the desktop app has an Open dialog; send the text of the lab file instead')
  return Object.hasOwn(v, 'text') ? textSource(v, path) : modeSource(v, path)
}

const sidesField: Check<[CompareSourceView, CompareSourceView]> = (v, path) => {
  if (!Array.isArray(v) || v.length !== 2) throw invalid(path, 'must be a list of two sides')
  return [sourceField(v[0], `${path}.0`), sourceField(v[1], `${path}.1`)]
}

const compareReq = object({ ...probeFields, sides: sidesField, lang: langField })

/** A side as a running replay (a step of `work` once made). */
function sideInput(service: LabService, src: CompareSourceView, path: string, work: CompareWork): CompareInput {
  const side = makeSide(service, src, path, work)
  work.step()
  return side
}

function makeSide(service: LabService, src: CompareSourceView, path: string, work: CompareWork): CompareInput {
  if ('text' in src) {
    const file = (src.name ?? 'lab.yaml').split(/[\\/]/).pop() || 'lab.yaml'
    try {
      const s = LabSession.fromText(src.text, file, work.replayWork())
      return { label: file, world: s.world, cluster: s.cluster }
    } catch (e) {
      if (e instanceof LabFormatError) throw labFormatFailure(e, `${path}.text`)
      if (e instanceof LabBuildError) throw labBuildFailure(e, `${path}.text`)
      throw e
    }
  }
  const { world, cluster } = service.session.fork(work.replayWork())
  const mode = 'mode' in src ? src.mode : undefined
  if (mode === undefined) return { label: service.session.doc.metadata.name, world, cluster }
  if (!cluster) throw invalid(`${path}.mode`, 'the open lab has no cluster whose mode could change')
  world.sched.signal = work.signal ?? null
  try {
    if (cluster.mode !== mode) cluster.setMode(mode)
  } catch (e) {
    if (e instanceof SpecError) {
      const f = problemFailure('lab-build', `${path}.mode`, e.reason)
      throw new ApiFailure('lab-build', `${path}.mode: cannot change to ${mode}: ${e.message}`, `${path}.mode`, f.reason)
    }
    throw e
  } finally {
    world.sched.signal = null
  }
  return { label: mode, world, cluster }
}

/**
 * The channel. With the host's `work`, it tells how far the comparison has got (the replays, the
 * walks, each probe of the path-MTU search) and may be stopped: the request then fails with code
 * 'cancelled', and nothing changed, as a comparison never touches the open lab.
 */
export function compareHandler(service: LabService, io: Pick<HostIo, 'work'> = NO_IO): Pick<Handlers, 'compare'> {
  return {
    async compare(payload): Promise<CompareView> {
      const req = compareReq(payload, 'request')
      const work = new CompareWork(io.work)
      try {
        return compareWith(service, req, work)
      } catch (e) {
        if (e instanceof WorkCancelled) throw new ApiFailure('cancelled', 'cancelled: the comparison stopped; the open lab is as it was')
        throw e
      }
    },
  }
}

function compareWith(service: LabService, req: ReturnType<typeof compareReq>, work: CompareWork): CompareView {
  const inputs = req.sides.map((s, i) => sideInput(service, s, `sides.${i}`, work)) as [CompareInput, CompareInput]
  inputs.forEach((s) => {
    if (!s.world.netns(req.from)) throw refused('not-found', 'from', 'request.no_such_ns', { name: req.from })
  })
  const { sides: _s, lang, ...probe } = req
  try {
    return compareLabs(inputs[0], inputs[1], probe, lang ?? 'en', work)
  } catch (e) {
    if (e instanceof TraceRequestError) throw refused('not-found', 'to', e.msg, e.params)
    throw e
  }
}
