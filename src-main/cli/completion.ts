// Shell completion scripts, generated from the commands' specs: the same commands, options,
// choices and value kinds as the usage and the parser. The scripts walk the words before the
// cursor (command path, options that take a value, positionals) and complete what comes next;
// namespaces and interfaces come from the lab file already on the line, through
// `podnet completion --names|--ifaces FILE`.
import type { CliCommand, Completion, OptionSpec } from './command.ts'
import { optionsOf, takesValue } from './parse.ts'

interface Node {
  /** `exercise/start`; '' is the root. */
  path: string
  command: CliCommand | null
  children: readonly CliCommand[]
}

function walk(commands: readonly CliCommand[]): Node[] {
  const out: Node[] = [{ path: '', command: null, children: commands }]
  const visit = (c: CliCommand, prefix: string): void => {
    const path = prefix ? `${prefix}/${c.name}` : c.name
    out.push({ path, command: c, children: c.subcommands ?? [] })
    for (const s of c.subcommands ?? []) visit(s, path)
  }
  for (const c of commands) visit(c, '')
  return out
}

const spellings = (o: OptionSpec): string[] => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]

/** A value kind as the scripts name it: `choices:a b`, or a Completion. */
function kindOf(o: { choices?: readonly string[]; complete?: Completion }): string {
  return o.choices ? `choices:${o.choices.join(' ')}` : (o.complete ?? 'file')
}

/** Shell-safe: every word in the specs is a plain name, but a quote must never end a string early. */
function q(s: string): string {
  if (/['\\\n]/.test(s)) throw new Error(`completion: a command spec contains a quote or a newline: ${JSON.stringify(s)}`)
  return `'${s}'`
}

/** The tables both scripts read, as shell functions: one `case` per question. */
function tables(commands: readonly CliCommand[], scenarios: readonly string[], programs: readonly string[]): string {
  const nodes = walk(commands)
  const cmds = nodes.filter((n) => n.children.length).map((n) => `    ${q(n.path)}) echo ${q(n.children.map((c) => c.name).join(' '))} ;;`)
  const opts = nodes.filter((n) => n.command).map((n) => `    ${q(n.path)}) echo ${q(optionsOf(n.command!).flatMap(spellings).join(' '))} ;;`)
  const optKinds: string[] = []
  const argKinds: string[] = []
  for (const n of nodes) {
    if (!n.command) continue
    for (const o of optionsOf(n.command)) if (takesValue(o)) optKinds.push(`    ${spellings(o).map((s) => q(`${n.path} ${s}`)).join('|')}) echo ${q(kindOf(o))} ;;`)
    const args = n.command.args ?? []
    // A variadic argument answers for the literal index '*'; a pass-through for every index past
    // the arguments (and for '', asked when `--` is seen).
    args.forEach((a, i) => argKinds.push(`    ${q(`${n.path} ${a.variadic ? '*' : i}`)}) echo ${q(kindOf(a))} ;;`))
    if (n.command.passThrough) argKinds.push(`    ${q(`${n.path} `)}*) echo 'rest' ;;`)
  }
  return `_podnet_cmds() {
  case "$1" in
${cmds.join('\n')}
  esac
}
_podnet_opts() {
  case "$1" in
${opts.join('\n')}
  esac
}
# The kind of value an option takes; nothing for a flag.
_podnet_opt_kind() {
  case "$1 $2" in
${optKinds.join('\n')}
  esac
}
# The kind of the positional argument number $2 (from 0); 'rest' once a command's own words begin.
_podnet_arg_kind() {
  case "$1 $2" in
${argKinds.join('\n')}
  esac
}
_podnet_scenarios=${q(scenarios.join(' '))}
_podnet_programs=${q(programs.join(' '))}`
}

/**
 * The walk over the words before the cursor (the program's name first, the word at the cursor
 * last), shared by both shells (bash and zsh run it alike):
 * sets _podnet_path, _podnet_npos (positionals so far), _podnet_lab (the lab file on the line),
 * _podnet_after (1 when past `--` or in a command's own words) with _podnet_rest (how many of
 * those words), _podnet_pos (the positionals).
 */
const WALK = `_podnet_walk() {
  local w kind i=2 skip=0
  _podnet_path='' _podnet_npos=0 _podnet_lab='' _podnet_after=0 _podnet_rest=0 _podnet_pos=''
  while (( i < $# )); do
    eval "w=\\\${$i}"
    i=$((i + 1))
    if (( _podnet_after )); then _podnet_rest=$((_podnet_rest + 1)); continue; fi
    if (( skip )); then
      skip=0
      [[ $kind == lab-file ]] && _podnet_lab=$w
      continue
    fi
    if [[ $w == -- ]]; then
      [[ -n $(_podnet_arg_kind "$_podnet_path" '') || $(_podnet_arg_kind "$_podnet_path" "$_podnet_npos") == rest ]] && _podnet_after=1
      continue
    fi
    if [[ $w == -?* ]]; then
      kind=$(_podnet_opt_kind "$_podnet_path" "$w")
      [[ -n $kind ]] && skip=1
      continue
    fi
    if (( _podnet_npos == 0 )) && [[ " $(_podnet_cmds "$_podnet_path") " == *" $w "* ]]; then
      _podnet_path=\${_podnet_path:+$_podnet_path/}$w
      continue
    fi
    kind=$(_podnet_arg_kind "$_podnet_path" "$_podnet_npos")
    [[ -z $kind ]] && kind=$(_podnet_arg_kind "$_podnet_path" '*')
    [[ -z $kind ]] && kind=$(_podnet_arg_kind "$_podnet_path" '')
    if [[ $kind == rest ]]; then _podnet_after=1 _podnet_rest=1; continue; fi
    [[ $kind == lab-file ]] && _podnet_lab=$w
    _podnet_pos="$_podnet_pos $w"
    _podnet_npos=$((_podnet_npos + 1))
  done
}

# What to complete at the cursor: prints one kind (see _podnet_opt_kind) or 'options' / 'commands'.
_podnet_what() {
  local cur=$1 prev=$2 kind
  # A command's own words: its program first, then whatever it takes.
  if (( _podnet_after )); then (( _podnet_rest == 0 )) && echo program || echo none; return; fi
  if [[ $prev == -?* ]]; then
    kind=$(_podnet_opt_kind "$_podnet_path" "$prev")
    if [[ -n $kind ]]; then echo "$kind"; return; fi
  fi
  if [[ $cur == -* ]]; then echo options; return; fi
  if (( _podnet_npos == 0 )) && [[ -n $(_podnet_cmds "$_podnet_path") ]]; then echo commands; return; fi
  kind=$(_podnet_arg_kind "$_podnet_path" "$_podnet_npos")
  [[ -z $kind ]] && kind=$(_podnet_arg_kind "$_podnet_path" '*')
  [[ -z $kind ]] && kind=$(_podnet_arg_kind "$_podnet_path" '')
  [[ $kind == rest ]] && kind=program
  echo "\${kind:-none}"
}

# The words of a kind that does not name files, for the lab on the line when it needs one.
_podnet_words() {
  case "$1" in
    choices:*) echo "\${1#choices:}" ;;
    scenario) echo "$_podnet_scenarios" ;;
    program) echo "$_podnet_programs" ;;
    command) local p=\${_podnet_pos# }; _podnet_cmds "\${p// //}" ;;
    netns) [[ -f $_podnet_lab ]] && \${PODNET_COMMAND:-podnet} completion --names "$_podnet_lab" 2>/dev/null ;;
    iface) [[ -f $_podnet_lab ]] && \${PODNET_COMMAND:-podnet} completion --ifaces "$_podnet_lab" 2>/dev/null ;;
  esac
}`

export function bashScript(commands: readonly CliCommand[], scenarios: readonly string[], programs: readonly string[], version: string): string {
  return `# bash completion for podnet (PodNet Lab ${version}).
# Load it in this shell:   source <(podnet completion bash)
# or for every shell:      podnet completion bash > ~/.local/share/bash-completion/completions/podnet
${tables(commands, scenarios, programs)}
${WALK}

_podnet() {
  # Words from the line itself, up to the cursor: bash splits NS:DEV at the colon otherwise.
  local line=\${COMP_LINE:0:COMP_POINT} cur prev what f IFS=$' \\t\\n'
  local -a words
  read -r -a words <<< "$line"
  if [[ $line == *[[:space:]] ]]; then cur=''; else cur=\${words[\${#words[@]}-1]}; unset 'words[\${#words[@]}-1]'; fi
  prev=\${words[\${#words[@]}-1]}
  _podnet_walk "\${words[@]}" "$cur"
  what=$(_podnet_what "$cur" "$prev")
  COMPREPLY=()
  case "$what" in
    none) ;;
    options) COMPREPLY=($(compgen -W "$(_podnet_opts "$_podnet_path")" -- "$cur")) ;;
    commands) COMPREPLY=($(compgen -W "$(_podnet_cmds "$_podnet_path")" -- "$cur")) ;;
    file | lab-file | directory)
      compopt -o filenames 2>/dev/null
      local IFS=$'\\n'
      for f in $(compgen -f -- "$cur"); do
        if [[ -d $f ]]; then COMPREPLY+=("$f")
        elif [[ $what == file || ( $what == lab-file && ( $f == *.podnet || $f == *.yaml || $f == *.yml ) ) ]]; then COMPREPLY+=("$f")
        fi
      done ;;
    *) COMPREPLY=($(compgen -W "$(_podnet_words "$what")" -- "$cur")) ;;
  esac
  # bash replaces only what follows the last colon of the word.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    local i
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=\${COMPREPLY[i]#"\${cur%:*}:"}; done
  fi
}
complete -F _podnet podnet
`
}

export function zshScript(commands: readonly CliCommand[], scenarios: readonly string[], programs: readonly string[], version: string): string {
  const summaries = walk(commands)
    .filter((n) => n.children.length)
    .map((n) => `    ${q(n.path)}) _podnet_described=(${n.children.map((c) => q(`${c.name.padEnd(12)} -- ${c.summary.en}`)).join(' ')}) ;;`)
  return `#compdef podnet
# zsh completion for podnet (PodNet Lab ${version}).
# Load it in this shell:   source <(podnet completion zsh)
# or for every shell:      podnet completion zsh > "\${fpath[1]}/_podnet"  (then: compinit)
${tables(commands, scenarios, programs)}
_podnet_summaries() {
  _podnet_described=()
  case "$1" in
${summaries.join('\n')}
  esac
}
${WALK}

_podnet() {
  emulate -L zsh
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} what
  local -a _podnet_described
  _podnet_walk "\${(@)words[1,CURRENT-1]}" "$cur"
  what=$(_podnet_what "$cur" "$prev")
  case "$what" in
    none) return 1 ;;
    options) compadd -- \${=$(_podnet_opts "$_podnet_path")} ;;
    commands)
      _podnet_summaries "$_podnet_path"
      compadd -l -d _podnet_described -- \${=$(_podnet_cmds "$_podnet_path")} ;;
    file) _files ;;
    lab-file) _files -g '*.(podnet|yaml|yml)' ;;
    directory) _files -/ ;;
    *) compadd -- \${=$(_podnet_words "$what")} ;;
  esac
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _podnet "$@"
else
  compdef _podnet podnet
fi
`
}
