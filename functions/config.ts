/**
 * The functions' configuration, read from the environment once per container, on first use (not at
 * module load). A bad value is a ConfigError naming the variable; it is remembered, so every invocation
 * of a misconfigured container fails the same clear way instead of half-working. Secret values
 * (OTS_TOKEN, OTS_WEBHOOK_SECRET) are kept here but never put in a message.
 */
import { API_VERSIONS, credentialsRefusal } from '../src/api/registry.js';
import { credentialsFromEnv } from '../src/fetch.js';
import type { ApiVersion, CheckDepth, Target } from '../src/types.js';
import { DEFAULT_TARGETS, readTargets } from './config-targets.js';
import { ConfigError, type Env, fromCore, read, readInteger } from './config-values.js';

export { ConfigError } from './config-values.js';

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
  /** How long an SSM value is reused before it is read again (POWERTOOLS_PARAMETERS_MAX_AGE). */
  parameterMaxAgeSeconds: number;
}

/**
 * The HTTP functions' timeout (serverless.yml `provider.timeout`; test/functions/osls.test.ts checks they
 * agree). The checks get 15 s of it; the rest is for a cold start, the SSM read and the answer.
 */
export const FUNCTION_TIMEOUT_SECONDS = 20;
export const CHECK_BUDGET_MS = 15_000;
const DAY_SECONDS = 86_400;

export const DEFAULTS = Object.freeze({
  targets: DEFAULT_TARGETS,
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

export function readConfig(env: Env): FunctionConfig {
  const token = readSecretSource(env, ['OTS_TOKEN', 'ONETIME_APIKEY'], 'OTS_TOKEN_PARAMETER');
  const depth = readChoice(env, 'OTS_CHECK_DEPTH', ['status', 'roundtrip'] as const, DEFAULTS.depth);
  const config: FunctionConfig = {
    targets: readTargets(env),
    token,
    apiVersion: readChoice(env, 'OTS_API_VERSION', API_VERSIONS, DEFAULTS.apiVersion),
    degradedMs: readInteger(env, 'OTS_DEGRADED_MS', DEFAULTS.degradedMs, {
      min: 1,
      max: CHECK_BUDGET_MS,
      why: 'a slower answer is a timeout, not a degraded one',
    }),
    timeoutMs: readTimeoutMs(env, depth, token.kind !== 'none'),
    depth,
    cacheSeconds: readInteger(env, 'OTS_STATUS_CACHE_SECONDS', DEFAULTS.cacheSeconds, {
      min: 0,
      max: DAY_SECONDS,
    }),
    webhookSecret: readSecretSource(env, ['OTS_WEBHOOK_SECRET'], 'OTS_WEBHOOK_SECRET_PARAMETER'),
    parameterMaxAgeSeconds: readInteger(
      env,
      'POWERTOOLS_PARAMETERS_MAX_AGE',
      DEFAULTS.parameterMaxAgeSeconds,
      {
        min: 0,
        max: DAY_SECONDS,
      },
    ),
  };
  const username = readUsername(env);
  if (username !== undefined) config.username = username;
  checkVersionAndToken(config);
  return config;
}

/** API v3 cannot use a token (the registry says why): refuse the pair at configuration, not per call. */
function checkVersionAndToken(config: FunctionConfig): void {
  const why = credentialsRefusal(config.apiVersion);
  if (why === undefined || config.token.kind === 'none') return;
  throw new ConfigError(
    'OTS_API_VERSION',
    `${config.apiVersion} cannot be used with OTS_USERNAME and OTS_TOKEN (or OTS_TOKEN_PARAMETER): ${why}`,
  );
}

/**
 * OTS_TIMEOUT_MS is per call, and a target's check makes its calls one after another: the status, the
 * credential check (with an account), and for `roundtrip` a share and two reveals. All of them must end
 * within CHECK_BUDGET_MS, so the function answers before it is stopped. The default shrinks to fit too.
 */
function readTimeoutMs(env: Env, depth: CheckDepth, withAccount: boolean): number {
  const steps = ['status', ...(withAccount ? ['credential check'] : [])];
  if (depth === 'roundtrip') steps.push('share', 'reveal', 'second reveal');
  const max = Math.floor(CHECK_BUDGET_MS / steps.length);
  const calls = steps.length === 1 ? 'one call' : `up to ${steps.length} calls in a row`;
  return readInteger(env, 'OTS_TIMEOUT_MS', Math.min(DEFAULTS.timeoutMs, max), {
    min: 1,
    max,
    why:
      `each check makes ${calls} (${steps.join(', ')}), which must end within ${CHECK_BUDGET_MS} ms ` +
      `so the function answers before its ${FUNCTION_TIMEOUT_SECONDS} s timeout`,
  });
}

export function readSecretSource(
  env: Env,
  valueNames: readonly string[],
  parameterName: string,
): SecretSource {
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

/**
 * The account's username, by the core's pair rule and precedence (OTS_USERNAME, else ONETIME_CUSTID),
 * with OTS_TOKEN_PARAMETER (an SSM name) standing in for a token value.
 */
function readUsername(env: Env): string | undefined {
  return fromCore(() => credentialsFromEnv(env, { tokenParameter: 'OTS_TOKEN_PARAMETER' }).username);
}

export function readChoice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
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
