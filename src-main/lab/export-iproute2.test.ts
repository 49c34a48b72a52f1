import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { API_VERSION, KIND, type LabDoc } from './format.ts'
import { EXPORT_PROGRAMS, ExportError, exportParts, exportScript, renderScript } from './export-iproute2.ts'
import { scenarioLab } from './session.ts'
import { thrown } from '../../test/unit/thrown.ts'

/** One word of a script line: single-quoted pieces joined by \' (how quoteWord writes a quote). */
const WORD = /'[^']*'(?:\\''[^']*')*/y

/** Splits a script line into words, or null when a word is not written in single quotes. */
function quotedWords(line: string): string[] | null {
  const words: string[] = []
  let i = 0
  while (i < line.length) {
    WORD.lastIndex = i
    const m = WORD.exec(line)
    if (!m) return null
    words.push(m[0].replace(/\\''/g, "\\'").split("\\'").map((piece) => piece.slice(1, -1)).join("'"))
    i = WORD.lastIndex
    if (i < line.length) {
      if (line[i] !== ' ') return null
      i++
    }
  }
  return words
}

/** The program a command line runs, looking through `ip [-n NS] netns exec NS ...`. */
function programs(words: string[]): string[] {
  const out = [words[0]]
  if (words[0] === 'ip') {
    let i = 1
    while (i < words.length && words[i].startsWith('-')) i += words[i] === '-n' ? 2 : 1
    if (words[i] === 'netns' && words[i + 1] === 'exec' && words.length > i + 3) out.push(...programs(words.slice(i + 3)))
  }
  return out
}

/** Checks a script as bash reads it: syntax, comments that stay comments, only quoted words, only allowed programs. */
function checkScript(text: string): void {
  const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  const lines = text.split('\n')
  expect(lines.pop()).toBe('')
  expect(lines[0]).toBe('#!/bin/bash')
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) {
      expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u)
      continue
    }
    const words = quotedWords(line)
    expect(words, `every word quoted: ${line}`).not.toBeNull()
    for (const p of programs(words!)) expect(EXPORT_PROGRAMS.has(p), `${p} in ${line}`).toBe(true)
  }
}

function lab(commands: string[], name = 'demo', cluster = false): LabDoc {
  const doc = cluster ? scenarioLab('routed') : { apiVersion: API_VERSION, kind: KIND, metadata: { name }, spec: { seed: 1, commands: [] } }
  doc.metadata.name = name
  doc.spec.commands = commands
  return doc as LabDoc
}

describe('iproute2 export', () => {
  it('writes only what the engine accepted, every word quoted, names kept inside comments', () => {
    const doc = lab(['touch /tmp/x', 'echo owned > /etc/motd', "ip netns add 'x;touch pwned'", "ip netns exec 'x;touch pwned' ip link set lo up", 'ping -c 1 127.0.0.1', '/tmp/evil/ip netns add y'], 'demo\nrm -rf /tmp/x')
    const text = exportScript(doc, { prefix: 'demo-' })
    checkScript(text)
    expect(text).not.toMatch(/^'touch'|^'echo'|^rm /m)
    expect(text).toContain("# demo\\u000arm -rf /tmp/x: exported by PodNet Lab")
    expect(text).toContain("'ip' 'netns' 'add' 'demo-x;touch pwned'")
    expect(text).toContain("'ip' 'netns' 'exec' 'demo-x;touch pwned' 'ip' 'link' 'set' 'lo' 'up'")
    // The program is run by its name, as the engine ran it, never from a path the lab named.
    expect(text).toContain("'ip' 'netns' 'add' 'demo-y'")
    expect(text).toMatch(/# spec\.commands\[0\] is left out \(it failed in the lab and changed nothing\): touch \/tmp\/x/)
    expect(text).toMatch(/# spec\.commands\[1\] is left out \(it failed in the lab and changed nothing\): echo owned > \/etc\/motd/)
    expect(text).toMatch(/# spec\.commands\[4\] is left out \(it only looks at the network or lets time pass\)/)
    const down = exportScript(doc, { prefix: 'demo-', teardown: true })
    checkScript(down)
    expect(down).toContain("'ip' 'netns' 'del' 'demo-x;touch pwned'")
    expect(down).not.toMatch(/^[^#]*;touch pwned$/m)
  })

  it('keeps only the parts of a line that ran and succeeded', () => {
    const parts = exportParts(lab(['ip netns add a && ip netns add b; foo; ip netns add a || ip netns add c']))
    expect(parts.commands[0].lines).toEqual(["'ip' 'netns' 'add' 'a'", "'ip' 'netns' 'add' 'b'", "'ip' 'netns' 'add' 'c'"])
    expect(parts.teardown).toEqual(["'ip' 'netns' 'del' 'c'", "'ip' 'netns' 'del' 'b'", "'ip' 'netns' 'del' 'a'"])
  })

  it('refuses, with the command it is about, what a script cannot do safely', () => {
    const refused = (commands: string[]): ExportError => thrown(ExportError, () => exportParts(lab(commands)))
    // A failed sysctl is harmless in the lab; one that set half its keys cannot be repeated.
    expect(refused(['ip netns add a', 'ip netns exec a sysctl -w net.ipv4.ip_forward=1 kernel.core_pattern=x']).message).toMatch(/^spec\.commands\[1\]: .*failed part way/)
    expect(refused(['ip netns add a', 'ip -all netns exec ip link set lo up']).message).toMatch(/^spec\.commands\[1\]: "ip -all" acts on every namespace/)
    expect(refused(['ip netns add "a\u0000b"']).path).toBe('spec.commands[0]')
    expect(() => exportParts(lab([]), { prefix: "x'; rm" })).toThrow(ExportError)
    // A failed sysctl on a key the lab does not know is left out, never written for a real machine.
    const text = exportScript(lab(['ip netns add a', "ip netns exec a sysctl -w 'kernel.core_pattern=|/bin/sh'"]))
    checkScript(text)
    expect(text).not.toMatch(/^[^#].*core_pattern/m)
  })

  it('exports random labs as scripts bash accepts, with nothing but quoted configuration commands', () => {
    const names = ['a', 'x;touch p', "q'uote", 'd$(id)', 'b`id`', 'sp ace', 'n\\l', 'star*', '-n', '日本']
    const command = fc.oneof(
      fc.constantFrom(...names).map((n) => `ip netns add '${n.replace(/'/g, "'\\''")}'`),
      fc.constantFrom(...names).map((n) => `ip -n '${n.replace(/'/g, "'\\''")}' link add v0 type veth peer name v1`),
      fc.constantFrom(...names).map((n) => `ip netns exec '${n.replace(/'/g, "'\\''")}' sysctl -w net.ipv4.ip_forward=1`),
      fc.constantFrom('touch /tmp/x', 'echo hi > /etc/motd', 'ip -b /etc/passwd', 'sysctl -p /etc/x', 'ping -c 1 10.244.1.2', 'sleep 1', 'ip netns exec node1 sh -c id', 'podnet pod add extra --node node1', 'podnet node del node1', '$(id)', 'ip route show'),
      fc.constantFrom('node1', 'node2', 'pod1').map((n) => `ip -n ${n} link set eth0 mtu 1400 && ip -n ${n} link set lo up; false || true`),
    )
    fc.assert(
      fc.property(fc.array(command, { maxLength: 8 }), fc.integer({ min: 0, max: 3 }).map((n) => n === 0), fc.string({ maxLength: 12 }), fc.constantFrom('', 'demo-', 'x.'), (commands, cluster, name, prefix) => {
        let doc: LabDoc
        try {
          doc = lab(commands, name || 'n', cluster)
          const parts = exportParts(doc, { prefix })
          checkScript(renderScript(parts, false))
          checkScript(renderScript(parts, true))
        } catch (e) {
          if (!(e instanceof ExportError)) throw e
          expect(e.path).toMatch(/^spec\.commands\[\d+\]$/)
        }
      }),
      { numRuns: 40, ...(process.env.PODNET_FUZZ_SEED ? { seed: Number(process.env.PODNET_FUZZ_SEED) } : {}) },
    )
  })
})
