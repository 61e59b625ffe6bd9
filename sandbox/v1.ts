/**
 * API v1 (`/api/v1`), as docs/ots-api.md sections 1.1-1.10 describe it: flat parameters, flat JSON answers,
 * and nearly every error a 404 `{"message"}` with `X-OTS-Intended-Status` where v0.24+ sends it.
 */
import { type Caller, callerFor } from './auth.js';
import { type Params, readParams, stringParam } from './body.js';
import { CREATE_LIMIT_MESSAGE, chargeAnonymousCreate } from './create-limit.js';
import {
  invalidMultipart,
  type RequestContext,
  resolveLocale,
  type Services,
  sanitizeKey,
  sendJson,
} from './http.js';
import { SHRIMP } from './profiles.js';
import { generatePassword } from './random.js';
import type { ReceiptEntry } from './store.js';
import { v1ReceiptView } from './v1-views.js';
import {
  checkShareDomain,
  Problem,
  resolveCharacterSets,
  resolveLength,
  resolvePassphrase,
  resolveRecipients,
  resolveSecretValue,
  resolveTtl,
} from './validate.js';

/** Keys shorter than this are answered `{"message":"Not Found"}` (`V1_MIN_IDENTIFIER_LENGTH`). */
const MIN_KEY_LENGTH = 20;

interface V1Call {
  ctx: RequestContext;
  services: Services;
  params: Params;
  caller: Caller;
  key: string;
}

interface V1Route {
  methods: string[];
  pattern: RegExp;
  /** Anonymous callers get "Not authorized" (authcheck, recent). */
  needsAccount?: boolean;
  handler: (call: V1Call) => void;
}

// --- answers -----------------------------------------------------------------------------------------

function routeNotFound(ctx: RequestContext): void {
  sendJson(ctx.res, 404, { error: 'Not Found' });
}

/**
 * v1's 404 error: `{"message"}` plus `X-OTS-Intended-Status` since v0.24; v0.23 sent no header and a
 * `shrimp` field instead (docs/ots-api.md 1.1, 7).
 */
function v1Refusal(ctx: RequestContext, message: string, intended: number): void {
  const { v1IntendedStatus, v1Shrimp } = ctx.profile;
  const body = v1Shrimp ? { shrimp: SHRIMP, message } : { message };
  sendJson(ctx.res, 404, body, v1IntendedStatus ? { 'X-OTS-Intended-Status': intended } : {});
}

function notAuthorized(ctx: RequestContext): void {
  v1Refusal(ctx, 'Not authorized', 401);
}

/** `error_response`: validation and other refusals (docs/ots-api.md 1.1 table). */
export function v1Error(ctx: RequestContext, message: string): void {
  v1Refusal(ctx, message, 400);
}

function unknownSecret(ctx: RequestContext, key: string): void {
  sendJson(ctx.res, 404, { message: 'Unknown secret', secret_key: key });
}

// --- handlers ----------------------------------------------------------------------------------------

function status({ ctx, params }: V1Call): void {
  const locale = resolveLocale(stringParam(params, 'locale'), ctx.req.headers['accept-language']);
  sendJson(ctx.res, 200, { status: ctx.statusWord, locale });
}

interface NewSecret {
  value: string;
  ttl: number;
  passphrase: string | null;
  recipients: string[];
}

/** Validates in the server's order; throws Problem. `generate` ignores any `secret` sent (#169). */
function readNewSecret({ ctx, params, caller }: V1Call, kind: 'conceal' | 'generate'): NewSecret {
  const value =
    kind === 'generate'
      ? generatePassword(resolveLength(params.length), resolveCharacterSets(params.character_sets))
      : resolveSecretValue(params.secret, 'Secret value exceeds the maximum size of 10000 bytes');
  const passphrase = resolvePassphrase(params.passphrase);
  const recipients = resolveRecipients(params.recipient, caller);
  checkShareDomain(params.share_domain, ctx.hostname);
  return { value, ttl: resolveTtl(params.ttl, caller, 'v1'), passphrase, recipients };
}

function create(call: V1Call, kind: 'conceal' | 'generate'): void {
  const { ctx, services, caller } = call;
  const anonymous = caller.kind !== 'account';
  if (chargeAnonymousCreate(services.createLimiter, anonymous, ctx.req.socket.remoteAddress) !== undefined) {
    // v1 renders the creation limit as any other refusal: 404, intended 400, no Retry-After (C2).
    v1Error(ctx, CREATE_LIMIT_MESSAGE);
    return;
  }
  let input: NewSecret;
  try {
    input = readNewSecret(call, kind);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    v1Error(ctx, error.message);
    return;
  }
  const owner = caller.kind === 'account' ? caller.account.username : null;
  const { receipt } = services.store.create(ctx.hostname, { ...input, owner, kind });
  // v1 generate returns the value at once (docs/ots-api.md 1.5).
  const shown = kind === 'generate' ? { value: input.value } : {};
  sendJson(ctx.res, 200, v1ReceiptView(ctx, services.store, receipt, shown));
}

function reveal({ ctx, services, params, key }: V1Call): void {
  const outcome = services.store.reveal(ctx.hostname, key, stringParam(params, 'passphrase'));
  if (outcome.kind === 'revealed') {
    sendJson(ctx.res, 200, { value: outcome.secret.value, secret_key: key, share_domain: ctx.origin });
  } else {
    // Unknown, consumed, expired, wrong or missing passphrase: all the same answer (docs/ots-api.md 1.6).
    unknownSecret(ctx, key);
  }
}

function mayClaimValue(receipt: ReceiptEntry, caller: Caller): boolean {
  if (receipt.owner === null) return true;
  return caller.kind === 'account' && caller.account.username === receipt.owner;
}

function showReceipt({ ctx, services, caller, key }: V1Call): void {
  const receipt = services.store.receipt(ctx.hostname, key);
  if (!receipt) {
    unknownSecret(ctx, key);
    return;
  }
  const value = mayClaimValue(receipt, caller) ? services.store.claimGeneratedValue(receipt) : null;
  sendJson(ctx.res, 200, v1ReceiptView(ctx, services.store, receipt, { value }));
}

function burn({ ctx, services, params, key }: V1Call): void {
  const outcome = services.store.burn(ctx.hostname, key, stringParam(params, 'passphrase'));
  if (outcome.kind === 'wrong-passphrase') {
    // Burn says `web.COMMON.error_passphrase`, not reveal's "Incorrect passphrase" (docs/ots-api.md 8.3).
    v1Error(ctx, 'Double check that passphrase');
  } else if (outcome.kind !== 'burned') {
    unknownSecret(ctx, key);
  } else {
    const view = v1ReceiptView(ctx, services.store, outcome.receipt);
    sendJson(ctx.res, 200, {
      state: { ...view, state: 'burned' },
      secret_shortkey: outcome.receipt.secretKey.slice(0, 8),
    });
  }
}

function recent({ ctx, services, caller }: V1Call): void {
  if (caller.kind !== 'account') {
    notAuthorized(ctx);
    return;
  }
  const receipts = services.store.recent(ctx.hostname, caller.account.username);
  const views = receipts.map((receipt) => v1ReceiptView(ctx, services.store, receipt, { forList: true }));
  sendJson(ctx.res, 200, views);
}

// --- routing -----------------------------------------------------------------------------------------

const RECEIPT = '(?:receipt|private|metadata)';

/** Order matters: `recent` before `:key`. Anything unmatched is the router's `{"error":"Not Found"}`. */
const ROUTES: V1Route[] = [
  { methods: ['GET'], pattern: /^\/status$/, handler: status },
  { methods: ['GET'], pattern: /^\/authcheck$/, needsAccount: true, handler: status },
  { methods: ['POST'], pattern: /^\/(?:share|create)$/, handler: (call) => create(call, 'conceal') },
  { methods: ['POST'], pattern: /^\/generate$/, handler: (call) => create(call, 'generate') },
  { methods: ['POST'], pattern: /^\/secret\/([^/]+)$/, handler: reveal },
  { methods: ['GET'], pattern: new RegExp(`^/${RECEIPT}/recent$`), needsAccount: true, handler: recent },
  { methods: ['GET', 'POST'], pattern: new RegExp(`^/${RECEIPT}/([^/]+)$`), handler: showReceipt },
  { methods: ['POST'], pattern: new RegExp(`^/${RECEIPT}/([^/]+)/burn$`), handler: burn },
];

function findRoute(method: string, subPath: string): { route: V1Route; rawKey?: string } | undefined {
  for (const route of ROUTES) {
    const match = route.methods.includes(method) ? route.pattern.exec(subPath) : null;
    if (match) return { route, rawKey: match[1] };
  }
  return undefined;
}

export async function handleV1(ctx: RequestContext, services: Services): Promise<void> {
  const found = findRoute(ctx.method, ctx.path.slice('/api/v1'.length));
  if (!found) {
    routeNotFound(ctx);
    return;
  }
  const { route, rawKey } = found;
  // Credentials are evaluated whenever sent, even where anonymous access is allowed (docs/ots-api.md 1.1).
  const caller = callerFor(
    services.accounts.evaluate(ctx.req.headers.authorization, ctx.host, ctx.hostname),
    ctx.path,
    services.anonymousOnBadCredentials,
  );
  if (caller.kind === 'invalid' || (route.needsAccount && caller.kind !== 'account')) {
    notAuthorized(ctx);
    return;
  }
  const key = rawKey === undefined ? '' : sanitizeKey(rawKey);
  if (rawKey !== undefined && key.length < MIN_KEY_LENGTH) {
    sendJson(ctx.res, 404, { message: 'Not Found' });
    return;
  }
  const parsed = await readParams(ctx.req, ctx.rawQuery, undefined, ctx.profile.multipart);
  if (parsed.ok) {
    route.handler({ ctx, services, params: parsed.params, caller, key });
  } else if (parsed.problem === 'multipart') {
    invalidMultipart(ctx, parsed.reason);
  } else {
    v1Error(ctx, 'Incorrect payload format');
  }
}
