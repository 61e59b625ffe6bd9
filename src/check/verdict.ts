/**
 * Whether a status report fails: the rule behind the action's `fail-on` and the CLI's `--fail-on`.
 * Refused credentials and a failed roundtrip make a target `down` (src/check/check.ts), so the default
 * `down` catches a revoked token.
 */
import { ValidationError } from '../errors.js';
import type { CheckState, StatusReport, TargetStatus } from '../types.js';
import { FAIL_ON, type FailOn } from './options.js';

/** The states that fail a report under each `fail-on`. */
const FAILING_STATES: Record<FailOn, readonly CheckState[]> = {
  down: ['down'],
  degraded: ['degraded', 'down'],
  never: [],
};

/** The targets that make `report` fail under `failOn`, in report order: none when it passes. */
export function failingTargets(report: StatusReport, failOn: FailOn): TargetStatus[] {
  const failing = failingStates(failOn);
  return report.results.filter((result) => failing.includes(result.state));
}

/** Whether `report` fails under `failOn`: `down` when a target is down, `degraded` when one is not nominal. */
export function reportFails(report: StatusReport, failOn: FailOn): boolean {
  return failingTargets(report, failOn).length > 0;
}

/** A JavaScript caller may pass any string: it is refused, never read as `never`. */
function failingStates(failOn: FailOn): readonly CheckState[] {
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new ValidationError(`failOn must be one of ${FAIL_ON.join(', ')}.`, { input: 'failOn' });
  }
  return FAILING_STATES[failOn];
}
