/**
 * The warm container's status cache. Each target's result is kept for `ttlMs` after it arrives, and a
 * check in flight is shared: a burst of concurrent requests costs one check per target, whatever mix of
 * `/status` and `/status/{target}` they ask for. A failed check is not cached.
 */
import { type StatusReport, type Target, type TargetStatus, worstState } from '../src/fetch.js';

export type CheckRunner = (targets: readonly Target[]) => Promise<StatusReport>;

interface Entry {
  result: Promise<TargetStatus>;
  /** When the result stops being fresh; Infinity while in flight. */
  expiresAt: number;
  /** The result once it arrived. */
  value?: TargetStatus;
}

export class StatusCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Results for `targets` in their order: fresh or in-flight ones reused, the rest checked together. */
  get(targets: readonly Target[], run: CheckRunner): Promise<TargetStatus[]> {
    const now = this.#now();
    const missing = targets.filter((target) => {
      const entry = this.#entries.get(target.origin);
      return entry === undefined || entry.expiresAt <= now;
    });
    if (missing.length > 0) this.#start(missing, run);
    return Promise.all(targets.map((target) => this.#entries.get(target.origin)!.result));
  }

  /** The results for `targets` when every one is fresh (arrived, not expired); otherwise undefined. */
  fresh(targets: readonly Target[]): TargetStatus[] | undefined {
    const now = this.#now();
    const results: TargetStatus[] = [];
    for (const target of targets) {
      const entry = this.#entries.get(target.origin);
      if (entry?.value === undefined || entry.expiresAt <= now) return undefined;
      results.push(entry.value);
    }
    return results;
  }

  #start(targets: readonly Target[], run: CheckRunner): void {
    const report = run(targets);
    for (const target of targets) {
      const entry: Entry = { result: resultFor(report, target), expiresAt: Number.POSITIVE_INFINITY };
      this.#entries.set(target.origin, entry);
      entry.result.then(
        (value) => {
          entry.value = value;
          entry.expiresAt = this.#now() + this.#ttlMs;
        },
        () => {
          if (this.#entries.get(target.origin) === entry) this.#entries.delete(target.origin);
        },
      );
    }
  }
}

async function resultFor(report: Promise<StatusReport>, target: Target): Promise<TargetStatus> {
  const { results } = await report;
  const result =
    results.find((r) => r.target === target.name) ?? results.find((r) => r.url.startsWith(target.origin));
  if (result === undefined) throw new Error(`The status check returned no result for ${target.name}`);
  return result;
}

/** One report from per-target results: the worst state, and the time of the oldest result. */
export function combine(results: TargetStatus[]): StatusReport {
  const state = worstState(results.map((r) => r.state));
  const checkedAt = results.map((r) => r.checkedAt).sort()[0] ?? new Date().toISOString();
  return { state, results, checkedAt };
}
