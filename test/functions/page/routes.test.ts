import { beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../functions/config.js';
import type { HttpEvent, HttpResult } from '../../../functions/http.js';
import { etagOf, matchesIfNoneMatch } from '../../../functions/page/conditional.js';
import { parseHistoryQuery } from '../../../functions/page/params.js';
import { type PageContext, pageRoute, servePageRoute } from '../../../functions/page/routes.js';
import { readPageSettings } from '../../../functions/page/settings.js';
import { captureOutput, sampleEvent } from '../helpers.js';
import { fiveTargets, MemorySource, NOW } from './fixtures.js';

function event(
  path: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): HttpEvent {
  const e = sampleEvent('http-api-status');
  const history = /^\/history\/(.+)$/.exec(path);
  e.routeKey = history ? 'GET /history/{target}' : `GET ${path}`;
  e.rawPath = path;
  e.requestContext.http.path = path;
  e.pathParameters = history ? { target: decodeURIComponent(history[1]!) } : undefined;
  e.queryStringParameters = Object.keys(query).length > 0 ? query : undefined;
  e.headers = { ...e.headers, ...headers };
  return e;
}

let source: MemorySource;
const context = (overrides: Partial<PageContext> = {}): PageContext => ({
  config: readConfig({ OTS_TARGETS: 'ca,eu,nz,uk,us' }),
  settings: readPageSettings({ OTS_PAGE_TITLE: 'Status' }),
  source,
  retentionDays: 90,
  requestId: 'req-1',
  now: NOW,
  ...overrides,
});
const serve = (e: HttpEvent, c = context()): Promise<HttpResult> => servePageRoute(pageRoute(e)!, e, c);
const json = (result: HttpResult) => JSON.parse(result.body as string);

beforeEach(() => {
  source = new MemorySource(fiveTargets());
});

describe('routing', () => {
  it('maps the HTTP API route keys and Function URL paths, and leaves /status alone', () => {
    expect(pageRoute(event('/'))).toEqual({ kind: 'page' });
    expect(pageRoute(event('/history'))).toEqual({ kind: 'history' });
    expect(pageRoute(event('/history/eu'))).toEqual({ kind: 'history', target: 'eu' });
    expect(pageRoute(event('/incidents.atom'))).toEqual({ kind: 'feed' });
    expect(pageRoute(event('/status'))).toBeUndefined();
    const url = sampleEvent('function-url-status');
    for (const [path, route] of [
      ['/', { kind: 'page' }],
      ['/history/', { kind: 'history' }],
      ['/history/secrets.example.com', { kind: 'history', target: 'secrets.example.com' }],
      ['/incidents.atom', { kind: 'feed' }],
      ['/status', undefined],
      ['/history/eu/more', undefined],
    ] as const) {
      url.rawPath = path;
      expect(pageRoute(url), path).toEqual(route);
    }
  });
});

describe('GET /', () => {
  it('answers HTML with the CSP, an ETag and a cache header, and reads what it shows', async () => {
    const result = await serve(event('/'));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=60',
      etag: etagOf(result.body as string),
      'x-ots-synthetic': 'true',
    });
    expect(String(result.headers?.['content-security-policy'])).toMatch(/^default-src 'none'/);
    expect(source.requests).toEqual([
      { targets: ['ca', 'eu', 'nz', 'uk', 'us'], days: 90, incidentLimit: 100, recent: true, now: NOW },
    ]);
  });

  it('answers 304 without a body to a matching If-None-Match, weak or in a list', async () => {
    const first = await serve(event('/'));
    const etag = String(first.headers?.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await serve(event('/', {}, { 'if-none-match': ifNoneMatch }));
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers).toMatchObject({ etag, 'cache-control': 'public, max-age=60' });
    }
    expect((await serve(event('/', {}, { 'if-none-match': '"stale"' }))).statusCode).toBe(200);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
  });

  it('degrades to a 503 page with one log line when the store does not answer', async () => {
    source = new MemorySource(fiveTargets(), new Error('connect ECONNREFUSED 127.0.0.1:8000'));
    const output = captureOutput();
    let result: HttpResult;
    try {
      result = await serve(event('/'));
    } finally {
      output.restore();
    }
    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({ 'cache-control': 'no-store', 'retry-after': '60' });
    expect(result.body).toContain('history is unavailable');
    const lines = output.lines().filter((line) => line.includes('history store did not answer'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ECONNREFUSED');
  });
});

describe('GET /history', () => {
  it('answers every target for ?days=7, reading 90 days for the uptime windows', async () => {
    const result = await serve(event('/history', { days: '7' }));
    expect(result.statusCode).toBe(200);
    const body = json(result);
    expect(body.days).toBe(7);
    expect(body.targets).toHaveLength(5);
    expect(body.targets[0].days).toHaveLength(7);
    expect(source.requests[0]).toMatchObject({ days: 90, incidentLimit: 100 });
  });

  it('defaults to 90 days and caps ?days at the retention', async () => {
    expect(json(await serve(event('/history'))).days).toBe(90);
    const capped = await serve(event('/history', { days: '60' }), context({ retentionDays: 30 }));
    expect(json(capped).days).toBe(30);
    expect(json(capped).targets[0].days).toHaveLength(30);
  });

  it('answers one configured target by name or host', async () => {
    for (const name of ['eu', 'EU', 'eu.onetimesecret.com']) {
      const body = json(await serve(event(`/history/${name}`, { days: '1' })));
      expect(body.targets.map((t: { target: string }) => t.target)).toEqual(['eu']);
    }
  });

  it('answers 404 for a target that is not configured, without reading anything', async () => {
    const result = await serve(event('/history/evil.example.com'));
    expect(result.statusCode).toBe(404);
    expect(json(result).error).toBe('No such target: use one of ca, eu, nz, uk, us.');
    expect(result.body).not.toContain('evil');
    expect(source.requests).toEqual([]);
  });

  it('answers 400 naming the parameter and the range, without reading anything', async () => {
    for (const days of ['0', '91', 'abc', '7.5', '-1', '', '1,2']) {
      const result = await serve(event('/history', { days }));
      expect(result.statusCode, days).toBe(400);
      expect(json(result).error).toBe('days must be a whole number from 1 to 90.');
    }
    const typo = await serve(event('/history', { day: '7' }));
    expect(typo.statusCode).toBe(400);
    expect(json(typo).error).toContain('the only one is days, a whole number from 1 to 90');
    expect(source.requests).toEqual([]);
  });

  it('answers 503 JSON when the store does not answer', async () => {
    source = new MemorySource(fiveTargets(), new Error('throttled'));
    const output = captureOutput();
    try {
      const result = await serve(event('/history'));
      expect(result.statusCode).toBe(503);
      expect(json(result).error).toContain('History is unavailable');
    } finally {
      output.restore();
    }
  });
});

describe('GET /incidents.atom', () => {
  it('is an Atom feed of the incidents, newest first, with absolute links from the request host', async () => {
    const e = event('/incidents.atom', {}, { host: 'status.example.com', 'x-forwarded-proto': 'https' });
    const result = await serve(e);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/atom+xml; charset=utf-8');
    const xml = result.body as string;
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    expect(xml).toContain(
      '<link rel="self" type="application/atom+xml" href="https://status.example.com/incidents.atom"/>',
    );
    const updated = [...xml.matchAll(/<entry>.*?<updated>(.*?)<\/updated>/g)].map((m) => m[1]!);
    const all = fiveTargets().targets.flatMap((t) => t.incidents);
    expect(updated).toHaveLength(Math.min(50, all.length));
    expect([...updated].sort().reverse()).toEqual(updated);
    expect(source.requests[0]).toMatchObject({ days: 0, incidentLimit: 50, recent: false });
  });
});

describe('parameters and settings', () => {
  it('parses days strictly', () => {
    expect(parseHistoryQuery(undefined, 90)).toEqual({ ok: true, days: 90 });
    expect(parseHistoryQuery({ days: ' 14 ' }, 90)).toEqual({ ok: true, days: 14 });
    expect(parseHistoryQuery({ days: '90' }, 7)).toEqual({ ok: true, days: 7 });
  });

  it('reads OTS_PAGE_TITLE and OTS_PAGE_LINK, and names the variable when one is wrong', () => {
    expect(readPageSettings({})).toEqual({ title: 'Onetime Secret status' });
    expect(readPageSettings({ OTS_PAGE_LINK: 'https://example.com/' }).link?.href).toBe(
      'https://example.com/',
    );
    expect(() => readPageSettings({ OTS_PAGE_LINK: 'javascript:alert(1)' })).toThrow(
      /^OTS_PAGE_LINK must be/,
    );
    expect(() => readPageSettings({ OTS_PAGE_LINK: 'https://u:p@example.com' })).toThrow(
      /^OTS_PAGE_LINK must not/,
    );
    expect(() => readPageSettings({ OTS_PAGE_LINK: 'nope' })).toThrow(/^OTS_PAGE_LINK is not a URL/);
    expect(() => readPageSettings({ OTS_PAGE_TITLE: 'x'.repeat(101) })).toThrow(
      /^OTS_PAGE_TITLE must be 1 to 100/,
    );
  });
});
