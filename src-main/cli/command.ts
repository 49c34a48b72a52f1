// What a `podnet` subcommand is: its arguments, options and texts (the usage, the help and the
// shell completions are all generated from this), and the function that runs it. One module per
// command under commands/, one line per command in registry.ts.

/** A user-visible text, in both languages of the product. */
export interface Text {
  en: string
  ja: string
}

export type Lang = keyof Text

/**
 * What a shell offers when completing a value (see completion.ts): files, lab files (*.podnet,
 * *.yaml, *.yml),
 * directories, the built-in scenarios, podnet's commands, the namespaces or NS:DEV interfaces of
 * the lab file named earlier on the line, the programs of the command language, or nothing.
 */
export type Completion = 'file' | 'lab-file' | 'directory' | 'scenario' | 'command' | 'netns' | 'iface' | 'program' | 'none'

export interface OptionSpec {
  /** Long name without the dashes: `nodes` is `--nodes`. */
  name: string
  /** One letter: `o` is `-o`. */
  short?: string
  /** Placeholder of the value (`N`, `FILE`); an option without one is a flag. */
  value?: string
  /** The option may be given more than once; its values are kept in order. */
  multiple?: boolean
  required?: boolean
  /** The only values allowed: checked, listed in the usage and offered by completion. */
  choices?: readonly string[]
  /** What a shell completes for the value (choices, when given, win). */
  complete?: Completion
  help: Text
}

export interface ArgSpec {
  /** Placeholder in the usage: `FILE`, `SCENARIO`. */
  name: string
  optional?: boolean
  /** Takes every remaining positional word. */
  variadic?: boolean
  choices?: readonly string[]
  complete?: Completion
  help: Text
}

export interface Io {
  out(s: string): void
  err(s: string): void
  /** Binary standard output (a capture written to `-o -`). */
  bytes?(b: Uint8Array): void
}

export interface CliContext {
  io: Io
  /** The language of the CLI's own texts (help, errors) and the default of `--lang` options. */
  lang: Lang
  /** Every command of the registry (for help and completion). */
  commands: readonly CliCommand[]
  version: string
  /** PODNET_DEBUG=1: an internal error prints its stack trace too. */
  debug: boolean
  /** Picks the text in the context's language. */
  t(text: Text): string
}

export interface CliCommand {
  name: string
  /** One line, no final period: shown in the command list and at the top of the help. */
  summary: Text
  /** More paragraphs for the help (what it does, exit status, notes). */
  details?: Text
  args?: readonly ArgSpec[]
  options?: readonly OptionSpec[]
  /**
   * Words after the positional arguments (or after `--`) are not parsed as options but passed
   * through untouched, e.g. the command of `podnet exec FILE -- COMMAND...`.
   */
  passThrough?: { name: string; help: Text }
  /** Nested commands (`podnet exercise start`): `run` is then optional. */
  subcommands?: readonly CliCommand[]
  examples?: readonly string[]
  /** Returns the exit status (see docs/cli.md). Throw CliError/UsageError for bad input. */
  run?(inv: Invocation, ctx: CliContext): number | Promise<number>
}

/** A failure the user should read: printed as `podnet CMD: MESSAGE`, exit status `code`. */
export class CliError extends Error {
  constructor(
    readonly text: Text,
    readonly code = 1,
  ) {
    super(text.en)
  }
}

/** Bad usage (unknown option, missing argument): exit status 2, with a pointer to the help. */
export class UsageError extends CliError {
  constructor(text: Text) {
    super(text, 2)
  }
}

export type OptionValue = string | boolean | string[] | undefined

/** One parsed command line of a command: positionals, options, pass-through words. */
export class Invocation {
  constructor(
    /** `['exercise', 'start']` for a subcommand. */
    readonly path: readonly string[],
    readonly args: readonly string[],
    readonly options: ReadonlyMap<string, string | true | string[]>,
    readonly rest: readonly string[],
  ) {}

  /** The positional argument named in the command's ArgSpec order. */
  arg(i: number): string | undefined {
    return this.args[i]
  }

  string(name: string): string | undefined {
    const v = this.options.get(name)
    return typeof v === 'string' ? v : Array.isArray(v) ? v.at(-1) : undefined
  }

  strings(name: string): string[] {
    const v = this.options.get(name)
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
  }

  flag(name: string): boolean {
    return this.options.get(name) === true
  }

  has(name: string): boolean {
    return this.options.has(name)
  }

  /** A whole-number option, optionally bounded; a usage error names the option and the value. */
  int(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const v = this.string(name)
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v)) throw new UsageError({ en: `--${name} needs a whole number, not "${v}"`, ja: `--${name} には整数を指定してください（"${v}" は整数ではありません）` })
    const n = Number(v)
    const { min, max } = range
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      const span = `${min ?? 0}–${max ?? '∞'}`
      throw new UsageError({ en: `--${name} must be between ${min ?? 0} and ${max ?? 'any'}, not ${n}`, ja: `--${name} は ${span} の範囲で指定してください（${n} は範囲外です）` })
    }
    return n
  }
}

export function commandLine(path: readonly string[]): string {
  return ['podnet', ...path].join(' ')
}
