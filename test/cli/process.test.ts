/** The real entry point in a real process (`node --import tsx cli/index.ts`), as a shell would run it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ots(args: string[], stdin = '', env: Record<string, string> = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
      cwd: ROOT,
      // A clean environment: no OTS_* or ONETIME_* from the developer's shell.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.stop();
});

describe('ots as a process', () => {
  it('shares from a pipe and reveals, then exits 0 without waiting on idle sockets', async () => {
    const shared = await ots(['share', '--domain', sandbox.url, '--json'], 'hunter2\n');
    expect(shared.stderr).toBe('');
    expect(shared.code).toBe(0);
    const { secretUrl } = JSON.parse(shared.stdout);
    const started = Date.now();
    const revealed = await ots(['reveal', secretUrl, '--domain', sandbox.url]);
    expect(revealed).toEqual({ code: 0, stdout: 'hunter2', stderr: '' });
    // The keep-alive timeout is 30 s; a process held open by it would take that long to exit.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('exits 1 on a failed call and 2 on bad usage, with one line and no stack trace', async () => {
    const failed = await ots(['reveal', 'abcdefghijklmnopqrstuvwxyz', '--domain', sandbox.url]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    const usage = await ots(['share', '--ttl', 'forever', '--domain', sandbox.url], 'hunter2');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ots: --ttl is not a duration.*\nRun `ots share --help` for usage\.\n$/);
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads credentials from the environment', async () => {
    const run = await ots(['status', '--domain', sandbox.url, '--json'], '', {
      OTS_USERNAME: 'nobody@example.com',
      OTS_TOKEN: 'not-a-token-1234',
    });
    expect(JSON.parse(run.stdout).results[0].auth).toBe('failed');
    expect(run.stderr).not.toContain('not-a-token-1234');
  });
});
