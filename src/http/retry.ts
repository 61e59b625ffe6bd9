/**
 * The retry rules of a read, in one place for both senders: which answers and network failures a read
 * is tried again on, how long it waits (Retry-After honoured up to a cap, never past the call's
 * deadline), and how often. The undici sender hands them to undici's retry interceptor (its `retry`
 * callback, src/http/undici-sender.ts); the fetch sender, which cannot reach an interceptor, applies
 * them in sendWithRetries below. A write is never retried.
 */
import { errorCode, type SendRequest } from './transport.js';

/** At most two retries (three attempts), only for reads. */
export const MAX_RETRIES = 2;
/** A `Retry-After` longer than this is not waited for (and never beyond the call's deadline). */
const MAX_RETRY_AFTER_MS = 10_000;
const BASE_BACKOFF_MS = 250;
/** Answers a read is retried on. */
const RETRY_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** Network failures a read is retried on. */
const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

export type RetryAfter = string | string[] | null | undefined;

/**
 * After attempt `attempt` (1-based) of `request` was answered with `status`: the wait before the next
 * attempt, or `undefined` when it is not retried (see retryWaitMs).
 */
export function waitAfterStatus(
  attempt: number,
  status: number,
  retryAfter: RetryAfter,
  request: SendRequest,
): number | undefined {
  return RETRY_STATUS.has(status) ? retryWaitMs(attempt, retryAfter, request) : undefined;
}

/**
 * After attempt `attempt` (1-based) of `request` failed with `error` (no answer): the wait before the
 * next attempt, or `undefined` when it is not retried (see retryWaitMs).
 */
export function waitAfterError(attempt: number, error: unknown, request: SendRequest): number | undefined {
  const code = errorCode(error);
  return code !== undefined && RETRY_ERROR_CODES.has(code) ? retryWaitMs(attempt, null, request) : undefined;
}

/**
 * The wait before the retry after attempt `attempt` of a retriable failure; `undefined` when no retry
 * fits: a write, MAX_RETRIES used, the call aborted, Retry-After over the cap, or the wait would pass
 * the deadline.
 */
function retryWaitMs(attempt: number, retryAfter: RetryAfter, request: SendRequest): number | undefined {
  if (!request.retry || attempt > MAX_RETRIES || request.signal.aborted) return undefined;
  const wait = retryDelayMs(attempt, retryAfter ?? undefined);
  return wait === undefined || Date.now() + wait >= request.deadlineAt ? undefined : wait;
}

/** Milliseconds before retry number `attempt` (1-based); `undefined` when Retry-After is beyond the cap. */
function retryDelayMs(attempt: number, retryAfter: string | string[] | undefined): number | undefined {
  const serverMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  if (serverMs !== undefined)
    return serverMs > MAX_RETRY_AFTER_MS ? undefined : serverMs + Math.random() * 100;
  const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** How the retry loop reads a Sender's own response type, and frees one it does not keep. */
export interface RetryReader<R> {
  status(response: R): number;
  retryAfter(response: R): RetryAfter;
  /** Frees a response dropped for a retry (keeping its connection where the client can). */
  discard(response: R): Promise<unknown>;
}

/**
 * The retry rules above as a loop, for a sender with no retry interceptor (the fetch sender): sends
 * with `attempt`, a write exactly once; a read again after each wait waitAfterError or waitAfterStatus
 * gives. An abort during a wait ends the call with the signal's reason.
 */
export async function sendWithRetries<R>(
  request: SendRequest,
  attempt: () => Promise<R>,
  reader: RetryReader<R>,
): Promise<R> {
  if (!request.retry) return attempt();
  for (let count = 1; ; count += 1) {
    let response: R;
    try {
      response = await attempt();
    } catch (error) {
      const wait = waitAfterError(count, error, request);
      if (wait === undefined) throw error;
      await pauseBeforeRetry(wait, request.signal);
      continue;
    }
    const wait = waitAfterStatus(count, reader.status(response), reader.retryAfter(response), request);
    if (wait === undefined) return response;
    await reader.discard(response);
    await pauseBeforeRetry(wait, request.signal);
  }
}

/** Waits before a retry; an abort meanwhile ends the call with the signal's reason. */
async function pauseBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  if (!(await waitUnlessAborted(ms, signal))) throw signal.reason;
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts (the timer is then cleared). */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
