import { describe, expect, it } from 'vitest'
import { formatMessage } from '../../shared/messages/index.ts'
import { serializeLab } from '../lab/format.ts'
import { scenarioLab } from '../lab/session.ts'
import { createHandlers, LabService } from './handlers.ts'

const good = serializeLab(scenarioLab('routed'))

/** The error the page gets for opening `text`. */
async function openError(text: string): Promise<{ code: string; message: string; msg?: string; params?: Record<string, string> }> {
  const h = createHandlers(new LabService('routed'))
  try {
    await h.openLab({ text, name: '/home/me/broken.podnet' })
  } catch (e) {
    return (e as { toApiError(): { code: string; message: string } }).toApiError()
  }
  throw new Error('the lab opened')
}

describe('a malformed lab file, worded in either language', () => {
  it('an unknown field: the key, the field, and where it is (file, line, column, path)', async () => {
    const e = await openError(good.replace(/^spec:\n/m, 'spec:\n  colour: red\n'))
    expect(e.code).toBe('lab-format')
    expect(e.msg).toBe('labfile.unknown_spec')
    expect(e.message).toMatch(/^broken\.podnet:\d+:3: spec\.colour: unknown field "colour" \(spec has seed, cluster, setup, commands and clock\)$/)
    const line = Number(/:(\d+):3:/.exec(e.message)![1])
    expect(e.params).toMatchObject({ field: 'colour', atFile: 'broken.podnet', atLine: String(line), atCol: '3', atPath: 'spec.colour' })
    expect(formatMessage('labfile.at', e.params, 'ja')).toBe(`broken.podnet の ${line} 行 3 列`)
    expect(formatMessage(e.msg!, e.params, 'ja')).toBe('「colour」は不明なフィールドです（spec に書けるのは seed・cluster・setup・commands・clock）')
  })

  it('YAML the reader refuses, a wrong kind, a number out of range: each has a key and a Japanese text', async () => {
    const cases: [string, string][] = [
      [good.replace(/^kind: Lab$/m, 'kind: Lob'), 'labfile.kind'],
      [good.replace(/^ {2}seed: \d+$/m, '  seed: -1'), 'labfile.whole_number'],
      [good.replace(/^metadata:\n/m, 'metadata: &m\n') + 'x: *m\n', 'labfile.alias'],
      [good + 'spec: again\n', 'labfile.not_yaml'],
      ['[1, 2]\n', 'labfile.not_lab'],
    ]
    for (const [text, key] of cases) {
      const e = await openError(text)
      expect(e.msg, text).toBe(key)
      expect(e.params?.atLine).toMatch(/^\d+$/)
      expect(formatMessage(key, e.params, 'ja')).toMatch(/[ぁ-んァ-ン]/)
      expect(formatMessage(key, e.params, 'ja')).not.toContain('{')
    }
  })
})

describe('a lab that cannot be built, worded in either language', () => {
  it('two nodes with one address: the English text as before, the key, its parameters and where it is', async () => {
    const text = good.replace(/^( +)- name: node2\n/m, '$1- name: node2\n$1  ip: 192.168.0.11\n')
    expect(text).not.toBe(good)
    const e = await openError(text)
    expect(e.code).toBe('lab-build')
    expect(e.msg).toBe('build.ip_taken')
    expect(e.message).toMatch(/^broken\.podnet:\d+:\d+: spec\.cluster\.nodes\[1\]\.ip: 192\.168\.0\.11 is already used by node1$/)
    expect(e.params).toMatchObject({ ip: '192.168.0.11', node: 'node1', atFile: 'broken.podnet', atPath: 'spec.cluster.nodes[1].ip' })
    expect(e.params?.atLine).toMatch(/^\d+$/)
    expect(formatMessage(e.msg!, e.params, 'ja')).toBe('192.168.0.11 はすでに node1 が使っています')
  })

  it('a pod CIDR outside the cluster CIDR, and a new lab too big for its pod CIDRs: keyed, and English unchanged', async () => {
    const outside = good.replace(/^( +)- name: node1\n/m, '$1- name: node1\n$1  podCidr: 10.9.0.0/24\n')
    const e = await openError(outside)
    expect(e.msg).toBe('build.pod_cidr_outside')
    expect(e.message).toMatch(/spec\.cluster\.nodes\[0\]\.podCidr: 10\.9\.0\.0\/24 is not inside the cluster CIDR 10\.244\.0\.0\/16$/)
    expect(formatMessage(e.msg!, e.params, 'ja')).toBe('10.9.0.0/24 はクラスター CIDR 10.244.0.0/16 の範囲外です')
  })
})
