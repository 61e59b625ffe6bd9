/** checkStatus against sandboxes on loopback: states, concurrency, credentials, roundtrip, bad input. */

import type { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { ValidationError } from '../../src/errors.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import { checkStatus } from '../../src/index.js';
import { regionTarget } from '../../src/targets/targets.js';
import type { ApiVersion } from '../../src/types.js';
import { ALICE, loopbackAgent, startTestSandbox } from './helpers.js';

let sandbox: Sandbox;
let regions: Agent;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  regions = loopbackAgent(sandbox.port);
});

afterAll(async () => {
  await regions.close();
  await sandbox.stop();
  await closeSharedAgent();
});

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetStats();
});

describe.each<ApiVersion>(['v1', 'v2'])('API %s', (apiVersion) => {
  it('reports a healthy target as nominal, with latency and the URL read', async () => {
    const report = await checkStatus(sandbox.url, { apiVersion });
    expect(report.state).toBe('nominal');
    expect(report.results).toEqual([
      expect.objectContaining({
        target: `127.0.0.1:${sandbox.port}`,
        url: `${sandbox.url}/api/${apiVersion}/status`,
        state: 'nominal',
        httpStatus: 200,
        latencyMs: expect.any(Number),
      }),
    ]);
    expect(report.results[0]?.auth).toBeUndefined();
    // The fields in the order the JSON outputs (the action's results, ots status --json) show them.
    expect(Object.keys(report.results[0] ?? {})).toEqual([
      'target',
      'url',
      'state',
      'httpStatus',
      'latencyMs',
      'message',
      'checkedAt',
    ]);
    expect(Date.parse(report.checkedAt)).not.toBeNaN();
  });

  it('verifies credentials: ok, or failed and down, saying the service answered', async () => {
    const good = await checkStatus(sandbox.url, { apiVersion, ...ALICE });
    expect(good.results[0]).toMatchObject({ state: 'nominal', auth: 'ok' });

    const revoked = await checkStatus(sandbox.url, {
      apiVersion,
      username: ALICE.username,
      token: 'revoked-token',
    });
    expect(revoked).toMatchObject({ state: 'down' });
    expect(revoked.results[0]).toMatchObject({ state: 'down', auth: 'failed', httpStatus: 200 });
    expect(revoked.results[0]?.message).toMatch(/^Nominal in \d+ ms\. The service answered, but refused/);
    expect(revoked.results[0]?.message).toMatch(/check the token .* belongs to this region/);
    expect(revoked.results[0]?.message).not.toContain('revoked-token');
  });

  it('is down when the credential check itself fails, and says it failed rather than refused', async () => {
    const authPath = apiVersion === 'v1' ? '/api/v1/authcheck' : '/api/v2/version';
    sandbox.addFault({ path: authPath, fault: 'status', status: 500 });
    const report = await checkStatus(sandbox.url, { apiVersion, ...ALICE });
    expect(report.results[0]).toMatchObject({ state: 'down', auth: 'failed', httpStatus: 200 });
    expect(report.results[0]?.message).toMatch(/Credential check failed: .*HTTP 500/);
    expect(report.results[0]?.message).not.toMatch(/refused the credentials/);
  });

  it('runs a roundtrip: share, reveal, verify, second reveal refused', async () => {
    const report = await checkStatus(sandbox.url, { apiVersion, depth: 'roundtrip', ...ALICE });
    expect(report.results[0]).toMatchObject({ state: 'nominal', roundtrip: { ok: true } });
    const writes = sandbox.requestLog.filter((e) => e.method === 'POST').map((e) => e.status);
    expect(writes).toEqual([200, 200, 404]); // share, reveal, refused second reveal
  });

  it('marks the target down with the failed step when the roundtrip breaks', async () => {
    const reveal = apiVersion === 'v1' ? '/api/v1/secret/*' : '/api/v2/secret/*/reveal';
    sandbox.addFault({ path: reveal, fault: 'status', status: 500, times: 1 });
    const broken = await checkStatus(sandbox.url, { apiVersion, depth: 'roundtrip' });
    expect(broken.state).toBe('down');
    expect(broken.results[0]).toMatchObject({
      state: 'down',
      roundtrip: { ok: false, failedStep: 'reveal' },
    });

    const share = apiVersion === 'v1' ? '/api/v1/share' : '/api/v2/secret/conceal';
    sandbox.addFault({ path: share, fault: 'status', status: 403 });
    const refused = await checkStatus(sandbox.url, { apiVersion, depth: 'roundtrip' });
    expect(refused.results[0]?.roundtrip).toMatchObject({ ok: false, failedStep: 'share' });
  });
});

describe('roundtrip answers the service must not give', () => {
  const reveal = '/api/v2/secret/*/reveal';

  it('a revealed value other than the shared one fails at verify', async () => {
    sandbox.addFault({ path: reveal, fault: 'json', body: { record: { secret_value: 'another value' } } });
    const report = await checkStatus(sandbox.url, { depth: 'roundtrip' });
    expect(report.results[0]).toMatchObject({
      state: 'down',
      roundtrip: { ok: false, failedStep: 'verify' },
    });
    expect(report.results[0]?.message).toMatch(
      /Roundtrip failed at verify: The revealed value differs from the shared one\.$/,
    );
    expect(report.results[0]?.message).not.toContain('another value');
  });

  it('a second reveal that returns the secret fails at second-reveal', async () => {
    // The first reveal is the sandbox's own (this rule only delays it, once); the second answers a value.
    sandbox.addFault({ path: reveal, latencyMs: 1, times: 1 });
    sandbox.addFault({ path: reveal, fault: 'json', body: { record: { secret_value: 'again' } } });
    const report = await checkStatus(sandbox.url, { depth: 'roundtrip' });
    expect(report.results[0]).toMatchObject({
      state: 'down',
      roundtrip: { ok: false, failedStep: 'second-reveal' },
    });
    expect(report.results[0]?.message).toMatch(
      /Roundtrip failed at second-reveal: A second reveal returned the secret again\.$/,
    );
  });
});

/** A clock that moves `stepMs` on every reading: each measured span (start, end) is exactly `stepMs`. */
function steppingClock(stepMs: number): () => number {
  let readings = 0;
  return () => stepMs * readings++;
}

describe('states', () => {
  it('degraded for another status word; down on errors; overall is the worst', async () => {
    sandbox.addFault({
      host: 'us.onetimesecret.com',
      path: '/api/v2/status',
      fault: 'status-word',
      statusWord: 'offline',
    });
    sandbox.addFault({ host: 'ca.onetimesecret.com', path: '/api/v2/status', fault: 'status', status: 500 });
    sandbox.addFault({ host: 'nz.onetimesecret.com', path: '/api/v2/status', fault: 'invalid-json' });
    // A clock that never moves: every answer is instant, whatever the machine's load.
    const report = await checkStatus('eu us ca nz uk', { dispatcher: regions, now: () => 0 });
    const byName = Object.fromEntries(report.results.map((r) => [r.target, r]));
    expect(byName.eu).toMatchObject({
      state: 'nominal',
      httpStatus: 200,
      latencyMs: 0,
      message: 'Nominal in 0 ms.',
    });
    expect(byName.us).toMatchObject({ state: 'degraded', message: 'Answered "offline" instead of nominal.' });
    expect(byName.ca).toMatchObject({ state: 'down', httpStatus: 500, latencyMs: null });
    expect(byName.nz).toMatchObject({ state: 'down', httpStatus: 200 });
    expect(byName.uk).toMatchObject({ state: 'nominal', url: 'https://uk.onetimesecret.com/api/v2/status' });
    expect(report.state).toBe('down');
  });

  it('degraded when nominal but slower than degradedMs, saying how slow', async () => {
    const report = await checkStatus('eu', { dispatcher: regions, degradedMs: 150, now: steppingClock(151) });
    expect(report.results[0]).toMatchObject({
      state: 'degraded',
      httpStatus: 200,
      latencyMs: 151,
      message: 'Nominal, but slow: 151 ms (over 150 ms).',
    });
    expect(report.state).toBe('degraded');
  });

  it('nominal at degradedMs exactly: only slower is degraded', async () => {
    const report = await checkStatus('eu', { dispatcher: regions, degradedMs: 150, now: steppingClock(150) });
    expect(report.results[0]).toMatchObject({
      state: 'nominal',
      latencyMs: 150,
      message: 'Nominal in 150 ms.',
    });
  });

  it('without degradedMs, slower than 2000 ms is degraded', async () => {
    const slow = await checkStatus('eu', { dispatcher: regions, now: steppingClock(2001) });
    expect(slow.results[0]).toMatchObject({ state: 'degraded', latencyMs: 2001 });
    const fast = await checkStatus('eu', { dispatcher: regions, now: steppingClock(2000) });
    expect(fast.results[0]).toMatchObject({ state: 'nominal', latencyMs: 2000 });
  });

  it('times the roundtrip with the same clock, and a slow roundtrip does not degrade the target', async () => {
    const report = await checkStatus(sandbox.url, {
      depth: 'roundtrip',
      degradedMs: 150,
      now: steppingClock(100),
    });
    expect(report.results[0]).toMatchObject({
      state: 'nominal',
      latencyMs: 100,
      roundtrip: { ok: true, latencyMs: 100 },
      message: 'Nominal in 100 ms. Roundtrip ok in 100 ms.',
    });
  });

  it('never throws for a target that cannot be reached or hangs', async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'hang' });
    const report = await checkStatus(['http://127.0.0.1:1', sandbox.url], { timeoutMs: 300 });
    expect(report.results.map((r) => [r.state, r.httpStatus, r.latencyMs])).toEqual([
      ['down', null, null],
      ['down', null, null],
    ]);
    expect(report.results[0]?.message).toMatch(/Could not reach 127\.0\.0\.1:1/);
    expect(report.results[1]?.message).toMatch(/No answer .* within 300 ms/);
  });
});

describe('targets', () => {
  it('checks each target once, whether given as text, as Target objects, or both', async () => {
    const report = await checkStatus([regionTarget('eu'), 'EU us', regionTarget('us'), regionTarget('eu')], {
      dispatcher: regions,
    });
    expect(report.results.map((r) => r.target)).toEqual(['eu', 'us']);
    expect(sandbox.requestLog).toHaveLength(2);
  });
});

describe('concurrency', () => {
  it('asks every target at once: peak in flight equals the targets with a latency fault', async () => {
    sandbox.addFault({ path: '/api/v2/status', latencyMs: 400 });
    const report = await checkStatus('all', { dispatcher: regions });
    expect(report.results.map((r) => r.target)).toEqual(['ca', 'eu', 'nz', 'uk', 'us']);
    expect(sandbox.stats().peakInFlight).toBe(5);
  });

  it('with three slow targets among five, at least those three overlap', async () => {
    for (const host of ['ca', 'nz', 'us']) {
      sandbox.addFault({ host: `${host}.onetimesecret.com`, path: '/api/v2/status', latencyMs: 400 });
    }
    await checkStatus('all', { dispatcher: regions });
    expect(sandbox.stats().peakInFlight).toBeGreaterThanOrEqual(3);
  });
});

describe('bad input throws before any request', () => {
  it.each([
    ['targets', () => checkStatus('eu, mars')],
    ['targets', () => checkStatus('')],
    ['token', () => checkStatus('eu', { username: 'alice@example.com' })],
    ['degradedMs', () => checkStatus('eu', { degradedMs: -1 })],
    ['depth', () => checkStatus('eu', { depth: 'deep' as 'status' })],
    ['now', () => checkStatus('eu', { now: 0 as unknown as () => number })],
    ['apiVersion', () => checkStatus('eu', { apiVersion: 'v9' as ApiVersion })],
  ])('%s', async (input, call) => {
    await expect(call()).rejects.toMatchObject({ name: ValidationError.name, input });
    expect(sandbox.stats().requests).toBe(0);
  });
});
