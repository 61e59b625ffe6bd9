/**
 * What the page, the history JSON and the Atom feed are built from: a plain snapshot of the store, read
 * once per request. The builders are pure functions of this and the time "now", so the same data gives
 * the same bytes (and the same ETag) until a new check lands or the date changes.
 */
import type { CheckState } from '../../src/fetch.js';

export type StateCounts = Record<CheckState, number>;

/** One UTC day of one target's checks, as the store rolls them up. */
export interface DayRollup {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  checks: StateCounts;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface IncidentRecord {
  id: string;
  target: string;
  /** The worst state the incident reached. */
  state: Exclude<CheckState, 'nominal'>;
  /** ISO 8601. */
  start: string;
  /** ISO 8601, or null while the incident is open. */
  end: string | null;
  /** The last message recorded for it (a status check's message, never a secret). */
  message: string;
}

/** One check of the last 24 hours, for the sparkline and the 24 h uptime. */
export interface LatencyPoint {
  /** ISO 8601. */
  at: string;
  state: CheckState;
  ms: number | null;
}

export interface CurrentState {
  state: CheckState;
  latencyMs: number | null;
  /** ISO 8601: when the last check ran. */
  checkedAt: string;
  message: string;
}

export interface TargetHistory {
  target: string;
  /** null before the first check. */
  current: CurrentState | null;
  /** Any order; days with no checks may be missing. */
  days: DayRollup[];
  /** Newest first, as many as were read. */
  incidents: IncidentRecord[];
  /**
   * When the incident read stopped at its limit, the start of the oldest one read: days before it may
   * have had incidents that were not read, so their cells say nothing about incidents.
   */
  incidentsTruncatedBefore?: string;
  /** The last 24 hours of checks, any order. */
  recent: LatencyPoint[];
}

export interface HistoryData {
  targets: TargetHistory[];
  /** True when any of the data was written by `npm start -- --seed-history`: the page says so. */
  synthetic: boolean;
}
