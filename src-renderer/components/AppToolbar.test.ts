// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { installBackend, settle } from '../../test/unit/renderer-backend.ts'
import { useExercisesStore } from '../stores/exercises.ts'
import { useLabStore } from '../stores/lab.ts'
import AppToolbar from './AppToolbar.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})

describe('the toolbar scenario picker', () => {
  it('shows the scenario that is open, nothing while an exercise is open, and follows a new lab', async () => {
    installBackend()
    const lab = useLabStore()
    await lab.init()
    const w = mount(AppToolbar)
    await settle()
    const picker = (): HTMLSelectElement => w.get('#scenario-picker').element as HTMLSelectElement
    const newButton = () => w.findAll('button').find((b) => b.text() === 'New')!
    expect(lab.openScenario).toBe('same-node')
    expect(picker().value).toBe('same-node')

    expect(await useExercisesStore().open('w2-missing-route')).toBe(true)
    await settle()
    expect(lab.state?.exercise).toBe('w2-missing-route')
    expect(lab.openScenario).toBe('')
    expect(newButton().attributes('disabled')).toBeDefined()
    // (happy-dom reports the value of a select on a disabled option wrongly; the option is what counts.)
    expect(picker().selectedIndex).toBe(0)
    expect(picker().options[0].text).toBe('Choose a scenario')
    expect(picker().options[0].value).toBe('')

    // Picking a scenario makes New usable; the new lab is what the picker then shows.
    await w.get('#scenario-picker').setValue('flannel-vxlan')
    expect(newButton().attributes('disabled')).toBeUndefined()
    await newButton().trigger('click')
    await settle()
    expect(lab.state?.name).toBe('flannel-vxlan')
    expect(lab.state?.exercise).toBeUndefined()
    expect(picker().value).toBe('flannel-vxlan')
    expect(w.findAll('#scenario-picker option').some((o) => o.text() === 'Choose a scenario')).toBe(false)
    w.unmount()
    lab.dispose()
  })
})
