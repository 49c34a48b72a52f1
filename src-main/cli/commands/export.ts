import { ExportError, exportScript } from '../../lab/export-iproute2.ts'
import { LabBuildError } from '../../lab/lab.ts'
import { UsageError, type CliCommand } from '../command.ts'
import { labFieldError, loadLab, writeOutput } from '../lab-io.ts'

export const exportCommand: CliCommand = {
  name: 'export',
  summary: { en: 'write a bash script that builds (or removes) the lab on a real Linux machine', ja: 'ラボを実際の Linux マシンに構築（または削除）する bash スクリプトを書き出す' },
  details: {
    en: `The script is flat, one ip/bridge command a line (ip netns add, ip link add, ip addr, ip route,
ip neigh, bridge fdb, sysctl), with the lab's MAC addresses; run it as root. --prefix keeps its
namespaces apart from the machine's own.`,
    ja: `スクリプトは 1 行に 1 つの ip/bridge コマンド（ip netns add、ip link add、ip addr、ip route、ip neigh、
bridge fdb、sysctl）を並べた平坦なもので、ラボの MAC アドレスを使います。root で実行してください。
--prefix を付けると、マシン自身の名前空間と区別できます。`,
  },
  args: [{ name: 'FILE', complete: 'lab-file', help: { en: 'the lab file', ja: 'ラボファイル' } }],
  options: [
    { name: 'format', choices: ['iproute2'], help: { en: 'the script format (default iproute2)', ja: 'スクリプトの形式（既定 iproute2）' } },
    { name: 'prefix', value: 'P', complete: 'none', help: { en: 'prefix of every namespace name (letters, digits, . _ -)', ja: 'すべての名前空間名の接頭辞（英数字と . _ -）' } },
    { name: 'teardown', help: { en: 'write the script that removes the lab instead', ja: '代わりにラボを削除するスクリプトを書き出す' } },
    { name: 'output', short: 'o', value: 'FILE', complete: 'file', help: { en: 'write the script to FILE instead of printing it', ja: 'スクリプトを標準出力ではなく FILE に書き込む' } },
  ],
  examples: ['podnet export lab.podnet --prefix demo- -o build.sh', 'podnet export lab.podnet --prefix demo- --teardown -o teardown.sh'],
  run(inv, ctx) {
    const prefix = inv.string('prefix') ?? ''
    if (!/^[A-Za-z0-9_.-]*$/.test(prefix)) throw new UsageError({ en: `--prefix "${prefix}" may only use letters, digits, '.', '_' and '-'`, ja: `--prefix "${prefix}" に使えるのは英数字と '.'、'_'、'-' だけです` })
    const file = inv.args[0]
    const doc = loadLab(file)
    let text: string
    try {
      text = exportScript(doc, { prefix, teardown: inv.flag('teardown') })
    } catch (e) {
      if (e instanceof LabBuildError) throw labFieldError(file, e.path, e.problem)
      if (e instanceof ExportError) throw e.path.startsWith('spec.') ? labFieldError(file, e.path, `cannot be exported: ${e.problem}`) : new UsageError({ en: e.message, ja: e.message })
      throw e
    }
    writeOutput(inv.string('output') ?? '-', text, ctx.io)
    return 0
  },
}
