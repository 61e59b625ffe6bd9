/**
 * Webhook signatures over the exact raw body (anchors.md section 6):
 * - GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>` (no timestamp, no replay window);
 * - `X-OTS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, Stripe-style, at
 *   most 300 s old or ahead; several `v1=` entries are allowed.
 * Any configured secret may match (rotation). Comparisons are constant-time with a length guard.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GITHUB_HEADER = 'x-hub-signature-256';
export const OTS_HEADER = 'x-ots-signature';
export const TOLERANCE_SECONDS = 300;

export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';
export type SignatureCheck = { ok: true; scheme: 'github' | 'ots' } | { ok: false; reason: SignatureFailure };

export interface SignatureInput {
  /** `X-Hub-Signature-256`, when sent. */
  github?: string;
  /** `X-OTS-Signature`, when sent. */
  ots?: string;
  body: Buffer;
  secrets: readonly string[];
  nowSeconds: number;
}

function hmacHex(secret: string, ...parts: (string | Buffer)[]): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/** `sha256=<hex>` as GitHub sends it. */
export function signGithub(secret: string, body: string | Buffer): string {
  return `sha256=${hmacHex(secret, body)}`;
}

/** `t=<seconds>,v1=<hex>` for X-OTS-Signature. */
export function signOts(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, `${timestamp}.`, body)}`;
}

/** Constant-time comparison of two hex digests; unequal lengths are unequal without comparing. */
function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

function checkGithub(value: string, body: Buffer, secrets: readonly string[]): SignatureCheck {
  const match = /^sha256=(.+)$/.exec(value.trim());
  if (!match?.[1] || !HEX_DIGEST.test(match[1])) return { ok: false, reason: 'malformed' };
  const given = match[1];
  return secrets.some((secret) => sameHex(hmacHex(secret, body), given))
    ? { ok: true, scheme: 'github' }
    : { ok: false, reason: 'mismatch' };
}

function parseOtsHeader(value: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const item = rest.join('=');
    if (key === 't' && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    else if (key === 'v1' && HEX_DIGEST.test(item)) signatures.push(item);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

function checkOts(
  value: string,
  body: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck {
  const parsed = parseOtsHeader(value);
  if (parsed === undefined) return { ok: false, reason: 'malformed' };
  if (nowSeconds - parsed.timestamp > TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  if (parsed.timestamp - nowSeconds > TOLERANCE_SECONDS) return { ok: false, reason: 'future' };
  const expected = secrets.map((secret) => hmacHex(secret, `${parsed.timestamp}.`, body));
  return expected.some((digest) => parsed.signatures.some((given) => sameHex(digest, given)))
    ? { ok: true, scheme: 'ots' }
    : { ok: false, reason: 'mismatch' };
}

/**
 * Valid when either header verifies. X-OTS-Signature is checked first: it is the one with a replay
 * window, so its failure reason (stale, future) is the more useful one to report.
 */
export function verifySignature(input: SignatureInput): SignatureCheck {
  if (input.secrets.length === 0) throw new Error('verifySignature needs at least one secret');
  const checks: SignatureCheck[] = [];
  if (input.ots !== undefined) checks.push(checkOts(input.ots, input.body, input.secrets, input.nowSeconds));
  if (input.github !== undefined) checks.push(checkGithub(input.github, input.body, input.secrets));
  return checks.find((check) => check.ok) ?? checks[0] ?? { ok: false, reason: 'missing' };
}
