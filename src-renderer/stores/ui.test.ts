// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { translate } from '../i18n/index.ts'
import { useSettingsStore } from './settings.ts'
import { useUiStore } from './ui.ts'

describe('notices', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('a notice up when the language changes is worded again in the new language, and still goes after 4 s', () => {
    const ui = useUiStore()
    const settings = useSettingsStore()
    settings.setLang('en')
    ui.showNotice('work.cancelled')
    expect(ui.notice).toBe(translate('en', 'work.cancelled'))
    vi.advanceTimersByTime(1000)
    settings.setLang('ja')
    expect(ui.notice).toBe(translate('ja', 'work.cancelled'))
    expect(ui.notice).not.toBe(translate('en', 'work.cancelled'))
    vi.advanceTimersByTime(2999)
    expect(ui.notice).not.toBeNull()
    vi.advanceTimersByTime(1)
    expect(ui.notice).toBeNull()
  })

  it('parameters are kept, and a title that has a wording per language follows the language too', () => {
    const ui = useUiStore()
    const settings = useSettingsStore()
    settings.setLang('ja')
    ui.showNotice('notice.exerciseSolved', { title: { en: 'Find the route', ja: '経路を探す' } })
    expect(ui.notice).toBe(translate('ja', 'notice.exerciseSolved', { title: '経路を探す' }))
    settings.setLang('en')
    expect(ui.notice).toBe(translate('en', 'notice.exerciseSolved', { title: 'Find the route' }))
    ui.showNotice('notice.opened', { name: 'lab.yaml' })
    expect(ui.notice).toBe(translate('en', 'notice.opened', { name: 'lab.yaml' }))
    expect(ui.notice).toContain('lab.yaml')
  })

  it('a text that comes worded (the desktop shell\'s) is shown as it is, in any language', () => {
    const ui = useUiStore()
    const settings = useSettingsStore()
    ui.showNotice({ text: 'Saved to /tmp/x.podnet' })
    settings.setLang('ja')
    expect(ui.notice).toBe('Saved to /tmp/x.podnet')
    settings.setLang('en')
    expect(ui.notice).toBe('Saved to /tmp/x.podnet')
  })
})
