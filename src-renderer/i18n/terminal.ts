/** The terminal's labels (spread into en.ts and ja.ts, so this block rebases on its own). */
export const terminalEn = {
  'term.tabs': 'Terminals',
  'term.host': 'host',
  'term.open': 'New terminal in',
  'term.openPick': 'namespace…',
  'term.openIn': 'Open a terminal in {name}',
  'term.close': 'Close the terminal of {name}',
  'term.none': 'No terminal is open.',
  'term.running': 'a command is running',
  'term.screen': 'Terminal in {name}',
  'term.keys': 'Tab completes · Ctrl+C stops · Ctrl+R searches the history · Esc then Tab leaves the terminal',
} as const

export const terminalJa: Record<keyof typeof terminalEn, string> = {
  'term.tabs': 'ターミナル',
  'term.host': 'ホスト',
  'term.open': '新しいターミナル',
  'term.openPick': '名前空間…',
  'term.openIn': '{name} でターミナルを開く',
  'term.close': '{name} のターミナルを閉じる',
  'term.none': '開いているターミナルはありません。',
  'term.running': 'コマンドを実行中',
  'term.screen': '{name} のターミナル',
  'term.keys': 'Tab で補完・Ctrl+C で停止・Ctrl+R で履歴を検索・Esc のあと Tab でターミナルから移動',
}
