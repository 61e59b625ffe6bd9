/**
 * onetime-kit: the core library. Share a secret as a link that works once, on any Onetime Secret
 * region or custom domain, over API v1 or v2 (or v3's anonymous guest routes), and check the service's health.
 *
 * @example
 * ```ts
 * import { createClient } from 'onetime-kit';
 * const ots = createClient({ region: 'eu' });
 * const { secretUrl } = await ots.share({ secret: 'hunter2', ttl: '1h' });
 * ```
 */
import { runStatusCheck } from './check/check.js';
import { buildClient } from './client.js';
import { undiciSender } from './http/undici-sender.js';
import type { CheckOptions, Client, ClientOptions, StatusReport, Target } from './types.js';

/** The process-wide keep-alive agent can be closed, e.g. before a CLI exits. */
export { closeSharedAgent } from './http/undici-sender.js';
export * from './public.js';

/**
 * Creates a client for one target (a region, a custom domain, or the default host with a warning).
 * Throws ValidationError at once for a bad region, domain, API version, timeout or half-given
 * credentials. Requests go through undici: the process-wide keep-alive agent, or `options.dispatcher`.
 */
export function createClient(options: ClientOptions = {}): Client {
  return buildClient(options, undiciSender(options.dispatcher));
}

/**
 * Checks the status of many targets at once (see CheckOptions). A target's failure is its result, never
 * a throw; only bad input throws, before any request.
 */
export function checkStatus(
  targets: string | readonly (string | Target)[],
  options: CheckOptions = {},
): Promise<StatusReport> {
  return runStatusCheck(targets, options, undiciSender(options.dispatcher));
}
