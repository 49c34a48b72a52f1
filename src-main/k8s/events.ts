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

export class ClusterEvents {
  readonly list: ClusterEvent[] = []

  constructor(private readonly clock: { readonly now: number }) {}

  /** Logs an event with its parameters, or with a wording function and its two arguments. */
  add<K extends MessageKey>(actor: string, msg: K, params: MessageParams<NoInfer<K>>): void
  add<K extends MessageKey, A, B>(actor: string, msg: K, wording: ParamsOf<A, B, NoInfer<K>>, a: A, b: B): void
  add(actor: string, msg: MessageKey, p: Params | ((a: unknown, b: unknown) => Params), a?: unknown, b?: unknown): void {
    const e = typeof p === 'function' ? new LoggedEvent(this.list.length, this.clock.now, actor, msg, p, a, b) : new LoggedEvent(this.list.length, this.clock.now, actor, msg, given, p, undefined)
    this.list.push(e)
  }
}
