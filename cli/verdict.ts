/**
 * Whether a status report passes. The exit code follows the core's states, the same rule the action's
 * `fail-on` uses: refused credentials and a failed roundtrip both make a target `down`, so the default
 * `--fail-on down` catches a revoked token.
 */
import type { FailOn, StatusReport, TargetStatus } from '../src/index.js';

/** The target passed every check made on it (rows that did not get a note). */
export function isHealthy(result: TargetStatus): boolean {
  return result.state === 'nominal' && result.auth !== 'failed' && result.roundtrip?.ok !== false;
}

/** `down` (the default) fails when a target is down; `degraded` also when one is degraded. */
export function fails(report: StatusReport, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'degraded') return report.results.some((result) => result.state !== 'nominal');
  return report.results.some((result) => result.state === 'down');
}
