import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {})
  return { code, out, err }
}

const dir = mkdtempSync(join(tmpdir(), 'podnet-compare-'))
const file = (name: string): string => join(dir, name)

describe('podnet compare', () => {
  it('compares two lab files side by side, and two modes of one lab, leaving the files as they were', async () => {
    await cli('new', 'routed', '-o', file('routed.yaml'))
    await cli('new', 'flannel-vxlan', '-o', file('vxlan.yaml'))
    const before = readFileSync(file('routed.yaml'), 'utf8')
    const two = await cli('compare', file('routed.yaml'), file('vxlan.yaml'), '--from', 'pod1', '--to', 'pod4')
    expect(two.code).toBe(0)
    expect(two.out.split('\n')[0]).toBe('Compare pod1 → pod4, ICMP echo')
    expect(two.out).toMatch(/Path MTU \(largest DF\) +1500 +1450/)
    expect(two.out).toMatch(/Largest frame on a wire +98 bytes +148 bytes \(\+50\)/)
    expect(two.out).toMatch(/node1 flannel\.1 encap 134 B/)
    const modes = await cli('compare', file('routed.yaml'), '--modes', 'routes,flannel-vxlan', '--from', 'pod1', '--to', 'pod4', '--json')
    expect(modes.code).toBe(0)
    const c = JSON.parse(modes.out)
    expect(c.sides.map((s: { label: string; pathMtu: number }) => [s.label, s.pathMtu])).toEqual([['routes', 1500], ['flannel-vxlan', 1450]])
    expect(c.sides[1].wireBytes - c.sides[0].wireBytes).toBe(50)
    // host-gw needs the nodes on one segment: here they are, so it works like routes.
    const hostgw = await cli('compare', file('vxlan.yaml'), '--modes', 'flannel-vxlan,flannel-host-gw', '--from', 'pod1', '--to', 'pod4', '--lang', 'ja')
    expect(hostgw.code).toBe(0)
    expect(hostgw.out).toMatch(/経路 MTU（DF で通る最大） +1450 +1450/)
    expect(readFileSync(file('routed.yaml'), 'utf8')).toBe(before)
  })

  it('says what is wrong with its arguments and exits 2, or 1 when a side does not deliver', async () => {
    expect(await cli('compare', file('routed.yaml'), '--from', 'pod1', '--to', 'pod4')).toMatchObject({ code: 2, err: expect.stringContaining('give two lab files, or one with --modes M1,M2') })
    expect(await cli('compare', file('routed.yaml'), '--modes', 'routes,vxlan', '--from', 'pod1', '--to', 'pod4')).toMatchObject({ code: 2, err: expect.stringContaining('(not "vxlan")') })
    expect(await cli('compare', file('routed.yaml'), file('vxlan.yaml'), '--modes', 'routes,flannel-vxlan', '--from', 'pod1', '--to', 'pod4')).toMatchObject({ code: 2 })
    expect(await cli('compare', file('routed.yaml'), file('vxlan.yaml'), '--from', 'pod1', '--to', 'pod9')).toMatchObject({ code: 1, err: expect.stringContaining('no pod or namespace named "pod9"') })
    await cli('new', 'host-gw-behind-router', '-o', file('hgw.yaml'))
    const r = await cli('compare', file('hgw.yaml'), '--modes', 'flannel-host-gw,flannel-vxlan', '--from', 'pod1', '--to', 'pod4')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/Path MTU \(largest DF\) +- +1450/)
  })
})
