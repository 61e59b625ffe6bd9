/**
 * `POST /slack`: a Slack slash command (`/ots-status`, `/ots-status eu us`) answered with the status as
 * Block Kit. Slack wants an answer within 3 s:
 * - results fresh in the fresh source (fresh.ts) are answered at once, in the HTTP response;
 * - otherwise the command is acknowledged at once (only the caller sees "Checking ...") and the answer
 *   is posted to `response_url` by an asynchronous invocation of this same function (slack-reply.ts).
 * Order of checks as for /webhook (signed-request.ts): size (413), then the signature (Slack's scheme only),
 * then the text. `text` names configured targets only; another name gets a polite answer only the
 * caller sees, and no request is made. The body, the signature and response_url are never logged.
 */
import type { Context } from 'aws-lambda';
import type { Target } from '../src/fetch.js';
import { combine } from './cache.js';
import { configuredNames, selectTargets } from './check.js';
import { ConfigError, type FunctionConfig, getConfig } from './config.js';
import { getWebhookSettings, type WebhookSettings } from './config-webhooks.js';
import { currentResults, freshResults } from './fresh.js';
import { handleHttp } from './handle.js';
import { errorResponse, type HttpEvent, type HttpResult, json } from './http.js';
import { logger } from './powertools.js';
import { readSignedPost } from './signed-request.js';
import { ephemeral, escapeMrkdwn, type SlackMessage, statusMessage } from './slack-blocks.js';
import {
  checkResponseUrl,
  invokeSelf,
  isLateReplyJob,
  type LateReplyJob,
  type LateReplyStarter,
  postToResponseUrl,
} from './slack-reply.js';

let startLateReply: LateReplyStarter = invokeSelf;

/** Tests replace the asynchronous self-invocation (AWS Lambda itself cannot run here). */
export function setLateReplyStarter(starter: LateReplyStarter): void {
  startLateReply = starter;
}

type Wanted =
  | { kind: 'targets'; targets: readonly Target[] }
  | { kind: 'help' }
  | { kind: 'unknown'; problem: string };

/** The command's text: nothing (every configured target), `help`, or target names. */
function readText(config: FunctionConfig, text: string): Wanted {
  const words = text.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return { kind: 'targets', targets: config.targets };
  if (words.length === 1 && words[0]?.toLowerCase() === 'help') return { kind: 'help' };
  const selection = selectTargets(config, words, 'word');
  return selection.ok
    ? { kind: 'targets', targets: selection.targets }
    : { kind: 'unknown', problem: selection.problem };
}

function slackJson(message: SlackMessage, requestId: string): HttpResult {
  return json(200, message, { requestId });
}

async function slashCommand(event: HttpEvent, requestId: string, context: Context): Promise<HttpResult> {
  const signed = await readSignedPost(event, requestId, {
    served: ['slack'],
    elsewhere:
      'POST /slack takes Slack slash commands (X-Slack-Signature); other schemes go to POST /webhook.',
    refused: 'Slack command refused',
  });
  if (!signed.ok) return signed.result;
  const { body, config, settings } = signed;

  const form = new URLSearchParams(body.toString('utf8'));
  // Slack's periodic check that the URL answers: nothing to run.
  if (form.get('ssl_check') === '1') return json(200, {}, { requestId });
  const command = escapeMrkdwn((form.get('command') ?? '/ots-status').slice(0, 40));
  const wanted = readText(config, form.get('text') ?? '');
  if (wanted.kind === 'help') {
    return slackJson(
      ephemeral(
        `\`${command}\` shows the Onetime Secret status of every configured target; \`${command} ${config.targets[0]?.name ?? 'eu'}\` of one. Configured: ${escapeMrkdwn(configuredNames(config))}.`,
      ),
      requestId,
    );
  }
  if (wanted.kind === 'unknown') {
    logger.info('Slack command named an unconfigured target', { problem: wanted.problem });
    return slackJson(
      ephemeral(
        `Sorry, I can only check the targets this service is configured for, and that is not one of them. Try \`${command}\` for all, or one of: ${escapeMrkdwn(configuredNames(config))}.`,
      ),
      requestId,
    );
  }

  const fresh = await freshResults(config, wanted.targets);
  if (fresh !== undefined) {
    const report = combine(fresh);
    logger.info('Slack command answered from fresh results', { state: report.state, targets: fresh.length });
    return slackJson(statusMessage(report, settings.slackResponse), requestId);
  }
  const responseUrl = checkResponseUrl(form.get('response_url'), settings);
  if (responseUrl === undefined) {
    return errorResponse(
      400,
      `response_url is missing or not a Slack address (https://hooks.slack.com/commands/...).`,
      requestId,
    );
  }
  const job: LateReplyJob = {
    kind: 'onetime-kit.slack-late-reply',
    targets: wanted.targets.map((target) => target.name),
    responseUrl: responseUrl.href,
    responseType: settings.slackResponse,
  };
  try {
    await startLateReply(job, context);
  } catch (error) {
    logger.error('Starting the late Slack answer failed', {
      reason: error instanceof Error ? error.name : 'unknown error',
    });
    return slackJson(
      ephemeral('Sorry, the check could not be started. Please try again in a moment.'),
      requestId,
    );
  }
  logger.info('Slack command acknowledged; the answer follows at response_url', {
    targets: job.targets.length,
  });
  return slackJson(ephemeral(`Checking ${escapeMrkdwn(job.targets.join(', '))}...`), requestId);
}

/** The asynchronous invocation: check (with the same rules as the command) and post the answer. */
async function lateReply(job: LateReplyJob): Promise<{ posted: boolean }> {
  const config = getConfig();
  const settings: WebhookSettings = getWebhookSettings();
  const url = checkResponseUrl(job.responseUrl, settings);
  const selection = selectTargets(config, job.targets, 'targets');
  if (url === undefined || !selection.ok) {
    logger.error('Late Slack answer refused: its job is not one this function makes');
    return { posted: false };
  }
  const report = combine(await currentResults(config, selection.targets));
  const message: SlackMessage = { ...statusMessage(report, job.responseType), replace_original: false };
  return { posted: await postToResponseUrl(url, message) };
}

export const handler = async (
  event: HttpEvent | LateReplyJob,
  context: Context,
): Promise<HttpResult | { posted: boolean }> => {
  if (isLateReplyJob(event)) {
    logger.addContext(context);
    // Never throws: Lambda would retry a failed asynchronous invocation, and a late answer is worth
    // nothing minutes later (serverless.yml also sets maximumRetryAttempts: 0).
    return lateReply(event).catch((error: unknown) => {
      // A ConfigError's message names the variable and is safe; of anything else, only its kind.
      const reason =
        error instanceof ConfigError ? error.message : error instanceof Error ? error.name : 'unknown error';
      logger.error('Late Slack answer failed', { reason });
      return { posted: false };
    });
  }
  return handleHttp(event, context, (httpEvent, requestId) => slashCommand(httpEvent, requestId, context));
};
