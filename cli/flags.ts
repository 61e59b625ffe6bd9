/**
 * Flag values, checked by the core's parsers (the action's inputs use the same ones). Their messages name
 * the flag and what is allowed; `usage` turns them into usage errors.
 */
import { type CheckSettings, ValidationError } from '../src/index.js';
import { UsageError } from './usage-error.js';

/**
 * Flags after checking. The check settings (--api-version, --timeout, --degraded-ms, --depth, --fail-on)
 * are the core's, defaults filled; a target, credentials and allow-http left out stay undefined so the
 * environment can fill them.
 */
export interface Flags extends CheckSettings {
  region?: string;
  domain?: string;
  json: boolean;
  /** --allow-http: plain http to a private host (a self-hosted OTS), with a warning. */
  allowHttp?: boolean;
  /** Kept raw: the core's `parseTtl` is the one judge of a TTL. */
  ttl?: string;
  passphraseFile?: string;
  recipients: string[];
}

/** Runs a core parser; its ValidationError becomes a usage error. */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof ValidationError ? new UsageError(error.message) : error;
  }
}
