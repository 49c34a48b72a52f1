import { int, netnsField, oneOf, optional, str } from './validate.ts'

/**
 * The fields of one probe, as a trace and a comparison ask for it: who sends to whom, ICMP or UDP
 * with its ports, and the packet size. One definition, so both channels refuse the same things.
 */
export const probeFields = {
  from: netnsField,
  to: str({ min: 1, max: 63, pattern: /^[A-Za-z0-9_.-]+$/, what: 'request.what.destination' }),
  proto: optional(oneOf(['icmp', 'udp'] as const)),
  port: optional(int(1, 65535)),
  sport: optional(int(1, 65535)),
  size: optional(int(0, 65507)),
}

/** The language a reply's texts are worded in. */
export const langField = optional(oneOf(['en', 'ja'] as const))
