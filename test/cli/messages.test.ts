/** The CLI's messages from the first-hour review (issue: each names the right input and says what to do). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import { ALICE, startTestSandbox } from '../core/helpers.js';
import { runCli } from './run-cli.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await closeSharedAgent();
  await sandbox.stop();
});

const account = { OTS_USERNAME: ALICE.username, OTS_TOKEN: ALICE.token };

describe('usage messages', () => {
  it('--region xx on status names region, not targets', async () => {
    const run = await runCli(['status', '--region', 'xx']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('region "xx" is not a region: use one of ca, eu, nz, uk, us.');
    expect(run.stderr).not.toContain('targets');
  });

  it('names an unknown command that looks like one, never a word that could be a secret', async () => {
    const typo = await runCli(['frobnicate']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "frobnicate"; the commands are: status, share');
    const secretish = await runCli(['hunter2']);
    expect(secretish.stderr).toContain('unknown command;');
    expect(secretish.stderr).not.toContain('hunter2');
  });

  it('takes ots help <command> as ots <command> --help', async () => {
    const help = await runCli(['help', 'share']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['share', '--help'])).stdout);
    expect((await runCli(['help'])).stdout).toContain('completion');
    expect((await runCli(['help', 'frobnicate'])).code).toBe(2);
  });
});

describe('call messages', () => {
  it('a sandbox link without --domain suggests the origin that works (http://...)', async () => {
    const shared = await runCli(['share', '--domain', sandbox.url, '--json'], { stdin: 'x' });
    const { secretUrl } = JSON.parse(shared.stdout);
    const run = await runCli(['reveal', secretUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Set domain to ${sandbox.url} to use it`);
  });

  it('revealing a protected secret without a passphrase says one is needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ots-pass-'));
    writeFileSync(join(dir, 'pass'), 'open sesame\n');
    const shared = await runCli(
      ['share', '--domain', sandbox.url, '--passphrase-file', join(dir, 'pass'), '--json'],
      {
        stdin: 'guarded',
      },
    );
    const { secretUrl } = JSON.parse(shared.stdout);
    const run = await runCli(['reveal', secretUrl, '--domain', sandbox.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('needs a passphrase for reveal');
    expect(run.stderr).not.toContain('refused the passphrase');
    const wrong = await runCli(['reveal', secretUrl, '--domain', sandbox.url], {
      env: { OTS_PASSPHRASE: 'nope' },
    });
    expect(wrong.stderr).toContain('refused the passphrase');
  });

  it('says when the server clamps --ttl to the account ceiling', async () => {
    const run = await runCli(['share', '--domain', sandbox.url, '--api-version', 'v1', '--ttl', '60d'], {
      stdin: 'x',
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /the server clamped --ttl 60d to \d+d, the longest this account's plan allows/,
    );
  });

  it.each(['v1', 'v2'] as const)('%s: share and receipt give the same expires', async (version) => {
    const shared = await runCli(
      ['share', '--domain', sandbox.url, '--api-version', version, '--ttl', '1h', '--json'],
      {
        stdin: 'x',
        env: account,
      },
    );
    const { receiptUrl, expiresAt } = JSON.parse(shared.stdout);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const receipt = await runCli(
      ['receipt', receiptUrl, '--domain', sandbox.url, '--api-version', version, '--json'],
      {
        env: account,
      },
    );
    expect(JSON.parse(receipt.stdout).expiresAt).toBe(expiresAt);
  });
});

describe('ots completion', () => {
  it('bash: completes commands and each command’s flags', async () => {
    const script = (await runCli(['completion', 'bash'])).stdout;
    const dir = mkdtempSync(join(tmpdir(), 'ots-completion-'));
    writeFileSync(join(dir, 'ots.bash'), script);
    const complete = (words: string) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${join(dir, 'ots.bash')}; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _ots; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(complete('ots re')).toBe('reveal receipt recent');
    expect(complete('ots share --t')).toBe('--ttl --timeout');
    expect(complete('ots completion z')).toBe('zsh');
  });

  it.each(['zsh', 'fish'])('%s: a script naming every command', async (shell) => {
    const run = await runCli(['completion', shell]);
    expect(run.code).toBe(0);
    for (const name of ['status', 'share', 'generate', 'reveal', 'receipt', 'burn', 'recent'])
      expect(run.stdout).toContain(name);
  });

  it('refuses another shell, naming the three', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('completion needs a shell: one of bash, zsh, fish');
  });
});
