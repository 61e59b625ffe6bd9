/**
 * onetime-kit: the core library. Share a secret as a link that works once, on any Onetime Secret
 * region or custom domain, over API v1 or v2, and check the service's health.
 *
 * @example
 * ```ts
 * import { createClient } from 'onetime-kit';
 * const ots = createClient({ region: 'eu' });
 * const { secretUrl } = await ots.share({ secret: 'hunter2', ttl: '1h' });
 * ```
 */

/** Checks the status of many targets at once (see CheckOptions). */
export { checkStatus, DEFAULT_DEGRADED_MS, worstState } from './check.js';
/** Creates a client, and parses the API version and timeout inputs the way it does. */
export { createClient, parseApiVersion, parseTimeoutMs } from './client.js';
/** Half-given credentials are an error; the Basic value is built only for the Authorization header. */
export { basicAuthorization, resolveCredentials } from './credentials.js';
/** Settings from OTS_* environment variables (ONETIME_* as fallbacks). */
export { type EnvSettings, settingsFromEnv } from './env.js';
/** Every error is an OtsError with a `code`; messages never carry credentials, secrets or keys. */
export {
  AuthError,
  BadResponseError,
  NetworkError,
  NotFoundError,
  OtsError,
  type OtsErrorCode,
  type OtsErrorDetails,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from './errors.js';
/** The process-wide keep-alive agent can be closed, e.g. before a CLI exits. */
export { closeSharedAgent, DEFAULT_TIMEOUT_MS, MAX_BODY_BYTES, MAX_RETRIES } from './http.js';
/** Targets: regions, the default host, custom domains, lists, and links to keys. */
export {
  DEFAULT_ORIGIN,
  defaultTarget,
  isLoopbackHost,
  type LinkKind,
  type ParseTargetsOptions,
  parseDomain,
  parseRegion,
  parseTargets,
  REGIONS,
  type ResolvedKey,
  type ResolveTargetOptions,
  regionTarget,
  resolveLink,
  resolveTarget,
} from './targets.js';
/** TTLs: seconds, or 90s, 30m, 12h, 7d. */
export { MAX_TTL_SECONDS, parseTtl } from './ttl.js';
export type * from './types.js';
/** Local checks made before any request. */
export {
  MAX_SECRET_BYTES,
  PASSPHRASE_MAX,
  PASSPHRASE_MIN,
  validatePassphrase,
  validateRecipients,
  validateSecret,
} from './validate.js';
export { USER_AGENT, VERSION } from './version.js';
