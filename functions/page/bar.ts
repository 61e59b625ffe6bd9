/**
 * The 90-day bar: one list item per UTC day, oldest first. Each cell's text (uptime, worst state,
 * incidents) is in the cell itself, hidden visually and shown as a tooltip on hover, so screen readers
 * and mouse users read the same words and the page carries them once (the size budget is 60 KB for
 * 5 targets x 90 days).
 */
import type { DayView } from './days.js';
import { STATE_CLASS, STATE_WORD } from './html.js';
import type { IncidentRecord } from './model.js';

const DAY_MS = 86_400_000;

type Span = { start: number; end: number };

function spansOf(incidents: readonly IncidentRecord[]): Span[] {
  return incidents.map((incident) => ({
    start: Date.parse(incident.start),
    end: incident.end === null ? Number.POSITIVE_INFINITY : Date.parse(incident.end),
  }));
}

/** How many incidents were open at some time during the UTC day `date`. */
function incidentsOn(date: string, spans: readonly Span[]): number {
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const dayEnd = dayStart + DAY_MS;
  return spans.filter((span) => span.start < dayEnd && span.end >= dayStart).length;
}

/** The words of one cell, e.g. `2026-11-30: 99.65% up, worst degraded, 1 incident`. */
export function cellText(day: DayView, spans: readonly Span[], knownFrom?: string): string {
  if (day.worst === null) return `${day.date}: no checks`;
  const parts = [`${day.date}: ${day.uptime!.toFixed(2)}% up`];
  parts.push(day.worst === 'nominal' ? 'no problems' : `worst ${STATE_WORD[day.worst].toLowerCase()}`);
  // Days before the oldest incident read may have had more: say nothing rather than something wrong.
  if (knownFrom === undefined || day.date >= knownFrom.slice(0, 10)) {
    const count = incidentsOn(day.date, spans);
    if (count > 0) parts.push(count === 1 ? '1 incident' : `${count} incidents`);
  }
  return parts.join(', ');
}

export function renderBar(
  days: readonly DayView[],
  incidents: readonly IncidentRecord[],
  knownFrom?: string,
): string {
  const spans = spansOf(incidents);
  const cells = days.map((day) => {
    const kind = day.worst === null ? 'e' : STATE_CLASS[day.worst];
    // Operational is the default look (no class), which keeps 90 cells x 5 targets small.
    const open = kind === 'n' ? '<li>' : `<li class=${kind}>`;
    return `${open}<span>${cellText(day, spans, knownFrom)}</span></li>`;
  });
  return `<ol class=bar aria-label="Daily uptime, oldest first">${cells.join('')}</ol>`;
}

export const LEGEND =
  '<ul class=legend aria-hidden=true><li><i></i>Operational</li><li><i class=g></i>Degraded</li>' +
  '<li><i class=d></i>Down</li><li><i class=e></i>No checks</li></ul>';
