import type { Ctx } from './context.ts'

/**
 * What `-json` prints, as iproute2's json_writer writes it: compact, or with `-pretty` its own
 * layout (4-space indents, `[ ` and ` ]` around arrays, arrays of scalars on one line,
 * `},{` between objects), which JSON.stringify's indentation does not reproduce.
 */
export function printJson(ctx: Ctx, value: unknown, pretty: boolean): void {
  ctx.println(pretty ? prettyJson(value) : compactJson(value))
}

/** A value json_writer prints with its own format (jsonw_printf), e.g. a bridge timer's `0.00`. */
export class JsonRaw {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except that a JsonRaw is written as its text. */
export function compactJson(value: unknown): string {
  if (value instanceof JsonRaw) return value.text
  if (Array.isArray(value)) return `[${value.map(compactJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const parts: string[] = []
    for (const [k, x] of Object.entries(value)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${compactJson(x)}`)
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(value)
}

export function prettyJson(value: unknown): string {
  let out = ''
  let depth = 0
  let sep = ''
  const eol = (): void => {
    out += '\n' + '    '.repeat(depth)
  }
  const eor = (): void => {
    out += sep
    sep = ','
  }
  const begin = (c: string): void => {
    eor()
    out += c
    depth++
    sep = ''
  }
  const end = (c: string): void => {
    depth--
    if (sep) eol()
    out += c
    sep = ','
  }
  const write = (v: unknown): void => {
    if (v instanceof JsonRaw) {
      eor()
      out += v.text
    } else if (Array.isArray(v)) {
      begin('[')
      out += ' '
      for (const x of v) write(x)
      if (sep) out += ' '
      sep = ''
      end(']')
    } else if (v !== null && typeof v === 'object') {
      begin('{')
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue
        eor()
        eol()
        sep = ''
        out += `${JSON.stringify(k)}: `
        write(x)
      }
      end('}')
    } else {
      eor()
      out += JSON.stringify(v)
    }
  }
  write(value)
  return out
}
