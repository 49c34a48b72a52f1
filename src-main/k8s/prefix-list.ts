/**
 * A list that holds the first `length` items of an array it may share with other such lists:
 * pushing the item the array holds next, or pushing onto its end, changes no array of another
 * list; only a list that goes another way copies its items. A cluster's build records, for each
 * new lease, the nodes that program it (the nodes before it, in order: each lease's list is the
 * one before with one more node) and, for each node, the leases it programs first (the leases
 * before its own): a thousand nodes' lists share one array instead of holding half a million
 * items.
 */
export class PrefixList<T> {
  private count = 0

  constructor(private items: T[] = []) {}

  /** An empty list that shares `other`'s array. */
  static after<T>(other: PrefixList<T> | null): PrefixList<T> {
    return new PrefixList<T>(other === null ? [] : other.items)
  }

  get length(): number {
    return this.count
  }

  at(i: number): T {
    return this.items[i]
  }

  push(x: T): void {
    const items = this.items
    const n = this.count
    if (n === items.length) items.push(x)
    else if (items[n] !== x) {
      this.items = items.slice(0, n)
      this.items.push(x)
    }
    this.count = n + 1
  }

  toArray(): T[] {
    return this.items.slice(0, this.count)
  }
}
