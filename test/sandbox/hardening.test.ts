/**
 * Bad input never crashes the sandbox or stalls other clients: a form key nested 12,000 deep, a fault
 * glob that a backtracking regular expression would take seconds on, and a client that stalls on a
 * 256 MiB oversized answer. Each runs beside an ordinary request, which must be served.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PARAM_DEPTH } from '../../sandbox/body.js';
import { globMatches } from '../../sandbox/faults.js';
import type { Sandbox } from '../../sandbox/types.js';
import { startWithClient, type TestClient } from './helpers.js';

let sandbox: Sandbox;
let http: TestClient;
const call = (path: string, options?: Parameters<TestClient['call']>[1]) => http.call(path, options);
beforeAll(async () => {
  ({ sandbox, http } = await startWithClient());
});
afterAll(async () => {
  await http.close();
  await sandbox.stop();
});
beforeEach(() => sandbox.clearFaults());

describe('form nesting is depth-limited, as Rack limits it', () => {
  const deep = `secret${'[a]'.repeat(12_000)}=x`;

  it('refuses 12,000 x [a] as an unparseable body on v1 and v2, and serves the others meanwhile', async () => {
    const [v1, v2, other] = await Promise.all([
      call('/api/v1/share', { method: 'POST', form: deep }),
      call('/api/v2/secret/conceal', { method: 'POST', form: deep }),
      call('/api/v2/status'),
    ]);
    expect(v1.status).toBe(404);
    expect(v1.headers['x-ots-intended-status']).toBe('400');
    expect(v1.json).toEqual({ message: 'Incorrect payload format' });
    expect(v2.status).toBe(400);
    expect(v2.json.error).toBe('Incorrect payload format');
    expect(other.status).toBe(200);
    expect((await call('/api/v2/status')).status).toBe(200);
  });

  it('still takes nesting up to the limit', async () => {
    const atLimit = `secret[secret]${'[a]'.repeat(MAX_PARAM_DEPTH - 1)}=x&secret[ttl]=60`;
    const over = `secret[secret]${'[a]'.repeat(MAX_PARAM_DEPTH)}=x`;
    expect((await call('/api/v2/secret/conceal', { method: 'POST', form: atLimit })).status).not.toBe(400);
    expect((await call('/api/v2/secret/conceal', { method: 'POST', form: over })).status).toBe(400);
  });
});

describe('fault path globs', () => {
  it('match as globs: * is any run, the rest literal', () => {
    expect(globMatches('/api/*', '/api/v2/status')).toBe(true);
    expect(globMatches('*/burn', '/api/v1/private/abc/burn')).toBe(true);
    expect(globMatches('/api/v1/share', '/api/v1/share')).toBe(true);
    expect(globMatches('/api/v1/share', '/api/v1/shares')).toBe(false);
    expect(globMatches('a*b*c', 'abc')).toBe(true);
    expect(globMatches('ab*ba', 'aba')).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40))).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(39)}b`)).toBe(true);
    expect(globMatches('/api/v?/status', '/api/v2/status')).toBe(false); // ? is literal
    expect(globMatches('*', '')).toBe(true);
  });

  it('a pathological glob does not hold up a concurrent request', async () => {
    sandbox.addFault({ path: '*a*a*a*a*a*a*a*a*a*a*b', fault: 'status', status: 502 });
    const path = `/api/v2/secret/${'a'.repeat(40)}`;
    const [probe, other] = await Promise.all([call(path), call('/api/v2/status')]);
    expect(probe.status).not.toBe(502);
    expect(other.status).toBe(200);
    expect((await call(`/api/v2/secret/${'a'.repeat(39)}b`)).status).toBe(502);
  });
});

describe('the oversized fault streams with back-pressure', () => {
  it('holds one chunk, not the body, for a client that stalls, and serves the others', async () => {
    const bytes = 256 * 1024 * 1024;
    sandbox.addFault({ path: '/api/v2/status', fault: 'oversized', bytes, times: 4 });
    const before = process.memoryUsage().rss;
    // Four raw clients that ask and never read: only the kernel's socket buffers fill.
    const stalled = Array.from({ length: 4 }, () => {
      const socket = connect(sandbox.port, '127.0.0.1');
      socket.pause();
      socket.write(`GET /api/v2/status HTTP/1.1\r\nHost: 127.0.0.1:${sandbox.port}\r\n\r\n`);
      return socket;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const other = await call('/api/v2/status');
    const grown = process.memoryUsage().rss - before;
    for (const socket of stalled) socket.destroy();
    expect(other.status).toBe(200);
    // Built whole, four bodies would be 1 GiB; streamed, each stalled client holds a few chunks.
    expect(grown).toBeLessThan(128 * 1024 * 1024);
  });
});
