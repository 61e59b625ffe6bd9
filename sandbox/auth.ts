/**
 * HTTP Basic credentials, evaluated whenever an Authorization header is sent (docs/ots-api.md 1.1
 * "Authentication", 2.1). Tokens are compared in constant time, with a dummy comparison for unknown
 * users so the answer time does not tell which usernames exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxAccount } from './types.js';

export type InvalidReason = 'type' | 'format' | 'credentials';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'account'; account: SandboxAccount }
  | { kind: 'invalid'; reason: InvalidReason };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const DUMMY_DIGEST = digest('sandbox-dummy-token-for-unknown-users');

interface Credentials {
  username: string;
  token: string;
}

function parseBasic(header: string): Credentials | InvalidReason {
  const match = /^(\S+)(?:\s+(\S*))?\s*$/.exec(header.trim());
  if (match?.[1]?.toLowerCase() !== 'basic') return match ? 'type' : 'format';
  const encoded = match[2] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return 'format';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return 'format';
  return { username: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

function hostMatches(patterns: string[] | undefined, host: string, hostname: string): boolean {
  if (!patterns) return true;
  return patterns.some((pattern) => {
    const wanted = pattern.toLowerCase();
    return wanted === host.toLowerCase() || wanted === hostname;
  });
}

export class Accounts {
  readonly #byUsername = new Map<string, { account: SandboxAccount; digest: Buffer }>();

  constructor(accounts: readonly SandboxAccount[]) {
    for (const account of accounts) {
      this.#byUsername.set(account.username, { account, digest: digest(account.token) });
    }
  }

  /** `authorization` is the raw header (undefined when not sent); `host`/`hostname` of the request. */
  evaluate(authorization: string | undefined, host: string, hostname: string): Caller {
    if (authorization === undefined) return { kind: 'anonymous' };
    const parsed = parseBasic(authorization);
    if (typeof parsed === 'string') return { kind: 'invalid', reason: parsed };
    const known = this.#byUsername.get(parsed.username);
    const tokenMatches = timingSafeEqual(digest(parsed.token), known?.digest ?? DUMMY_DIGEST);
    if (!known || !tokenMatches || !hostMatches(known.account.hosts, host, hostname)) {
      return { kind: 'invalid', reason: 'credentials' };
    }
    return { kind: 'account', account: known.account };
  }
}

const CREATE_PATHS =
  /^\/api\/(?:v1\/(?:share|create|generate)|v2\/(?:guest\/)?secret\/(?:conceal|generate))$/;

/**
 * The caller a route sees: with the `anonymousOnBadCredentials` option, failed credentials on a create
 * become an anonymous caller, as older servers treated them; everywhere else the caller is unchanged.
 */
export function callerFor(caller: Caller, path: string, anonymousOnBadCredentials: boolean): Caller {
  const forgiven = anonymousOnBadCredentials && caller.kind === 'invalid' && CREATE_PATHS.test(path);
  return forgiven ? { kind: 'anonymous' } : caller;
}
