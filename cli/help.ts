/** The text of `ots --help` and `ots <command> --help`. */
import { REGIONS } from '../src/index.js';
import { COMMANDS, COMMON_FLAGS, type CommandSpec, type FlagName } from './commands.js';

/** Each flag's synopsis and what it does. */
const FLAG_HELP: Record<FlagName, [string, string]> = {
  region: [`--region <${REGIONS.join('|')}>`, 'the region to call (status: a list, or all)'],
  domain: ['--domain <host>', 'a custom domain (http:// for loopback, e.g. the sandbox)'],
  'allow-http': ['--allow-http', 'allow http:// to a private host (http://ots:3000): clear text, warns'],
  json: ['--json', 'print the result as JSON'],
  timeout: ['--timeout <seconds>', 'deadline per call (default 10)'],
  'api-version': ['--api-version <v1|v2|v3>', 'the API to speak (default v2; v3: anonymous only)'],
  ttl: ['--ttl <ttl>', 'lifetime: seconds, or 30m, 12h, 7d (the server may clamp it)'],
  'passphrase-file': ['--passphrase-file <path>', 'read the passphrase from a file (or set OTS_PASSPHRASE)'],
  recipient: ['--recipient <email>', 'also email the link (needs credentials; repeatable)'],
  'degraded-ms': ['--degraded-ms <ms>', 'a nominal answer slower than this is degraded (default 2000)'],
  depth: ['--depth <status|roundtrip>', 'roundtrip also shares, reveals and checks a test secret'],
  'fail-on': ['--fail-on <down|degraded|never>', 'when to exit 1 (default down)'],
  help: ['-h, --help', 'show help'],
  version: ['-V, --version', 'show the version'],
};

const FLAG_WIDTH = Math.max(...Object.values(FLAG_HELP).map(([synopsis]) => synopsis.length));

function flagLine(flag: FlagName): string {
  const [synopsis, description] = FLAG_HELP[flag];
  return `  ${synopsis.padEnd(FLAG_WIDTH)}  ${description}`;
}

const ENVIRONMENT = `Environment:
  OTS_REGION, OTS_DOMAIN       the target when no flag gives one (fallback: ONETIME_HOST)
  OTS_TARGETS                  status: the targets to check, as its arguments (plus OTS_DOMAIN)
  OTS_USERNAME, OTS_TOKEN      account email or customer id, and API token
                               (fallbacks: ONETIME_CUSTID, ONETIME_APIKEY)
  OTS_PASSPHRASE               passphrase for share, generate, reveal, burn
  OTS_ALLOW_HTTP=true          as --allow-http
  HTTPS_PROXY, HTTP_PROXY,     the proxy to go through, and the hosts reached directly
  NO_PROXY                     (lower case too; NODE_EXTRA_CA_CERTS for a private CA)`;

const EXIT_CODES = `Exit codes: 0 success, 1 a failed call or check, 2 bad usage.`;

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const commands = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  const common: FlagName[] = [...COMMON_FLAGS, 'version'];
  return [
    'ots: share secrets as links that work once, with Onetime Secret.',
    '',
    'Usage: ots <command> [options]',
    '',
    'Commands:',
    ...commands,
    `  ${'help'.padEnd(width)}  the help of a command (ots help share)`,
    `  ${'completion'.padEnd(width)}  a completion script: ots completion bash|zsh|fish`,
    '',
    'Options for every command:',
    ...common.map(flagLine),
    '',
    ENVIRONMENT,
    '',
    'Secrets and passphrases are read from stdin, a file or the environment, never from arguments:',
    'arguments show in process lists and shell history.',
    '',
    EXIT_CODES,
    'Run `ots <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  const flags: FlagName[] = [...command.flags, ...COMMON_FLAGS];
  return [
    `Usage: ots ${command.synopsis}`,
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    ...(EXTRA[command.name] ?? []),
    '',
    'Options:',
    ...flags.map(flagLine),
    '',
    ENVIRONMENT,
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}

const EXTRA: Partial<Record<CommandSpec['name'], string[]>> = {
  status: [
    `Targets: regions (${REGIONS.join(', ')}), all, or custom domains, separated by spaces or commas.`,
    'Without targets: --region/--domain, then OTS_TARGETS (plus OTS_DOMAIN), then OTS_REGION/OTS_DOMAIN,',
    'then ONETIME_HOST, then the default host.',
    'With credentials it also checks that they are accepted.',
  ],
  share: [
    'The secret is everything on stdin; one trailing newline is dropped. Stdin must not be a terminal:',
    "  echo -n 'hunter2' | ots share        ots share < key.pem",
  ],
  reveal: [
    'Prints the value exactly (a newline is added only when stdout is a terminal). A secret can be',
    'revealed once. Give - to read the key or link from stdin.',
  ],
  receipt: ['Give - to read the key or link from stdin.'],
  burn: ['Give - to read the key or link from stdin.'],
};
