/**
 * The functions' configuration, read from the environment once per container, on first use
 * (config-values.ts oncePerContainer). A bad value is a ConfigError naming the variable. Secret values
 * (OTS_TOKEN, OTS_WEBHOOK_SECRET) are kept here but never put in a message.
 */
import {
  API_VERSIONS,
  type ApiVersion,
  CHECK_DEPTHS,
  type CheckDepth,
  credentialsFromEnv,
  credentialsRefusal,
  DEFAULT_DEGRADED_MS,
  readEnv,
  type Target,
  TOKEN_VARIABLES,
} from '../src/fetch.js';
import { readTargets } from './config-targets.js';
import {
  ConfigError,
  type Env,
  fromCore,
  oncePerContainer,
  readChoice,
  readInteger,
} from './config-values.js';

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

/** The configuration of this container, read on the first call. Throws ConfigError (every time). */
export const getConfig = oncePerContainer(readConfig);

export function readConfig(env: Env): FunctionConfig {
  const token = readSecretSource(env, TOKEN_VARIABLES, 'OTS_TOKEN_PARAMETER');
  const depth = readChoice<CheckDepth>(env, 'OTS_CHECK_DEPTH', CHECK_DEPTHS, 'status');
  const seconds = (min: number, max: number) => ({ min, max, unit: 'seconds' });
  const config: FunctionConfig = {
    targets: readTargets(env),
    token,
    apiVersion: readChoice(env, 'OTS_API_VERSION', API_VERSIONS, 'v2'),
    degradedMs: readInteger(env, 'OTS_DEGRADED_MS', DEFAULT_DEGRADED_MS, {
      min: 1,
      max: CHECK_BUDGET_MS,
      unit: 'milliseconds',
      why: 'a slower answer is a timeout, not a degraded one',
    }),
    timeoutMs: readTimeoutMs(env, depth, token.kind !== 'none'),
    depth,
    cacheSeconds: readInteger(env, 'OTS_STATUS_CACHE_SECONDS', 30, seconds(0, DAY_SECONDS)),
    webhookSecret: readSecretSource(env, ['OTS_WEBHOOK_SECRET'], 'OTS_WEBHOOK_SECRET_PARAMETER'),
    parameterMaxAgeSeconds: readInteger(env, 'POWERTOOLS_PARAMETERS_MAX_AGE', 300, seconds(0, DAY_SECONDS)),
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
  return readInteger(env, 'OTS_TIMEOUT_MS', Math.min(10_000, max), {
    min: 1,
    max,
    unit: 'milliseconds',
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
  const valueName = valueNames.find((name) => readEnv(env, name) !== undefined);
  const parameter = readEnv(env, parameterName);
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
  if (valueName !== undefined) return { kind: 'value', value: readEnv(env, valueName)! };
  return { kind: 'none' };
}

/**
 * The account's username, by the core's pair rule and precedence (OTS_USERNAME, else ONETIME_CUSTID),
 * with OTS_TOKEN_PARAMETER (an SSM name) standing in for a token value.
 */
function readUsername(env: Env): string | undefined {
  return fromCore(() => credentialsFromEnv(env, { tokenParameter: 'OTS_TOKEN_PARAMETER' }).username);
}
