import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../shared/api.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { createHandlers, dispatch, LabService } from '../../src-main/ipc/handlers.ts'

// What the fuzzers found, kept fixed. (Lab files: lab-validation.test.ts; the kernel's answers to
// the same command lines: test/kernel/fixtures/arg-errors.sh.)

function sh(line: string, world = new World()): { exitCode: number; stdout: string; stderr: string } {
  return run(world, line)
}

describe('command lines the fuzzer broke', () => {
  it('brctl addbr of a name the kernel refuses is an error, not an exception', () => {
    expect(sh('brctl addbr ::1')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'add bridge failed: Invalid argument\n' })
    expect(sh('brctl addbr lo')).toMatchObject({ exitCode: 1, stderr: "device lo already exists; can't create bridge with the same name\n" })
  })

  it('brctl answers a missing argument with its usage, never "undefined"', () => {
    const w = new World()
    expect(sh('brctl delif', w)).toEqual({ exitCode: 1, stdout: 'Incorrect number of arguments for command\nUsage: brctl delif <bridge> <device>\tdelete interface from bridge\n', stderr: '' })
    const none = sh('brctl', w)
    expect(none.exitCode).toBe(1)
    expect(none.stdout).toMatch(/^Usage: brctl \[commands\]\ncommands:\n\taddbr {5}\t<bridge>\t\tadd bridge\n/)
    expect(sh('brctl frobnicate', w)).toMatchObject({ exitCode: 1, stderr: 'never heard of command [frobnicate]\n' })
  })

  it('brctl addif and delif take several interfaces and name the one that failed', () => {
    const w = new World()
    for (const l of ['brctl addbr br0', 'ip link add v1 type veth peer name v2']) expect(sh(l, w).exitCode).toBe(0)
    expect(sh('brctl addif br0 v1 v2', w).exitCode).toBe(0)
    expect(sh('brctl addif br0 lo', w)).toMatchObject({ exitCode: 1, stderr: "can't add lo to bridge br0: Invalid argument\n" })
    expect(sh('brctl addif br0 br0', w)).toMatchObject({ exitCode: 1, stderr: "device br0 is a bridge device itself; can't add a bridge device to a bridge device.\n" })
    expect(sh('brctl addif nosuch nosuch2', w)).toMatchObject({ exitCode: 1, stderr: 'interface nosuch2 does not exist!\n' })
    expect(sh('brctl delif br0 v1 v2', w).exitCode).toBe(0)
    expect(sh('brctl delif br0 v1', w)).toMatchObject({ exitCode: 1, stderr: 'device v1 is not a port of br0\n' })
  })

  it('ip -n and bridge -n without a name, ip netns exec without a command', () => {
    expect(sh('bridge -n')).toEqual({ exitCode: 255, stdout: '', stderr: 'Cannot open network namespace "(null)": No such file or directory\n' })
    expect(sh('ip -n')).toEqual({ exitCode: 255, stdout: '', stderr: 'Cannot open network namespace "(null)": No such file or directory\n' })
    expect(sh('ip netns exec')).toEqual({ exitCode: 1, stdout: '', stderr: 'No netns name specified\n' })
    expect(sh('ip netns exec nosuch')).toEqual({ exitCode: 1, stdout: '', stderr: 'No command specified\n' })
  })
})

describe('IPC calls the fuzzer broke', () => {
  it('an unknown channel and an edit of the wrong shape name their field', async () => {
    const h = createHandlers(new LabService('same-node'))
    expect(await dispatch(h, 'toString', 1)).toEqual({ ok: false, error: { code: 'invalid-request', message: 'channel: no channel named "toString"', path: 'channel' } })
    expect(await dispatch(h, CHANNELS.edit, new ArrayBuffer(2))).toEqual({ ok: false, error: { code: 'invalid-request', message: 'request: must be an edit object with a type, not an object', path: 'request' } })
    const r = await dispatch(h, CHANNELS.edit, {})
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request', path: 'type' } })
    expect(!r.ok && r.error.message).toMatch(/^type: must be one of addNode, .*, not nothing$/)
  })

  it('a value JSON cannot write (a BigInt) is named, not an internal error', async () => {
    const h = createHandlers(new LabService('same-node'))
    expect(await dispatch(h, CHANNELS.termSpeed, { speed: 10n })).toEqual({ ok: false, error: { code: 'invalid-request', message: 'speed: must be a number from 0.01 to 1000 (simulated seconds per second), not bigint 10', path: 'speed' } })
  })
})
