/** The commands of `ots`, the flags each accepts, and how many arguments it takes. */

export type CommandName = 'status' | 'share' | 'generate' | 'reveal' | 'receipt' | 'burn' | 'recent';

export type FlagName =
  | 'region'
  | 'domain'
  | 'json'
  | 'allow-http'
  | 'timeout'
  | 'api-version'
  | 'ttl'
  | 'passphrase-file'
  | 'recipient'
  | 'degraded-ms'
  | 'depth'
  | 'fail-on'
  | 'help'
  | 'version';

export interface CommandSpec {
  name: CommandName;
  /** One line for the command list in `ots --help`. */
  summary: string;
  /** The synopsis after `ots `. */
  synopsis: string;
  /** Flags beyond the common ones. */
  flags: readonly FlagName[];
  /** `none`, exactly one key, or any number of targets. */
  positionals: 'none' | 'key' | 'targets';
}

/** Accepted by every command. */
export const COMMON_FLAGS: readonly FlagName[] = [
  'region',
  'domain',
  'allow-http',
  'json',
  'timeout',
  'api-version',
  'help',
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'status',
    summary: 'check that the service answers (and that your credentials work)',
    synopsis: 'status [targets...] [options]',
    flags: ['degraded-ms', 'depth', 'fail-on'],
    positionals: 'targets',
  },
  {
    name: 'share',
    summary: 'share the secret read from stdin; prints its link',
    synopsis: 'share [options] < secret-file',
    flags: ['ttl', 'passphrase-file', 'recipient'],
    positionals: 'none',
  },
  {
    name: 'generate',
    summary: 'make a random secret and share it; prints the value and its link',
    synopsis: 'generate [options]',
    flags: ['ttl', 'passphrase-file', 'recipient'],
    positionals: 'none',
  },
  {
    name: 'reveal',
    summary: 'reveal a secret (once); prints only its value',
    synopsis: 'reveal <secret-key-or-link | -> [options]',
    flags: ['passphrase-file'],
    positionals: 'key',
  },
  {
    name: 'receipt',
    summary: 'show the receipt of a secret you shared',
    synopsis: 'receipt <receipt-key-or-link | -> [options]',
    flags: [],
    positionals: 'key',
  },
  {
    name: 'burn',
    summary: 'destroy a secret before it is read',
    synopsis: 'burn <receipt-key-or-link | -> [options]',
    flags: ['passphrase-file'],
    positionals: 'key',
  },
  {
    name: 'recent',
    summary: 'list the receipts of your account (needs credentials)',
    synopsis: 'recent [options]',
    flags: [],
    positionals: 'none',
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export function acceptsFlag(command: CommandSpec, flag: FlagName): boolean {
  return COMMON_FLAGS.includes(flag) || command.flags.includes(flag);
}
