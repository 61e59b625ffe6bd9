/** What both API versions implement, in the shapes of ../types.ts. */

import type { OtsError } from '../errors.js';
import type { HttpResponse, Transport } from '../http/transport.js';
import type {
  ApiVersion,
  AuthCheck,
  BurnResult,
  Receipt,
  RevealResult,
  SecretResult,
  ServiceStatus,
  Target,
} from '../types.js';
import { type ErrorContext, notFound, type Operation } from './errors.js';

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

/** Sends one call and returns its 2xx body, or throws the mapped error. */
export async function expectOk(
  api: ApiContext,
  version: ApiVersion,
  mapError: ErrorMapper,
  operation: Operation,
  send: (transport: Transport) => Promise<HttpResponse>,
  callSensitive: (string | undefined)[] = [],
): Promise<unknown> {
  const response = await send(api.transport);
  if (response.status >= 200 && response.status < 300) return response.body;
  throw mapError(response, errorContext(api, version, operation, callSensitive));
}

export function errorContext(
  api: ApiContext,
  version: ApiVersion,
  operation: Operation,
  callSensitive: (string | undefined)[] = [],
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
