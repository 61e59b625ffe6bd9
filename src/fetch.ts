/**
 * onetime-kit/fetch: the same library as the package root, sending with the runtime's own fetch instead
 * of the undici package, for bundles that must stay small (AWS Lambda, edge runtimes). Retries,
 * deadlines, the body cap, errors and results are the same; the connection pool is the runtime's global
 * one (Node: one keep-alive pool per origin), so there is no `dispatcher` option and nothing to close.
 *
 * @example
 * ```ts
 * import { checkStatus } from 'onetime-kit/fetch';
 * const report = await checkStatus('eu,us');
 * ```
 */
import { runStatusCheck } from './check/check.js';
import { buildClient } from './client.js';
import { ValidationError } from './errors.js';
import { fetchSender } from './http/fetch-sender.js';
import type { CheckOptions, Client, ClientOptions, StatusReport, Target } from './types.js';

export * from './public.js';

/** A JavaScript caller may still pass one: say so rather than ignore it. */
function refuseDispatcher(options: object): void {
  if ((options as { dispatcher?: unknown }).dispatcher !== undefined) {
    throw new ValidationError(
      "dispatcher is not used by onetime-kit/fetch, which sends with the runtime's fetch: import from 'onetime-kit' to give an undici dispatcher.",
      { input: 'dispatcher' },
    );
  }
}

/** createClient of the package root, sending with fetch. */
export function createClient(options: Omit<ClientOptions, 'dispatcher'> = {}): Client {
  refuseDispatcher(options);
  return buildClient(options, fetchSender);
}

/** checkStatus of the package root, sending with fetch. */
export async function checkStatus(
  targets: string | readonly (string | Target)[],
  options: Omit<CheckOptions, 'dispatcher'> = {},
): Promise<StatusReport> {
  refuseDispatcher(options);
  return runStatusCheck(targets, options, fetchSender);
}
