import { describe, expect, it } from 'vitest'
import { splitKeys } from './keys.ts'
import { LineEditor, type EditorAction } from './line-editor.ts'

function editor(history: string[] = []): LineEditor {
  return new LineEditor({ entries: () => history })
}

/** Feeds terminal input (as xterm's onData gives it) and returns the actions. */
function type(ed: LineEditor, data: string): EditorAction[] {
  return splitKeys(data).map((k) => ed.key(k))
}

const LEFT = '\x1b[D'
const RIGHT = '\x1b[C'
const UP = '\x1b[A'
const DOWN = '\x1b[B'
const HOME = '\x1b[H'
const END = '\x1b[F'

describe('splitKeys', () => {
  it('cuts input into text runs, control characters and escape sequences', () => {
    expect(splitKeys('ip route\r')).toEqual(['ip route', '\r'])
    expect(splitKeys('a\x1b[Db\x1bOH\x1b[3~\x1bb\x1b[1;5C\x7f')).toEqual(['a', '\x1b[D', 'b', '\x1bOH', '\x1b[3~', '\x1bb', '\x1b[1;5C', '\x7f'])
    // A paste of three lines: each line, each carriage return.
    expect(splitKeys('ip a\rip r\rip n\r')).toEqual(['ip a', '\r', 'ip r', '\r', 'ip n', '\r'])
    expect(splitKeys('\x1b')).toEqual(['\x1b'])
  })
})

describe('LineEditor', () => {
  it('inserts at the cursor and moves with ←/→, Home/End, Ctrl+A/E', () => {
    const ed = editor()
    type(ed, 'ip rute')
    type(ed, LEFT + LEFT + LEFT + 'o')
    expect(ed.buffer).toBe('ip route')
    expect(ed.cursor).toBe(5)
    type(ed, HOME + 'sudo ')
    expect(ed.buffer).toBe('sudo ip route')
    type(ed, '\x01' + '\x1b[3~'.repeat(5) + '\x05' + ' show')
    expect(ed.buffer).toBe('ip route show')
    type(ed, '\x01' + RIGHT + RIGHT + '\x02x')
    expect(ed.buffer).toBe('ixp route show')
    type(ed, END + '\x7f\x7f\x7f\x7f\x7f')
    expect(ed.buffer).toBe('ixp route')
  })

  it('kills with Ctrl+U, Ctrl+K and Ctrl+W as bash does, and yanks with Ctrl+Y', () => {
    const ed = editor()
    type(ed, 'ip -n pod1 route get 10.244.2.3')
    type(ed, '\x17')
    expect(ed.buffer).toBe('ip -n pod1 route get ')
    type(ed, '\x17')
    expect(ed.buffer).toBe('ip -n pod1 route ')
    type(ed, '\x19')
    expect(ed.buffer).toBe('ip -n pod1 route get ')
    type(ed, HOME + RIGHT + RIGHT + RIGHT + '\x0b')
    expect(ed.buffer).toBe('ip ')
    type(ed, 'link' + LEFT + LEFT + '\x15')
    expect(ed.buffer).toBe('nk')
    expect(ed.cursor).toBe(0)
  })

  it('moves and kills by words with Alt+B/F, Ctrl+←/→ and Alt+Backspace', () => {
    const ed = editor()
    type(ed, 'ip addr add 10.0.0.1/24')
    type(ed, '\x1bb')
    expect(ed.cursor).toBe('ip addr add 10.0.0.1/'.length)
    type(ed, '\x1b[1;5D\x1b[1;5D')
    expect(ed.cursor).toBe('ip addr add 10.0.'.length)
    type(ed, '\x1bf')
    expect(ed.cursor).toBe('ip addr add 10.0.0'.length)
    type(ed, END + '\x1b\x7f')
    expect(ed.buffer).toBe('ip addr add 10.0.0.1/')
  })

  it('submits the line, resets, and Ctrl+C and Ctrl+D act as bash', () => {
    const ed = editor()
    expect(type(ed, 'ip a\r')).toEqual([{ type: 'edit' }, { type: 'submit', line: 'ip a' }])
    expect(ed.buffer).toBe('')
    expect(type(ed, 'pi\x03')).toEqual([{ type: 'edit' }, { type: 'interrupt' }])
    ed.reset()
    expect(type(ed, '\x04')).toEqual([{ type: 'eof' }])
    type(ed, 'ab' + LEFT + '\x04')
    expect(ed.buffer).toBe('a')
    expect(type(ed, '\x0c')).toEqual([{ type: 'clear-screen' }])
    expect(ed.buffer).toBe('a')
  })

  it('browses the history with ↑/↓, keeping the line being typed', () => {
    const ed = editor(['ip route', 'ip link'])
    type(ed, 'ping')
    type(ed, UP)
    expect(ed.buffer).toBe('ip link')
    type(ed, UP)
    expect(ed.buffer).toBe('ip route')
    expect(type(ed, UP)).toEqual([{ type: 'bell' }])
    type(ed, DOWN + DOWN)
    expect(ed.buffer).toBe('ping')
    expect(type(ed, DOWN)).toEqual([{ type: 'bell' }])
    type(ed, '\x10')
    expect(ed.buffer).toBe('ip link')
  })

  it('searches the history backwards with Ctrl+R', () => {
    const ed = editor(['ip route show', 'ping -c 1 10.244.2.3', 'ip neigh', 'ip route get 10.244.2.3'])
    type(ed, '\x12')
    expect(ed.view().prompt).toBe("(reverse-i-search)`': ")
    type(ed, 'rou')
    expect(ed.view()).toEqual({ prompt: "(reverse-i-search)`rou': ", text: 'ip route get 10.244.2.3', cursor: 3 })
    type(ed, '\x12')
    expect(ed.buffer).toBe('ip route show')
    type(ed, '\x12')
    expect(ed.view().prompt).toBe("(failed reverse-i-search)`rou': ")
    expect(ed.buffer).toBe('ip route show')
    // Backspace widens the search again from the newest entry.
    type(ed, '\x7f\x7f\x7f2.3')
    expect(ed.buffer).toBe('ip route get 10.244.2.3')
    // Enter runs the match.
    expect(type(ed, '\r')).toEqual([{ type: 'submit', line: 'ip route get 10.244.2.3' }])
    expect(ed.searching).toBe(false)
  })

  it('leaves a search with the match for editing, or aborts it with Ctrl+G', () => {
    const ed = editor(['ip route show', 'ping -c 1 10.244.2.3'])
    type(ed, 'ip a\x12ping')
    expect(ed.buffer).toBe('ping -c 1 10.244.2.3')
    type(ed, END + ' -q')
    expect(ed.searching).toBe(false)
    expect(ed.buffer).toBe('ping -c 1 10.244.2.3 -q')
    ed.reset()
    type(ed, 'ip a\x12route\x07')
    expect(ed.view()).toEqual({ text: 'ip a', cursor: 4 })
    // Ctrl+R on an empty search repeats the last search string.
    ed.reset()
    type(ed, '\x12\x12')
    expect(ed.buffer).toBe('ping -c 1 10.244.2.3')
  })

  it('reports Tab, and whether it was pressed twice in a row', () => {
    const ed = editor()
    expect(type(ed, 'ip r\t\t')).toEqual([{ type: 'edit' }, { type: 'complete', repeat: false }, { type: 'complete', repeat: true }])
    expect(type(ed, 'o\t')).toEqual([{ type: 'edit' }, { type: 'complete', repeat: false }])
    ed.replace(3, 5, 'route ')
    expect(ed.buffer).toBe('ip route ')
    expect(ed.cursor).toBe(9)
  })

  it('keeps the cursor on whole characters (surrogate pairs, Japanese)', () => {
    const ed = editor()
    type(ed, 'echo 𝑥ネ')
    type(ed, LEFT + LEFT)
    expect(ed.cursor).toBe(5)
    type(ed, '\x1b[3~')
    expect(ed.buffer).toBe('echo ネ')
    type(ed, 'x\x14')
    expect(ed.buffer).toBe('echo ネx')
  })

  it('inserts the last word of the previous command with Alt+.', () => {
    const ed = editor(['ping -c 1 10.244.2.3'])
    type(ed, 'traceroute -n \x1b.')
    expect(ed.buffer).toBe('traceroute -n 10.244.2.3')
  })
})
