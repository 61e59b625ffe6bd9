/** Loopback plumbing: every request in the benchmarks goes to a sandbox on 127.0.0.1, never further. */
import { connect } from 'node:net';
import { Agent } from 'undici';

/**
 * An undici Agent that connects every origin (eu.onetimesecret.com, ...) to the sandbox's port on
 * 127.0.0.1 over plain TCP: region targets without DNS, TLS or the internet.
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

/** Requests to a status endpoint in a sandbox's request log. */
export function statusReads(log: readonly { path: string }[]): number {
  return log.filter((entry) => /^\/api\/v[12]\/status$/.test(entry.path)).length;
}
