/** Public shapes of the sandbox: what tests, scripts and `npm start` use to drive it. */

export interface SandboxAccount {
  username: string;
  token: string;
  /**
   * `identity` (default): TTLs up to 30 days, as a paid or self-hosted account. `free`: the hosted free
   * plan, 14 days; v1 clamps to it, v2 answers 403 EntitlementRequired above it (docs/ots-api.md 1.4.1, 2.4).
   */
  plan?: 'free' | 'identity';
  /** Hosts (names, port optional) where this account exists; default every host. Regions share nothing. */
  hosts?: string[];
}

export type FaultKind =
  /** Answer with `status` (default 500) and the version's server-error body. */
  | 'status'
  /** Rate limited: v2/v3 429 `LimitExceeded` with `Retry-After: retryAfter` (default 1); v1 404 as v1 does. */
  | 'rate-limit'
  /** 503 `{"status":"not_ready",...}` as a booting server answers. */
  | 'not-ready'
  /** Accept the request, never send headers. */
  | 'hang'
  /** Destroy the socket without answering. */
  | 'reset'
  /** 200 with a body that is not JSON. */
  | 'invalid-json'
  /** 200 with a JSON-looking body of `bytes` bytes (default 2 MiB). */
  | 'oversized'
  /** Status endpoints answer with `statusWord` instead of `nominal`. */
  | 'status-word'
  /** `status` (default 200) with `body` as JSON: an answer the real server might give but the sandbox does not. */
  | 'json'
  /**
   * The version's validation error (v1 404 with intended status 400, v2 422) whose message echoes the
   * request line, its Authorization header and its body, as some servers and proxies do.
   */
  | 'echo';

export interface FaultRule {
  /** Path pattern; `*` matches any run of characters. Default: every path. */
  path?: string;
  /** Host (as in the Host header, port included or not). Default: every host. */
  host?: string;
  /** HTTP method. Default: every method. */
  method?: string;
  /** Added before the answer (or before the fault). */
  latencyMs?: number;
  /** The fault; none means latency only. */
  fault?: FaultKind;
  status?: number;
  retryAfter?: number;
  bytes?: number;
  statusWord?: string;
  /** The JSON answer of a `json` fault. */
  body?: unknown;
  /** Apply this many times, then drop the rule. Default: until cleared. */
  times?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Without the query; secret and receipt keys replaced with `:key` (`/api/v2/secret/:key/reveal`). */
  path: string;
  host: string;
  /** Whether an Authorization header was sent (its value is never recorded). */
  authenticated: boolean;
  status: number;
  at: number;
}

export interface SandboxOptions {
  /** Default 0 (an ephemeral port) when imported; `npm run sandbox` uses 7143. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  accounts?: SandboxAccount[];
  faults?: FaultRule[];
  /** Clock in milliseconds; tests may move time. */
  now?: () => number;
  /**
   * The server line to imitate (see profiles.ts): `0.26` (v0.26.11, default), `0.24` or `0.23`. It sets
   * key lengths, v1 error bodies, v2 value types and error format, and whether bad Basic credentials fail.
   */
  server?: '0.23' | '0.24' | '0.26';
  /** How v2 records carry numbers and booleans; default from `server` (`string` only for 0.23). */
  v2Types?: 'native' | 'string';
  /**
   * As older servers did: a create (v1 share/generate, v2 conceal/generate) whose Basic credentials fail
   * goes ahead anonymously instead of being refused. Default false (current servers refuse).
   */
  anonymousOnBadCredentials?: boolean;
  /**
   * Anonymous creations allowed per masked client address (/24, /48) per hour before a one-hour lock
   * (the server's default is 500). Default: no limit.
   */
  createLimit?: number;
  /** The operator's guest-route switches (API v2 anonymous calls and v3 guest routes); all on by default. */
  guestRoutes?: GuestRoutes;
  /** Most request-log entries kept (oldest dropped first). Default 10 000. */
  logLimit?: number;
}

/** `site.interface.api.guest_routes.*`: `enabled: false` switches every guest operation off. */
export interface GuestRoutes {
  enabled?: boolean;
  conceal?: boolean;
  generate?: boolean;
  reveal?: boolean;
  burn?: boolean;
  show?: boolean;
  receipt?: boolean;
}

export interface SandboxStats {
  /** TCP connections accepted since start (or the last reset). */
  connections: number;
  /** Highest number of requests in flight at once. */
  peakInFlight: number;
  requests: number;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requestLog: readonly RequestLogEntry[];
  stats(): SandboxStats;
  addFault(rule: FaultRule): void;
  /** The active rules, `times` showing what is left. */
  faults(): FaultRule[];
  clearFaults(): void;
  /** Clears the request log and the stats (not the secrets, not the faults). */
  resetStats(): void;
  stop(): Promise<void>;
}
