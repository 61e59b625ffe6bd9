/**
 * Whether a status report passes. The exit code is the core's verdict for `--fail-on` (the same rule as
 * the action's `fail-on`): refused credentials and a failed roundtrip both make a target `down`, so the
 * default `--fail-on down` catches a revoked token.
 */
import { reportFails, type StatusReport, type TargetStatus } from '../src/index.js';
import type { Flags } from './flags.js';

/** The target passed every check made on it (rows that did not get a note). */
export function isHealthy(result: TargetStatus): boolean {
  return result.state === 'nominal' && result.auth !== 'failed' && result.roundtrip?.ok !== false;
}

/** `ots status` exits 1 when the report fails under `--fail-on`, 0 when it passes. */
export function statusExitCode(report: StatusReport, failOn: Flags['failOn']): 0 | 1 {
  return reportFails(report, failOn) ? 1 : 0;
}
