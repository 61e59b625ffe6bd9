/**
 * Secrets at invocation time: the API token and the webhook secrets, from the environment or from an
 * SSM SecureString parameter through Powertools Parameters. The SSM module (and with it the AWS SDK
 * client) is imported only when a parameter is configured, so a cold start without one skips it.
 * Powertools caches each value for `maxAge` seconds, so warm invocations skip SSM too.
 */
import { ConfigError, type FunctionConfig, type SecretSource } from './config.js';
import { logger } from './powertools.js';

export interface CheckCredentials {
  username?: string;
  token?: string;
}

async function readParameter(source: Extract<SecretSource, { kind: 'parameter' }>, maxAge: number) {
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  let value: string | undefined;
  try {
    value = await getParameter(source.name, { decrypt: true, maxAge });
  } catch (error) {
    // The SDK's message names the parameter, never its value; the caller gets only the error's kind.
    logger.error('Reading an SSM parameter failed', {
      variable: source.variable,
      parameter: source.name,
      error,
    });
    throw new ConfigError(
      source.variable,
      `names an SSM parameter that could not be read (${errorKind(error)}).`,
    );
  }
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(source.variable, 'names an SSM parameter that is empty.');
  }
  return value.trim();
}

function errorKind(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.name : 'unknown error';
}

export async function secretValue(source: SecretSource, maxAge: number): Promise<string | undefined> {
  if (source.kind === 'none') return undefined;
  if (source.kind === 'value') return source.value;
  return readParameter(source, maxAge);
}

/** Username and token for the check, or nothing for anonymous checks. */
export async function resolveCredentials(config: FunctionConfig): Promise<CheckCredentials> {
  const token = await secretValue(config.token, config.parameterMaxAgeSeconds);
  if (token === undefined || config.username === undefined) return {};
  return { username: config.username, token };
}

/** The webhook secrets in force (several during a rotation); empty when none is configured. */
export async function resolveWebhookSecrets(config: FunctionConfig): Promise<string[]> {
  const value = await secretValue(config.webhookSecret, config.parameterMaxAgeSeconds);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
}
