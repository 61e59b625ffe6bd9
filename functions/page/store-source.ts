/**
 * The page's data from the history table (functions/store/keys.ts): one Query per target,
 * `pk = T#<target> AND sk >= DAY#<first day>`, which returns that target's daily rollups, its incidents
 * and its STATE item in key order, however many checks the period had. The last 24 h of checks come
 * from the samples of today's and yesterday's rollups, so no CHECK# item is ever read.
 * It is functions/store/history.ts's read (the same Query, its rollups) with one rule given to it as a
 * filter: synthetic items (`npm start -- --seed-history`) are kept only when the store is local
 * (source.ts); a deployed function skips them and says so in its log. Malformed items are skipped with
 * a warning.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { logger } from '../powertools.js';
import {
  readHistory,
  type DayRollup as StoredDay,
  type TargetHistory as StoredHistory,
} from '../store/history.js';
import { type IncidentItem, type StateItem, stateOfSample } from '../store/items.js';
import type {
  CurrentState,
  DayRollup,
  HistoryData,
  IncidentRecord,
  LatencyPoint,
  TargetHistory,
} from './model.js';
import type { HistoryRequest, HistorySource } from './source.js';

export interface ReadStats {
  /** Query operations: one per target read. */
  queries: number;
  /** Query requests: more than one for a Query whose answer passes DynamoDB's 1 MB page. */
  pages: number;
  items: number;
}

/** Samples are `[seconds into the day, latency ms or -1, state code]`. */
function samplesOf(day: StoredDay): LatencyPoint[] {
  const start = Date.parse(`${day.date}T00:00:00Z`);
  const points: LatencyPoint[] = [];
  for (const [second, ms, code] of day.samples) {
    const state = stateOfSample(code);
    if (second === undefined || ms === undefined || state === undefined) continue;
    points.push({ at: new Date(start + second * 1000).toISOString(), state, ms: ms < 0 ? null : ms });
  }
  return points;
}

/** The monitor's rollup (functions/store/history.ts): its counts, uptime and percentiles, one rule. */
function dayOf({ date, nominal, degraded, down, p50Ms, p95Ms }: StoredDay): DayRollup {
  return { date, checks: { nominal, degraded, down }, p50Ms, p95Ms };
}

function incidentOf(item: IncidentItem, target: string): IncidentRecord {
  return {
    id: item.id,
    target,
    state: item.worst,
    start: item.start,
    end: item.end ?? null,
    message: item.lastMessage,
  };
}

/** The confirmed state (what the monitor announced), with the latest check's latency and time. */
function currentOf(item: Pick<StateItem, 'state' | 'last' | 'incident'>): CurrentState {
  const message =
    item.state === 'nominal' ? item.last.message : (item.incident?.lastMessage ?? item.last.message);
  return { state: item.state, latencyMs: item.last.latencyMs, checkedAt: item.last.checkedAt, message };
}

/**
 * The synthetic-items rule as readHistory's filter: kept where allowed (and noted, the page says so),
 * refused elsewhere (and counted per target, for one log line each).
 */
class SyntheticRule {
  seen = false;
  readonly #allowed: boolean;
  readonly #refused = new Map<string, number>();

  constructor(allowed: boolean) {
    this.#allowed = allowed;
  }

  readonly keep = (item: Record<string, unknown>, target: string): boolean => {
    if (item.synthetic !== true) return true;
    if (this.#allowed) this.seen = true;
    else this.#refused.set(target, (this.#refused.get(target) ?? 0) + 1);
    return this.#allowed;
  };

  logRefused(): void {
    for (const [target, refused] of this.#refused)
      logger.warn('Ignored synthetic history items: this store is not a local one', { target, refused });
  }
}

export class StoreHistorySource implements HistorySource {
  readonly stats: ReadStats = { queries: 0, pages: 0, items: 0 };
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #allowSynthetic: boolean;

  constructor(client: DynamoDBDocumentClient, table: string, allowSynthetic: boolean) {
    this.#client = client;
    this.#table = table;
    this.#allowSynthetic = allowSynthetic;
  }

  async read(request: HistoryRequest): Promise<HistoryData> {
    // The 24 h of checks span today's rollup and yesterday's.
    const days = Math.max(request.days, request.recent ? 2 : 0);
    const synthetic = new SyntheticRule(this.#allowSynthetic);
    const stored = await readHistory(
      this.#client,
      this.#table,
      request.targets,
      days,
      request.now,
      synthetic.keep,
    );
    synthetic.logRefused();
    for (const history of stored) this.#count(history);
    return { targets: stored.map((history) => pageHistory(history, request)), synthetic: synthetic.seen };
  }

  #count(history: StoredHistory): void {
    this.stats.queries += 1;
    this.stats.pages += history.pagesRead;
    this.stats.items += history.itemsRead;
  }
}

function pageHistory(stored: StoredHistory, request: HistoryRequest): TargetHistory {
  const { target } = stored;
  // Newest first already (readHistory), so the limit keeps the latest.
  const incidents = stored.incidents.map((item) => incidentOf(item, target));
  const history: TargetHistory = {
    target,
    current: stored.state === undefined ? null : currentOf(stored.state),
    days: stored.days.map(dayOf),
    incidents: incidents.slice(0, request.incidentLimit),
    recent: request.recent ? recentPoints(stored.days, request.now) : [],
  };
  if (incidents.length > request.incidentLimit) {
    history.incidentsTruncatedBefore = history.incidents.at(-1)!.start;
  }
  return history;
}

/** The checks of the last 24 hours, from the samples of the days read. */
function recentPoints(days: readonly StoredDay[], now: Date): LatencyPoint[] {
  const from = now.getTime() - 86_400_000;
  return days.flatMap(samplesOf).filter((point) => Date.parse(point.at) > from);
}
