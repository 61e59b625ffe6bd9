/**
 * The default Sender, on undici: one keep-alive agent per process (one pool per origin, shared by
 * every client), made on first use. Reads are retried by the loop both senders share (sendWithRetries
 * in src/http/transport.ts), which sends a write exactly once.
 *
 * With HTTPS_PROXY / HTTP_PROXY set, that agent is undici's EnvHttpProxyAgent: a call to a host not in
 * NO_PROXY is tunnelled through the proxy (still one pool per origin, each connection a tunnel), and
 * a failure at the proxy is an error naming the proxy's origin (src/http/proxy.ts).
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { NetworkError } from '../errors.js';
import { hasProxy, type ProxySettings, proxyFailure, proxyFor, proxySettings } from './proxy.js';
import { type RetryReader, sendWithRetries } from './retry.js';
import {
  MAX_TIMEOUT_MS,
  type Sender,
  type SendRequest,
  type SentResponse,
  socketFreed,
} from './transport.js';
import { undiciRead } from './undici-read.js';

let processAgent: Dispatcher | undefined;
let processProxies: ProxySettings | undefined;

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

/** A Sender on `dispatcher`, or on the process-wide agent when none is given. */
export function undiciSender(dispatcher?: Dispatcher): Sender {
  return async (request) => {
    const base = dispatcher ?? sharedAgent();
    // A dispatcher given by the caller decides its own route; only the shared agent follows the env.
    const proxies = dispatcher === undefined ? processProxies : undefined;
    const options = dispatchOptions(request);
    try {
      const response = await sendWithRetries(request, () => undiciRead(base, options, request), READ);
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

/** undiciRead has read the whole (small) body already, so a response dropped for a retry needs no freeing. */
const READ: RetryReader<SentResponse> = {
  status: (response) => response.status,
  retryAfter: (response) => response.headers['retry-after'],
  discard: async () => undefined,
};
