/**
 * Server answers to typed errors. v1 answers almost everything with 404 and a `message`, sometimes with
 * `X-OTS-Intended-Status` (docs/ots-api.md 1.1); v2 uses the status and `error_type` (docs/ots-api.md 2.1).
 * Messages are ours: server text is only quoted for validation errors, redacted and shortened, because
 * servers echo input (v1 bodies carry `secret_key`, messages can name what was sent).
 */
import {
  AuthError,
  BadResponseError,
  NotFoundError,
  type OtsError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../errors.js';
import { parseRetryAfter } from '../http/retry.js';
import type { HttpResponse } from '../http/transport.js';
import { untrustedText } from '../redact.js';
import type { ApiVersion, Operation } from '../types.js';
import { asObject, type Json, num, str } from './fields.js';

export interface ErrorContext {
  target: string;
  operation: Operation;
  apiVersion: ApiVersion;
  authenticated: boolean;
  /** Values that must never appear in a message: token, Basic value, username, secret, passphrase, key. */
  sensitive: readonly string[];
}

const MAX_QUOTED = 160;

/** Server text safe to quote: the core's redactor for untrusted text (src/redact.ts). */
export function redactServerText(text: string, sensitive: readonly string[]): string {
  return untrustedText(text, sensitive, MAX_QUOTED);
}

function serverText(body: Json | undefined, ctx: ErrorContext): string {
  const text = str(body?.message) ?? str(body?.error) ?? '';
  return redactServerText(text, ctx.sensitive);
}

/** The not-found error of an operation (also used for v2's 200 answers that mean "already gone"). */
export function notFound(ctx: ErrorContext, httpStatus: number): NotFoundError {
  const where = `on ${ctx.target}`;
  const text: Record<string, string> = {
    reveal:
      `The secret was not found ${where}: it may have been revealed already, burned or expired` +
      (ctx.apiVersion === 'v1' ? ', or the passphrase was wrong (API v1 does not tell these apart)' : '') +
      '. Ask the sender for a new link, and check the region: each region keeps its own secrets.',
    receipt:
      `The receipt was not found ${where}: it may have expired (a receipt lives twice the secret's TTL) ` +
      'or the key is not a receipt key. Check the key and the region.',
    burn:
      `Nothing to burn ${where}: the secret was already revealed, burned or expired, or the receipt key is wrong. ` +
      'Check the receipt to see its state.',
  };
  const message =
    text[ctx.operation] ??
    `${ctx.target} answered ${ctx.operation} with "not found". Check the region or domain.`;
  return new NotFoundError(message, { target: ctx.target, httpStatus });
}

function missingEndpoint(ctx: ErrorContext, httpStatus: number): NotFoundError {
  const other = ctx.apiVersion === 'v2' ? 'v1' : 'v2';
  return new NotFoundError(
    `${ctx.target} has no API ${ctx.apiVersion} endpoint for ${ctx.operation}: the server may be older or newer ` +
      `than expected, or not an Onetime Secret server. Try apiVersion ${other}, or check the domain.`,
    { target: ctx.target, httpStatus },
  );
}

function authRefused(ctx: ErrorContext, httpStatus: number): AuthError {
  return new AuthError(
    `${ctx.target} refused the credentials for ${ctx.operation}. Check username (the account email) and token ` +
      '(the API token), and that the account belongs to this region: each region has its own accounts.',
    { target: ctx.target, httpStatus },
  );
}

function accountRequired(ctx: ErrorContext, httpStatus: number): AuthError {
  return new AuthError(`${ctx.operation} needs an account on ${ctx.target}: give username and token.`, {
    target: ctx.target,
    httpStatus,
  });
}

function rateLimited(ctx: ErrorContext, httpStatus: number, retryAfterSeconds?: number): RateLimitError {
  const wait = retryAfterSeconds === undefined ? 'a while' : `${retryAfterSeconds} s`;
  return new RateLimitError(
    `${ctx.target} is rate limiting ${ctx.operation}. Wait ${wait} and try again; an account raises the limits.`,
    { target: ctx.target, httpStatus, retryAfterSeconds },
  );
}

function serverFailed(ctx: ErrorContext, httpStatus: number, notReady = false): ServerError {
  const what = notReady ? 'is still starting up (503 not_ready)' : `failed (HTTP ${httpStatus})`;
  const consumed =
    ctx.operation === 'reveal'
      ? ' The secret may have been consumed anyway: check its receipt before retrying.'
      : '';
  return new ServerError(
    `${ctx.target} ${what} during ${ctx.operation}. Try again later or check the service status.${consumed}`,
    { target: ctx.target, httpStatus },
  );
}

function refused(ctx: ErrorContext, httpStatus: number, text: string, input?: string): ValidationError {
  const quoted = text === '' ? '' : `: "${text}"`;
  return new ValidationError(
    `${ctx.target} refused ${ctx.operation}${quoted}. Fix the input and try again.`,
    input === undefined ? { target: ctx.target, httpStatus } : { target: ctx.target, httpStatus, input },
  );
}

function wrongPassphrase(ctx: ErrorContext, httpStatus: number): ValidationError {
  return new ValidationError(
    `${ctx.target} refused the passphrase for ${ctx.operation}. Check the passphrase with the sender.`,
    { target: ctx.target, httpStatus, input: 'passphrase' },
  );
}

function retryAfterOf(response: HttpResponse, body: Json | undefined): number | undefined {
  const header = response.headers['retry-after'];
  const ms = parseRetryAfter(Array.isArray(header) ? header[0] : header);
  if (ms !== undefined) return Math.ceil(ms / 1000);
  return num(body?.retry_after);
}

const RATE_LIMIT_TEXT = /rate limit|too many secrets/i;

/**
 * A refused passphrase: reveal says "Incorrect passphrase", burn "Double check that passphrase"
 * (docs/ots-api.md 1.3); older servers said "wrong".
 */
function isPassphraseRefusal(text: string): boolean {
  return /passphrase/i.test(text) && /incorrect|wrong|double check/i.test(text);
}

/** Shared by both versions: statuses that mean the same whatever the version (often from a proxy). */
function byStatus(response: HttpResponse, body: Json | undefined, ctx: ErrorContext): OtsError | undefined {
  const status = response.status;
  if (status === 429) return rateLimited(ctx, status, retryAfterOf(response, body));
  if (status === 503 && str(body?.status) === 'not_ready') return serverFailed(ctx, status, true);
  if (status >= 500) return serverFailed(ctx, status);
  if (status < 400) {
    return new BadResponseError(
      `${ctx.target} answered ${ctx.operation} with HTTP ${status}, not the API's answer (a redirect?). ` +
        'Check the region or domain (use the https:// address of the API host).',
      { target: ctx.target, httpStatus: status },
    );
  }
  return undefined;
}

/** API v1: 404 for nearly everything, told apart by message and `X-OTS-Intended-Status`. */
export function v1Error(response: HttpResponse, ctx: ErrorContext): OtsError {
  const body = asObject(response.body);
  const early = byStatus(response, body, ctx);
  if (early) return early;
  const status = response.status;
  const intended = num(response.headers['x-ots-intended-status']);
  const message = str(body?.message) ?? '';
  if (message === '' && str(body?.error) === 'Not Found') return missingEndpoint(ctx, status);
  if (message === 'Not authorized' || intended === 401 || status === 401) {
    return ctx.operation === 'recent' || ctx.operation === 'checkAuth'
      ? accountRequiredOrRefused(ctx, status)
      : authRefused(ctx, status);
  }
  if (/ is not available$/.test(message)) {
    return new AuthError(
      `${ctx.target} has accounts switched off, so it refuses credentials: leave out username and token.`,
      { target: ctx.target, httpStatus: status },
    );
  }
  if (RATE_LIMIT_TEXT.test(message)) return rateLimited(ctx, status, retryAfterOf(response, body));
  if (message === 'Unknown secret' || message === 'Not Found') return notFound(ctx, status);
  if (isPassphraseRefusal(message)) return wrongPassphrase(ctx, status);
  if (/unexpected error/i.test(message)) return serverFailed(ctx, intended ?? status);
  if (status === 403) return authRefused(ctx, status);
  if (intended === 400 || status === 400) return refused(ctx, intended ?? status, serverText(body, ctx));
  if (status === 404) return notFound(ctx, status);
  return refused(ctx, status, serverText(body, ctx));
}

/** v1 `/authcheck` and `/private/recent` say "Not authorized" both without and with bad credentials. */
function accountRequiredOrRefused(ctx: ErrorContext, status: number): AuthError {
  return ctx.authenticated ? authRefused(ctx, status) : accountRequired(ctx, status);
}

/**
 * The error class and text of a v2/v3 body: ADR-013's `{error:<text>, error_type:<class>}`, or the
 * pre-ADR-013 `{error:<class>, message:<text>}` of v0.23 servers (docs/ots-api.md 7).
 */
function typeAndText(body: Json | undefined): { type: string; text: string } {
  const error = str(body?.error) ?? '';
  const type = str(body?.error_type);
  if (type !== undefined) return { type, text: error };
  const message = str(body?.message);
  if (message !== undefined && /^[A-Z][A-Za-z]+$/.test(error)) return { type: error, text: message };
  return { type: '', text: error };
}

function guestDisabled(ctx: ErrorContext, httpStatus: number): AuthError {
  const instead =
    ctx.apiVersion === 'v3'
      ? 'API v3 has no token access to fall back on: use apiVersion v2 with username and token.'
      : 'Give username and token to use an account instead.';
  return new AuthError(
    `${ctx.target} has guest (anonymous) ${ctx.operation} switched off: its operator disabled guest access. ${instead}`,
    { target: ctx.target, httpStatus },
  );
}

/** API v2 (and v3, the same wire format): the status and `error_type` (ADR-013 bodies). */
export function v2Error(response: HttpResponse, ctx: ErrorContext): OtsError {
  const body = asObject(response.body);
  const early = byStatus(response, body, ctx);
  if (early) return early;
  const status = response.status;
  const { type, text } = typeAndText(body);
  if (type === 'LimitExceeded') return rateLimited(ctx, status, retryAfterOf(response, body));
  if (status === 401) {
    if (!ctx.authenticated) return accountRequired(ctx, status);
    return /account is required/i.test(text) ? accountRequired(ctx, status) : authRefused(ctx, status);
  }
  if (status === 403) {
    if (type === 'GuestRoutesDisabled') return guestDisabled(ctx, status);
    if (type === 'EntitlementRequired') {
      return new ValidationError(
        `${ctx.target} refused ${ctx.operation}: your plan does not allow it (often a ttl over 14 days). ` +
          'Use a shorter ttl or upgrade the plan.',
        { target: ctx.target, httpStatus: status, input: 'ttl' },
      );
    }
    return new AuthError(
      `${ctx.target} forbids ${ctx.operation} for this caller. Check the account's permissions and the domain.`,
      { target: ctx.target, httpStatus: status },
    );
  }
  if (status === 404)
    return type === 'NotFound' || text === 'Not Found' ? missingEndpoint(ctx, status) : notFound(ctx, status);
  if (isPassphraseRefusal(text)) return wrongPassphrase(ctx, status);
  const field = str(body?.field);
  const input = field !== undefined && /^[a-z_]{1,30}$/.test(field) ? field : undefined;
  return refused(ctx, status, serverText(body, ctx), input);
}
