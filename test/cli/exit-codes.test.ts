/**
 * Exit codes of refusals made before any request: bad usage (2, with the help hint), like every other
 * input the CLI or the core refuses locally. A refusal the server sends stays a failed call (1).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { runCli } from './run-cli.js';

const ACCOUNT = { username: 'exit-codes@example.com', token: 'tok-exit-codes-0123' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [ACCOUNT] });
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.resetStats();
});

describe('ots recent without credentials', () => {
  it('exits 2 with the help hint, and sends nothing', async () => {
    const run = await runCli(['recent', '--domain', sandbox.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'ots: recent needs an account: give username and token.\nRun `ots recent --help` for usage.\n',
    );
    expect(run.stdout).toBe('');
    expect(sandbox.requestLog).toHaveLength(0);
  });

  it('with --json, prints the error object too', async () => {
    const run = await runCli(['recent', '--domain', sandbox.url, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'auth', message: 'recent needs an account: give username and token.' },
    });
  });

  it('share --recipient without an account is bad usage the same way', async () => {
    const run = await runCli(['share', '--domain', sandbox.url, '--recipient', 'a@example.com'], {
      stdin: 'hunter2',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\nRun `ots share --help` for usage\.\n$/);
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('refusals the server sends', () => {
  it('recent with a token the server refuses exits 1, without the help hint', async () => {
    const run = await runCli(['recent', '--domain', sandbox.url], {
      env: { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: 'tok-not-this-one' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('--help');
    expect(sandbox.requestLog).toHaveLength(1);
  });
});
