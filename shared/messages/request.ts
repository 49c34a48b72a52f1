/**
 * Why the handler table refuses a request (src-main/ipc): the shape checks of validate.ts, the
 * New lab's counts, and the checks of an edit against the lab as it is. Message keys with their
 * English and Japanese texts, spread into en.ts and ja.ts; the English is the text the CLI, logs
 * and `ApiError.message` carry (after the field's path).
 *
 * A placeholder whose name ends in `Key` holds another key of the catalogue, worded in the same
 * language with the same parameters (formatMessage): what a field takes (`request.what.*`) and
 * the value that was sent (`request.got.*`).
 */
export const requestEn = {
  // The shape of a payload (validate.ts).
  'request.must_be': 'must be {whatKey}, not {gotKey}',
  'request.not_empty': 'must not be empty',
  'request.min_chars': 'must have at least {min} characters',
  'request.max_chars': 'must be at most {max} characters long (got {length})',
  'request.single_line': 'must be a single line',
  'request.whole_number': 'must be a whole number from {min} to {max}, not {gotKey}',
  'request.true_false': 'must be true or false, not {gotKey}',
  'request.one_of': 'must be one of {values}, not {gotKey}',
  'request.object': 'must be an object, not {gotKey}',
  'request.unknown_field': 'unknown field (expected {fields})',
  'request.unknown_field_none': 'unknown field (expected no fields)',
  'request.required': 'is required',

  // The value sent, as a refusal names it (never as JavaScript prints it).
  'request.got.nothing': 'nothing',
  'request.got.null': 'null',
  'request.got.list': 'a list',
  'request.got.object': 'an object',
  'request.got.text': '{value}',
  'request.got.number': 'number {value}',
  'request.got.boolean': 'boolean {value}',
  'request.got.other': '{type} {value}',

  // What a field takes.
  'request.what.text': 'text',
  'request.what.matching': 'text matching {pattern}',
  'request.what.node_name': 'a node name (lowercase letters, digits and \'-\', 1-15 characters)',
  'request.what.pod_name': 'a pod name (lowercase letters, digits and \'-\', 1-15 characters)',
  'request.what.netns': 'a network namespace name',
  'request.what.ifname': 'an interface name (1-15 characters, no blanks)',
  'request.what.lab_text': 'the lab file text',
  'request.what.file_name': 'a file name',
  'request.what.command_line': 'a command line',
  'request.what.prefix': 'a prefix of letters, digits, \'.\', \'_\' and \'-\'',
  'request.what.hex': 'an even number of hex digits',
  'request.what.route': 'a route such as "10.244.2.0/24 via 192.168.0.12 dev eth0"',
  'request.what.destination': 'a pod, namespace or IPv4 address',
  'request.what.exercise_id': 'an exercise id (lowercase letters, digits and -)',
  'request.what.exercise_text': 'the exercise file text',
  'request.what.goal_id': 'a goal id',
  'request.what.answer': 'an answer',
  'request.what.cidr': 'a CIDR such as 192.168.5.0/24',

  // A new lab's counts (the scenario's limits, src-main/k8s/limits.ts).
  'request.new_nodes': 'must be a whole number from 1 to {max} for {scenario}, not {nodes}',
  'request.new_pods': '{nodes} nodes with {pods} pods each make {total} pods; a lab may have at most {max}',

  // An edit checked against the lab as it is (handlers.ts precheck).
  'request.no_cluster': 'this lab has no Kubernetes cluster; build it with commands instead',
  'request.taken': '"{name}" is already taken',
  'request.no_node': 'no node named "{name}"',
  'request.no_pod': 'no pod named "{name}"',
  'request.pod_on_node': 'pod "{name}" already runs on {node}',
  'request.no_netns': 'no network namespace named "{name}"',
  'request.no_device': 'no device "{device}" in {netns}',
  'request.no_device_host': 'no device "{device}" in the host namespace',
  'request.mode_same': 'the cluster already uses {mode}',
  'request.no_route': '{netns} has no route "{route}"',
  'request.no_route_host': 'the host namespace has no route "{route}"',
  'request.trace_gone': 'trace {id} is no longer kept (the last {max} traces of the open lab are)',

  // An exercise file of one's own (exercise-handlers.ts).
  'request.builtin_id': 'metadata.id: "{id}" is the id of a built-in exercise; give yours an id of its own',
} as const

export const requestJa: Record<keyof typeof requestEn, string> = {
  'request.must_be': '{whatKey}を指定してください（{gotKey} は使えません）',
  'request.not_empty': '空にはできません',
  'request.min_chars': '{min} 文字以上にしてください',
  'request.max_chars': '{max} 文字以内にしてください（{length} 文字あります）',
  'request.single_line': '1 行で指定してください',
  'request.whole_number': '{min} から {max} までの整数を指定してください（{gotKey} は使えません）',
  'request.true_false': 'true か false を指定してください（{gotKey} は使えません）',
  'request.one_of': '{values} のいずれかを指定してください（{gotKey} は使えません）',
  'request.object': 'オブジェクトを指定してください（{gotKey} は使えません）',
  'request.unknown_field': '不明なフィールドです（使えるのは {fields}）',
  'request.unknown_field_none': '不明なフィールドです（フィールドは使えません）',
  'request.required': '必須です',

  'request.got.nothing': '値なし',
  'request.got.null': '空の値（null）',
  'request.got.list': 'リスト',
  'request.got.object': 'オブジェクト',
  'request.got.text': '{value}',
  'request.got.number': '数値 {value}',
  'request.got.boolean': '真偽値 {value}',
  'request.got.other': '{type} 型の値 {value}',

  'request.what.text': 'テキスト',
  'request.what.matching': '{pattern} に一致するテキスト',
  'request.what.node_name': 'ノード名（英小文字、数字、「-」で 1〜15 文字）',
  'request.what.pod_name': 'Pod 名（英小文字、数字、「-」で 1〜15 文字）',
  'request.what.netns': 'ネットワーク名前空間の名前',
  'request.what.ifname': 'インターフェース名（空白を含まない 1〜15 文字）',
  'request.what.lab_text': 'ラボファイルのテキスト',
  'request.what.file_name': 'ファイル名',
  'request.what.command_line': 'コマンドライン',
  'request.what.prefix': '英字、数字、「.」「_」「-」からなる接頭辞',
  'request.what.hex': '偶数個の 16 進数字',
  'request.what.route': '「10.244.2.0/24 via 192.168.0.12 dev eth0」のような経路',
  'request.what.destination': 'Pod、名前空間、IPv4 アドレスのいずれか',
  'request.what.exercise_id': '演習の ID（英小文字、数字、「-」）',
  'request.what.exercise_text': '演習ファイルのテキスト',
  'request.what.goal_id': '目標の ID',
  'request.what.answer': '回答',
  'request.what.cidr': '192.168.5.0/24 のような CIDR',

  'request.new_nodes': '{scenario} のノード数は 1 から {max} までの整数にしてください（{nodes} は使えません）',
  'request.new_pods': '{nodes} ノード × {pods} Pod で Pod が {total} 個になります。ラボに置ける Pod は最大 {max} 個です',

  'request.no_cluster': 'このラボには Kubernetes クラスターがありません。コマンドで構築してください',
  'request.taken': '「{name}」はすでに使われています',
  'request.no_node': '「{name}」という名前のノードはありません',
  'request.no_pod': '「{name}」という名前の Pod はありません',
  'request.pod_on_node': 'Pod「{name}」はすでに {node} で動いています',
  'request.no_netns': '「{name}」という名前のネットワーク名前空間はありません',
  'request.no_device': '{netns} にはデバイス「{device}」がありません',
  'request.no_device_host': 'ホストの名前空間にはデバイス「{device}」がありません',
  'request.mode_same': 'クラスターはすでに {mode} を使っています',
  'request.no_route': '{netns} には経路「{route}」がありません',
  'request.no_route_host': 'ホストの名前空間には経路「{route}」がありません',
  'request.trace_gone': 'トレース {id} はもう残っていません（開いているラボの最新 {max} 件だけが残ります）',

  'request.builtin_id': 'metadata.id：「{id}」は組み込みの演習の ID です。自分の演習には別の ID を付けてください',
}
