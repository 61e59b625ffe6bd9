/**
 * The notification the scheduled check sends when a target is not nominal: a JSON summary POSTed to
 * OTS_NOTIFY_URL with the runtime's fetch (no HTTP client in the bundle). `text` makes it readable by
 * Slack-style incoming webhooks as it is. A failure is logged and never fails the check. The URL itself
 * may be a bearer secret (incoming webhook URLs usually are), so only its origin is ever logged.
 */
import type { StatusReport } from '../src/types.js';
import { logger } from './powertools.js';

const NOTIFY_TIMEOUT_MS = 5000;

export interface Notification {
  text: string;
  state: StatusReport['state'];
  checkedAt: string;
  results: {
    target: string;
    state: string;
    httpStatus: number | null;
    latencyMs: number | null;
    message: string;
  }[];
}

export function summary(report: StatusReport): Notification {
  const failing = report.results.filter((r) => r.state !== 'nominal');
  return {
    text: `Onetime Secret status: ${report.state} (${failing.map((r) => `${r.target} ${r.state}`).join(', ')})`,
    state: report.state,
    checkedAt: report.checkedAt,
    results: report.results.map(({ target, state, httpStatus, latencyMs, message }) => ({
      target,
      state,
      httpStatus,
      latencyMs,
      message,
    })),
  };
}

/** Sends the summary; resolves to whether the receiver accepted it (2xx). Never throws. */
export async function notify(url: URL, report: StatusReport): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'onetime-kit-functions' },
      body: JSON.stringify(summary(report)),
      signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      // A redirect is a refusal here: following it would re-POST the summary to wherever it points.
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.ok) logger.info('Notification sent', { to: url.origin, httpStatus: response.status });
    else logger.warn('Notification refused', { to: url.origin, httpStatus: response.status });
    return response.ok;
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'unknown error';
    logger.warn('Notification failed', { to: url.origin, reason });
    return false;
  }
}
