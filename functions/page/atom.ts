/**
 * `GET /incidents.atom`: the incidents as an Atom feed (RFC 4287), newest first. An incident is one
 * entry; when it ends, the same entry is updated ("Resolved"), so readers show the change instead of a
 * second item. Nothing depends on the time of the request, so the feed has a stable ETag.
 */
import { durationSeconds } from './days.js';
import { durationText, escapeHtml, STATE_WORD, utcText } from './html.js';
import type { HistoryData, IncidentRecord } from './model.js';

export const FEED_ENTRIES = 50;

export interface FeedOptions {
  title: string;
  /** Absolute URL of the page, e.g. `https://status.example.com/`. */
  pageUrl: string;
  /** Absolute URL of the feed itself. */
  feedUrl: string;
}

const updatedOf = (incident: IncidentRecord) => incident.end ?? incident.start;

function entry(incident: IncidentRecord, pageUrl: string): string {
  const seconds = durationSeconds(incident.start, incident.end);
  const word = STATE_WORD[incident.state].toLowerCase();
  const title =
    seconds === null
      ? `${STATE_WORD[incident.state]}: ${incident.target}`
      : `Resolved: ${incident.target} was ${word} for ${durationText(seconds)}`;
  const summary =
    `${incident.target} ${word} since ${utcText(incident.start)}` +
    (incident.end === null ? ' (ongoing)' : `, until ${utcText(incident.end)}`) +
    `. Last message: ${incident.message}`;
  const id = `${pageUrl}#incident-${encodeURIComponent(incident.target)}-${encodeURIComponent(incident.id)}`;
  return (
    `<entry><id>${escapeHtml(id)}</id><title>${escapeHtml(title)}</title>` +
    `<updated>${escapeHtml(updatedOf(incident))}</updated><published>${escapeHtml(incident.start)}</published>` +
    `<link rel="alternate" href="${escapeHtml(pageUrl)}"/><summary>${escapeHtml(summary)}</summary></entry>`
  );
}

export function renderFeed(data: HistoryData, options: FeedOptions, now: Date): string {
  const incidents = data.targets
    .flatMap((target) => target.incidents)
    .sort((a, b) => updatedOf(b).localeCompare(updatedOf(a)))
    .slice(0, FEED_ENTRIES);
  // With no incidents, the start of today: stable within the day, and never in the future.
  const updated =
    incidents[0] === undefined ? `${now.toISOString().slice(0, 10)}T00:00:00Z` : updatedOf(incidents[0]);
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">' +
    `<id>${escapeHtml(options.feedUrl)}</id><title>${escapeHtml(`${options.title}: incidents`)}</title>` +
    `<updated>${escapeHtml(updated)}</updated><author><name>${escapeHtml(options.title)}</name></author>` +
    `<link rel="self" type="application/atom+xml" href="${escapeHtml(options.feedUrl)}"/>` +
    `<link rel="alternate" type="text/html" href="${escapeHtml(options.pageUrl)}"/>` +
    `<generator>onetime-kit</generator>${incidents.map((incident) => entry(incident, options.pageUrl)).join('')}</feed>`
  );
}
