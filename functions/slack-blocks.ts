/**
 * The Slack answers, as Block Kit JSON: a headline with the overall state, one line per target (state,
 * latency, and since when, or when it was checked), and the plain `text` Slack shows in notifications.
 * Everything from outside (target names, messages) is escaped for mrkdwn.
 */
import type { StatusReport, TargetStatus } from '../src/fetch.js';
import type { SlackResponseType } from './config-webhooks.js';

export interface SlackMessage {
  response_type: SlackResponseType;
  text: string;
  blocks?: unknown[];
  replace_original?: boolean;
}

const EMOJI = {
  nominal: ':large_green_circle:',
  degraded: ':large_yellow_circle:',
  down: ':red_circle:',
} as const;
/** Slack allows 50 blocks; two are the headline and the footer. */
const MAX_TARGET_BLOCKS = 47;
const MAX_MESSAGE = 200;

/** `&`, `<` and `>` are the three characters mrkdwn needs escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack renders `<!date^…>` in the reader's time zone; the fallback is UTC. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return 'unknown time';
  const fallback = `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time_secs}|${fallback}>`;
}

function targetLine(result: TargetStatus & { since?: string }): string {
  const parts = [`${EMOJI[result.state]} *${escapeMrkdwn(result.target)}* ${result.state}`];
  if (result.latencyMs !== null) parts.push(`${result.latencyMs} ms`);
  parts.push(
    result.since === undefined
      ? `checked ${slackDate(result.checkedAt)}`
      : `since ${slackDate(result.since)}`,
  );
  let line = parts.join(' · ');
  if (result.state !== 'nominal' && result.message !== '') {
    line += `\n${escapeMrkdwn(result.message.slice(0, MAX_MESSAGE))}`;
  }
  return line;
}

export function statusMessage(report: StatusReport, responseType: SlackResponseType): SlackMessage {
  const shown = report.results.slice(0, MAX_TARGET_BLOCKS);
  const hidden = report.results.length - shown.length;
  const summary = report.results.map((r) => `${r.target} ${r.state}`).join(', ');
  return {
    response_type: responseType,
    text: `Onetime Secret status: ${report.state} (${summary})`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${EMOJI[report.state]} *Onetime Secret status: ${report.state}*` },
      },
      ...shown.map((result) => ({ type: 'section', text: { type: 'mrkdwn', text: targetLine(result) } })),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${hidden > 0 ? `and ${hidden} more target(s) · ` : ''}oldest result ${slackDate(report.checkedAt)}`,
          },
        ],
      },
    ],
  };
}

/** A short answer only the caller sees. */
export function ephemeral(text: string): SlackMessage {
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
