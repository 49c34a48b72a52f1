import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { run } from './index.ts'
import { tokenize } from './shell.ts'

describe('the command line', () => {
  it('reads redirections as bash does: N>FILE, &>FILE, N>&M, with or without a space', () => {
    expect(tokenize('ip link show lo 2>/dev/null')).toEqual([{ word: 'ip' }, { word: 'link' }, { word: 'show' }, { word: 'lo' }, { redirect: { fd: 2, to: '/dev/null' } }])
    expect(tokenize('x > /dev/null 2>&1')).toEqual([{ word: 'x' }, { redirect: { fd: 1, to: '/dev/null' } }, { redirect: { fd: 2, to: { dup: 1 } } }])
    expect(tokenize('x &>/dev/null &')).toEqual([{ word: 'x' }, { redirect: { fd: 0, to: '/dev/null' } }, { op: '&' }])
    expect(tokenize('x >')).toBe("syntax error near unexpected token `newline'")
  })

  it('sends each stream where the redirections say, left to right, and refuses real files', () => {
    // Compared with bash on the kernel in test/kernel/fixtures/redirections.sh.
    const w = new World({ seed: 1 })
    run(w, 'ip netns add a')
    expect(run(w, 'ip -n a link show nosuch 2>&1')).toMatchObject({ stdout: 'Device "nosuch" does not exist.\n', stderr: '' })
    expect(run(w, 'ip -n a link show nosuch 2>&1 >/dev/null')).toMatchObject({ stdout: 'Device "nosuch" does not exist.\n', stderr: '' })
    expect(run(w, 'ip -n a link show nosuch >/dev/null 2>&1')).toMatchObject({ stdout: '', stderr: '', exitCode: 1 })
    expect(run(w, 'ip -n a link show lo >&2').stderr).toMatch(/^1: lo: /)
    const f = run(w, 'ip -n a link show lo > out.txt')
    expect(f.exitCode).toBe(1)
    expect(f.stderr).toContain('cannot redirect to out.txt')
    expect(f.stdout).toBe('')
  })
})
