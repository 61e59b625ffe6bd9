/**
 * Slack's request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
 * "v0:<X-Slack-Request-Timestamp>:<raw body>")>`, at most 300 s old or ahead, compared in constant time.
 */
import { createHmac } from 'node:crypto';
import { sameText, TOLERANCE_SECONDS, type Verdict, windowProblem } from './signature.js';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

export function slackDigest(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
}

/** The `X-Slack-Signature` value Slack would send (tests and local tools). */
export function signSlack(secret: string, body: string | Buffer, timestamp: number): string {
  return `v0=${slackDigest(secret, String(timestamp), body)}`;
}

export function verifySlack(
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
): Verdict & { header?: string } {
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'malformed', header: SLACK_TIMESTAMP_HEADER };
  const match = /^v0=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (match?.[1] === undefined) return { ok: false, reason: 'malformed', header: SLACK_SIGNATURE_HEADER };
  const problem = windowProblem(Number(timestamp), nowSeconds);
  if (problem !== undefined) return { ok: false, reason: problem, header: SLACK_TIMESTAMP_HEADER };
  const given = match[1].toLowerCase();
  for (const secret of secrets) {
    const expected = slackDigest(secret, timestamp, body);
    if (sameText(expected, given)) {
      return { ok: true, replayId: expected, expiresAt: Number(timestamp) + TOLERANCE_SECONDS };
    }
  }
  return { ok: false, reason: 'mismatch', header: SLACK_SIGNATURE_HEADER };
}
