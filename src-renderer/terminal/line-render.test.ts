import { describe, expect, it } from 'vitest'
import { commonPrefix, formatMatches } from './complete-list.ts'
import { textWidth } from './keys.ts'
import { drawnAt, leaveLine, NOTHING_DRAWN, redraw } from './line-render.ts'

describe('redraw', () => {
  const P = 'root@pod1:/# '

  it('writes prompt and text on one row and puts the cursor at the editor cursor', () => {
    const r = redraw(NOTHING_DRAWN, { prompt: P, text: 'ip route', cursor: 3 }, 80)
    expect(r.out).toBe(`\r\x1b[J${P}ip route\r\x1b[16C`)
    expect(r.drawn).toEqual({ rows: 1, cursorRow: 0, wrapped: false })
  })

  it('goes back up to the first row of a wrapped line before redrawing it', () => {
    const text = 'x'.repeat(30)
    // 13 + 30 = 43 columns on a 20-column terminal: rows 0..2, cursor at the end on row 2.
    const first = redraw(NOTHING_DRAWN, { prompt: P, text, cursor: 30 }, 20)
    expect(first.drawn).toEqual({ rows: 3, cursorRow: 2, wrapped: false })
    expect(first.out.endsWith('\r\x1b[3C')).toBe(true)
    const second = redraw(first.drawn, { prompt: P, text, cursor: 0 }, 20)
    expect(second.out.startsWith('\x1b[2A\r\x1b[J')).toBe(true)
    // The cursor goes from the end (row 2) up to column 13 of row 0.
    expect(second.out.endsWith('\x1b[2A\r\x1b[13C')).toBe(true)
    expect(second.drawn.cursorRow).toBe(0)
    expect(leaveLine(second.drawn)).toBe('\x1b[2B\r\n')
  })

  it('moves past the pending wrap when the line fills its last row exactly', () => {
    const r = redraw(NOTHING_DRAWN, { prompt: P, text: 'x'.repeat(7), cursor: 7 }, 20)
    expect(r.out).toBe(`\r\x1b[J${P}xxxxxxx\r\n\r`)
    expect(r.drawn).toEqual({ rows: 2, cursorRow: 1, wrapped: true })
    expect(leaveLine(r.drawn)).toBe('\r')
  })

  it('counts colours as nothing and Japanese as two columns', () => {
    const colored = '\x1b[01;32mroot@node1\x1b[00m:\x1b[01;34m~\x1b[00m# '
    expect(textWidth(colored)).toBe('root@node1:~# '.length)
    expect(textWidth('ネットワーク')).toBe(12)
    expect(drawnAt({ prompt: colored, text: 'ネ'.repeat(10), cursor: 10 }, 20)).toEqual({ rows: 2, cursorRow: 1, wrapped: false })
  })
})

describe('completion listing', () => {
  it('extends to the common prefix', () => {
    expect(commonPrefix(['neigh', 'netns'])).toBe('ne')
    expect(commonPrefix(['route'])).toBe('route')
    expect(commonPrefix([])).toBe('')
  })

  it('lays candidates out in columns, down first, as readline does', () => {
    expect(formatMatches(['link', 'address', 'route', 'neigh', 'netns'], 80)).toEqual(['address  link     neigh    netns    route'])
    // 9 wide (longest 7 + 2): 20 columns fit 2; filled down each column first.
    expect(formatMatches(['eth0', 'cbr0', 'flannel', 'lo', 'veth1'], 20)).toEqual(['cbr0     lo', 'eth0     veth1', 'flannel'])
    // Columns that would fill the screen exactly lose one.
    expect(formatMatches(['aaaa', 'bbbb', 'cccc'], 12)).toEqual(['aaaa', 'bbbb', 'cccc'])
    // Wider than the screen: one a row.
    expect(formatMatches(['x'.repeat(30), 'y'], 10)).toEqual(['x'.repeat(30), 'y'])
  })
})
