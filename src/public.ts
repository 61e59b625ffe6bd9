/**
 * What both entry points export: everything but the functions that send requests, which each entry
 * binds to its own HTTP client (src/index.ts: undici; src/fetch.ts: the runtime's fetch).
 */
/** The status check's threshold and how states combine. */

/** Parses the API version and timeout inputs the way createClient does. */
export { API_VERSIONS, checkVersionCredentials, credentialsRefusal } from './api/registry.js';
export { DEFAULT_DEGRADED_MS } from './check/check.js';
/** The choices a status check offers (depth, fail-on), listed once for every adapter. */
export { CHECK_DEPTHS, FAIL_ON, type FailOn } from './check/options.js';
export { CHECK_STATES, worstState } from './check/states.js';
/** Whether a report fails for a `fail-on` value, and which targets make it fail. */
export { failingTargets, reportFails } from './check/verdict.js';
export { parseApiVersion, parseTimeoutMs } from './client.js';
/** The settings a status check and a client share (api-version, timeout, degraded-ms, depth, fail-on). */
export {
  CHECK_SETTING_NAMES,
  type CheckSettingName,
  type CheckSettings,
  parseCheckSettings,
} from './config/check-settings.js';
/** Half-given credentials are an error; the Basic value is built only for the Authorization header. */
export {
  basicAuthorization,
  type CredentialInput,
  credentialSecrets,
  resolveCredentials,
} from './config/credentials.js';
/** Settings from OTS_* environment variables (ONETIME_* as fallbacks), by one precedence. */
export {
  credentialsFromEnv,
  type EnvCredentialOptions,
  type EnvOptions,
  type EnvSettings,
  type EnvVariables,
  rawCredentialsFromEnv,
  readEnv,
  settingsFromEnv,
  TOKEN_VARIABLES,
  targetsFromEnv,
} from './config/environment.js';
/** Parsers for adapter inputs: each names its input in errors and says what is allowed. */
export {
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseSecondsAsMs,
  parseWholeNumber,
  type SecondsRule,
  type WholeNumberRule,
} from './config/parsers.js';
/** TTLs: seconds, or 90s, 30m, 12h, 7d. */
export { MAX_TTL_SECONDS, parseTtl } from './config/ttl.js';
/** Local checks made before any request. */
export {
  givenPassphrase,
  MAX_SECRET_BYTES,
  PASSPHRASE_MAX,
  PASSPHRASE_MIN,
  validatePassphrase,
  validateRecipients,
  validateSecret,
} from './config/validate.js';
/** An http(s) address to send to or show (a webhook, a link), never echoed. */
export { parseWebUrl, type WebUrlRule } from './config/web-url.js';
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
/** HTTP limits: the default deadline per call, the body cap, the retries of reads. */
export { MAX_RETRIES } from './http/retry.js';
export { DEFAULT_TIMEOUT_MS, MAX_BODY_BYTES } from './http/transport.js';
/** The one redactor: every sensitive value cut out in each of its wire forms. */
export { Redactor, redact, untrustedText, wireForms } from './redact.js';
/** Links to keys: the key and the host a link names. */
export {
  type KeyArgument,
  type LinkKind,
  linkKey,
  type ResolvedKey,
  resolveKeyTarget,
  resolveLink,
} from './targets/links.js';
/** Plain http: the opt-in's parser and the private-host rule (for adapters). */
export { isPrivateHost, parseAllowHttp } from './targets/plain-http.js';
/** A status check's targets from an adapter's named sources, else the environment's, else the default host. */
export {
  resolveStatusTargets,
  type StatusTargetOptions,
  type TargetSource,
} from './targets/status-targets.js';
/** Targets: regions, the default host, custom domains and lists. */
export {
  DEFAULT_ORIGIN,
  type DomainOptions,
  defaultTarget,
  isLoopbackHost,
  type ParseTargetsOptions,
  parseDomain,
  parseRegion,
  parseTargets,
  REGIONS,
  type ResolveTargetOptions,
  regionTarget,
  resolveTarget,
  uniqueTargets,
} from './targets/targets.js';
export type * from './types.js';
export { USER_AGENT, VERSION } from './version.js';
