/**
 * Fault rules: which request gets which fault, and the faults themselves. The first active rule that
 * matches a request applies; a rule with `times` is dropped once used up.
 */
import { STATUS_CODES } from 'node:http';
import { hostnameOf, type RequestContext, sendJson } from './http.js';
import type { FaultKind, FaultRule } from './types.js';
import { v1Error } from './v1.js';

const FAULT_KINDS: readonly FaultKind[] = [
  'status',
  'rate-limit',
  'not-ready',
  'hang',
  'reset',
  'invalid-json',
  'oversized',
  'status-word',
  'json',
  'echo',
];

const DEFAULT_OVERSIZED_BYTES = 2 * 1024 * 1024;
const MAX_OVERSIZED_BYTES = 256 * 1024 * 1024;

/** The endpoints whose answer carries the status word (docs/ots-api.md 1.3, 2.3). */
const STATUS_PATHS = new Set(['/api/v1/status', '/api/v1/authcheck', '/api/v2/status', '/api/v3/status']);

function fail(message: string): never {
  throw new TypeError(`Invalid fault rule: ${message}`);
}

function checkCount(rule: Record<string, unknown>, name: string, min: number, max: number): void {
  const value = rule[name];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`"${name}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

function checkText(rule: Record<string, unknown>, name: string): void {
  const value = rule[name];
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    fail(`"${name}" must be a non-empty string, got ${JSON.stringify(value)}`);
  }
}

const KNOWN_FIELDS = new Set([
  'path',
  'host',
  'method',
  'latencyMs',
  'fault',
  'status',
  'retryAfter',
  'bytes',
  'statusWord',
  'body',
  'times',
]);

/** Checks an untrusted rule (admin interface, options) and returns a clean copy. Throws TypeError. */
export function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('expected a JSON object');
  const rule = input as Record<string, unknown>;
  const unknown = Object.keys(rule).filter((name) => !KNOWN_FIELDS.has(name));
  if (unknown.length > 0)
    fail(`unknown field(s) ${unknown.join(', ')}; allowed: ${[...KNOWN_FIELDS].join(', ')}`);
  for (const name of ['path', 'host', 'method', 'statusWord']) checkText(rule, name);
  if (rule.fault !== undefined && !FAULT_KINDS.includes(rule.fault as FaultKind)) {
    fail(`"fault" must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(rule.fault)}`);
  }
  checkCount(rule, 'latencyMs', 0, 600_000);
  checkCount(rule, 'status', 100, 599);
  checkCount(rule, 'retryAfter', 0, 86_400);
  checkCount(rule, 'bytes', 1, MAX_OVERSIZED_BYTES);
  checkCount(rule, 'times', 1, 1_000_000);
  if (rule.body !== undefined && rule.fault !== 'json') fail('"body" belongs to the json fault only');
  if (rule.fault === undefined && rule.latencyMs === undefined)
    fail('give a "fault", a "latencyMs", or both');
  return structuredClone(rule) as FaultRule;
}

/**
 * Whether `text` matches a glob where `*` is any run of characters. No regular expression (a backtracking
 * one takes exponential time on `*a*a*a...b`): the literal parts are found left to right, each at its
 * first place after the previous one, which is the right answer for `*`-only globs, in O(length) scans.
 */
export function globMatches(glob: string, text: string): boolean {
  const parts = glob.split('*');
  const first = parts[0] ?? '';
  if (parts.length === 1) return glob === text;
  const last = parts[parts.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last))
    return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

interface ActiveRule {
  rule: FaultRule;
  path: string | null;
}

export interface FaultTarget {
  method: string;
  path: string;
  host: string;
}

function hostMatches(wanted: string, host: string): boolean {
  const lower = wanted.toLowerCase();
  // A rule host without a port matches that host on any port.
  return lower === host.toLowerCase() || lower === hostnameOf(host);
}

export class FaultSet {
  #rules: ActiveRule[] = [];

  add(input: unknown): void {
    const rule = validateFaultRule(input);
    this.#rules.push({ rule, path: rule.path ?? null });
  }

  clear(): number {
    const count = this.#rules.length;
    this.#rules = [];
    return count;
  }

  list(): FaultRule[] {
    return this.#rules.map(({ rule }) => structuredClone(rule));
  }

  /** The first matching rule, with one use taken from it. */
  take(target: FaultTarget): FaultRule | undefined {
    const active = this.#rules.find((candidate) => this.#matches(candidate, target));
    if (!active) return undefined;
    if (active.rule.times !== undefined) {
      active.rule.times -= 1;
      if (active.rule.times <= 0) this.#rules = this.#rules.filter((other) => other !== active);
    }
    return structuredClone(active.rule);
  }

  #matches({ rule, path }: ActiveRule, target: FaultTarget): boolean {
    if (path !== null && !globMatches(path, target.path)) return false;
    if (rule.method && rule.method.toUpperCase() !== target.method) return false;
    if (rule.host && !hostMatches(rule.host, target.host)) return false;
    // A status word can only show on a status endpoint; elsewhere the rule waits.
    return rule.fault !== 'status-word' || STATUS_PATHS.has(target.path);
  }
}

/** v2 and v3 share the ADR-013 wire format (docs/ots-api.md 2.1; 9.5). */
function isV2(ctx: RequestContext): boolean {
  return ctx.path.startsWith('/api/v2/') || ctx.path.startsWith('/api/v3/');
}

function serverError(ctx: RequestContext, status: number): void {
  const error = STATUS_CODES[status] ?? 'Internal Server Error';
  sendJson(ctx.res, status, isV2(ctx) ? { error, error_type: 'ServerError' } : { error });
}

/** The limit a rate-limit fault reports as `max_attempts` (v1's creation limit, 1.10). */
const FAULT_MAX_ATTEMPTS = 1000;

/**
 * v2/v3: 429 `LimitExceeded` with `retry_after`, `max_attempts` and `Retry-After`. v1 never sends 429:
 * its limiter answers 404 with its message (intended 400 since v0.24), and no Retry-After (1.10).
 */
function rateLimited(ctx: RequestContext, retryAfter: number): void {
  if (!isV2(ctx)) {
    ctx.req.resume();
    v1Error(ctx, ctx.profile.v1RateLimitMessage);
    return;
  }
  const body = {
    error: 'Rate limit exceeded. Please try again later.',
    error_type: 'LimitExceeded',
    retry_after: retryAfter,
    max_attempts: FAULT_MAX_ATTEMPTS,
  };
  sendJson(ctx.res, 429, body, { 'Retry-After': retryAfter });
}

/** What a booting server answers on any `/api/*` path (docs/ots-api.md 3, `startup_readiness.rb`). */
function notReady(ctx: RequestContext): void {
  sendJson(ctx.res, 503, {
    status: 'not_ready',
    error: {
      code: 'CONFIGURATION_INCOMPLETE',
      title: 'Service starting',
      message: 'The application is starting up and not ready to serve requests.',
      details: 'Injected by the onetime-kit sandbox.',
    },
    timestamp: new Date(ctx.nowMs()).toISOString(),
  });
}

function invalidJson(ctx: RequestContext): void {
  // Labelled JSON on purpose: a client must not trust the content type alone.
  const body = '<html><body><h1>502 Bad Gateway</h1></body></html>';
  ctx.res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  ctx.res.end(body);
}

/** One shared chunk of padding: every oversized answer writes views of it, never a copy. */
const PADDING = Buffer.alloc(64 * 1024, 'x');

/**
 * 200 with a JSON-looking body of `bytes` bytes, streamed with back-pressure: it waits for `drain`
 * whenever the socket's buffer is full, so a client that stalls holds one chunk of memory, not the body.
 */
async function oversized(ctx: RequestContext, bytes: number): Promise<void> {
  const head = '{"status":"nominal","padding":"';
  const tail = '"}';
  const padding = Math.max(0, bytes - head.length - tail.length);
  const total = head.length + padding + tail.length;
  const { res } = ctx;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': total });
  res.write(head);
  for (let left = padding; left > 0; left -= PADDING.length) {
    if (res.destroyed) return;
    const more = res.write(left >= PADDING.length ? PADDING : PADDING.subarray(0, left));
    if (!more)
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
  }
  if (!res.destroyed) res.end(tail);
}

const MAX_ECHOED_BYTES = 64 * 1024;

async function echo(ctx: RequestContext): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_ECHOED_BYTES) chunks.push(chunk as Buffer);
  }
  const query = ctx.rawQuery === '' ? '' : `?${ctx.rawQuery}`;
  const auth = ctx.req.headers.authorization ?? '';
  const text = `Invalid request ${ctx.method} ${ctx.path}${query} (${auth}): ${Buffer.concat(chunks).toString('utf8')}`;
  if (isV2(ctx)) sendJson(ctx.res, 422, { error: text, error_type: 'FormError' });
  else sendJson(ctx.res, 404, { message: text }, { 'X-OTS-Intended-Status': 400 });
}

/** Applies the fault. Returns true when it answered (or withheld) the request, false to carry on. */
export function applyFault(ctx: RequestContext, rule: FaultRule): boolean {
  switch (rule.fault) {
    case undefined:
      return false;
    case 'status-word':
      ctx.statusWord = rule.statusWord ?? 'offline';
      return false;
    case 'status':
      serverError(ctx, rule.status ?? 500);
      return true;
    case 'rate-limit':
      rateLimited(ctx, rule.retryAfter ?? 1);
      return true;
    case 'not-ready':
      notReady(ctx);
      return true;
    case 'hang':
      // Headers are never sent; stop() destroys the socket.
      return true;
    case 'reset':
      ctx.req.socket.resetAndDestroy();
      return true;
    case 'invalid-json':
      invalidJson(ctx);
      return true;
    case 'oversized':
      ctx.req.resume();
      oversized(ctx, rule.bytes ?? DEFAULT_OVERSIZED_BYTES).catch(() => ctx.res.destroy());
      return true;
    case 'echo':
      echo(ctx).catch(() => ctx.res.destroy());
      return true;
    case 'json':
      ctx.req.resume();
      sendJson(ctx.res, rule.status ?? 200, rule.body ?? {});
      return true;
  }
}
