import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { World } from '../kernel/world.ts'
import { run, runTracked } from './index.ts'
import { quoteArgv, tokenize } from './shell.ts'

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

  it('quotes a recorded command so that it reads back as the same words', () => {
    expect(quoteArgv(['ip', 'link', 'set', 'x', 'alias', "it's a b"])).toBe(`ip link set x alias 'it'"'"'s a b'`)
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', ';', '&', '|', '#', '>', '2', '(', '$', '\t', '-') }), { minLength: 1, maxLength: 6 }), (argv) => {
        expect((tokenize(quoteArgv(argv)) as { word: string }[]).map((t) => t.word)).toEqual(argv)
      }),
    )
  })

  it('reports what each simple command of a line declared', () => {
    const w = new World({ seed: 1 })
    const r = runTracked(w, 'ip netns add a; ip -n a link show; ip netns add a || sleep 1; ip -n a link set lo up')
    expect(r.effect).toBe('change')
    expect(r.changes.map((c) => c.argv.join(' '))).toEqual(['ip netns add a', 'ip -n a link set lo up'])
    expect(r.changes[1].atNs - r.changes[0].atNs).toBe(1e9)
    expect(runTracked(w, 'ip -n a route; sleep 0.5').effect).toBe('observe')
    expect(runTracked(w, 'ip -n a route show; echo hi').effect).toBe('read')
    // Replaying a history skips observations, which then take no time.
    const t = w.sched.now
    expect(runTracked(w, 'sleep 5 && ping -c 1 127.0.0.1', { replay: true })).toMatchObject({ exitCode: 0, stdout: '', effect: 'observe' })
    expect(w.sched.now).toBe(t)
  })
})

describe('the interactive shell builtins', () => {
  it('clear writes the xterm clear sequence; exit and bash ask the terminal to leave or enter a shell', () => {
    const w = new World({ seed: 1 })
    run(w, 'ip netns add pod1')
    expect(run(w, 'clear')).toEqual({ exitCode: 0, stdout: '\x1b[H\x1b[2J\x1b[3J', stderr: '' })
    expect(run(w, 'ip netns exec pod1 bash')).toMatchObject({ exitCode: 0, shell: { type: 'enter', netns: 'pod1' } })
    expect(run(w, 'bash -l').shell).toEqual({ type: 'enter', netns: '' })
    // exit ends the line: what follows does not run.
    expect(run(w, 'echo a; exit 3; echo b')).toMatchObject({ exitCode: 3, stdout: 'a\n', stderr: '', shell: { type: 'exit', code: 3 } })
    expect(run(w, 'exit')).toMatchObject({ exitCode: 0, shell: { type: 'exit', code: 0 } })
    expect(run(w, 'exit x')).toMatchObject({ exitCode: 2, stderr: 'bash: exit: x: numeric argument required\n' })
    expect(run(w, 'bash -c "ip a"')).toMatchObject({ exitCode: 2 })
    expect(run(w, 'ip a').shell).toBeUndefined()
  })
})
