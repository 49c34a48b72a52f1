// The completion scripts, run by the real shells: bash sources the script and calls its function
// with COMP_LINE/COMP_WORDS set as bash sets them; zsh loads it and checks what it would offer.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'
import { bashScript } from '../../src-main/cli/completion.ts'
import type { CliCommand } from '../../src-main/cli/command.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const scripts = mkdtempSync(join(tmpdir(), 'podnet-completion-'))
/** Where the shells run: a lab file, another file and a directory. */
const dir = join(scripts, 'work')
const bashFile = join(scripts, 'podnet.bash')
const zshFile = join(scripts, 'podnet.zsh')

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {})
  return { code, out, err }
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** What bash offers for `line` (the cursor at its end), run in `dir`. */
function bash(line: string, script = bashFile): string[] {
  const program = `
    podnet() { ${sq(process.execPath)} ${sq(join(root, 'bin/podnet.js'))} "$@"; }
    source ${sq(script)}
    [[ $(complete -p podnet) == 'complete -F _podnet podnet' ]] || { echo 'not registered' >&2; exit 3; }
    COMP_LINE=${sq(line)}
    COMP_POINT=\${#COMP_LINE}
    read -r -a COMP_WORDS <<< "$COMP_LINE"
    [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
    _podnet
    printf '%s\\n' "\${COMPREPLY[@]}"
  `
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd: dir, encoding: 'utf8', timeout: 30_000 })
  if (r.status !== 0) throw new Error(`bash failed (${r.status}): ${r.stderr}`)
  return r.stdout.split('\n').filter(Boolean).sort()
}

/**
 * What zsh offers for `line`: an interactive zsh in a pseudo-terminal (zpty) loads compinit and
 * the script, Tab is typed after the line, and every match the completion adds is reported.
 */
function zsh(line: string): string[] {
  const setup = join(scripts, 'setup.zsh')
  writeFileSync(setup, `PROMPT='' RPROMPT=''
podnet() { ${sq(process.execPath)} ${sq(join(root, 'bin/podnet.js'))} "$@"; }
# Only the completion system's own functions: scanning every completion zsh ships is slow.
fpath=(\${(M)fpath:#*/Completion} \${(M)fpath:#*/Completion/(Base|Unix|Zsh)})
autoload -Uz compinit
compinit -u -D
source ${sq(zshFile)}
compadd() {
  local -a hits
  if (( \${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi
  builtin compadd -A hits "$@"
  local h
  for h in $hits; do print -r -- "<MATCH>$h"; done
  builtin compadd "$@"
}
finish() { print '<END>'; exit }
comppostfuncs=(finish)
`)
  const driver = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z ${sq(`source ${setup}`)}
zpty -w z "$1"$'\t'
local line
while zpty -r z line; do
  [[ $line == *'<END>'* ]] && break
  [[ $line == *'<MATCH>'* ]] && print -r -- "\${\${line##*<MATCH>}%%$'\r'*}"
done
zpty -d z
`
  const r = spawnSync('zsh', ['-f', '-c', driver, 'zsh', line], { cwd: dir, encoding: 'utf8', timeout: 30_000 })
  if (r.error || r.status !== 0) throw new Error(`zsh failed (scripts/install-system-deps.sh installs it): ${r.error?.message ?? r.stderr}`)
  return r.stdout.split('\n').filter(Boolean).sort()
}

beforeAll(async () => {
  const r = await cli('completion', 'bash')
  expect(r.code).toBe(0)
  writeFileSync(bashFile, r.out)
  mkdirSync(dir)
  writeFileSync(zshFile, (await cli('completion', 'zsh')).out)
  expect((await cli('new', 'routed', '-o', join(dir, 'lab.yaml'))).code).toBe(0)
  writeFileSync(join(dir, 'notes.txt'), '')
  writeFileSync(join(dir, 'overlay.podnet'), '')
  mkdirSync(join(dir, 'labs'))
})

describe('bash completion', () => {
  it('completes commands, options and their choices', () => {
    expect(bash('podnet ')).toEqual(['capture', 'compare', 'completion', 'exec', 'exercise', 'exercises', 'export', 'help', 'new', 'run', 'scenarios', 'trace'])
    expect(bash('podnet tr')).toEqual(['trace'])
    expect(bash('podnet trace --p')).toEqual(['--port', '--proto'])
    expect(bash('podnet trace lab.yaml --proto ')).toEqual(['icmp', 'udp'])
    expect(bash('podnet capture lab.yaml -F ')).toEqual(['pcap', 'pcapng'])
    expect(bash('podnet trace lab.yaml --size ')).toEqual([])
    expect(bash('podnet new fl')).toEqual(['flannel-host-gw', 'flannel-vxlan'])
    expect(bash('podnet completion ')).toEqual(['bash', 'zsh'])
    expect(bash('podnet help ')).toEqual(bash('podnet '))
    expect(bash('podnet help ca')).toEqual(['capture'])
  })

  it('offers lab files (and directories) where a lab is expected, any file elsewhere', () => {
    expect(bash('podnet trace ')).toEqual(['lab.yaml', 'labs', 'overlay.podnet'])
    expect(bash('podnet run ')).toEqual(['lab.yaml', 'labs', 'notes.txt', 'overlay.podnet'])
    expect(bash('podnet run x.sh --lab ')).toEqual(['lab.yaml', 'labs', 'overlay.podnet'])
  })

  it('completes namespaces and NS:DEV interfaces from the lab file on the line', { timeout: 30_000 }, () => {
    expect(bash('podnet trace lab.yaml --from po')).toEqual(['pod1', 'pod2', 'pod3', 'pod4'])
    expect(bash('podnet exec lab.yaml --netns no')).toEqual(['node1', 'node2'])
    // bash splits the word at the colon, so only what follows it is offered.
    expect(bash('podnet capture lab.yaml --from pod1 --to pod4 -i pod1:')).toEqual(['eth0', 'lo'])
    expect(bash('podnet capture lab.yaml --from pod1 --to pod4 --iface node1:c')).toEqual(['cbr0'])
    // No lab on the line: nothing to offer, and no error.
    expect(bash('podnet trace --from ')).toEqual([])
  })

  it("completes the program of exec's command, then leaves its words alone", () => {
    expect(bash('podnet exec lab.yaml i')).toEqual(['ifconfig', 'ip'])
    expect(bash('podnet exec lab.yaml -- tc')).toEqual(['tcpdump'])
    expect(bash('podnet exec lab.yaml ip --')).toEqual([])
    expect(bash('podnet exec lab.yaml ip -n ')).toEqual([])
  })

  it('walks nested commands', () => {
    const sub = (name: string): CliCommand => ({ name, summary: { en: name, ja: name }, args: [{ name: 'ID', help: { en: 'id', ja: 'id' }, choices: ['e1', 'e2'] }], options: [{ name: 'lab', value: 'FILE', complete: 'lab-file', help: { en: 'x', ja: 'x' } }], run: () => 0 })
    const tree: CliCommand[] = [{ name: 'exercise', summary: { en: 'x', ja: 'x' }, subcommands: [sub('start'), sub('check')] }, { name: 'help', summary: { en: 'x', ja: 'x' }, args: [{ name: 'COMMAND', optional: true, variadic: true, complete: 'command', help: { en: 'x', ja: 'x' } }], run: () => 0 }]
    const file = join(scripts, 'nested.bash')
    writeFileSync(file, bashScript(tree, [], [], '0'))
    expect(bash('podnet exercise ', file)).toEqual(['check', 'start'])
    expect(bash('podnet exercise start ', file)).toEqual(['e1', 'e2'])
    expect(bash('podnet exercise start --lab ', file)).toEqual(['lab.yaml', 'labs', 'overlay.podnet'])
    expect(bash('podnet exercise start e1 --', file)).toEqual(['--help', '--lab'])
    expect(bash('podnet help exercise ', file)).toEqual(['check', 'start'])
  })
})

describe('zsh completion', () => {
  it('completes commands, choices, lab files and namespaces', { timeout: 60_000 }, () => {
    expect(zsh('podnet ')).toEqual(['capture', 'compare', 'completion', 'exec', 'exercise', 'exercises', 'export', 'help', 'new', 'run', 'scenarios', 'trace'])
    expect(zsh('podnet trace lab.yaml --proto ')).toEqual(['icmp', 'udp'])
    expect(zsh('podnet capture --')).toEqual(expect.arrayContaining(['--iface', '--format', '--no-promisc']))
    expect(zsh('podnet trace ')).toEqual(['lab.yaml', 'overlay.podnet'])
    expect(zsh('podnet trace lab.yaml --from po')).toEqual(['pod1', 'pod2', 'pod3', 'pod4'])
    expect(zsh('podnet capture lab.yaml -i pod1:')).toEqual(['pod1:eth0', 'pod1:lo'])
  })

  it('is a valid completion function file for $fpath', () => {
    const r = spawnSync('zsh', ['-n', zshFile], { encoding: 'utf8' })
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(readFileSync(zshFile, 'utf8').split('\n')[0]).toBe('#compdef podnet')
  })
})

describe('podnet completion', () => {
  it('lists the namespaces and interfaces of a lab', async () => {
    const names = await cli('completion', '--names', join(dir, 'lab.yaml'))
    expect(names.out.split('\n')).toEqual(expect.arrayContaining(['underlay', 'node1', 'pod1', 'pod4']))
    const ifaces = await cli('completion', '--ifaces', join(dir, 'lab.yaml'))
    expect(ifaces.out.split('\n')).toEqual(expect.arrayContaining(['pod1:lo', 'pod1:eth0', 'node1:cbr0']))
  })

  it('needs exactly one of a shell, --names and --ifaces', async () => {
    expect((await cli('completion')).code).toBe(2)
    expect((await cli('completion', 'fish')).err).toMatch(/SHELL must be bash or zsh, not "fish"/)
    expect((await cli('completion', 'bash', '--names', 'x')).code).toBe(2)
  })
})
