import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_COMMAND_NS } from '../../src-main/engine/kernel/budget.ts'
import { COMMAND_OVERHEAD_NS } from '../../src-main/engine/commands/index.ts'
import { COMMANDS } from '../../src-main/engine/commands/table.ts'
import { LabSession, scenarioLab } from '../../src-main/lab/session.ts'
import { configSnapshot, sameConfig } from '../../src-main/lab/snapshot.ts'
import { fuzzOptions, fuzzScale } from './fuzz-options.ts'

// Command lines from outside: every program of the command table (and the lab's own `podnet`
// commands) with random words, flags, numbers, addresses and shell syntax, typed into an open lab
// as its terminal does. Each line must end with an exit status and messages: never an exception,
// never an 'internal' error or a stack trace, never a hang (bounded in simulated and wall time),
// and after each line the live lab equals its replay from the file it would save.

const NAMESPACES = ['node1', 'node2', 'pod1', 'pod2', 'pod3', 'underlay', 'nosuch', '']
const DEVICES = ['lo', 'eth0', 'cbr0', 'flannel.1', 'br0', 'v1', 'w1', 'nosuch0', 'a'.repeat(16), 'eth0@x']
const ADDRESSES = [
  '10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.1.1', '10.244.2.0/24', '10.244.0.0/16', '192.168.0.11', '192.168.0.12', '192.168.0.0/24', '0.0.0.0/0', '127.0.0.1',
  '255.255.255.255', '224.0.0.1', '10.9.9.9/32', '1.2.3.4/33', '300.1.2.3', '10.244.1', '1.2.3.4.5', '::1', 'fe80::1/64', 'default', 'any', 'all',
  '02:00:00:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '02:00:00:00:00', 'zz:00:00:00:00:01',
]
const NUMBERS = ['0', '1', '2', '3', '-1', '68', '1450', '1500', '65507', '65508', '65535', '65536', '2147483647', '2147483648', '4294967296', '9223372036854775807', '100000000000000000000', '1e30', '1.5', '0x10', '010', 'NaN', 'inf', '-0', '0.001', '100000000d', '3s', '1m', '2h', '']
const PROTO_WORDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__=1', 'constructor=1', 'net.ipv4.__proto__', 'net.ipv4.conf.constructor.forwarding']
const SHELL = [';', '&&', '||', '|', '&', '>', '>/dev/null', '2>&1', '&>', '>&2', '>/tmp/x', '<', '(', ')', '#', '"', "'", '\\', '$(id)', '`id`', '$HOME', '*', '~', '{a,b}', 'a b', '\t', '\u0000', '\u001b[2J', 'é', '漢字']

/** Each program's own vocabulary: its objects, verbs, options and keywords. */
const VOCABULARY: Record<string, readonly string[]> = {
  ip: ['link', 'l', 'addr', 'address', 'a', 'route', 'r', 'ro', 'neigh', 'n', 'neighbour', 'netns', 'rule', 'maddr', 'tunnel', 'monitor', 'help', 'add', 'del', 'delete', 'set', 'show', 's', 'list', 'ls', 'flush', 'get', 'change', 'replace', 'append', 'prepend', 'exec', 'identify', 'list-id', 'pids', 'attach', '-n', '-netns', '-j', '-json', '-p', '-pretty', '-s', '-stats', '-d', '-details', '-4', '-6', '-o', '-oneline', '-br', '-brief', '-all', '-batch', '-V', '-force', 'dev', 'type', 'veth', 'bridge', 'vxlan', 'dummy', 'peer', 'name', 'master', 'nomaster', 'up', 'down', 'mtu', 'address', 'lladdr', 'via', 'src', 'table', 'main', 'local', 'metric', 'proto', 'kernel', 'static', 'scope', 'link', 'host', 'global', 'nud', 'permanent', 'reachable', 'stale', 'noarp', 'router', 'id', 'vni', 'remote', 'dstport', 'learning', 'nolearning', 'ttl', 'srcport', 'ageing', 'brd', 'broadcast', '+', 'label', 'onlink', 'blackhole', 'unreachable', 'prohibit', 'throw', 'unicast', 'promisc', 'on', 'off', 'alias', 'txqueuelen', 'netns', 'to', 'from', 'iif', 'oif', 'fibmatch', 'cache', 'root', 'match', 'exact', 'noprefixroute', 'arp', 'allmulticast', 'nexthop', 'weight'],
  ping: ['-c', '-s', '-i', '-W', '-w', '-t', '-I', '-M', 'do', 'dont', 'want', 'probe', '-q', '-n', '-f', '-b', '-4', '-6', '-D', '-O', '-p', '-Q', '-l', '-R', '-v', '-h', '--help', '-V', '-c1', '-s65508', '-w0'],
  arping: ['-c', '-w', '-W', '-I', '-s', '-i', '-f', '-q', '-b', '-D', '-U', '-A', '-0', '-V', '-h', 'eth0', 'cbr0', '-c0', '-w0'],
  traceroute: ['-n', '-q', '-w', '-m', '-f', '-p', '-I', '-T', '-U', '-z', '-N', '--help', '-V'],
  tcpdump: ['-i', '-n', '-nn', '-e', '-c', '-v', '-vv', '-l', '-w', '-r', '-A', '-X', 'icmp', 'arp', 'udp', 'tcp', 'ip', 'ip6', 'vxlan', 'host', 'src', 'dst', 'port', 'and', 'or', 'not', '(', ')', 'any', 'net', 'greater', 'less', '--help'],
  sysctl: ['-w', '-a', '-n', '-N', '-p', '-e', '-q', '-A', '-r', '--system', 'net.ipv4.ip_forward', 'net.ipv4.ip_forward=1', 'net.ipv4.ip_forward=0', 'net.ipv4.ip_forward=2', 'net.ipv4.ip_forward=abc', 'net.ipv4.conf.all.rp_filter=2', 'net.ipv4.conf.eth0.forwarding', 'net.ipv4.icmp_ratelimit=0', 'net.ipv4.ip_default_ttl=0', 'net.ipv4.ip_default_ttl=256', 'net.ipv4.neigh.default.gc_thresh1=1', 'net.ipv4', 'net', 'kernel.hostname', 'net.ipv4.conf.all.proxy_arp=1', 'net/ipv4/ip_forward', 'a=b=c', '=1'],
  bridge: ['fdb', 'link', 'vlan', 'mdb', 'monitor', 'add', 'append', 'replace', 'del', 'show', 'dev', 'br', 'brport', 'dst', 'port', 'vni', 'self', 'master', 'permanent', 'static', 'dynamic', 'router', 'extern_learn', '-n', '-j', '-p', '-s', '-d', 'help'],
  brctl: ['addbr', 'delbr', 'addif', 'delif', 'show', 'showmacs', 'showstp', 'stp', 'setageing', 'hairpin', 'br0', 'cbr0'],
  route: ['-n', '-e', 'add', 'del', '-net', '-host', 'gw', 'netmask', 'dev', 'metric', 'default', 'reject'],
  arp: ['-n', '-a', '-s', '-d', '-i', '-e', '-v', 'temp', 'pub'],
  ifconfig: ['-a', 'up', 'down', 'mtu', 'netmask', 'broadcast', 'hw', 'ether', 'promisc', '-promisc', 'add', 'del'],
  sleep: ['infinity', 'inf', '1d', '0.5s', '--help'],
  timeout: ['-s', 'KILL', '-k', '--preserve-status', '--foreground', '-v', 'tcpdump', 'ping', 'sleep', 'ip'],
  echo: ['-n', '-e', '-E', 'hello', '\\n', '\\c'],
  podnet: ['node', 'pod', 'cluster', 'add', 'del', 'delete', 'move', 'mode', '--node', '--ip', '--mtu', 'routes', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw', 'node3', 'pod9', 'underlay', 'router', 'abc', 'trace', 'new'],
  exec: ['ip', 'ping', 'sysctl', 'bash', '-c', 'ip link', 'ls', 'rm', '/sbin/ip', '/bin/bash'],
}

const PROGRAMS = [...Object.keys(COMMANDS), 'podnet', 'touch', 'rm', 'cat', '/sbin/ip', '/usr/bin/ping', './ip', 'wait', 'cd', 'export', 'sudo', 'IP']

/** Any word a line may hold, weighted towards the program's own. */
function wordFor(program: string): fc.Arbitrary<string> {
  const own = VOCABULARY[program.replace(/^.*\//, '')] ?? VOCABULARY.exec
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 4, arbitrary: fc.constantFrom(...NAMESPACES, ...DEVICES) },
    { weight: 4, arbitrary: fc.constantFrom(...ADDRESSES) },
    { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTO_WORDS) },
    { weight: 1, arbitrary: fc.constantFrom(...SHELL) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(VOCABULARY).flat()) },
  )
}

/** One simple command: a program, sometimes in a namespace, and up to 10 words. */
const simple: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...PROGRAMS), fc.option(fc.constantFrom(...NAMESPACES), { freq: 4 }), fc.nat())
  .chain(([program, ns, n]) => fc.array(wordFor(program), { maxLength: 10 }).map((words) => {
    const head = ns === null ? program : n % 2 ? `ip netns exec ${ns} ${program}` : program === 'ip' || program === 'bridge' ? `${program} -n ${ns}` : `ip netns exec ${ns} ${program}`
    return [head, ...words].join(' ')
  }))

/** A line: one to three simple commands joined as a shell joins them. */
const line: fc.Arbitrary<string> = fc
  .tuple(simple, fc.array(fc.tuple(fc.constantFrom(';', '&&', '||', '&', '|', ' ; '), simple), { maxLength: 2 }), fc.option(fc.constantFrom('>/dev/null', '2>&1', '&>/dev/null', '; wait', '&'), { freq: 5 }))
  .map(([first, rest, tail]) => [first, ...rest.map(([op, c]) => `${op} ${c}`), tail ?? ''].join(' ').trim())

/** A line and the namespace its terminal is in (undefined: the lab's own terminal). */
const typed = fc.tuple(line, fc.option(fc.constantFrom('node1', 'pod1', 'pod2', 'node2'), { freq: 3 }))

/** The labs lines are typed into, saved once: each case opens a fresh copy. */
const LABS = ['same-node', 'routed', 'flannel-vxlan'].map((s) => new LabSession(scenarioLab(s, 2, 2)).save())

/** Simple commands in a line (at most), each bounded on its own. */
const simpleCount = (l: string): number => l.split(/&&|\|\||[;&|]/).length

/** Text the engine never means to print: a leak of a JavaScript exception or value. */
const LEAKS = [/\binternal\b/i, /\n\s+at .*:\d+:\d+/, /TypeError|RangeError|ReferenceError|SyntaxError: /, /\[object \w+\]/, /\bfunction \w*\(/, /\bundefined\b/, /\bNaN\b/]

describe('command-line fuzzing', () => {
  it('5,000 random lines in open labs: an exit status and messages, bounded, and the lab equals its replay', { timeout: 600_000 }, () => {
    let lines = 0
    let failed = 0
    let slowest = { ms: 0, line: '' }
    const exits = new Map<number, number>()
    fc.assert(
      fc.property(fc.nat({ max: LABS.length - 1 }), fc.array(typed, { minLength: 1, maxLength: 5 }), (lab, typedLines) => {
        const session = LabSession.fromText(LABS[lab], 'fuzz.yaml')
        for (const [text, netns] of typedLines) {
          const clock = session.world.sched.now
          const history = session.history.length
          const config = configSnapshot(session.world)
          const t = performance.now()
          const r = session.exec(text, netns ?? undefined)
          const ms = performance.now() - t
          if (ms > slowest.ms) slowest = { ms, line: text }
          lines++
          if (r.exitCode !== 0) failed++
          exits.set(r.exitCode, (exits.get(r.exitCode) ?? 0) + 1)
          expect(Number.isInteger(r.exitCode) && r.exitCode >= 0 && r.exitCode <= 255, `exit status of ${text}`).toBe(true)
          // (A word the line itself holds may be printed back: "echo undefined", "sysctl NaN".)
          for (const leak of LEAKS) if (!leak.test(text)) expect(r.stdout + r.stderr, `output of ${JSON.stringify(text)}`).not.toMatch(leak)
          // Simulated time: each simple command at most the bound of one command and its pause.
          expect(session.world.sched.now - clock, `simulated time of ${text}`).toBeLessThanOrEqual(simpleCount(text) * (MAX_COMMAND_NS + 4 * COMMAND_OVERHEAD_NS))
          expect(ms, `wall time of ${text}`).toBeLessThan(30_000)
          // A line that recorded nothing changed no configuration (only the clock may move on).
          if (session.history.length === history) {
            const now = { ...configSnapshot(session.world), clockNs: config.clockNs }
            if (!sameConfig(now, config)) expect(now, `configuration after ${JSON.stringify(text)}, which recorded nothing`).toEqual(config)
          }
        }
        // The file it would save replays to the same configuration at the same clock.
        const replay = LabSession.fromText(session.text(), 'replay.yaml')
        const live = configSnapshot(session.world)
        const replayed = configSnapshot(replay.world)
        if (!sameConfig(replayed, live)) expect(replayed, `replay after ${JSON.stringify(typedLines)}`).toEqual(live)
      }),
      fuzzOptions('command lines', 1750),
    )
    // The lines reach past the first checks: some succeed, many fail in many ways.
    expect(failed).toBeLessThan(lines)
    expect(exits.size).toBeGreaterThan(4)
    expect(lines).toBeGreaterThanOrEqual(5000 * fuzzScale() * 0.9)
    console.log(`command lines: ${lines} lines, ${lines - failed} exit 0, exit statuses ${[...exits.keys()].sort((a, b) => a - b).join(' ')}, slowest ${Math.round(slowest.ms)} ms (${slowest.line})`)
  })
})
