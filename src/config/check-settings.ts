/**
 * The settings a status check and a client share, as an action input or a CLI flag gives them: one
 * rule each (allowed values, default, bounds), so `timeout` and `--timeout` refuse the same things in
 * the same words. The functions read theirs from the environment with their own bounds (OTS_TIMEOUT_MS
 * is milliseconds within the function's budget, functions/config.ts).
 */
import { API_VERSIONS, DEFAULT_API_VERSION } from '../api/registry.js';
import { DEFAULT_DEGRADED_MS } from '../check/check.js';
import { CHECK_DEPTHS, FAIL_ON, type FailOn } from '../check/options.js';
import { DEFAULT_TIMEOUT_MS } from '../http/transport.js';
import type { ApiVersion, CheckDepth } from '../types.js';
import { parseChoice, parseSecondsAsMs, parseWholeNumber } from './parsers.js';

/** The settings by the names the action and the CLI give them (`timeout`, `--timeout`). */
export const CHECK_SETTING_NAMES = ['api-version', 'timeout', 'degraded-ms', 'depth', 'fail-on'] as const;
export type CheckSettingName = (typeof CHECK_SETTING_NAMES)[number];

export interface CheckSettings {
  apiVersion: ApiVersion;
  timeoutMs: number;
  degradedMs: number;
  depth: CheckDepth;
  failOn: FailOn;
}

/** A timeout of at most ten minutes, in seconds; a degraded threshold of at most an hour. */
const MAX_TIMEOUT_SECONDS = 600;
const DEGRADED_MS = { min: 1, max: 3_600_000, unit: 'milliseconds' };

/**
 * Each setting from its text; an unset or blank one is its default. Errors name the setting as
 * `prefix` + its name (`--timeout` for the CLI).
 */
export function parseCheckSettings(
  texts: Partial<Record<CheckSettingName, string>>,
  prefix = '',
): CheckSettings {
  const text = (name: CheckSettingName) => [texts[name] ?? '', `${prefix}${name}`] as const;
  return {
    apiVersion: parseChoice(...text('api-version'), API_VERSIONS, DEFAULT_API_VERSION),
    timeoutMs: parseSecondsAsMs(...text('timeout'), { max: MAX_TIMEOUT_SECONDS }, DEFAULT_TIMEOUT_MS),
    degradedMs: parseWholeNumber(...text('degraded-ms'), DEGRADED_MS, DEFAULT_DEGRADED_MS),
    depth: parseChoice<CheckDepth>(...text('depth'), CHECK_DEPTHS, 'status'),
    failOn: parseChoice(...text('fail-on'), FAIL_ON, 'down'),
  };
}
