import { builtinExercises } from '../../exercises/builtins.ts'
import type { CliCommand, Lang } from '../command.ts'
import { LANG_OPTION } from '../options.ts'

/** `podnet exercises`: the built-in course, in order. */
export const exercisesCommand: CliCommand = {
  name: 'exercises',
  summary: { en: 'list the built-in exercises, in course order', ja: '組み込みの演習をコースの順に一覧表示する' },
  details: {
    en: `Each line: the position in the course, the id (for podnet exercise start), the topic, the level,
the estimated minutes and the title. --json prints an array of objects with id, title, summary,
topic, level and minutes.`,
    ja: `各行は、コース内の順番、ID（podnet exercise start に渡すもの）、トピック、レベル、目安の時間（分）、
タイトルです。--json を付けると、id、title、summary、topic、level、minutes を持つオブジェクトの配列を出力します。`,
  },
  options: [{ name: 'json', help: { en: 'print them as JSON', ja: 'JSON で出力する' } }, LANG_OPTION],
  examples: ['podnet exercises', 'podnet exercises --json --lang ja'],
  run(inv, ctx) {
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const list = builtinExercises().map((e, i) => ({ n: i + 1, id: e.metadata.id, title: e.metadata.title[lang], summary: e.metadata.summary[lang], topic: e.metadata.topic, level: e.metadata.level, minutes: e.metadata.minutes }))
    if (inv.flag('json')) {
      ctx.io.out(JSON.stringify(list.map(({ n: _n, ...rest }) => rest), null, 2) + '\n')
      return 0
    }
    const idWidth = Math.max(...list.map((e) => e.id.length))
    for (const e of list) ctx.io.out(`${String(e.n).padStart(2)}  ${e.id.padEnd(idWidth)}  ${e.topic.padEnd(13)} ${e.level.padEnd(12)} ${String(e.minutes).padStart(3)} min  ${e.title}\n`)
    return 0
  },
}
