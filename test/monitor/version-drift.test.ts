/**
 * Version drift: the scheduled function records each target's server version and announces a change
 * once. The real handler and AWS SDK against dynalite, a sandbox as the target whose version changes by
 * restarting it with another server profile on the same port (same target name), and a node:http
 * receiver for the notifications.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput, ScheduledResult } from '../../functions/scheduled.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv } from '../functions/helpers.js';
import { startTestStore, type TestStore } from './store-helpers.js';

type Handler = (event: ScheduledInput, context: Context) => Promise<ScheduledResult>;

const ALICE = { username: 'alice@example.com', token: 'alice-token-0123456789' };
const SECRET_PATH = '/services/T000/B000/version-s3cr3t-path';

let sandbox: Sandbox;
let port: number;
let store: TestStore;
let receiver: Server;
let origin: string;
const received: Record<string, unknown>[] = [];
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

const target = () => new URL(sandbox.url).host;
const run = (handler: Handler) =>
  handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
const versionChanges = () => received.flatMap((body) => (body.versionChanges as unknown[] | undefined) ?? []);

/** The same port, so the same target, answering as another server line. */
async function restartAs(server: SandboxOptions['server']): Promise<void> {
  await sandbox.stop();
  sandbox = await startSandbox({ port, server, accounts: [ALICE] });
}

async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  restoreEnv?.();
  restoreEnv = setEnv({
    OTS_TARGETS: sandbox.url,
    OTS_RECHECK_SECONDS: '0',
    OTS_NOTIFY_URL: `${origin}${SECRET_PATH}`,
    OTS_NOTIFY_FORMAT: 'json',
    OTS_USERNAME: ALICE.username,
    OTS_TOKEN: ALICE.token,
    ...store.env,
    ...env,
  });
  vi.resetModules();
  return (await import('../../functions/scheduled.js')).handler as Handler;
}

async function stateItem(): Promise<Record<string, unknown> | undefined> {
  return (await store.items(target())).find((item) => item.sk === 'STATE');
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(async () => {
  [sandbox, store] = await Promise.all([
    startSandbox({ server: '0.24', accounts: [ALICE] }),
    startTestStore(),
  ]);
  port = Number(new URL(sandbox.url).port);
  received.length = 0;
  output = captureOutput();
});

afterEach(async () => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
  await Promise.all([sandbox.stop(), store.stop()]);
});

describe('version drift', () => {
  it('records the first version seen without a notification, then announces a change once', async () => {
    const handler = await loadHandler();
    await run(handler);
    expect(received).toHaveLength(0);
    expect(await stateItem()).toMatchObject({ serverVersion: '0.24.0' });
    const check = (await store.items(target())).find((item) => String(item.sk).startsWith('CHECK#'));
    expect(check).toMatchObject({ serverVersion: '0.24.0' });

    await restartAs('0.26');
    const changed = await run(handler);
    expect(changed.versionChanges).toEqual([
      { kind: 'version', target: target(), from: '0.24.0', to: '0.26.11', at: expect.any(String) },
    ]);
    expect(changed.transitions).toEqual([]); // a version change is not a state transition
    for (let i = 0; i < 3; i += 1) await run(handler);
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual({
      text: `Onetime Secret: ${target()} moved from 0.24.0 to 0.26.11`,
      state: 'nominal',
      checkedAt: expect.any(String),
      transitions: [],
      versionChanges: [{ target: target(), from: '0.24.0', to: '0.26.11', at: expect.any(String) }],
    });
    expect(await stateItem()).toMatchObject({ serverVersion: '0.26.11', outbox: [] });
    expect(output.text()).toContain('Server version changed');
    expect(output.text()).not.toContain(SECRET_PATH);
  });

  it('two runs at once announce a change once', async () => {
    const handler = await loadHandler();
    await run(handler);
    await restartAs('0.26');
    const runs = await Promise.all([1, 2, 3].map(() => run(handler)));
    expect(runs.flatMap((r) => r.versionChanges ?? [])).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(versionChanges()).toEqual([expect.objectContaining({ from: '0.24.0', to: '0.26.11' })]);
  });

  it('a version change and a state transition in one run share one message', async () => {
    const handler = await loadHandler();
    await run(handler);
    await restartAs('0.26');
    // Degraded, not down: the status answered, so the credentials are checked and the version read.
    sandbox.addFault({ path: '/api/v2/status', fault: 'status-word', statusWord: 'offline' });
    await run(handler);
    expect(received).toHaveLength(1);
    expect(received[0]?.transitions).toEqual([expect.objectContaining({ from: 'nominal', to: 'degraded' })]);
    expect(received[0]?.versionChanges).toEqual([expect.objectContaining({ from: '0.24.0', to: '0.26.11' })]);
    expect(received[0]?.text).toMatch(
      /is degraded .*; .* moved from 0\.24\.0 to 0\.26\.11|moved from .*; .* is degraded/,
    );
  });

  it('an unknown version (the read failed) is not a change, and does not erase the known one', async () => {
    // v1 checks credentials with /authcheck and reads /api/v2/version on the side: its failure is not fatal.
    const handler = await loadHandler({ OTS_API_VERSION: 'v1' });
    await run(handler);
    sandbox.addFault({ path: '/api/v2/version', fault: 'status', status: 500 });
    const unknown = await run(handler);
    expect(unknown.results[0]).not.toHaveProperty('serverVersion');
    expect(unknown.results[0]?.state).toBe('nominal');
    sandbox.clearFaults();
    await run(handler);
    expect(received).toHaveLength(0);
    expect(await stateItem()).toMatchObject({ serverVersion: '0.24.0' });

    await restartAs('0.26');
    await run(handler);
    expect(versionChanges()).toEqual([expect.objectContaining({ from: '0.24.0', to: '0.26.11' })]);
  });

  it('without credentials no version is recorded and nothing is announced', async () => {
    const anonymous = await loadHandler({ OTS_USERNAME: '', OTS_TOKEN: '' });
    await run(anonymous);
    expect(await stateItem()).not.toHaveProperty('serverVersion');
    // With credentials later: a first sighting, still no notification; then anonymous again: unknown.
    await run(await loadHandler());
    expect(await stateItem()).toMatchObject({ serverVersion: '0.24.0' });
    await restartAs('0.26');
    await run(await loadHandler({ OTS_USERNAME: '', OTS_TOKEN: '' }));
    expect(received).toHaveLength(0);
    expect(await stateItem()).toMatchObject({ serverVersion: '0.24.0' });
  });
});
