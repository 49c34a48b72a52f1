// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { installBackend, settle } from '../../test/unit/renderer-backend.ts'
import { useExercisesStore } from './exercises.ts'
import { useLabStore } from './lab.ts'
import { useUiStore } from './ui.ts'

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

describe('exercises store', () => {
  it('opens an exercise, checks at once and after each change, and says when it is solved', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    const ex = useExercisesStore()
    expect(await ex.open('w2-missing-route')).toBe(true)
    expect(ui.rightTab).toBe('exercise')
    expect(lab.state?.exercise).toBe('w2-missing-route')
    expect(ex.check?.pass).toBe(false)
    expect(ex.check?.results.find((r) => r.id === 'reach')?.why?.en).toBe('pod1 → pod4 is dropped at node1: no route to 10.244.2.3')
    await lab.exec('ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0', 'node1')
    await settle()
    expect(ex.check?.pass).toBe(true)
    expect(ex.current?.status).toBe('solved')
    expect(ui.notice).toBe('Solved: Destination Net Unreachable')
    await lab.undo()
    await settle()
    expect(ex.check?.pass).toBe(false)
    lab.dispose()
  })

  it('does not check by itself when checking after each change is off, and remembers that choice', async () => {
    installBackend()
    const lab = useLabStore()
    await lab.init()
    const ex = useExercisesStore()
    ex.autoCheck = false
    await settle()
    expect(localStorage.getItem('podnet.autoCheck')).toBe('off')
    await ex.open('w2-ip-forward')
    expect(ex.check).toBeNull()
    await lab.exec('sysctl -w net.ipv4.ip_forward=1', 'node2')
    await settle()
    expect(ex.check).toBeNull()
    await ex.runCheck()
    expect(ex.check?.pass).toBe(true)
    lab.dispose()
  })

  it('asks before replacing unsaved work that no exercise keeps', async () => {
    installBackend()
    const lab = useLabStore()
    const ui = useUiStore()
    await lab.init()
    await lab.exec('sysctl -w net.ipv4.ip_forward=0', 'node1')
    const ex = useExercisesStore()
    const asked = vi.spyOn(ui, 'ask').mockResolvedValueOnce(false)
    expect(await ex.open('w1-bridge-down')).toBe(false)
    expect(asked).toHaveBeenCalledOnce()
    expect(lab.state?.exercise).toBeUndefined()
    asked.mockResolvedValueOnce(true)
    expect(await ex.open('w1-bridge-down')).toBe(true)
    // Work on an exercise is kept by the exercise: opening another asks nothing.
    await lab.exec('ip link set vethaf9d6e67 up', 'node1')
    expect(await ex.open('w1-veth-detached')).toBe(true)
    expect(asked).toHaveBeenCalledTimes(2)
    lab.dispose()
  })
})
