/**
 * Which targets the functions check: the core's one precedence for the environment
 * (src/config/environment.ts targetsFromEnv: OTS_TARGETS plus OTS_DOMAIN, else OTS_REGION and/or
 * OTS_DOMAIN, else ONETIME_HOST), and without any of them `all` five hosted regions.
 * functions/deploy/alarms.cjs runs this very function at package time, so the alarms watch these targets.
 */
import { parseTargets, type Target, targetsFromEnv } from '../src/fetch.js';
import { type Env, fromCore } from './config-values.js';

export const DEFAULT_TARGETS = 'all';

export function readTargets(env: Env): Target[] {
  return fromCore(() => targetsFromEnv(env) ?? parseTargets(DEFAULT_TARGETS));
}
