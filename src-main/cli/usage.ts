// The help texts, generated from the commands' specs so that what `--help` says, what the parser
// accepts and what the shells complete can never disagree.
import { commandLine, type CliCommand, type CliContext, type OptionSpec, type Text } from './command.ts'
import { optionsOf } from './parse.ts'

const HEAD: Record<string, Text> = {
  usage: { en: 'Usage:', ja: '使い方:' },
  args: { en: 'Arguments:', ja: '引数:' },
  options: { en: 'Options:', ja: 'オプション:' },
  commands: { en: 'Commands:', ja: 'コマンド:' },
  examples: { en: 'Examples:', ja: '例:' },
  required: { en: '(required)', ja: '（必須）' },
  repeat: { en: '(may be repeated)', ja: '（繰り返し指定可）' },
}

export const EXIT_STATUS: Text = {
  en: `Exit status: 0 success; 1 failure (a packet that does not arrive, a command that fails, a lab
file that cannot be read or built, a file that cannot be written); 2 usage error (unknown command
or option, missing or malformed argument). See docs/cli.md.`,
  ja: `終了ステータス：0 成功、1 失敗（パケットが届かない、コマンドが失敗した、ラボファイルを読めない・
構築できない、ファイルを書けない）、2 使い方の誤り（不明なコマンドやオプション、引数の不足や誤り）。
詳しくは docs/cli.md を参照してください。`,
}

export function optionValue(o: OptionSpec): string {
  return o.choices ? o.choices.join('|') : (o.value ?? '')
}

/** `podnet trace FILE --from POD --to POD|IP [OPTIONS]` */
export function synopsis(cmd: CliCommand, path: readonly string[]): string {
  const parts = [commandLine(path)]
  if (cmd.subcommands?.length) parts.push(`{${cmd.subcommands.map((s) => s.name).join('|')}}`, '...')
  for (const a of cmd.args ?? []) parts.push(a.variadic ? `${a.name}...` : a.optional ? `[${a.name}]` : a.name)
  for (const o of cmd.options ?? []) if (o.required) parts.push(`--${o.name} ${optionValue(o)}`)
  if ((cmd.options ?? []).some((o) => !o.required)) parts.push('[OPTIONS]')
  if (cmd.passThrough) parts.push(`[--] ${cmd.passThrough.name}...`)
  return parts.join(' ')
}

/** Columns a terminal gives a character: two for the wide (CJK, full-width) ones. */
function charWidth(c: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1
}

/**
 * Breaks text into lines of at most `width` columns: between words, and between wide characters
 * (Japanese has no spaces), never inside an ASCII word.
 */
export function wrap(text: string, width: number): string[] {
  const pieces = text.match(/[\x21-\x7e\u00a0-\u02ff\u2010-\u2027]+|\s|./gu) ?? []
  const lines: string[] = []
  let line = ''
  let w = 0
  for (const p of pieces) {
    const pw = [...p].reduce((n, c) => n + charWidth(c), 0)
    if (w + pw > width && line.trim() !== '' && p !== ' ') {
      lines.push(line.trimEnd())
      line = ''
      w = 0
    }
    // A line never starts with the space it was broken at.
    if (line === '' && p === ' ') continue
    line += p
    w += pw
  }
  if (line.trim() !== '') lines.push(line.trimEnd())
  return lines
}

const WIDTH = 100

function table(rows: [string, string][]): string {
  const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)))
  const indent = ' '.repeat(width + 4)
  return rows
    .map(([l, r]) => {
      const body = wrap(r, WIDTH - width - 4).join(`\n${indent}`)
      return l.length > width ? `  ${l}\n${indent}${body}` : `  ${l.padEnd(width)}  ${body}`
    })
    .join('\n')
}

/** A paragraph text (details) re-flowed to the terminal width, keeping its blank lines. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => wrap(p.replace(/(.)\n(.)/gu, (_m, a: string, b: string) => a + (charWidth(a) === 1 && charWidth(b) === 1 ? ' ' : '') + b), WIDTH).join('\n'))
    .join('\n\n')
}

/** The help of one command: synopsis, summary, arguments, options, details, examples. */
export function commandHelp(cmd: CliCommand, path: readonly string[], ctx: CliContext): string {
  const t = ctx.t
  const summary = t(cmd.summary)
  const out = [`${t(HEAD.usage)} ${synopsis(cmd, path)}`, '', ctx.lang === 'ja' ? `${summary}。` : `${summary[0].toUpperCase()}${summary.slice(1)}.`]
  if (cmd.subcommands?.length) {
    out.push('', t(HEAD.commands), table(cmd.subcommands.map((s) => [s.name, t(s.summary)])))
  }
  const argRows: [string, string][] = (cmd.args ?? []).map((a) => [a.variadic ? `${a.name}...` : a.name, t(a.help)])
  if (cmd.passThrough) argRows.push([`${cmd.passThrough.name}...`, t(cmd.passThrough.help)])
  if (argRows.length) out.push('', t(HEAD.args), table(argRows))
  const optRows = optionsOf(cmd).map((o): [string, string] => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value || o.choices ? ` ${optionValue(o)}` : ''}`
    const notes = [o.required ? t(HEAD.required) : '', o.multiple ? t(HEAD.repeat) : ''].filter(Boolean).join(' ')
    return [left, notes ? `${t(o.help)} ${notes}` : t(o.help)]
  })
  out.push('', t(HEAD.options), table(optRows))
  if (cmd.details) out.push('', paragraphs(t(cmd.details)))
  if (cmd.examples?.length) out.push('', t(HEAD.examples), ...cmd.examples.map((e) => `  ${e}`))
  return out.join('\n') + '\n'
}

const INTRO: Text = {
  en: 'PodNet Lab on the command line: build Kubernetes pod networking and watch a packet go through it.',
  ja: 'コマンドラインの PodNet Lab: Kubernetes の Pod ネットワークを組み立て、パケットの通り道を追います。',
}

const MORE: Text = {
  en: "Run 'podnet help COMMAND' or 'podnet COMMAND --help' for a command's arguments and options.",
  ja: "各コマンドの引数とオプションは 'podnet help COMMAND' または 'podnet COMMAND --help' で表示します。",
}

const GLOBAL_OPTIONS: [string, Text][] = [
  ['-h, --help', { en: 'show this help', ja: 'このヘルプを表示する' }],
  ['-V, --version', { en: 'print the version', ja: 'バージョンを表示する' }],
]

/** `podnet --help`: every command with its one-line summary. */
export function overviewHelp(ctx: CliContext): string {
  const t = ctx.t
  return [
    `podnet ${ctx.version} — ${t(INTRO)}`,
    '',
    `${t(HEAD.usage)} podnet COMMAND [ARGS] [OPTIONS]`,
    '',
    t(HEAD.commands),
    table(ctx.commands.map((c) => [c.name, t(c.summary)])),
    '',
    t(HEAD.options),
    table(GLOBAL_OPTIONS.map(([l, r]) => [l, t(r)])),
    '',
    paragraphs(t(MORE)),
    paragraphs(t(EXIT_STATUS)),
  ].join('\n') + '\n'
}

/** The short reminder printed under a usage error. */
export function usageHint(cmd: CliCommand | null, path: readonly string[], ctx: CliContext): string {
  if (!cmd) return ctx.t({ en: "Run 'podnet --help' for the list of commands.", ja: "コマンドの一覧は 'podnet --help' で表示します。" }) + '\n'
  return `${ctx.t(HEAD.usage)} ${synopsis(cmd, path)}\n` + ctx.t({ en: `Run '${commandLine(path)} --help' for more.`, ja: `詳しくは '${commandLine(path)} --help' で表示します。` }) + '\n'
}
