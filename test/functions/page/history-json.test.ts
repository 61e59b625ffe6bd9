import { describe, expect, it } from 'vitest';
import { historyBody } from '../../../functions/page/history-json.js';
import type { HistoryData } from '../../../functions/page/model.js';
import { FIVE, fiveTargets, NOW } from './fixtures.js';

describe('the history JSON', () => {
  it('has exactly the documented shape, one day entry per date, oldest first', () => {
    const body = historyBody(fiveTargets(), 30, NOW);
    expect(Object.keys(body)).toEqual(['days', 'targets']);
    expect(body.days).toBe(30);
    expect(body.targets.map((t) => t.target)).toEqual(FIVE);
    for (const target of body.targets) {
      expect(Object.keys(target)).toEqual(['target', 'uptime', 'days', 'incidents']);
      expect(Object.keys(target.uptime)).toEqual(['24h', '7d', '30d', '90d']);
      expect(target.days).toHaveLength(30);
      expect(target.days[0]?.date).toBe('2026-11-02');
      expect(target.days.at(-1)?.date).toBe('2026-12-01');
      for (const day of target.days) {
        expect(Object.keys(day)).toEqual(['date', 'checks', 'uptime', 'worst', 'p50Ms', 'p95Ms']);
        expect(Object.keys(day.checks)).toEqual(['nominal', 'degraded', 'down']);
      }
      for (const incident of target.incidents) {
        expect(Object.keys(incident)).toEqual(['id', 'state', 'start', 'end', 'durationSeconds', 'message']);
      }
    }
  });

  it('gives null uptime where there were no checks, and null end and duration while an incident is open', () => {
    const data: HistoryData = {
      synthetic: false,
      targets: [
        {
          target: 'eu',
          current: null,
          days: [
            { date: '2026-12-01', checks: { nominal: 0, degraded: 0, down: 3 }, p50Ms: null, p95Ms: null },
          ],
          recent: [],
          incidents: [
            {
              id: 'b',
              target: 'eu',
              state: 'down',
              start: '2026-12-01T22:40:00Z',
              end: null,
              message: 'HTTP 503',
            },
            {
              id: 'a',
              target: 'eu',
              state: 'degraded',
              start: '2026-11-30T10:00:00Z',
              end: '2026-11-30T10:12:30Z',
              message: 'slow',
            },
            // Over before the window starts: left out.
            {
              id: 'old',
              target: 'eu',
              state: 'down',
              start: '2026-11-01T10:00:00Z',
              end: '2026-11-01T11:00:00Z',
              message: 'x',
            },
          ],
        },
      ],
    };
    const [eu] = historyBody(data, 7, NOW).targets;
    expect(eu?.uptime).toEqual({ '24h': null, '7d': 0, '30d': 0, '90d': 0 });
    expect(eu?.days.slice(0, 6).every((d) => d.uptime === null && d.worst === null)).toBe(true);
    expect(eu?.days[6]).toMatchObject({ date: '2026-12-01', uptime: 0, worst: 'down' });
    expect(eu?.incidents).toEqual([
      {
        id: 'b',
        state: 'down',
        start: '2026-12-01T22:40:00Z',
        end: null,
        durationSeconds: null,
        message: 'HTTP 503',
      },
      {
        id: 'a',
        state: 'degraded',
        start: '2026-11-30T10:00:00Z',
        end: '2026-11-30T10:12:30Z',
        durationSeconds: 750,
        message: 'slow',
      },
    ]);
  });
});
