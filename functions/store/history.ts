/**
 * Reading history for the status page and the history API: for each target, one Query (paged only past
 * 1 MB) over `sk >= DAY#<first day>`, which returns the D daily rollups, the incidents and the STATE
 * item (the sort keys order CHECK# < DAY# < INC# < STATE), never the individual checks. So T targets
 * x D days cost about T x (D + 1) items plus the incidents, however often the targets were checked.
 * Malformed items are skipped with a warning.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CheckState } from '../../src/types.js';
import { logger } from '../powertools.js';
import {
  type DayItem,
  type IncidentItem,
  isDayItem,
  isIncidentItem,
  isStateItem,
  type StateItem,
} from './items.js';
import { daySk, isDaySk, isIncidentSk, STATE_SK, targetPk } from './keys.js';

const STATES: readonly CheckState[] = ['nominal', 'degraded', 'down'];

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
  /** Items the Query returned: the cost of this read. */
  itemsRead: number;
}

/** The first day of a `days`-long window ending today (UTC). */
export function firstDay(now: Date, days: number): string {
  return new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

export async function readHistory(
  client: DynamoDBDocumentClient,
  table: string,
  targets: readonly string[],
  days: number,
  now: Date = new Date(),
): Promise<TargetHistory[]> {
  const from = firstDay(now, days);
  return Promise.all(targets.map((target) => readTarget(client, table, target, from)));
}

async function readTarget(
  client: DynamoDBDocumentClient,
  table: string,
  target: string,
  from: string,
): Promise<TargetHistory> {
  const history: TargetHistory = { target, days: [], incidents: [], itemsRead: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': targetPk(target), ':from': daySk(from) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      history.itemsRead += 1;
      take(history, item);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  history.incidents.sort((a, b) => b.start.localeCompare(a.start));
  return history;
}

function take(history: TargetHistory, item: Record<string, unknown>): void {
  const sk = String(item.sk);
  if (isDaySk(sk)) {
    if (isDayItem(item)) history.days.push(rollup(item));
    else logger.warn('A stored daily rollup is malformed: it is skipped', { target: history.target, sk });
  } else if (isIncidentSk(sk)) {
    if (isIncidentItem(item)) history.incidents.push(item);
    else logger.warn('A stored incident is malformed: it is skipped', { target: history.target, sk });
  } else if (sk === STATE_SK) {
    if (isStateItem(item)) {
      const { state, since, last, incident } = item;
      history.state = { state, since, last, incident };
    } else
      logger.warn('The stored state of a target is malformed: it is skipped', { target: history.target });
  }
}

export function rollup(item: DayItem): DayRollup {
  const samples = (item.samples ?? []).filter((s) => s.length === 3 && s.every((n) => typeof n === 'number'));
  const counts = { nominal: item.nominal ?? 0, degraded: item.degraded ?? 0, down: item.down ?? 0 };
  const latencies = samples
    .map((s) => s[1]!)
    .filter((ms) => ms >= 0)
    .sort((a, b) => a - b);
  const worst = [...STATES].reverse().find((state) => counts[state] > 0) ?? null;
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
