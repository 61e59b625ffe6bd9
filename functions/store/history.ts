/**
 * Reading history for the status page and the history API: for each target, one Query (paged only past
 * 1 MB) over `sk >= DAY#<first day>`, which returns the D daily rollups, the incidents and the STATE
 * item (the sort keys order CHECK# < DAY# < INC# < STATE), never the individual checks. So T targets
 * x D days cost about T x (D + 1) items plus the incidents, however often the targets were checked.
 * A caller's filter may refuse items (the page refuses synthetic ones); malformed items are skipped,
 * with one warning per target.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CheckState } from '../../src/fetch.js';
import { logger } from '../powertools.js';
import {
  type DayItem,
  type IncidentItem,
  isDayItem,
  isIncidentItem,
  isStateItem,
  STORED_STATES,
  type StateItem,
} from './items.js';
import { daySk, incidentSk, isDaySk, isIncidentSk, STATE_SK, targetPk } from './keys.js';

export interface DayRollup {
  date: string;
  checks: number;
  nominal: number;
  degraded: number;
  down: number;
  /** Percent of checks that were up (nominal or degraded, as the `Up` metric counts), null without checks. */
  uptime: number | null;
  worst: CheckState | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** `[seconds into the day, latency ms (-1: none), state 0/1/2]`, for sparklines. */
  samples: number[][];
}

export interface TargetHistory {
  target: string;
  /** The confirmed state and the latest result; undefined before the first check. */
  state?: Pick<StateItem, 'state' | 'since' | 'last' | 'incident'>;
  /** Oldest first; days without checks are absent (the caller decides how to show them). */
  days: DayRollup[];
  /** Newest first. */
  incidents: IncidentItem[];
  /** Items the Query returned, kept or not: the cost of this read. */
  itemsRead: number;
  /** Query requests: more than one when the answer passes DynamoDB's 1 MB page. */
  pagesRead: number;
}

/** Whether an item the Query returned is taken into the history (the page refuses synthetic items). */
export type ItemFilter = (item: Record<string, unknown>, target: string) => boolean;

/** The first day of a `days`-long window ending today (UTC). */
export function firstDay(now: Date, days: number): string {
  return new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** The history of each target over the last `days` UTC days, today included (0: no days, only the incidents and the state). */
export async function readHistory(
  client: DynamoDBDocumentClient,
  table: string,
  targets: readonly string[],
  days: number,
  now: Date = new Date(),
  keep: ItemFilter = () => true,
): Promise<TargetHistory[]> {
  const from = days === 0 ? incidentSk('') : daySk(firstDay(now, days));
  return Promise.all(targets.map((target) => readTarget({ client, table, target, from, keep })));
}

interface TargetRead {
  client: DynamoDBDocumentClient;
  table: string;
  target: string;
  /** The first sort key read. */
  from: string;
  keep: ItemFilter;
}

async function readTarget({ client, table, target, from, keep }: TargetRead): Promise<TargetHistory> {
  const history: TargetHistory = { target, days: [], incidents: [], itemsRead: 0, pagesRead: 0 };
  let skipped = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': targetPk(target), ':from': from },
        ExclusiveStartKey: start,
      }),
    );
    history.pagesRead += 1;
    for (const item of page.Items ?? []) {
      history.itemsRead += 1;
      if (keep(item, target) && !take(history, item)) skipped += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  if (skipped > 0) logger.warn('Skipped malformed history items', { target, skipped });
  // Incident ids (and so their sort keys) start with the start time: newest first is the reverse.
  history.incidents.sort((a, b) => b.start.localeCompare(a.start));
  return history;
}

/** Takes an item into the history; false when it is malformed. */
function take(history: TargetHistory, item: Record<string, unknown>): boolean {
  const sk = String(item.sk);
  if (isDaySk(sk)) {
    if (!isDayItem(item)) return false;
    history.days.push(rollup(item));
  } else if (isIncidentSk(sk)) {
    if (!isIncidentItem(item)) return false;
    history.incidents.push(item);
  } else if (sk === STATE_SK) {
    if (!isStateItem(item)) return false;
    const { state, since, last, incident } = item;
    history.state = { state, since, last, incident };
  }
  return true;
}

export function rollup(item: DayItem): DayRollup {
  const samples = (item.samples ?? []).filter((s) => s.length === 3 && s.every((n) => typeof n === 'number'));
  const counts = { nominal: item.nominal ?? 0, degraded: item.degraded ?? 0, down: item.down ?? 0 };
  const latencies = samples
    .map((s) => s[1]!)
    .filter((ms) => ms >= 0)
    .sort((a, b) => a - b);
  const worst = [...STORED_STATES].reverse().find((state) => counts[state] > 0) ?? null;
  return {
    date: item.date,
    checks: item.checks,
    ...counts,
    uptime: item.checks === 0 ? null : round(((counts.nominal + counts.degraded) / item.checks) * 100),
    worst,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: latencies.length === 0 ? null : latencies[latencies.length - 1]!,
    samples,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const round = (n: number) => Math.round(n * 100) / 100;
