/** v2 secret routes: conceal, generate, preview, reveal, status (docs/ots-api.md 2.4-2.6). */
import type { Caller } from './auth.js';
import { objectParam, type Params, stringParam } from './body.js';
import { chargeAnonymousCreate } from './create-limit.js';
import type { RequestContext, Services } from './http.js';
import { generatePassword } from './random.js';
import type { SecretEntry } from './store.js';
import { v2LimitExceeded, v2Problem, v2RecordNotFound, v2Send } from './v2-answers.js';
import { applyV2Types, typesOf, v2ReceiptDump, v2SecretDump, v3ReceiptDump } from './v2-views.js';
import {
  checkShareDomain,
  isContinue,
  obscureEmail,
  Problem,
  resolveCharacterSets,
  resolveLength,
  resolvePassphrase,
  resolveRecipients,
  resolveSecretValue,
  resolveTtl,
} from './validate.js';

export interface V2Call {
  ctx: RequestContext;
  services: Services;
  params: Params;
  caller: Caller;
  key: string;
  /** v3 serves these handlers too, with native types and its own record shapes (v3.ts). */
  version: 'v2' | 'v3';
}

function usernameOf(caller: Caller): string | null {
  return caller.kind === 'account' ? caller.account.username : null;
}

/** Create calls nest every field under `secret` (docs/ots-api.md 2.1); a plain string there is a FormError. */
function secretFields(params: Params): Params {
  if (params.secret === undefined) return Object.create(null) as Params;
  const nested = objectParam(params, 'secret');
  if (!nested) throw new Problem('Incorrect payload format');
  return nested;
}

interface NewSecret {
  value: string;
  ttl: number;
  passphrase: string | null;
  recipients: string[];
}

/** Validates in the server's order; throws Problem. */
function readNewSecret({ ctx, params, caller }: V2Call, kind: 'conceal' | 'generate'): NewSecret {
  const fields = secretFields(params);
  const value =
    kind === 'generate'
      ? generatePassword(resolveLength(fields.length), resolveCharacterSets(fields.character_sets))
      : resolveSecretValue(fields.secret, 'Secret content must be no more than 10000 bytes long');
  const passphrase = resolvePassphrase(fields.passphrase);
  const recipients = resolveRecipients(fields.recipient, caller);
  checkShareDomain(fields.share_domain, ctx.hostname);
  return { value, ttl: resolveTtl(fields.ttl, caller, 'v2'), passphrase, recipients };
}

export function createSecret(call: V2Call, kind: 'conceal' | 'generate'): void {
  const { ctx, services, caller } = call;
  const limiter = services.createLimiter;
  const wait = chargeAnonymousCreate(limiter, caller.kind !== 'account', ctx.req.socket.remoteAddress);
  if (limiter && wait !== undefined) {
    v2LimitExceeded(ctx, wait, limiter.limit);
    return;
  }
  let input: NewSecret;
  try {
    input = readNewSecret(call, kind);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    v2Problem(ctx, error);
    return;
  }
  const owner = usernameOf(caller);
  const { secret, receipt } = services.store.create(ctx.hostname, { ...input, owner, kind });
  const receiptDump = v2ReceiptDump(ctx, services.store, receipt);
  // generate does not return the value: the creator's first receipt view does (docs/ots-api.md 2.5).
  // v3 has no `metadata` alias, and its receipt drops `custid` (docs/ots-api.md 9.4).
  const record =
    call.version === 'v3'
      ? { receipt: v3ReceiptDump(receiptDump), secret: v2SecretDump(ctx, secret), share_domain: null }
      : {
          receipt: receiptDump,
          metadata: { ...receiptDump },
          secret: v2SecretDump(ctx, secret),
          share_domain: null,
        };
  v2Send(ctx, 200, {
    success: true,
    record: applyV2Types(record, typesOf(call)),
    details: { kind, recipient: input.recipients, recipient_safe: input.recipients.map(obscureEmail) },
  });
}

/** `correct_passphrase` exists only before v0.26.7 (the passphrase continue-gate, docs/ots-api.md 8.3 C1). */
function revealDetails(call: V2Call, secret: SecretEntry, shown: boolean, correct: boolean) {
  const receipt = call.services.store.receipt(call.ctx.hostname, secret.receiptKey);
  const lines = secret.value.split('\n').length;
  const oracle = call.ctx.profile.passphraseOracle ? { correct_passphrase: correct } : {};
  return {
    continue: shown,
    is_owner: receipt?.owner != null && receipt.owner === usernameOf(call.caller),
    show_secret: shown,
    ...oracle,
    display_lines: Math.min(Math.max(lines + 1, 4), 20),
    one_liner: lines === 1,
  };
}

/**
 * `GET /secret/:id` and `POST /secret/:id/reveal`: nothing is consumed unless `continue` is true or
 * "true"; a wrong passphrase is 422 and consumes nothing (docs/ots-api.md 2.6).
 */
export function showSecret(call: V2Call): void {
  const { ctx, services, params, key } = call;
  const store = services.store;
  const secret = store.secret(ctx.hostname, key);
  if (!secret) {
    v2RecordNotFound(ctx);
    return;
  }
  const passphrase = stringParam(params, 'passphrase');
  if (!isContinue(params)) {
    // Since v0.26.7 the passphrase is checked only on a committed (`continue=true`) request.
    const correct = ctx.profile.passphraseOracle && store.passphraseMatches(secret, passphrase);
    const record = applyV2Types(v2SecretDump(ctx, secret), typesOf(call));
    v2Send(ctx, 200, { record, details: revealDetails(call, secret, false, correct) });
    return;
  }
  const details = revealDetails(call, secret, true, true);
  const outcome = store.reveal(ctx.hostname, key, passphrase);
  if (outcome.kind === 'wrong-passphrase') {
    v2Send(ctx, 422, { error: 'Incorrect passphrase' });
  } else if (outcome.kind === 'unknown') {
    v2RecordNotFound(ctx);
  } else {
    const dump = applyV2Types(v2SecretDump(ctx, outcome.secret, 'received'), typesOf(call)) as object;
    v2Send(ctx, 200, { record: { ...dump, secret_value: outcome.secret.value }, details });
  }
}

/** `GET /secret/:id/status`: an unknown secret is 200 `{"record":{"state":"unknown"}}`, not 404. */
export function secretStatus(call: V2Call): void {
  const { ctx, services, key } = call;
  const secret = services.store.secret(ctx.hostname, key);
  if (!secret) {
    v2Send(ctx, 200, { record: { state: 'unknown' } });
    return;
  }
  const remaining = Math.max(0, Math.ceil((secret.expiresAt - ctx.nowMs()) / 1000));
  v2Send(ctx, 200, {
    record: applyV2Types(v2SecretDump(ctx, secret), typesOf(call)),
    details: { current_expiration: remaining },
  });
}

/** `POST /secret/status` with `identifiers` as a comma-separated string (docs/ots-api.md 2.6). */
export function listSecretStatus(call: V2Call): void {
  const { ctx, services, params } = call;
  const identifiers = (stringParam(params, 'identifiers') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const records = identifiers.map((id) => {
    const secret = services.store.secret(ctx.hostname, id);
    return secret ? v2SecretDump(ctx, secret) : { identifier: id, state: 'unknown' };
  });
  v2Send(ctx, 200, { records: applyV2Types(records, typesOf(call)), count: records.length });
}
