/** API v2 error bodies: `{error, error_type, ...}` (ADR-013; ots-api.md 2.1 table). */
import type { InvalidReason } from './auth.js';
import { type RequestContext, sendJson } from './http.js';
import type { Problem } from './validate.js';

/** Sends a v2 body, echoing `x-request-id` as `request_id` the way the real server does. */
export function v2Send(ctx: RequestContext, status: number, body: Record<string, unknown>): void {
  const requestId = ctx.req.headers['x-request-id'];
  const withId =
    typeof requestId === 'string' && requestId !== '' ? { ...body, request_id: requestId } : body;
  sendJson(ctx.res, status, withId);
}

export function v2RouteNotFound(ctx: RequestContext): void {
  v2Send(ctx, 404, { error: 'Not Found', error_type: 'NotFound' });
}

/** A missing record; reveal, show and burn raise it without a message (ots-api.md 2.1, 404 row). */
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

/** Otto's route-level 401 (ots-api.md 2.1, "Authentication"). No WWW-Authenticate challenge. */
export function v2AuthRequired(ctx: RequestContext, reason: InvalidReason | 'missing'): void {
  sendJson(ctx.res, 401, {
    error: 'Authentication Required',
    message: OTTO_MESSAGES[reason],
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

/** Validation 422, logic-level 401 (recipient), or the 403 entitlement refusal (ots-api.md 2.4). */
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
