/**
 * The client: one target, optional credentials, API v1 or v2, the same result shapes either way.
 * Every input is checked before a request is sent.
 */
import type { Api, ApiContext } from './api/api.js';
import { apiModule, checkVersionCredentials, parseApiVersion } from './api/registry.js';
import { basicAuthorization, resolveCredentials } from './config/credentials.js';
import { parseTtl } from './config/ttl.js';
import {
  givenPassphrase,
  validatePassphrase,
  validateRecipients,
  validateSecret,
} from './config/validate.js';
import { AuthError, ValidationError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, type Sender, Transport } from './http/transport.js';
import { defaultLogger } from './logger.js';
import { type LinkKind, resolveLink } from './targets/links.js';
import { warnPlainHttp } from './targets/plain-http.js';
import { resolveTarget } from './targets/targets.js';
import type { ApiVersion, Client, ClientOptions, Credentials, Target } from './types.js';

function validateSecretMissing(): ValidationError {
  return new ValidationError('secret is empty: give the text to share.', { input: 'secret' });
}

export { parseApiVersion };

/** A positive number of milliseconds; `undefined` gives the default (10 s). */
export function parseTimeoutMs(input: number | undefined, inputName = 'timeoutMs'): number {
  if (input === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(input) || input <= 0 || input > MAX_TIMEOUT_MS) {
    throw new ValidationError(
      `${inputName} must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}.`,
      {
        input: inputName,
      },
    );
  }
  return input;
}

export interface ClientSettings {
  apiVersion: ApiVersion;
  timeoutMs: number;
  credentials: Credentials | undefined;
  /** What sends the requests: undici (the package root) or the runtime's fetch (`onetime-kit/fetch`). */
  sender: Sender;
}

/**
 * Builds a client on `sender` (the entry points, src/index.ts and src/fetch.ts, choose it). Throws
 * ValidationError at once for a bad region, domain, API version, timeout or half-given credentials.
 */
export function buildClient(options: ClientOptions, sender: Sender): Client {
  const logger = options.logger ?? defaultLogger;
  const settings: ClientSettings = {
    apiVersion: parseApiVersion(options.apiVersion),
    timeoutMs: parseTimeoutMs(options.timeoutMs),
    credentials: resolveCredentials(options),
    sender,
  };
  checkVersionCredentials(settings.apiVersion, settings.credentials);
  const allowHttp = options.allowHttp === true;
  const target =
    options.target ?? resolveTarget({ region: options.region, domain: options.domain, logger, allowHttp });
  warnPlainHttp([target], logger);
  return clientForTarget(target, settings);
}

/**
 * The server says "wrong passphrase" also when none was sent: with none given, say that one is needed
 * rather than that it was refused.
 */
function missingPassphrase(given: string | undefined, operation: string) {
  return (error: unknown): never => {
    if (given === undefined && error instanceof ValidationError && error.input === 'passphrase') {
      throw new ValidationError(
        `${error.target ?? 'The server'} needs a passphrase for ${operation}: this secret is protected by one. ` +
          'Give the passphrase the sender set.',
        { target: error.target, httpStatus: error.httpStatus, input: 'passphrase' },
      );
    }
    throw error;
  };
}

/** A client for an already resolved target (used by checkStatus). */
export function clientForTarget(target: Target, settings: ClientSettings): Client {
  const { apiVersion, credentials } = settings;
  const authenticated = credentials !== undefined;
  const authorization = credentials ? basicAuthorization(credentials) : undefined;
  const sensitive = credentials ? [credentials.token, authorization as string, credentials.username] : [];
  const apis = new Map<string, Api>();

  /**
   * The API of a target. Credentials go only to the configured target: a link to another region is
   * called anonymously (accounts are per region anyway, docs/ots-api.md 4), so a token never leaves its host.
   */
  function apiFor(chosen: Target): Api {
    let api = apis.get(chosen.origin);
    if (!api) {
      const own = chosen.origin === target.origin;
      const transport = new Transport(chosen, settings.sender, {
        timeoutMs: settings.timeoutMs,
        authorization: own ? authorization : undefined,
      });
      const context: ApiContext = {
        transport,
        target: chosen,
        authenticated: own && authenticated,
        sensitive,
      };
      api = apiModule(apiVersion).create(context);
      apis.set(chosen.origin, api);
    }
    return api;
  }

  const byKey = (keyOrUrl: string, kind: LinkKind) => {
    if (typeof keyOrUrl !== 'string') throw new ValidationError('key must be a string.', { input: 'key' });
    const { key, target: chosen } = resolveLink(keyOrUrl, target, kind);
    return { key, api: apiFor(chosen) };
  };

  const requireAccount = (operation: string) => {
    if (!authenticated) {
      throw new AuthError(`${operation} needs an account: give username and token.`, { target: target.name });
    }
  };

  return {
    target,
    apiVersion,
    authenticated,
    status: async (options = {}) => apiFor(target).status(options.signal),
    async checkAuth(options = {}) {
      requireAccount('checkAuth');
      return apiFor(target).checkAuth(options.signal);
    },
    async share(options) {
      if (typeof options !== 'object' || options === null) return Promise.reject(validateSecretMissing());
      const input = {
        secret: validateSecret(options.secret),
        ttl: options.ttl === undefined ? undefined : parseTtl(options.ttl),
        passphrase: validatePassphrase(options.passphrase),
        recipients: validateRecipients(options.recipient, authenticated),
      };
      return apiFor(target).share(input, options.signal);
    },
    async generate(options = {}) {
      const input = {
        ttl: options.ttl === undefined ? undefined : parseTtl(options.ttl),
        passphrase: validatePassphrase(options.passphrase),
        recipients: validateRecipients(options.recipient, authenticated),
      };
      return apiFor(target).generate(input, options.signal);
    },
    async reveal(keyOrUrl, options = {}) {
      const passphrase = givenPassphrase(options.passphrase);
      const { key, api } = byKey(keyOrUrl, 'secret');
      return api.reveal(key, passphrase, options.signal).catch(missingPassphrase(passphrase, 'reveal'));
    },
    async receipt(keyOrUrl, options = {}) {
      const { key, api } = byKey(keyOrUrl, 'receipt');
      return api.receipt(key, options.signal);
    },
    async burn(keyOrUrl, options = {}) {
      const passphrase = givenPassphrase(options.passphrase);
      const { key, api } = byKey(keyOrUrl, 'receipt');
      return api.burn(key, passphrase, options.signal).catch(missingPassphrase(passphrase, 'burn'));
    },
    async recent(options = {}) {
      requireAccount('recent');
      return apiFor(target).recent(options.signal);
    },
  };
}
