type Params = Record<string, string | number>
/** Words an event's parameters from the two values it was logged with. */
export type ParamsOf<A, B> = (a: A, b: B) => Params

/** One control-plane action (IPAM, CNI, flanneld, route programming), for the UI's event log. */
export interface ClusterEvent {
  readonly seq: number
  readonly timeNs: number
  readonly actor: string
  readonly msg: string
  readonly params: Params
}

/**
 * An event whose parameters are worded only when someone reads them: a 100-node cluster logs
 * tens of thousands of route and FDB programmings, and most are never shown. It keeps a
 * module-level wording function and the two values it needs, so logging allocates one object.
 */
class LoggedEvent implements ClusterEvent {
  private made: Params | null = null

  constructor(
    readonly seq: number,
    readonly timeNs: number,
    readonly actor: string,
    readonly msg: string,
    private readonly wording: ParamsOf<unknown, unknown>,
    private readonly a: unknown,
    private readonly b: unknown,
  ) {}

  get params(): Params {
    return (this.made ??= this.wording(this.a, this.b))
  }
}

const given: ParamsOf<Params, unknown> = (p) => p

export class ClusterEvents {
  readonly list: ClusterEvent[] = []

  constructor(private readonly clock: { readonly now: number }) {}

  /** Logs an event with its parameters, or with a wording function and its two arguments. */
  add(actor: string, msg: string, params: Params): void
  add<A, B>(actor: string, msg: string, wording: ParamsOf<A, B>, a: A, b: B): void
  add(actor: string, msg: string, p: Params | ParamsOf<unknown, unknown>, a?: unknown, b?: unknown): void {
    const e = typeof p === 'function' ? new LoggedEvent(this.list.length, this.clock.now, actor, msg, p, a, b) : new LoggedEvent(this.list.length, this.clock.now, actor, msg, given as ParamsOf<unknown, unknown>, p, undefined)
    this.list.push(e)
  }
}
