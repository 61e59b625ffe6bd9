/**
 * The scheduled check (EventBridge, every 5 minutes in serverless.yml). Accepts the Scheduled Event
 * envelope (checks every configured target) or a custom input `{ "targets": [...] }`.
 *
 * Decision: a custom input narrows to configured targets only (OTS_TARGETS / OTS_DOMAIN), like the
 * webhook body. The input is operator-controlled, but the credentials are sent to, and the alarms exist
 * for, exactly the configured targets; an input naming anything else fails the invocation with an error
 * naming its position, rather than quietly checking a host nobody alarmed on. To check more, add it to
 * OTS_TARGETS.
 *
 * Per target, one EMF blob: metrics `Up` (1 when nominal or degraded, 0 when down) and `LatencyMs`,
 * dimension `Target` (plus Powertools' `service`), namespace `OnetimeSecret`. When OTS_NOTIFY_URL is set
 * and any target is not nominal, a JSON summary is POSTed there; a failed notification is only logged.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { StatusReport } from '../src/types.js';
import { combine } from './cache.js';
import { runCheck, selectTargets } from './check.js';
import './cold-start.js';
import { ConfigError, getConfig, resetConfigForTests } from './config.js';
import { notify } from './notify.js';
import { logger, metrics } from './powertools.js';
import { resolveCredentials } from './secrets.js';

export type ScheduledInput = ScheduledEvent | { targets?: unknown };

export interface ScheduledResult extends StatusReport {
  /** Whether a notification was sent and accepted; absent when none was due. */
  notified?: boolean;
}

export function resetForTests(): void {
  resetConfigForTests();
}

function customTargets(event: ScheduledInput): unknown {
  if (event !== null && typeof event === 'object' && 'targets' in event) return event.targets;
  return undefined;
}

/** One blob per target: each has its own `Target` dimension value. */
function publishMetrics(report: StatusReport): void {
  for (const result of report.results) {
    metrics.addDimension('Target', result.target);
    metrics.addMetric('Up', MetricUnit.Count, result.state === 'down' ? 0 : 1);
    if (result.latencyMs !== null) metrics.addMetric('LatencyMs', MetricUnit.Milliseconds, result.latencyMs);
    metrics.publishStoredMetrics();
  }
}

export const handler = async (event: ScheduledInput, context: Context): Promise<ScheduledResult> => {
  logger.addContext(context);
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    if (error instanceof ConfigError)
      logger.error('The function is misconfigured', { reason: error.message });
    throw error;
  }
  let targets = config.targets;
  const names = customTargets(event);
  if (names !== undefined) {
    const selection = selectTargets(config, names, 'targets');
    if (!selection.ok) {
      logger.error('The schedule input is invalid', { reason: selection.problem });
      throw new Error(`The schedule input is invalid: ${selection.problem}`);
    }
    targets = selection.targets;
  }

  const report = combine((await runCheck(config, targets, await resolveCredentials(config))).results);
  publishMetrics(report);
  for (const result of report.results) {
    const log = result.state === 'nominal' ? logger.info.bind(logger) : logger.warn.bind(logger);
    log('Target checked', {
      target: result.target,
      state: result.state,
      httpStatus: result.httpStatus,
      latencyMs: result.latencyMs,
      // `message` is Powertools' own key (the log line's text): a second one is dropped with a warning.
      reason: result.message,
      auth: result.auth,
    });
  }
  logger.info('Scheduled check done', { state: report.state, targets: report.results.length });

  const result: ScheduledResult = { ...report };
  if (config.notifyUrl !== undefined && report.state !== 'nominal') {
    result.notified = await notify(config.notifyUrl, report);
  }
  return result;
};
