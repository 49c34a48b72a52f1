import { KernelError } from '../kernel/errors.ts'
import type { Command } from './context.ts'

/** procps `sysctl`: read `key`, write `-w key=value`, `-q`, `-n`, `-a`. Dots or slashes in keys. */
export const sysctl: Command = (ctx, argv) => {
  let write = false
  let quiet = false
  let valuesOnly = false
  let all = false
  const items: string[] = []
  for (const a of argv) {
    if (a.startsWith('-') && a.length > 1 && !a.includes('=')) {
      for (const c of a.slice(1)) {
        if (c === 'w') write = true
        else if (c === 'q') quiet = true
        else if (c === 'n') valuesOnly = true
        else if (c === 'a' || c === 'A' || c === 'X') all = true
        else if (c === 'e' || c === 'N' || c === 'b') {
          /* accepted */
        } else {
          ctx.eprintln(`sysctl: unknown option '${a}'`)
          return 1
        }
      }
    } else items.push(a)
  }
  const s = ctx.netns.sysctl
  if (all) {
    for (const k of s.keys()) ctx.println(valuesOnly ? s.get(k)! : `${k} = ${s.get(k)}`)
    return 0
  }
  if (items.length === 0) {
    ctx.eprintln('sysctl: no variables specified')
    ctx.eprintln("Try `sysctl --help' for more information.")
    return 1
  }
  let rc = 0
  for (const item of items) {
    const eq = item.indexOf('=')
    if (write || eq >= 0) {
      if (eq < 0) {
        ctx.eprintln('sysctl: command line(0): invalid syntax, continuing...')
        rc = 1
        continue
      }
      const key = item.slice(0, eq).trim().replace(/\//g, '.')
      const value = item.slice(eq + 1)
      if (!s.has(key)) {
        ctx.eprintln(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`)
        rc = 1
        continue
      }
      try {
        s.set(key, value)
        ctx.change()
      } catch (e) {
        if (e instanceof KernelError) {
          ctx.eprintln(`sysctl: setting key "${key}": Invalid argument`)
          rc = 1
          continue
        }
        throw e
      }
      if (!quiet) ctx.println(valuesOnly ? value.trim() : `${key} = ${value.trim()}`)
      continue
    }
    const key = item.replace(/\//g, '.')
    if (!s.has(key)) {
      ctx.eprintln(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`)
      rc = 1
      continue
    }
    ctx.println(valuesOnly ? s.get(key)! : `${key} = ${s.get(key)}`)
  }
  return rc
}
