/** What both API versions implement, in the shapes of ../types.ts. */

import type { OtsError } from '../errors.js';
import type { CallSpec, HttpResponse, Transport } from '../http/transport.js';
import type {
  ApiVersion,
  AuthCheck,
  BurnResult,
  Operation,
  Receipt,
  RevealResult,
  SecretResult,
  ServiceStatus,
  Target,
} from '../types.js';
import { type ErrorContext, notFound } from './errors.js';
import { statusOf } from './fields.js';

/** Checked input for share; generate is the same without `secret`. */
export interface CreateInput {
  ttl?: number;
  passphrase?: string;
  recipients: string[];
}

export interface ShareInput extends CreateInput {
  secret: string;
}

export interface Api {
  status(signal?: AbortSignal): Promise<ServiceStatus>;
  /** Verifies the credentials; the server's version when this version's check can tell it. */
  checkAuth(signal?: AbortSignal): Promise<AuthCheck>;
  share(input: ShareInput, signal?: AbortSignal): Promise<SecretResult>;
  generate(input: CreateInput, signal?: AbortSignal): Promise<SecretResult>;
  reveal(key: string, passphrase: string | undefined, signal?: AbortSignal): Promise<RevealResult>;
  receipt(key: string, signal?: AbortSignal): Promise<Receipt>;
  burn(key: string, passphrase: string | undefined, signal?: AbortSignal): Promise<BurnResult>;
  recent(signal?: AbortSignal): Promise<Receipt[]>;
}

/** One API version: what registry.ts maps a version name to. Adding a version is one of these. */
export interface ApiModule {
  version: ApiVersion;
  create(api: ApiContext): Api;
  /** Under the target's `apiBase`: `/v2/status`. */
  statusPath: string;
  /** Why this version cannot be used with credentials (checked before any request), if it cannot. */
  credentialsRefused?: string;
}

export interface ApiContext {
  transport: Transport;
  target: Target;
  authenticated: boolean;
  /** Credential values (token, Basic value, username) kept out of every message. */
  sensitive: readonly string[];
}

type ErrorMapper = (response: HttpResponse, ctx: ErrorContext) => OtsError;

/** One call of a version, in one object: what the Transport sends, plus what its messages must hide. */
export interface ApiCall extends CallSpec {
  /** This call's values kept out of messages (secret, passphrase, key), besides the credentials. */
  sensitive?: readonly (string | undefined)[];
}

/** Sends one call and resolves with its 2xx body; any other answer rejects with the version's error. */
export type Caller = (call: ApiCall) => Promise<unknown>;

/** The Caller of one version: its name and error mapper, bound once. */
export function caller(api: ApiContext, version: ApiVersion, mapError: ErrorMapper): Caller {
  return async (call) => {
    const response = await api.transport.call(call);
    if (response.status >= 200 && response.status < 300) return response.body;
    throw mapError(response, errorContext(api, version, call.operation, call.sensitive));
  };
}

/** `GET <path>`: the service status, which every version reads alike. */
export async function readStatus(
  call: Caller,
  api: ApiContext,
  path: string,
  signal?: AbortSignal,
): Promise<ServiceStatus> {
  return statusOf(api.target, await call({ operation: 'status', method: 'GET', path, signal }), 'status');
}

/** A key as one path segment. */
export const keyPath = (key: string) => encodeURIComponent(key);

function errorContext(
  api: ApiContext,
  version: ApiVersion,
  operation: Operation,
  callSensitive: readonly (string | undefined)[] = [],
): ErrorContext {
  const extra = callSensitive.filter((s): s is string => s !== undefined && s !== '');
  return {
    target: api.target.name,
    operation,
    apiVersion: version,
    authenticated: api.authenticated,
    sensitive: [...api.sensitive, ...extra],
  };
}

export function goneError(api: ApiContext, version: ApiVersion, operation: Operation): OtsError {
  return notFound(errorContext(api, version, operation), 200);
}
