import { describe, expect, it } from 'vitest'
import { translate } from './index.ts'

describe('translate', () => {
  it('fills parameters and picks singular or plural words', () => {
    expect(translate('en', 'panel.counts', { nodes: 1, pods: 2, namespaces: 4 })).toBe('1 node, 2 pods, 4 namespaces')
    expect(translate('en', 'panel.counts', { nodes: 3, pods: 1, namespaces: 1 })).toBe('3 nodes, 1 pod, 1 namespace')
    expect(translate('ja', 'panel.counts', { nodes: 1, pods: 2, namespaces: 4 })).not.toMatch(/[{}]/)
  })
})
