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
import {
  bodyTooBig,
  type CallContext,
  declaredTooBig,
  type Headers,
  MAX_BODY_BYTES,
  MAX_TIMEOUT_MS,
  type RetryReader,
  type Sender,
  type SendRequest,
  sendWithRetries,
  socketFreed,
} from './transport.js';

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
    const options = requestOptions(request);
    let response: Dispatcher.ResponseData;
    try {
      response = await sendWithRetries(request, () => base.request(options), UNDICI_RESPONSES);
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
  const proxy = proxyFor(new URL(request.origin + request.path), proxies);
  return proxy === undefined ? undefined : proxyFailure(error, proxy, request.context);
}

function requestOptions(request: SendRequest): Dispatcher.RequestOptions {
  return {
    origin: request.origin,
    path: request.path,
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.timeoutMs,
  };
}

const UNDICI_RESPONSES: RetryReader<Dispatcher.ResponseData> = {
  status: (response) => response.statusCode,
  retryAfter: (response) => response.headers['retry-after'],
  // Reads what is left of a small body so the connection stays in the pool (a large one is closed).
  discard: (response) => response.body.dump().catch(() => undefined),
};

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
