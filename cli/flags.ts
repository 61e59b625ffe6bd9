/** Checks and converts flag values. Messages name the flag and what is allowed, never the value given. */

import { parseSecondsAsMs, ValidationError } from '../src/index.js';
import type { ApiVersion, CheckDepth } from '../src/types.js';
import { UsageError } from './usage-error.js';

export type FailOn = 'down' | 'degraded' | 'never';

/** Flags after checking; absent ones stay undefined so the environment can fill them. */
export interface Flags {
  region?: string;
  domain?: string;
  json: boolean;
  /** --allow-http: plain http to a private host (a self-hosted OTS), with a warning. */
  allowHttp?: boolean;
  timeoutMs?: number;
  apiVersion?: ApiVersion;
  /** Kept raw: the core's `parseTtl` is the one judge of a TTL. */
  ttl?: string;
  passphraseFile?: string;
  recipients: string[];
  degradedMs?: number;
  depth?: CheckDepth;
  failOn: FailOn;
}

/** Seconds by the core's one parser (the action's `timeout` uses it too), as a usage error. */
export function secondsToMs(flag: string, raw: string): number {
  try {
    return parseSecondsAsMs(raw, flag, { max: 600 });
  } catch (error) {
    throw error instanceof ValidationError ? new UsageError(error.message) : error;
  }
}

export function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value <= 0 || !Number.isSafeInteger(value)) {
    throw new UsageError(`${flag} must be a whole number of milliseconds greater than 0 (e.g. 2000)`);
  }
  return value;
}

export function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim().toLowerCase();
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new UsageError(`${flag} must be one of: ${allowed.join(', ')}`);
  }
  return match;
}
