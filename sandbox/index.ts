/**
 * onetime-kit's local OTS sandbox: an in-memory server that speaks API v1, v2 and v3's guest routes as
 * docs/ots-api.md describes, as a v0.26.11 server or an older line (`server`, profiles.ts), with fault
 * injection for tests. node:* only.
 *
 *   const sandbox = await startSandbox({ accounts: [{ username: 'a@b.c', token: 't' }] });
 *   // ... requests to `${sandbox.url}/api/v1/status` ...
 *   await sandbox.stop();
 */
import { SandboxServer } from './server.js';
import type { Sandbox, SandboxOptions } from './types.js';

export type {
  FaultKind,
  FaultRule,
  GuestRoutes,
  RequestLogEntry,
  Sandbox,
  SandboxAccount,
  SandboxOptions,
  SandboxStats,
} from './types.js';

export const DEFAULT_SANDBOX_HOST = '127.0.0.1';
/** The account `npm run sandbox` and `npm start` create: a fixed local value, not a secret. */
export const DEFAULT_SANDBOX_ACCOUNT = Object.freeze({
  username: 'demo@example.com',
  token: 'sandbox-token',
});

/** Starts a sandbox; port 0 (the default) picks a free port, host defaults to 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = new SandboxServer(options);
  const host = options.host ?? DEFAULT_SANDBOX_HOST;
  const address = await server.listen(options.port ?? 0, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    get requestLog() {
      return server.requestLog();
    },
    stats: () => server.stats(),
    addFault: (rule) => server.faults.add(rule),
    faults: () => server.faults.list(),
    clearFaults: () => {
      server.faults.clear();
    },
    resetStats: () => server.resetStats(),
    stop: () => server.stop(),
  };
}
