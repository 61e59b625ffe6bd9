/**
 * HTTP for the core, on undici 7. One keep-alive Agent per process (one pool per origin, shared by every
 * client), made on first use. Reads go through undici's retry interceptor; writes go through the plain
 * dispatcher, so share, generate, reveal and burn are structurally never sent twice: a re-sent reveal
 * destroys a secret nobody read, a re-sent share leaves a second live copy.
 */
import { Agent, type Dispatcher, interceptors } from 'undici';
import { BadResponseError, NetworkError, OtsError, TimeoutError } from './errors.js';
import type { Target } from './types.js';
import { USER_AGENT } from './version.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** The longest deadline a call may be given. */
export const MAX_TIMEOUT_MS = 600_000;
/** Bodies beyond this are refused without reading the rest. OTS answers are a few KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** At most two retries (three attempts), only for reads. */
export const MAX_RETRIES = 2;
/** A `Retry-After` longer than this is not waited for (and never beyond the call's deadline). */
export const MAX_RETRY_AFTER_MS = 10_000;
const BASE_BACKOFF_MS = 250;
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRY_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Calls that change state on the server: sent once, never retried (see the module comment). */
const WRITES = new Set(['share', 'generate', 'reveal', 'burn']);

let processAgent: Agent | undefined;
const retrying = new WeakMap<Dispatcher, Dispatcher>();

/** The process-wide keep-alive agent, created on first use (importing the library does no work). */
export function sharedAgent(): Agent {
  // Connecting is bounded by each call's own deadline (its abort signal), so the agent's connect timeout
  // is only the outer limit: a fixed 10 s here would cut short a call given a longer timeout.
  processAgent ??= new Agent({ keepAliveTimeout: 30_000, connect: { timeout: MAX_TIMEOUT_MS } });
  return processAgent;
}

/** Closes the process-wide agent (tests, or a CLI that wants to exit without waiting for idle sockets). */
export async function closeSharedAgent(): Promise<void> {
  const agent = processAgent;
  processAgent = undefined;
  await agent?.close();
}

/** The same dispatcher with undici's retry interceptor on top; the per-call policy comes with each request. */
function withRetry(base: Dispatcher): Dispatcher {
  let composed = retrying.get(base);
  if (!composed) {
    // Every read brings its own `retry` decision (retryPolicy), which checks the method and the count
    // itself; the interceptor only has to hand the last answer back rather than throw on its status.
    composed = base.compose(interceptors.retry({ throwOnError: false }));
    retrying.set(base, composed);
  }
  return composed;
}

export type RequestBody = { json: unknown } | { form: URLSearchParams };

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; `undefined` when the body was empty or not JSON (only possible for non-2xx). */
  body: unknown;
}

export interface TransportOptions {
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** The `Authorization` value, when the client has credentials. */
  authorization?: string;
}

interface CallSpec {
  /** A name for messages (`share`, `reveal`): never the path, which can hold a key. */
  operation: string;
  path: string;
  signal?: AbortSignal;
}

/** One target's HTTP access: `read` (GET, retried) and `write` (POST, sent once). */
export class Transport {
  readonly target: Target;
  readonly timeoutMs: number;
  readonly #base: Dispatcher | undefined;
  readonly #authorization: string | undefined;

  constructor(target: Target, options: TransportOptions = {}) {
    this.target = target;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#base = options.dispatcher;
    this.#authorization = options.authorization;
  }

  /** A GET, retried on network errors, 429 and 5xx (at most twice, within the deadline). */
  read(spec: CallSpec): Promise<HttpResponse> {
    return this.#send(spec, 'GET', undefined, true);
  }

  /** A POST, sent exactly once: its dispatcher has no retry interceptor. */
  write(spec: CallSpec & { body: RequestBody }): Promise<HttpResponse> {
    return this.#send(spec, 'POST', spec.body, false);
  }

  async #send(spec: CallSpec, method: 'GET' | 'POST', body: RequestBody | undefined, retry: boolean) {
    // A timer cleared when the call ends, not AbortSignal.timeout: that one stays armed for the whole
    // timeout after the call is over and costs more per call (bench/RESULTS.md, benchmark 3).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeoutReason()), this.timeoutMs);
    timer.unref();
    const signal = spec.signal ? AbortSignal.any([spec.signal, deadline.signal]) : deadline.signal;
    const deadlineAt = Date.now() + this.timeoutMs;
    const base = this.#base ?? sharedAgent();
    const dispatcher = retry ? withRetry(base) : base;
    const url = new URL(this.target.apiBase + spec.path);
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers: this.#headers(body),
        body: encodeBody(body),
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        ...(retry ? { retryOptions: { retry: retryPolicy(deadlineAt, signal) } } : {}),
      } as Dispatcher.RequestOptions);
      const text = await readCapped(response.body, response.headers, this.#context(spec.operation));
      // undici frees the socket a macrotask after the body ends; yielding once lets the next sequential
      // call reuse it instead of opening a second connection to the same origin.
      await new Promise((resolve) => setImmediate(resolve));
      return {
        status: response.statusCode,
        headers: response.headers,
        body: parseBody(text, response.statusCode, this.#context(spec.operation)),
      };
    } catch (error) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      throw this.#mapError(error, spec.operation, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  #headers(body: RequestBody | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (this.#authorization) headers.authorization = this.#authorization;
    if (body && 'json' in body) headers['content-type'] = 'application/json';
    if (body && 'form' in body) headers['content-type'] = 'application/x-www-form-urlencoded';
    return headers;
  }

  #context(operation: string): { target: string; operation: string } {
    return { target: this.target.name, operation };
  }

  #mapError(error: unknown, operation: string, deadlinePassed: boolean): OtsError {
    if (error instanceof OtsError) return error;
    const target = this.target.name;
    const code = (error as { code?: unknown }).code;
    if (deadlinePassed || (typeof code === 'string' && TIMEOUT_ERROR_CODES.has(code))) {
      return new TimeoutError(
        `No answer from ${target} within ${formatSeconds(this.timeoutMs)} (${operation}). ` +
          'Check your network and the service status, or allow more time (timeout)' +
          (WRITES.has(operation)
            ? '. The server may have done it all the same, and this call is never retried automatically: check the receipt before trying again.'
            : '.'),
        { target, cause: error },
      );
    }
    const reason = typeof code === 'string' ? code : 'connection failed';
    return new NetworkError(
      `Could not reach ${target} (${reason}) for ${operation}. Check the region or domain, your network and proxy; ` +
        (WRITES.has(operation)
          ? 'this call is never retried automatically, so check the result before trying again.'
          : 'try again later.'),
      { target, cause: error },
    );
  }
}

/** What AbortSignal.timeout aborts with, so callers see the same reason. */
function timeoutReason(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function encodeBody(body: RequestBody | undefined): string | undefined {
  if (body === undefined) return undefined;
  return 'json' in body ? JSON.stringify(body.json) : body.form.toString();
}

type RetryCallback = (error: Error | null) => void;
type RetryContext = { state: { counter: number }; opts: { method?: string } };

/**
 * The retry decision for one read: only network errors, 429 and 5xx; at most MAX_RETRIES; a jittered
 * exponential backoff, or the server's Retry-After (capped); never waiting past the call's deadline.
 * The wait ends early when the call is aborted.
 */
function retryPolicy(deadlineAt: number, signal: AbortSignal) {
  return (error: Error, { state, opts }: RetryContext, callback: RetryCallback): void => {
    const { statusCode, code, headers } = error as {
      statusCode?: number;
      code?: string;
      headers?: Record<string, string | string[] | undefined>;
    };
    const retriable =
      statusCode !== undefined
        ? RETRY_STATUS.has(statusCode)
        : code !== undefined && RETRY_ERROR_CODES.has(code);
    if (!retriable || opts.method !== 'GET' || state.counter > MAX_RETRIES || signal.aborted) {
      callback(error);
      return;
    }
    const wait = retryDelayMs(state.counter, headers?.['retry-after']);
    if (wait === undefined || Date.now() + wait >= deadlineAt) {
      callback(error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      callback(error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      callback(null);
    }, wait);
    signal.addEventListener('abort', onAbort, { once: true });
  };
}

/** Milliseconds before retry number `attempt` (1-based); `undefined` when Retry-After is beyond the cap. */
export function retryDelayMs(attempt: number, retryAfter: string | string[] | undefined): number | undefined {
  const serverMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  if (serverMs !== undefined)
    return serverMs > MAX_RETRY_AFTER_MS ? undefined : serverMs + Math.random() * 100;
  const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Reads at most MAX_BODY_BYTES; beyond that the body is destroyed, not drained. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  headers: Record<string, string | string[] | undefined>,
  context: { target: string; operation: string },
): Promise<string> {
  const tooBig = () => {
    body.destroy();
    return new BadResponseError(
      `${context.target} sent a response over ${MAX_BODY_BYTES / 1024 / 1024} MiB for ${context.operation}, ` +
        'which is not an OTS API answer. Check that the domain points at an Onetime Secret server.',
      { target: context.target },
    );
  };
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooBig();
  // A declared length within the cap bounds the body (the parser reads no further): read it whole,
  // which is cheaper than iterating the stream (bench/RESULTS.md, benchmark 3).
  if (Number.isFinite(declared) && headers['content-length'] !== '') return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooBig();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty or blank body fails JSON.parse too, so one try covers both. */
function parseBody(text: string, status: number, context: { target: string; operation: string }): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (status >= 200 && status < 300) throw notJson(context, status);
    return undefined;
  }
}

function notJson(context: { target: string; operation: string }, status: number): BadResponseError {
  return new BadResponseError(
    `${context.target} answered ${context.operation} with HTTP ${status} but no JSON (a proxy or login page?). ` +
      'Check that the region or domain points at an Onetime Secret API.',
    { target: context.target, httpStatus: status },
  );
}
