/**
 * Delivering one notification: a POST with the runtime's fetch (no HTTP client in the bundle), 5 s at
 * most, and a redirect taken as a refusal (following it would re-POST the message to wherever it
 * points). Never throws: the outcome is logged and returned. The URL itself may be a bearer secret
 * (incoming-webhook URLs usually are), so only its origin is ever logged or returned.
 */
import { logger } from './powertools.js';

export const NOTIFY_TIMEOUT_MS = 5000;

export interface Delivery {
  ok: boolean;
  /** `<origin>: HTTP 503`, `<origin>: TimeoutError`: safe to log and store. */
  detail: string;
}

export async function postNotification(
  url: URL,
  message: { body: string; headers: Record<string, string> },
  timeoutMs = NOTIFY_TIMEOUT_MS,
): Promise<Delivery> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...message.headers, 'user-agent': 'onetime-kit-functions' },
      body: message.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
    const detail = `${url.origin}: HTTP ${response.status}`;
    if (response.ok) logger.info('Notification sent', { to: url.origin, httpStatus: response.status });
    else logger.warn('Notification refused', { to: url.origin, httpStatus: response.status });
    return { ok: response.ok, detail };
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'unknown error';
    logger.warn('Notification failed', { to: url.origin, reason });
    return { ok: false, detail: `${url.origin}: ${reason}` };
  }
}
