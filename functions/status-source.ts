/**
 * Where /status gets each result (docs/monitor.md "Status from the store"): the latest stored result
 * while it is younger than OTS_STATUS_MAX_AGE_SECONDS, otherwise a live check through the container's
 * cache (single-flight). Upstream checks then follow the schedule, not the request rate. Store reads
 * are themselves shared in the container for OTS_STATUS_CACHE_SECONDS, so a burst costs one read. A
 * store that fails answers nothing: every target falls back to live, with one log line per outage.
 */
import type { Target, TargetStatus } from '../src/fetch.js';
import { logger } from './powertools.js';
import { storeErrorKind } from './store/errors.js';
import type { StoredResult } from './store/items.js';

const STORE_RETRY_MS = 5000;

export type SourcedResult = TargetStatus & { source: 'store' | 'live' };

export interface SourceDeps {
  /** Undefined without a table. */
  readStored?: (names: readonly string[]) => Promise<Map<string, StoredResult>>;
  live: (targets: readonly Target[]) => Promise<TargetStatus[]>;
  maxAgeMs: number;
  cacheMs: number;
  now: () => number;
}

interface Read {
  expiresAt: number;
  result: Promise<StoredResult | undefined>;
}

export class StatusSource {
  readonly #deps: SourceDeps;
  readonly #reads = new Map<string, Read>();
  #storeDown = false;

  constructor(deps: SourceDeps) {
    this.#deps = deps;
  }

  async results(targets: readonly Target[]): Promise<SourcedResult[]> {
    const stored = await this.#stored(targets);
    const now = this.#deps.now();
    const fresh = (r: StoredResult | undefined) =>
      r !== undefined && now - Date.parse(r.checkedAt) < this.#deps.maxAgeMs;
    const stale = targets.filter((_, i) => !fresh(stored[i]));
    const live = stale.length === 0 ? [] : await this.#deps.live(stale);
    return targets.map((target, i) => {
      const result = stored[i];
      if (fresh(result)) return { ...(result as StoredResult), source: 'store' };
      return { ...live[stale.indexOf(target)]!, source: 'live' };
    });
  }

  /** The stored result per target, shared with concurrent and recent requests; undefined when none. */
  #stored(targets: readonly Target[]): Promise<(StoredResult | undefined)[]> {
    const readStored = this.#deps.readStored;
    if (readStored === undefined) return Promise.resolve(targets.map(() => undefined));
    const now = this.#deps.now();
    const missing = targets.filter((t) => {
      const read = this.#reads.get(t.name);
      return read === undefined || read.expiresAt <= now;
    });
    if (missing.length > 0) {
      const batch = readStored(missing.map((t) => t.name)).then(
        (found) => {
          if (this.#storeDown) logger.info('The history store answers again: /status serves stored results');
          this.#storeDown = false;
          return found;
        },
        (error: unknown) => {
          if (!this.#storeDown) {
            logger.error(
              'The history store is unavailable: /status answers from live checks until it is back',
              {
                reason: storeErrorKind(error),
              },
            );
          }
          this.#storeDown = true;
          return new Map<string, StoredResult>();
        },
      );
      for (const target of missing) {
        const read: Read = {
          expiresAt: Number.POSITIVE_INFINITY,
          result: batch.then((found) => found.get(target.name)),
        };
        this.#reads.set(target.name, read);
        void read.result.then(() => {
          // While the store is down, it is asked again after a few seconds, not on every request.
          read.expiresAt = this.#deps.now() + (this.#storeDown ? STORE_RETRY_MS : this.#deps.cacheMs);
        });
      }
    }
    return Promise.all(targets.map((t) => this.#reads.get(t.name)!.result));
  }
}
