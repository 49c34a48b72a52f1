import { describe, expect, it } from 'vitest'
import { PrefixList } from './prefix-list.ts'

describe('PrefixList', () => {
  it('keeps each list its own items while lists that grow one from another share one array', () => {
    const lists: PrefixList<number>[] = []
    let last: PrefixList<number> | null = null
    // Each list the one before with one more item, as a build's lists of nodes are.
    for (let n = 1; n <= 5; n++) {
      const l: PrefixList<number> = PrefixList.after(last)
      for (let i = 0; i < n; i++) l.push(i)
      lists.push(l)
      last = l
    }
    expect(lists.map((l) => l.toArray())).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]])
    // An earlier list grows on; later lists, which hold more of the shared items, are not changed.
    lists[1].push(7)
    lists[3].push(4)
    lists[0].push(1)
    lists[4].push(9)
    expect(lists.map((l) => l.toArray())).toEqual([[0, 1], [0, 1, 7], [0, 1, 2], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 9]])
    lists[3].push(8)
    expect(lists[3].toArray()).toEqual([0, 1, 2, 3, 4, 8])
    expect(lists[4].toArray()).toEqual([0, 1, 2, 3, 4, 9])
    expect([lists[3].length, lists[3].at(5), lists[4].at(5)]).toEqual([6, 8, 9])
  })

  it('starts on an array of its own when its first item is not the shared one', () => {
    const a = new PrefixList<string>()
    a.push('x')
    a.push('y')
    const b = PrefixList.after(a)
    b.push('z')
    b.push('x')
    expect([a.toArray(), b.toArray()]).toEqual([['x', 'y'], ['z', 'x']])
    const c = PrefixList.after(a)
    c.push('x')
    expect(c.toArray()).toEqual(['x'])
    a.push('w')
    c.push('q')
    expect([a.toArray(), c.toArray()]).toEqual([['x', 'y', 'w'], ['x', 'q']])
  })
})
