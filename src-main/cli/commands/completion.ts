import { COMMANDS as PROGRAMS } from '../../engine/commands/table.ts'
import { scenarioNames } from '../../k8s/scenarios.ts'
import { UsageError, type CliCommand } from '../command.ts'
import { bashScript, zshScript } from '../completion.ts'
import { openLab } from '../lab-io.ts'

export const completionCommand: CliCommand = {
  name: 'completion',
  summary: { en: 'print the shell completion script for bash or zsh', ja: 'bash または zsh の補完スクリプトを表示する' },
  details: {
    en: `bash: source <(podnet completion bash), or save it as
~/.local/share/bash-completion/completions/podnet. zsh: source <(podnet completion zsh) after
compinit, or save it as _podnet in a directory of $fpath. Commands, options, choices, scenarios
and lab files complete; --from, --to, --netns and --iface complete from the lab file already on
the line (the scripts ask podnet completion --names or --ifaces).`,
    ja: `bash: source <(podnet completion bash) を実行するか、~/.local/share/bash-completion/completions/podnet に
保存します。zsh: compinit の後で source <(podnet completion zsh) を実行するか、$fpath のディレクトリに
_podnet として保存します。コマンド、オプション、選択肢、シナリオ、ラボファイルを補完し、--from、--to、
--netns、--iface はコマンド行にあるラボファイルから補完します（スクリプトが podnet completion --names または
--ifaces を呼び出します）。`,
  },
  args: [{ name: 'SHELL', optional: true, choices: ['bash', 'zsh'], help: { en: 'bash or zsh', ja: 'bash または zsh' } }],
  options: [
    { name: 'names', value: 'FILE', complete: 'lab-file', help: { en: 'print the namespaces (pods, nodes) of a lab file, one a line', ja: 'ラボファイルの名前空間（Pod、ノード）を 1 行に 1 つ表示する' } },
    { name: 'ifaces', value: 'FILE', complete: 'lab-file', help: { en: 'print the interfaces of a lab file as NS:DEV, one a line', ja: 'ラボファイルのインターフェースを NS:DEV の形で 1 行に 1 つ表示する' } },
  ],
  examples: ['source <(podnet completion bash)', 'podnet completion zsh > ~/.zfunc/_podnet'],
  run(inv, ctx) {
    const names = inv.string('names')
    const ifaces = inv.string('ifaces')
    const shell = inv.args[0]
    if ([names, ifaces, shell].filter((x) => x !== undefined).length !== 1) {
      throw new UsageError({ en: 'give one of: SHELL (bash or zsh), --names FILE, --ifaces FILE', ja: 'SHELL（bash または zsh）、--names FILE、--ifaces FILE のいずれか 1 つを指定してください' })
    }
    if (shell) {
      const make = shell === 'bash' ? bashScript : zshScript
      ctx.io.out(make(ctx.commands, scenarioNames(), Object.keys(PROGRAMS), ctx.version))
      return 0
    }
    const { world } = openLab((names ?? ifaces)!)
    const lines: string[] = []
    for (const ns of world.namespaces.values()) {
      if (names !== undefined) lines.push(ns.name)
      else for (const d of ns.deviceList()) lines.push(`${ns.name}:${d.name}`)
    }
    ctx.io.out(lines.length ? lines.join('\n') + '\n' : '')
    return 0
  },
}
