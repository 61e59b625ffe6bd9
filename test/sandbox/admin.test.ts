import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { ALICE, client, startWithClient, type TestClient } from './helpers.js';

let sandbox: Sandbox;
let http: TestClient;
let call: TestClient['call'];

beforeAll(async () => {
  ({ sandbox, http, call } = await startWithClient());
});

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetStats();
});

afterAll(async () => {
  await http.close();
  await sandbox.stop();
});

describe('admin interface under /__sandbox/', () => {
  it('adds, lists and clears faults', async () => {
    const added = await call('/__sandbox/faults', {
      json: { path: '/api/v1/status', fault: 'status', status: 502 },
    });
    expect(added.status).toBe(201);
    expect(added.json).toEqual([{ path: '/api/v1/status', fault: 'status', status: 502 }]);
    expect((await call('/api/v1/status')).status).toBe(502);
    const list = await call('/__sandbox/faults', {
      json: [{ fault: 'hang', host: 'x.test' }],
      method: 'POST',
    });
    expect(list.json).toHaveLength(2);
    expect((await call('/__sandbox/faults')).json).toEqual(sandbox.faults());
    const cleared = await call('/__sandbox/faults', { method: 'DELETE' });
    expect(cleared.json).toEqual({ cleared: 2 });
    expect(sandbox.faults()).toEqual([]);
    expect((await call('/api/v1/status')).status).toBe(200);
  });

  it('refuses bad rules with 400 and adds none of a bad list', async () => {
    const bad = await call('/__sandbox/faults', { json: [{ fault: 'hang' }, { fault: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/"fault" must be one of/);
    expect(sandbox.faults()).toEqual([]);
    const notJson = await call('/__sandbox/faults', { body: '{nope', contentType: 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not valid JSON/);
    const unknown = await call('/__sandbox/whatever');
    expect(unknown.status).toBe(404);
    expect(unknown.json.routes).toContain('GET /__sandbox/log');
  });

  it('is never faulted, logged or counted', async () => {
    sandbox.addFault({ fault: 'status' });
    expect((await call('/__sandbox/stats')).status).toBe(200);
    expect((await call('/__sandbox/log')).json).toEqual([]);
    expect(sandbox.stats().requests).toBe(0);
  });

  it('serves the log and stats, and resets them', async () => {
    await call('/api/v1/status');
    await call('/api/v1/authcheck?x=1', { auth: ALICE });
    const log = (await call('/__sandbox/log')).json;
    expect(log).toHaveLength(2);
    expect(log[1]).toMatchObject({
      method: 'GET',
      path: '/api/v1/authcheck',
      authenticated: true,
      status: 200,
    });
    expect(log[0]).toMatchObject({ path: '/api/v1/status', authenticated: false });
    expect((await call('/__sandbox/stats')).json).toMatchObject({ requests: 2 });
    const reset = await call('/__sandbox/reset', { method: 'POST' });
    expect(reset.json).toEqual({ connections: 0, peakInFlight: 0, requests: 0 });
    expect(sandbox.requestLog).toEqual([]);
  });
});

describe('request log and stats', () => {
  it('records method, path without query, Host, whether credentials were sent (never their value), status, time', async () => {
    const before = Date.now();
    await call('/api/v1/share?ttl=60', {
      host: 'eu.localtest:9',
      form: { secret: 'never logged' },
      auth: ALICE,
    });
    await call('/api/v2/version');
    const [first, second] = sandbox.requestLog;
    expect(first).toEqual({
      method: 'POST',
      path: '/api/v1/share',
      host: 'eu.localtest:9',
      authenticated: true,
      status: 200,
      at: expect.any(Number),
    });
    expect(first?.at).toBeGreaterThanOrEqual(before);
    expect(second).toMatchObject({
      method: 'GET',
      path: '/api/v2/version',
      authenticated: false,
      status: 401,
    });
    const text = JSON.stringify(sandbox.requestLog);
    expect(text).not.toContain(ALICE.slice('Basic '.length));
    expect(text).not.toContain('never logged');
  });

  it('replaces secret and receipt keys with :key, keeping the route shape, in the log and at /__sandbox/log', async () => {
    const made = await call('/api/v2/secret/conceal', {
      json: { secret: { secret: 'never logged' } },
      auth: ALICE,
    });
    const secretKey: string = made.json.record.secret.identifier;
    const receiptKey: string = made.json.record.receipt.identifier;
    const v1 = await call('/api/v1/share', { form: { secret: 'also never logged' } });
    const v1Secret: string = v1.json.secret_key;
    const v1Receipt: string = v1.json.metadata_key;
    await call(`/api/v2/secret/${secretKey}/status`);
    await call(`/api/v2/receipt/${receiptKey}`);
    await call(`/api/v2/private/${receiptKey}`);
    await call(`/api/v2/guest/receipt/${receiptKey}`);
    await call(`/api/v2/secret/${secretKey}/reveal`, { method: 'POST', json: {} });
    await call(`/api/v2/receipt/${receiptKey}/burn`, { method: 'POST', json: {} });
    await call(`/api/v2/receipt/recent`, { auth: ALICE });
    await call(`/api/v1/metadata/${v1Receipt}`, { method: 'POST' });
    await call(`/api/v1/secret/${v1Secret}`, { method: 'POST' });
    await call(`/api/v1/private/${v1Receipt}/burn`, { method: 'POST' });
    await call(`/api/v3/secret/${secretKey}?x=1`);
    const expected = [
      'POST /api/v2/secret/conceal',
      'POST /api/v1/share',
      'GET /api/v2/secret/:key/status',
      'GET /api/v2/receipt/:key',
      'GET /api/v2/private/:key',
      'GET /api/v2/guest/receipt/:key',
      'POST /api/v2/secret/:key/reveal',
      'POST /api/v2/receipt/:key/burn',
      'GET /api/v2/receipt/recent',
      'POST /api/v1/metadata/:key',
      'POST /api/v1/secret/:key',
      'POST /api/v1/private/:key/burn',
      'GET /api/v3/secret/:key',
    ];
    expect(sandbox.requestLog.map((entry) => `${entry.method} ${entry.path}`)).toEqual(expected);
    const served = await call('/__sandbox/log');
    expect(
      served.json.map((entry: { method: string; path: string }) => `${entry.method} ${entry.path}`),
    ).toEqual(expected);
    for (const key of [secretKey, receiptKey, v1Secret, v1Receipt]) {
      expect(key.length).toBeGreaterThan(20);
      expect(served.text).not.toContain(key);
      expect(JSON.stringify(sandbox.requestLog)).not.toContain(key);
    }
  });

  it('logs a hung or reset request with status 0', async () => {
    sandbox.addFault({ fault: 'reset', times: 1 });
    await expect(call('/api/v1/status')).rejects.toThrow();
    expect(sandbox.requestLog.at(-1)).toMatchObject({ path: '/api/v1/status', status: 0 });
  });

  it('counts one connection for sequential keep-alive requests, one per fresh client', async () => {
    // One socket per origin: undici may otherwise open a second one while the first is still settling.
    const first = client(sandbox.url, { connections: 1 });
    const second = client(sandbox.url, { connections: 1 });
    try {
      for (let i = 0; i < 5; i += 1) await first.call('/api/v1/status');
      expect(sandbox.stats()).toMatchObject({ connections: 1, requests: 5, peakInFlight: 1 });
      await second.call('/api/v1/status');
      expect(sandbox.stats().connections).toBe(2);
      // After a reset a kept-alive socket counts again when it carries a request.
      sandbox.resetStats();
      await first.call('/api/v1/status');
      expect(sandbox.stats()).toMatchObject({ connections: 1, requests: 1 });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('measures peak requests in flight under a latency fault', async () => {
    sandbox.addFault({ path: '/api/v1/status', latencyMs: 300 });
    const fresh = client(sandbox.url);
    try {
      const replies = await Promise.all(Array.from({ length: 6 }, () => fresh.call('/api/v1/status')));
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
      expect(sandbox.stats()).toEqual({ connections: 6, peakInFlight: 6, requests: 6 });
    } finally {
      await fresh.close();
    }
  });

  it('keeps at most logLimit entries', async () => {
    const { startSandbox } = await import('../../sandbox/index.js');
    const small = await startSandbox({ logLimit: 3 });
    const other = client(small.url);
    try {
      for (let i = 0; i < 5; i += 1) await other.call(`/api/v1/status?n=${i}`);
      expect(small.requestLog).toHaveLength(3);
      expect(small.stats().requests).toBe(5);
    } finally {
      await other.close();
      await small.stop();
    }
  });
});
