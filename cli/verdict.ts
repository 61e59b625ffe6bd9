/** Whether a status report passes: per target, and as the exit code under --fail-on. */
import type { StatusReport, TargetStatus } from '../src/types.js';
import type { FailOn } from './flags.js';

/** The target passed every check made on it. */
export function isHealthy(result: TargetStatus): boolean {
  return result.state === 'nominal' && result.auth !== 'failed' && result.roundtrip?.ok !== false;
}

/** `down` (the default) fails on a target that is down or refused the credentials or the roundtrip. */
export function fails(report: StatusReport, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'degraded') return report.results.some((result) => !isHealthy(result));
  return report.results.some(
    (result) => result.state === 'down' || result.auth === 'failed' || result.roundtrip?.ok === false,
  );
}
