/**
 * Made-up history for a local preview (`npm start -- --seed-history 90d`), the page's tests, its bench
 * and its screenshots: a check every 5 minutes per target, a few incidents, plausible latencies. The same
 * seed always gives the same history. Every item it makes is marked synthetic where it is stored.
 */

import type {
  DayRollup,
  HistoryData,
  IncidentRecord,
  LatencyPoint,
  TargetHistory,
} from '../functions/page/model.js';
import { newIncidentId } from '../functions/store/keys.js';
import type { CheckState } from '../src/types.js';

const DAY_MS = 86_400_000;
const CHECK_MS = 300_000;

export interface SyntheticOptions {
  targets: readonly string[];
  days: number;
  now: Date;
  seed?: number;
  /** Mean days between incidents per target. */
  incidentEveryDays?: number;
  /** Whether the newest incident may still be open at `now` (default true). */
  openIncidents?: boolean;
}

/** A small deterministic PRNG (mulberry32): plenty for made-up data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function incidentsFor(
  target: string,
  from: number,
  to: number,
  next: () => number,
  everyDays: number,
  open: boolean,
): IncidentRecord[] {
  const incidents: IncidentRecord[] = [];
  let at = from + next() * everyDays * DAY_MS;
  while (at < to) {
    const start = Math.floor(at / CHECK_MS) * CHECK_MS;
    const minutes = 10 + Math.floor(next() * 110);
    const endMs = start + Math.ceil(minutes / 5) * CHECK_MS;
    const state = next() < 0.4 ? 'down' : 'degraded';
    incidents.push({
      id: newIncidentId(new Date(start).toISOString(), `syn${incidents.length}`),
      target,
      state,
      start: new Date(start).toISOString(),
      end: endMs <= to ? new Date(endMs).toISOString() : open ? null : new Date(to).toISOString(),
      message: state === 'down' ? 'HTTP 503 from /api/v2/status' : 'answered in 2400 ms (over 2000 ms)',
    });
    at = endMs + (0.2 + next() * 1.8) * everyDays * DAY_MS;
  }
  return incidents.reverse();
}

type Span = { start: number; end: number; state: CheckState };

function spansOf(incidents: readonly IncidentRecord[]): Span[] {
  return incidents.map((incident) => ({
    start: Date.parse(incident.start),
    end: incident.end === null ? Number.POSITIVE_INFINITY : Date.parse(incident.end),
    state: incident.state,
  }));
}

function stateAt(time: number, spans: readonly Span[]): CheckState {
  for (const span of spans) if (time >= span.start && time < span.end) return span.state;
  return 'nominal';
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function targetHistory(
  target: string,
  index: number,
  options: SyntheticOptions,
  next: () => number,
): TargetHistory {
  const now = Math.floor(options.now.getTime() / CHECK_MS) * CHECK_MS;
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const from = today - (options.days - 1) * DAY_MS;
  const incidents = incidentsFor(
    target,
    from,
    now,
    next,
    options.incidentEveryDays ?? 12,
    options.openIncidents ?? true,
  );
  const spans = spansOf(incidents);
  const base = 60 + index * 35;
  const days: DayRollup[] = [];
  const recent: LatencyPoint[] = [];
  for (let dayStart = from; dayStart <= today; dayStart += DAY_MS) {
    const checks = { nominal: 0, degraded: 0, down: 0 };
    const latencies: number[] = [];
    for (let time = dayStart; time < dayStart + DAY_MS && time <= now; time += CHECK_MS) {
      const state = stateAt(time, spans);
      checks[state] += 1;
      const ms =
        state === 'down' ? null : Math.round(base * (0.8 + next() * 0.6) + (state === 'degraded' ? 2300 : 0));
      if (ms !== null) latencies.push(ms);
      if (time > now - DAY_MS) recent.push({ at: new Date(time).toISOString(), state, ms });
    }
    latencies.sort((a, b) => a - b);
    const date = new Date(dayStart).toISOString().slice(0, 10);
    days.push({ date, checks, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) });
  }
  const last = recent.at(-1);
  const current =
    last === undefined
      ? null
      : {
          state: last.state,
          latencyMs: last.ms,
          checkedAt: last.at,
          message: last.state === 'nominal' ? 'nominal' : (incidents[0]?.message ?? last.state),
        };
  return { target, current, days, incidents, recent };
}

export function syntheticHistory(options: SyntheticOptions): HistoryData {
  const next = random(options.seed ?? 14);
  return {
    synthetic: true,
    targets: options.targets.map((target, i) => targetHistory(target, i, options, next)),
  };
}
