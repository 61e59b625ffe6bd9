/**
 * Where the Slack command finds results fresh enough to answer within Slack's 3 s, and how it gets new
 * ones. Fresh means this container's StatusCache (OTS_STATUS_CACHE_SECONDS), else the history table's
 * latest results while younger than OTS_STATUS_MAX_AGE_SECONDS: written by the scheduled function, so
 * fresh in every container however few commands it has seen. A store that fails is logged and treated
 * as "not fresh": the command is acknowledged and answered late, never refused.
 */
import type { Target, TargetStatus } from '../src/fetch.js';
import { StatusCache } from './cache.js';
import { runCheck } from './check.js';
import type { FunctionConfig } from './config.js';
import { getMonitorConfig } from './config-monitor.js';
import { logger } from './powertools.js';
import { resolveCredentials } from './secrets.js';

let cache: StatusCache | undefined;

function containerCache(config: FunctionConfig): StatusCache {
  cache ??= new StatusCache(config.cacheSeconds * 1000);
  return cache;
}

/** Results for every one of `targets` that need no upstream call, or undefined when any is missing. */
export async function freshResults(
  config: FunctionConfig,
  targets: readonly Target[],
): Promise<TargetStatus[] | undefined> {
  return (await containerCache(config).fresh(targets)) ?? storedResults(targets);
}

/** The store's latest result per target, when every one is younger than the status max age. */
async function storedResults(targets: readonly Target[]): Promise<TargetStatus[] | undefined> {
  const { table, statusMaxAgeSeconds } = getMonitorConfig();
  if (table === undefined) return undefined;
  try {
    // The store's modules (and the AWS SDK) load on first use: no SDK at module load.
    const [{ documentClient }, { readLatest }] = await Promise.all([
      import('./store/client.js'),
      import('./store/latest.js'),
    ]);
    const found = await readLatest(
      documentClient(),
      table,
      targets.map((t) => t.name),
    );
    const oldest = Date.now() - statusMaxAgeSeconds * 1000;
    const results = targets.map((t) => found.get(t.name));
    const fresh = results.every((r) => r !== undefined && Date.parse(r.checkedAt) > oldest);
    return fresh ? (results as TargetStatus[]) : undefined;
  } catch (error) {
    const { storeErrorKind } = await import('./store/errors.js');
    logger.warn('The history store is unavailable: the Slack command is answered late', {
      reason: storeErrorKind(error),
    });
    return undefined;
  }
}

/** Results for `targets`, checking the ones that are not fresh (and remembering them). */
export function currentResults(config: FunctionConfig, targets: readonly Target[]): Promise<TargetStatus[]> {
  return containerCache(config).get(targets, async (missing) =>
    runCheck(config, missing, await resolveCredentials(config)),
  );
}
