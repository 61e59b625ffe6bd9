/**
 * `npm start` (scripts/start.ts) without serverless-offline: what it prints, its port checks (run as a
 * real process: bad settings exit before anything starts), the readiness timeout and stopping a
 * process group, with real child processes. The whole stack, osls included, is started in
 * osls.test.ts (it shares osls's build folder, so it runs there, one after the other).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { signGithub, verifyOts } from '../../functions/signature.js';
import { ensurePortFree, parsePort, stopGroup, waitForReady } from '../../scripts/processes.js';
import { badgeMarkdown, DEV_WEBHOOK_SECRET, tryItText } from '../../scripts/try-it.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const base = 'http://127.0.0.1:3000';
const sandboxUrl = 'http://127.0.0.1:7143';

describe('the curl lines npm start prints', () => {
  it('signs examples with the built-in dev secret, and they verify', () => {
    const text = tryItText({ base, sandboxUrl, devSecret: true, nowSeconds: 1_700_000_000 });
    expect(text).toContain(DEV_WEBHOOK_SECRET);
    const github = /X-Hub-Signature-256: (sha256=[0-9a-f]{64})' -d '([^']*)'/.exec(text);
    expect(github?.[1]).toBe(signGithub(DEV_WEBHOOK_SECRET, github?.[2] ?? ''));
    const ots = /X-OTS-Signature: (t=\d+,v1=[0-9a-f]{64})'/.exec(text);
    const check = verifyOts(ots?.[1] ?? '', Buffer.alloc(0), [DEV_WEBHOOK_SECRET], 1_700_000_000);
    expect(check.ok).toBe(true);
  });

  it('prints no signature at all when the secret is the user’s own, only how to sign', () => {
    const text = tryItText({ base, sandboxUrl, devSecret: false, nowSeconds: 1_700_000_000 });
    // No digest of any kind: a GitHub-style one would be replayable forever.
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain('sha256=');
    expect(text).not.toContain(DEV_WEBHOOK_SECRET);
    expect(text).toContain(
      "printf '%s' '<your-secret>' | openssl dgst -sha256 -hmac 'onetime-kit X-OTS-Signature v1'",
    );
    expect(text).toMatch(/comma-separated/);
    expect(text).toContain(`curl -i ${base}/status`);
  });
});

describe('the banner', () => {
  it('names the default account and how to use it', () => {
    const account = { username: 'demo@example.com', token: 'sandbox-token' };
    const text = tryItText({ base, sandboxUrl, account, devSecret: true, nowSeconds: 1_700_000_000 });
    expect(text).toContain('Sandbox account:     demo@example.com / sandbox-token');
    expect(text).toContain(
      `OTS_USERNAME=demo@example.com OTS_TOKEN=sandbox-token npm run -s ots -- recent --domain ${sandboxUrl}`,
    );
    expect(text).toContain('npm run invoke -- scheduled');
  });

  it('prints a badge line with the shields endpoint URL encoded', () => {
    const text = tryItText({ base, sandboxUrl, devSecret: true, nowSeconds: 1_700_000_000 });
    const line = badgeMarkdown(`${base}/status`);
    expect(line).toBe(
      '[![Onetime Secret status](https://img.shields.io/endpoint?url=http%3A%2F%2F127.0.0.1%3A3000%2Fstatus%3Fformat%3Dbadge)](http://127.0.0.1:3000/status)',
    );
    expect(text).toContain(line);
    expect(decodeURIComponent(line.split('url=')[1]?.split(')')[0] ?? '')).toBe(
      `${base}/status?format=badge`,
    );
  });
});

describe('ports', () => {
  it('parsePort takes 1 to 65535 and names the variable otherwise', () => {
    expect(parsePort(undefined, 'PORT', 3000)).toBe(3000);
    expect(parsePort(' 8080 ', 'PORT', 3000)).toBe(8080);
    expect(parsePort('0', 'SANDBOX_PORT', 7143, true)).toBe(0);
    for (const bad of ['abc', '0', '65536', '-1', '3000.5', '1e3']) {
      expect(() => parsePort(bad, 'PORT', 3000)).toThrow(/^PORT must be a port number from 1 to 65535/);
    }
  });

  it('ensurePortFree says which variable to set when the port is taken', async () => {
    const server = await listening();
    const port = portOf(server);
    try {
      await expect(ensurePortFree(port, '127.0.0.1', 'PORT')).rejects.toThrow(
        `port ${port} is taken: set PORT=`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(ensurePortFree(port, '127.0.0.1', 'PORT')).resolves.toBeUndefined();
  });
});

describe('scripts/start.ts refuses bad settings before starting anything', () => {
  it('exits 2 on PORT=abc with a message naming PORT (it used to hang)', async () => {
    const run = await runStart({ PORT: 'abc' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('PORT must be a port number from 1 to 65535; got "abc".\n');
    expect(run.stdout).toBe('');
  });

  it('exits 2 when PORT is taken, saying so instead of an EADDRINUSE dump', async () => {
    const server = await listening();
    try {
      const run = await runStart({ PORT: String(portOf(server)) });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^port ${portOf(server)} is taken: set PORT=`));
      expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 2 on a bad SANDBOX_PORT', async () => {
    const run = await runStart({ PORT: String(await freeTcpPort()), SANDBOX_PORT: '70000' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^SANDBOX_PORT must be a port number from 0 to 65535/);
  });
});

describe('process handling', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  const node = (code: string, detached = false) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'], detached });
    children.push(child);
    return child;
  };

  it('waitForReady gives up after its timeout with a clear message', async () => {
    const silent = node('setInterval(() => {}, 1000)');
    await expect(
      waitForReady(silent, {
        marker: 'Server ready',
        timeoutMs: 300,
        name: 'serverless-offline',
        echo: false,
      }),
    ).rejects.toThrow('serverless-offline did not say it was ready within 300 ms');
  });

  it('waitForReady finds a marker split across writes, and reports an early exit', async () => {
    const split = node(
      "process.stderr.write('Server re'); setTimeout(() => process.stderr.write('ady\\n'), 50); setInterval(() => {}, 1000)",
    );
    const options = { marker: 'Server ready', timeoutMs: 10_000, name: 'x', echo: false };
    await expect(waitForReady(split, options)).resolves.toBeUndefined();
    const failing = node('process.exit(3)');
    await expect(waitForReady(failing, options)).rejects.toThrow('x exited (code 3) before it was ready.');
  });

  it('stopGroup stops a well-behaved group with SIGINT', async () => {
    const child = node(
      "process.on('SIGINT', () => process.exit(0)); console.log('up'); setInterval(() => {}, 1000)",
      true,
    );
    await ready(child);
    expect(await stopGroup(child, 5000)).toBe('stopped');
    expect(child.exitCode).toBe(0);
  });

  it('stopGroup kills a group that ignores SIGINT, after the grace time', async () => {
    const child = node(
      "process.on('SIGINT', () => {}); console.log('up'); setInterval(() => {}, 1000)",
      true,
    );
    await ready(child);
    expect(await stopGroup(child, 300)).toBe('killed');
    expect(child.signalCode).toBe('SIGKILL');
  });
});

/** Resolves once the child has printed something (its handlers are installed by then). */
function ready(child: ChildProcess): Promise<void> {
  if (child.stdout === null) return Promise.resolve();
  return new Promise((resolve) => {
    child.stdout?.once('data', () => resolve());
    setTimeout(resolve, 1000);
  });
}

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

async function freeTcpPort(): Promise<number> {
  const server = await listening();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!/^(OTS_|ONETIME_)/.test(key)) clean[key] = value;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // A hang (the old PORT=abc behaviour) fails the test by its timeout instead of waiting forever.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('stopping npm start (scripts/stopper.ts, in a real process around a real child group)', () => {
  const FIXTURE = fileURLToPath(new URL('./fixtures/stopper-run.ts', import.meta.url));
  const runs: ChildProcess[] = [];
  afterEach(() => {
    for (const run of runs.splice(0)) if (run.exitCode === null) run.kill('SIGKILL');
  });

  /** Starts the fixture and resolves once its child is up; `until` waits for later output. */
  const startFixture = async (env: Record<string, string>) => {
    const run = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    runs.push(run);
    let output = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      for (const waiter of waiters) if (output.includes(waiter.text)) waiter.resolve();
    };
    run.stdout?.on('data', watch);
    run.stderr?.on('data', watch);
    const until = (text: string) =>
      new Promise<void>((resolve) => {
        waiters.push({ text, resolve });
        if (output.includes(text)) resolve();
      });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      run.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await until('child up');
    const childPid = Number(/child pid (\d+)/.exec(output)?.[1]);
    return { run, until, exited, childPid, output: () => output };
  };
  /** Gone, or a zombie nobody has reaped yet (a killed orphan may wait for its new parent). */
  const isGone = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
    } catch {
      return true;
    }
  };
  const eventuallyGone = async (pid: number) => {
    for (let i = 0; i < 50 && !isGone(pid); i += 1) await new Promise((r) => setTimeout(r, 50));
    return isGone(pid);
  };

  it('SIGHUP stops the child group, then the rest, and exits 129', async () => {
    const fixture = await startFixture({});
    fixture.run.kill('SIGHUP');
    expect(await fixture.exited).toEqual({ code: 129, signal: null });
    expect(fixture.output()).toContain('child got SIGINT');
    expect(fixture.output()).toContain('rest stopped');
    expect(fixture.output()).not.toContain('Stopping now.');
    expect(await eventuallyGone(fixture.childPid)).toBe(true);
  });

  it('Ctrl-C exits 0 and SIGTERM 143, each after a full stop', async () => {
    const interrupted = await startFixture({});
    interrupted.run.kill('SIGINT');
    expect(await interrupted.exited).toEqual({ code: 0, signal: null });
    expect(interrupted.output()).toContain('rest stopped');
    const terminated = await startFixture({});
    terminated.run.kill('SIGTERM');
    expect(await terminated.exited).toEqual({ code: 143, signal: null });
    expect(terminated.output()).toContain('rest stopped');
  });

  it('a second signal while the first stop waits exits 130 at once and kills the group', async () => {
    // The child ignores SIGINT, so the first stop waits 30 s and would exit 129: 130 comes from the second.
    const fixture = await startFixture({ CHILD: 'stubborn', GRACE_MS: '30000' });
    fixture.run.kill('SIGHUP');
    await fixture.until('child got SIGINT');
    fixture.run.kill('SIGINT');
    expect(await fixture.exited).toEqual({ code: 130, signal: null });
    expect(fixture.output()).toContain('Stopping now.');
    expect(fixture.output()).not.toContain('rest stopped');
    expect(await eventuallyGone(fixture.childPid)).toBe(true);
  });

  it('a child that ignores SIGINT is killed after the grace time, then the rest stops', async () => {
    const fixture = await startFixture({ CHILD: 'stubborn', GRACE_MS: '300' });
    fixture.run.kill('SIGTERM');
    expect(await fixture.exited).toEqual({ code: 143, signal: null });
    expect(fixture.output()).toContain('rest stopped');
    expect(await eventuallyGone(fixture.childPid)).toBe(true);
  });
});
