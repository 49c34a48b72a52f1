// The arguments of one command, read with node:util parseArgs from the command's own spec. The
// tokens are checked here rather than by parseArgs' strict mode, so every mistake gets a message
// that names the option and says what is wrong, in the CLI's language.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { Invocation, UsageError, type CliCommand, type OptionSpec } from './command.ts'

/** The options every command has besides its own. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', help: { en: "show this command's usage", ja: 'このコマンドの使い方を表示する' } }

/** An option with a value placeholder or a list of choices takes a value; the others are flags. */
export function takesValue(o: OptionSpec): boolean {
  return o.value !== undefined || o.choices !== undefined
}

export function optionsOf(cmd: CliCommand): OptionSpec[] {
  return [...(cmd.options ?? []), HELP_OPTION]
}

function parseConfig(cmd: CliCommand): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {}
  for (const o of optionsOf(cmd)) config[o.name] = { type: takesValue(o) ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) }
  return config
}

/**
 * Splits off the pass-through words: after `--`, or from the first positional word beyond the
 * command's arguments (so `podnet exec lab.yaml ip -n node1 route` needs no `--`).
 */
function splitPassThrough(cmd: CliCommand, argv: readonly string[]): { words: string[]; rest: string[] } {
  if (!cmd.passThrough) return { words: [...argv], rest: [] }
  const { tokens } = parseArgs({ args: [...argv], options: parseConfig(cmd), strict: false, allowPositionals: true, tokens: true })
  let positionals = 0
  const max = (cmd.args ?? []).length
  for (const t of tokens) {
    if (t.kind === 'option-terminator') return { words: argv.slice(0, t.index), rest: argv.slice(t.index + 1) }
    if (t.kind === 'positional' && ++positionals > max) return { words: argv.slice(0, t.index), rest: argv.slice(t.index) }
  }
  return { words: [...argv], rest: [] }
}

/** Reads `argv` (the words after the command's name) into an Invocation; throws UsageError. */
export function parseInvocation(cmd: CliCommand, path: readonly string[], argv: readonly string[]): Invocation | 'help' {
  const { words, rest } = splitPassThrough(cmd, argv)
  const specs = new Map(optionsOf(cmd).map((o) => [o.name, o]))
  const { tokens } = parseArgs({ args: words, options: parseConfig(cmd), strict: false, allowPositionals: true, tokens: true })
  // --help wins over every other mistake on the line.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help' && specs.has('help'))) return 'help'
  const options = new Map<string, string | true | string[]>()
  const args: string[] = []
  for (const t of tokens) {
    if (t.kind === 'positional') {
      args.push(t.value)
      continue
    }
    if (t.kind === 'option-terminator') continue
    const spec = specs.get(t.name)
    if (!spec) throw new UsageError({ en: `unknown option "${t.rawName}"`, ja: `不明なオプション "${t.rawName}"` })
    const shown = `--${spec.name}`
    if (!takesValue(spec)) {
      if (t.inlineValue) throw new UsageError({ en: `option ${shown} takes no value`, ja: `オプション ${shown} は値を取りません` })
      options.set(spec.name, true)
      continue
    }
    const v = t.value
    // A value taken from the next word that looks like an option is almost always a forgotten value.
    if (v === undefined || (!t.inlineValue && v.startsWith('-') && v !== '-')) {
      const what = spec.value ?? spec.choices!.join('|')
      throw new UsageError({ en: `option ${shown} needs a value (${what})`, ja: `オプション ${shown} には値（${what}）が必要です` })
    }
    if (spec.choices && !spec.choices.includes(v)) {
      throw new UsageError({ en: `${shown} must be ${orList(spec.choices, 'or')}, not "${v}"`, ja: `${shown} には ${spec.choices.join('、')} のいずれかを指定してください（"${v}" は使えません）` })
    }
    if (spec.multiple) options.set(spec.name, [...((options.get(spec.name) as string[] | undefined) ?? []), v])
    else options.set(spec.name, v)
  }
  checkPositionals(cmd, args)
  const missing = optionsOf(cmd).filter((o) => o.required && !options.has(o.name))
  if (missing.length) {
    const names = missing.map((o) => `--${o.name} ${o.value ?? o.choices?.join('|') ?? ''}`.trim())
    throw new UsageError({ en: `${orList(names, 'and')} ${names.length > 1 ? 'are' : 'is'} required`, ja: `${names.join('、')} を指定してください` })
  }
  return new Invocation(path, args, options, rest)
}

function checkPositionals(cmd: CliCommand, args: readonly string[]): void {
  const specs = cmd.args ?? []
  for (let i = 0; i < specs.length; i++) {
    const a = specs[i]
    if (args[i] === undefined) {
      if (a.optional || a.variadic) break
      throw new UsageError({ en: `missing ${a.name} (${a.help.en})`, ja: `${a.name}（${a.help.ja}）を指定してください` })
    }
    const values = a.variadic ? args.slice(i) : [args[i]]
    for (const v of values) {
      if (a.choices && !a.choices.includes(v)) throw new UsageError({ en: `${a.name} must be ${orList(a.choices, 'or')}, not "${v}"`, ja: `${a.name} には ${a.choices.join('、')} のいずれかを指定してください（"${v}" は使えません）` })
    }
  }
  const max = specs.some((a) => a.variadic) ? Infinity : specs.length
  if (args.length > max) throw new UsageError({ en: `unexpected argument "${args[max]}"`, ja: `余分な引数 "${args[max]}"` })
}

export function orList(items: readonly string[], word: 'or' | 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`
}
