/**
 * `run()` with a fake `@actions/core` (the runner cannot run here) and, mostly, the real core library
 * against a sandbox on loopback. Where the real check would reach the internet (region targets), a
 * recording `checkStatus` stands in and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../action/main.js';
import { maskableParts } from '../../action/masking.js';
import type { CoreDeps } from '../../action/ports.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
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

  // That the defaults are the real @actions/core and core library is shown by bundle.test.ts, which
  // runs the built action as a runner does; here only the signature is checked.
  it('run() can be called with no arguments: both parameters have defaults (npm run local-action)', () => {
    expect(run.length).toBe(0);
  });
});
