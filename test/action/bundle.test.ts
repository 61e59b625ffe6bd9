/**
 * The committed bundle, run as the runner runs it (`node action/dist/index.js` with INPUT_* variables
 * and the runner's files), against a sandbox on loopback reached through the `domain` input. Run
 * `npm run bundle` after changing the action or the core: these tests use action/dist as committed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { encodableText, wireForms } from '../wire-forms.js';
import { type ActionRun, leaks, runAction } from './harness.js';

const USERNAME = 'ci@example.com';
const TOKEN = 'tok-9f8e7d6c5b4a39281706';
const BASIC = Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64');
const SECRET = 'db-password: s3cr3t-Line-One\nsecond line of the secret';
const PASSPHRASE = 'correct horse battery';

let sandbox: Sandbox;
let credentials: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ username: USERNAME, token: TOKEN }] });
  credentials = { domain: sandbox.url, username: USERNAME, token: TOKEN };
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetStats();
});

/** The outputs a share or generate must set, all non-empty. */
const CREATE_OUTPUTS = ['secret-url', 'secret-key', 'receipt-url', 'receipt-key', 'expires-at', 'ttl'];

function expectSuccess(run: ActionRun): void {
  expect(run.errors, run.stdout).toEqual([]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).not.toContain('LOOPBACK-GUARD');
}

function expectNoLeak(run: ActionRun, secrets: string[]): void {
  expect(leaks(run, secrets)).toEqual([]);
}

/** Every line of each value was masked with `::add-mask::` before the step ended. */
function expectMasked(run: ActionRun, values: string[]): void {
  for (const value of values) {
    for (const line of value.split('\n').filter((l) => l.trim() !== '')) expect(run.masks).toContain(line);
  }
}

async function share(extra: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runAction({ ...credentials, operation: 'share', secret: SECRET, ...extra });
  expectSuccess(run);
  return run;
}

describe('status', () => {
  it('checks the domain target, sets status and results, writes a table, leaks no credential', async () => {
    const run = await runAction({ ...credentials });
    expectSuccess(run);
    expect(run.outputs.status).toBe('nominal');
    const results = JSON.parse(run.outputs.results ?? '[]');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      target: `127.0.0.1:${sandbox.port}`,
      state: 'nominal',
      httpStatus: 200,
      auth: 'ok',
      serverVersion: '0.26.11',
      url: `${sandbox.url}/api/v2/status`,
    });
    expect(run.summary).toContain('<table>');
    expect(run.summary).toContain(`<td>127.0.0.1:${sandbox.port}</td>`);
    expect(run.summary).toMatch(
      /<th>Target<\/th><th>State<\/th><th>Latency<\/th><th>HTTP<\/th><th>Auth<\/th>/,
    );
    expectMasked(run, [TOKEN, BASIC]);
    expectNoLeak(run, [TOKEN, BASIC]);
    expect(sandbox.requestLog.map((r) => r.path)).toEqual(['/api/v2/status', '/api/v2/version']);
    // The credentials were sent only where they are checked: the status is read anonymously.
    expect(sandbox.requestLog.map((r) => [r.path, r.authenticated])).toEqual([
      ['/api/v2/status', false],
      ['/api/v2/version', true],
    ]);
  });

  it('reads /api/v1/status with api-version v1', async () => {
    const run = await runAction({ domain: sandbox.url, 'api-version': 'v1' });
    expectSuccess(run);
    expect(run.outputs.status).toBe('nominal');
    expect(sandbox.requestLog.map((r) => r.path)).toEqual(['/api/v1/status']);
  });

  it('reads /api/v3/status with api-version v3, and shares and reveals over the v3 guest routes', async () => {
    const run = await runAction({ domain: sandbox.url, 'api-version': 'v3' });
    expectSuccess(run);
    expect(run.outputs.status).toBe('nominal');
    const shared = await runAction({
      domain: sandbox.url,
      'api-version': 'v3',
      operation: 'share',
      secret: SECRET,
    });
    expectSuccess(shared);
    expect(shared.outputs['secret-url']).toBe(`${sandbox.url}/secret/${shared.outputs['secret-key']}`);
    const revealed = await runAction({
      domain: sandbox.url,
      'api-version': 'v3',
      operation: 'reveal',
      key: shared.outputs['secret-url'] ?? '',
    });
    expectSuccess(revealed);
    expect(revealed.outputs.value).toBe(SECRET);
    expect(sandbox.requestLog.map((r) => r.path)).toEqual([
      '/api/v3/status',
      '/api/v3/guest/secret/conceal',
      '/api/v3/guest/secret/:key/reveal',
    ]);
  });

  it('is degraded when slower than degraded-ms: fail-on down passes, fail-on degraded fails', async () => {
    sandbox.addFault({ path: '/api/v2/status', latencyMs: 400 });
    const tolerant = await runAction({ domain: sandbox.url, 'degraded-ms': '100' });
    expectSuccess(tolerant);
    expect(tolerant.outputs.status).toBe('degraded');

    const strict = await runAction({ domain: sandbox.url, 'degraded-ms': '100', 'fail-on': 'degraded' });
    expect(strict.code).toBe(1);
    expect(strict.errors).toHaveLength(1);
    expect(strict.errors[0]).toContain('degraded');
    // The outputs are set before the step fails, so later steps can still read them.
    expect(strict.outputs.status).toBe('degraded');
    expect(strict.summary).toContain('degraded');
  });

  it('is down on a 5xx: fail-on down fails, fail-on never passes', async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 503 });
    const failing = await runAction({ domain: sandbox.url });
    expect(failing.code).toBe(1);
    expect(failing.errors).toHaveLength(1);
    expect(failing.errors[0]).toContain(`127.0.0.1:${sandbox.port} is down`);
    expect(failing.outputs.status).toBe('down');
    expect(JSON.parse(failing.outputs.results ?? '[]')[0]).toMatchObject({ state: 'down', httpStatus: 503 });

    const never = await runAction({ domain: sandbox.url, 'fail-on': 'never' });
    expectSuccess(never);
    expect(never.outputs.status).toBe('down');
  });

  it('reports a refused token as down (auth failed), failing by default, without printing it', async () => {
    const wrong = 'tok-revoked-0000000000';
    const inputs = { domain: sandbox.url, username: USERNAME, token: wrong };
    const secrets = [wrong, Buffer.from(`${USERNAME}:${wrong}`).toString('base64')];
    const run = await runAction(inputs);
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`127.0.0.1:${sandbox.port} is down`);
    expect(run.outputs.status).toBe('down');
    const result = JSON.parse(run.outputs.results ?? '[]')[0];
    expect(result).toMatchObject({ state: 'down', auth: 'failed', httpStatus: 200 });
    expect(result.message).toMatch(/answered, but refused the credentials/);
    expect(run.summary).toContain('failed');
    expectNoLeak(run, secrets);

    const never = await runAction({ ...inputs, 'fail-on': 'never' });
    expectSuccess(never);
    expect(never.outputs.status).toBe('down');
    expectNoLeak(never, secrets);
  });

  it('goes round trip with depth roundtrip, and leaks nothing of it', async () => {
    const run = await runAction({ ...credentials, depth: 'roundtrip' });
    expectSuccess(run);
    expect(JSON.parse(run.outputs.results ?? '[]')[0]).toMatchObject({ roundtrip: { ok: true } });
    expect(sandbox.requestLog.some((r) => r.path.endsWith('/reveal'))).toBe(true);
    expectNoLeak(run, [TOKEN, BASIC]);
  });
});

describe('share, reveal, receipt and burn', () => {
  it('share sets every output, masks them, and prints only one line with no secret', async () => {
    const run = await share({ passphrase: PASSPHRASE, ttl: '30m' });
    for (const name of CREATE_OUTPUTS) expect(run.outputs[name], name).toBeTruthy();
    expect(run.outputs.ttl).toBe('1800');
    expect(new Date(run.outputs['expires-at'] ?? '').toISOString()).toBe(run.outputs['expires-at']);
    expect(run.outputs['secret-url']).toBe(`${sandbox.url}/secret/${run.outputs['secret-key']}`);
    expect(run.outputs['receipt-url']).toBe(`${sandbox.url}/receipt/${run.outputs['receipt-key']}`);
    expect(run.outputs.value).toBeUndefined();
    const returned = ['secret-url', 'secret-key', 'receipt-url', 'receipt-key'].map(
      (n) => run.outputs[n] ?? '',
    );
    expectMasked(run, [TOKEN, BASIC, SECRET, PASSPHRASE, ...returned]);
    expectNoLeak(run, [TOKEN, BASIC, PASSPHRASE, ...SECRET.split('\n'), ...returned]);
    expect(run.summary).toMatch(
      /^<p>Shared a secret on 127\.0\.0\.1:\d+: it can be read once until .*passphrase required/,
    );
    expect(run.summary.trim().split('\n')).toHaveLength(1);
  });

  it('reveal by link gives the shared value once, masked', async () => {
    const shared = await share({ passphrase: PASSPHRASE });
    const link = shared.outputs['secret-url'] ?? '';
    const run = await runAction({ ...credentials, operation: 'reveal', key: link, passphrase: PASSPHRASE });
    expectSuccess(run);
    expect(run.outputs.value).toBe(SECRET);
    expectMasked(run, [SECRET, link, shared.outputs['secret-key'] ?? '']);
    expectNoLeak(run, [
      TOKEN,
      BASIC,
      PASSPHRASE,
      link,
      shared.outputs['secret-key'] ?? '',
      ...SECRET.split('\n'),
    ]);
    expect(run.summary).toContain('Revealed a secret from');

    const again = await runAction({ ...credentials, operation: 'reveal', key: link, passphrase: PASSPHRASE });
    expect(again.code).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.outputs.value).toBeUndefined();
    expectNoLeak(again, [TOKEN, BASIC, PASSPHRASE, link, shared.outputs['secret-key'] ?? '']);
  });

  it('generate returns a value that reveal by bare key gives back', async () => {
    const generated = await runAction({ domain: sandbox.url, operation: 'generate', ttl: '1h' });
    expectSuccess(generated);
    for (const name of [...CREATE_OUTPUTS, 'value']) expect(generated.outputs[name], name).toBeTruthy();
    const value = generated.outputs.value ?? '';
    const returned = ['secret-url', 'secret-key', 'receipt-url', 'receipt-key'].map(
      (n) => generated.outputs[n] ?? '',
    );
    expectMasked(generated, [value, ...returned]);
    expectNoLeak(generated, [value, ...returned]);
    expect(generated.summary).toContain('Generated a secret on');

    const key = generated.outputs['secret-key'] ?? '';
    const revealed = await runAction({ domain: sandbox.url, operation: 'reveal', key });
    expectSuccess(revealed);
    expect(revealed.outputs.value).toBe(value);
    expectNoLeak(revealed, [value, key]);
  });

  it('receipt by link sets state and the receipt JSON, masked', async () => {
    const shared = await share();
    const link = shared.outputs['receipt-url'] ?? '';
    const run = await runAction({ ...credentials, operation: 'receipt', key: link });
    expectSuccess(run);
    expect(run.outputs.state).toBe('new');
    const receipt = JSON.parse(run.outputs.receipt ?? '{}');
    expect(receipt).toMatchObject({ receiptKey: shared.outputs['receipt-key'], state: 'new' });
    expectMasked(run, [link, shared.outputs['receipt-key'] ?? '']);
    const keysAndLinks = ['secret-url', 'secret-key', 'receipt-url', 'receipt-key'].map(
      (n) => shared.outputs[n] ?? '',
    );
    expectNoLeak(run, [TOKEN, BASIC, ...keysAndLinks]);
    expect(run.summary).toContain('the secret is new');
  });

  it('burn by receipt key destroys the secret', async () => {
    const shared = await share();
    const receiptKey = shared.outputs['receipt-key'] ?? '';
    const run = await runAction({ ...credentials, operation: 'burn', key: receiptKey });
    expectSuccess(run);
    expect(run.outputs.state).toBe('burned');
    expectNoLeak(run, [TOKEN, BASIC, receiptKey]);
    expect(run.summary).toContain('Burned a secret on');

    const reveal = await runAction({
      ...credentials,
      operation: 'reveal',
      key: shared.outputs['secret-url'] ?? '',
    });
    expect(reveal.code).toBe(1);
    expect(reveal.errors).toHaveLength(1);
    expectNoLeak(reveal, [
      TOKEN,
      BASIC,
      shared.outputs['secret-url'] ?? '',
      shared.outputs['secret-key'] ?? '',
    ]);
  });
});

describe('bad inputs fail the step with one error naming the input, and send nothing', () => {
  const foreignLink = `https://secrets.example.net/secret/${'a'.repeat(40)}`;
  const cases: [string, () => Record<string, string>, string][] = [
    ['an unknown operation', () => ({ operation: 'explode', domain: sandbox.url }), 'operation'],
    ['region xx', () => ({ region: 'xx' }), 'region'],
    ['region xx beside a domain (status)', () => ({ region: 'eu, xx', domain: sandbox.url }), 'region'],
    ['a domain with a path', () => ({ domain: `${sandbox.url}/some/path` }), 'domain'],
    ['a username without a token', () => ({ domain: sandbox.url, username: USERNAME }), 'token'],
    ['a token without a username', () => ({ domain: sandbox.url, token: TOKEN }), 'username'],
    ['ttl abc', () => ({ ...credentials, operation: 'share', secret: SECRET, ttl: 'abc' }), 'ttl'],
    ['share without a secret', () => ({ ...credentials, operation: 'share' }), 'secret'],
    ['share with a blank secret', () => ({ ...credentials, operation: 'share', secret: ' \n ' }), 'secret'],
    ['reveal without a key', () => ({ ...credentials, operation: 'reveal' }), 'key'],
    ['receipt without a key', () => ({ ...credentials, operation: 'receipt' }), 'key'],
    ['burn without a key', () => ({ ...credentials, operation: 'burn' }), 'key'],
    ['a link to a foreign host', () => ({ ...credentials, operation: 'reveal', key: foreignLink }), 'key'],
    [
      'a receipt link given to reveal',
      () => ({ domain: sandbox.url, operation: 'reveal', key: `${sandbox.url}/receipt/${'b'.repeat(40)}` }),
      'key',
    ],
    [
      'a link with a malformed escape in its key',
      () => ({
        domain: sandbox.url,
        operation: 'reveal',
        key: `${sandbox.url}/secret/${'c'.repeat(40)}%E0%A4%A`,
      }),
      'key',
    ],
    [
      'a secret given to generate',
      () => ({ ...credentials, operation: 'generate', secret: SECRET }),
      'secret',
    ],
    [
      'a passphrase given to receipt',
      () => ({ ...credentials, operation: 'receipt', key: 'd'.repeat(40), passphrase: PASSPHRASE }),
      'passphrase',
    ],
    ['fail-on sometimes', () => ({ domain: sandbox.url, 'fail-on': 'sometimes' }), 'fail-on'],
    ['timeout soon', () => ({ domain: sandbox.url, timeout: 'soon' }), 'timeout'],
    ['timeout 0', () => ({ domain: sandbox.url, timeout: '0' }), 'timeout'],
    ['timeout 0x10 (a Number() form)', () => ({ domain: sandbox.url, timeout: '0x10' }), 'timeout'],
    ['timeout 1e1 (a Number() form)', () => ({ domain: sandbox.url, timeout: '1e1' }), 'timeout'],
    ['degraded-ms -5', () => ({ domain: sandbox.url, 'degraded-ms': '-5' }), 'degraded-ms'],
    ['depth deep', () => ({ domain: sandbox.url, depth: 'deep' }), 'depth'],
    ['api-version v4', () => ({ domain: sandbox.url, 'api-version': 'v4' }), 'api-version'],
    [
      'api-version v3 with username and token (session-only on the server)',
      () => ({ ...credentials, operation: 'share', secret: SECRET, 'api-version': 'v3' }),
      'api-version',
    ],
    [
      'a passphrase too short',
      () => ({ ...credentials, operation: 'share', secret: SECRET, passphrase: 'ab' }),
      'passphrase',
    ],
  ];

  it.each(cases)('%s', async (_name, inputs, input) => {
    const run = await runAction(inputs());
    expect(run.code).toBe(1);
    expect(run.errors, run.stdout).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^::error::.*\\b${input}\\b`));
    expect(run.outputs).toEqual({});
    expect(sandbox.requestLog).toEqual([]);
    expect(run.stderr).not.toContain('LOOPBACK-GUARD');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expectNoLeak(run, [TOKEN, BASIC, PASSPHRASE, ...SECRET.split('\n')]);
  });
});

describe('a server that echoes the request (line, Authorization header, body) in its error', () => {
  const drawn = fc.record({
    secret: encodableText(200),
    passphrase: encodableText(60, { lineBreaks: false }),
  });

  it.each(['v1', 'v2'])(
    'fails the step on API %s without printing any wire form, and masks every form first',
    async (apiVersion) => {
      await fc.assert(
        fc.asyncProperty(drawn, async ({ secret, passphrase }) => {
          sandbox.addFault({ fault: 'echo' });
          const run = await runAction({
            ...credentials,
            operation: 'share',
            'api-version': apiVersion,
            secret,
            passphrase,
          });
          sandbox.clearFaults();
          expect(run.code).toBe(1);
          expect(run.errors.join('\n')).toMatch(/refused share/);
          const forms = wireForms([TOKEN, BASIC, secret, passphrase]);
          expectNoLeak(run, forms);
          const masked = new Set(run.masks);
          for (const form of forms) {
            for (const line of form.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')) {
              expect(masked.has(line) || masked.has(line.trim()), `mask for ${JSON.stringify(line)}`).toBe(
                true,
              );
            }
          }
        }),
        { numRuns: 4 },
      );
    },
    60_000,
  );
});
