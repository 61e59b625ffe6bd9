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
 * The run itself is functions/monitor/run.ts: re-checks, the history table, one notification per
 * incident (docs/monitor.md). Per target, one EMF blob: metrics `Up` (1 unless the target's confirmed
 * state is down), `LatencyMs` (of the latest check) and `Transitions` (state changes this run recorded),
 * dimension `Target` (plus Powertools' `service`), namespace `OnetimeSecret`.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { StatusReport } from '../src/fetch.js';
import { combine } from './cache.js';
import { selectTargets } from './check.js';
import './cold-start.js';
import { ConfigError, getConfig } from './config.js';
import { getMonitorConfig } from './config-monitor.js';
import { type RunOutcome, runMonitor } from './monitor/run.js';
import { monitorDeps, runSettings } from './monitor/wiring.js';
import { logger, metrics } from './powertools.js';

export type ScheduledInput = ScheduledEvent | { targets?: unknown };

export interface ScheduledResult extends StatusReport {
  /** Whether every notification due was accepted; absent when none was due. */
  notified?: boolean;
  /** Whether the run's checks and state changes were recorded in the history table. */
  stored: boolean;
  transitions: RunOutcome['outcomes'][number]['transitions'];
  /** Server version changes this run recorded (docs/monitor.md); absent when none. */
  versionChanges?: RunOutcome['outcomes'][number]['versionChanges'];
}

function customTargets(event: ScheduledInput): unknown {
  if (event !== null && typeof event === 'object' && 'targets' in event) return event.targets;
  return undefined;
}

/** One blob per target: each has its own `Target` dimension value. Up follows the confirmed state. */
function publishMetrics(outcome: RunOutcome): void {
  for (const { result, confirmed, transitions } of outcome.outcomes) {
    metrics.addDimension('Target', result.target);
    metrics.addMetric('Up', MetricUnit.Count, confirmed === 'down' ? 0 : 1);
    if (result.latencyMs !== null) metrics.addMetric('LatencyMs', MetricUnit.Milliseconds, result.latencyMs);
    const changes = transitions.filter((t) => t.kind === 'transition').length;
    metrics.addMetric('Transitions', MetricUnit.Count, changes);
    metrics.publishStoredMetrics();
  }
}

export const handler = async (event: ScheduledInput, context: Context): Promise<ScheduledResult> => {
  logger.addContext(context);
  let config: ReturnType<typeof getConfig>;
  let monitor: ReturnType<typeof getMonitorConfig>;
  try {
    config = getConfig();
    monitor = getMonitorConfig();
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

  const outcome = await runMonitor(targets, runSettings(monitor), await monitorDeps(config, monitor));
  const report = combine(outcome.outcomes.map((o) => o.result));
  publishMetrics(outcome);
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
  const transitions = outcome.outcomes.flatMap((o) => o.transitions);
  for (const { target, kind, from, to, at, incidentId, durationSeconds } of transitions) {
    logger.info('Target state changed', { target, kind, from, to, at, incidentId, durationSeconds });
  }
  const versionChanges = outcome.outcomes.flatMap((o) => o.versionChanges);
  for (const { target, from, to, at } of versionChanges) {
    logger.info('Server version changed', { target, from, to, at });
  }
  logger.info('Scheduled check done', {
    state: report.state,
    targets: report.results.length,
    stored: outcome.stored,
    transitions: transitions.length,
  });
  const result: ScheduledResult = { ...report, stored: outcome.stored, transitions };
  if (versionChanges.length > 0) result.versionChanges = versionChanges;
  if (outcome.notifications !== undefined) {
    result.notified = outcome.notifications.accepted === outcome.notifications.sent;
  }
  return result;
};
