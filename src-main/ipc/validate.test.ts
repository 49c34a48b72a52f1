import { describe, expect, it } from 'vitest'
import { formatMessage } from '../../shared/messages/index.ts'
import { probeFields } from './probe-fields.ts'
import { ApiFailure, bool, describeValue, ifnameField, int, nameField, object, oneOf, str, type Check } from './validate.ts'

/*
 * The payload checks refuse by message key: `ApiError.message` keeps the English it always had
 * (the CLI, logs and tests read it), and a view words the same refusal in the learner's language.
 */

function failure(check: Check<unknown>, v: unknown, path = 'field'): ApiFailure {
  try {
    check(v, path)
  } catch (e) {
    if (e instanceof ApiFailure) return e
    throw e
  }
  throw new Error(`${JSON.stringify(v)} passed`)
}

const CASES: [string, Check<unknown>, unknown, string][] = [
  ['text of the wrong type', str(), 5, 'field: must be text, not number 5'],
  ['empty text', str({ min: 1 }), '', 'field: must not be empty'],
  ['short text', str({ min: 3 }), 'ab', 'field: must have at least 3 characters'],
  ['long text', str({ max: 2 }), 'abc', 'field: must be at most 2 characters long (got 3)'],
  ['two lines', str({ singleLine: true }), 'a\nb', 'field: must be a single line'],
  ['a pattern without words', str({ pattern: /^a$/ }), 'b', 'field: must be text matching /^a$/, not "b"'],
  ['a destination with a blank', probeFields.to, 'pod 4', 'field: must be a pod, namespace or IPv4 address, not "pod 4"'],
  ['a long value', probeFields.to, 'x'.repeat(64), 'field: must be at most 63 characters long (got 64)'],
  ['a long wrong value', str({ pattern: /^a$/, what: 'request.what.route' }), 'y'.repeat(50), `field: must be a route such as "10.244.2.0/24 via 192.168.0.12 dev eth0", not "${'y'.repeat(40)}…"`],
  ['a node name', nameField('node'), 'Node_1', `field: must be a node name (lowercase letters, digits and '-', 1-15 characters), not "Node_1"`],
  ['a pod name', nameField('pod'), null, `field: must be a pod name (lowercase letters, digits and '-', 1-15 characters), not null`],
  ['an interface name', ifnameField, 'eth 0', 'field: must be an interface name (1-15 characters, no blanks), not "eth 0"'],
  ['a number out of range', int(68, 65535), 70000, 'field: must be a whole number from 68 to 65535, not number 70000'],
  ['a fraction', int(1, 10), 1.5, 'field: must be a whole number from 1 to 10, not number 1.5'],
  ['no number', int(1, 10), undefined, 'field: must be a whole number from 1 to 10, not nothing'],
  ['a yes for a boolean', bool, 'yes', 'field: must be true or false, not "yes"'],
  ['a list for a boolean', bool, [], 'field: must be true or false, not a list'],
  ['none of the choices', oneOf(['icmp', 'udp']), 'tcp', 'field: must be one of icmp, udp, not "tcp"'],
  ['an object for a choice', oneOf(['icmp', 'udp']), {}, 'field: must be one of icmp, udp, not an object'],
  ['a list for an object', object({ a: bool }), [1], 'field: must be an object, not a list'],
  ['an unknown field', object({ a: bool, b: bool }), { a: true, b: true, c: 1 }, 'field.c: unknown field (expected a, b)'],
  ['any field where none is taken', object({}), { c: 1 }, 'field.c: unknown field (expected no fields)'],
  ['a missing field', object({ a: bool }), {}, 'field.a: is required'],
  ['a boolean for a number', int(0, 1), true, 'field: must be a whole number from 0 to 1, not boolean true'],
]

describe('payload checks', () => {
  for (const [name, check, value, english] of CASES) {
    it(`${name}: the English as before, and a key the views word in Japanese`, () => {
      const f = failure(check, value)
      expect(f.message).toBe(english)
      expect(f.code).toBe('invalid-request')
      const e = f.toApiError()
      expect(e.msg).toMatch(/^request\./)
      // The view's words: the message without its path, in either language.
      expect(`${e.path}: ${formatMessage(e.msg!, e.params, 'en')}`).toBe(english)
      const ja = formatMessage(e.msg!, e.params, 'ja')
      expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
      expect(ja).not.toMatch(/[{}]|request\.|\bmust\b|\bnot\b|\bnumber\b|\bnothing\b/)
    })
  }

  it('names a value as the refusals do', () => {
    expect(describeValue(undefined)).toBe('nothing')
    expect(describeValue('a')).toBe('"a"')
    expect(describeValue(12)).toBe('number 12')
    expect(describeValue(10n)).toBe('bigint 10')
  })
})
