/**
 * The whole local stack as a user runs it (`npm start`, on free ports), checked for the first hour's
 * promises: the sandbox has the default account, `npm run invoke` runs a function once through
 * serverless-offline's Lambda Invoke API, and the stack builds into a folder of its own, which
 * `npm test` and `npm run package` (they clear `.esbuild`) leave alone.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalStack } from '../../scripts/local-stack.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let stack: ChildProcess;
let output = '';
let base: string;
let sandboxUrl: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(OTS_|ONETIME_)/.test(key)) env[key] = value;
  stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), SANDBOX_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready:\n${output}`)), 150_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops both.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    stack.stdout?.on('data', watch);
    stack.stderr?.on('data', watch);
    stack.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  sandboxUrl = /Sandbox \(OTS API\): +(http:\/\/[^/\s]+)/.exec(output)?.[1] ?? '';
}, 160_000);

afterAll(async () => {
  if (stack.exitCode !== null) return;
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  stack.kill('SIGINT');
  await exited;
});

describe('npm start', () => {
  it('creates the default account the banner names', async () => {
    expect(output).toContain('Sandbox account:     demo@example.com / sandbox-token');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'cli/index.ts', 'recent', '--domain', sandboxUrl],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, OTS_USERNAME: 'demo@example.com', OTS_TOKEN: 'sandbox-token' },
      },
    );
    expect(stdout).toContain('no receipts');
  });

  it('npm run invoke -- scheduled runs the scheduled function once with its sample event', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'invoke', '--', 'scheduled'], { cwd: ROOT });
    const result = JSON.parse(stdout);
    expect(result.state).toBe('nominal');
    expect(result.results[0].target).toBe(new URL(sandboxUrl).host);
  });

  it('npm run invoke names an unknown function and exits 2', async () => {
    const failure = await run('npm', ['run', '-s', 'invoke', '--', 'frobnicate'], { cwd: ROOT }).catch(
      (e) => e,
    );
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('There is no function "frobnicate".');
  });

  it('builds into its own folder, so clearing .esbuild (npm test, npm run package) cannot break it', async () => {
    // Not deleting .esbuild here: osls.test.ts may be using it in a parallel worker. The stack serves
    // from .esbuild-start, which nothing else clears (checked by hand: /status stays 200 during
    // `npm run package`).
    expect(existsSync(join(ROOT, '.esbuild-start/.build/functions/status.mjs'))).toBe(true);
    expect(readLocalStack()?.functionsUrl).toBe(base);
    const response = await fetch(`${base}/status`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { state: string }).state).toBe('nominal');
  });
});
