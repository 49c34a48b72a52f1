import type { Ctx } from './context.ts'

/**
 * What `-json` prints, as iproute2's json_writer writes it: compact, or with `-pretty` its own
 * layout (4-space indents, `[ ` and ` ]` around arrays, arrays of scalars on one line,
 * `},{` between objects), which JSON.stringify's indentation does not reproduce.
 */
export function printJson(ctx: Ctx, value: unknown, pretty: boolean): void {
  ctx.println(pretty ? prettyJson(value) : JSON.stringify(value))
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
    if (Array.isArray(v)) {
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
