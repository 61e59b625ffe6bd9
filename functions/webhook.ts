/**
 * `POST /webhook`: a signed request runs a fresh status check and answers its JSON (200 nominal or
 * degraded, 503 down, like `/status`). Signatures: GitHub `X-Hub-Signature-256` or `X-OTS-Signature`
 * (see signature.ts), over the exact raw body. Order of checks: size (413) before any secret is read or
 * any HMAC computed; no secret configured is 500 and nothing runs; a bad or missing signature is 401.
 * A GitHub `ping` is answered 200 once verified. A JSON body `{ "targets": [...] }` narrows the check to
 * some of the configured targets. Neither the body nor the signature is ever echoed or logged.
 */
import type { Context } from 'aws-lambda';
import { combine } from './cache.js';
import { runCheck, selectTargets } from './check.js';
import { getConfig, resetConfigForTests } from './config.js';
import { handleHttp } from './handle.js';
import {
  encodedBodyLength,
  errorResponse,
  type HttpEvent,
  type HttpResult,
  header,
  json,
  method,
  rawBody,
} from './http.js';
import { logger } from './powertools.js';
import { resolveCredentials, resolveWebhookSecrets } from './secrets.js';
import { GITHUB_HEADER, OTS_HEADER, verifySignature } from './signature.js';

export const MAX_BODY_BYTES = 64 * 1024;

export function resetForTests(): void {
  resetConfigForTests();
}

/** Base64 takes 4 characters per 3 bytes: a longer encoded body cannot fit, whatever it decodes to. */
function tooLarge(event: HttpEvent): boolean {
  const encoded = encodedBodyLength(event);
  return event.isBase64Encoded ? encoded > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4 : encoded > MAX_BODY_BYTES;
}

/** The targets a body asks for, if it is a JSON object with `targets`; otherwise all configured ones. */
function requestedTargets(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && 'targets' in parsed) return parsed.targets;
  } catch {
    // Not JSON (a form-encoded GitHub delivery, say): there is nothing to narrow by.
  }
  return undefined;
}

async function webhook(event: HttpEvent, requestId: string): Promise<HttpResult> {
  if (method(event) !== 'POST') {
    const result = errorResponse(405, 'Only POST is allowed here.', requestId);
    return { ...result, headers: { ...result.headers, allow: 'POST' } };
  }
  const config = getConfig();
  if (tooLarge(event)) return errorResponse(413, `The body is over ${MAX_BODY_BYTES} bytes.`, requestId);
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES)
    return errorResponse(413, `The body is over ${MAX_BODY_BYTES} bytes.`, requestId);

  const secrets = await resolveWebhookSecrets(config);
  if (secrets.length === 0) {
    logger.error('No webhook secret is configured: set OTS_WEBHOOK_SECRET or OTS_WEBHOOK_SECRET_PARAMETER');
    return errorResponse(
      500,
      'Configuration error: no webhook secret is configured (OTS_WEBHOOK_SECRET or OTS_WEBHOOK_SECRET_PARAMETER).',
      requestId,
    );
  }
  const check = verifySignature({
    github: header(event, GITHUB_HEADER),
    ots: header(event, OTS_HEADER),
    body,
    secrets,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!check.ok) {
    logger.warn('Webhook refused', { reason: check.reason, sourceIp: event.requestContext?.http?.sourceIp });
    return errorResponse(401, signatureProblem(check.reason), requestId);
  }

  const githubEvent = header(event, 'x-github-event');
  if (githubEvent === 'ping') {
    logger.info('GitHub ping answered', { scheme: check.scheme });
    return json(200, { requestId, ok: true, event: 'ping' }, { requestId });
  }
  const names = requestedTargets(body);
  let targets = config.targets;
  if (names !== undefined) {
    const selection = selectTargets(config, names, 'targets');
    if (!selection.ok) return errorResponse(400, selection.problem, requestId);
    targets = selection.targets;
  }
  const report = await runCheck(config, targets, await resolveCredentials(config));
  // The core's report is recombined so its shape matches /status exactly.
  const answer = combine(report.results);
  logger.info('Webhook check ran', {
    scheme: check.scheme,
    githubEvent,
    delivery: header(event, 'x-github-delivery'),
    state: answer.state,
  });
  return json(answer.state === 'down' ? 503 : 200, { requestId, ...answer }, { requestId });
}

function signatureProblem(reason: string): string {
  switch (reason) {
    case 'missing':
      return 'Signature missing: send X-Hub-Signature-256 or X-OTS-Signature.';
    case 'stale':
    case 'future':
      return 'Signature refused: its timestamp is more than 300 seconds from now.';
    case 'malformed':
      return 'Signature refused: the header is not in the expected format.';
    default:
      return 'Signature refused: it does not match.';
  }
}

export const handler = async (event: HttpEvent, context: Context): Promise<HttpResult> =>
  handleHttp(event, context, webhook);
