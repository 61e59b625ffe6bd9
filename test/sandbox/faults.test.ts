import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { client, startWithClient, type TestClient } from './helpers.js';

let sandbox: Sandbox;
let http: TestClient;
let call: TestClient['call'];

beforeAll(async () => {
  ({ sandbox, http, call } = await startWithClient());
});

afterEach(() => {
  sandbox.clearFaults();
});

afterAll(async () => {
  await http.close();
  await sandbox.stop();
});

describe('fault kinds', () => {
  it('adds latency before the normal answer', async () => {
    sandbox.addFault({ path: '/api/v1/status', latencyMs: 300 });
    const started = performance.now();
    const reply = await call('/api/v1/status');
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(reply.json).toEqual({ status: 'nominal', locale: 'en' });
  });

  it('answers a 5xx status with each version’s body', async () => {
    sandbox.addFault({ path: '/api/*', fault: 'status' });
    const v1 = await call('/api/v1/status');
    expect(v1.status).toBe(500);
    expect(v1.json).toEqual({ error: 'Internal Server Error' });
    const v2 = await call('/api/v2/status');
    expect(v2.json).toEqual({ error: 'Internal Server Error', error_type: 'ServerError' });
    sandbox.clearFaults();
    sandbox.addFault({ fault: 'status', status: 502 });
    const gateway = await call('/api/v2/status');
    expect(gateway.status).toBe(502);
    expect(gateway.json.error).toBe('Bad Gateway');
  });

  it('rate-limits v2 and v3 with 429 and Retry-After, v1 with its 404 (v1 never sends 429)', async () => {
    sandbox.addFault({ fault: 'rate-limit', retryAfter: 7 });
    const v2 = await call('/api/v2/secret/conceal', { json: { secret: { secret: 'x' } } });
    expect(v2.status).toBe(429);
    expect(v2.headers['retry-after']).toBe('7');
    expect(v2.json).toMatchObject({ error_type: 'LimitExceeded', retry_after: 7, max_attempts: 1000 });
    const v3 = await call('/api/v3/guest/secret/conceal', { json: { secret: { secret: 'x' } } });
    expect(v3.status).toBe(429);
    expect(v3.json.error_type).toBe('LimitExceeded');
    const v1 = await call('/api/v1/share', { form: { secret: 'x' } });
    expect(v1.status).toBe(404);
    expect(v1.headers['x-ots-intended-status']).toBe('400');
    expect(v1.headers['retry-after']).toBeUndefined();
    expect(v1.json).toEqual({ message: 'Rate limit exceeded. Please try again later.' });
    sandbox.clearFaults();
    sandbox.addFault({ fault: 'rate-limit' });
    expect((await call('/api/v2/status')).headers['retry-after']).toBe('1');
  });

  it('answers 503 not_ready as a booting server does', async () => {
    sandbox.addFault({ fault: 'not-ready' });
    const reply = await call('/api/v1/status');
    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ status: 'not_ready', error: { code: 'CONFIGURATION_INCOMPLETE' } });
    expect(Number.isNaN(Date.parse(reply.json.timestamp))).toBe(false);
  });

  it('hangs without ever sending headers', async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'hang' });
    const agent = new Agent({ headersTimeout: 300 });
    try {
      await expect(request(`${sandbox.url}/api/v2/status`, { dispatcher: agent })).rejects.toMatchObject({
        code: 'UND_ERR_HEADERS_TIMEOUT',
      });
    } finally {
      await agent.destroy();
    }
  });

  it('resets the connection', async () => {
    sandbox.addFault({ fault: 'reset' });
    await expect(call('/api/v1/status')).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
  });

  it('answers 200 with a body that is not JSON', async () => {
    sandbox.addFault({ fault: 'invalid-json' });
    const reply = await call('/api/v1/status');
    expect(reply.status).toBe(200);
    expect(reply.json).toBeUndefined();
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  it('answers an oversized JSON-looking body of the given size (default 2 MiB)', async () => {
    sandbox.addFault({ fault: 'oversized', bytes: 100_000, times: 1 });
    const small = await call('/api/v1/status');
    expect(Buffer.byteLength(small.text)).toBe(100_000);
    expect(small.headers['content-length']).toBe('100000');
    expect(small.text.startsWith('{"status":"nominal"')).toBe(true);
    sandbox.addFault({ fault: 'oversized' });
    expect(Buffer.byteLength((await call('/api/v2/status')).text)).toBe(2 * 1024 * 1024);
  });

  it('answers another status word on status endpoints only', async () => {
    sandbox.addFault({ fault: 'status-word', times: 3 });
    // Not a status endpoint: the rule neither applies nor is used up.
    expect((await call('/api/v1/share', { form: { secret: 'x' } })).status).toBe(200);
    expect((await call('/api/v1/status')).json).toEqual({ status: 'offline', locale: 'en' });
    expect((await call('/api/v2/status')).json).toEqual({ success: true, status: 'offline', locale: 'en' });
    expect(sandbox.faults()).toEqual([{ fault: 'status-word', times: 1 }]);
    sandbox.clearFaults();
    sandbox.addFault({ fault: 'status-word', statusWord: 'degraded', path: '/api/v2/*' });
    expect((await call('/api/v2/status')).json.status).toBe('degraded');
    expect((await call('/api/v1/status')).json.status).toBe('nominal');
  });
});

describe('fault targeting', () => {
  it('drops a rule after `times` uses', async () => {
    sandbox.addFault({ path: '/api/v1/status', fault: 'status', status: 503, times: 2 });
    expect((await call('/api/v1/status')).status).toBe(503);
    expect(sandbox.faults()[0]?.times).toBe(1);
    expect((await call('/api/v1/status')).status).toBe(503);
    expect(sandbox.faults()).toEqual([]);
    expect((await call('/api/v1/status')).status).toBe(200);
  });

  it('targets one Host (with or without port) and leaves the others alone', async () => {
    sandbox.addFault({ host: 'eu.localtest', fault: 'status', status: 500 });
    expect((await call('/api/v1/status', { host: 'eu.localtest:8080' })).status).toBe(500);
    expect((await call('/api/v1/status', { host: 'EU.localtest' })).status).toBe(500);
    expect((await call('/api/v1/status', { host: 'us.localtest' })).status).toBe(200);
    expect((await call('/api/v1/status')).status).toBe(200);
    sandbox.clearFaults();
    sandbox.addFault({ host: 'ca.localtest:1', fault: 'status' });
    expect((await call('/api/v1/status', { host: 'ca.localtest:2' })).status).toBe(200);
    expect((await call('/api/v1/status', { host: 'ca.localtest:1' })).status).toBe(500);
  });

  it('targets a method and a path pattern', async () => {
    sandbox.addFault({ method: 'post', path: '/api/v1/secret/*', fault: 'status' });
    expect((await call('/api/v1/status')).status).toBe(200);
    expect((await call(`/api/v1/secret/${'k'.repeat(30)}`, { method: 'POST' })).status).toBe(500);
    expect((await call(`/api/v1/secret/${'k'.repeat(30)}`, { method: 'GET' })).status).toBe(404);
    expect((await call('/api/v1/share', { form: { secret: 'x' } })).status).toBe(200);
  });

  it('applies the first matching rule', async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 502 });
    sandbox.addFault({ fault: 'status', status: 504 });
    expect((await call('/api/v2/status')).status).toBe(502);
    expect((await call('/api/v1/status')).status).toBe(504);
  });

  it('takes rules from the start options', async () => {
    const faulty = await startSandbox({ faults: [{ path: '/api/v1/*', fault: 'not-ready', times: 1 }] });
    const other = client(faulty.url);
    try {
      expect((await other.call('/api/v1/status')).status).toBe(503);
      expect((await other.call('/api/v1/status')).status).toBe(200);
    } finally {
      await other.close();
      await faulty.stop();
    }
  });

  it('refuses an invalid rule with a message naming the field', () => {
    expect(() => sandbox.addFault({ fault: 'explode' as never })).toThrow(
      /"fault" must be one of status, rate-limit/,
    );
    expect(() => sandbox.addFault({ fault: 'status', times: 0 })).toThrow(/"times" must be a whole number/);
    expect(() => sandbox.addFault({ path: '/x' })).toThrow(/give a "fault", a "latencyMs", or both/);
    expect(() => sandbox.addFault({ fault: 'hang', colour: 'red' } as never)).toThrow(
      /unknown field\(s\) colour/,
    );
    expect(sandbox.faults()).toEqual([]);
  });
});

describe('stop', () => {
  it('stops promptly with a hung request and idle keep-alive sockets open', async () => {
    const hung = await startSandbox({ faults: [{ path: '/api/v1/status', fault: 'hang' }] });
    const other = client(hung.url);
    await other.call('/api/v2/status'); // leaves an idle keep-alive socket
    const pending = other.call('/api/v1/status');
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the request has reached the sandbox (a fixed sleep races a slow machine).
    for (let i = 0; i < 100 && hung.stats().peakInFlight === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(hung.stats().peakInFlight).toBe(1);
    await hung.stop();
    expect(await settled).toBe('failed');
    await other.close();
    // stop() is idempotent.
    await hung.stop();
  });
});
