/**
 * Texts of the canvas and of the lists and pickers made for big labs, in both languages (spread
 * into en.ts and ja.ts, so this feature's keys stay in one place).
 */
export const canvasEn = {
  'canvas.pods': '{n} {n:pod|pods}',
  'canvas.ports': '{n} {n:port|ports}',
  'canvas.linksDown': '{n} {n:link|links} down',
  'canvas.noForward': 'IP forwarding off',
  'picker.search': 'Type to search…',
  'picker.noMatch': 'Nothing matches.',
  'lab.find': 'Find a node, pod or namespace…',
  'lab.namespaces': 'Namespaces',
  'lab.matches': '{n} {n:match|matches}',
  'trace.toPlaceholder': 'pod, namespace or IP',
  'canvas.zoomIn': 'Zoom in',
  'canvas.zoomOut': 'Zoom out',
  'canvas.legend.down': 'link down',
  'canvas.legend.nic': 'network card (eth0)',
  'canvas.legend.vethEnd': 'veth end',
  'canvas.legend.switchPort': 'switch port',
  'canvas.legend.bridge': 'bridge',
  'canvas.legend.vxlan': 'VXLAN device',
  'toolbar.darkTheme': 'Dark theme',
} as const

export const canvasJa: Record<keyof typeof canvasEn, string> = {
  'canvas.pods': 'Pod {n} 個',
  'canvas.ports': 'ポート {n} 個',
  'canvas.linksDown': 'ダウンしたリンク {n} 本',
  'canvas.noForward': 'IP 転送オフ',
  'picker.search': '入力して検索…',
  'picker.noMatch': '一致するものはありません。',
  'lab.find': 'ノード・Pod・名前空間を検索…',
  'lab.namespaces': '名前空間',
  'lab.matches': '{n} 件が一致',
  'trace.toPlaceholder': 'Pod・名前空間・IP',
  'canvas.zoomIn': '拡大',
  'canvas.zoomOut': '縮小',
  'canvas.legend.down': 'ダウンしたリンク',
  'canvas.legend.nic': 'ネットワークカード（eth0）',
  'canvas.legend.vethEnd': 'veth の端',
  'canvas.legend.switchPort': 'スイッチのポート',
  'canvas.legend.bridge': 'ブリッジ',
  'canvas.legend.vxlan': 'VXLAN デバイス',
  'toolbar.darkTheme': 'ダークテーマ',
}
