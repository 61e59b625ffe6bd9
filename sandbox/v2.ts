/**
 * API v2 (`/api/v2`), as docs/ots-api.md section 2 describes it. Route auth: `none` is never evaluated
 * (status), `optional` is Basic or anonymous but fails closed on bad credentials (401, since 2026-07),
 * `required` needs a valid account, `guest` is anonymous only and ignores any header.
 */
import { type Caller, callerFor } from './auth.js';
import { readParams, stringParam } from './body.js';
import { type GuestOperation, refuseDisabledGuest } from './guest.js';
import { invalidMultipart, type RequestContext, resolveLocale, type Services, sanitizeKey } from './http.js';
import {
  v2AuthRequired,
  v2BadPayload,
  v2RecordNotFound,
  v2RouteNotFound,
  v2Send,
  v3SessionRequired,
} from './v2-answers.js';
import { burnReceipt, recentReceipts, showReceipt } from './v2-receipts.js';
import { createSecret, listSecretStatus, secretStatus, showSecret, type V2Call } from './v2-secrets.js';

export type RouteAuth = 'none' | 'optional' | 'required' | 'guest' | 'session';

export interface V2Route {
  method: string;
  pattern: RegExp;
  auth: RouteAuth;
  /** The guest switch that gates anonymous calls (guest.ts). */
  guest?: GuestOperation;
  handler: (call: V2Call) => void;
}

const LOCALES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'ja', 'da', 'sv', 'uk', 'bg', 'pl'];

function status({ ctx, params }: V2Call): void {
  const locale = resolveLocale(stringParam(params, 'locale'), ctx.req.headers['accept-language']);
  // v0.23.6 answered without `success` (docs/ots-api.md 2.3).
  const success = ctx.profile.line === '0.23' ? {} : { success: true };
  v2Send(ctx, 200, { ...success, status: ctx.statusWord, locale });
}

/** The version this sandbox imitates (`OT::VERSION.to_a`, docs/ots-api.md 2.3), from the server profile. */
function version({ ctx }: V2Call): void {
  v2Send(ctx, 200, { success: true, version: ctx.profile.version, locale: 'en' });
}

export function supportedLocales({ ctx }: V2Call): void {
  v2Send(ctx, 200, { success: true, locales: LOCALES, default_locale: 'en', locale: 'en' });
}

/** CORS preflight: answered, but without any `Access-Control-*` header (docs/ots-api.md 2.2). */
export function preflight({ ctx }: V2Call): void {
  ctx.res.writeHead(204).end();
}

export const conceal = (call: V2Call) => createSecret(call, 'conceal');
export const generate = (call: V2Call) => createSecret(call, 'generate');
const ID = '([^/]+)';
const RECEIPT = '(?:receipt|private)';

const guest = (method: string, pattern: RegExp, name: GuestOperation, handler: V2Route['handler']) =>
  ({ method, pattern, auth: 'guest', guest: name, handler }) satisfies V2Route;

/**
 * The anonymous `/guest/` routes, the same in v2 and v3 (v3.ts). No other route's path starts with
 * `/guest/`, so where they stand in a table does not change what matches.
 */
export const GUEST_ROUTES: V2Route[] = [
  guest('POST', /^\/guest\/secret\/conceal$/, 'conceal', conceal),
  guest('POST', /^\/guest\/secret\/generate$/, 'generate', generate),
  guest('POST', new RegExp(`^/guest/secret/${ID}/reveal$`), 'reveal', showSecret),
  guest('GET', new RegExp(`^/guest/secret/${ID}$`), 'show', showSecret),
  guest('GET', new RegExp(`^/guest/receipt/${ID}$`), 'receipt', showReceipt),
  guest('POST', new RegExp(`^/guest/receipt/${ID}/burn$`), 'burn', burnReceipt),
];

/** Order matters: fixed paths before `:id`. The `/guest/` forms of the same calls are GUEST_ROUTES. */
export const ROUTES: V2Route[] = [
  { method: 'GET', pattern: /^\/status$/, auth: 'none', handler: status },
  { method: 'GET', pattern: /^\/version$/, auth: 'required', handler: version },
  { method: 'GET', pattern: /^\/supported-locales$/, auth: 'none', handler: supportedLocales },
  { method: 'OPTIONS', pattern: /^\/secret\/(?:conceal|generate)$/, auth: 'none', handler: preflight },
  { method: 'POST', pattern: /^\/secret\/conceal$/, auth: 'optional', guest: 'conceal', handler: conceal },
  { method: 'POST', pattern: /^\/secret\/generate$/, auth: 'optional', guest: 'generate', handler: generate },
  { method: 'POST', pattern: /^\/secret\/status$/, auth: 'optional', handler: listSecretStatus },
  { method: 'GET', pattern: new RegExp(`^/secret/${ID}/status$`), auth: 'optional', handler: secretStatus },
  {
    method: 'POST',
    pattern: new RegExp(`^/secret/${ID}/reveal$`),
    auth: 'optional',
    guest: 'reveal',
    handler: showSecret,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/secret/${ID}$`),
    auth: 'optional',
    guest: 'show',
    handler: showSecret,
  },
  { method: 'GET', pattern: new RegExp(`^/${RECEIPT}/recent$`), auth: 'required', handler: recentReceipts },
  {
    method: 'GET',
    pattern: new RegExp(`^/${RECEIPT}/${ID}$`),
    auth: 'optional',
    guest: 'receipt',
    handler: showReceipt,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/${RECEIPT}/${ID}/burn$`),
    auth: 'optional',
    guest: 'burn',
    handler: burnReceipt,
  },
  ...GUEST_ROUTES,
];

export function findRoute(
  routes: readonly V2Route[],
  method: string,
  subPath: string,
): { route: V2Route; rawKey?: string } | undefined {
  for (const route of routes) {
    const match = route.method === method ? route.pattern.exec(subPath) : null;
    if (match) return { route, rawKey: match[1] };
  }
  return undefined;
}

/**
 * The caller, or undefined when the 401 has already been sent. Before 2026-07-29 (the 0.23 and 0.24
 * profiles) bad credentials on an anonymous-capable route silently became anonymous.
 */
function authorize(ctx: RequestContext, services: Services, auth: RouteAuth): Caller | undefined {
  if (auth === 'none' || auth === 'guest') return { kind: 'anonymous' };
  if (auth === 'session') {
    // v3's `sessionauth` reads only the web session cookie, never Authorization (v3.ts).
    v3SessionRequired(ctx);
    return undefined;
  }
  const caller = callerFor(
    services.accounts.evaluate(ctx.req.headers.authorization, ctx.host, ctx.hostname),
    ctx.path,
    services.anonymousOnBadCredentials,
  );
  if (caller.kind === 'invalid' && auth === 'optional' && !ctx.profile.v2FailClosed) {
    return { kind: 'anonymous' };
  }
  if (caller.kind === 'invalid') {
    v2AuthRequired(ctx, caller.reason);
    return undefined;
  }
  if (auth === 'required' && caller.kind !== 'account') {
    v2AuthRequired(ctx, 'missing');
    return undefined;
  }
  return caller;
}

/** Routes one v2 or v3 request (v3 passes its own table; v3.ts). */
export async function dispatchV2(
  ctx: RequestContext,
  services: Services,
  routes: readonly V2Route[],
  version: 'v2' | 'v3',
): Promise<void> {
  const found = findRoute(routes, ctx.method, ctx.path.slice(`/api/${version}`.length));
  if (!found) return v2RouteNotFound(ctx);
  const caller = authorize(ctx, services, found.route.auth);
  if (!caller) return;
  if (refuseDisabledGuest(ctx, services.guestRoutes, found.route.guest, caller)) return;
  const key = found.rawKey === undefined ? '' : sanitizeKey(found.rawKey);
  if (found.rawKey !== undefined && key === '') return v2RecordNotFound(ctx);
  const parsed = await readParams(ctx.req, ctx.rawQuery, undefined, ctx.profile.multipart);
  if (!parsed.ok && parsed.problem === 'multipart') return invalidMultipart(ctx, parsed.reason);
  if (!parsed.ok) return v2BadPayload(ctx, parsed.problem);
  found.route.handler({ ctx, services, params: parsed.params, caller, key, version });
}

export function handleV2(ctx: RequestContext, services: Services): Promise<void> {
  return dispatchV2(ctx, services, ROUTES, 'v2');
}

/**
 * Anything under `/api/` that is not v1, v2 or (on the 0.26 line) v3: v3 shares v2's ADR-013 wire format, whose unknown-route 404 carries
 * `error_type` (docs/ots-api.md 2.1); only v1's own router answers the bare `{"error":"Not Found"}` (1.1).
 */
export function handleUnknownApi(ctx: RequestContext): void {
  ctx.req.resume();
  v2RouteNotFound(ctx);
}
