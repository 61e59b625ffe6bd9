/**
 * The warm container's cache of history reads: the same read (targets, days, incidents, the UTC date)
 * within `ttlMs` is answered from memory, and a read in flight is shared, so a burst of page views costs
 * one Query per target. A failed read is not kept. The stored data changes once per scheduled run
 * (5 minutes), so OTS_STATUS_CACHE_SECONDS (30 s by default) is a fine bound for it too.
 */
import type { HistoryData } from './model.js';
import type { HistoryRequest, HistorySource } from './source.js';

export class CachedSource implements HistorySource {
  readonly #source: HistorySource;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { expiresAt: number; data: Promise<HistoryData> }>();

  constructor(source: HistorySource, ttlMs: number) {
    this.#source = source;
    this.#ttlMs = ttlMs;
  }

  read(request: HistoryRequest): Promise<HistoryData> {
    if (this.#ttlMs <= 0) return this.#source.read(request);
    const { targets, days, incidentLimit, recent, now } = request;
    const key = JSON.stringify([targets, days, incidentLimit, recent, now.toISOString().slice(0, 10)]);
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now.getTime()) return entry.data;
    const data = this.#source.read(request);
    this.#entries.set(key, { expiresAt: Number.POSITIVE_INFINITY, data });
    data.then(
      () => {
        const current = this.#entries.get(key);
        if (current?.data === data) current.expiresAt = Date.now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key)?.data === data) this.#entries.delete(key);
      },
    );
    return data;
  }
}
