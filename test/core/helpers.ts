/** Shared test helpers: a sandbox on loopback, and a dispatcher that sends every host name to it. */
import { connect } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import type { Logger } from '../../src/types.js';

export const ALICE = { username: 'alice@example.com', token: 'alice-token-0123456789' };
export const FREE = { username: 'free@example.com', token: 'free-token-0123456789' };

export function startTestSandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  return startSandbox({ accounts: [ALICE, { ...FREE, plan: 'free' }], ...options });
}

/**
 * One test sandbox for the file, handed to `use` once started: no faults and fresh stats before each
 * test; stopped, with the shared undici agent, after the last.
 */
export function useTestSandbox(use: (sandbox: Sandbox) => void): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    use(sandbox);
  });
  afterAll(async () => {
    await sandbox.stop();
    await closeSharedAgent();
  });
  beforeEach(() => {
    sandbox.clearFaults();
    sandbox.resetStats();
  });
}

/**
 * An undici Agent whose connections all go to the sandbox, whatever the host: a real request with
 * Host `eu.onetimesecret.com` over loopback, so region targets and links are tested without DNS or TLS
 * (the connector hands undici a plain TCP socket).
 */
export function loopbackAgent(port: number): Agent {
  return new Agent({
    connect: (_options, callback) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
}

export function silentLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m), info: (m) => lines.push(m) };
}

/** The request log as `METHOD path` lines, for readable assertions. */
export function requests(sandbox: Sandbox): string[] {
  return sandbox.requestLog.map((entry) => `${entry.method} ${entry.path}`);
}
