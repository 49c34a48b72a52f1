/** One control-plane action (IPAM, CNI, flanneld, route programming), for the UI's event log. */
export interface ClusterEvent {
  seq: number
  timeNs: number
  actor: string
  msg: string
  params: Record<string, string | number>
}

export class ClusterEvents {
  readonly list: ClusterEvent[] = []

  constructor(private readonly clock: { readonly now: number }) {}

  add(actor: string, msg: string, params: Record<string, string | number>): void {
    this.list.push({ seq: this.list.length, timeNs: this.clock.now, actor, msg, params })
  }
}
