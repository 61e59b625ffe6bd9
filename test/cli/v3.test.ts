/** `--api-version v3`: anonymous guest routes through the CLI, refused with credentials (exit 2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { runCli } from './run-cli.js';

const ACCOUNT = { username: 'cli-user@example.com', token: 'cli-token-0123456789abcdef' };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [ACCOUNT] });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('ots --api-version v3', () => {
  it('shares, reveals and checks status over the v3 guest routes', async () => {
    const flags = ['--domain', sandbox.url, '--api-version', 'v3', '--json'];
    const shared = await runCli(['share', ...flags], { stdin: 'from the cli' });
    expect(shared.stderr).toBe('');
    const { secretUrl } = JSON.parse(shared.stdout) as { secretUrl: string };
    expect(secretUrl).toMatch(new RegExp(`^${sandbox.url}/secret/[a-z0-9]{62}$`));
    const revealed = await runCli(['reveal', secretUrl, ...flags]);
    expect(JSON.parse(revealed.stdout).value).toBe('from the cli');
    const status = await runCli(['status', ...flags]);
    expect(JSON.parse(status.stdout).results[0]).toMatchObject({
      state: 'nominal',
      url: `${sandbox.url}/api/v3/status`,
    });
    expect(sandbox.requestLog.map((entry) => entry.path)).toContain('/api/v3/guest/secret/conceal');
  });

  it('refuses v3 with credentials as bad usage, before any request, without echoing them', async () => {
    sandbox.resetStats();
    const env = { OTS_USERNAME: ACCOUNT.username, OTS_TOKEN: ACCOUNT.token };
    for (const argv of [
      ['share', '--domain', sandbox.url, '--api-version', 'v3'],
      ['status', '--domain', sandbox.url, '--api-version', 'v3'],
    ]) {
      const run = await runCli(argv, { stdin: 'x', env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--api-version v3 cannot be used with username and token/);
      expect(run.stderr).toMatch(/apiVersion v2/);
      expect(run.stderr).not.toContain(ACCOUNT.token);
    }
    expect(sandbox.requestLog).toHaveLength(0);
  });
});
