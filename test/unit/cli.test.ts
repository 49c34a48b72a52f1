import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/main.ts'
import { COMMANDS } from '../../src-main/cli/registry.ts'
import { dispatch } from '../../src-main/cli/dispatch.ts'
import type { CliCommand, CliContext } from '../../src-main/cli/command.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {})
  return { code, out, err }
}

const dir = mkdtempSync(join(tmpdir(), 'podnet-cli-'))
const file = (name: string): string => join(dir, name)

describe('podnet new / trace', () => {
  it('writes a lab file and traces walkthrough 2 from it', async () => {
    const r = await cli('new', 'routed', '-o', file('lab.yaml'))
    expect(r).toMatchObject({ code: 0, out: '', err: '' })
    const text = readFileSync(file('lab.yaml'), 'utf8')
    expect(text).toContain('apiVersion: podnet.dev/v1')
    expect(text).toContain('ip: 10.244.2.3')
    const t = await cli('trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4')
    expect(t.code).toBe(0)
    expect(t.out.split('\n')[0]).toBe('Trace pod1 (10.244.1.2) → pod4 (10.244.2.3), ICMP echo')
    expect(t.out).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0')
    expect(t.out.trimEnd().split('\n').at(-1)).toBe('Result: the packet from pod1 reaches pod4')
  })

  it('gives the trace as JSON with steps and raw events', async () => {
    await cli('new', 'flannel-vxlan', '-o', file('fl.yaml'))
    const t = await cli('trace', file('fl.yaml'), '--from', 'pod1', '--to', '10.244.2.3', '--json', '--warm')
    const rep = JSON.parse(t.out)
    expect(rep.to).toEqual({ name: 'pod4', ip: '10.244.2.3' })
    expect(rep.steps.some((s: { msg: string }) => s.msg === 'encap.vxlan')).toBe(true)
    expect(rep.events[0]).toHaveProperty('frame')
  })

  it('explains a drop and exits 1', async () => {
    writeFileSync(file('broken.yaml'), readFileSync(file('lab.yaml'), 'utf8').replace('commands: []', 'commands:\n    - ip -n node1 route del 10.244.2.0/24'))
    const t = await cli('trace', file('broken.yaml'), '--from', 'pod1', '--to', 'pod4')
    expect(t.code).toBe(1)
    expect(t.out).toContain('Result: the packet never arrives — 10.244.1.1: Destination Net Unreachable')
  })
})

describe('podnet run', () => {
  it('runs a command file and prints one JSON object per command', async () => {
    writeFileSync(file('cmds.sh'), '# a comment\n\nip netns add a\nip -n a link set lo up\nip netns exec a ping -c 1 127.0.0.1\nip -n a route get 10.0.0.1\n')
    const r = await cli('run', file('cmds.sh'), '--json')
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.line, l.command, l.exitCode])).toEqual([
      [3, 'ip netns add a', 0],
      [4, 'ip -n a link set lo up', 0],
      [5, 'ip netns exec a ping -c 1 127.0.0.1', 0],
      [6, 'ip -n a route get 10.0.0.1', 2],
    ])
    expect(lines[3].stderr).toBe('RTNETLINK answers: Network is unreachable\n')
    expect(lines[2].stdout).toContain('1 packets transmitted, 1 received, 0% packet loss')
  })

  it('runs in a lab with --lab', async () => {
    writeFileSync(file('in-lab.sh'), 'ip -n node1 route\n')
    const r = await cli('run', file('in-lab.sh'), '--lab', file('lab.yaml'))
    expect(r.out).toContain('10.244.2.0/24 via 192.168.0.12 dev eth0 \n')
  })
})

describe('bad input', () => {
  it('answers with a message and a non-zero exit, never a stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['frobnicate'], 2, /^podnet: unknown command "frobnicate"\nRun 'podnet --help'/],
      [['--frobnicate'], 2, /^podnet: unknown option "--frobnicate"/],
      [['new'], 2, /^podnet new: missing SCENARIO \(a built-in scenario\)\nUsage: podnet new SCENARIO \[OPTIONS\]\n/],
      [['new', 'mesh'], 2, /^podnet new: unknown scenario "mesh"; choose one of: same-node, routed/],
      [['new', 'routed', '--nodes', 'x'], 2, /^podnet new: --nodes needs a whole number, not "x"/],
      [['new', 'routed', '--nodes', '1001'], 2, /--nodes must be between 0 and 1000, not 1001/],
      [['new', 'routed', 'extra'], 2, /^podnet new: unexpected argument "extra"/],
      [['new', 'routed', '--name'], 2, /^podnet new: option --name needs a value \(NAME\)/],
      [['trace', file('nope.yaml'), '--from', 'a', '--to', 'b'], 1, /^podnet trace: cannot read .*nope\.yaml: No such file or directory\n$/],
      [['trace', file('lab.yaml'), '--from', 'pod1'], 2, /^podnet trace: --to POD\|IP is required/],
      [['trace', file('lab.yaml')], 2, /^podnet trace: --from POD and --to POD\|IP are required/],
      [['trace', file('lab.yaml'), '--from', '--to', 'pod4'], 2, /^podnet trace: option --from needs a value \(POD\)/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod99'], 1, /^podnet trace: no pod or namespace named "pod99"/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--proto', 'tcp'], 2, /^podnet trace: --proto must be icmp or udp, not "tcp"/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--df=yes'], 2, /^podnet trace: option --df takes no value/],
      [['trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--port', '70000'], 2, /--port must be between 1 and 65535, not 70000/],
      [['run', file('nope.sh')], 1, /^podnet run: cannot read/],
      [['run', file('cmds.sh'), '-e', '--ignore-errors'], 2, /cannot be used together/],
      [['exec', file('lab.yaml')], 2, /^podnet exec: which command\?/],
      [['exec', file('lab.yaml'), '-c', 'ip route', '--', 'ip', 'link'], 2, /either with -c LINE or as COMMAND/],
      [['export', file('lab.yaml'), '--format', 'ansible'], 2, /^podnet export: --format must be iproute2, not "ansible"/],
      [['export', file('lab.yaml'), '--prefix', 'a b'], 2, /--prefix "a b" may only use/],
      [['trace', file('lab.yaml'), '--bogus'], 2, /^podnet trace: unknown option "--bogus"\nUsage: podnet trace FILE --from POD --to POD\|IP \[OPTIONS\]\nRun 'podnet trace --help' for more\.\n$/],
      [['help', 'frobnicate'], 2, /^podnet help: no such command "frobnicate"/],
    ]
    for (const [argv, code, err] of cases) {
      const r = await cli(...argv)
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), code])
      expect(r.err).toMatch(err)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
  })

  it('reports a malformed lab file with its position', async () => {
    writeFileSync(file('bad.yaml'), 'apiVersion: podnet.dev/v1\nkind: Lab\nmetadata: { name: x }\nspec:\n  seed: -4\n')
    const r = await cli('trace', file('bad.yaml'), '--from', 'a', '--to', 'b')
    expect(r.code).toBe(1)
    expect(r.err).toBe(`podnet trace: ${file('bad.yaml')}:5:9: spec.seed: must be a whole number from 0 to 4294967295\n`)
  })

  it('never leaves a half-written file behind when saving fails', async () => {
    const r = await cli('new', 'routed', '-o', join(dir, 'missing-dir', 'lab.yaml'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/cannot write/)
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false)
  })
})

describe('podnet export', () => {
  it('prints a flat script with prefixed namespaces, and its teardown', async () => {
    const r = await cli('export', file('lab.yaml'), '--format', 'iproute2', '--prefix', 'zz-')
    const lines = r.out.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(lines[0]).toBe("'ip' 'netns' 'add' 'zz-underlay'")
    expect(lines).toContain("'ip' '-n' 'zz-node1' 'route' 'add' '10.244.2.0/24' 'via' '192.168.0.12' 'dev' 'eth0'")
    expect(lines.every((l) => /^'(ip|bridge)' /.test(l))).toBe(true)
    expect(r.out).not.toMatch(/\$\{|\bfor\b|\bfunction\b|\bwhile\b/)
    const t = await cli('export', file('lab.yaml'), '--teardown', '--prefix', 'zz-')
    expect(t.out.split('\n').filter((l) => l.startsWith("'ip' 'netns' 'del' 'zz-"))).toHaveLength(7)
  })
})

describe('help and version', () => {
  it('prints every command\'s usage to stdout with exit 0, the same from help CMD and CMD --help', async () => {
    for (const c of COMMANDS) {
      const a = await cli('help', c.name)
      const b = await cli(c.name, '--help')
      const h = await cli(c.name, '-h')
      expect([c.name, a.code, a.err]).toEqual([c.name, 0, ''])
      expect(b).toEqual(a)
      expect(h).toEqual(a)
      expect(a.out.split('\n')[0]).toMatch(new RegExp(`^Usage: podnet ${c.name}\\b`))
      // Every option the command accepts is in its usage.
      for (const o of c.options ?? []) expect(a.out, `${c.name} --${o.name}`).toContain(`--${o.name}`)
    }
  })

  it('names the options a user looks for', async () => {
    expect((await cli('help', 'new')).out).toMatch(/--name NAME[\s\S]*-o, --output FILE/)
    expect((await cli('trace', '--help')).out).toMatch(/--df[\s\S]*--warm[\s\S]*--lang en\|ja/)
    expect((await cli('run', '--help')).out).toMatch(/--ignore-errors[\s\S]*Exit status: 0 when every command succeeded/)
  })

  it('--help wins over mistakes on the same line', async () => {
    const r = await cli('trace', '--bogus', '--help')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Usage: podnet trace/)
  })

  it('lists the commands with --help (exit 0) and without a command (stderr, exit 2)', async () => {
    const h = await cli('--help')
    expect(h.code).toBe(0)
    for (const c of COMMANDS) expect(h.out).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'))
    expect(await cli('help')).toEqual(h)
    const none = await cli()
    expect(none).toEqual({ code: 2, out: '', err: h.out })
  })

  it('takes the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(await cli('--version')).toEqual({ code: 0, out: `podnet ${pkg.version}\n`, err: '' })
    expect((await cli('-V')).out).toBe(`podnet ${pkg.version}\n`)
  })

  it('speaks Japanese when the locale does', async () => {
    const ja = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = ''
      let err = ''
      const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, { LANG: 'ja_JP.UTF-8' })
      return { code, out, err }
    }
    const h = await ja('trace', '--help')
    expect(h.out).toMatch(/^使い方: podnet trace FILE --from POD --to POD\|IP \[OPTIONS\]\n\nラボでパケットを 1 つ送り/)
    expect(h.out).toContain('--df')
    const e = await ja('trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--proto', 'tcp')
    expect(e.code).toBe(2)
    expect(e.err).toMatch(/^podnet trace: --proto には icmp、udp のいずれかを指定してください/)
    // The trace's explanation follows the locale unless --lang says otherwise.
    expect((await ja('trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4')).out).toMatch(/結果|届/)
    expect((await ja('trace', file('lab.yaml'), '--from', 'pod1', '--to', 'pod4', '--lang', 'en')).out).toContain('Result: the packet from pod1 reaches pod4')
  })
})

describe('exit statuses of run and exec', () => {
  it('run exits 1 when a command failed, with or without --json, unless --ignore-errors', async () => {
    writeFileSync(file('fails.sh'), 'ip netns add a\nip -n a route get 10.0.0.1\nip netns add b\n')
    const plain = await cli('run', file('fails.sh'))
    expect(plain).toEqual({ code: 1, out: '', err: 'RTNETLINK answers: Network is unreachable\n' })
    const json = await cli('run', file('fails.sh'), '--json')
    expect(json.code).toBe(1)
    expect(json.out.trimEnd().split('\n').map((l) => JSON.parse(l).exitCode)).toEqual([0, 2, 0])
    expect((await cli('run', file('fails.sh'), '--json', '--ignore-errors')).code).toBe(0)
    const stop = await cli('run', file('fails.sh'), '--json', '--stop-on-error')
    expect(stop.code).toBe(1)
    expect(stop.out.trimEnd().split('\n').map((l) => JSON.parse(l).line)).toEqual([1, 2])
    writeFileSync(file('ok.sh'), 'ip netns add a\nip -n a link set lo up\n')
    expect((await cli('run', file('ok.sh'))).code).toBe(0)
  })

  it('exec passes its words through with their quoting, and gives the command\'s exit status', async () => {
    expect(await cli('exec', file('lab.yaml'), '--', 'echo', 'a  b', "it's", '$HOME', '2>x', '#no', '')).toEqual({ code: 0, out: "a  b it's $HOME 2>x #no \n", err: '' })
    // Options of the command need no `--` once the command has begun.
    const r = await cli('exec', file('lab.yaml'), 'ip', '-n', 'node1', 'route', 'show', '10.244.2.0/24')
    expect(r).toEqual({ code: 0, out: '10.244.2.0/24 via 192.168.0.12 dev eth0 \n', err: '' })
    const ns = await cli('exec', file('lab.yaml'), '--netns', 'pod1', '--', 'ip', 'route', 'get', '10.244.2.3')
    expect(ns.out).toMatch(/^10\.244\.2\.3 via 10\.244\.1\.1 dev eth0 src 10\.244\.1\.2/)
    const bad = await cli('exec', file('lab.yaml'), '--', 'ip', 'route', 'get', '10.0.0.300')
    expect(bad.code).not.toBe(0)
    expect(bad.err).toMatch(/Error: /)
    const line = await cli('exec', file('lab.yaml'), '-n', 'node1', '-c', 'ip route get 10.244.1.2 && echo "yes  it is"')
    expect(line.out).toMatch(/dev cbr0 src 10\.244\.1\.1[\s\S]*\nyes {2}it is\n$/)
  })
})

describe('registry and dispatch', () => {
  it('runs a command added to the registry, with its subcommands, and hides internal errors', async () => {
    const calls: string[] = []
    const sub = (name: string): CliCommand => ({
      name,
      summary: { en: `do ${name}`, ja: `${name} する` },
      args: [{ name: 'ID', help: { en: 'an id', ja: 'ID' } }],
      options: [{ name: 'count', value: 'N', multiple: true, help: { en: 'a count', ja: '数' } }],
      run(inv) {
        calls.push(`${inv.path.join('/')} ${inv.args.join(',')} ${inv.strings('count').join(',')}`)
        if (inv.args[0] === 'boom') throw new TypeError('cannot read properties of undefined')
        return 0
      },
    })
    // A group name no real command has, so the registry's own commands do not shadow it.
    const group: CliCommand = { name: 'drill', summary: { en: 'drills', ja: '練習' }, subcommands: [sub('start'), sub('check')] }
    let out = ''
    let err = ''
    const ctx: CliContext = { io: { out: (s) => (out += s), err: (s) => (err += s) }, lang: 'en', commands: [...COMMANDS, group], version: '9.9.9', debug: false, t: (x) => x.en }
    expect(await dispatch(['drill', 'start', 'e1', '--count', '1', '--count=2'], ctx)).toBe(0)
    expect(calls).toEqual(['drill/start e1 1,2'])
    expect(await dispatch(['help', 'drill', 'check'], ctx)).toBe(0)
    expect(out).toMatch(/^Usage: podnet drill check ID \[OPTIONS\]\n\nDo check\.\n[\s\S]*--count N +a count \(may be repeated\)/)
    out = ''
    expect(await dispatch(['drill'], ctx)).toBe(2)
    expect(err).toMatch(/^Usage: podnet drill \{start\|check\} \.\.\.[\s\S]*start +do start/)
    err = ''
    expect(await dispatch(['drill', 'stop'], ctx)).toBe(2)
    expect(err).toMatch(/^podnet drill: unknown subcommand "stop"/)
    err = ''
    expect(await dispatch(['drill', 'start', 'boom'], ctx)).toBe(70)
    expect(err).toBe('podnet drill start: internal error: cannot read properties of undefined\n')
  })
})

describe('docs/cli.md', () => {
  it('documents every command and every option', () => {
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8')
    for (const c of COMMANDS) {
      expect(doc, c.name).toContain(`\`podnet ${c.name}`)
      for (const o of c.options ?? []) expect(doc, `${c.name} --${o.name}`).toContain(`--${o.name}`)
    }
  })
})
