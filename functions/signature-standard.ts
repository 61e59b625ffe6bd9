/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` (several, space-separated,
 * during a sender's rotation), the key being the base64 after `whsec_`. The signature itself is checked
 * by the `standardwebhooks` library; the headers' shape and the window are checked here first, so a 401
 * can say which header is wrong without depending on the library's messages. The library hashes the
 * body as UTF-8 text, as the senders do (their bodies are JSON). It is loaded on the first Standard
 * Webhooks request only: other schemes' cold starts (and the Slack function) never pay for it, and its
 * CommonJS helpers stay in its own chunk.
 */
import type { Webhook } from 'standardwebhooks';
import { ConfigError } from './config-values.js';
import { TOLERANCE_SECONDS, type Verdict, windowProblem } from './signature.js';

export const STANDARD_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

export interface StandardHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

const ID = /^[\x21-\x7e]{1,256}$/;
const SIGNATURE = /(?:^|\s)v1,[A-Za-z0-9+/]+={0,2}(?:\s|$)/;

/** A `Webhook` per secret; a secret that is not `whsec_<base64>` is a configuration error. */
export async function standardVerifiers(secrets: readonly string[], variable: string): Promise<Webhook[]> {
  const { Webhook } = await import('standardwebhooks');
  return secrets.map((secret, index) => {
    try {
      return new Webhook(secret);
    } catch {
      throw new ConfigError(
        variable,
        `secret ${index + 1} is not a Standard Webhooks secret: use whsec_<base64>.`,
      );
    }
  });
}

export function verifyStandard(
  headers: StandardHeaders,
  body: Buffer,
  verifiers: Webhook[],
  nowSeconds: number,
): Verdict & { header?: string } {
  const { id, timestamp, signature } = headers;
  if (id === undefined || timestamp === undefined || signature === undefined)
    return { ok: false, reason: 'missing' };
  if (!ID.test(id)) return { ok: false, reason: 'malformed', header: 'webhook-id' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed', header: 'webhook-timestamp' };
  if (!SIGNATURE.test(signature)) return { ok: false, reason: 'malformed', header: 'webhook-signature' };
  const problem = windowProblem(Number(timestamp), nowSeconds);
  if (problem !== undefined) return { ok: false, reason: problem, header: 'webhook-timestamp' };
  const given = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
  for (const verifier of verifiers) {
    try {
      verifier.verify(body, given, { jsonParse: false });
      return { ok: true, replayId: id, expiresAt: Number(timestamp) + TOLERANCE_SECONDS };
    } catch {
      // Not this secret (or the library's own window disagreed by a second): try the next.
    }
  }
  return { ok: false, reason: 'mismatch', header: 'webhook-signature' };
}
