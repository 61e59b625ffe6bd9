/**
 * The page's data from the history table (functions/store/keys.ts): one Query per target,
 * `pk = T#<target> AND sk >= DAY#<first day>`, which returns that target's daily rollups, its incidents
 * and its STATE item in key order, however many checks the period had. The last 24 h of checks come
 * from the samples of today's and yesterday's rollups, so no CHECK# item is ever read.
 * It is functions/store/history.ts's read (the same Query, its rollups) with one rule that read does
 * not have: synthetic items (`npm start -- --seed-history`) are kept only when the store is local
 * (source.ts); a deployed function skips them and says so in its log. Malformed items are skipped with
 * a warning.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CheckState } from '../../src/types.js';
import { logger } from '../powertools.js';
import { rollup } from '../store/history.js';
import {
  type DayItem,
  type IncidentItem,
  isDayItem,
  isIncidentItem,
  isStateItem,
  type StateItem,
} from '../store/items.js';
import { daySk, isDaySk, isIncidentSk, STATE_SK, targetPk } from '../store/keys.js';
import { lastDates } from './days.js';
import type {
  CurrentState,
  DayRollup,
  HistoryData,
  IncidentRecord,
  LatencyPoint,
  TargetHistory,
} from './model.js';
import type { HistoryRequest, HistorySource } from './source.js';

const STATE_OF_CODE: readonly CheckState[] = ['nominal', 'degraded', 'down'];

export interface ReadStats {
  /** Query operations: one per target read. */
  queries: number;
  /** Query requests: more than one for a Query whose answer passes DynamoDB's 1 MB page. */
  pages: number;
  items: number;
}

/** Samples are `[seconds into the day, latency ms or -1, state code]`. */
function samplesOf(day: DayItem): LatencyPoint[] {
  const start = Date.parse(`${day.date}T00:00:00Z`);
  const points: LatencyPoint[] = [];
  for (const sample of day.samples ?? []) {
    const [second, ms, code] = sample;
    const state = STATE_OF_CODE[code ?? -1];
    if (typeof second !== 'number' || typeof ms !== 'number' || state === undefined) continue;
    points.push({ at: new Date(start + second * 1000).toISOString(), state, ms: ms < 0 ? null : ms });
  }
  return points;
}

/** The monitor's rollup (functions/store/history.ts): its counts, uptime and percentiles, one rule. */
function dayOf(item: DayItem): DayRollup {
  const { date, nominal, degraded, down, p50Ms, p95Ms } = rollup(item);
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
function currentOf(item: StateItem): CurrentState {
  const message =
    item.state === 'nominal' ? item.last.message : (item.incident?.lastMessage ?? item.last.message);
  return { state: item.state, latencyMs: item.last.latencyMs, checkedAt: item.last.checkedAt, message };
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
    const from = days === 0 ? 'INC#' : daySk(lastDates(request.now, days)[0]!);
    const reads = await Promise.all(request.targets.map((target) => this.#readTarget(target, from, request)));
    return { targets: reads.map((r) => r.history), synthetic: reads.some((r) => r.synthetic) };
  }

  async #query(target: string, from: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    this.stats.queries += 1;
    do {
      const answer: QueryCommandOutput = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': targetPk(target), ':from': from },
          ExclusiveStartKey: start,
        }),
      );
      this.stats.pages += 1;
      this.stats.items += answer.Count ?? 0;
      items.push(...(answer.Items ?? []));
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async #readTarget(
    target: string,
    from: string,
    request: HistoryRequest,
  ): Promise<{ history: TargetHistory; synthetic: boolean }> {
    const history: TargetHistory = { target, current: null, days: [], incidents: [], recent: [] };
    const recentFrom = request.now.getTime() - 86_400_000;
    let synthetic = false;
    let skipped = 0;
    let refused = 0;
    for (const item of await this.#query(target, from)) {
      const sk = String(item.sk);
      if (item.synthetic === true) {
        if (!this.#allowSynthetic) {
          refused += 1;
          continue;
        }
        synthetic = true;
      }
      if (isDaySk(sk)) {
        if (!isDayItem(item)) {
          skipped += 1;
          continue;
        }
        const points = samplesOf(item);
        history.days.push(dayOf(item));
        if (request.recent) history.recent.push(...points.filter((p) => Date.parse(p.at) > recentFrom));
      } else if (isIncidentSk(sk)) {
        if (isIncidentItem(item)) history.incidents.push(incidentOf(item, target));
        else skipped += 1;
      } else if (sk === STATE_SK) {
        if (isStateItem(item)) history.current = currentOf(item);
        else skipped += 1;
      }
    }
    if (skipped > 0) logger.warn('Skipped malformed history items', { target, skipped });
    if (refused > 0)
      logger.warn('Ignored synthetic history items: this store is not a local one', { target, refused });
    // Incident ids (and so their sort keys) start with the start time: newest first is the reverse.
    history.incidents.sort((a, b) => b.start.localeCompare(a.start));
    if (history.incidents.length > request.incidentLimit) {
      history.incidents = history.incidents.slice(0, request.incidentLimit);
      history.incidentsTruncatedBefore = history.incidents.at(-1)!.start;
    }
    return { history, synthetic };
  }
}
