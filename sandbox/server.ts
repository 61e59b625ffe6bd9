/**
 * The HTTP server: counts connections and requests in flight, keeps the request log, applies faults,
 * and hands each request to the v1 or v2 routes. Stopping closes every socket, hung ones included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ADMIN_PREFIX, type AdminTarget, handleAdmin } from './admin.js';
import { Accounts } from './auth.js';
import { CreateLimiter } from './create-limit.js';
import { applyFault, FaultSet } from './faults.js';
import { hostnameOf, invalidMultipart, type RequestContext, type Services, sendJson } from './http.js';
import { loggedPath } from './log-path.js';
import { multipartHeaderProblem } from './multipart.js';
import { type ServerProfile, serverProfile } from './profiles.js';
import { SecretStore } from './store.js';
import type { RequestLogEntry, SandboxOptions, SandboxStats } from './types.js';
import { handleV1 } from './v1.js';
import { handleUnknownApi, handleV2 } from './v2.js';
import { handleV3 } from './v3.js';

const DEFAULT_LOG_LIMIT = 10_000;

/** Waits `ms`, or less if the client goes away first. Resolves false when it did. */
function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** `X-Forwarded-Proto` may say https (a proxy in front of the sandbox); anything else is http. */
function schemeOf(req: IncomingMessage): 'http' | 'https' {
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' ? 'https' : 'http';
}

function splitUrl(url: string): { path: string; rawQuery: string } {
  const mark = url.indexOf('?');
  return mark === -1
    ? { path: url, rawQuery: '' }
    : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) };
}

function createLimiterOf(limit: number | undefined, now: () => number): CreateLimiter | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`createLimit must be a whole number of creations of 1 or more, got ${limit}`);
  }
  return new CreateLimiter(limit, now);
}

export class SandboxServer implements AdminTarget {
  readonly faults = new FaultSet();
  readonly #server: Server;
  readonly #services: Services;
  readonly #now: () => number;
  readonly #logLimit: number;
  readonly #sockets = new Set<Socket>();
  /** Which stats generation last counted a socket, so a reset counts kept-alive sockets again. */
  readonly #socketGeneration = new WeakMap<Socket, number>();
  #log: RequestLogEntry[] = [];
  #generation = 0;
  #connections = 0;
  #requests = 0;
  #inFlight = 0;
  #peakInFlight = 0;
  #stopping: Promise<void> | undefined;

  readonly profile: ServerProfile;

  constructor(options: SandboxOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#logLimit = options.logLimit ?? DEFAULT_LOG_LIMIT;
    this.profile = serverProfile(options.server);
    this.#services = {
      store: new SecretStore(this.#now, this.profile.keyLength),
      accounts: new Accounts(options.accounts ?? []),
      anonymousOnBadCredentials: options.anonymousOnBadCredentials ?? false,
      v2Types: options.v2Types ?? this.profile.v2Types,
      profile: this.profile,
      createLimiter: createLimiterOf(options.createLimit, this.#now),
      guestRoutes: { ...options.guestRoutes },
    };
    for (const rule of options.faults ?? []) this.faults.add(rule);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#internalError(res, error));
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  requestLog(): readonly RequestLogEntry[] {
    return this.#log;
  }

  stats(): SandboxStats {
    return { connections: this.#connections, peakInFlight: this.#peakInFlight, requests: this.#requests };
  }

  resetStats(): void {
    this.#generation += 1;
    this.#log = [];
    this.#connections = 0;
    this.#requests = 0;
    this.#peakInFlight = this.#inFlight;
  }

  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = new Promise((resolve) => this.#server.close(() => resolve()));
      // Hung requests and kept-alive sockets would otherwise hold close() open.
      this.#server.closeAllConnections();
      for (const socket of this.#sockets) socket.destroy();
    }
    return this.#stopping;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, rawQuery } = splitUrl(req.url ?? '/');
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, path, this);
    const ctx = this.#context(req, res, path, rawQuery);
    this.#track(ctx);
    const rule = this.faults.take({ method: ctx.method, path, host: ctx.host });
    if (rule?.latencyMs && !(await waitUnlessClosed(rule.latencyMs, res))) return;
    const isApi = path === '/api' || path.startsWith('/api/');
    if (isApi && this.profile.apiCachePolicy) res.setHeader('Cache-Control', 'private, no-store');
    if (rule && applyFault(ctx, rule)) return;
    const multipartProblem = this.profile.multipart ? multipartHeaderProblem(req) : undefined;
    if (multipartProblem) return invalidMultipart(ctx, multipartProblem);
    if (path === '/api/v1' || path.startsWith('/api/v1/')) return handleV1(ctx, this.#services);
    if (path === '/api/v2' || path.startsWith('/api/v2/')) return handleV2(ctx, this.#services);
    if (this.profile.v3 && (path === '/api/v3' || path.startsWith('/api/v3/')))
      return handleV3(ctx, this.#services);
    if (isApi) return handleUnknownApi(ctx);
    req.resume();
    sendJson(res, 404, { error: 'Not Found' });
  }

  #context(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): RequestContext {
    const address = req.socket.localAddress ?? '127.0.0.1';
    const host = req.headers.host || `${address}:${req.socket.localPort}`;
    return {
      req,
      res,
      method: req.method ?? 'GET',
      path,
      rawQuery,
      host,
      hostname: hostnameOf(host),
      origin: `${schemeOf(req)}://${host}`,
      profile: this.profile,
      statusWord: 'nominal',
      nowMs: this.#now,
      nowSeconds: () => Math.floor(this.#now() / 1000),
    };
  }

  #track(ctx: RequestContext): void {
    const { req, res } = ctx;
    const generation = this.#generation;
    if (this.#socketGeneration.get(req.socket) !== generation) {
      this.#socketGeneration.set(req.socket, generation);
      this.#connections += 1;
    }
    this.#requests += 1;
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    const at = this.#now();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.#inFlight -= 1;
      if (generation !== this.#generation) return;
      this.#log.push({
        method: ctx.method,
        path: loggedPath(ctx.path),
        host: ctx.host,
        // Only whether credentials were sent, never their value.
        authenticated: req.headers.authorization !== undefined,
        status: res.headersSent ? res.statusCode : 0,
        at,
      });
      if (this.#log.length > this.#logLimit) this.#log.splice(0, this.#log.length - this.#logLimit);
    };
    res.once('finish', finish);
    res.once('close', finish);
  }

  #internalError(res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`onetime-kit sandbox: internal error: ${message}\n`);
    sendJson(res, 500, { error: 'Internal Server Error' });
  }
}
