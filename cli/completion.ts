/**
 * `ots completion bash|zsh|fish`: a completion script for the shell, made from the command table, so
 * a new command or flag completes without editing this file. Install:
 *   bash: `source <(ots completion bash)` (or save it under ~/.local/share/bash-completion/completions/ots)
 *   zsh:  `ots completion zsh > "${fpath[1]}/_ots"` (then `compinit`)
 *   fish: `ots completion fish > ~/.config/fish/completions/ots.fish`
 */
import { COMMANDS, COMMON_FLAGS, type CommandSpec } from './commands.js';
import { UsageError } from './usage-error.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Words completed after `ots`: the commands, plus `help` and `completion`. */
const TOP_WORDS = [...COMMANDS.map((c) => c.name), 'help', 'completion'];

function flagsOf(command: CommandSpec): string[] {
  return [...new Set([...command.flags, ...COMMON_FLAGS, 'help'])].map((flag) => `--${flag}`);
}

export function parseShell(value: string | undefined): Shell {
  const match = SHELLS.find((shell) => shell === value);
  if (match === undefined) throw new UsageError(`completion needs a shell: one of ${SHELLS.join(', ')}`);
  return match;
}

function bash(): string {
  const cases = COMMANDS.map((c) => `    ${c.name}) flags="${flagsOf(c).join(' ')}" ;;`).join('\n');
  return `# bash completion for ots (ots completion bash)
_ots() {
  local cur=\${COMP_WORDS[COMP_CWORD]} command=\${COMP_WORDS[1]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${TOP_WORDS.join(' ')}" -- "$cur")); return
  fi
  case "$command" in
${cases}
    help) COMPREPLY=($(compgen -W "${COMMANDS.map((c) => c.name).join(' ')}" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur")); return ;;
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _ots ots
`;
}

function zsh(): string {
  const commands = COMMANDS.map((c) => `    '${c.name}:${c.summary.replaceAll("'", '')}'`).join('\n');
  const cases = COMMANDS.map(
    (c) =>
      `      ${c.name}) _values 'option' ${flagsOf(c)
        .map((f) => `'${f}'`)
        .join(' ')} ;;`,
  ).join('\n');
  return `#compdef ots
# zsh completion for ots (ots completion zsh)
_ots() {
  local -a commands
  commands=(
${commands}
    'help:show the help of a command'
    'completion:print a shell completion script'
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
  else
    case $words[2] in
${cases}
      help) _values 'command' ${COMMANDS.map((c) => c.name).join(' ')} ;;
      completion) _values 'shell' ${SHELLS.join(' ')} ;;
      *) _files ;;
    esac
  fi
}
compdef _ots ots
`;
}

function fish(): string {
  const lines = [
    '# fish completion for ots (ots completion fish)',
    'complete -c ots -f',
    ...COMMANDS.map(
      (c) => `complete -c ots -n '__fish_use_subcommand' -a ${c.name} -d '${c.summary.replaceAll("'", '')}'`,
    ),
    "complete -c ots -n '__fish_use_subcommand' -a help -d 'show the help of a command'",
    "complete -c ots -n '__fish_use_subcommand' -a completion -d 'print a shell completion script'",
    `complete -c ots -n '__fish_seen_subcommand_from help' -a '${COMMANDS.map((c) => c.name).join(' ')}'`,
    `complete -c ots -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`,
    ...COMMANDS.flatMap((c) =>
      flagsOf(c).map(
        (flag) => `complete -c ots -n '__fish_seen_subcommand_from ${c.name}' -l ${flag.slice(2)}`,
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell): string {
  if (shell === 'bash') return bash();
  if (shell === 'zsh') return zsh();
  return fish();
}
