/**
 * The late answer to a slash command. Lambda freezes a container as soon as the handler returns, so work
 * started after the acknowledgement would never run. The command therefore invokes its own function
 * asynchronously (Lambda `InvocationType: Event`, which returns at once) with a small job; that second
 * invocation checks and POSTs the Block Kit answer to the command's `response_url`. Under
 * serverless-offline the same call goes to its Lambda Invoke API (AWS_ENDPOINT_URL_LAMBDA).
 *
 * `response_url` is checked before anything is sent: https, Slack's host `hooks.slack.com`, the
 * default port, a `/commands/` path, no user info. A redirect is a refusal (following one would re-POST
 * the answer wherever it points). Only its origin is ever logged: the URL lets anyone post to the channel.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import type { SlackResponseType, WebhookSettings } from './config-webhooks.js';
import { logger } from './powertools.js';
import type { SlackMessage } from './slack-blocks.js';

export const SLACK_RESPONSE_HOST = 'hooks.slack.com';
const POST_TIMEOUT_MS = 5000;

/** The job the command hands to its own asynchronous invocation. */
export interface LateReplyJob {
  kind: 'onetime-kit.slack-late-reply';
  /** Names of configured targets, looked up again by the late invocation. */
  targets: string[];
  responseUrl: string;
  responseType: SlackResponseType;
}

export function isLateReplyJob(event: unknown): event is LateReplyJob {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { kind?: unknown }).kind === 'onetime-kit.slack-late-reply' &&
    !('requestContext' in event)
  );
}

/**
 * The response_url as a URL when it is one Slack would send; undefined otherwise. The test origin
 * (OTS_SLACK_TEST_RESPONSE_ORIGIN, http://127.0.0.1 only and refused on Lambda) replaces Slack's host.
 */
export function checkResponseUrl(
  value: string | null | undefined,
  settings: WebhookSettings,
): URL | undefined {
  if (value === null || value === undefined || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || !url.pathname.startsWith('/commands/')) return undefined;
  if (settings.slackResponseOrigin !== undefined)
    return url.origin === settings.slackResponseOrigin ? url : undefined;
  return url.protocol === 'https:' && url.hostname === SLACK_RESPONSE_HOST && url.port === ''
    ? url
    : undefined;
}

/** POSTs the answer; resolves to whether Slack took it (2xx). Never throws. */
export async function postToResponseUrl(url: URL, message: SlackMessage): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'onetime-kit-functions' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    const log = response.ok ? logger.info.bind(logger) : logger.warn.bind(logger);
    log(response.ok ? 'Slack answer posted' : 'Slack answer refused', {
      to: url.origin,
      httpStatus: response.status,
    });
    return response.ok;
  } catch (error) {
    logger.warn('Slack answer failed', {
      to: url.origin,
      reason: error instanceof Error ? error.name : 'unknown error',
    });
    return false;
  }
}

export type LateReplyStarter = (job: LateReplyJob, context: Context) => Promise<void>;

let lambdaClient: LambdaClient | undefined;

/** Invokes this same function asynchronously with the job (the AWS SDK is the runtime's, loaded on first use). */
export const invokeSelf: LateReplyStarter = async (job, context) => {
  const sdk = await import('@aws-sdk/client-lambda');
  lambdaClient ??= new sdk.LambdaClient({});
  await lambdaClient.send(
    new sdk.InvokeCommand({
      FunctionName: context.functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(job)),
    }),
  );
};
