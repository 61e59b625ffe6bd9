/**
 * The body of `GET /history` and `GET /history/{target}`:
 * `{ days, targets: [{ target, uptime: { 24h, 7d, 30d, 90d }, days: [...], incidents: [...] }] }`.
 * `days` has one entry per UTC date, oldest first, today last, including days without checks (uptime
 * and worst null), so entry i is always the same day for every target. Incidents are newest first and
 * only those that overlap the window; `end` and `durationSeconds` are null while an incident is open.
 */
import {
  type DayView,
  dayViews,
  durationSeconds,
  lastDates,
  type UptimeWindows,
  uptimeWindows,
} from './days.js';
import type { HistoryData, IncidentRecord, TargetHistory } from './model.js';

export interface HistoryIncident {
  id: string;
  state: IncidentRecord['state'];
  start: string;
  end: string | null;
  durationSeconds: number | null;
  message: string;
}

export interface HistoryTarget {
  target: string;
  uptime: UptimeWindows;
  days: DayView[];
  incidents: HistoryIncident[];
}

export interface HistoryBody {
  days: number;
  targets: HistoryTarget[];
}

/** Incidents that were open at some time on or after `from` (an ISO date or time). */
export function incidentsSince(incidents: readonly IncidentRecord[], from: string): IncidentRecord[] {
  const fromMs = Date.parse(from);
  return incidents.filter((incident) => incident.end === null || Date.parse(incident.end) >= fromMs);
}

function historyTarget(target: TargetHistory, days: number, now: Date): HistoryTarget {
  const dates = lastDates(now, days);
  return {
    target: target.target,
    uptime: uptimeWindows(target, now),
    days: dayViews(target.days, dates),
    incidents: incidentsSince(target.incidents, `${dates[0]}T00:00:00Z`).map((incident) => ({
      id: incident.id,
      state: incident.state,
      start: incident.start,
      end: incident.end,
      durationSeconds: durationSeconds(incident.start, incident.end),
      message: incident.message,
    })),
  };
}

export function historyBody(data: HistoryData, days: number, now: Date): HistoryBody {
  return { days, targets: data.targets.map((target) => historyTarget(target, days, now)) };
}
