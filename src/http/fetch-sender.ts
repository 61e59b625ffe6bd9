/**
 * A Sender on the runtime's own fetch: Node's built-in undici, whose global dispatcher keeps one
 * keep-alive pool per origin. It adds no HTTP client to a bundle, which is what the Lambda functions
 * need (bench/RESULTS.md, benchmark 5: undici is most of a bundle that carries it).
 *
 * fetch has no retry interceptor to compose, so reads are retried by sendWithRetries, which applies the
 * same rules the undici sender hands its interceptor (src/http/retry.ts); writes are sent once.
 */

import { type RetryReader, sendWithRetries } from './retry.js';
import {
  bodyTooBig,
  type CallContext,
  declaredTooBig,
  MAX_BODY_BYTES,
  type Sender,
  type SendRequest,
  socketFreed,
} from './transport.js';

export const fetchSender: Sender = async (request) => {
  const response = await sendWithRetries(request, () => attempt(request), FETCH_RESPONSES);
  const text = await readCapped(response, request.context);
  await socketFreed();
  return { status: response.status, headers: Object.fromEntries(response.headers), text };
};

function attempt(request: SendRequest): Promise<Response> {
  return fetch(request.origin + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    // Like undici's request: a redirect is an answer, never followed with the credentials.
    redirect: 'manual',
  });
}

const FETCH_RESPONSES: RetryReader<Response> = {
  status: (response) => response.status,
  retryAfter: (response) => response.headers.get('retry-after'),
  discard: async (response) => response.body?.cancel().catch(() => undefined),
};

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
