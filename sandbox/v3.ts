/**
 * API v3 (`/api/v3`, served on the 0.26 line), as far as a token client can use it (docs/ots-api.md
 * 9.2-9.5): status, version (Basic), secret status, and the anonymous guest routes, gated by the guest
 * switches. The authenticated secret and receipt routes accept only a browser session, so here they
 * always answer Otto's 401. v3 shares v2's logic and ADR-013 errors; records carry native types.
 */
import { stringParam } from './body.js';
import { type RequestContext, resolveLocale, type Services } from './http.js';
import { dispatchV2, GUEST_ROUTES, preflight, supportedLocales, type V2Route } from './v2.js';
import { v2Send } from './v2-answers.js';
import { listSecretStatus, secretStatus, type V2Call } from './v2-secrets.js';

/** v3 status has exactly two keys, no `success` (meta_endpoints_contract_try.rb). */
function status({ ctx, params }: V2Call): void {
  const locale = resolveLocale(stringParam(params, 'locale'), ctx.req.headers['accept-language']);
  v2Send(ctx, 200, { status: ctx.statusWord, locale });
}

function version({ ctx }: V2Call): void {
  v2Send(ctx, 200, { version: ctx.profile.version, locale: 'en' });
}

const ID = '([^/]+)';
const session = (method: string, pattern: RegExp): V2Route => ({
  method,
  pattern,
  auth: 'session',
  handler: () => undefined,
});

const ROUTES: V2Route[] = [
  { method: 'GET', pattern: /^\/status$/, auth: 'none', handler: status },
  { method: 'GET', pattern: /^\/version$/, auth: 'required', handler: version },
  { method: 'GET', pattern: /^\/supported-locales$/, auth: 'none', handler: supportedLocales },
  { method: 'OPTIONS', pattern: /^\/secret\/(?:conceal|generate)$/, auth: 'none', handler: preflight },
  ...GUEST_ROUTES,
  { method: 'POST', pattern: /^\/secret\/status$/, auth: 'none', handler: listSecretStatus },
  { method: 'GET', pattern: new RegExp(`^/secret/${ID}/status$`), auth: 'none', handler: secretStatus },
  session('POST', /^\/secret\/(?:conceal|generate)$/),
  session('GET', new RegExp(`^/secret/${ID}$`)),
  session('POST', new RegExp(`^/secret/${ID}/reveal$`)),
  session('GET', /^\/receipt\/recent$/),
  session('GET', new RegExp(`^/receipt/${ID}$`)),
  session('PATCH', new RegExp(`^/receipt/${ID}$`)),
  session('POST', new RegExp(`^/receipt/${ID}/burn$`)),
];

export function handleV3(ctx: RequestContext, services: Services): Promise<void> {
  return dispatchV2(ctx, services, ROUTES, 'v3');
}
