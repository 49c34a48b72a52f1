import { formatMessage } from '../../shared/messages/index.ts'
import type { Problem } from '../../shared/messages/problem.ts'
import type { LabFormatError } from '../lab/format.ts'
import type { LabBuildError } from '../lab/lab.ts'
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
