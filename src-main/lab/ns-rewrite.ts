/**
 * Renames network namespaces inside a command's words (`ip -n NS`, `ip netns add|del|exec NS`,
 * `... netns NS` in link commands, `bridge -n NS`), so an exported lab can live beside other
 * namespaces on a real machine under a prefix.
 */
export function rewriteArgv(argv: string[], rename: (ns: string) => string): string[] {
  const a = [...argv]
  const prog = a[0]
  if (prog === 'ip' || prog === 'bridge') {
    let i = 1
    while (i < a.length && a[i].startsWith('-')) {
      if (isNetnsOpt(a[i]) && i + 1 < a.length) {
        a[i + 1] = rename(a[i + 1])
        i += 2
        continue
      }
      i++
    }
    if (prog === 'ip' && i < a.length && 'netns'.startsWith(a[i]) && a[i].length >= 3) {
      const verb = a[i + 1]
      if (verb && a[i + 2] !== undefined && ['add', 'delete', 'del', 'exec', 'set', 'attach', 'pids', 'monitor'].some((v) => v.startsWith(verb) && verb.length >= 1)) {
        a[i + 2] = rename(a[i + 2])
        if ('exec'.startsWith(verb) && verb.length >= 1 && a.length > i + 3) {
          const inner = rewriteArgv(a.slice(i + 3), rename)
          return [...a.slice(0, i + 3), ...inner]
        }
      }
      return a
    }
    // Link commands: the word after `netns` names a namespace.
    for (let j = i; j < a.length - 1; j++) if (a[j] === 'netns') a[j + 1] = rename(a[j + 1])
  }
  return a
}

function isNetnsOpt(w: string): boolean {
  return w === '-n' || (w.length > 2 && '-netns'.startsWith(w)) || (w.startsWith('--') && '--netns'.startsWith(w) && w.length > 3)
}
