/**
 * Webhook signatures over the exact raw body (docs/webhooks.md has the rationale):
 * - GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`, byte for byte what GitHub
 *   sends (no timestamp, so no replay window);
 * - `X-OTS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(otsKey(secret), "<t>.<body>")>`, at most
 *   300 s old or ahead; several `v1=` entries are allowed.
 * Both schemes read OTS_WEBHOOK_SECRET, so they are kept apart by the key: the OTS scheme never signs
 * with the secret itself but with `otsKey(secret) = HMAC-SHA256(key = OTS_KEY_LABEL, message = secret)`.
 * A GitHub signature is HMAC keyed by the secret, an OTS one HMAC keyed by a different key, so neither
 * can stand in for the other whatever body is chosen. (Binding a label into the signed message would not
 * do: GitHub's scheme signs any body, including one that starts with that label.) The derived key is
 * itself an HMAC keyed by a public label, never an HMAC keyed by the secret, so no GitHub signature can
 * ever reveal it. Any configured secret may match (rotation). Comparisons are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GITHUB_HEADER = 'x-hub-signature-256';
export const OTS_HEADER = 'x-ots-signature';
export const TOLERANCE_SECONDS = 300;
/** The public label the OTS scheme's key is derived with; changing it invalidates every OTS sender. */
export const OTS_KEY_LABEL = 'onetime-kit X-OTS-Signature v1';

export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';
export type Verdict =
  | { ok: true; replayId?: string; expiresAt?: number }
  | { ok: false; reason: SignatureFailure };

function hmacHex(key: string | Buffer, ...parts: (string | Buffer)[]): string {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/** The key the OTS scheme signs with, derived from the shared secret (see the file comment). */
export function otsKey(secret: string): Buffer {
  return createHmac('sha256', OTS_KEY_LABEL).update(secret, 'utf8').digest();
}

/** `sha256=<hex>` as GitHub sends it. */
export function signGithub(secret: string, body: string | Buffer): string {
  return `sha256=${hmacHex(secret, body)}`;
}

/** `t=<seconds>,v1=<hex>` for X-OTS-Signature, signed with the key derived from `secret`. */
export function signOts(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(otsKey(secret), `${timestamp}.`, body)}`;
}

/** Constant-time comparison of two digests as text; unequal lengths are unequal without comparing. */
export function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/** Where `timestamp` (unix seconds) stands against the window around `nowSeconds`. */
export function windowProblem(timestamp: number, nowSeconds: number): 'stale' | 'future' | undefined {
  if (nowSeconds - timestamp > TOLERANCE_SECONDS) return 'stale';
  if (timestamp - nowSeconds > TOLERANCE_SECONDS) return 'future';
  return undefined;
}

export function verifyGithub(value: string, body: Buffer, secrets: readonly string[]): Verdict {
  const match = /^sha256=(.+)$/.exec(value.trim());
  if (!match?.[1] || !HEX_DIGEST.test(match[1])) return { ok: false, reason: 'malformed' };
  const given = match[1].toLowerCase();
  return secrets.some((secret) => sameText(hmacHex(secret, body), given))
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}

function parseOtsHeader(value: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const item = rest.join('=');
    if (key === 't' && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    else if (key === 'v1' && HEX_DIGEST.test(item)) signatures.push(item.toLowerCase());
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/**
 * A valid X-OTS-Signature. `replayId` is the digest that matched: the same delivery sent again carries
 * the same one, so the caller can refuse it until `expiresAt` (when the window would refuse it anyway).
 */
export function verifyOts(
  value: string,
  body: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
): Verdict {
  const parsed = parseOtsHeader(value);
  if (parsed === undefined) return { ok: false, reason: 'malformed' };
  const problem = windowProblem(parsed.timestamp, nowSeconds);
  if (problem !== undefined) return { ok: false, reason: problem };
  for (const secret of secrets) {
    const expected = hmacHex(otsKey(secret), `${parsed.timestamp}.`, body);
    if (parsed.signatures.some((given) => sameText(expected, given))) {
      return { ok: true, replayId: expected, expiresAt: parsed.timestamp + TOLERANCE_SECONDS };
    }
  }
  return { ok: false, reason: 'mismatch' };
}
