import type { MessageKey, MessageParams } from '../../shared/messages/index.ts'
import { PrefixList } from './prefix-list.ts'

type Params = Record<string, string | number>
/** Words an event's parameters (those message K needs) from the two values it was logged with. */
export type ParamsOf<A, B, K extends MessageKey> = (a: A, b: B) => MessageParams<K>

/** One control-plane action (IPAM, CNI, flanneld, route programming), for the UI's event log. */
export interface ClusterEvent {
  readonly seq: number
  readonly timeNs: number
  readonly actor: string
  readonly msg: MessageKey
  readonly params: Params
}

/**
 * An event as a reader gets it: its parameters are worded only when read (a 100-node cluster
 * logs tens of thousands of route and FDB programmings, a 1,000-node one three million, and
 * most are never shown).
 */
class LoggedEvent implements ClusterEvent {
  private made: Params | null = null

  constructor(
    readonly seq: number,
    readonly timeNs: number,
    readonly actor: string,
    readonly msg: MessageKey,
    private readonly wording: (a: unknown, b: unknown) => Params,
    private readonly a: unknown,
    private readonly b: unknown,
  ) {}

  get params(): Params {
    return (this.made ??= this.wording(this.a, this.b))
  }
}

const given = (p: unknown): Params => p as Params

type Wording = (a: unknown, b: unknown) => Params

/**
 * Several events always logged together, at one time, by one actor, from the same two values
 * (flanneld's neighbour, FDB entry and route for one peer): stored as one record.
 */
export class EventGroup<A, B> {
  readonly msgs: readonly MessageKey[]
  readonly wordings: readonly Wording[]

  constructor(events: readonly { [K in MessageKey]: readonly [K, ParamsOf<A, B, K>] }[MessageKey][]) {
    this.msgs = events.map((e) => e[0])
    this.wordings = events.map((e) => e[1] as Wording)
  }
}

/**
 * Consecutive logs of one EventGroup at one time that differ only in their second value (one
 * flanneld's initial list of peers), or only in their actor and first value (every flanneld
 * logging one new peer): one record, the varying values listed per log (null: the record's own),
 * in lists that share their items with the group's run before (each node's initial list is the
 * one before with one more peer, each new peer's actors those before with one more).
 */
class GroupRun {
  constructor(
    readonly actors: PrefixList<string> | null,
    readonly as: PrefixList<unknown> | null,
    readonly bs: PrefixList<unknown> | null,
  ) {}
}

/** A GroupRun's two first values in lists that share the items of `before`'s. */
function listOf<T>(before: PrefixList<T> | null, x: T, y: T): PrefixList<T> {
  const l = PrefixList.after(before)
  l.push(x)
  l.push(y)
  return l
}

/**
 * The control plane's event log. Kept as columns, one array per field and one entry per record
 * (an event, or an EventGroup's events), rather than an object per event: a 1,000-node cluster
 * logs three million events, and logging one appends to seven arrays and keeps nothing else
 * besides its parameters. Readers get event objects made on demand (`at`, `slice`).
 */
export class ClusterEvents {
  private count = 0
  /** The number of each record's first event, ascending. */
  private readonly starts: number[] = []
  private readonly times: number[] = []
  private readonly actors: string[] = []
  private readonly msgs: (MessageKey | EventGroup<unknown, unknown>)[] = []
  private readonly wordings: (Wording | GroupRun | null)[] = []
  private readonly as: unknown[] = []
  private readonly bs: unknown[] = []
  /** Each group's last run of each kind, whose lists the next one shares. */
  private readonly lastRuns = new Map<EventGroup<unknown, unknown>, { actors: GroupRun | null; bs: GroupRun | null }>()

  constructor(private readonly clock: { readonly now: number }) {}

  get length(): number {
    return this.count
  }

  /** Event number `seq` (0-based, in the order logged). */
  at(seq: number): ClusterEvent {
    return this.event(seq, this.recordOf(seq))
  }

  /** Events `from` to `to` (exclusive), as Array.prototype.slice counts them. */
  slice(from = 0, to = this.count): ClusterEvent[] {
    const n = this.count
    const start = from < 0 ? Math.max(0, n + from) : Math.min(from, n)
    const end = to < 0 ? Math.max(0, n + to) : Math.min(to, n)
    const out: ClusterEvent[] = []
    if (start >= end) return out
    let r = this.recordOf(start)
    for (let seq = start; seq < end; seq++) {
      if (r + 1 < this.starts.length && this.starts[r + 1] <= seq) r++
      out.push(this.event(seq, r))
    }
    return out
  }

  /** Logs an event with its parameters, or with a wording function and its two arguments. */
  add<K extends MessageKey>(actor: string, msg: K, params: MessageParams<NoInfer<K>>): void
  add<K extends MessageKey, A, B>(actor: string, msg: K, wording: ParamsOf<A, B, NoInfer<K>>, a: A, b: B): void
  add(actor: string, msg: MessageKey, p: Params | Wording, a?: unknown, b?: unknown): void {
    if (typeof p === 'function') this.record(1, actor, msg, p, a, b)
    else this.record(1, actor, msg, given, p, undefined)
  }

  /**
   * Logs a group's events, in its order, worded from a and b. Logged right after the same group
   * at the same time with the same actor and a, or the same b, it joins that record (GroupRun):
   * a 1,000-node cluster logs a million flannel peers this way.
   */
  addGroup<A, B>(actor: string, group: EventGroup<A, B>, a: A, b: B): void {
    const r = this.starts.length - 1
    if (r >= 0 && this.msgs[r] === group && this.times[r] === this.clock.now) {
      const run = this.wordings[r]
      if (run === null) {
        const g = group as EventGroup<unknown, unknown>
        let last = this.lastRuns.get(g)
        if (last === undefined) this.lastRuns.set(g, (last = { actors: null, bs: null }))
        if (this.bs[r] === b) this.wordings[r] = last.actors = new GroupRun(listOf(last.actors?.actors ?? null, this.actors[r], actor), listOf(last.actors?.as ?? null, this.as[r], a), null)
        else if (this.actors[r] === actor && this.as[r] === a) this.wordings[r] = last.bs = new GroupRun(null, null, listOf(last.bs?.bs ?? null, this.bs[r], b))
        if (this.wordings[r] !== null) {
          this.count += group.msgs.length
          return
        }
      } else if (run instanceof GroupRun) {
        if (run.bs === null && this.bs[r] === b) {
          run.actors!.push(actor)
          run.as!.push(a)
          this.count += group.msgs.length
          return
        }
        if (run.actors === null && this.actors[r] === actor && this.as[r] === a) {
          run.bs!.push(b)
          this.count += group.msgs.length
          return
        }
      }
    }
    this.record(group.msgs.length, actor, group as EventGroup<unknown, unknown>, null, a, b)
  }

  private record(events: number, actor: string, msg: MessageKey | EventGroup<unknown, unknown>, wording: Wording | null, a: unknown, b: unknown): void {
    this.starts.push(this.count)
    this.count += events
    this.times.push(this.clock.now)
    this.actors.push(actor)
    this.msgs.push(msg)
    this.wordings.push(wording)
    this.as.push(a)
    this.bs.push(b)
  }

  /** The record holding event `seq` (binary search over the records' first events). */
  private recordOf(seq: number): number {
    if (!(seq >= 0 && seq < this.count)) throw new RangeError(`no event ${seq}`)
    const starts = this.starts
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= seq) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  private event(seq: number, r: number): ClusterEvent {
    const m = this.msgs[r]
    const w = this.wordings[r]
    if (typeof m === 'string') return new LoggedEvent(seq, this.times[r], this.actors[r], m, w as Wording, this.as[r], this.bs[r])
    let k = seq - this.starts[r]
    if (!(w instanceof GroupRun)) return new LoggedEvent(seq, this.times[r], this.actors[r], m.msgs[k], m.wordings[k], this.as[r], this.bs[r])
    const i = Math.floor(k / m.msgs.length)
    k -= i * m.msgs.length
    const actor = w.actors === null ? this.actors[r] : w.actors.at(i)
    const a = w.as === null ? this.as[r] : w.as.at(i)
    const b = w.bs === null ? this.bs[r] : w.bs.at(i)
    return new LoggedEvent(seq, this.times[r], actor, m.msgs[k], m.wordings[k], a, b)
  }
}
