/**
 * The status function, invoked directly with real-shaped HTTP API and Function URL events, against two
 * sandboxes on loopback (two configured targets) and a third one that is never configured.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv, statusEvent, statusReads } from './helpers.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

let a: Sandbox;
let b: Sandbox;
let bystander: Sandbox;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;

const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;

async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  restoreEnv = setEnv({ OTS_TARGETS: `${a.url},${b.url}`, ...env });
  vi.resetModules();
  return (await import('../../functions/status.js')).handler as Handler;
}

function body(result: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
}

beforeAll(async () => {
  [a, b, bystander] = await Promise.all([startSandbox(), startSandbox(), startSandbox()]);
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), bystander.stop()]);
});

beforeEach(() => {
  for (const sandbox of [a, b, bystander]) {
    sandbox.resetStats();
    sandbox.clearFaults();
  }
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
});

describe('GET /status', () => {
  it('checks every configured target and answers 200 nominal with the request id and cache header', async () => {
    const handler = await loadHandler();
    const context = lambdaContext();
    const result = await handler(statusEvent(), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('public, max-age=30');
    expect(result.headers?.['x-request-id']).toBe(context.awsRequestId);
    const answer = body(result);
    expect(answer).toMatchObject({ requestId: context.awsRequestId, state: 'nominal' });
    expect((answer.results as { target: string }[]).map((r) => r.target)).toEqual([hostOf(a), hostOf(b)]);
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);
  });

  it('checks /api/v3/status with OTS_API_VERSION=v3 (anonymous, so no serverVersion)', async () => {
    const handler = await loadHandler({ OTS_API_VERSION: 'v3' });
    const answer = body(await handler(statusEvent(), lambdaContext()));
    expect(answer.state).toBe('nominal');
    const results = answer.results as { url: string; serverVersion?: string }[];
    expect(results.map((r) => r.url)).toEqual([`${a.url}/api/v3/status`, `${b.url}/api/v3/status`]);
    expect(results.every((r) => r.serverVersion === undefined)).toBe(true);
  });

  it('answers 503 when a target is down, and the cache header follows OTS_STATUS_CACHE_SECONDS', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 500 });
    const handler = await loadHandler({ OTS_STATUS_CACHE_SECONDS: '7' });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['cache-control']).toBe('public, max-age=7');
    const answer = body(result);
    expect(answer.state).toBe('down');
    expect((answer.results as { state: string }[]).map((r) => r.state)).toEqual(['nominal', 'down']);
  });

  it('answers 200 degraded when a target is slow', async () => {
    a.addFault({ path: '/api/v2/status', latencyMs: 300 });
    const handler = await loadHandler({ OTS_DEGRADED_MS: '100' });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(body(result).state).toBe('degraded');
  });

  it('serves a Function URL event ($default route key) from its raw path', async () => {
    const handler = await loadHandler();
    const event = sampleEvent('function-url-status');
    const all = await handler(event, lambdaContext());
    expect(all.statusCode).toBe(200);
    expect((body(all).results as unknown[]).length).toBe(2);

    const one = sampleEvent('function-url-status');
    one.rawPath = `/status/${encodeURIComponent(hostOf(b))}`;
    const result = await handler(one, lambdaContext());
    expect(result.statusCode).toBe(200);
    expect((body(result).results as { target: string }[]).map((r) => r.target)).toEqual([hostOf(b)]);

    const elsewhere = sampleEvent('function-url-status');
    elsewhere.rawPath = '/metrics';
    expect((await handler(elsewhere, lambdaContext())).statusCode).toBe(404);
  });

  it('refuses other methods with 405', async () => {
    const handler = await loadHandler();
    const event = statusEvent();
    event.requestContext.http.method = 'DELETE';
    const result = await handler(event, lambdaContext());
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET');
    expect(statusReads(a.requestLog)).toBe(0);
  });
});

describe('GET /status/{target}', () => {
  it('checks only the named target, by display name or origin', async () => {
    const handler = await loadHandler();
    const byName = await handler(statusEvent(hostOf(b)), lambdaContext());
    expect(byName.statusCode).toBe(200);
    expect((body(byName).results as { target: string }[]).map((r) => r.target)).toEqual([hostOf(b)]);
    const byOrigin = await handler(statusEvent(a.url), lambdaContext());
    expect((body(byOrigin).results as { target: string }[]).map((r) => r.target)).toEqual([hostOf(a)]);
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);
  });

  it('answers 404 for a target that is not configured, and sends no request to any host', async () => {
    const handler = await loadHandler();
    for (const name of [hostOf(bystander), bystander.url, 'eu', 'example.com', '../../etc/passwd', '%zz']) {
      const result = await handler(statusEvent(name), lambdaContext());
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['cache-control']).toBe('no-store');
      expect(result.body).not.toContain(hostOf(bystander));
    }
    expect(bystander.requestLog).toHaveLength(0);
    expect(a.requestLog).toHaveLength(0);
    expect(b.requestLog).toHaveLength(0);
  });

  it('answers shields.io endpoint JSON with ?format=badge, 200 even when down', async () => {
    const handler = await loadHandler();
    const good = await handler(statusEvent(hostOf(a), { format: 'badge' }), lambdaContext());
    expect(good.statusCode).toBe(200);
    expect(body(good)).toEqual({
      schemaVersion: 1,
      label: `onetime secret ${hostOf(a)}`,
      message: 'nominal',
      color: 'brightgreen',
    });

    b.addFault({ path: '/api/v2/status', fault: 'reset' });
    const down = await handler(statusEvent(hostOf(b), { format: 'badge' }), lambdaContext());
    expect(down.statusCode).toBe(200);
    expect(body(down)).toMatchObject({ message: 'down', color: 'red' });

    const overall = await handler(statusEvent(undefined, { format: 'badge' }), lambdaContext());
    expect(body(overall)).toMatchObject({ label: 'onetime secret', message: 'down' });
  });
});

describe('the warm-container cache', () => {
  it('100 concurrent requests cause one check per target', async () => {
    a.addFault({ path: '/api/v2/status', latencyMs: 150 });
    b.addFault({ path: '/api/v2/status', latencyMs: 150 });
    const handler = await loadHandler();
    const events = Array.from({ length: 100 }, (_, i) =>
      i % 3 === 0 ? statusEvent() : statusEvent(i % 3 === 1 ? hostOf(a) : hostOf(b)),
    );
    const results = await Promise.all(events.map((event) => handler(event, lambdaContext())));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);

    // Still fresh: served from the cache.
    await handler(statusEvent(), lambdaContext());
    expect(statusReads(a.requestLog)).toBe(1);
  });

  it('checks again once the cached result is older than OTS_STATUS_CACHE_SECONDS', async () => {
    const handler = await loadHandler({ OTS_STATUS_CACHE_SECONDS: '0' });
    await handler(statusEvent(hostOf(a)), lambdaContext());
    await handler(statusEvent(hostOf(a)), lambdaContext());
    expect(statusReads(a.requestLog)).toBe(2);
  });
});

describe('configuration', () => {
  it('answers 500 naming the bad variable, and sends nothing', async () => {
    const handler = await loadHandler({ OTS_DEGRADED_MS: 'fast' });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(500);
    expect(body(result).error).toMatch(/OTS_DEGRADED_MS/);
    expect(a.requestLog).toHaveLength(0);
    // The same answer every time: a misconfigured container never half-works.
    expect((await handler(statusEvent(), lambdaContext())).statusCode).toBe(500);
  });

  it.each([
    ['a colon', 'ops:admin@example.com'],
    ['a line break', 'ops@example.com\nX-Injected: 1'],
  ])(
    'refuses an OTS_USERNAME with %s at cold start: first log line, 500 naming it, grey badge',
    async (_what, username) => {
      const handler = await loadHandler({ OTS_USERNAME: username, OTS_TOKEN: 'tok-cold-start-0123' });
      // Before any invocation: the module's load already read and checked the configuration.
      const first = JSON.parse(output.lines()[0] ?? '{}') as Record<string, unknown>;
      expect(first).toMatchObject({
        level: 'ERROR',
        message: 'The function is misconfigured',
        variable: 'OTS_USERNAME',
      });
      expect(String(first.reason)).toMatch(/OTS_USERNAME must not contain ":" or line breaks/);

      const result = await handler(statusEvent(), lambdaContext());
      expect(result.statusCode).toBe(500);
      expect(body(result).error).toMatch(/OTS_USERNAME/);
      expect(result.body).not.toContain('ops');
      expect(result.body).not.toContain('tok-cold-start');

      const shield = await handler(statusEvent(undefined, { format: 'badge' }), lambdaContext());
      expect(shield.statusCode).toBe(200);
      expect(body(shield)).toEqual({
        schemaVersion: 1,
        label: 'onetime secret',
        message: 'misconfigured',
        color: 'lightgrey',
      });
      expect(a.requestLog).toHaveLength(0);
    },
  );

  it('names the variable but not its value in the answer', async () => {
    const handler = await loadHandler({ OTS_API_VERSION: 'v9' });
    const result = await handler(statusEvent(), lambdaContext());
    expect(result.statusCode).toBe(500);
    expect(body(result).error).toMatch(/OTS_API_VERSION/);
    expect(result.body).not.toContain('v9');
  });

  it('never puts the token or the Basic value in a response or a log line', async () => {
    const token = 'tok-status-s3cr3t-value';
    const basic = Buffer.from(`ops@example.com:${token}`).toString('base64');
    const handler = await loadHandler({
      OTS_USERNAME: 'ops@example.com',
      OTS_TOKEN: token,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    const ok = await handler(statusEvent(), lambdaContext());
    const bad = await handler(statusEvent('nowhere.example.com'), lambdaContext());
    for (const text of [ok.body, bad.body, JSON.stringify(ok.headers), output.text()]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(basic);
    }
    // The credentials did go to the configured targets (so the test above means something).
    expect(a.requestLog.some((entry) => entry.authenticated)).toBe(true);
  });
});
