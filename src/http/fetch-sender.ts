/**
 * A Sender on the runtime's own fetch: Node's built-in undici, whose global dispatcher keeps one
 * keep-alive pool per origin. It adds no HTTP client to a bundle, which is what the Lambda functions
 * need (bench/RESULTS.md, benchmark 5: undici is most of a bundle that carries it).
 *
 * The runtime's fetch offers no retry interceptor without bundling undici again, so reads are retried
 * by the short loop below, with the undici Sender's policy: RETRY_STATUS and RETRY_ERROR_CODES,
 * MAX_RETRIES, retryWaitMs (Retry-After honoured, never past the deadline). Writes are sent once.
 */
import {
  bodyTooBig,
  type CallContext,
  declaredTooBig,
  errorCode,
  MAX_BODY_BYTES,
  MAX_RETRIES,
  RETRY_ERROR_CODES,
  RETRY_STATUS,
  retryWaitMs,
  type Sender,
  socketFreed,
  waitUnlessAborted,
} from './transport.js';

export const fetchSender: Sender = async (request) => {
  for (let attempt = 1; ; attempt += 1) {
    const mayRetry = request.retry && attempt <= MAX_RETRIES;
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        // Like undici's request: a redirect is an answer, never followed with the credentials.
        redirect: 'manual',
      });
    } catch (error) {
      const code = errorCode(error);
      const retriable = mayRetry && code !== undefined && RETRY_ERROR_CODES.has(code);
      const wait = retriable ? retryWaitMs(attempt, null, request.deadlineAt, request.signal) : undefined;
      if (wait === undefined) throw error;
      await pauseBeforeRetry(wait, request.signal);
      continue;
    }
    if (mayRetry && RETRY_STATUS.has(response.status)) {
      const retryAfter = response.headers.get('retry-after');
      const wait = retryWaitMs(attempt, retryAfter, request.deadlineAt, request.signal);
      if (wait !== undefined) {
        await response.body?.cancel().catch(() => undefined);
        await pauseBeforeRetry(wait, request.signal);
        continue;
      }
    }
    const text = await readCapped(response, request.context);
    await socketFreed();
    return { status: response.status, headers: Object.fromEntries(response.headers), text };
  }
};

/** Waits before a retry; an abort meanwhile ends the call with the signal's reason. */
async function pauseBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  if (!(await waitUnlessAborted(ms, signal))) throw signal.reason;
}

/**
 * Reads at most MAX_BODY_BYTES, counted after decompression (fetch decodes gzip), so a small
 * compressed body cannot grow past the cap; beyond it the stream is cancelled, not drained.
 */
async function readCapped(response: Response, context: CallContext): Promise<string> {
  if (declaredTooBig(response.headers.get('content-length'))) {
    await response.body?.cancel().catch(() => undefined);
    throw bodyTooBig(context);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooBig(context);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
