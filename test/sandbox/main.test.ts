import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

function startMain(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '', ...env },
  });
  children.push(child);
  return child;
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

async function waitForUrl(child: ChildProcessWithoutNullStreams, output: () => string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    if (match?.[1]) return match[1];
    if (child.exitCode !== null) throw new Error(`sandbox exited early: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no URL printed: ${output()}`);
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('sandbox/main.ts', () => {
  it('prints its URL, answers status exactly, and stops cleanly on SIGTERM', async () => {
    const child = startMain(['--port', '0']);
    const stdout = collect(child.stdout);
    const url = await waitForUrl(child, stdout);
    const response = await request(`${url}/api/v1/status`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('{"status":"nominal","locale":"en"}');
    // The default account's username is printed, its token is not.
    expect(stdout()).toContain('demo@example.com');
    expect(stdout()).not.toContain('sandbox-token');
    const auth = `Basic ${Buffer.from('demo@example.com:sandbox-token').toString('base64')}`;
    const check = await request(`${url}/api/v1/authcheck`, { headers: { authorization: auth } });
    expect(check.statusCode).toBe(200);
    await check.body.dump();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('takes PORT, accounts and faults from the command line, and stops on SIGINT', async () => {
    const child = startMain(
      ['--account', 'ci@example.com:tok:en', '--fault', '{"path":"/api/v2/status","fault":"status-word"}'],
      { PORT: '0' },
    );
    const stdout = collect(child.stdout);
    const url = await waitForUrl(child, stdout);
    expect(stdout()).toContain('ci@example.com');
    expect(stdout()).not.toContain('tok:en');
    const auth = `Basic ${Buffer.from('ci@example.com:tok:en').toString('base64')}`;
    const version = await request(`${url}/api/v2/version`, { headers: { authorization: auth } });
    expect(version.statusCode).toBe(200);
    await version.body.dump();
    const status = await request(`${url}/api/v2/status`);
    expect(await status.body.json()).toMatchObject({ status: 'offline' });
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('imitates an older server line with --server, and limits anonymous creation with --create-limit', async () => {
    const child = startMain(['--port', '0', '--server', '0.23', '--create-limit', '1']);
    const stdout = collect(child.stdout);
    const url = await waitForUrl(child, stdout);
    expect(stdout()).toContain('server: v0.23 behaviours');
    const share = () =>
      request(`${url}/api/v1/share`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'secret=x',
      });
    const first = await share();
    expect(((await first.body.json()) as { secret_key: string }).secret_key).toHaveLength(31);
    const second = await share();
    expect(second.statusCode).toBe(404);
    expect(await second.body.json()).toMatchObject({
      message: 'Too many secrets created. Please try again later.',
    });
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it.each([
    [['--port', 'abc'], /--port must be a port number/],
    [['--account', 'nocolon'], /--account must be "username:token"/],
    [['--fault', '{"fault":"boom"}'], /"fault" must be one of/],
    [['--plan', 'gold'], /--plan must be one of free, identity/],
    [['--server', '0.25'], /--server must be one of 0.23, 0.24, 0.26, got "0.25"/],
    [['--create-limit', '0'], /--create-limit must be a whole number from 1/],
    [['--bogus'], /Unknown option/],
  ])('exits 2 with a clear message on bad usage %j', async (args, message) => {
    const child = startMain(args);
    const stderr = collect(child.stderr);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr()).toMatch(message);
    expect(stderr()).toContain('Usage: npm run sandbox');
  });
});
