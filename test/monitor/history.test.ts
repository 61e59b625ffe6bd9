/**
 * The history read (functions/store/history.ts) against dynalite, with history written by the real
 * scheduled handler over three simulated days (the clock moved, the checks real, against sandboxes).
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput } from '../../functions/scheduled.js';
import { percentile, readHistory } from '../../functions/store/history.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv } from '../functions/helpers.js';
import { startTestStore, type TestStore } from './store-helpers.js';

type Handler = (event: ScheduledInput, context: Context) => Promise<unknown>;

let a: Sandbox;
let b: Sandbox;
let store: TestStore;
let restoreEnv: () => void;
const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
const DAY0 = Date.parse('2026-11-29T12:00:00Z');
const RUNS_PER_DAY = 6;

beforeAll(async () => {
  [a, b, store] = await Promise.all([startSandbox(), startSandbox(), startTestStore()]);
  restoreEnv = setEnv({ OTS_TARGETS: `${a.url},${b.url}`, OTS_RECHECK_SECONDS: '0', ...store.env });
  vi.resetModules();
  const handler = (await import('../../functions/scheduled.js')).handler as Handler;
  const output = captureOutput();
  try {
    for (let day = 0; day < 3; day += 1) {
      for (let run = 0; run < RUNS_PER_DAY; run += 1) {
        // b is down for the first two runs of day 1: one incident, confirmed at once by the re-check.
        if (day === 1 && run === 0) b.addFault({ path: '/api/v2/status', fault: 'status', status: 503 });
        if (day === 1 && run === 2) b.clearFaults();
        vi.useFakeTimers({ toFake: ['Date'], now: DAY0 + day * 86_400_000 + run * 300_000 });
        await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
        vi.useRealTimers();
      }
    }
  } finally {
    vi.useRealTimers();
    output.restore();
  }
}, 120_000);

afterAll(async () => {
  restoreEnv?.();
  await Promise.all([a.stop(), b.stop(), store.stop()]);
});

describe('readHistory', () => {
  it('reads T x (D + 1) items plus incidents, one Query per target, however many checks', async () => {
    const now = new Date(DAY0 + 2 * 86_400_000 + 3_600_000);
    const history = await readHistory(store.client, store.table, [hostOf(a), hostOf(b)], 3, now);
    const [ha, hb] = history;
    expect(ha?.itemsRead).toBe(3 + 1);
    expect(hb?.itemsRead).toBe(3 + 1 + 1);
    expect(ha?.days.map((d) => [d.date, d.checks, d.uptime])).toEqual([
      ['2026-11-29', 6, 100],
      ['2026-11-30', 6, 100],
      ['2026-12-01', 6, 100],
    ]);
    // b's day 1: a bad check and its re-check, then one more bad run (no re-check: it agrees with the
    // confirmed state), then four good runs: 7 checks, 3 of them down.
    expect(hb?.days[1]).toMatchObject({
      date: '2026-11-30',
      checks: 7,
      down: 3,
      nominal: 4,
      uptime: 57.14,
      worst: 'down',
    });
    expect(hb?.days[1]?.p50Ms).toEqual(expect.any(Number));
    expect(hb?.incidents).toEqual([
      expect.objectContaining({
        worst: 'down',
        start: expect.stringMatching(/^2026-11-30T12:00/),
        durationSeconds: 600,
      }),
    ]);
    expect(hb?.state).toMatchObject({ state: 'nominal', last: { target: hostOf(b), state: 'nominal' } });
  });

  it('a shorter window reads fewer days, not the checks in them', async () => {
    const now = new Date(DAY0 + 2 * 86_400_000 + 3_600_000);
    const [ha] = await readHistory(store.client, store.table, [hostOf(a)], 1, now);
    expect(ha?.days.map((d) => d.date)).toEqual(['2026-12-01']);
    expect(ha?.itemsRead).toBe(2);
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentile([10, 20, 30, 40], 0.95)).toBe(40);
  });
});
