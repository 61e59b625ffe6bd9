/** Loopback plumbing: every request in the benchmarks goes to a sandbox on 127.0.0.1, never further. */
// The loopback Agent is the tests' own (test/core/helpers.ts): one definition for both.
export { loopbackAgent } from '../../test/core/helpers.js';

/** Requests to a status endpoint in a sandbox's request log. */
export function statusReads(log: readonly { path: string }[]): number {
  return log.filter((entry) => /^\/api\/v[12]\/status$/.test(entry.path)).length;
}
