/**
 * Days and uptime, the one place both the page and the history JSON get them from. Uptime is the share
 * of checks that answered (nominal or degraded: a slow answer is still an answer), in percent, rounded
 * down to two decimals so that a single failed check never shows as 100. No checks: null, not 100.
 */
import { CHECK_STATES, type CheckState, worstState } from '../../src/fetch.js';
import type { DayRollup, LatencyPoint, StateCounts, TargetHistory } from './model.js';

const DAY_MS = 86_400_000;

export interface DayView {
  date: string;
  checks: StateCounts;
  uptime: number | null;
  worst: CheckState | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

export type UptimeWindows = {
  '24h': number | null;
  '7d': number | null;
  '30d': number | null;
  '90d': number | null;
};

/** `YYYY-MM-DD` of `time` in UTC. */
export function utcDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** The last `count` UTC dates, oldest first, today last. */
export function lastDates(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => utcDate(new Date(today - (count - 1 - i) * DAY_MS)));
}

export function zeroCounts(): StateCounts {
  return { nominal: 0, degraded: 0, down: 0 };
}

export function uptimePercent(checks: StateCounts): number | null {
  const total = checks.nominal + checks.degraded + checks.down;
  if (total === 0) return null;
  return Math.floor(((checks.nominal + checks.degraded) * 10_000) / total) / 100;
}

/** The worst state among the checks counted, or null when none were. */
export function worstChecked(checks: StateCounts): CheckState | null {
  const seen = CHECK_STATES.filter((state) => checks[state] > 0);
  return seen.length === 0 ? null : worstState(seen);
}

/** One view per date of `dates`, in that order; a date the store has nothing for has no checks. */
export function dayViews(rollups: readonly DayRollup[], dates: readonly string[]): DayView[] {
  const byDate = new Map(rollups.map((rollup) => [rollup.date, rollup]));
  return dates.map((date) => {
    const rollup = byDate.get(date);
    const checks = rollup === undefined ? zeroCounts() : { ...zeroCounts(), ...rollup.checks };
    return {
      date,
      checks,
      uptime: uptimePercent(checks),
      worst: worstChecked(checks),
      p50Ms: rollup?.p50Ms ?? null,
      p95Ms: rollup?.p95Ms ?? null,
    };
  });
}

function sumChecks(days: readonly DayView[]): StateCounts {
  const sum = zeroCounts();
  for (const day of days) for (const state of CHECK_STATES) sum[state] += day.checks[state];
  return sum;
}

/** The checks of the 24 hours before `now`. */
export function lastDayPoints(points: readonly LatencyPoint[], now: Date): LatencyPoint[] {
  const to = now.getTime();
  const from = to - DAY_MS;
  return points
    .map((point) => ({ point, at: Date.parse(point.at) }))
    .filter(({ at }) => at > from && at <= to)
    .sort((a, b) => a.at - b.at)
    .map(({ point }) => point);
}

/** Uptime over 24 h (from the last day's checks) and over 7, 30 and 90 days (today included). */
export function uptimeWindows(target: TargetHistory, now: Date): UptimeWindows {
  const days = dayViews(target.days, lastDates(now, 90));
  const lastDays = (count: number) => uptimePercent(sumChecks(days.slice(-count)));
  const day = zeroCounts();
  for (const point of lastDayPoints(target.recent, now)) day[point.state] += 1;
  return { '24h': uptimePercent(day), '7d': lastDays(7), '30d': lastDays(30), '90d': lastDays(90) };
}

/** Seconds from start to end, or null while open. */
export function durationSeconds(start: string, end: string | null): number | null {
  if (end === null) return null;
  return Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 1000));
}
