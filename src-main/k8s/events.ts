type Params = Record<string, string | number>

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
 * tens of thousands of route and FDB programmings, and most are never shown.
 */
class LoggedEvent implements ClusterEvent {
  private made: Params | (() => Params)

  constructor(
    readonly seq: number,
    readonly timeNs: number,
    readonly actor: string,
    readonly msg: string,
    params: Params | (() => Params),
  ) {
    this.made = params
  }

  get params(): Params {
    if (typeof this.made === 'function') this.made = this.made()
    return this.made
  }
}

export class ClusterEvents {
  readonly list: ClusterEvent[] = []

  constructor(private readonly clock: { readonly now: number }) {}

  add(actor: string, msg: string, params: Params | (() => Params)): void {
    this.list.push(new LoggedEvent(this.list.length, this.clock.now, actor, msg, params))
  }
}
