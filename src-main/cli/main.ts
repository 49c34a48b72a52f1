// The `podnet` command line: main() runs one command line and returns its exit status. The
// commands are in registry.ts; bin/podnet.js runs the bundle of entry.ts, which calls this.
import { version } from '../../package.json'
import type { CliContext, Io, Lang } from './command.ts'
import { dispatch } from './dispatch.ts'
import { COMMANDS } from './registry.ts'

export type { Io }

/** The CLI's language: PODNET_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG); English by default. */
export function cliLang(env: Record<string, string | undefined>): Lang {
  const v = env.PODNET_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^ja\b|^ja_/i.test(v) ? 'ja' : 'en'
}

const stdio: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  bytes: (b) => void process.stdout.write(b),
}

/** Runs `podnet ARGV...`; returns the exit status and never throws (see docs/cli.md). */
export function main(argv: readonly string[], io: Io = stdio, env: Record<string, string | undefined> = process.env): Promise<number> {
  const lang = cliLang(env)
  const ctx: CliContext = { io, lang, commands: COMMANDS, version, debug: env.PODNET_DEBUG === '1', t: (text) => text[lang] }
  return dispatch(argv, ctx)
}
