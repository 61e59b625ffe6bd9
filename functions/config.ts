/**
 * The functions' configuration, read from the environment once per container, on first use (not at
 * module load). A bad value is a ConfigError naming the variable; it is remembered, so every invocation
 * of a misconfigured container fails the same clear way instead of half-working. Secret values
 * (OTS_TOKEN, OTS_WEBHOOK_SECRET) are kept here but never put in a message.
 */
import { parseTargets } from '../src/index.js';
import type { ApiVersion, CheckDepth, Target } from '../src/types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a secret comes from: nowhere, the environment itself, or an SSM SecureString parameter. */
export type SecretSource =
  | { kind: 'none' }
  | { kind: 'value'; value: string }
  | { kind: 'parameter'; name: string; variable: string };

export interface FunctionConfig {
  targets: readonly Target[];
  username?: string;
  token: SecretSource;
  apiVersion: ApiVersion;
  degradedMs: number;
  timeoutMs: number;
  depth: CheckDepth;
  cacheSeconds: number;
  webhookSecret: SecretSource;
  notifyUrl?: URL;
  /** How long an SSM value is reused before it is read again (POWERTOOLS_PARAMETERS_MAX_AGE). */
  parameterMaxAgeSeconds: number;
}

/** A configuration problem. The message names the variable and never carries a secret. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export const DEFAULTS = Object.freeze({
  targets: 'all',
  apiVersion: 'v2' as ApiVersion,
  degradedMs: 2000,
  timeoutMs: 10_000,
  depth: 'status' as CheckDepth,
  cacheSeconds: 30,
  parameterMaxAgeSeconds: 300,
});

let loaded: { config: FunctionConfig } | { error: ConfigError } | undefined;

/** The configuration of this container, read on the first call. Throws ConfigError (every time). */
export function getConfig(env: Env = process.env): FunctionConfig {
  if (loaded === undefined) {
    try {
      loaded = { config: readConfig(env) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      loaded = { error };
    }
  }
  if ('error' in loaded) throw loaded.error;
  return loaded.config;
}

/** Forgets the remembered configuration (tests change the environment between cases). */
export function resetConfigForTests(): void {
  loaded = undefined;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readConfig(env: Env): FunctionConfig {
  const config: FunctionConfig = {
    targets: readTargets(env),
    token: readSecretSource(env, ['OTS_TOKEN', 'ONETIME_APIKEY'], 'OTS_TOKEN_PARAMETER'),
    apiVersion: readChoice(env, 'OTS_API_VERSION', ['v1', 'v2'] as const, DEFAULTS.apiVersion),
    degradedMs: readInteger(env, 'OTS_DEGRADED_MS', DEFAULTS.degradedMs, 1),
    timeoutMs: readInteger(env, 'OTS_TIMEOUT_MS', DEFAULTS.timeoutMs, 1),
    depth: readChoice(env, 'OTS_CHECK_DEPTH', ['status', 'roundtrip'] as const, DEFAULTS.depth),
    cacheSeconds: readInteger(env, 'OTS_STATUS_CACHE_SECONDS', DEFAULTS.cacheSeconds, 0),
    webhookSecret: readSecretSource(env, ['OTS_WEBHOOK_SECRET'], 'OTS_WEBHOOK_SECRET_PARAMETER'),
    parameterMaxAgeSeconds: readInteger(
      env,
      'POWERTOOLS_PARAMETERS_MAX_AGE',
      DEFAULTS.parameterMaxAgeSeconds,
      0,
    ),
  };
  const username = read(env, 'OTS_USERNAME') ?? read(env, 'ONETIME_CUSTID');
  if (username !== undefined) config.username = username;
  checkCredentialPair(username, config.token);
  const notifyUrl = read(env, 'OTS_NOTIFY_URL');
  if (notifyUrl !== undefined) config.notifyUrl = parseNotifyUrl(notifyUrl);
  return config;
}

/**
 * OTS_TARGETS (default `all`) plus OTS_DOMAIN. When only OTS_DOMAIN is set, the domain alone is checked:
 * a self-hosted operator rarely wants the five hosted regions as well.
 */
function readTargets(env: Env): Target[] {
  const list = read(env, 'OTS_TARGETS');
  const domain = read(env, 'OTS_DOMAIN');
  try {
    if (list === undefined && domain !== undefined)
      return parseTargets([], { domain, inputName: 'OTS_DOMAIN' });
    return parseTargets(list ?? DEFAULTS.targets, { domain, inputName: 'OTS_TARGETS' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The core's message already starts with the input name it was given.
    const variable =
      message.startsWith('OTS_DOMAIN') || message.startsWith('domain') ? 'OTS_DOMAIN' : 'OTS_TARGETS';
    throw new ConfigError(variable, message.replace(/^(OTS_TARGETS|OTS_DOMAIN|domain)\s*/, ''));
  }
}

function readSecretSource(env: Env, valueNames: readonly string[], parameterName: string): SecretSource {
  const valueName = valueNames.find((name) => read(env, name) !== undefined);
  const parameter = read(env, parameterName);
  if (valueName !== undefined && parameter !== undefined) {
    throw new ConfigError(parameterName, `and ${valueName} are both set: set only one of them.`);
  }
  if (parameter !== undefined) {
    if (!/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(parameter)) {
      throw new ConfigError(
        parameterName,
        'is not an SSM parameter name: use letters, digits and _ . - / (for example /onetime-kit/token).',
      );
    }
    return { kind: 'parameter', name: parameter, variable: parameterName };
  }
  if (valueName !== undefined) return { kind: 'value', value: read(env, valueName)! };
  return { kind: 'none' };
}

function checkCredentialPair(username: string | undefined, token: SecretSource): void {
  if (username !== undefined && token.kind === 'none') {
    throw new ConfigError(
      'OTS_TOKEN',
      'is not set while OTS_USERNAME is: set OTS_TOKEN or OTS_TOKEN_PARAMETER too, or neither for anonymous checks.',
    );
  }
  if (username === undefined && token.kind !== 'none') {
    throw new ConfigError(
      'OTS_USERNAME',
      'is not set while a token is: set both, or neither for anonymous checks.',
    );
  }
}

function readChoice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  const match = allowed.find((choice) => choice === lower);
  if (match === undefined) {
    const shown = /^[\w.-]{1,20}$/.test(value) ? `"${value}" ` : '';
    throw new ConfigError(name, `${shown}is not allowed: use ${allowed.join(' or ')}.`);
  }
  return match;
}

function readInteger(env: Env, name: string, fallback: number, min: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) {
    throw new ConfigError(name, `must be a whole number of at least ${min} (got "${value.slice(0, 20)}").`);
  }
  return number;
}

/** https:// anywhere; http:// only to a loopback host, as for targets (a summary is not sent in clear). */
function parseNotifyUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('OTS_NOTIFY_URL', 'is not a URL: give an https:// address.');
  }
  const loopback = ['localhost', '[::1]'].includes(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('OTS_NOTIFY_URL', 'must use https:// (http:// only for localhost or 127.x.x.x).');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('OTS_NOTIFY_URL', 'must not contain user info (user:password@).');
  }
  return url;
}
