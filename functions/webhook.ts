/**
 * `POST /webhook`: a signed request runs a fresh status check and answers its JSON (200 nominal or
 * degraded, 503 down, like `/status`). Signatures: GitHub `X-Hub-Signature-256`, `X-OTS-Signature` or
 * Standard Webhooks, as enabled (webhook-auth.ts), over the exact raw body. Order of checks: size (413)
 * before any secret is read or any HMAC computed; no secret configured is 500 and nothing runs; a bad,
 * missing or replayed signature is 401. A GitHub `ping` is answered 200 once verified. The body: empty or a JSON object checks every
 * configured target, `{ "targets": [...] }` narrows the check to some of them, anything else (not JSON,
 * a JSON array or string) is 400 and nothing runs. Neither the body nor the signature is ever echoed or
 * logged.
 */
import type { Context } from 'aws-lambda';
import type { StatusReport, Target } from '../src/fetch.js';
import { runCheck, selectTargets } from './check.js';
import type { FunctionConfig } from './config.js';
import type { Scheme } from './config-webhooks.js';
import { handleHttp } from './handle.js';
import { errorResponse, type HttpEvent, type HttpResult, header, json } from './http.js';
import { logger } from './powertools.js';
import { resolveCredentials } from './secrets.js';
import { readSignedPost, type SignedRequest } from './signed-request.js';

export { MAX_BODY_BYTES } from './webhook-auth.js';

/** The schemes POST /webhook serves (Slack's has its own route, functions/slack.ts). */
const WEBHOOK_SCHEMES: readonly Scheme[] = ['github', 'ots', 'standard'];

const ROUTE = {
  served: WEBHOOK_SCHEMES,
  elsewhere: 'send Slack slash commands to POST /slack.',
  refused: 'Webhook refused',
};

type Verified = Extract<SignedRequest, { ok: true }>;

type Asked = { ok: true; targets: readonly Target[] } | { ok: false; problem: string };

const NOT_AN_OBJECT =
  'The body is not a JSON object: send an empty body, a JSON object, or {"targets": [...]} ' +
  '(a GitHub webhook needs content type application/json).';

async function webhook(event: HttpEvent, requestId: string): Promise<HttpResult> {
  const signed = await readSignedPost(event, requestId, ROUTE);
  if (!signed.ok) return signed.result;
  if (header(event, 'x-github-event') === 'ping') return answerPing(signed.scheme, requestId);
  const selection = targetsAskedFor(signed.body, signed.config);
  if (!selection.ok) return errorResponse(400, selection.problem, requestId);
  const answer = await check(event, signed, selection.targets);
  return json(answer.state === 'down' ? 503 : 200, { requestId, ...answer }, { requestId });
}

function answerPing(scheme: Scheme, requestId: string): HttpResult {
  logger.info('GitHub ping answered', { scheme });
  return json(200, { requestId, ok: true, event: 'ping' }, { requestId });
}

/**
 * The targets a body asks for. Empty, or a JSON object without `targets` (a GitHub event, say): every
 * configured target. `{ "targets": [...] }`: those. Anything else is refused rather than taken to mean
 * "everything": a body nobody can read is a sender's mistake, and it should hear so.
 */
function targetsAskedFor(body: Buffer, config: FunctionConfig): Asked {
  if (body.length === 0) return { ok: true, targets: config.targets };
  const parsed = parseJson(body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, problem: NOT_AN_OBJECT };
  }
  if (!('targets' in parsed)) return { ok: true, targets: config.targets };
  return selectTargets(config, parsed.targets, 'targets');
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Runs the check and logs that it ran: the scheme, the GitHub event and delivery, the state. */
async function check(event: HttpEvent, signed: Verified, targets: readonly Target[]): Promise<StatusReport> {
  const { config, scheme } = signed;
  // The core's report has the shape /status answers (the worst state, the results): it is sent as it is.
  const answer = await runCheck(config, targets, await resolveCredentials(config));
  logger.info('Webhook check ran', {
    scheme,
    githubEvent: header(event, 'x-github-event'),
    delivery: header(event, 'x-github-delivery'),
    state: answer.state,
  });
  return answer;
}

export const handler = async (event: HttpEvent, context: Context): Promise<HttpResult> =>
  handleHttp(event, context, webhook);
