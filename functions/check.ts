/**
 * Running the core's status check with the functions' configuration, and choosing among the
 * configured targets. A name from a request or an event is only ever looked up among the configured
 * targets: nothing a caller sends can make a function contact another host.
 */

import type { StatusReport, Target } from '../src/fetch.js';
import { checkStatus } from '../src/fetch.js';
import type { FunctionConfig } from './config.js';
import { coreLogger } from './powertools.js';
import type { CheckCredentials } from './secrets.js';

export function runCheck(
  config: FunctionConfig,
  targets: readonly Target[],
  credentials: CheckCredentials,
): Promise<StatusReport> {
  return checkStatus([...targets], {
    ...credentials,
    apiVersion: config.apiVersion,
    timeoutMs: config.timeoutMs,
    degradedMs: config.degradedMs,
    depth: config.depth,
    logger: coreLogger,
  });
}

/**
 * The configured target a name refers to: its display name (`eu`, `secrets.example.com`,
 * `127.0.0.1:7143`), its host (`eu.onetimesecret.com`) or its origin, in any case.
 */
export function findTarget(config: FunctionConfig, name: string): Target | undefined {
  const wanted = name.trim().toLowerCase().replace(/\/+$/, '');
  if (wanted === '') return undefined;
  return config.targets.find((target) => {
    const host = new URL(target.origin).host;
    return [target.name, host, target.origin].some((form) => form.toLowerCase() === wanted);
  });
}

export type Selection = { ok: true; targets: Target[] } | { ok: false; problem: string };

/**
 * Narrows the configured targets to `names` (from a webhook body or a schedule's custom input). A name
 * that is not configured fails the whole selection; the problem names its position, not its text, so
 * the caller's input is never echoed back.
 */
export function selectTargets(config: FunctionConfig, names: unknown, inputName: string): Selection {
  if (!Array.isArray(names) || names.length === 0 || names.length > 50) {
    return { ok: false, problem: `${inputName} must be a list of 1 to 50 configured target names.` };
  }
  const selected: Target[] = [];
  for (const [index, name] of names.entries()) {
    const target = typeof name === 'string' ? findTarget(config, name) : undefined;
    if (target === undefined) {
      return {
        ok: false,
        problem: `${inputName}[${index}] is not a configured target: use one of ${configuredNames(config)}.`,
      };
    }
    if (!selected.includes(target)) selected.push(target);
  }
  return { ok: true, targets: selected };
}

export function configuredNames(config: FunctionConfig): string {
  return config.targets.map((target) => target.name).join(', ');
}
