/**
 * The default Sender, on undici: one keep-alive agent per process (one pool per origin, shared by
 * every client), made on first use. Reads go through undici's retry interceptor composed over that
 * agent (or over the caller's dispatcher), each read with its own `retry` decision built from the rules
 * in src/http/retry.ts; writes go to the plain dispatcher, so they are structurally never sent twice.
 *
 * With HTTPS_PROXY / HTTP_PROXY set, that agent is undici's EnvHttpProxyAgent: a call to a host not in
 * NO_PROXY is tunnelled through the proxy (still one pool per origin, each connection a tunnel), and
 * a failure at the proxy is an error naming the proxy's origin (src/http/proxy.ts).
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent, interceptors, type RetryHandler } from 'undici';
import type { NetworkError } from '../errors.js';
import { hasProxy, type ProxySettings, proxyFailure, proxyFor, proxySettings } from './proxy.js';
import { type RetryAfter, waitAfterError, waitAfterStatus, waitUnlessAborted } from './retry.js';
import { MAX_TIMEOUT_MS, type Sender, type SendRequest, socketFreed } from './transport.js';
import { undiciRead } from './undici-read.js';

/** The agent and the same agent behind the retry interceptor: writes take the first, reads the second. */
interface Route {
  writes: Dispatcher;
  reads: Dispatcher;
}

let processRoute: Route | undefined;
let processProxies: ProxySettings | undefined;

/**
 * The process-wide keep-alive agent and its retrying view, created on first use (importing the library
 * does no work), with the proxy settings of the environment at that moment. Throws a ValidationError for
 * a malformed proxy variable.
 */
function sharedRoute(): Route {
  if (processRoute) return processRoute;
  const proxies = proxySettings();
  // Connecting is bounded by each call's own deadline (its abort signal), so the agent's connect timeout
  // is only the outer limit: a fixed 10 s here would cut short a call given a longer timeout.
  const options = { keepAliveTimeout: 30_000, connect: { timeout: MAX_TIMEOUT_MS } };
  const agent = hasProxy(proxies)
    ? new EnvHttpProxyAgent({
        ...options,
        httpProxy: proxies.httpProxy,
        httpsProxy: proxies.httpsProxy,
        noProxy: proxies.noProxy,
      })
    : new Agent(options);
  processRoute = routeOver(agent);
  processProxies = proxies;
  return processRoute;
}

/** Closes the process-wide agent (tests, or a CLI that wants to exit without waiting for idle sockets). */
export async function closeSharedAgent(): Promise<void> {
  const route = processRoute;
  processRoute = undefined;
  processProxies = undefined;
  await route?.writes.close();
}

/**
 * `dispatcher` for writes, and composed with undici's retry interceptor for reads. Each read brings its
 * own `retry` decision (retryPolicy); with `throwOnError: false` the interceptor hands the last answer
 * (a 503 after the retries, say) to the reader as an answer rather than as an error.
 */
function routeOver(dispatcher: Dispatcher): Route {
  return { writes: dispatcher, reads: dispatcher.compose(interceptors.retry({ throwOnError: false })) };
}

/** A Sender on `dispatcher`, or on the process-wide agent when none is given. */
export function undiciSender(dispatcher?: Dispatcher): Sender {
  const own = dispatcher === undefined ? undefined : routeOver(dispatcher);
  return async (request) => {
    const route = own ?? sharedRoute();
    // A dispatcher given by the caller decides its own route; only the shared agent follows the env.
    const proxies = own === undefined ? processProxies : undefined;
    try {
      const response = request.retry
        ? await undiciRead(route.reads, readOptions(request), request)
        : await undiciRead(route.writes, dispatchOptions(request), request);
      await socketFreed();
      return response;
    } catch (error) {
      throw (proxies && proxyError(error, request, proxies)) || error;
    }
  };
}

/** A failure of a call sent through a proxy, as the error naming the proxy; looked up only on failure. */
function proxyError(error: unknown, request: SendRequest, proxies: ProxySettings): NetworkError | undefined {
  const proxy = proxyFor(new URL(request.origin + request.path), proxies);
  return proxy === undefined ? undefined : proxyFailure(error, proxy, request.context);
}

function dispatchOptions(request: SendRequest): Dispatcher.DispatchOptions {
  return {
    origin: request.origin,
    path: request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.timeoutMs,
  };
}

/** A read's options: what every request carries, and its retry decision for the interceptor. */
function readOptions(
  request: SendRequest,
): Dispatcher.DispatchOptions & { retryOptions: RetryHandler.RetryOptions } {
  return { ...dispatchOptions(request), retryOptions: { retry: retryPolicy(request) } };
}

/**
 * The retry decision for one read, as undici's retry interceptor asks for it after each failed attempt
 * (`counter` is that attempt's number, from 1): an answer carries its `statusCode` and headers, a
 * network failure its `code`. The rules and the wait are src/http/retry.ts's, as for the fetch sender.
 * An abort during the wait reaches the reader through the interceptor's controller, which ends the
 * call with the signal's reason; the wait then only stops its timer.
 */
function retryPolicy(request: SendRequest): RetryHandler.RetryCallback {
  return (error, { state }, callback) => {
    const { statusCode, headers } = error as { statusCode?: number; headers?: Record<string, RetryAfter> };
    const wait =
      statusCode === undefined
        ? waitAfterError(state.counter, error, request)
        : waitAfterStatus(state.counter, statusCode, headers?.['retry-after'], request);
    if (wait === undefined) callback(error);
    else void waitUnlessAborted(wait, request.signal).then((waited) => callback(waited ? null : error));
  };
}
