/**
 * The status page, rendered on the server: complete without JavaScript, nothing from another origin,
 * one inline stylesheet and one small inline script, both allowed by hash in the CSP (csp.ts). Times
 * are absolute (UTC), never "3 minutes ago", so the same data always gives the same bytes and a
 * conditional request can be answered 304; the script only localises them.
 */
import { type CheckState, worstState } from '../../src/fetch.js';
import { LEGEND, renderBar } from './bar.js';
import { dayViews, durationSeconds, lastDates, lastDayPoints, uptimeWindows } from './days.js';
import { incidentsSince } from './history-json.js';
import {
  durationText,
  escapeHtml,
  percentText,
  STATE_CLASS,
  STATE_SYMBOL,
  STATE_WORD,
  timeTag,
} from './html.js';
import type { HistoryData, IncidentRecord, TargetHistory } from './model.js';
import { renderSparkline } from './sparkline.js';
import { STYLES } from './styles.js';

export const PAGE_DAYS = 90;
/** Incidents listed per target; the bar cells count every incident read. */
export const PAGE_INCIDENTS_PER_TARGET = 5;

export interface PageOptions {
  title: string;
  link?: URL;
}

/** Localises every `<time>` to the reader's zone; without it the UTC text stays. */
export const SCRIPT =
  "for(const t of document.querySelectorAll('time[datetime]')){const d=new Date(t.dateTime);" +
  "if(!isNaN(d)){t.title=t.textContent;t.textContent=d.toLocaleString(undefined,{dateStyle:'medium',timeStyle:'short'})}}";

const FAVICON = (state: CheckState | null) => {
  const colour = { nominal: '%231a7f37', degraded: '%239a6700', down: '%23cf222e' }[state ?? 'nominal'];
  return `data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Ccircle cx='4' cy='4' r='4' fill='${colour}'/%3E%3C/svg%3E`;
};

const hasHistory = (target: TargetHistory) =>
  target.recent.length > 0 ||
  target.days.some((day) => day.checks.nominal + day.checks.degraded + day.checks.down > 0);

function overall(data: HistoryData): { state: CheckState | null; text: string; lastCheck: string | null } {
  const checked = data.targets.filter((t) => t.current !== null);
  if (checked.length === 0) return { state: null, text: 'No checks yet', lastCheck: null };
  const state = worstState(checked.map((t) => t.current!.state));
  const named = (wanted: CheckState) =>
    checked.filter((t) => t.current!.state === wanted).map((t) => escapeHtml(t.target));
  const parts: string[] = [];
  if (named('down').length > 0) parts.push(`Down: ${named('down').join(', ')}`);
  if (named('degraded').length > 0) parts.push(`Degraded: ${named('degraded').join(', ')}`);
  const text = state === 'nominal' ? 'All systems operational' : parts.join('. ');
  const lastCheck = checked
    .map((t) => t.current!.checkedAt)
    .sort()
    .at(-1)!;
  return { state, text, lastCheck };
}

function banner(data: HistoryData): string {
  const { state, text, lastCheck } = overall(data);
  const kind = state === null ? 'e' : STATE_CLASS[state];
  const symbol = state === null ? '' : `<span aria-hidden=true>${STATE_SYMBOL[state]}</span> `;
  const when = lastCheck === null ? 'The first check has not run yet.' : `Last check: ${timeTag(lastCheck)}.`;
  return `<section class="banner ${kind}" aria-labelledby=overall><h2 id=overall>${symbol}${text}</h2><p>${when}</p></section>`;
}

function currentLine(target: TargetHistory): string {
  const current = target.current;
  if (current === null) return '<p class="st e">Not checked yet</p>';
  const kind = STATE_CLASS[current.state];
  const latency = current.latencyMs === null ? 'no answer' : `${current.latencyMs} ms`;
  const message = current.state === 'nominal' ? '' : `<p>${escapeHtml(current.message)}</p>`;
  return (
    `<p><span class="st ${kind}"><span aria-hidden=true>${STATE_SYMBOL[current.state]}</span> ${STATE_WORD[current.state]}</span>` +
    ` <span class=muted>${latency}, checked ${timeTag(current.checkedAt)}</span></p>${message}`
  );
}

function uptimeList(target: TargetHistory, now: Date): string {
  const windows = uptimeWindows(target, now);
  const labels = { '24h': '24 h', '7d': '7 days', '30d': '30 days', '90d': '90 days' } as const;
  const items = (Object.keys(labels) as (keyof typeof labels)[]).map(
    (key) => `<div><dt>Uptime ${labels[key]}</dt><dd>${percentText(windows[key])}</dd></div>`,
  );
  return `<dl>${items.join('')}</dl>`;
}

function targetSection(target: TargetHistory, index: number, now: Date): string {
  const id = `t${index}`;
  const head = `<div class=head><h2 id=${id}>${escapeHtml(target.target)}</h2></div>${currentLine(target)}`;
  if (!hasHistory(target)) {
    return (
      `<section class=target aria-labelledby=${id}>${head}` +
      '<p class=muted>No history yet: each scheduled check is recorded, and this fills in as they run.</p></section>'
    );
  }
  const days = dayViews(target.days, lastDates(now, PAGE_DAYS));
  const bar = renderBar(days, target.incidents, target.incidentsTruncatedBefore);
  return (
    `<section class=target aria-labelledby=${id}>${head}${uptimeList(target, now)}` +
    `<h3>Last ${PAGE_DAYS} days</h3>${bar}<p class=axis aria-hidden=true><span>${days[0]!.date}</span><span>today</span></p>` +
    `${LEGEND}${renderSparkline(lastDayPoints(target.recent, now), now)}</section>`
  );
}

function incidentItem(incident: IncidentRecord): string {
  const seconds = durationSeconds(incident.start, incident.end);
  const lasted = seconds === null ? '<strong>ongoing</strong>' : `lasted ${durationText(seconds)}`;
  return (
    `<li><h3><span class="st ${STATE_CLASS[incident.state]}">${STATE_WORD[incident.state]}</span>: ${escapeHtml(incident.target)}</h3>` +
    `<p class=muted>Started ${timeTag(incident.start)}, ${lasted}</p><p>${escapeHtml(incident.message)}</p></li>`
  );
}

function incidentsSection(data: HistoryData, now: Date): string {
  const from = `${lastDates(now, PAGE_DAYS)[0]}T00:00:00Z`;
  const incidents = data.targets
    .flatMap((target) => incidentsSince(target.incidents, from).slice(0, PAGE_INCIDENTS_PER_TARGET))
    .sort((a, b) => b.start.localeCompare(a.start));
  const body =
    incidents.length === 0
      ? `<p class=muted>No incidents in the last ${PAGE_DAYS} days.</p>`
      : `<ol>${incidents.map(incidentItem).join('')}</ol>`;
  return `<section class=incidents aria-labelledby=incidents><h2 id=incidents>Recent incidents</h2>${body}</section>`;
}

const SYNTHETIC_NOTE =
  '<p class=note><strong>Synthetic history.</strong> This page shows made-up data written by ' +
  '<code>npm start -- --seed-history</code> for a local preview, not real checks.</p>';

export function renderPage(data: HistoryData, options: PageOptions, now: Date): string {
  const title = escapeHtml(options.title);
  const link =
    options.link === undefined
      ? ''
      : `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.host + options.link.pathname.replace(/\/$/, ''))}</a></p>`;
  const state = overall(data).state;
  const body =
    data.targets.length === 0
      ? '<p>No targets are configured.</p>'
      : data.targets.map((target, i) => targetSection(target, i, now)).join('') + incidentsSection(data, now);
  return (
    '<!doctype html><html lang=en><head><meta charset=utf-8>' +
    '<meta name=viewport content="width=device-width,initial-scale=1"><meta name=color-scheme content="light dark">' +
    `<title>${title}</title><link rel=icon href="${FAVICON(state)}">` +
    `<link rel=alternate type=application/atom+xml title="Incidents" href=incidents.atom><style>${STYLES}</style></head>` +
    `<body><header><h1>${title}</h1>${link}</header><main>${data.synthetic ? SYNTHETIC_NOTE : ''}${banner(data)}${body}</main>` +
    '<footer><p class=muted>Times are in UTC without JavaScript. Also as <a href=history>JSON</a> and an <a href=incidents.atom>Atom feed</a>.</p></footer>' +
    `<script>${SCRIPT}</script></body></html>`
  );
}
