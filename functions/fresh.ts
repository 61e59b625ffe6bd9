/**
 * Where the Slack command finds results fresh enough to answer within Slack's 3 s, and how it gets new
 * ones. Today both are this container's StatusCache (fresh for OTS_STATUS_CACHE_SECONDS); the history
 * store can take over `freshResults` (results younger than its max age, from any container) without the
 * Slack code changing.
 */
import type { Target, TargetStatus } from '../src/types.js';
import { StatusCache } from './cache.js';
import { runCheck } from './check.js';
import type { FunctionConfig } from './config.js';
import { resolveCredentials } from './secrets.js';

let cache: StatusCache | undefined;

function containerCache(config: FunctionConfig): StatusCache {
  cache ??= new StatusCache(config.cacheSeconds * 1000);
  return cache;
}

export function resetFreshForTests(): void {
  cache = undefined;
}

/** Results for every one of `targets` that need no upstream call, or undefined when any is missing. */
export async function freshResults(
  config: FunctionConfig,
  targets: readonly Target[],
): Promise<TargetStatus[] | undefined> {
  return containerCache(config).fresh(targets);
}

/** Results for `targets`, checking the ones that are not fresh (and remembering them). */
export function currentResults(config: FunctionConfig, targets: readonly Target[]): Promise<TargetStatus[]> {
  return containerCache(config).get(targets, async (missing) =>
    runCheck(config, missing, await resolveCredentials(config)),
  );
}
