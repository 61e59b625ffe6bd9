/**
 * The API versions: one registration per version, so adding one is its module plus a line here
 * (docs/api-v3.md, "Adding an API version"). Everything that needs a version asks this table: the
 * client, the status check, and the adapters' lists of allowed values.
 */
import { ValidationError } from '../errors.js';
import type { ApiVersion, Credentials, Target } from '../types.js';
import type { ApiModule } from './api.js';
import { V1 } from './v1.js';
import { V2 } from './v2.js';
import { V3 } from './v3.js';

const MODULES: Record<ApiVersion, ApiModule> = { v1: V1, v2: V2, v3: V3 };

export const DEFAULT_API_VERSION: ApiVersion = 'v2';

/** The version names, the default first: what an input may say. */
export const API_VERSIONS: readonly ApiVersion[] = [
  DEFAULT_API_VERSION,
  ...(Object.keys(MODULES) as ApiVersion[]).filter((version) => version !== DEFAULT_API_VERSION),
];

export function apiModule(version: ApiVersion): ApiModule {
  return MODULES[version];
}

/** The URL `version`'s status call asks on `target`, as a status result reports it. */
export function statusUrl(version: ApiVersion, target: Target): string {
  return `${target.apiBase}${MODULES[version].statusPath}`;
}

/** A version name (case and spaces forgiven; undefined gives the default); anything else an error. */
export function parseApiVersion(input: string | undefined, inputName = 'apiVersion'): ApiVersion {
  const value = (input ?? DEFAULT_API_VERSION).trim().toLowerCase();
  if (Object.hasOwn(MODULES, value)) return value as ApiVersion;
  const names = [...API_VERSIONS].sort();
  throw new ValidationError(`${inputName} must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}.`, {
    input: inputName,
  });
}

/** Why `version` cannot be used with credentials, or undefined when it can. */
export function credentialsRefusal(version: ApiVersion): string | undefined {
  return MODULES[version].credentialsRefused;
}

/** Refuses, before any request, a version that cannot be used with the credentials given. */
export function checkVersionCredentials(
  version: ApiVersion,
  credentials: Credentials | undefined,
  inputName = 'apiVersion',
): void {
  const why = credentialsRefusal(version);
  if (credentials && why) {
    throw new ValidationError(`${inputName} ${version} cannot be used with username and token: ${why}`, {
      input: inputName,
    });
  }
}
