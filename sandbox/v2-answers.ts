/** API v2 error bodies: `{error, error_type, ...}` (ADR-013; docs/ots-api.md 2.1 table). */
import type { InvalidReason } from './auth.js';
import { type RequestContext, sendJson } from './http.js';
import type { Problem } from './validate.js';

/** The error class a pre-ADR-013 body names when the logic gave none. */
const LEGACY_CLASSES: Record<number, string> = { 403: 'Forbidden', 404: 'RecordNotFound', 422: 'FormError' };

/** v0.23's v2 error body: `{error:<class>, message:<text>}` (docs/ots-api.md 7). */
function legacyError(status: number, body: Record<string, unknown>): Record<string, unknown> {
  const { error, error_type: errorType, ...rest } = body;
  const message = error === undefined ? {} : { message: error };
  // A 422's `error_type` is the form error's kind (`missing`), not a class: the class is FormError.
  const named = status === 422 ? undefined : errorType;
  return { error: named ?? LEGACY_CLASSES[status] ?? 'ServerError', ...message, ...rest };
}

/** Sends a v2 body, echoing `x-request-id` as `request_id` the way the real server does. */
export function v2Send(
  ctx: RequestContext,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string | number> = {},
): void {
  const requestId = ctx.req.headers['x-request-id'];
  const isError = status >= 400 && ('error' in body || 'error_type' in body);
  const shaped = isError && ctx.profile.v2ErrorFormat === 'legacy' ? legacyError(status, body) : body;
  const withId =
    typeof requestId === 'string' && requestId !== '' ? { ...shaped, request_id: requestId } : shaped;
  sendJson(ctx.res, status, withId, headers);
}

/** 429 `LimitExceeded` with `Retry-After` (the anonymous creation limiter, docs/ots-api.md 8.3 C2). */
export function v2LimitExceeded(ctx: RequestContext, retryAfter: number, maxAttempts: number): void {
  v2Send(
    ctx,
    429,
    {
      error: 'Too many secrets created. Please try again later.',
      error_type: 'LimitExceeded',
      retry_after: retryAfter,
      max_attempts: maxAttempts,
    },
    { 'Retry-After': retryAfter },
  );
}

export function v2RouteNotFound(ctx: RequestContext): void {
  v2Send(ctx, 404, { error: 'Not Found', error_type: 'NotFound' });
}

/** A missing record; reveal, show and burn raise it without a message (docs/ots-api.md 2.1, 404 row). */
export function v2RecordNotFound(ctx: RequestContext, message?: string): void {
  const body = message === undefined ? {} : { error: message };
  v2Send(ctx, 404, { ...body, error_type: 'RecordNotFound' });
}

const OTTO_MESSAGES: Record<InvalidReason | 'missing', string> = {
  missing: '[AUTH_HEADER_MISSING] Authentication required',
  type: '[AUTH_TYPE_INVALID] Basic authentication required',
  format: '[CREDENTIALS_FORMAT_INVALID] Malformed credentials',
  credentials: '[CREDENTIALS_INVALID] Invalid credentials',
};

/** Otto's route-level 401 (docs/ots-api.md 2.1, "Authentication"). No WWW-Authenticate challenge. */
export function v2AuthRequired(ctx: RequestContext, reason: InvalidReason | 'missing'): void {
  sendJson(ctx.res, 401, {
    error: 'Authentication Required',
    message: OTTO_MESSAGES[reason],
    timestamp: ctx.nowSeconds(),
  });
}

/**
 * v3's session-only routes: Otto's 401 with the session strategy's reason. The sandbox has no browser
 * sessions, so every call there gets it, with or without a Basic token (docs/ots-api.md 9.3).
 */
export function v3SessionRequired(ctx: RequestContext): void {
  sendJson(ctx.res, 401, {
    error: 'Authentication Required',
    message: '[SESSION_MISSING] A signed-in browser session is required',
    timestamp: ctx.nowSeconds(),
  });
}

export function v2BadPayload(ctx: RequestContext, problem: 'too-large' | 'malformed'): void {
  const error = problem === 'too-large' ? 'Request body is larger than 1 MiB' : 'Incorrect payload format';
  v2Send(ctx, 400, { error, error_type: 'BadRequest' });
}

const ENTITLEMENT_FIELDS = {
  entitlement: 'extended_default_expiration',
  current_plan: 'free_v1',
  upgrade_to: 'identity_plus_v1',
  error_key: 'entitlement_required',
};

/** Validation 422, logic-level 401 (recipient), or the 403 entitlement refusal (docs/ots-api.md 2.4). */
export function v2Problem(ctx: RequestContext, problem: Problem): void {
  if (problem.kind === 'unauthorized') {
    v2Send(ctx, 401, { error: problem.message, error_type: 'Unauthorized' });
  } else if (problem.kind === 'entitlement') {
    v2Send(ctx, 403, { error: problem.message, error_type: 'EntitlementRequired', ...ENTITLEMENT_FIELDS });
  } else {
    const body: Record<string, unknown> = { error: problem.message };
    if (problem.errorType) body.error_type = problem.errorType;
    if (problem.field) body.field = problem.field;
    v2Send(ctx, 422, body);
  }
}
