/**
 * The status function's page routes: `GET /` (the HTML page), `GET /history`, `GET /history/{target}`
 * and `GET /incidents.atom`. Each reads exactly what it shows from the history source, then answers
 * with an ETag (304 when the caller has it) and `Cache-Control: public, max-age=60`. A store that does
 * not answer degrades these routes to a 503 with one log line; `/status` keeps working.
 */
import { isLoopbackHost, type Target } from '../../src/fetch.js';
import { configuredNames, findTarget } from '../check.js';
import type { FunctionConfig } from '../config.js';
import { errorResponse, type HttpEvent, type HttpResult, header } from '../http.js';
import { logger } from '../powertools.js';
import { FEED_ENTRIES, renderFeed } from './atom.js';
import { type CachedAnswer, conditionalResult, etagOf } from './conditional.js';
import { contentSecurityPolicy } from './csp.js';
import { historyBody } from './history-json.js';
import { escapeHtml } from './html.js';
import type { HistoryData } from './model.js';
import { MAX_DAYS, parseHistoryQuery } from './params.js';
import { PAGE_DAYS, renderPage } from './render.js';
import type { PageSettings } from './settings.js';
import type { HistoryRequest, HistorySource } from './source.js';

export const MAX_AGE_SECONDS = 60;
export const HISTORY_INCIDENTS_PER_TARGET = 100;

export type PageRoute = { kind: 'page' } | { kind: 'history'; target?: string } | { kind: 'feed' };

export interface PageContext {
  config: FunctionConfig;
  settings: PageSettings;
  source: HistorySource;
  /** The store's retention in days (OTS_HISTORY_DAYS): `?days` is capped by it. */
  retentionDays: number;
  requestId: string;
  now: Date;
}

function decoded(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The page route this event asks for, or undefined for any other path (the status routes). */
export function pageRoute(event: HttpEvent): PageRoute | undefined {
  const key = event.routeKey;
  if (key !== undefined && key !== '$default') {
    if (key === 'GET /') return { kind: 'page' };
    if (key === 'GET /history') return { kind: 'history' };
    if (key === 'GET /incidents.atom') return { kind: 'feed' };
    if (key === 'GET /history/{target}')
      return { kind: 'history', target: event.pathParameters?.target ?? '' };
    return undefined;
  }
  // A Function URL ($default) gives only the raw path.
  const path = event.rawPath ?? '/';
  if (path === '/' || path === '') return { kind: 'page' };
  if (path === '/incidents.atom') return { kind: 'feed' };
  const match = /^\/history(?:\/([^/]+))?\/?$/.exec(path);
  if (match === null) return undefined;
  if (match[1] === undefined) return { kind: 'history' };
  return { kind: 'history', target: decoded(match[1]) ?? '' };
}

/** The absolute URL of the page, from the request (HTTP API and Function URLs give the host). */
function pageUrl(event: HttpEvent): string {
  const host = header(event, 'host') ?? event.requestContext?.domainName ?? 'localhost';
  const loopback = isLoopbackHost(host.replace(/:\d+$/, '').toLowerCase());
  const proto = header(event, 'x-forwarded-proto') ?? (loopback ? 'http' : 'https');
  return `${proto === 'http' ? 'http' : 'https'}://${host}/`;
}

async function readOrFail(
  context: PageContext,
  request: HistoryRequest,
): Promise<{ data: HistoryData } | { failed: HttpResult }> {
  try {
    return { data: await context.source.read(request) };
  } catch (error) {
    logger.warn('The history store did not answer: the page routes answer 503, /status still works', {
      reason: (error as Error).message,
    });
    return { failed: unavailable(context) };
  }
}

function unavailable(context: PageContext): HttpResult {
  const result = errorResponse(
    503,
    'History is unavailable: the store did not answer. Try again in a minute.',
    context.requestId,
  );
  return { ...result, headers: { ...result.headers, 'retry-after': '60' } };
}

function answer(
  event: HttpEvent,
  context: PageContext,
  data: HistoryData,
  body: string,
  contentType: string,
  extra: Record<string, string> = {},
  etag?: string,
): HttpResult {
  const cached: CachedAnswer = {
    statusCode: 200,
    contentType,
    body,
    ...(etag === undefined ? {} : { etag }),
    maxAgeSeconds: MAX_AGE_SECONDS,
    headers: {
      'x-request-id': context.requestId,
      ...(data.synthetic ? { 'x-ots-synthetic': 'true' } : {}),
      ...extra,
    },
  };
  return conditionalResult(event, cached);
}

/**
 * One rendering per read: the container cache (cached-source.ts) hands out the same data object while
 * it is fresh, so a burst of views (304s included) renders and hashes the page once.
 */
const renderings = new WeakMap<HistoryData, { html: string; etag: string }>();

function rendered(data: HistoryData, context: PageContext): { html: string; etag: string } {
  let done = renderings.get(data);
  if (done === undefined) {
    const html = renderPage(data, context.settings, context.now);
    done = { html, etag: etagOf(html) };
    renderings.set(data, done);
  }
  return done;
}

async function page(event: HttpEvent, context: PageContext): Promise<HttpResult> {
  const targets = context.config.targets.map((t) => t.name);
  const request = {
    targets,
    days: PAGE_DAYS,
    // Every incident read is shown: the newest in the list, all of them in the bar cells' text.
    incidentLimit: HISTORY_INCIDENTS_PER_TARGET,
    recent: true,
    now: context.now,
  };
  const read = await readOrFail(context, request);
  if ('failed' in read) return unavailablePage(context);
  const { html, etag } = rendered(read.data, context);
  return answer(
    event,
    context,
    read.data,
    html,
    'text/html; charset=utf-8',
    {
      'content-security-policy': contentSecurityPolicy(),
      'referrer-policy': 'no-referrer',
    },
    etag,
  );
}

function unavailablePage(context: PageContext): HttpResult {
  const title = escapeHtml(context.settings.title);
  return {
    statusCode: 503,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': '60',
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
      'x-request-id': context.requestId,
    },
    body:
      `<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1">` +
      `<title>${title}</title></head><body><h1>${title}</h1><p>The history is unavailable right now: the store did not answer. ` +
      'Try again in a minute. <a href=status>/status</a> still answers with live checks.</p></body></html>',
  };
}

async function history(
  event: HttpEvent,
  context: PageContext,
  targetName: string | undefined,
): Promise<HttpResult> {
  let targets: readonly Target[] = context.config.targets;
  if (targetName !== undefined) {
    const target = findTarget(context.config, targetName);
    // Only configured targets are ever read: the name is not echoed back, and nothing is requested.
    if (target === undefined) {
      return errorResponse(
        404,
        `No such target: use one of ${configuredNames(context.config)}.`,
        context.requestId,
      );
    }
    targets = [target];
  }
  const query = parseHistoryQuery(event.queryStringParameters, context.retentionDays);
  if (!query.ok) return errorResponse(400, query.problem, context.requestId);
  const request = {
    targets: targets.map((t) => t.name),
    // The uptime windows reach back 90 days whatever `days` asks for: one Query per target either way.
    days: Math.min(MAX_DAYS, context.retentionDays),
    incidentLimit: HISTORY_INCIDENTS_PER_TARGET,
    recent: true,
    now: context.now,
  };
  const read = await readOrFail(context, request);
  if ('failed' in read) return read.failed;
  const body = JSON.stringify(historyBody(read.data, query.days, context.now));
  return answer(event, context, read.data, body, 'application/json; charset=utf-8');
}

async function feed(event: HttpEvent, context: PageContext): Promise<HttpResult> {
  const targets = context.config.targets.map((t) => t.name);
  const request = { targets, days: 0, incidentLimit: FEED_ENTRIES, recent: false, now: context.now };
  const read = await readOrFail(context, request);
  if ('failed' in read) return read.failed;
  const base = pageUrl(event);
  const xml = renderFeed(
    read.data,
    { title: context.settings.title, pageUrl: base, feedUrl: `${base}incidents.atom` },
    context.now,
  );
  return answer(event, context, read.data, xml, 'application/atom+xml; charset=utf-8');
}

export function servePageRoute(
  route: PageRoute,
  event: HttpEvent,
  context: PageContext,
): Promise<HttpResult> {
  if (route.kind === 'page') return page(event, context);
  if (route.kind === 'feed') return feed(event, context);
  return history(event, context, route.target);
}
