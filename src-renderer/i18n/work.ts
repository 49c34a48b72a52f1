/**
 * Texts of the progress bar of long work (building a lab, opening one, replaying its history,
 * comparing) and
 * its Cancel, in both languages (spread into en.ts and ja.ts, so this feature's keys stay together).
 */
export const workEn = {
  'work.wait': 'Working…',
  'work.build': 'Building the lab…',
  'work.replay': 'Replaying the lab’s history…',
  'work.step.build': 'Step {done} of {total}',
  'work.step.replay': 'Command {done} of {total}',
  'work.compare': 'Comparing: replaying both sides and searching each path’s MTU…',
  'work.step.compare': 'Step {done} of {total}',
  'work.sub.build': 'Rebuilding a side: step {done} of {total}',
  'work.sub.replay': 'Replaying a side’s history: command {done} of {total}',
  'work.percent': '{n}%',
  'work.cancel': 'Cancel',
  'work.cancelling': 'Cancelling…',
  'work.cancelled': 'Cancelled. The lab that was open is as it was.',
} as const

export const workJa: Record<keyof typeof workEn, string> = {
  'work.wait': '処理中…',
  'work.build': 'ラボを構築中…',
  'work.replay': 'ラボの履歴を再実行中…',
  'work.step.build': 'ステップ {done} / {total}',
  'work.step.replay': 'コマンド {done} / {total}',
  'work.compare': '比較中：両側を再実行し、それぞれの経路の MTU を探しています…',
  'work.step.compare': 'ステップ {done} / {total}',
  'work.sub.build': '片側を再構築中：ステップ {done} / {total}',
  'work.sub.replay': '片側の履歴を再実行中：コマンド {done} / {total}',
  'work.percent': '{n}%',
  'work.cancel': 'キャンセル',
  'work.cancelling': 'キャンセル中…',
  'work.cancelled': 'キャンセルしました。開いていたラボはそのままです。',
}
