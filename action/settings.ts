/**
 * Every action input, parsed once into one typed settings object. All checks happen here, before any
 * request: a bad input becomes one InputError that names the input, what was wrong and what is allowed.
 * Checks the core already owns (targets, links, TTL, credentials, secret limits) are the core's, so the
 * action, the functions and the CLI refuse the same things with the same words.
 */
import {
  type CheckSettings,
  type Credentials,
  checkVersionCredentials,
  givenPassphrase,
  type Logger,
  parseAllowHttp,
  parseCheckSettings,
  parseChoice,
  parseTtl,
  type ResolvedKey,
  resolveCredentials,
  resolveLink,
  resolveStatusTargets,
  resolveTarget,
  type Target,
  ValidationError,
  validatePassphrase,
  validateRecipients,
  validateSecret,
} from '../src/index.js';
import { InputError } from './input-error.js';

export const OPERATIONS = ['status', 'share', 'generate', 'reveal', 'receipt', 'burn'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Raw input values as the runner gives them (missing inputs are empty strings). */
export type RawInputs = Record<InputName, string>;

export const INPUT_NAMES = [
  'operation',
  'region',
  'domain',
  'username',
  'token',
  'secret',
  'passphrase',
  'ttl',
  'recipient',
  'key',
  'api-version',
  'fail-on',
  'timeout',
  'degraded-ms',
  'depth',
  'allow-http',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Inputs whose exact value matters (a secret may end in a newline): read without trimming. */
export const UNTRIMMED_INPUTS: readonly InputName[] = ['secret', 'passphrase'];

/** A notice the core gave while resolving the target ("default host", "region ignored"). */
export interface Notice {
  level: 'warn' | 'info';
  message: string;
}

/** The check settings (api-version, timeout, degraded-ms, depth, fail-on) by the core's one rule each. */
interface Common extends CheckSettings {
  /** Printed when the operation runs (main.ts), not while parsing: a bad input fails first. */
  notices: Notice[];
  credentials?: Credentials;
  /** allow-http: plain http to a private host (src/targets/plain-http.ts), with a warning on each run. */
  allowHttp: boolean;
}

export interface StatusSettings extends Common {
  operation: 'status';
  targets: Target[];
}

export interface CreateSettings extends Common {
  operation: 'share' | 'generate';
  target: Target;
  /** Only for share. */
  secret?: string;
  passphrase?: string;
  ttl?: number;
  recipient: string[];
}

export interface KeySettings extends Common {
  operation: 'reveal' | 'receipt' | 'burn';
  /** The configured target: the client's, the only one its credentials go to. */
  configured: Target;
  target: Target;
  /** The key alone, and the target its link selected (the configured one for a bare key). */
  key: ResolvedKey;
  /** The key input as given (a key or a link): the client resolves a link to its own host again. */
  keyInput: string;
  passphrase?: string;
}

export type Settings = StatusSettings | CreateSettings | KeySettings;

/** Every input checked; a core ValidationError (it names the input) becomes an InputError. */
export function parseSettings(raw: RawInputs): Settings {
  try {
    return parse(raw);
  } catch (error) {
    if (!(error instanceof ValidationError) || error.input === undefined) throw error;
    throw new InputError(error.input, error.message);
  }
}

function parse(raw: RawInputs): Settings {
  const operation = parseChoice(raw.operation, 'operation', OPERATIONS, 'status');
  refuseUnused(operation, raw);
  const common = parseCommon(raw);
  if (operation === 'status') return parseStatus(raw, common);
  const { region, domain } = raw;
  const logger = recorder(common.notices);
  const target = resolveTarget({ region, domain, logger, allowHttp: common.allowHttp });
  if (operation === 'share' || operation === 'generate') return parseCreate(operation, raw, common, target);
  return parseKeyed(operation, raw, common, target);
}

function parseCommon(raw: RawInputs): Common {
  const credentials = resolveCredentials({ username: raw.username, token: raw.token });
  const check = parseCheckSettings(raw);
  checkVersionCredentials(check.apiVersion, credentials, 'api-version');
  return { ...check, notices: [], credentials, allowHttp: parseAllowHttp(raw['allow-http'], 'allow-http') };
}

/** `region` holds regions only (a list, or all), `domain` one more; neither: the default host. */
function parseStatus(raw: RawInputs, common: Common): StatusSettings {
  const sources = [
    { text: raw.region, input: 'region', only: 'regions' },
    { text: raw.domain, input: 'domain', only: 'domain' },
  ] as const;
  const { allowHttp, notices } = common;
  return {
    ...common,
    operation: 'status',
    targets: resolveStatusTargets(sources, { allowHttp, logger: recorder(notices) }),
  };
}

/** Keeps the core's notices for the run instead of printing them while parsing. */
function recorder(notices: Notice[]): Logger {
  return {
    warn: (message) => notices.push({ level: 'warn', message }),
    info: (message) => notices.push({ level: 'info', message }),
  };
}

function parseCreate(
  operation: 'share' | 'generate',
  raw: RawInputs,
  common: Common,
  target: Target,
): CreateSettings {
  return {
    ...common,
    operation,
    target,
    secret: operation === 'share' ? validateSecret(nonBlank(raw.secret)) : undefined,
    passphrase: validatePassphrase(raw.passphrase),
    ttl: raw.ttl.trim() === '' ? undefined : parseTtl(raw.ttl),
    recipient: validateRecipients(raw.recipient, common.credentials !== undefined),
  };
}

function parseKeyed(
  operation: 'reveal' | 'receipt' | 'burn',
  raw: RawInputs,
  common: Common,
  target: Target,
): KeySettings {
  if (raw.key.trim() === '') {
    const what = operation === 'reveal' ? 'secret key or its link' : 'receipt key or its link';
    throw new InputError('key', `key is empty: ${operation} needs the ${what}.`);
  }
  // A secret is revealed by its secret key; receipts are read and burned by the receipt key.
  const kind = operation === 'reveal' ? 'secret' : 'receipt';
  const key = resolveLink(raw.key, target, kind, 'key');
  return {
    ...common,
    operation,
    configured: target,
    target: key.target,
    key,
    keyInput: raw.key.trim(),
    // Length rules are for creating (the server's configuration, docs/ots-api.md 1.4.2): a passphrase given
    // to reveal or burn goes as is, and a wrong one gets the server's answer (receipt's was refused above).
    passphrase: givenPassphrase(raw.passphrase),
  };
}

/** Operations that use each secret-bearing input. */
const USED_BY: Partial<Record<InputName, readonly Operation[]>> = {
  secret: ['share'],
  passphrase: ['share', 'generate', 'reveal', 'burn'],
};

/**
 * A secret or passphrase the operation would not use is an error, not silently dropped: whoever set it
 * expects it to protect or carry something (a passphrase on `receipt` guards nothing).
 */
function refuseUnused(operation: Operation, raw: RawInputs): void {
  for (const [input, users = []] of Object.entries(USED_BY) as [InputName, readonly Operation[]][]) {
    if (raw[input] === '' || users.includes(operation)) continue;
    const hint = input === 'secret' && operation === 'generate' ? ' (generate makes its own value)' : '';
    throw new InputError(
      input,
      `${input} is only used by ${listOf(users)}, not by ${operation}${hint}: remove it, or set operation.`,
    );
  }
}

function listOf(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Whitespace alone is no secret. */
function nonBlank(value: string): string {
  return value.trim() === '' ? '' : value;
}
