/**
 * `npm start -- --seed-history 90d`: writes synthetic history (scripts/synthetic-history.ts) into the
 * local store, so the page can be seen full. Every item carries `synthetic: true`, which the page shows
 * and a deployed function ignores (functions/page/source.ts). It writes only to a loopback endpoint,
 * never to a real table, and never replaces a target's real STATE item.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LatencyPoint, TargetHistory } from '../functions/page/model.js';
import { syntheticAllowed } from '../functions/page/source.js';
import { sampleCode } from '../functions/store/items.js';
import { daySk, expiresAt, incidentSk, STATE_SK, targetPk } from '../functions/store/keys.js';
import { isConflict } from '../functions/store/monitor-store.js';
import { StartError } from './processes.js';
import { syntheticHistory } from './synthetic-history.js';

const MAX_SEED_DAYS = 90;

/** The days of `--seed-history <N>d` (or `=<N>d`) in `argv`; undefined without the flag. */
export function parseSeedFlag(argv: readonly string[]): number | undefined {
  const index = argv.findIndex((arg) => arg === '--seed-history' || arg.startsWith('--seed-history='));
  if (index < 0) return undefined;
  const arg = argv[index]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const match = /^(\d{1,2})d?$/.exec(value ?? '');
  const days = match === null ? Number.NaN : Number(match[1]);
  if (!(days >= 1 && days <= MAX_SEED_DAYS)) {
    throw new StartError(
      `--seed-history takes a number of days from 1 to ${MAX_SEED_DAYS}, like --seed-history 90d.`,
    );
  }
  return days;
}

function items(history: TargetHistory, historyDays: number): Record<string, unknown>[] {
  const pk = targetPk(history.target);
  const byDate = new Map<string, LatencyPoint[]>();
  for (const point of history.recent) {
    const date = point.at.slice(0, 10);
    byDate.set(date, [...(byDate.get(date) ?? []), point]);
  }
  const out: Record<string, unknown>[] = history.days.map((day) => ({
    pk,
    sk: daySk(day.date),
    target: history.target,
    date: day.date,
    checks: day.checks.nominal + day.checks.degraded + day.checks.down,
    ...day.checks,
    samples: samplesFor(day.date, day.checks, day.p50Ms, byDate.get(day.date)),
    expiresAt: expiresAt(`${day.date}T00:00:00Z`, historyDays + 1),
    synthetic: true,
  }));
  for (const incident of history.incidents) {
    out.push({
      pk,
      sk: incidentSk(incident.id),
      target: history.target,
      id: incident.id,
      start: incident.start,
      end: incident.end ?? undefined,
      durationSeconds:
        incident.end === null
          ? undefined
          : Math.round((Date.parse(incident.end) - Date.parse(incident.start)) / 1000),
      worst: incident.state,
      firstMessage: incident.message,
      lastMessage: incident.message,
      expiresAt: expiresAt(incident.end ?? incident.start, historyDays),
      synthetic: true,
    });
  }
  return out;
}

/**
 * The day's samples as the monitor stores them (`[second of day, ms or -1, state code]`): the real
 * points for the last 24 h, and for older days one sample per check spread over the day, with latencies
 * around the day's median (the rollup's counts stay exact).
 */
function samplesFor(
  date: string,
  checks: Record<'nominal' | 'degraded' | 'down', number>,
  p50: number | null,
  points: readonly LatencyPoint[] | undefined,
): number[][] {
  const start = Date.parse(`${date}T00:00:00Z`);
  const total = checks.nominal + checks.degraded + checks.down;
  if (points !== undefined && points.length === total) {
    return points.map((p) => [
      Math.round((Date.parse(p.at) - start) / 1000),
      p.ms ?? -1,
      sampleCode(p.state),
    ]);
  }
  const states = (['nominal', 'degraded', 'down'] as const).flatMap((state) =>
    Array(checks[state]).fill(state),
  );
  return states.map((state, i) => [
    i * 300,
    state === 'down'
      ? -1
      : Math.round((p50 ?? 100) * (0.85 + ((i * 37) % 30) / 100) + (state === 'degraded' ? 2300 : 0)),
    sampleCode(state),
  ]);
}

function stateItem(history: TargetHistory, url: string, now: string): Record<string, unknown> | undefined {
  const current = history.current;
  if (current === null) return undefined;
  return {
    pk: targetPk(history.target),
    sk: STATE_SK,
    target: history.target,
    version: 1,
    state: current.state,
    since: history.incidents[0]?.end ?? current.checkedAt,
    streak: null,
    incident: null,
    last: {
      target: history.target,
      url,
      state: current.state,
      httpStatus: current.state === 'down' ? 503 : 200,
      latencyMs: current.latencyMs,
      message: current.message,
      checkedAt: current.checkedAt,
    },
    outbox: [],
    journal: [],
    updatedAt: now,
    synthetic: true,
  };
}

export interface SeedOptions {
  endpoint: string;
  table: string;
  /** Configured targets: display name and status URL. */
  targets: readonly { name: string; statusUrl: string }[];
  days: number;
  historyDays: number;
  now?: Date;
}

/** Writes the synthetic history; resolves the number of items written. */
export async function seedHistory(options: SeedOptions): Promise<number> {
  if (!syntheticAllowed({ AWS_ENDPOINT_URL_DYNAMODB: options.endpoint })) {
    throw new StartError('--seed-history writes only to the local store (a loopback DynamoDB endpoint).');
  }
  const now = options.now ?? new Date();
  const data = syntheticHistory({
    targets: options.targets.map((t) => t.name),
    days: options.days,
    now,
    openIncidents: false,
  });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  let written = 0;
  try {
    for (const [index, history] of data.targets.entries()) {
      const all = items(history, options.historyDays);
      for (let i = 0; i < all.length; i += 25) {
        const batch = all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        let pending: typeof batch | undefined = batch;
        while (pending !== undefined && pending.length > 0) {
          const answer = await client.send(
            new BatchWriteCommand({ RequestItems: { [options.table]: pending } }),
          );
          pending = answer.UnprocessedItems?.[options.table] as typeof batch | undefined;
        }
      }
      written += all.length;
      const state = stateItem(history, options.targets[index]!.statusUrl, now.toISOString());
      if (state === undefined) continue;
      try {
        // A target the monitor already checked keeps its real state.
        await client.send(
          new PutCommand({
            TableName: options.table,
            Item: state,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        written += 1;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
  return written;
}
