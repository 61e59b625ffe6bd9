/**
 * The webhook schemes' settings, read once per container like config.ts (a bad value is a ConfigError
 * naming the variable, remembered for every invocation). Each scheme has its own secret, so a secret
 * leaked for one sender cannot sign for another; GitHub's and the OTS scheme share OTS_WEBHOOK_SECRET
 * for compatibility and are kept apart by the OTS scheme's derived key (signature.ts).
 */
import { parseChoiceList, readEnv } from '../src/fetch.js';
import { readSecretSource, type SecretSource } from './config.js';
import { ConfigError, type Env, fromCore, oncePerContainer, readChoice } from './config-values.js';

export const SCHEMES = ['github', 'ots', 'standard', 'slack'] as const;
export type Scheme = (typeof SCHEMES)[number];
/** OTS_SLACK_RESPONSE: only the caller sees the answer, or the whole channel. */
export const SLACK_RESPONSES = ['ephemeral', 'in_channel'] as const;
export type SlackResponseType = (typeof SLACK_RESPONSES)[number];

export interface WebhookSettings {
  /** The schemes that are evaluated at all; a request signed for another one is refused unread. */
  enabled: ReadonlySet<Scheme>;
  /** Whether OTS_WEBHOOK_SCHEMES chose them (otherwise: each scheme whose secret is configured). */
  explicit: boolean;
  secrets: Readonly<Record<Scheme, SecretSource>>;
  slackResponse: SlackResponseType;
  /**
   * Tests and `npm start` only: an http://127.0.0.1 origin that stands in for Slack's response_url host.
   * Honoured only outside Lambda (no AWS_LAMBDA_RUNTIME_API), see slack-reply.ts.
   */
  slackResponseOrigin?: string;
}

/** The variables that name each scheme's secret, for messages. */
export const SECRET_VARIABLES: Readonly<Record<Scheme, string>> = {
  github: 'OTS_WEBHOOK_SECRET or OTS_WEBHOOK_SECRET_PARAMETER',
  ots: 'OTS_WEBHOOK_SECRET or OTS_WEBHOOK_SECRET_PARAMETER',
  standard: 'OTS_STANDARD_WEBHOOK_SECRET or OTS_STANDARD_WEBHOOK_SECRET_PARAMETER',
  slack: 'OTS_SLACK_SIGNING_SECRET or OTS_SLACK_SIGNING_SECRET_PARAMETER',
};

export const getWebhookSettings = oncePerContainer(readWebhookSettings);

export function readWebhookSettings(env: Env): WebhookSettings {
  const shared = readSecretSource(env, ['OTS_WEBHOOK_SECRET'], 'OTS_WEBHOOK_SECRET_PARAMETER');
  const secrets: Record<Scheme, SecretSource> = {
    github: shared,
    ots: shared,
    standard: readSecretSource(env, ['OTS_STANDARD_WEBHOOK_SECRET'], 'OTS_STANDARD_WEBHOOK_SECRET_PARAMETER'),
    slack: readSecretSource(env, ['OTS_SLACK_SIGNING_SECRET'], 'OTS_SLACK_SIGNING_SECRET_PARAMETER'),
  };
  // Unset: each scheme whose secret is configured.
  const list = readEnv(env, 'OTS_WEBHOOK_SCHEMES');
  const listed =
    list === undefined ? undefined : fromCore(() => parseChoiceList(list, 'OTS_WEBHOOK_SCHEMES', SCHEMES));
  const settings: WebhookSettings = {
    enabled: new Set(listed ?? SCHEMES.filter((scheme) => secrets[scheme].kind !== 'none')),
    explicit: listed !== undefined,
    secrets,
    slackResponse: readChoice<SlackResponseType>(env, 'OTS_SLACK_RESPONSE', SLACK_RESPONSES, 'ephemeral'),
  };
  const origin = readResponseOrigin(env);
  if (origin !== undefined) settings.slackResponseOrigin = origin;
  return settings;
}

function readResponseOrigin(env: Env): string | undefined {
  const value = readEnv(env, 'OTS_SLACK_TEST_RESPONSE_ORIGIN');
  if (value === undefined) return undefined;
  if (!/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(value)) {
    throw new ConfigError(
      'OTS_SLACK_TEST_RESPONSE_ORIGIN',
      'is for local tests only and must be http://127.0.0.1:<port> (no path).',
    );
  }
  if (readEnv(env, 'AWS_LAMBDA_RUNTIME_API') !== undefined) {
    throw new ConfigError(
      'OTS_SLACK_TEST_RESPONSE_ORIGIN',
      'is for local tests only: unset it on AWS Lambda.',
    );
  }
  return value;
}

/**
 * The schemes a function serves that are enabled, each with a configured secret. An enabled scheme
 * without a secret is a configuration error (never a scheme that silently accepts nothing).
 */
export function servedSchemes(settings: WebhookSettings, served: readonly Scheme[]): Scheme[] {
  const schemes = served.filter((scheme) => settings.enabled.has(scheme));
  for (const scheme of schemes) {
    if (settings.secrets[scheme].kind === 'none') {
      throw new ConfigError(
        'OTS_WEBHOOK_SCHEMES',
        `enables ${scheme}, but its secret is not set: set ${SECRET_VARIABLES[scheme]}, or leave ${scheme} out.`,
      );
    }
  }
  return schemes;
}
