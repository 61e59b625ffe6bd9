/** Version drift detection: status results carry the server's version when credentials allow it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import { checkStatus } from '../../src/index.js';
import { ALICE, requests, startTestSandbox } from './helpers.js';

let current: Sandbox;
let old: Sandbox;

beforeAll(async () => {
  [current, old] = await Promise.all([startTestSandbox(), startTestSandbox({ server: '0.24' })]);
});

afterAll(async () => {
  await Promise.all([current.stop(), old.stop()]);
  await closeSharedAgent();
});

describe('serverVersion in status results', () => {
  it('comes from v2 /version, the credential check itself: no extra request', async () => {
    current.resetStats();
    const report = await checkStatus(current.url, { ...ALICE });
    expect(report.results[0]).toMatchObject({ state: 'nominal', auth: 'ok', serverVersion: '0.26.11' });
    expect(requests(current)).toEqual(['GET /api/v2/status', 'GET /api/v2/version']);
  });

  it('is read from /api/v2/version after v1 /authcheck, per target', async () => {
    const report = await checkStatus([current.url, old.url], { ...ALICE, apiVersion: 'v1' });
    expect(report.results.map((r) => r.serverVersion)).toEqual(['0.26.11', '0.24.0']);
    expect(report.state).toBe('nominal');
  });

  it('is absent without credentials, and when they are refused', async () => {
    const anonymous = await checkStatus(current.url, {});
    expect(anonymous.results[0]).not.toHaveProperty('serverVersion');
    const refused = await checkStatus(current.url, { username: ALICE.username, token: 'wrong-token-value' });
    expect(refused.results[0]).toMatchObject({ auth: 'failed' });
    expect(refused.results[0]).not.toHaveProperty('serverVersion');
  });

  it('never fails a v1 check when the version cannot be read', async () => {
    current.addFault({ path: '/api/v2/version', fault: 'status', status: 500 });
    try {
      const report = await checkStatus(current.url, { ...ALICE, apiVersion: 'v1', timeoutMs: 2000 });
      expect(report.results[0]).toMatchObject({ state: 'nominal', auth: 'ok' });
      expect(report.results[0]).not.toHaveProperty('serverVersion');
    } finally {
      current.clearFaults();
    }
  });
});
