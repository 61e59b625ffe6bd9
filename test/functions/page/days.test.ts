import { describe, expect, it } from 'vitest';
import { dayViews, lastDates, uptimePercent, uptimeWindows } from '../../../functions/page/days.js';
import type { TargetHistory } from '../../../functions/page/model.js';

describe('uptime', () => {
  it('is the share of answered checks, rounded down so one failure never shows as 100', () => {
    expect(uptimePercent({ nominal: 25_919, degraded: 0, down: 1 })).toBe(99.99);
    expect(uptimePercent({ nominal: 1, degraded: 1, down: 2 })).toBe(50);
    expect(uptimePercent({ nominal: 0, degraded: 3, down: 0 })).toBe(100);
    expect(uptimePercent({ nominal: 0, degraded: 0, down: 0 })).toBeNull();
  });

  it('lists the last N UTC dates, oldest first, today last, across a month end', () => {
    expect(lastDates(new Date('2026-12-01T00:30:00Z'), 3)).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
  });

  it('gives a day the store has nothing for no checks, no uptime and no worst state', () => {
    const [empty, full] = dayViews(
      [{ date: '2026-11-30', checks: { nominal: 286, degraded: 1, down: 1 }, p50Ms: 90, p95Ms: 180 }],
      ['2026-11-29', '2026-11-30'],
    );
    expect(empty).toEqual({
      date: '2026-11-29',
      checks: { nominal: 0, degraded: 0, down: 0 },
      uptime: null,
      worst: null,
      p50Ms: null,
      p95Ms: null,
    });
    expect(full).toMatchObject({ uptime: 99.65, worst: 'down', p50Ms: 90, p95Ms: 180 });
  });

  it('counts 24 h from the last day of checks and 7/30/90 d from the daily rollups', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const target: TargetHistory = {
      target: 'eu',
      current: null,
      incidents: [],
      days: [
        { date: '2026-12-01', checks: { nominal: 9, degraded: 0, down: 1 }, p50Ms: 1, p95Ms: 1 },
        { date: '2026-11-20', checks: { nominal: 10, degraded: 0, down: 0 }, p50Ms: 1, p95Ms: 1 },
        { date: '2026-09-03', checks: { nominal: 0, degraded: 0, down: 20 }, p50Ms: null, p95Ms: null },
      ],
      recent: [
        { at: '2026-12-01T11:00:00Z', state: 'down', ms: null },
        { at: '2026-12-01T11:05:00Z', state: 'nominal', ms: 80 },
        { at: '2026-11-30T11:00:00Z', state: 'down', ms: null }, // older than 24 h
      ],
    };
    expect(uptimeWindows(target, now)).toEqual({ '24h': 50, '7d': 90, '30d': 95, '90d': 47.5 });
  });
});
