/** The `status` operation: check every target, set `status` and `results`, fail as `fail-on` says. */
import { failingTargets, type StatusReport, type TargetStatus } from '../src/index.js';
import { loggerFor } from './logger.js';
import type { CoreDeps, CorePort } from './ports.js';
import type { StatusSettings } from './settings.js';
import { flushSummary, latencyText, writeStatusSummary } from './summary.js';

export async function runStatus(settings: StatusSettings, core: CorePort, deps: CoreDeps): Promise<void> {
  const report = await deps.checkStatus(settings.targets, {
    username: settings.credentials?.username,
    token: settings.credentials?.token,
    apiVersion: settings.apiVersion,
    timeoutMs: settings.timeoutMs,
    degradedMs: settings.degradedMs,
    depth: settings.depth,
    logger: loggerFor(core),
  });
  for (const result of report.results) core.info(resultLine(result));
  core.setOutput('status', report.state);
  core.setOutput('results', JSON.stringify(report.results));
  writeStatusSummary(core.summary, report);
  await flushSummary(core);
  const failure = failureFor(report, settings.failOn);
  if (failure) core.setFailed(failure);
  else core.info(`Onetime Secret is ${report.state} (${report.results.length} target(s) checked).`);
}

export function resultLine(result: TargetStatus): string {
  const parts = [result.state, latencyText(result)];
  if (result.httpStatus !== null) parts.push(`HTTP ${result.httpStatus}`);
  if (result.auth) parts.push(`auth ${result.auth}`);
  if (result.roundtrip)
    parts.push(result.roundtrip.ok ? 'round trip ok' : `round trip failed at ${result.roundtrip.failedStep}`);
  return `${result.target}: ${parts.join(', ')}${result.message ? ` – ${result.message}` : ''}`;
}

/** The failure message when the report fails under `fail-on` (the core's verdict), or undefined. */
export function failureFor(report: StatusReport, failOn: StatusSettings['failOn']): string | undefined {
  const failing = failingTargets(report, failOn);
  if (failing.length === 0) return undefined;
  const named = failing.map((r) => `${r.target} is ${r.state}`);
  return `Onetime Secret is ${report.state} (fail-on: ${failOn}): ${named.join(', ')}.`;
}
