import type { MessageKey, MessageParams } from '../../shared/messages/index.ts'

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

/**
 * The control plane's event log. Kept as columns (one array per field, the event's number is
 * its index) rather than an object per event: logging an event appends to six arrays and
 * allocates nothing the log keeps besides its parameters; readers get event objects made on
 * demand (`at`, `slice`).
 */
export class ClusterEvents {
  private readonly times: number[] = []
  private readonly actors: string[] = []
  private readonly msgs: MessageKey[] = []
  private readonly wordings: ((a: unknown, b: unknown) => Params)[] = []
  private readonly as: unknown[] = []
  private readonly bs: unknown[] = []

  constructor(private readonly clock: { readonly now: number }) {}

  get length(): number {
    return this.times.length
  }

  /** Event number `seq` (0-based, in the order logged). */
  at(seq: number): ClusterEvent {
    return new LoggedEvent(seq, this.times[seq], this.actors[seq], this.msgs[seq], this.wordings[seq], this.as[seq], this.bs[seq])
  }

  /** Events `from` to `to` (exclusive), as Array.prototype.slice counts them. */
  slice(from = 0, to = this.length): ClusterEvent[] {
    const n = this.length
    const start = Math.max(0, from < 0 ? n + from : Math.min(from, n))
    const end = Math.min(n, to < 0 ? n + to : to)
    const out: ClusterEvent[] = []
    for (let i = start; i < end; i++) out.push(this.at(i))
    return out
  }

  /** Logs an event with its parameters, or with a wording function and its two arguments. */
  add<K extends MessageKey>(actor: string, msg: K, params: MessageParams<NoInfer<K>>): void
  add<K extends MessageKey, A, B>(actor: string, msg: K, wording: ParamsOf<A, B, NoInfer<K>>, a: A, b: B): void
  add(actor: string, msg: MessageKey, p: Params | ((a: unknown, b: unknown) => Params), a?: unknown, b?: unknown): void {
    this.times.push(this.clock.now)
    this.actors.push(actor)
    this.msgs.push(msg)
    if (typeof p === 'function') {
      this.wordings.push(p)
      this.as.push(a)
      this.bs.push(b)
    } else {
      this.wordings.push(given)
      this.as.push(p)
      this.bs.push(undefined)
    }
  }
}
