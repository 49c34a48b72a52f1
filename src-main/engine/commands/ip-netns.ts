import { fail, type Ctx } from './context.ts'
import type { IpOpts } from './ip.ts'
import { matches } from './iproute-util.ts'
import { isJob, runToEnd, type Job } from './jobs.ts'
import { runArgv } from './shell.ts'

/** `ip netns` { list | add | delete | exec | identify | list-id }. */
export function ipNetns(ctx: Ctx, argv: string[], opts: IpOpts): number | Job {
  const w = ctx.world
  // /run/netns is a tmpfs: readdir lists the newest entry first (`list` and `-all` alike).
  const names = (): string[] => [...w.namespaces.keys()].reverse()
  if (argv.length === 0 || matches(argv[0], 'list') || argv[0] === 'show' || argv[0] === 'lst') {
    for (const n of names()) {
      const id = ctx.netns.nsids.get(w.namespaces.get(n)!)
      ctx.println(id === undefined ? n : `${n} (id: ${id})`)
    }
    return 0
  }
  const cmd = argv[0]
  if (matches(cmd, 'add')) {
    const name = argv[1]
    if (name === undefined) fail(255, 'No netns name specified')
    if (name.includes('/') || name === '.' || name === '..') fail(255, `Invalid netns name "${name}"`)
    if (w.namespaces.has(name)) fail(1, `Cannot create namespace file "/run/netns/${name}": File exists`)
    w.addNetns(name)
    ctx.change()
    return 0
  }
  if (matches(cmd, 'delete') && opts.all) {
    for (const n of names()) {
      w.deleteNetns(n)
      ctx.change()
    }
    return 0
  }
  if (matches(cmd, 'exec') && opts.all) {
    // netns_foreach: a header per namespace; the commands' exit codes are not collected.
    if (argv.length < 2) fail(1, 'No command specified')
    const prog = argv[1].slice(argv[1].lastIndexOf('/') + 1)
    for (const n of names()) {
      ctx.println('')
      ctx.println(`netns: ${n}`)
      if (!Object.hasOwn(ctx.commands, prog)) ctx.eprintln(`exec of "${argv[1]}" failed: No such file or directory`)
      else {
        // One namespace after the other: each command runs to its end before the next starts.
        const r = runArgv(ctx.inNetns(w.namespaces.get(n)!), argv.slice(1))
        if (isJob(r)) runToEnd(w, r)
      }
    }
    return 0
  }
  if (matches(cmd, 'delete')) {
    const name = argv[1]
    if (name === undefined) fail(255, 'No netns name specified')
    if (!w.namespaces.has(name)) fail(1, `Cannot remove namespace file "/run/netns/${name}": No such file or directory`)
    w.deleteNetns(name)
    ctx.change()
    return 0
  }
  if (matches(cmd, 'exec')) {
    const name = argv[1]
    // iproute2's order: the arguments first, then the namespace; a program that is not there
    // fails in the child, which exits 1.
    if (name === undefined) fail(1, 'No netns name specified')
    if (argv.length < 3) fail(1, 'No command specified')
    const ns = w.namespaces.get(name)
    if (!ns) fail(255, `Cannot open network namespace "${name}": No such file or directory`)
    const prog = argv[2].slice(argv[2].lastIndexOf('/') + 1)
    if (!Object.hasOwn(ctx.commands, prog)) fail(1, `exec of "${argv[2]}" failed: No such file or directory`)
    return runArgv(ctx.inNetns(ns), argv.slice(2))
  }
  if (matches(cmd, 'list-id')) {
    const entries = [...ctx.netns.nsids.entries()].sort((a, b) => a[1] - b[1])
    for (const [ns, id] of entries) ctx.println(ns.name && w.namespaces.get(ns.name) === ns ? `nsid ${id} (iproute2 netns name: ${ns.name})` : `nsid ${id} `)
    return 0
  }
  if (matches(cmd, 'identify')) {
    ctx.println(ctx.netns.name)
    return 0
  }
  fail(255, `Command "${cmd}" is unknown, try "ip netns help".`)
}
