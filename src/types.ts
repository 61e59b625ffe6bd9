/**
 * Public types of the onetime-kit core. Every adapter (action, functions, CLI) speaks these shapes, so
 * a change here is a change to the public interface (see docs/interfaces.md).
 */
import type { Dispatcher } from 'undici';
import type { REGIONS } from './targets/targets.js';

/** The hosted regions (src/targets/targets.ts REGIONS). Each is `https://<region>.onetimesecret.com/api`. */
export type Region = (typeof REGIONS)[number];

/**
 * `v3`: the server's alpha API, for what a token client can use there: status and the anonymous guest
 * routes. Refused with credentials (its secret routes accept only a browser session).
 */
export type ApiVersion = 'v1' | 'v2' | 'v3';

/** Where calls go: a region, the default host, or a custom domain (loopback `http://` allowed). */
export interface Target {
  kind: 'region' | 'default' | 'domain';
  /** Short display name: `eu`, `onetimesecret.com`, `secrets.example.com`, `127.0.0.1:7143`. */
  name: string;
  /** Scheme and host, no trailing slash: `https://eu.onetimesecret.com`. Links are built on it. */
  origin: string;
  /** `origin + '/api'`. */
  apiBase: string;
}

/** Where warnings and notices go (the default host warning, "region ignored"). Never given secrets. */
export interface Logger {
  warn(message: string): void;
  info?(message: string): void;
  debug?(message: string): void;
}

export interface Credentials {
  username: string;
  token: string;
}

export interface ClientOptions {
  region?: string;
  domain?: string;
  /**
   * A target already resolved (by resolveTarget or parseTargets), used as is: `region`, `domain` and
   * `allowHttp` are then not read, and the resolver's notices (the default host, "region ignored") were
   * the caller's to print. Plain http to it still gets the allow-http warning.
   */
  target?: Target;
  username?: string;
  token?: string;
  /** Default `v2`. */
  apiVersion?: ApiVersion;
  /** Overall deadline per call in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** An undici dispatcher; default is the process-wide keep-alive agent (one pool per origin). */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /**
   * Allow plain `http://` to a private host (`http://ots:3000`, a private address), with a warning on
   * every client made; public names stay refused. Default false: http only for loopback.
   */
  allowHttp?: boolean;
}

/** A TTL: seconds as a number, or a string of seconds or `30m`, `12h`, `7d`. */
export type TtlInput = number | string;

export interface ShareOptions {
  secret: string;
  ttl?: TtlInput;
  passphrase?: string;
  recipient?: string | string[];
  signal?: AbortSignal;
}

export interface GenerateOptions {
  ttl?: TtlInput;
  passphrase?: string;
  recipient?: string | string[];
  signal?: AbortSignal;
}

/** What share and generate return, whichever API version was used. */
export interface SecretResult {
  secretKey: string;
  secretUrl: string;
  receiptKey: string;
  receiptUrl: string;
  /** Seconds, after the server's clamping. */
  ttl: number;
  /** ISO 8601. */
  expiresAt: string;
  passphraseRequired: boolean;
  /** Only from generate. */
  value?: string;
}

export interface RevealResult {
  value: string;
  secretKey: string;
}

export type ReceiptState = 'new' | 'viewed' | 'received' | 'burned' | 'expired' | 'orphaned' | 'unknown';

export interface Receipt {
  receiptKey: string;
  receiptUrl: string;
  state: ReceiptState;
  /** Present while the secret can still be read. */
  secretKey?: string;
  secretUrl?: string;
  /** Seconds the secret was given. */
  ttl?: number;
  createdAt?: string;
  updatedAt?: string;
  receivedAt?: string;
  /** When the secret expires, if it is still alive. */
  expiresAt?: string;
  passphraseRequired?: boolean;
}

export interface BurnResult {
  state: ReceiptState;
  receiptKey: string;
}

export interface ServiceStatus {
  /** The status word: `nominal` when healthy. */
  status: string;
  locale?: string;
}

export interface AuthCheck {
  /** The server's version, such as `"0.26.11"` (`/api/v2/version`), when it could be read. */
  serverVersion?: string;
}

export interface KeyOptions {
  passphrase?: string;
  signal?: AbortSignal;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A Client's calls by name, as messages and errors name them (never by path, which can hold a key). */
export type Operation =
  | 'status'
  | 'checkAuth'
  | 'share'
  | 'generate'
  | 'reveal'
  | 'receipt'
  | 'burn'
  | 'recent';

export interface Client {
  readonly target: Target;
  readonly apiVersion: ApiVersion;
  readonly authenticated: boolean;
  status(options?: CallOptions): Promise<ServiceStatus>;
  /**
   * Verifies the credentials (v1 `/authcheck`, v2 `/version`); throws AuthError when refused. Resolves
   * with the server's version when the server told it (v2's `/version` does; v1 reads it after).
   */
  checkAuth(options?: CallOptions): Promise<AuthCheck>;
  share(options: ShareOptions): Promise<SecretResult>;
  generate(options?: GenerateOptions): Promise<SecretResult>;
  reveal(keyOrUrl: string, options?: KeyOptions): Promise<RevealResult>;
  receipt(keyOrUrl: string, options?: CallOptions): Promise<Receipt>;
  burn(keyOrUrl: string, options?: KeyOptions): Promise<BurnResult>;
  recent(options?: CallOptions): Promise<Receipt[]>;
}

export type CheckState = 'nominal' | 'degraded' | 'down';
export type CheckDepth = 'status' | 'roundtrip';
export type RoundtripStep = 'share' | 'reveal' | 'verify' | 'second-reveal';

export interface TargetStatus {
  /** The target's display name (`eu`, `secrets.example.com`). */
  target: string;
  /** The status URL that was read. */
  url: string;
  state: CheckState;
  /** `null` when no HTTP answer arrived. */
  httpStatus: number | null;
  latencyMs: number | null;
  message: string;
  /** ISO 8601. */
  checkedAt: string;
  /** Present when credentials were given; `failed` makes the target `down`. */
  auth?: 'ok' | 'failed';
  /**
   * The server's version (`"0.26.11"`, from `/api/v2/version`), when credentials allow reading it. A
   * change between checks means the server changed under its clients: the monitor records it.
   */
  serverVersion?: string;
  /** Present with depth `roundtrip`. */
  roundtrip?: { ok: boolean; failedStep?: RoundtripStep; latencyMs: number };
}

export interface StatusReport {
  /** The worst state of all targets. */
  state: CheckState;
  results: TargetStatus[];
  checkedAt: string;
}

export interface CheckOptions {
  username?: string;
  token?: string;
  apiVersion?: ApiVersion;
  timeoutMs?: number;
  /** A nominal answer slower than this is `degraded`. Default 2000. */
  degradedMs?: number;
  depth?: CheckDepth;
  dispatcher?: Dispatcher;
  logger?: Logger;
  signal?: AbortSignal;
  /** As ClientOptions.allowHttp, for the targets given as text; warns once per check for each such target. */
  allowHttp?: boolean;
  /** The clock latencies are measured with, in milliseconds. Default performance.now; tests pass their own. */
  now?: () => number;
}
