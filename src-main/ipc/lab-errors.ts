import { formatMessage } from '../../shared/messages/index.ts'
import type { Problem } from '../../shared/messages/problem.ts'
import { WorkCancelled } from '../engine/kernel/work.ts'
import { ExportError } from '../lab/export-iproute2.ts'
import { LabFormatError } from '../lab/format.ts'
import { LabBuildError } from '../lab/lab.ts'
import type { LabSession } from '../lab/session.ts'
import type { LabService } from './handlers.ts'
import { ApiFailure } from './validate.ts'
import type { ApiError } from '../../shared/api.ts'

/** A problem's parameters as they cross the IPC boundary (text only). */
function textParams(params: Problem['params']): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
}

/**
 * A lab file's problem as the page gets it: the English message, the field path, and (where the
 * loader words it by key) the message key with the problem's parameters and where it is (atFile,
 * atLine, atCol, atPath), so the page words it in the learner's language.
 */
export function labFormatFailure(e: LabFormatError, path: string | undefined = e.path || undefined): ApiFailure {
  const r = e.located()
  const reason = r ? { msg: r.msg, params: textParams(r.params) } : undefined
  return new ApiFailure('lab-format', e.message, path, reason)
}

/** A lab that cannot be built, as the page gets it: the English message, and the key with its parameters and where it is. */
export function labBuildFailure(e: LabBuildError, path: string = e.path): ApiFailure {
  const r = e.located()
  return new ApiFailure('lab-build', e.message, path, { msg: r.msg, params: textParams(r.params) })
}

/** A refusal worded by key (a cluster's check, a layout's): `${path}: ${the English text}`, and the key for views. */
export function problemFailure(code: ApiError['code'], path: string, p: Problem): ApiFailure {
  return new ApiFailure(code, `${path}: ${formatMessage(p.msg, p.params, 'en')}`, path, { msg: p.msg, params: textParams(p.params) })
}

/** A lab that could not be made or exported, or whose making was cancelled, as the reply the page gets. */
export function buildError(e: unknown): never {
  if (e instanceof LabFormatError) throw labFormatFailure(e)
  if (e instanceof LabBuildError) throw labBuildFailure(e)
  if (e instanceof ExportError) throw new ApiFailure('lab-build', `cannot export the lab: ${e.message}`, e.path)
  if (e instanceof WorkCancelled) throw new ApiFailure('cancelled', 'cancelled: the lab that was open stays open')
  throw e
}

/**
 * Opens the session `make()` builds as the lab (New, Open, an exercise): a failed or cancelled
 * build leaves the open lab as it was; otherwise the live terminal lines of the old lab end
 * (`abandon`, with why) and the new session takes its place.
 */
export function replaceLab(service: LabService, abandon: (why: string) => void, why: string, make: () => LabSession): void {
  let session: LabSession
  try {
    session = make()
  } catch (e) {
    buildError(e)
  }
  abandon(why)
  service.replace(session, undefined)
}
