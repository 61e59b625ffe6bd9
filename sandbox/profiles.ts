/**
 * Server profiles: the documented behaviours of each server line (docs/ots-api.md 7, and sections
 * 8 to 12), so clients can be tested against the older self-hosted servers people still run.
 *
 * - `0.26` (default): the v0.26.11 server. Passphrases checked only on `continue=true`, no
 *   `correct_passphrase`, v2 `custid` null and `owner_id` a UUID, `Cache-Control: private, no-store`
 *   on `/api`, multipart parsed (malformed: 400), v2 fails closed on bad Basic credentials, API v3's
 *   status, version and guest routes served.
 * - `0.24`: the v0.24 line as rolled out in March 2026: 62-character keys, v1 intended-status header,
 *   ADR-013 v2 errors, native v2 types, but bad Basic credentials on anonymous-capable v2 routes still
 *   treated as anonymous (fail-closed came on 2026-07-29), `correct_passphrase` still sent, no v3.
 * - `0.23`: v0.23.6: 31-character keys, v1 errors without `X-OTS-Intended-Status` and with a `shrimp`
 *   field, v1's "Cripes!" rate-limit text, v2 records as strings, v2 errors `{error:<class>,
 *   message:<text>}`, bad Basic credentials treated as anonymous, no v3.
 *
 * Where the sources do not say when a behaviour arrived between 0.24 and 0.26, the profile keeps it
 * with the line where it is documented; the README's sandbox section lists the choices.
 */
import { createHash } from 'node:crypto';

export type ServerLine = '0.23' | '0.24' | '0.26';
export const SERVER_LINES: readonly ServerLine[] = ['0.23', '0.24', '0.26'];

export interface ServerProfile {
  line: ServerLine;
  /** `OT::VERSION.to_a` as `/api/v2/version` answers it. */
  version: readonly number[];
  keyLength: number;
  /** v1 errors carry `X-OTS-Intended-Status` (v0.24+). */
  v1IntendedStatus: boolean;
  /** v1 error bodies carry a `shrimp` (CSRF token) field (v0.23 and earlier). */
  v1Shrimp: boolean;
  v1RateLimitMessage: string;
  v2Types: 'native' | 'string';
  /** `adr-013`: `{error:<text>, error_type:<class>}`; `legacy`: `{error:<class>, message:<text>}`. */
  v2ErrorFormat: 'adr-013' | 'legacy';
  /** Bad Basic credentials on `basicauth,noauth` routes: 401 (true) or anonymous (false). */
  v2FailClosed: boolean;
  /** v2 show/reveal `details.correct_passphrase`, and passphrases evaluated without `continue`. */
  passphraseOracle: boolean;
  /** v2 receipt `custid` null and `owner_id` a UUID (post-migration receipts), else username + `ur...`. */
  modernOwnerFields: boolean;
  /** `Cache-Control: private, no-store` on `/api` answers. */
  apiCachePolicy: boolean;
  /** Well-formed multipart bodies parsed; malformed ones 400 "Invalid multipart request". */
  multipart: boolean;
  /** API v3 (status, version, guest routes) served. */
  v3: boolean;
}

const PROFILES: Record<ServerLine, ServerProfile> = {
  '0.26': {
    line: '0.26',
    version: [0, 26, 11],
    keyLength: 62,
    v1IntendedStatus: true,
    v1Shrimp: false,
    v1RateLimitMessage: 'Rate limit exceeded. Please try again later.',
    v2Types: 'native',
    v2ErrorFormat: 'adr-013',
    v2FailClosed: true,
    passphraseOracle: false,
    modernOwnerFields: true,
    apiCachePolicy: true,
    multipart: true,
    v3: true,
  },
  '0.24': {
    line: '0.24',
    version: [0, 24, 0],
    keyLength: 62,
    v1IntendedStatus: true,
    v1Shrimp: false,
    v1RateLimitMessage: 'Rate limit exceeded. Please try again later.',
    v2Types: 'native',
    v2ErrorFormat: 'adr-013',
    v2FailClosed: false,
    passphraseOracle: true,
    modernOwnerFields: false,
    apiCachePolicy: false,
    multipart: false,
    v3: false,
  },
  '0.23': {
    line: '0.23',
    version: [0, 23, 6],
    keyLength: 31,
    v1IntendedStatus: false,
    v1Shrimp: true,
    v1RateLimitMessage: 'Cripes! You have been rate limited.',
    v2Types: 'string',
    v2ErrorFormat: 'legacy',
    v2FailClosed: false,
    passphraseOracle: true,
    modernOwnerFields: false,
    apiCachePolicy: false,
    multipart: false,
    v3: false,
  },
};

/** The profile of a line; throws TypeError naming the allowed lines. */
export function serverProfile(line: string | undefined = '0.26'): ServerProfile {
  const profile = PROFILES[line as ServerLine];
  if (!profile) {
    throw new TypeError(`server must be one of ${SERVER_LINES.join(', ')}, got ${JSON.stringify(line)}`);
  }
  return profile;
}

/** A stable fake CSRF token for v0.23's error bodies (never a secret). */
export const SHRIMP = createHash('sha256').update('onetime-kit sandbox shrimp').digest('hex').slice(0, 40);
