/**
 * The page routes in the real status handler, reading the history table in dynalite over loopback with
 * the real AWS SDK: what the scheduled function's store writes (MonitorStore) and what
 * `--seed-history` writes. A sandbox is the configured target.
 */

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreHistorySource } from '../../../functions/page/store-source.js';
import { documentClient, resetClientForTests } from '../../../functions/store/client.js';
import { MonitorStore } from '../../../functions/store/monitor-store.js';
import { startSandbox } from '../../../sandbox/index.js';
import type { Sandbox } from '../../../sandbox/types.js';
import { seedHistory } from '../../../scripts/seed-history.js';
import type { TargetStatus } from '../../../src/types.js';
import { startTestStore, type TestStore } from '../../monitor/store-helpers.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv } from '../helpers.js';

type Handler = (
  e: APIGatewayProxyEventV2,
  c: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

let sandbox: Sandbox;
let store: TestStore;
let target: string;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

function get(path: string, query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const e = sampleEvent('http-api-status');
  const one = /^\/history\/(.+)$/.exec(path);
  e.routeKey = one ? 'GET /history/{target}' : `GET ${path}`;
  e.rawPath = path;
  e.requestContext.http.path = path;
  e.pathParameters = one ? { target: decodeURIComponent(one[1]!) } : undefined;
  e.queryStringParameters = Object.keys(query).length > 0 ? query : undefined;
  return e;
}

async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  restoreEnv?.();
  restoreEnv = setEnv({ OTS_TARGETS: sandbox.url, OTS_STATUS_CACHE_SECONDS: '0', ...store.env, ...env });
  vi.resetModules();
  return (await import('../../../functions/status.js')).handler as Handler;
}

const result = (over: Partial<TargetStatus>): TargetStatus => ({
  target,
  url: `${sandbox.url}/api/v2/status`,
  state: 'nominal',
  httpStatus: 200,
  latencyMs: 40,
  message: 'nominal',
  checkedAt: new Date().toISOString(),
  ...over,
});

beforeAll(async () => {
  sandbox = await startSandbox();
  target = new URL(sandbox.url).host;
});

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(async () => {
  store = await startTestStore();
  output = captureOutput();
});

afterEach(async () => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
  await store.stop();
});

describe('the page routes from the history table', () => {
  it('show what the scheduled function recorded: counts, latency and the 24 h uptime', async () => {
    const monitor = new MonitorStore(store.client, store.table, 90);
    const now = Date.now();
    await monitor.recordChecks(
      [
        result({ checkedAt: new Date(now - 600_000).toISOString(), latencyMs: 30 }),
        result({
          checkedAt: new Date(now - 300_000).toISOString(),
          state: 'down',
          latencyMs: null,
          httpStatus: 503,
        }),
        result({ checkedAt: new Date(now - 1000).toISOString(), latencyMs: 50 }),
      ],
      'run1',
    );
    const handler = await loadHandler();
    const history = await handler(get(`/history/${target}`, { days: '1' }), lambdaContext());
    expect(history.statusCode).toBe(200);
    const [one] = JSON.parse(history.body!).targets;
    expect(one.uptime['24h']).toBe(66.66);
    const today = one.days.at(-1);
    // Unless the checks straddle midnight, all three are today's.
    if (today.checks.nominal + today.checks.down === 3) {
      expect(today).toMatchObject({
        checks: { nominal: 2, degraded: 0, down: 1 },
        uptime: 66.66,
        worst: 'down',
        p50Ms: 30,
        p95Ms: 50,
      });
    }
    const page = await handler(get('/'), lambdaContext());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('66.66%');
    expect(page.body).not.toContain('Synthetic history');
  });

  it('reads one Query per target and at most targets x (days + 1) + incidents items, never a check item', async () => {
    const names = ['eu', 'us'];
    await new MonitorStore(store.client, store.table, 90).recordChecks(
      names.map((name) => result({ target: name })),
      'run1',
    );
    const seeded = await seedHistory({
      endpoint: store.local.endpoint,
      table: store.table,
      targets: names.map((name) => ({ name, statusUrl: `https://${name}.onetimesecret.com/api/v2/status` })),
      days: 90,
      historyDays: 90,
    });
    expect(seeded).toBeGreaterThan(180);
    resetClientForTests();
    Object.assign(process.env, store.env);
    const source = new StoreHistorySource(documentClient(), store.table, true);
    const now = new Date();
    const data = await source.read({ targets: names, days: 90, incidentLimit: 5, recent: true, now });
    resetClientForTests();
    const incidentsStored = (await Promise.all(names.map((n) => store.items(n))))
      .flat()
      .filter((i) => String(i.sk).startsWith('INC#')).length;
    expect(source.stats.queries).toBe(names.length);
    expect(source.stats.items).toBeLessThanOrEqual(names.length * (90 + 1) + incidentsStored);
    expect(data.synthetic).toBe(true);
    expect(data.targets.map((t) => t.days.length)).toEqual([90, 90]);
    expect(data.targets.every((t) => t.current !== null && t.incidents.length <= 5)).toBe(true);
  });

  it('ignores synthetic items when the store is not local, and says so in one log line per target', async () => {
    await seedHistory({
      endpoint: store.local.endpoint,
      table: store.table,
      targets: [{ name: target, statusUrl: `${sandbox.url}/api/v2/status` }],
      days: 30,
      historyDays: 90,
    });
    const client = store.client;
    const deployed = new StoreHistorySource(client, store.table, false);
    const data = await deployed.read({
      targets: [target],
      days: 30,
      incidentLimit: 5,
      recent: true,
      now: new Date(),
    });
    expect(data.synthetic).toBe(false);
    expect(data.targets[0]).toMatchObject({ current: null, days: [], incidents: [], recent: [] });
    const lines = output.lines().filter((l) => l.includes('Ignored synthetic history items'));
    expect(lines).toHaveLength(1);
    const local = await new StoreHistorySource(client, store.table, true).read({
      targets: [target],
      days: 30,
      incidentLimit: 5,
      recent: true,
      now: new Date(),
    });
    expect(local.synthetic).toBe(true);
    expect(local.targets[0]!.days).toHaveLength(30);
  });

  it('with no days asked reads the incidents and not the days, and keeps the newest incidents', async () => {
    // A day's rollup (and its checks) that must not be read.
    await new MonitorStore(store.client, store.table, 90).recordChecks([result({})], 'run1');
    const starts = ['2026-11-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z', '2026-11-02T00:00:00.000Z'];
    for (const start of starts) {
      await store.client.send(
        new PutCommand({
          TableName: store.table,
          Item: {
            pk: `T#${target}`,
            sk: `INC#${start}`,
            id: start,
            start,
            end: start.replace('T00', 'T01'),
            worst: 'down',
            firstMessage: 'down',
            lastMessage: `down since ${start}`,
          },
        }),
      );
    }
    const source = new StoreHistorySource(store.client, store.table, false);
    const data = await source.read({
      targets: [target],
      days: 0,
      incidentLimit: 2,
      recent: false,
      now: new Date(),
    });
    const [one] = data.targets;
    expect(one?.days).toEqual([]);
    expect(one?.incidents.map((i) => i.start)).toEqual([starts[1], starts[2]]);
    expect(one?.incidentsTruncatedBefore).toBe(starts[2]);
    expect(source.stats).toEqual({ queries: 1, pages: 1, items: 3 });
    expect((await store.items(target)).some((i) => String(i.sk).startsWith('DAY#'))).toBe(true);
  });

  it('skips a malformed item with a warning instead of failing the page', async () => {
    await store.client.send(
      new PutCommand({
        TableName: store.table,
        Item: {
          pk: `T#${target}`,
          sk: `DAY#${new Date().toISOString().slice(0, 10)}`,
          date: 'not a date',
          checks: -1,
        },
      }),
    );
    const handler = await loadHandler();
    const page = await handler(get('/'), lambdaContext());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No history yet');
    expect(output.text()).toContain('Skipped malformed history items');
  });

  it('answers 503 from the page routes when the store fails, while /status still answers', async () => {
    const handler = await loadHandler();
    store.local.fail({ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    const page = await handler(get('/'), lambdaContext());
    expect(page.statusCode).toBe(503);
    const history = await handler(get('/history'), lambdaContext());
    expect(history.statusCode).toBe(503);
    expect(output.text()).toContain('The history store did not answer');
    const status = await handler(sampleEvent('http-api-status'), lambdaContext());
    expect(status.statusCode).toBe(200);
  });

  it('never puts the token or the Basic value in a page, history, feed answer or log line', async () => {
    const token = 'page-test-token-s3cr3t';
    await new MonitorStore(store.client, store.table, 90).recordChecks([result({ latencyMs: 20 })], 'run1');
    const handler = await loadHandler({ OTS_USERNAME: 'ops@example.com', OTS_TOKEN: token });
    const basic = Buffer.from(`ops@example.com:${token}`).toString('base64');
    for (const path of ['/', '/history', `/history/${target}`, '/incidents.atom', '/history/nowhere']) {
      const answer = await handler(get(path), lambdaContext());
      expect(answer.statusCode, path).not.toBe(500);
      expect(JSON.stringify(answer)).not.toContain(token);
      expect(JSON.stringify(answer)).not.toContain(basic);
    }
    expect(output.text()).not.toContain(token);
    expect(output.text()).not.toContain(basic);
  });

  it('answers 404 for an unconfigured target without a request to the store or the target', async () => {
    const handler = await loadHandler();
    const other = await startSandbox();
    try {
      store.local.fail({ status: 500, type: 'InternalServerError', message: 'must not be asked' });
      const answer = await handler(get(`/history/${new URL(other.url).host}`), lambdaContext());
      expect(answer.statusCode).toBe(404);
      expect(other.stats().requests).toBe(0);
      expect(output.text()).not.toContain('did not answer');
    } finally {
      await other.stop();
    }
  });
});
