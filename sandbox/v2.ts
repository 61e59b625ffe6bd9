/**
 * API v2 (`/api/v2`), as ots-api.md section 2 describes it. Route auth: `none` is never evaluated
 * (status), `optional` is Basic or anonymous but fails closed on bad credentials (401, since 2026-07),
 * `required` needs a valid account, `guest` is anonymous only and ignores any header.
 */
import { type Caller, callerFor } from './auth.js';
import { readParams, stringParam } from './body.js';
import { type RequestContext, resolveLocale, type Services, sanitizeKey } from './http.js';
import { v2AuthRequired, v2BadPayload, v2RecordNotFound, v2RouteNotFound, v2Send } from './v2-answers.js';
import { burnReceipt, recentReceipts, showReceipt } from './v2-receipts.js';
import { createSecret, listSecretStatus, secretStatus, showSecret, type V2Call } from './v2-secrets.js';

type RouteAuth = 'none' | 'optional' | 'required' | 'guest';

interface V2Route {
  method: string;
  pattern: RegExp;
  auth: RouteAuth;
  handler: (call: V2Call) => void;
}

/** The version this sandbox imitates (`OT::VERSION.to_a`, ots-api.md 2.3). */
const VERSION = [0, 26, 6];
const LOCALES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'ja', 'da', 'sv', 'uk', 'bg', 'pl'];

function status({ ctx, params }: V2Call): void {
  const locale = resolveLocale(stringParam(params, 'locale'), ctx.req.headers['accept-language']);
  v2Send(ctx, 200, { success: true, status: ctx.statusWord, locale });
}

function version({ ctx }: V2Call): void {
  v2Send(ctx, 200, { success: true, version: VERSION, locale: 'en' });
}

function supportedLocales({ ctx }: V2Call): void {
  v2Send(ctx, 200, { success: true, locales: LOCALES, default_locale: 'en', locale: 'en' });
}

/** CORS preflight: answered, but without any `Access-Control-*` header (ots-api.md 2.2). */
function preflight({ ctx }: V2Call): void {
  ctx.res.writeHead(204).end();
}

const conceal = (call: V2Call) => createSecret(call, 'conceal');
const generate = (call: V2Call) => createSecret(call, 'generate');
const ID = '([^/]+)';
const RECEIPT = '(?:receipt|private)';

/** Order matters: fixed paths before `:id`. Both normal and `/guest/` forms where the API has them. */
const ROUTES: V2Route[] = [
  { method: 'GET', pattern: /^\/status$/, auth: 'none', handler: status },
  { method: 'GET', pattern: /^\/version$/, auth: 'required', handler: version },
  { method: 'GET', pattern: /^\/supported-locales$/, auth: 'none', handler: supportedLocales },
  { method: 'OPTIONS', pattern: /^\/secret\/(?:conceal|generate)$/, auth: 'none', handler: preflight },
  { method: 'POST', pattern: /^\/secret\/conceal$/, auth: 'optional', handler: conceal },
  { method: 'POST', pattern: /^\/guest\/secret\/conceal$/, auth: 'guest', handler: conceal },
  { method: 'POST', pattern: /^\/secret\/generate$/, auth: 'optional', handler: generate },
  { method: 'POST', pattern: /^\/guest\/secret\/generate$/, auth: 'guest', handler: generate },
  { method: 'POST', pattern: /^\/secret\/status$/, auth: 'optional', handler: listSecretStatus },
  { method: 'GET', pattern: new RegExp(`^/secret/${ID}/status$`), auth: 'optional', handler: secretStatus },
  { method: 'POST', pattern: new RegExp(`^/secret/${ID}/reveal$`), auth: 'optional', handler: showSecret },
  { method: 'POST', pattern: new RegExp(`^/guest/secret/${ID}/reveal$`), auth: 'guest', handler: showSecret },
  { method: 'GET', pattern: new RegExp(`^/secret/${ID}$`), auth: 'optional', handler: showSecret },
  { method: 'GET', pattern: new RegExp(`^/guest/secret/${ID}$`), auth: 'guest', handler: showSecret },
  { method: 'GET', pattern: new RegExp(`^/${RECEIPT}/recent$`), auth: 'required', handler: recentReceipts },
  { method: 'GET', pattern: new RegExp(`^/${RECEIPT}/${ID}$`), auth: 'optional', handler: showReceipt },
  { method: 'GET', pattern: new RegExp(`^/guest/receipt/${ID}$`), auth: 'guest', handler: showReceipt },
  { method: 'POST', pattern: new RegExp(`^/${RECEIPT}/${ID}/burn$`), auth: 'optional', handler: burnReceipt },
  { method: 'POST', pattern: new RegExp(`^/guest/receipt/${ID}/burn$`), auth: 'guest', handler: burnReceipt },
];

function findRoute(method: string, subPath: string): { route: V2Route; rawKey?: string } | undefined {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(subPath) : null;
    if (match) return { route, rawKey: match[1] };
  }
  return undefined;
}

/** The caller, or undefined when the 401 has already been sent. */
function authorize(ctx: RequestContext, services: Services, auth: RouteAuth): Caller | undefined {
  if (auth === 'none' || auth === 'guest') return { kind: 'anonymous' };
  const caller = callerFor(
    services.accounts.evaluate(ctx.req.headers.authorization, ctx.host, ctx.hostname),
    ctx.path,
    services.anonymousOnBadCredentials,
  );
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

export async function handleV2(ctx: RequestContext, services: Services): Promise<void> {
  const found = findRoute(ctx.method, ctx.path.slice('/api/v2'.length));
  if (!found) return v2RouteNotFound(ctx);
  const caller = authorize(ctx, services, found.route.auth);
  if (!caller) return;
  const key = found.rawKey === undefined ? '' : sanitizeKey(found.rawKey);
  if (found.rawKey !== undefined && key === '') return v2RecordNotFound(ctx);
  const parsed = await readParams(ctx.req, ctx.rawQuery);
  if (!parsed.ok) return v2BadPayload(ctx, parsed.problem);
  found.route.handler({ ctx, services, params: parsed.params, caller, key });
}

/**
 * Anything under `/api/` that is neither v1 nor v2 (v3, a typo): the sandbox does not serve v3 (out of
 * scope, ots-api.md 2.2), and v3 shares v2's ADR-013 wire format, whose unknown-route 404 carries
 * `error_type` (ots-api.md 2.1); only v1's own router answers the bare `{"error":"Not Found"}` (1.1).
 */
export function handleUnknownApi(ctx: RequestContext): void {
  ctx.req.resume();
  v2RouteNotFound(ctx);
}
