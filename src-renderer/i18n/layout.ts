/**
 * Texts of the layout: moving things on the canvas, Re-layout, and the resizable, collapsible
 * dock and side panel, in both languages (spread into en.ts and ja.ts).
 */
export const layoutEn = {
  'canvas.relayoutHint': 'Put everything back where the automatic layout places it (one undo step)',
  'canvas.moveHint': 'Click a node, pod or switch, then drag it to move it (Alt+drag moves anything). Positions are saved in the lab file.',
  'panes.dockResize': 'Resize the bottom panel (arrow keys)',
  'panes.sideResize': 'Resize the side panel (arrow keys)',
  'panes.collapseDock': 'Hide the bottom panel',
  'panes.expandDock': 'Show the bottom panel',
  'panes.collapseSide': 'Hide the side panel',
  'panes.expandSide': 'Show the side panel',
} as const

export const layoutJa: Record<keyof typeof layoutEn, string> = {
  'canvas.relayoutHint': 'すべてを自動レイアウトの位置に戻します（1 回の操作として元に戻せます）',
  'canvas.moveHint': 'ノード、Pod、スイッチをクリックしてからドラッグすると移動できます（Alt＋ドラッグはどれでも移動）。位置はラボファイルに保存されます。',
  'panes.dockResize': '下部パネルの大きさを変更（矢印キー）',
  'panes.sideResize': 'サイドパネルの大きさを変更（矢印キー）',
  'panes.collapseDock': '下部パネルを隠す',
  'panes.expandDock': '下部パネルを表示',
  'panes.collapseSide': 'サイドパネルを隠す',
  'panes.expandSide': 'サイドパネルを表示',
}
