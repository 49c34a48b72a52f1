import type { LabFormatError } from '../lab/format.ts'
import { ApiFailure } from './validate.ts'

/**
 * A lab file's problem as the page gets it: the English message, the field path, and (where the
 * loader words it by key) the message key with the problem's parameters and where it is (atFile,
 * atLine, atCol, atPath), so the page words it in the learner's language.
 */
export function labFormatFailure(e: LabFormatError, path: string | undefined = e.path || undefined): ApiFailure {
  const r = e.located()
  const reason = r ? { msg: r.msg, params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, String(v)])) } : undefined
  return new ApiFailure('lab-format', e.message, path, reason)
}
