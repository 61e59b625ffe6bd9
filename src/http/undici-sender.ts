/**
 * The default Sender, on undici: one keep-alive agent per process (one pool per origin, shared by
 * every client), made on first use. Reads go through undici's retry interceptor; writes go through the
 * plain dispatcher, so they are structurally never sent twice.
 *
 * With HTTPS_PROXY / HTTP_PROXY set, that agent is undici's EnvHttpProxyAgent: a call to a host not in
 * NO_PROXY is tunnelled through the proxy (still one pool per origin, each connection a tunnel), and
 * a failure at the proxy is an error naming the proxy's origin (src/http/proxy.ts).
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent, interceptors } from 'undici';
import type { NetworkError } from '../errors.js';
import { hasProxy, type ProxySettings, proxyFailure, proxyFor, proxySettings } from './proxy.js';
import {
  bodyTooBig,
  type CallContext,
  declaredTooBig,
  type Headers,
  MAX_BODY_BYTES,
  MAX_RETRIES,
  MAX_TIMEOUT_MS,
  RETRY_ERROR_CODES,
  RETRY_STATUS,
  retryWaitMs,
  type Sender,
  type SendRequest,
  socketFreed,
  waitUnlessAborted,
} from './transport.js';

let processAgent: Dispatcher | undefined;
let processProxies: ProxySettings | undefined;
const retrying = new WeakMap<Dispatcher, Dispatcher>();

/**
 * The process-wide keep-alive agent, created on first use (importing the library does no work), with
 * the proxy settings of the environment at that moment. Throws a ValidationError for a malformed proxy
 * variable.
 */
export function sharedAgent(): Dispatcher {
  if (processAgent) return processAgent;
  const proxies = proxySettings();
  // Connecting is bounded by each call's own deadline (its abort signal), so the agent's connect timeout
  // is only the outer limit: a fixed 10 s here would cut short a call given a longer timeout.
  const options = { keepAliveTimeout: 30_000, connect: { timeout: MAX_TIMEOUT_MS } };
  processAgent = hasProxy(proxies)
    ? new EnvHttpProxyAgent({
        ...options,
        httpProxy: proxies.httpProxy,
        httpsProxy: proxies.httpsProxy,
        noProxy: proxies.noProxy,
      })
    : new Agent(options);
  processProxies = proxies;
  return processAgent;
}

/** Closes the process-wide agent (tests, or a CLI that wants to exit without waiting for idle sockets). */
export async function closeSharedAgent(): Promise<void> {
  const agent = processAgent;
  processAgent = undefined;
  processProxies = undefined;
  await agent?.close();
}

/** The same dispatcher with undici's retry interceptor on top; the per-call policy comes with each request. */
function withRetry(base: Dispatcher): Dispatcher {
  let composed = retrying.get(base);
  if (!composed) {
    // Every read brings its own `retry` decision (retryPolicy), which checks the count itself; the
    // interceptor only has to hand the last answer back rather than throw on its status.
    composed = base.compose(interceptors.retry({ throwOnError: false }));
    retrying.set(base, composed);
  }
  return composed;
}

/** A Sender on `dispatcher`, or on the process-wide agent when none is given. */
export function undiciSender(dispatcher?: Dispatcher): Sender {
  return async (request) => {
    const base = dispatcher ?? sharedAgent();
    // A dispatcher given by the caller decides its own route; only the shared agent follows the env.
    const proxies = dispatcher === undefined ? processProxies : undefined;
    let response: Dispatcher.ResponseData;
    try {
      response = await (request.retry ? withRetry(base) : base).request(requestOptions(request));
    } catch (error) {
      throw (proxies && proxyError(error, request, proxies)) || error;
    }
    const text = await readCapped(response.body, response.headers, request.context);
    await socketFreed();
    return { status: response.statusCode, headers: response.headers, text };
  };
}

/** A failure of a call sent through a proxy, as the error naming the proxy; looked up only on failure. */
function proxyError(error: unknown, request: SendRequest, proxies: ProxySettings): NetworkError | undefined {
  const proxy = proxyFor(request.url, proxies);
  return proxy === undefined ? undefined : proxyFailure(error, proxy, request.context);
}

function requestOptions(request: SendRequest): Dispatcher.RequestOptions {
  const { url, signal } = request;
  const options = {
    origin: url.origin,
    path: url.pathname + url.search,
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.timeoutMs,
  } as Dispatcher.RequestOptions & { retryOptions?: object };
  if (request.retry) options.retryOptions = { retry: retryPolicy(request.deadlineAt, signal) };
  return options;
}

type RetryCallback = (error: Error | null) => void;
type RetryContext = { state: { counter: number } };

/**
 * The retry decision for one read, as undici's retry interceptor asks for it: only network errors, 429
 * and 5xx; at most MAX_RETRIES; the wait of `retryWaitMs`, which ends early when the call is aborted.
 * Only reads reach it: writes go to the plain dispatcher.
 */
function retryPolicy(deadlineAt: number, signal: AbortSignal) {
  return (error: Error, { state }: RetryContext, callback: RetryCallback): void => {
    const { statusCode, code, headers } = error as { statusCode?: number; code?: string; headers?: Headers };
    const retriable =
      statusCode !== undefined
        ? RETRY_STATUS.has(statusCode)
        : code !== undefined && RETRY_ERROR_CODES.has(code);
    const wait =
      retriable && state.counter <= MAX_RETRIES
        ? retryWaitMs(state.counter, headers?.['retry-after'], deadlineAt, signal)
        : undefined;
    if (wait === undefined) {
      callback(error);
      return;
    }
    void waitUnlessAborted(wait, signal).then((waited) => callback(waited ? null : error));
  };
}

/** Reads at most MAX_BODY_BYTES; beyond that the body is destroyed, not drained. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  headers: Headers,
  context: CallContext,
): Promise<string> {
  const contentLength = headers['content-length'];
  const declared = typeof contentLength === 'string' ? contentLength : undefined;
  if (declaredTooBig(declared)) {
    body.destroy();
    throw bodyTooBig(context);
  }
  // A declared length within the cap bounds the body (the parser reads no further): read it whole,
  // which is cheaper than iterating the stream (bench/RESULTS.md, benchmark 3).
  if (declared !== undefined && declared !== '' && Number.isFinite(Number(declared))) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw bodyTooBig(context);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
