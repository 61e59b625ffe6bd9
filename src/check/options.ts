/** The choices a status check offers, listed once: every adapter parses its input against these. */

/** How deep a check goes: the status route only, or also a share and two reveals. */
export const CHECK_DEPTHS = ['status', 'roundtrip'] as const;

/** When a report counts as a failure: the action's `fail-on`, the CLI's `--fail-on`. */
export const FAIL_ON = ['down', 'degraded', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
