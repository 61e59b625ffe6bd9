/**
 * HTTP for the core, whichever client sends it. A Transport owns what every call shares: the headers,
 * one deadline that covers retries, the body cap's error, JSON parsing and the mapping of network
 * failures to typed errors. A Sender does the sending: src/http/undici-sender.ts (undici's Agent and retry
 * interceptor, the default) or src/http/fetch-sender.ts (the runtime's fetch, for small bundles).
 *
 * Reads (GET) may be retried by the sender; writes (every other method) never are: a re-sent reveal
 * destroys a secret nobody read, a re-sent share leaves a second live copy.
 */
import { BadResponseError, NetworkError, OtsError, TimeoutError } from '../errors.js';
import type { Operation, Target } from '../types.js';
import { USER_AGENT } from '../version.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** The longest deadline a call may be given. */
export const MAX_TIMEOUT_MS = 600_000;
/** Bodies beyond this are refused without reading the rest. OTS answers are a few KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export type RequestBody = { json: unknown } | { form: URLSearchParams };

export type Headers = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` when the body was empty or not JSON (only possible for non-2xx). */
  body: unknown;
}

/** Names a call in messages: the target and the operation (`share`), never the path (it can hold a key). */
export interface CallContext {
  target: string;
  operation: Operation;
}

/** One request as a Sender gets it: ready to send, with the call's deadline. */
export interface SendRequest {
  /** `https://eu.onetimesecret.com`, as URL normalizes it. */
  origin: string;
  /** The path under the origin: `/api/v2/status`. */
  path: string;
  method: 'GET' | 'POST';
  /** Shared by every call of a Transport: read, never changed. */
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
  /** Aborts at the deadline or when the caller aborts. */
  signal: AbortSignal;
  timeoutMs: number;
  /** `Date.now()` value after which no retry may start. */
  deadlineAt: number;
  /** Whether this request may be sent again (reads only). */
  retry: boolean;
  context: CallContext;
}

/** A response as a Sender returns it: the body read (at most MAX_BODY_BYTES) as text. */
export interface SentResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends one request and reads the body it keeps; a read (`retry`) may be sent again under the rules of
 * src/http/retry.ts, a write never. It throws `bodyTooBig` for a body over MAX_BODY_BYTES, and a
 * network error as it is.
 */
export type Sender = (request: SendRequest) => Promise<SentResponse>;

export interface TransportOptions {
  timeoutMs?: number;
  /** The `Authorization` value, when the client has credentials. */
  authorization?: string;
}

/** One call: the method decides whether it is a write (anything but GET), sent once and never retried. */
export interface CallSpec {
  /** Names the call in messages (`share`, `reveal`): never the path, which can hold a key. */
  operation: Operation;
  method: 'GET' | 'POST';
  /** Under the target's `apiBase`: `/v2/status`. */
  path: string;
  body?: RequestBody;
  signal?: AbortSignal | undefined;
}

/** The request headers of each body kind, made once per Transport (every call reads, none writes). */
interface HeaderSets {
  none: Readonly<Record<string, string>>;
  json: Readonly<Record<string, string>>;
  form: Readonly<Record<string, string>>;
}

/** One target's HTTP access: reads (GET) retried by the sender, writes sent once. */
export class Transport {
  readonly target: Target;
  readonly timeoutMs: number;
  readonly #send: Sender;
  readonly #headers: HeaderSets;
  // The target's origin and API path, parsed once: call paths are fixed text and keys encoded as one
  // segment (src/api/api.ts keyPath), so joining them needs no URL parse per call.
  readonly #origin: string;
  readonly #apiPath: string;

  constructor(target: Target, send: Sender, options: TransportOptions = {}) {
    this.target = target;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#send = send;
    this.#headers = headerSets(options.authorization);
    const apiBase = new URL(target.apiBase);
    this.#origin = apiBase.origin;
    this.#apiPath = apiBase.pathname.replace(/\/+$/, '');
  }

  /** A read is retried on network errors, 429 and 5xx (at most twice, within the deadline); a write never. */
  async call(spec: CallSpec): Promise<HttpResponse> {
    const { body, signal: callerSignal } = spec;
    const write = spec.method !== 'GET';
    // A timer cleared when the call ends, not AbortSignal.timeout: that one stays armed for the whole
    // timeout after the call is over and costs more per call (bench/RESULTS.md, benchmark 3).
    const deadline = new AbortController();
    const timer = setTimeout(abortAtDeadline, this.timeoutMs, deadline);
    timer.unref();
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
    const context: CallContext = { target: this.target.name, operation: spec.operation };
    try {
      const response = await this.#send({
        origin: this.#origin,
        path: this.#apiPath + spec.path,
        method: spec.method,
        headers:
          body === undefined ? this.#headers.none : 'json' in body ? this.#headers.json : this.#headers.form,
        body: encodeBody(body),
        signal,
        timeoutMs: this.timeoutMs,
        deadlineAt: Date.now() + this.timeoutMs,
        retry: !write,
        context,
      });
      return {
        status: response.status,
        headers: response.headers,
        body: parseBody(response.text, response.status, context),
      };
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      throw this.#mapError(error, context, write, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  #mapError(error: unknown, context: CallContext, write: boolean, deadlinePassed: boolean): OtsError {
    if (error instanceof OtsError) return error;
    const { target, operation } = context;
    const code = errorCode(error);
    if (deadlinePassed || (code !== undefined && TIMEOUT_ERROR_CODES.has(code))) {
      return new TimeoutError(
        `No answer from ${target} within ${formatSeconds(this.timeoutMs)} (${operation}). ` +
          'Check your network and the service status, or allow more time (timeout)' +
          (write
            ? '. The server may have done it all the same, and this call is never retried automatically: check the receipt before trying again.'
            : '.'),
        { target, cause: error },
      );
    }
    return new NetworkError(
      `Could not reach ${target} (${code ?? 'connection failed'}) for ${operation}. Check the region or domain, your network and proxy; ` +
        (write
          ? 'this call is never retried automatically, so check the result before trying again.'
          : 'try again later.'),
      { target, cause: error },
    );
  }
}

function headerSets(authorization: string | undefined): HeaderSets {
  const none: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  if (authorization) none.authorization = authorization;
  return {
    none,
    json: { ...none, 'content-type': 'application/json' },
    form: { ...none, 'content-type': 'application/x-www-form-urlencoded' },
  };
}

function abortAtDeadline(deadline: AbortController): void {
  deadline.abort(timeoutReason());
}

/** The `code` of a network error (`ECONNRESET`, `UND_ERR_SOCKET`), also when fetch wraps it as `cause`. */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
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

/**
 * undici (the default Sender, and inside Node's fetch) frees a socket one macrotask after the body
 * ends: a Sender on it waits for that before it returns, so the next sequential call reuses the socket
 * instead of opening a second connection to the same origin (bench/RESULTS.md, benchmark 2).
 */
export function socketFreed(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The error a Sender throws for a body over MAX_BODY_BYTES (after it stopped reading). */
export function bodyTooBig(context: CallContext): BadResponseError {
  return new BadResponseError(
    `${context.target} sent a response over ${MAX_BODY_BYTES / 1024 / 1024} MiB for ${context.operation}, ` +
      'which is not an OTS API answer. Check that the domain points at an Onetime Secret server.',
    { target: context.target },
  );
}

/** A declared Content-Length over the cap: refuse before reading anything. */
export function declaredTooBig(contentLength: string | null | undefined): boolean {
  const declared = Number(contentLength);
  return contentLength !== '' && Number.isFinite(declared) && declared > MAX_BODY_BYTES;
}

/** An empty or blank body fails JSON.parse too, so one try covers both. */
function parseBody(text: string, status: number, context: CallContext): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (status >= 200 && status < 300) throw notJson(context, status);
    return undefined;
  }
}

function notJson(context: CallContext, status: number): BadResponseError {
  return new BadResponseError(
    `${context.target} answered ${context.operation} with HTTP ${status} but no JSON (a proxy or login page?). ` +
      'Check that the region or domain points at an Onetime Secret API.',
    { target: context.target, httpStatus: status },
  );
}
