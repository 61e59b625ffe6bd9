/**
 * The steps every signed POST route (/webhook, /slack) takes before reading its body, in the order the
 * hardening rule fixes: 405 for another method, 413 for a body over MAX_BODY_BYTES (before any secret
 * is read or any HMAC computed), then the signature (webhook-auth.ts). A refusal is logged with its
 * reason, never the body or the signature; a 500 (no secret configured) as an error.
 */

import { type FunctionConfig, getConfig } from './config.js';
import type { Scheme, WebhookSettings } from './config-webhooks.js';
import { getWebhookSettings } from './config-webhooks.js';
import { errorResponse, type HttpEvent, type HttpResult, method, rawBody } from './http.js';
import { logger } from './powertools.js';
import { type Authentication, authenticate, bodyTooLarge, MAX_BODY_BYTES } from './webhook-auth.js';

export interface SignedRoute {
  /** The schemes this route serves. */
  served: readonly Scheme[];
  /** Where a request signed for another scheme should go instead. */
  elsewhere: string;
  /** The log line of a refused request, e.g. "Webhook refused". */
  refused: string;
}

export type SignedRequest =
  | { ok: true; body: Buffer; scheme: Scheme; config: FunctionConfig; settings: WebhookSettings }
  | { ok: false; result: HttpResult };

/** The verified raw body of a signed POST, or the answer that refuses it. */
export async function readSignedPost(
  event: HttpEvent,
  requestId: string,
  route: SignedRoute,
): Promise<SignedRequest> {
  if (method(event) !== 'POST') return { ok: false, result: onlyPost(requestId) };
  const config = getConfig();
  const body = bodyWithinLimit(event);
  if (body === undefined) {
    return { ok: false, result: errorResponse(413, `The body is over ${MAX_BODY_BYTES} bytes.`, requestId) };
  }
  const settings = getWebhookSettings();
  const check = await authenticate({
    event,
    body,
    served: route.served,
    elsewhere: route.elsewhere,
    settings,
    parameterMaxAgeSeconds: config.parameterMaxAgeSeconds,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!check.ok) {
    logRefusal(route, check, event);
    return { ok: false, result: errorResponse(check.statusCode, check.message, requestId) };
  }
  return { ok: true, body, scheme: check.scheme, config, settings };
}

function onlyPost(requestId: string): HttpResult {
  const result = errorResponse(405, 'Only POST is allowed here.', requestId);
  return { ...result, headers: { ...result.headers, allow: 'POST' } };
}

/** The raw body, unless it is over MAX_BODY_BYTES (judged on its encoded length first, so no decoding). */
function bodyWithinLimit(event: HttpEvent): Buffer | undefined {
  if (bodyTooLarge(event)) return undefined;
  const body = rawBody(event);
  return body.length > MAX_BODY_BYTES ? undefined : body;
}

function logRefusal(
  route: SignedRoute,
  refusal: Extract<Authentication, { ok: false }>,
  event: HttpEvent,
): void {
  const log = refusal.statusCode === 500 ? logger.error.bind(logger) : logger.warn.bind(logger);
  log(route.refused, { reason: refusal.reason, sourceIp: event.requestContext?.http?.sourceIp });
}
