/**
 * `run()` with a fake `@actions/core` (the runner cannot run here) and, mostly, the real core library
 * against a sandbox on loopback. Where the real check would reach the internet (region targets), a
 * recording `checkStatus` stands in and says so.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../action/main.js';
import { maskableParts } from '../../action/masking.js';
import type { CoreDeps } from '../../action/ports.js';
import { BURNED, GENERATED, RECEIPT, REVEALED, SHARED } from '../../action/secret-outputs.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { inputVariable, parseOutputFile } from '../../scripts/action-runner.js';
import {
  type CheckState,
  checkStatus,
  createClient,
  type StatusReport,
  type Target,
} from '../../src/index.js';
import { type CoreEvent, type FakeCore, fakeCore } from './fake-core.js';

const USERNAME = 'unit@example.com';
const TOKEN = 'tok-unit-5a4b3c2d1e0f';
const REAL: CoreDeps = { createClient, checkStatus };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ username: USERNAME, token: TOKEN }] });
});

afterAll(async () => {
  await sandbox?.stop();
});

/** Index of the first event that makes a value visible or sets it (an output, a log line, the summary). */
function firstUse(events: CoreEvent[], value: string): number {
  return events.findIndex(
    (e) =>
      (e.kind === 'setOutput' && e.value.includes(value)) ||
      ('message' in e && e.message.includes(value)) ||
      (e.kind === 'summary' && e.text.includes(value)),
  );
}

/** Every line of the value was given to setSecret before the value was first set or printed. */
function expectMaskedBeforeUse(core: FakeCore, value: string): void {
  const used = firstUse(core.events, value);
  for (const part of maskableParts(value)) {
    const masked = core.events.findIndex((e) => e.kind === 'setSecret' && e.value === part);
    expect(masked, `"${part}" masked`).toBeGreaterThanOrEqual(0);
    if (used >= 0) expect(masked, `"${part}" masked before use`).toBeLessThan(used);
  }
}

/**
 * Every line of every input value was given to setSecret before the run printed, set or summarised
 * anything at all (the first event that is not a setSecret): masking must come first, not merely before
 * the value's own first use, since a later change could print it anywhere.
 */
function expectInputsMaskedFirst(core: FakeCore, inputs: readonly string[]): void {
  const firstVisible = core.events.findIndex((e) => e.kind !== 'setSecret');
  expect(firstVisible, 'the run printed or set something').toBeGreaterThanOrEqual(0);
  for (const value of inputs) {
    for (const part of maskableParts(value)) {
      const masked = core.events.findIndex((e) => e.kind === 'setSecret' && e.value === part);
      expect(masked, `"${part}" masked`).toBeGreaterThanOrEqual(0);
      expect(masked, `"${part}" masked before the first ${core.events[firstVisible]?.kind}`).toBeLessThan(
        firstVisible,
      );
    }
  }
}

describe('masking order', () => {
  it('share: token, Basic value, secret lines, passphrase and every key and link are masked first', async () => {
    const secret = 'first line\n  indented second line\n';
    const core = fakeCore({
      operation: 'share',
      domain: sandbox.url,
      username: USERNAME,
      token: TOKEN,
      secret,
      passphrase: 'a passphrase',
    });
    await run(core, REAL);
    expect(core.failures).toEqual([]);
    const basic = Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64');
    expectInputsMaskedFirst(core, [TOKEN, basic, secret, 'a passphrase']);
    for (const value of [TOKEN, basic, secret, 'a passphrase']) expectMaskedBeforeUse(core, value);
    for (const name of ['secret-url', 'secret-key', 'receipt-url', 'receipt-key']) {
      expectMaskedBeforeUse(core, core.outputs[name] ?? 'missing');
    }
    for (const value of [
      TOKEN,
      basic,
      'first line',
      'indented second line',
      core.outputs['secret-key'] ?? '',
    ]) {
      expect(core.printed()).not.toContain(value);
    }
  });

  it('generate and reveal: the value is masked before it is set', async () => {
    const generated = fakeCore({ operation: 'generate', domain: sandbox.url });
    await run(generated, REAL);
    const value = generated.outputs.value ?? '';
    expect(value).not.toBe('');
    expectMaskedBeforeUse(generated, value);

    const link = generated.outputs['secret-url'] ?? '';
    const revealed = fakeCore({ operation: 'reveal', domain: sandbox.url, key: link });
    await run(revealed, REAL);
    expect(revealed.outputs.value).toBe(value);
    expectInputsMaskedFirst(revealed, [link, generated.outputs['secret-key'] ?? 'missing']);
    expectMaskedBeforeUse(revealed, value);
    expectMaskedBeforeUse(revealed, generated.outputs['secret-key'] ?? '');
    expect(revealed.printed()).not.toContain(value);
  });

  it('receipt and burn: the keys and links of the result are masked before any output is set', async () => {
    const shared = fakeCore({ operation: 'share', domain: sandbox.url, secret: 'to be burned' });
    await run(shared, REAL);
    const receiptKey = shared.outputs['receipt-key'] ?? '';
    const secretKey = shared.outputs['secret-key'] ?? '';

    // Given only the receipt key: the receipt's link, the secret key and link come from the result.
    const receipt = fakeCore({ operation: 'receipt', domain: sandbox.url, key: receiptKey });
    await run(receipt, REAL);
    expect(receipt.failures).toEqual([]);
    const read = JSON.parse(receipt.outputs.receipt ?? '{}');
    expect(read).toMatchObject({ receiptKey, secretKey, state: 'new' });
    for (const value of [read.receiptUrl, read.secretKey, read.secretUrl]) {
      expectMaskedBeforeUse(receipt, value);
    }
    expect(receipt.printed()).not.toContain(secretKey);

    const burned = fakeCore({ operation: 'burn', domain: sandbox.url, key: receiptKey });
    await run(burned, REAL);
    expect(burned.outputs.state).toBe('burned');
    expectInputsMaskedFirst(burned, [receiptKey]);
  });

  it('status: the token and the Basic value are masked before the check prints anything', async () => {
    const core = fakeCore({ domain: sandbox.url, username: USERNAME, token: TOKEN });
    await run(core, REAL);
    expect(core.failures).toEqual([]);
    expectInputsMaskedFirst(core, [TOKEN, Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64')]);
  });

  it('a key inside a link is masked on its own too', async () => {
    const key = 'k'.repeat(40);
    const link = `${sandbox.url}/receipt/${key}`;
    const core = fakeCore({ operation: 'receipt', domain: sandbox.url, key: link });
    await run(core, REAL);
    expectInputsMaskedFirst(core, [link, key]);
    expect(core.failures).toHaveLength(1); // the receipt does not exist
    expect(core.failures[0]).not.toContain(key);
  });
});

/** A report where every target has the given state. */
function reportFor(targets: readonly (string | Target)[], state: CheckState): StatusReport {
  const results = targets.map((t) => ({
    target: typeof t === 'string' ? t : t.name,
    url: typeof t === 'string' ? t : `${t.apiBase}/v2/status`,
    state,
    httpStatus: state === 'down' ? 503 : 200,
    latencyMs: 12,
    message: `${state} <b>`,
    checkedAt: '2026-01-01T00:00:00.000Z',
  }));
  return { state, results, checkedAt: '2026-01-01T00:00:00.000Z' };
}

/**
 * Region targets would reach the internet, so this stand-in records what would be checked and answers
 * with a fixed state. It replaces only the network part; the settings and targets are the real ones.
 */
function recordingDeps(state: CheckState): CoreDeps & { checked: Target[][] } {
  const checked: Target[][] = [];
  return {
    checked,
    createClient,
    async checkStatus(targets) {
      const list = (typeof targets === 'string' ? [] : targets).filter(
        (t): t is Target => typeof t !== 'string',
      );
      checked.push(list);
      return reportFor(list, state);
    },
  };
}

describe('status targets', () => {
  it('checks a list of regions plus the domain, each once', async () => {
    const deps = recordingDeps('nominal');
    const core = fakeCore({ region: 'EU, us\nus', domain: 'secrets.example.com' });
    await run(core, deps);
    expect(core.failures).toEqual([]);
    expect(deps.checked[0]?.map((t) => t.name)).toEqual(['eu', 'us', 'secrets.example.com']);
    expect(JSON.parse(core.outputs.results ?? '[]')).toHaveLength(3);
  });

  it('all means the five regions', async () => {
    const deps = recordingDeps('nominal');
    await run(fakeCore({ region: 'all' }), deps);
    expect(deps.checked[0]?.map((t) => t.origin)).toEqual([
      'https://ca.onetimesecret.com',
      'https://eu.onetimesecret.com',
      'https://nz.onetimesecret.com',
      'https://uk.onetimesecret.com',
      'https://us.onetimesecret.com',
    ]);
  });

  it('no region and no domain: the default host, with a warning that names the regions', async () => {
    const deps = recordingDeps('nominal');
    const core = fakeCore({});
    await run(core, deps);
    expect(deps.checked[0]?.map((t) => t.kind)).toEqual(['default']);
    expect(core.events.some((e) => e.kind === 'warning' && e.message.includes('ca, eu, nz, uk, us'))).toBe(
      true,
    );
  });

  it('prints the default-host warning once, in the words of the core, only when the run starts', async () => {
    const core = fakeCore({});
    await run(core, recordingDeps('nominal'));
    const warnings = core.events.filter((e) => e.kind === 'warning' && e.message.includes('default host'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      message: expect.stringMatching(/^No region or domain given: using/),
    });
    const refused = fakeCore({ 'fail-on': 'sometimes' });
    await run(refused, recordingDeps('nominal'));
    expect(refused.events.filter((e) => e.kind === 'warning')).toEqual([]);
  });

  it('resolves the target of generate once: the client gets it, so "region ignored" is said once', async () => {
    const core = fakeCore({ operation: 'generate', region: 'eu', domain: sandbox.url });
    await run(core, REAL);
    expect(core.failures).toEqual([]);
    const notices = core.events.filter((e) => 'message' in e && e.message.includes('region ignored'));
    expect(notices).toHaveLength(1);
  });

  it('escapes what the server said in the summary table', async () => {
    const core = fakeCore({ region: 'eu' });
    await run(core, recordingDeps('nominal'));
    const summary = core.events.filter((e) => e.kind === 'summary').map((e) => e.text);
    expect(summary.join('\n')).toContain('nominal &lt;b&gt;');
  });
});

describe('fail-on', () => {
  const table: [CheckState, string, boolean][] = [
    ['nominal', 'down', false],
    ['degraded', 'down', false],
    ['down', 'down', true],
    ['nominal', 'degraded', false],
    ['degraded', 'degraded', true],
    ['down', 'degraded', true],
    ['down', 'never', false],
  ];

  it.each(table)('state %s with fail-on %s fails: %s', async (state, failOn, fails) => {
    const core = fakeCore({ region: 'eu', 'fail-on': failOn });
    await run(core, recordingDeps(state));
    expect(core.failures.length).toBe(fails ? 1 : 0);
    expect(core.outputs.status).toBe(state);
    // Outputs and the summary come before the failure, so later steps can still read them.
    const failedAt = core.events.findIndex((e) => e.kind === 'setFailed');
    if (fails) expect(failedAt).toBeGreaterThan(core.events.findIndex((e) => e.kind === 'setOutput'));
  });

  /** eu down, us degraded, ca nominal: the failure names the targets that make it fail, no others. */
  function mixedDeps(): CoreDeps {
    const states: Record<string, CheckState> = { eu: 'down', us: 'degraded', ca: 'nominal' };
    return {
      createClient,
      async checkStatus(targets) {
        const list = (typeof targets === 'string' ? [] : targets).filter(
          (t): t is Target => typeof t !== 'string',
        );
        const results = list.flatMap((t) => reportFor([t], states[t.name] ?? 'nominal').results);
        return { state: 'down', results, checkedAt: '2026-01-01T00:00:00.000Z' };
      },
    };
  }

  it.each([
    ['down', 'Onetime Secret is down (fail-on: down): eu is down.'],
    ['degraded', 'Onetime Secret is down (fail-on: degraded): eu is down, us is degraded.'],
  ])('with fail-on %s, names the targets that fail the check', async (failOn, message) => {
    const core = fakeCore({ region: 'eu,us,ca', 'fail-on': failOn });
    await run(core, mixedDeps());
    expect(core.failures).toEqual([message]);
  });
});

describe('failures', () => {
  it('a bad input calls setFailed once and never the core', async () => {
    const deps = recordingDeps('nominal');
    const core = fakeCore({ region: 'xx', token: TOKEN, username: USERNAME });
    await run(core, deps);
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toContain('region');
    expect(deps.checked).toEqual([]);
  });

  it('an unexpected error is reported with every masked value cut out', async () => {
    const secret = 'a-secret-that-a-bug-quoted';
    const core = fakeCore({ operation: 'share', domain: sandbox.url, secret });
    const deps: CoreDeps = {
      checkStatus,
      createClient: () => {
        throw new TypeError(`cannot read ${secret}`);
      },
    };
    await run(core, deps);
    expect(core.failures).toEqual(['Unexpected error: cannot read ***']);
  });
});

describe('output tables', () => {
  it('set only outputs that action.yml declares, and every declared output of a secret operation', async () => {
    const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8'));
    const declared = Object.keys(action.outputs);
    const set = new Set(
      [SHARED, GENERATED, REVEALED, RECEIPT, BURNED].flatMap((rows) => rows.map((row) => row.output)),
    );
    set.delete(undefined);
    // status and results are the status check's (action/status.ts).
    expect([...set].sort()).toEqual(declared.filter((name) => !['status', 'results'].includes(name)).sort());
  });
});

describe('defaults', () => {
  it('run(core) alone uses the real core library: it generates a secret and checks the status on the sandbox', async () => {
    const generated = fakeCore({ operation: 'generate', domain: sandbox.url });
    await run(generated);
    expect(generated.failures).toEqual([]);
    expect(generated.outputs['secret-url']).toMatch(new RegExp(`^${sandbox.url}/secret/`));

    const checked = fakeCore({ domain: sandbox.url, username: USERNAME, token: TOKEN });
    await run(checked);
    expect(checked.failures).toEqual([]);
    expect(checked.outputs.status).toBe('nominal');
    expect(JSON.parse(checked.outputs.results ?? '[]')).toMatchObject([
      { url: `${sandbox.url}/api/v2/status` },
    ]);
  });

  // npm run local-action calls run() so: the inputs come from INPUT_<NAME> variables and the outputs go
  // to the GITHUB_OUTPUT file, as the real @actions/core does on a runner.
  it('run() with no arguments uses the real @actions/core and core library', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ots-run-'));
    const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
    await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
    vi.stubEnv('GITHUB_OUTPUT', files.output);
    vi.stubEnv('GITHUB_STEP_SUMMARY', files.summary);
    vi.stubEnv(inputVariable('operation'), 'generate');
    vi.stubEnv(inputVariable('domain'), sandbox.url);
    const stdout: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    try {
      await run();
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
    }
    const failed = process.exitCode;
    process.exitCode = undefined;
    const outputs = parseOutputFile(await readFile(files.output, 'utf8'));
    const summary = await readFile(files.summary, 'utf8');
    await rm(dir, { recursive: true, force: true });
    expect(failed, stdout.join('')).toBeUndefined();
    expect(outputs['secret-url']).toMatch(new RegExp(`^${sandbox.url}/secret/`));
    expect(outputs.value).not.toBe('');
    expect(stdout.join('')).toContain(`::add-mask::${outputs.value}`);
    expect(summary).toContain('Generated a secret on 127.0.0.1:');
  });
});
