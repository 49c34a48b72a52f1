import { describe, expect, it } from 'vitest'
import { prettyJson } from './json-out.ts'

describe('iproute2 pretty JSON', () => {
  it('lays out objects, nested arrays and empty arrays as json_writer does', () => {
    // Printed by `ip -j -p route show table local` and `ip -j -p addr show lo` (iproute2 6.1).
    expect(prettyJson([{ type: 'local', dst: '10.14.0.1', flags: [] }, { dst: '127.0.0.1', flags: ['linkdown'] }])).toBe(
      '[ {\n        "type": "local",\n        "dst": "10.14.0.1",\n        "flags": [ ]\n    },{\n        "dst": "127.0.0.1",\n        "flags": [ "linkdown" ]\n    } ]',
    )
    expect(prettyJson([{ flags: ['LOOPBACK', 'UP'], addr_info: [{ family: 'inet' }, { family: 'inet6' }] }])).toBe(
      '[ {\n        "flags": [ "LOOPBACK","UP" ],\n        "addr_info": [ {\n                "family": "inet"\n            },{\n                "family": "inet6"\n            } ]\n    } ]',
    )
    expect(prettyJson([])).toBe('[ ]')
  })
})
