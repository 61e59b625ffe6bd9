/**
 * Retries of reads, one loop for both senders: which answers and network failures a read is tried
 * again on, how long it waits (Retry-After honoured up to a cap, never past the call's deadline), and
 * how often. A write goes through the same loop and is sent exactly once.
 */
import { errorCode, type SendRequest } from './transport.js';

/** At most two retries (three attempts), only for reads (sendWithRetries). */
export const MAX_RETRIES = 2;
/** A `Retry-After` longer than this is not waited for (and never beyond the call's deadline). */
export const MAX_RETRY_AFTER_MS = 10_000;
const BASE_BACKOFF_MS = 250;
/** Answers a read is retried on. */
export const RETRY_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** Network failures a read is retried on. */
export const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** Milliseconds before retry number `attempt` (1-based); `undefined` when Retry-After is beyond the cap. */
export function retryDelayMs(attempt: number, retryAfter: string | string[] | undefined): number | undefined {
  const serverMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  if (serverMs !== undefined)
    return serverMs > MAX_RETRY_AFTER_MS ? undefined : serverMs + Math.random() * 100;
  const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** How the retry loop reads a Sender's own response type, and frees one it does not keep. */
export interface RetryReader<R> {
  status(response: R): number;
  retryAfter(response: R): string | string[] | null | undefined;
  /** Frees a response dropped for a retry (keeping its connection where the client can). */
  discard(response: R): Promise<unknown>;
}

/**
 * Sends with `attempt`; a write exactly once. A read is tried again on RETRY_ERROR_CODES and
 * RETRY_STATUS, at most MAX_RETRIES times, after retryWaitMs (Retry-After honoured, never past the
 * deadline); an abort during a wait ends the call with the signal's reason. Both senders retry through
 * this loop, so they retry alike.
 */
export async function sendWithRetries<R>(
  request: SendRequest,
  attempt: () => Promise<R>,
  reader: RetryReader<R>,
): Promise<R> {
  if (!request.retry) return attempt();
  for (let count = 1; ; count += 1) {
    const mayRetry = count <= MAX_RETRIES;
    let response: R;
    try {
      response = await attempt();
    } catch (error) {
      const code = errorCode(error);
      const retriable = mayRetry && code !== undefined && RETRY_ERROR_CODES.has(code);
      const wait = retriable ? retryWaitMs(count, null, request) : undefined;
      if (wait === undefined) throw error;
      await pauseBeforeRetry(wait, request.signal);
      continue;
    }
    if (!mayRetry || !RETRY_STATUS.has(reader.status(response))) return response;
    const wait = retryWaitMs(count, reader.retryAfter(response), request);
    if (wait === undefined) return response;
    await reader.discard(response);
    await pauseBeforeRetry(wait, request.signal);
  }
}

/**
 * The wait before retry `attempt` (1-based) of a read; `undefined` when no retry fits: the call is
 * aborted, Retry-After is over the cap, or the wait would pass the deadline.
 */
function retryWaitMs(
  attempt: number,
  retryAfter: string | string[] | null | undefined,
  { deadlineAt, signal }: SendRequest,
): number | undefined {
  if (signal.aborted) return undefined;
  const wait = retryDelayMs(attempt, retryAfter ?? undefined);
  return wait === undefined || Date.now() + wait >= deadlineAt ? undefined : wait;
}

/** Waits before a retry; an abort meanwhile ends the call with the signal's reason. */
async function pauseBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  if (!(await waitUnlessAborted(ms, signal))) throw signal.reason;
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts (the timer is then cleared). */
function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
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
