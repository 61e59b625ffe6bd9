/**
 * Turns argv into an invocation with `node:util` parseArgs (tokens mode), then checks every token itself so
 * that each message names the flag and never echoes a value (the core's parsers echo plain digits only),
 * since a value in the wrong place may be a secret.
 */
import { parseArgs } from 'node:util';
import {
  CHECK_SETTING_NAMES,
  type CheckSettingName,
  type CheckSettings,
  parseCheckSettings,
} from '../src/index.js';
import { acceptsFlag, COMMANDS, type CommandSpec, type FlagName, findCommand } from './commands.js';
import { parseShell, type Shell } from './completion.js';
import { type Flags, usage } from './flags.js';
import { UsageError } from './usage-error.js';

export type Invocation =
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'completion'; shell: Shell }
  | { kind: 'version' }
  | { kind: 'run'; command: CommandSpec; positionals: string[]; flags: Flags };

const OPTIONS = {
  region: { type: 'string' },
  domain: { type: 'string' },
  json: { type: 'boolean' },
  'allow-http': { type: 'boolean' },
  timeout: { type: 'string' },
  'api-version': { type: 'string' },
  ttl: { type: 'string' },
  'passphrase-file': { type: 'string' },
  recipient: { type: 'string', multiple: true },
  'degraded-ms': { type: 'string' },
  depth: { type: 'string' },
  'fail-on': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

type OptionToken = { name: string; rawName: string; value?: string; inlineValue?: boolean };

/** Flags people reach for that would put a secret into the process list; each gets its own advice. */
const REFUSED: Record<string, string> = {
  passphrase:
    'a passphrase is never taken as an argument (other users can read process arguments); ' +
    'use --passphrase-file <path> or the OTS_PASSPHRASE environment variable',
  secret: 'the secret is read from stdin, never from an argument: pipe it in, e.g. `ots share < file`',
  token: 'credentials come from the environment: set OTS_USERNAME and OTS_TOKEN',
  username: 'credentials come from the environment: set OTS_USERNAME and OTS_TOKEN',
};

export function parseInvocation(argv: readonly string[]): Invocation {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const options: OptionToken[] = [];
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option') options.push(token);
    if (token.kind === 'positional') positionals.push(token.value);
  }
  try {
    for (const option of options) checkKnown(option);
  } catch (error) {
    // Point the hint at the command's own help when the command is known.
    const known = findCommand(positionals[0] ?? '')?.name;
    throw error instanceof UsageError ? new UsageError(error.message, known) : error;
  }

  const wantsHelp = options.some((option) => option.name === 'help');
  if (options.some((option) => option.name === 'version') && !wantsHelp) return { kind: 'version' };

  const [commandName, ...rest] = positionals;
  if (commandName === 'help') return helpInvocation(rest);
  if (commandName === 'completion') {
    if (rest.length > 1) throw new UsageError('completion takes one shell: bash, zsh or fish');
    return { kind: 'completion', shell: parseShell(rest[0]) };
  }
  const command = commandName === undefined ? undefined : findCommand(commandName);
  if (commandName !== undefined && command === undefined) throw unknownCommand(commandName);
  if (wantsHelp) return { kind: 'help', command };
  if (command === undefined) {
    throw new UsageError(`no command given; the commands are: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  try {
    checkPositionals(command, rest);
    return { kind: 'run', command, positionals: rest, flags: readFlags(command, options) };
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(error.message, command.name) : error;
  }
}

/** `ots help [command]`, as `ots [command] --help`. */
function helpInvocation(rest: string[]): Invocation {
  if (rest.length === 0) return { kind: 'help' };
  const command = findCommand(rest[0] ?? '');
  if (command === undefined || rest.length > 1) throw unknownCommand(rest.join(' '));
  return { kind: 'help', command };
}

/**
 * Names the word when it looks like a command (lower-case letters and hyphens): a mistyped
 * `ots hunter2` might be a secret, so anything else is not echoed.
 */
function unknownCommand(word: string): UsageError {
  const shown = /^[a-z][a-z-]{0,29}$/.test(word) ? ` "${word}"` : '';
  const names = [...COMMANDS.map((c) => c.name), 'help', 'completion'].join(', ');
  return new UsageError(`unknown command${shown}; the commands are: ${names}`);
}

function checkKnown(option: OptionToken): void {
  const refusal = REFUSED[option.name];
  if (refusal !== undefined) throw new UsageError(`${option.rawName} is not accepted: ${refusal}`);
  if (!(option.name in OPTIONS)) throw new UsageError(`unknown option ${option.rawName}`);
}

function checkPositionals(command: CommandSpec, rest: string[]): void {
  const name = command.name;
  if (command.positionals === 'none' && rest.length > 0) {
    if (command.name === 'share') {
      throw new UsageError(
        'share reads the secret from stdin, never from an argument (arguments show in process lists ' +
          'and shell history); nothing was sent. Pipe it in: `ots share < file`',
        name,
      );
    }
    throw new UsageError(`${name} takes no arguments`, name);
  }
  if (command.positionals === 'key' && rest.length === 0) {
    throw new UsageError(`${name} needs a key or link (or - to read it from stdin)`, name);
  }
  if (command.positionals === 'key' && rest.length > 1) {
    throw new UsageError(`${name} takes one key or link, got ${rest.length} arguments`, name);
  }
}

function readFlags(command: CommandSpec, options: OptionToken[]): Flags {
  const flags: Omit<Flags, keyof CheckSettings> = { json: false, recipients: [] };
  const check: Partial<Record<CheckSettingName, string>> = {};
  const seen = new Set<string>();
  for (const option of options) {
    const name = option.name as FlagName;
    if (name === 'help' || name === 'version') continue;
    const flag = `--${name}`;
    if (!acceptsFlag(command, name)) throw new UsageError(`${flag} does not apply to ${command.name}`);
    if (name !== 'recipient' && seen.has(name)) throw new UsageError(`${flag} is given more than once`);
    seen.add(name);
    if (name === 'json' || name === 'allow-http') {
      if (option.value !== undefined) throw new UsageError(`${flag} takes no value`);
      if (name === 'json') flags.json = true;
      else flags.allowHttp = true;
      continue;
    }
    const value = requiredValue(option, flag);
    if (name === 'recipient') flags.recipients.push(value.trim());
    else if (isCheckSetting(name)) check[name] = value;
    else flags[rawFlag(name, flag)] = value;
  }
  // The check settings by the core's one rule each (the action's inputs use it too), named as flags.
  return { ...flags, ...usage(() => parseCheckSettings(check, '--')) };
}

function isCheckSetting(name: FlagName): name is CheckSettingName {
  return (CHECK_SETTING_NAMES as readonly string[]).includes(name);
}

function requiredValue(option: OptionToken, flag: string): string {
  const { value, inlineValue } = option;
  // Without strict mode parseArgs lets `--ttl --json` take `--json` as the value: treat it as missing.
  const looksLikeFlag = !inlineValue && value !== undefined && /^-(-|[a-zA-Z])/.test(value);
  if (value === undefined || looksLikeFlag || value.trim() === '') {
    throw new UsageError(`${flag} needs a value`);
  }
  return value;
}

/** Value flags kept raw, for the core to judge when they are used (a target, a TTL, a file). */
type RawFlag = 'region' | 'domain' | 'ttl' | 'passphraseFile';
const RAW_FLAGS: Partial<Record<FlagName, RawFlag>> = {
  region: 'region',
  domain: 'domain',
  ttl: 'ttl',
  'passphrase-file': 'passphraseFile',
};

function rawFlag(name: FlagName, flag: string): RawFlag {
  const key = RAW_FLAGS[name];
  if (key === undefined) throw new UsageError(`unknown option ${flag}`);
  return key;
}
