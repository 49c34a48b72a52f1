import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { main } from '../../src-main/cli/main.ts'
import type { ScriptResult } from '../../src-main/engine/commands/index.ts'
import { kernelAvailability, runOnKernel } from './harness.ts'
import { compareRuns, formatMismatches } from './compare.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/**
 * Command files run line by line with bash on this machine's kernel and by `podnet run FILE
 * --json` in an empty world: every line must print the same (compare.ts normalises only times
 * and rtt figures).
 */
const FIXTURES = [
  {
    // The foundation's acceptance check: a 3-node routed cluster built from an empty world gives
    // the same ping results, routes, route lookups and error lines, also after a deleted route
    // and ip_forward=0 on a node.
    title: 'routed 3-node cluster',
    file: 'routed-3node.sh',
    timeoutMs: 120_000,
  },
  {
    // The overlay's acceptance check: a 3-node flannel VXLAN cluster gives the same ping results
    // (the frag-needed line for a 1472-byte DF ping included), routes, route lookups, neighbours
    // and FDB, also after an FDB entry is deleted.
    title: 'flannel VXLAN 3-node cluster',
    file: 'flannel-3node.sh',
    timeoutMs: 150_000,
  },
  {
    // A bridge whose MTU follows a port below 1280 (IPv6's minimum): its link-local address and
    // its IPv6 multicast entries (`bridge fdb show ... self permanent`) go and come back.
    title: 'bridge MTU below 1280',
    file: 'bridge-mtu-ipv6.sh',
    timeoutMs: 60_000,
  },
  {
    // `ip -4` / `ip -6` listings: where link-netns goes without the link/ether line, and the
    // short header of an IPv6 link dump.
    title: 'address listings by family',
    file: 'ip-families.sh',
    timeoutMs: 60_000,
  },
  {
    // A VXLAN device's MTU against its lower device: clamped at creation, refused when too big.
    title: 'VXLAN MTU and its lower device',
    file: 'vxlan-mtu.sh',
    timeoutMs: 60_000,
  },
  {
    // ip route in breadth: route kinds, metrics, tables, show filters, route get, errors.
    title: 'ip route in breadth',
    file: 'routes.sh',
    timeoutMs: 60_000,
  },
  {
    // ping -I DEVICE / -I ADDRESS: the header, the source chosen, errors, on-link guesses.
    title: 'ping bound to a device or an address',
    file: 'ping-bind.sh',
    timeoutMs: 90_000,
  },
  {
    // -json / -pretty output of ip and bridge.
    title: 'JSON output',
    file: 'json.sh',
    timeoutMs: 60_000,
  },
  {
    // What a learner types in walkthrough 3's lab in detail and JSON forms: ip -d link|addr|route,
    // ip -d route get, bridge [-d] [-j] link, ip -s -s link of a pair without traffic.
    title: 'walkthrough views in detail and JSON',
    file: 'walkthrough-views.sh',
    timeoutMs: 90_000,
  },
  {
    // ip link set promisc / alias and the interface flags left at their defaults.
    title: 'link flags and alias',
    file: 'link-flags.sh',
    timeoutMs: 60_000,
  },
  {
    // Output redirections (/dev/null and between the streams), as bash applies them.
    title: 'redirections',
    file: 'redirections.sh',
    timeoutMs: 60_000,
  },
  {
    // Commands that let time pass, ended by their count or by timeout's SIGTERM.
    title: 'ping, tcpdump, sleep and traceroute ended by count or timeout',
    file: 'observations.sh',
    timeoutMs: 60_000,
  },
  {
    // A redirect and an ICMP error caused by one packet: the order ping reads them in.
    title: 'redirect and error from one packet',
    file: 'redirect-error.sh',
    timeoutMs: 60_000,
  },
  {
    // iputils arping: its probes, replies, counts, exit statuses and errors.
    title: 'arping',
    file: 'arping.sh',
    timeoutMs: 60_000,
  },
  {
    // ip -c: iproute2's colour codes, byte for byte.
    title: 'colours (ip -c)',
    file: 'color.sh',
    timeoutMs: 60_000,
  },
  {
    // ping -w stops at the first error it reads; -c and -W alone do not (errors from a router,
    // from the host's own ARP, and from sendmsg).
    title: 'ping deadline and errors',
    file: 'ping-deadline.sh',
    timeoutMs: 60_000,
  },
  {
    // Argument errors of brctl, ip -n, bridge -n and ip netns exec, found by the command fuzzer.
    title: 'argument errors',
    file: 'arg-errors.sh',
    timeoutMs: 30_000,
  },
  {
    // ip addr / ip link show filters (scope, flags, label, to, up, master) in every output mode,
    // lo's address, route get through lo, fdb entries on a bridge itself.
    title: 'address and link listings with filters',
    file: 'addr-filters.sh',
    timeoutMs: 60_000,
  },
  {
    // ip route show table all: the IPv6 link-local routes the kernel lists with the IPv4 ones.
    title: 'route dump of every table, IPv6 included',
    file: 'table-all.sh',
    timeoutMs: 60_000,
  },
  {
    // What the command fuzzer found: link-layer addresses, bridge fdb master/self, missing tables.
    title: 'command fuzzer findings',
    file: 'fuzz-findings.sh',
    timeoutMs: 30_000,
  },
]

for (const f of FIXTURES) {
  describe.skipIf(!avail.ok)(`${f.title}: engine vs kernel`, () => {
    it('prints what the kernel prints, line for line', { timeout: f.timeoutMs + 30_000 }, async () => {
      const path = fileURLToPath(new URL(`./fixtures/${f.file}`, import.meta.url))
      const kernel = await runOnKernel(readFileSync(path, 'utf8').split('\n'), { timeoutMs: f.timeoutMs })
      let out = ''
      // The fixtures fail commands on purpose (their errors are compared too).
      expect(await main(['run', path, '--json', '--ignore-errors'], { out: (s) => (out += s), err: () => {} })).toBe(0)
      const engine = out.trimEnd().split('\n').map((l) => JSON.parse(l) as ScriptResult)
      expect(engine.length).toBe(kernel.length)
      const ms = compareRuns(kernel, engine)
      expect(ms, formatMismatches(ms, f.file)).toEqual([])
    })
  })
}
