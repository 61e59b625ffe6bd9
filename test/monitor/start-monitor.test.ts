/**
 * The done-when of the monitor, under `npm start` itself (scripts/start.ts: the sandbox, dynalite, the
 * functions under serverless-offline, the local schedule every 2 s): a fault injected through the
 * sandbox's admin API becomes exactly one "down" notification, and clearing it exactly one "recovered"
 * with the incident's duration, however many runs happen in between. A node:http server on loopback is
 * the receiver (Slack and the like cannot run here).
 *
 * Opt-in with OTS_TEST_NPM_START=1: today serverless-offline under `npm start` builds into the same
 * `.esbuild` folder as `osls package` in test/functions/osls.test.ts, so the two cannot run at once.
 * Once `npm start` has a build folder of its own, drop the guard.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopGroup } from '../../scripts/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const enabled = process.env.OTS_TEST_NPM_START === '1';

let child: ChildProcess;
let output = '';
let receiver: Server;
const received: Record<string, unknown>[] = [];
let sandboxUrl: string;

const runs = () => output.match(/Local schedule: checked/g)?.length ?? 0;

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}. Output:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(enabled)('npm start: one notification per incident', () => {
  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const [httpPort, sandboxPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(httpPort),
        SANDBOX_PORT: String(sandboxPort),
        OTS_LOCAL_SCHEDULE_SECONDS: '2',
        OTS_RECHECK_SECONDS: '0',
        OTS_NOTIFY_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        OTS_NOTIFY_FORMAT: 'json',
      },
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await until('npm start to be ready', () => output.includes('History: dynalite'), 180_000);
    await until('the first scheduled run', () => runs() >= 1);
  }, 240_000);

  afterAll(async () => {
    if (child !== undefined) await stopGroup(child, 5000);
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('a fault is one "down" after confirmation; clearing it is one "recovered" with the duration', async () => {
    expect(received).toHaveLength(0);
    const injected = await fetch(`${sandboxUrl}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/v2/status', fault: 'status', status: 503 }),
    });
    expect(injected.status).toBe(201);
    await until('the down notification', () => received.length >= 1);
    const afterDown = runs();
    await until('three more runs while down', () => runs() >= afterDown + 3);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ state: 'down', transitions: [{ from: 'nominal', to: 'down' }] });

    expect((await fetch(`${sandboxUrl}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
    await until('the recovered notification', () => received.length >= 2);
    const afterUp = runs();
    await until('three more runs while up', () => runs() >= afterUp + 3);
    expect(received).toHaveLength(2);
    const transitions = (message: Record<string, unknown> | undefined) =>
      (message?.transitions ?? []) as Record<string, unknown>[];
    const [recovered] = transitions(received[1]);
    expect(recovered).toMatchObject({ from: 'down', to: 'nominal', durationSeconds: expect.any(Number) });
    expect(recovered?.incidentId).toBe(transitions(received[0])[0]?.incidentId);
  }, 120_000);
});
