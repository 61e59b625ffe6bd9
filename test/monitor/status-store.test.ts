/**
 * /status from the store: the status handler and the scheduled handler (which fills the store) against
 * dynalite on loopback with the real AWS SDK, and sandboxes whose request logs count upstream checks.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput } from '../../functions/scheduled.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import {
  captureOutput,
  lambdaContext,
  sampleEvent,
  setEnv,
  statusEvent,
  statusReads,
} from '../functions/helpers.js';
import { startTestStore, type TestStore } from './store-helpers.js';

type StatusHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
type ScheduledHandler = (event: ScheduledInput, context: Context) => Promise<unknown>;

let a: Sandbox;
let b: Sandbox;
let store: TestStore;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
const upstream = () => statusReads(a.requestLog) + statusReads(b.requestLog);

interface Answer {
  state: string;
  results: { target: string; state: string; source: string; checkedAt: string }[];
}

async function load(
  env: Record<string, string> = {},
): Promise<{ status: StatusHandler; scheduled: ScheduledHandler }> {
  restoreEnv?.();
  restoreEnv = setEnv({ OTS_TARGETS: `${a.url},${b.url}`, OTS_RECHECK_SECONDS: '0', ...store.env, ...env });
  vi.resetModules();
  const status = (await import('../../functions/status.js')).handler as StatusHandler;
  const scheduled = (await import('../../functions/scheduled.js')).handler as ScheduledHandler;
  return { status, scheduled };
}

async function get(status: StatusHandler, target?: string, query: Record<string, string> = {}) {
  const result = await status(statusEvent(target, query), lambdaContext());
  return {
    statusCode: result.statusCode,
    body: JSON.parse(result.body ?? '{}') as Answer & Record<string, unknown>,
  };
}

async function fill(scheduled: ScheduledHandler): Promise<void> {
  await scheduled(sampleEvent('scheduled-event'), lambdaContext('scheduled'));
  a.resetStats();
  b.resetStats();
}

beforeAll(async () => {
  [a, b, store] = await Promise.all([startSandbox(), startSandbox(), startTestStore()]);
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), store.stop()]);
});

beforeEach(async () => {
  await store.stop();
  store = await startTestStore();
  for (const sandbox of [a, b]) {
    sandbox.resetStats();
    sandbox.clearFaults();
  }
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('fresh stored results', () => {
  it('/status under load makes no upstream call while the store is fresh', async () => {
    const { status, scheduled } = await load({ OTS_STATUS_CACHE_SECONDS: '0' });
    await fill(scheduled);
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(status)));
    expect(upstream()).toBe(0);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.body.results.map((r) => [r.target, r.source])).toEqual([
        [hostOf(a), 'store'],
        [hostOf(b), 'store'],
      ]);
    }
  });

  it('serves the confirmed picture: a stored down result answers 503, and the badge and one target too', async () => {
    const { status, scheduled } = await load();
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 503 });
    await fill(scheduled);
    b.clearFaults();
    expect((await get(status)).statusCode).toBe(503);
    const one = await get(status, hostOf(b));
    expect(one.body.results).toEqual([
      expect.objectContaining({ target: hostOf(b), state: 'down', source: 'store' }),
    ]);
    const badge = await get(status, undefined, { format: 'badge' });
    expect(badge.body).toEqual({ schemaVersion: 1, label: 'onetime secret', message: 'down', color: 'red' });
    expect(upstream()).toBe(0);
  });
});

describe('stale or missing results', () => {
  it('a result older than OTS_STATUS_MAX_AGE_SECONDS is checked live, once for a burst', async () => {
    const { status, scheduled } = await load({ OTS_STATUS_MAX_AGE_SECONDS: '1' });
    await fill(scheduled);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2000 });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(status)));
      expect(answers.every((answer) => answer.body.results.every((r) => r.source === 'live'))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);
  });

  it('a target with no stored result yet is checked live; the others come from the store', async () => {
    const { status, scheduled } = await load();
    await scheduled({ targets: [hostOf(a)] }, lambdaContext('scheduled'));
    a.resetStats();
    const answer = await get(status);
    expect(answer.body.results.map((r) => r.source)).toEqual(['store', 'live']);
    expect(statusReads(a.requestLog)).toBe(0);
    expect(statusReads(b.requestLog)).toBe(1);
  });
});

describe('faults', () => {
  const downLines = () => output.lines().filter((line) => line.includes('The history store is unavailable'));

  it('the store stopped: status answers live, with one log line for the outage', async () => {
    const { status, scheduled } = await load({ OTS_STATUS_CACHE_SECONDS: '0' });
    await fill(scheduled);
    await store.stop();
    const answers = [
      await get(status),
      await get(status),
      ...(await Promise.all([get(status), get(status)])),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.body.results.map((r) => r.source)).toEqual(['live', 'live']);
    }
    expect(downLines()).toHaveLength(1);
    store = await startTestStore();
  });

  it('the store throttling: status answers live', async () => {
    const { status, scheduled } = await load();
    await fill(scheduled);
    store.local.fail({ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    const answer = await get(status);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.results.map((r) => r.source)).toEqual(['live', 'live']);
    expect(downLines()).toHaveLength(1);
    expect(output.text()).toContain('ThrottlingException');
    store.local.fail(undefined);
  });

  it('a malformed stored result is skipped with a warning, never a 500', async () => {
    const { status, scheduled } = await load();
    await fill(scheduled);
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await store.client.send(
      new UpdateCommand({
        TableName: store.table,
        Key: { pk: `T#${hostOf(b)}`, sk: 'STATE' },
        UpdateExpression: 'SET #last.#state = :bad',
        ExpressionAttributeNames: { '#last': 'last', '#state': 'state' },
        ExpressionAttributeValues: { ':bad': 'sideways' },
      }),
    );
    const answer = await get(status);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.results.map((r) => r.source)).toEqual(['store', 'live']);
    expect(output.text()).toMatch(/stored status result is malformed/);
  });
});
