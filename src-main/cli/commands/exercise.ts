import { existsSync } from 'node:fs'
import { serializeLab, LabFormatError } from '../../lab/format.ts'
import { builtinExercise, builtinSource } from '../../exercises/builtins.ts'
import { checkLab, type CheckReport } from '../../exercises/check.ts'
import schema from '../../exercises/exercise.schema.json'
import { parseExercise, type Exercise } from '../../exercises/format.ts'
import { exerciseOfLab, ExerciseLookupError } from '../../exercises/resolve.ts'
import { startLab } from '../../exercises/start.ts'
import { validateExerciseText } from '../../exercises/validate.ts'
import { CliError, type CliCommand, type Lang, type Text } from '../command.ts'
import { loadLab, readInput, writeOutput } from '../lab-io.ts'
import { LANG_OPTION } from '../options.ts'

const same = (s: string): Text => ({ en: s, ja: s })
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** A teacher's exercise file, with format errors as file:line:col. */
function readExerciseFile(path: string): Exercise {
  const text = readInput(path)
  try {
    return parseExercise(text, path)
  } catch (e) {
    if (e instanceof LabFormatError) throw new CliError(same(e.message))
    throw e
  }
}

const start: CliCommand = {
  name: 'start',
  summary: { en: 'write the start lab of an exercise', ja: '演習の開始ラボを書き出す' },
  details: {
    en: `ID is a built-in exercise (podnet exercises) or a teacher's exercise file. The lab names its
exercise (a teacher's is carried inside it), so podnet exercise check and the app know what to check.
The exercise's fault is the lab's spec.setup: it is not part of the history and undo never removes it.`,
    ja: `ID は組み込みの演習（podnet exercises）か、教える側が書いた演習ファイルです。ラボには演習が記録される
（ファイルの演習はラボの中に含まれる）ので、podnet exercise check やアプリは何を確認すればよいかがわかります。
演習の障害はラボの spec.setup に入り、履歴には含まれず、元に戻す操作でも消えません。`,
  },
  args: [{ name: 'ID|FILE', complete: 'file', help: { en: 'a built-in exercise id, or an exercise file', ja: '組み込み演習の ID、または演習ファイル' } }],
  options: [{ name: 'output', short: 'o', value: 'FILE', complete: 'lab-file', help: { en: 'write the lab to FILE (atomically) instead of printing it', ja: 'ラボを標準出力ではなく FILE に書き込む（アトミックに保存）' } }],
  examples: ['podnet exercise start w2-missing-route -o lab.yaml', 'podnet exercise start my-exercise.yaml -o lab.yaml'],
  run(inv, ctx) {
    const id = inv.args[0]
    const builtIn = builtinExercise(id)
    let ex: Exercise
    if (builtIn) ex = builtIn
    else if (existsSync(id)) ex = readExerciseFile(id)
    else throw new CliError({ en: `no built-in exercise "${id}" and no such file (podnet exercises lists the built-in ones)`, ja: `組み込み演習 "${id}" もそのファイルもありません（組み込み演習は podnet exercises で一覧できます）` })
    writeOutput(inv.string('output') ?? '-', serializeLab(startLab(ex, { builtIn: builtIn !== undefined })), ctx.io)
    return 0
  },
}

function tick(pass: boolean): string {
  return pass ? '✓' : '✗'
}

function printReport(ex: Exercise, rep: CheckReport, lang: Lang, out: (s: string) => void): void {
  const L = (t: Text): string => t[lang]
  out(`${L({ en: 'Exercise', ja: '演習' })} ${ex.metadata.id}: ${ex.metadata.title[lang]}\n`)
  const goals = rep.results.filter((r) => !r.constraint)
  const constraints = rep.results.filter((r) => r.constraint)
  const line = (r: CheckReport['results'][number]): void => {
    out(`  ${tick(r.pass)} ${r.text[lang]}\n`)
    if (r.why) out(`      ${r.why[lang]}\n`)
  }
  out(`${L({ en: 'Goals', ja: '目標' })}:\n`)
  goals.forEach(line)
  if (constraints.length) {
    out(`${L({ en: 'Constraints', ja: '制約' })}:\n`)
    constraints.forEach(line)
  }
  const g = goals.filter((r) => r.pass).length
  const c = constraints.filter((r) => r.pass).length
  const counts = constraints.length
    ? L({ en: `${g} of ${goals.length} goals and ${c} of ${constraints.length} constraints pass`, ja: `目標 ${goals.length} 個中 ${g} 個、制約 ${constraints.length} 個中 ${c} 個を満たしています` })
    : L({ en: `${g} of ${goals.length} goals pass`, ja: `目標 ${goals.length} 個中 ${g} 個を満たしています` })
  out(`${counts}: ${rep.pass ? L({ en: 'solved', ja: '解けました' }) : L({ en: 'not solved yet', ja: 'まだ解けていません' })}\n`)
}

const check: CliCommand = {
  name: 'check',
  summary: { en: 'check a lab file against the goals and constraints of its exercise', ja: 'ラボファイルを演習の目標と制約に照らして確認する' },
  details: {
    en: `The lab names its exercise (podnet exercise start writes it), or --exercise gives a teacher's file.
Every goal is checked in a replay of the lab (each probe in its own), so the file is never changed and
the same file always gets the same answer; a goal that fails says why. Exit status: 0 when every goal
and constraint passes, 1 otherwise, 2 for a usage error.`,
    ja: `ラボには演習が記録されています（podnet exercise start が書き込みます）。--exercise で演習ファイルを指定することも
できます。各目標はラボを再現した環境で確認する（プローブごとに別の環境）ので、ファイルは変わらず、同じファイルには
いつも同じ答えを返します。満たされない目標には理由を示します。終了ステータス：すべての目標と制約を満たせば 0、
そうでなければ 1、使い方の誤りは 2。`,
  },
  args: [{ name: 'LAB', complete: 'lab-file', help: { en: 'the lab file', ja: 'ラボファイル' } }],
  options: [
    { name: 'exercise', value: 'FILE', complete: 'file', help: { en: "check against this exercise file instead of the lab's own", ja: 'ラボに記録された演習ではなく、この演習ファイルに照らして確認する' } },
    { name: 'json', help: { en: 'print the results as JSON', ja: '結果を JSON で出力する' } },
    LANG_OPTION,
  ],
  examples: ['podnet exercise check lab.yaml', 'podnet exercise check lab.yaml --lang ja --json'],
  run(inv, ctx) {
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const file = inv.args[0]
    const doc = loadLab(file)
    const given = inv.string('exercise')
    let ex: Exercise
    if (given !== undefined) ex = readExerciseFile(given)
    else {
      try {
        ex = exerciseOfLab(doc, file).exercise
      } catch (e) {
        if (e instanceof ExerciseLookupError || e instanceof LabFormatError) throw new CliError(same(e.message))
        throw e
      }
    }
    const rep = checkLab(ex, doc)
    if (inv.flag('json')) {
      const results = rep.results.map((r) => ({ id: r.id, constraint: r.constraint, pass: r.pass, text: r.text[lang], ...(r.why ? { why: r.why[lang] } : {}) }))
      ctx.io.out(JSON.stringify({ exercise: rep.exercise, pass: rep.pass, results }, null, 2) + '\n')
    } else printReport(ex, rep, lang, (s) => ctx.io.out(s))
    return rep.pass ? 0 : 1
  },
}

const validate: CliCommand = {
  name: 'validate',
  summary: { en: 'check an exercise file written by a teacher', ja: '演習ファイルを検証する' },
  details: {
    en: `Checks the format (against the same rules as exercise.schema.json, with file:line:col), that every
text is written in both languages, that the break lines run, that the start lab fails at least one goal,
that the solution's lines run and pass every goal and constraint, and that each listed mistake still
fails. Exit status: 0 when the file is valid, 1 otherwise.`,
    ja: `形式（exercise.schema.json と同じ規則。file:line:col 付き）、すべてのテキストが両方の言語で書かれていること、
break の行が実行できること、開始ラボが少なくとも 1 つの目標を満たさないこと、解答の行が実行でき、すべての目標と
制約を満たすこと、mistakes に挙げた誤答がどれも失敗することを確認します。終了ステータス：正しければ 0、
そうでなければ 1。`,
  },
  args: [{ name: 'FILE', complete: 'file', help: { en: 'the exercise file', ja: '演習ファイル' } }],
  options: [{ name: 'json', help: { en: 'print the problems and the checks as JSON', ja: '問題点と確認結果を JSON で出力する' } }, LANG_OPTION],
  examples: ['podnet exercise validate my-exercise.yaml'],
  run(inv, ctx) {
    const lang = (inv.string('lang') ?? ctx.lang) as Lang
    const file = inv.args[0]
    const text = readInput(file)
    let result
    try {
      result = validateExerciseText(text, file)
    } catch (e) {
      if (e instanceof LabFormatError) throw new CliError(same(e.message))
      throw e
    }
    const { exercise: ex, validation: v } = result
    if (inv.flag('json')) {
      ctx.io.out(JSON.stringify({ id: ex.metadata.id, ok: v.ok, problems: v.problems }, null, 2) + '\n')
      return v.ok ? 0 : 1
    }
    for (const p of v.problems) ctx.io.err(`${file}:${p.line ?? 1}:${p.col ?? 1}: ${p.path}: ${p.problem}\n`)
    if (!v.ok) return 1
    const failing = v.start!.results.filter((r) => !r.constraint && !r.pass).length
    ctx.io.out(
      lang === 'ja'
        ? `${file}: 正しい演習です（${ex.metadata.id}）。目標 ${ex.goals.length} 個、制約 ${ex.constraints.length} 個、ヒント ${ex.hints.length} 個。開始ラボは目標を ${failing} 個満たさず、解答はすべてを満たし、誤答 ${ex.mistakes.length} 個はどれも失敗します\n`
        : `${file}: valid exercise ${ex.metadata.id}: ${count(ex.goals.length, 'goal')}, ${count(ex.constraints.length, 'constraint')}, ${count(ex.hints.length, 'hint')}; the start lab fails ${count(failing, 'goal')}, the solution passes them all, ${ex.mistakes.length === 1 ? 'the mistake fails' : `the ${ex.mistakes.length} mistakes all fail`}\n`,
    )
    return 0
  },
}

const show: CliCommand = {
  name: 'show',
  summary: { en: 'print the file of a built-in exercise (a starting point for your own)', ja: '組み込み演習のファイルを表示する（自分の演習を書く出発点に）' },
  args: [{ name: 'ID', complete: 'none', help: { en: 'a built-in exercise id', ja: '組み込み演習の ID' } }],
  examples: ['podnet exercise show w2-missing-route > my-exercise.yaml'],
  run(inv, ctx) {
    const text = builtinSource(inv.args[0])
    if (text === undefined) throw new CliError({ en: `no built-in exercise "${inv.args[0]}" (podnet exercises lists them)`, ja: `組み込み演習 "${inv.args[0]}" はありません（podnet exercises で一覧できます）` })
    ctx.io.out(text)
    return 0
  },
}

const schemaCommand: CliCommand = {
  name: 'schema',
  summary: { en: 'print the JSON Schema of exercise files, for editors', ja: '演習ファイルの JSON Schema を表示する（エディター用）' },
  examples: ['podnet exercise schema > exercise.schema.json'],
  run(_inv, ctx) {
    ctx.io.out(JSON.stringify(schema, null, 2) + '\n')
    return 0
  },
}

/** `podnet exercise start|check|validate|show|schema`. */
export const exerciseCommand: CliCommand = {
  name: 'exercise',
  summary: { en: 'start, check and validate exercises', ja: '演習の開始・確認・検証' },
  subcommands: [start, check, validate, show, schemaCommand],
}
