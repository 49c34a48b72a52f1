import { SCENARIOS } from '../../k8s/scenarios.ts'
import type { CliCommand } from '../command.ts'

export const scenariosCommand: CliCommand = {
  name: 'scenarios',
  summary: { en: 'list the built-in scenarios', ja: '組み込みシナリオを一覧表示する' },
  options: [{ name: 'json', help: { en: 'print them as JSON (name, title, walkthrough, description, defaults)', ja: 'JSON で出力する（name、title、walkthrough、description、defaults）' } }],
  run(inv, ctx) {
    if (inv.flag('json')) {
      ctx.io.out(JSON.stringify(SCENARIOS, null, 2) + '\n')
      return 0
    }
    for (const s of SCENARIOS) {
      const { title, description } = ctx.lang === 'ja' ? s.ja : s
      ctx.io.out(`${s.name.padEnd(24)} ${title}\n${' '.repeat(25)}${description}\n`)
    }
    return 0
  },
}
