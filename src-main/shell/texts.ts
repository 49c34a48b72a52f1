// Every text of the desktop shell (menus, dialogs, file types), in English and Japanese. The
// main process shows them in the language the window uses (it tells the shell through
// setLanguage; before the first window, the language kept from last time or the OS's).
import type { Lang } from '../../shared/api.ts'

const en = {
  // Menus
  'menu.app.about': 'About {app}',
  'menu.app.services': 'Services',
  'menu.app.hide': 'Hide {app}',
  'menu.app.hideOthers': 'Hide Others',
  'menu.app.showAll': 'Show All',
  'menu.app.quit': 'Quit {app}',
  'menu.file': 'File',
  'menu.file.new': 'New from Scenario…',
  'menu.file.open': 'Open…',
  'menu.file.openRecent': 'Open Recent',
  'menu.file.clearRecent': 'Clear Menu',
  'menu.file.noRecent': 'No Recent Labs',
  'menu.file.save': 'Save',
  'menu.file.saveAs': 'Save As…',
  'menu.file.export': 'Export',
  'menu.file.exportScript': 'iproute2 Script…',
  'menu.file.exportPcap': 'Capture of the Last Trace (pcapng)…',
  'menu.file.close': 'Close Window',
  'menu.file.exit': 'Exit',
  'menu.edit': 'Edit',
  'menu.edit.undo': 'Undo',
  'menu.edit.redo': 'Redo',
  'menu.edit.cut': 'Cut',
  'menu.edit.copy': 'Copy',
  'menu.edit.paste': 'Paste',
  'menu.edit.selectAll': 'Select All',
  'menu.view': 'View',
  'menu.view.reload': 'Reload',
  'menu.view.devTools': 'Toggle Developer Tools',
  'menu.view.resetZoom': 'Actual Size',
  'menu.view.zoomIn': 'Zoom In',
  'menu.view.zoomOut': 'Zoom Out',
  'menu.view.fullScreen': 'Toggle Full Screen',
  'menu.window': 'Window',
  'menu.window.minimize': 'Minimize',
  'menu.window.zoom': 'Zoom',
  'menu.window.front': 'Bring All to Front',
  'menu.help': 'Help',
  'menu.help.about': 'About {app}',
  'menu.help.exercises': 'Exercises…',
  // Dialogs
  'dialog.open.title': 'Open Lab',
  'dialog.save.title': 'Save Lab',
  'dialog.exportScript.title': 'Export iproute2 Script',
  'dialog.exportPcap.title': 'Export Capture',
  'filter.lab': 'PodNet lab',
  'filter.all': 'All files',
  'filter.script': 'Shell script',
  'filter.pcapng': 'pcapng capture',
  'confirm.save': 'Save changes to “{name}” before {action}?',
  'confirm.action.open': 'opening another lab',
  'confirm.action.close': 'closing',
  'confirm.detail': 'Your changes will be lost if you do not save them.',
  'button.save': 'Save',
  'button.dontSave': 'Don’t Save',
  'button.cancel': 'Cancel',
  'button.restore': 'Restore',
  'button.discard': 'Discard',
  'button.ok': 'OK',
  'error.open': 'Could not open the lab',
  'error.save': 'Could not save the lab',
  'error.restore': 'Could not restore the lab',
  'error.exportScript': 'Could not export the script',
  'error.exportPcap': 'Could not export the capture',
  'error.undo': 'Could not undo',
  'error.redo': 'Could not redo',
  'error.read': 'cannot read {path}: {reason}',
  'error.write': 'cannot write {path}: {reason}',
  // Why a file could not be read or written, for the errors a user can do something about.
  'reason.ENOENT': 'the file or a folder on its path does not exist',
  'reason.EACCES': 'permission denied',
  'reason.EPERM': 'the operation is not permitted',
  'reason.EISDIR': 'it is a folder',
  'reason.ENOTDIR': 'a part of the path is not a folder',
  'reason.ENOSPC': 'the disk is full',
  'reason.EROFS': 'the file system is read-only',
  'reason.EMFILE': 'too many files are open',
  'reason.EBUSY': 'the file is in use',
  'noTrace.message': 'No trace yet',
  'noTrace.detail': 'Send a packet from the Trace panel first; its frames are what the capture holds.',
  'recovery.message': 'Restore the unsaved lab?',
  'recovery.detail': '{app} closed without saving your last lab. Restore it?',
  'about.detail': 'Build Kubernetes pod networking (namespaces, veth pairs, cbr0, routes, flannel VXLAN) and watch one packet go through it, hop by hop.',
  'fileType.lab': 'PodNet Lab file',
} as const

export type ShellKey = keyof typeof en

const ja: Record<ShellKey, string> = {
  'menu.app.about': '{app} について',
  'menu.app.services': 'サービス',
  'menu.app.hide': '{app} を隠す',
  'menu.app.hideOthers': 'ほかを隠す',
  'menu.app.showAll': 'すべてを表示',
  'menu.app.quit': '{app} を終了',
  'menu.file': 'ファイル',
  'menu.file.new': 'シナリオから新規作成…',
  'menu.file.open': '開く…',
  'menu.file.openRecent': '最近使ったラボを開く',
  'menu.file.clearRecent': 'メニューを消去',
  'menu.file.noRecent': '最近使ったラボはありません',
  'menu.file.save': '保存',
  'menu.file.saveAs': '名前を付けて保存…',
  'menu.file.export': 'エクスポート',
  'menu.file.exportScript': 'iproute2 スクリプト…',
  'menu.file.exportPcap': '直前のトレースのキャプチャ（pcapng）…',
  'menu.file.close': 'ウインドウを閉じる',
  'menu.file.exit': '終了',
  'menu.edit': '編集',
  'menu.edit.undo': '元に戻す',
  'menu.edit.redo': 'やり直し',
  'menu.edit.cut': '切り取り',
  'menu.edit.copy': 'コピー',
  'menu.edit.paste': '貼り付け',
  'menu.edit.selectAll': 'すべてを選択',
  'menu.view': '表示',
  'menu.view.reload': '再読み込み',
  'menu.view.devTools': '開発者ツールの表示切り替え',
  'menu.view.resetZoom': '実際のサイズ',
  'menu.view.zoomIn': '拡大',
  'menu.view.zoomOut': '縮小',
  'menu.view.fullScreen': 'フルスクリーンの切り替え',
  'menu.window': 'ウインドウ',
  'menu.window.minimize': 'しまう',
  'menu.window.zoom': '拡大／縮小',
  'menu.window.front': 'すべてを手前に移動',
  'menu.help': 'ヘルプ',
  'menu.help.about': '{app} について',
  'menu.help.exercises': '演習…',
  'dialog.open.title': 'ラボを開く',
  'dialog.save.title': 'ラボを保存',
  'dialog.exportScript.title': 'iproute2 スクリプトをエクスポート',
  'dialog.exportPcap.title': 'キャプチャをエクスポート',
  'filter.lab': 'PodNet ラボ',
  'filter.all': 'すべてのファイル',
  'filter.script': 'シェルスクリプト',
  'filter.pcapng': 'pcapng キャプチャ',
  'confirm.save': '{action}、「{name}」の変更を保存しますか？',
  'confirm.action.open': '別のラボを開く前に',
  'confirm.action.close': '閉じる前に',
  'confirm.detail': '保存しないと、変更は失われます。',
  'button.save': '保存',
  'button.dontSave': '保存しない',
  'button.cancel': 'キャンセル',
  'button.restore': '復元',
  'button.discard': '破棄',
  'button.ok': 'OK',
  'error.open': 'ラボを開けませんでした',
  'error.save': 'ラボを保存できませんでした',
  'error.restore': 'ラボを復元できませんでした',
  'error.exportScript': 'スクリプトをエクスポートできませんでした',
  'error.exportPcap': 'キャプチャをエクスポートできませんでした',
  'error.undo': '元に戻せませんでした',
  'error.redo': 'やり直せませんでした',
  'error.read': '{path} を読めません：{reason}',
  'error.write': '{path} に書き込めません：{reason}',
  'reason.ENOENT': 'ファイル、またはパスの途中のフォルダーがありません',
  'reason.EACCES': 'アクセス権がありません',
  'reason.EPERM': 'この操作は許可されていません',
  'reason.EISDIR': 'フォルダーです',
  'reason.ENOTDIR': 'パスの途中にフォルダーでないものがあります',
  'reason.ENOSPC': 'ディスクがいっぱいです',
  'reason.EROFS': '読み取り専用のファイルシステムです',
  'reason.EMFILE': '開いているファイルが多すぎます',
  'reason.EBUSY': 'ファイルが使用中です',
  'noTrace.message': 'トレースがまだありません',
  'noTrace.detail': '先にトレースパネルからパケットを送ってください。キャプチャには、そのフレームが入ります。',
  'recovery.message': '保存されていないラボを復元しますか？',
  'recovery.detail': '{app} は前回、最後のラボを保存せずに終了しました。復元しますか？',
  'about.detail': 'Kubernetes の Pod ネットワーク（名前空間、veth ペア、cbr0、経路、flannel VXLAN）を組み立て、1 つのパケットの通り道を 1 ホップずつ追います。',
  'fileType.lab': 'PodNet Lab ファイル',
}

export const SHELL_TEXTS: Record<Lang, Record<ShellKey, string>> = { en, ja }

/** A shell text in `lang`, with `{name}` placeholders filled in. */
export function shellText(lang: Lang, key: ShellKey, params: Record<string, string> = {}): string {
  return SHELL_TEXTS[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m)
}

const REASONS = ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EROFS', 'EMFILE', 'EBUSY'] as const

/**
 * Why reading or writing `path` failed, in `lang`: the system's own words are English, so the
 * errors a user can act on are told in the dialog's language; others keep the system's message.
 */
export function fileErrorText(lang: Lang, op: 'read' | 'write', path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code
  const known = REASONS.find((r) => r === code)
  const reason = known ? shellText(lang, `reason.${known}`) : err instanceof Error ? err.message : String(err)
  return shellText(lang, op === 'read' ? 'error.read' : 'error.write', { path, reason })
}

/** The UI language for a locale such as `ja-JP` or `en-US`. */
export function langOfLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en'
}
