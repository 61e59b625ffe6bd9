/**
 * Which scheme signed a request, and whether it verifies: the rules every signed route shares.
 * - Only the schemes a route serves and the operator enabled are evaluated; headers of any other scheme
 *   are refused without computing anything.
 * - One scheme per request: headers of two schemes are refused, never tried one after the other.
 * - Each scheme reads its own secret, and only when a request claims that scheme.
 * - A 401 says which header was missing or wrong (absent, malformed, out of the window, replayed),
 *   and for a well-formed signature that does not match, only that it does not match.
 * - A delivery with an id (webhook-id, or the signature digest of a timestamped scheme) is accepted once
 *   per container within its window (replay.ts).
 */
import type { Scheme, WebhookSettings } from './config-webhooks.js';
import { SCHEMES, SECRET_VARIABLES, servedSchemes } from './config-webhooks.js';
import { encodedBodyLength, type HttpEvent, header } from './http.js';
import { ReplayGuard } from './replay.js';
import { resolveSecretList } from './secrets.js';
import { GITHUB_HEADER, OTS_HEADER, type Verdict, verifyGithub, verifyOts } from './signature.js';
import { SLACK_SIGNATURE_HEADER, SLACK_TIMESTAMP_HEADER, verifySlack } from './signature-slack.js';
import { STANDARD_HEADERS, standardVerifiers, verifyStandard } from './signature-standard.js';

/** The headers that say a request is signed with a scheme. */
const CLAIMS: Readonly<Record<Scheme, readonly string[]>> = {
  github: [GITHUB_HEADER],
  ots: [OTS_HEADER],
  standard: STANDARD_HEADERS,
  slack: [SLACK_SIGNATURE_HEADER, SLACK_TIMESTAMP_HEADER],
};

const SHOWN: Readonly<Record<string, string>> = {
  [GITHUB_HEADER]: 'X-Hub-Signature-256',
  [OTS_HEADER]: 'X-OTS-Signature',
  'webhook-id': 'webhook-id',
  'webhook-timestamp': 'webhook-timestamp',
  'webhook-signature': 'webhook-signature',
  [SLACK_SIGNATURE_HEADER]: 'X-Slack-Signature',
  [SLACK_TIMESTAMP_HEADER]: 'X-Slack-Request-Timestamp',
};

const FORMATS: Readonly<Record<string, string>> = {
  [GITHUB_HEADER]: 'sha256=<64 hex digits>',
  [OTS_HEADER]: 't=<unix seconds>,v1=<64 hex digits>',
  'webhook-id': '1 to 256 printable characters',
  'webhook-timestamp': 'unix seconds',
  'webhook-signature': 'v1,<base64>, space-separated',
  [SLACK_SIGNATURE_HEADER]: 'v0=<64 hex digits>',
  [SLACK_TIMESTAMP_HEADER]: 'unix seconds',
};

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Whether the body is certainly over MAX_BODY_BYTES, judged before decoding (and before any secret is
 * read): base64 takes 4 characters per 3 bytes, so a longer encoded body cannot fit.
 */
export function bodyTooLarge(event: HttpEvent): boolean {
  const encoded = encodedBodyLength(event);
  return event.isBase64Encoded ? encoded > Math.ceil(MAX_BODY_BYTES / 3) * 4 + 4 : encoded > MAX_BODY_BYTES;
}

const shownScheme = (scheme: Scheme) => CLAIMS[scheme].map((name) => SHOWN[name]).join(' + ');

export type Authentication =
  | { ok: true; scheme: Scheme }
  | { ok: false; statusCode: 401 | 404 | 500; message: string; reason: string };

const replays = new ReplayGuard();

export interface AuthRequest {
  event: HttpEvent;
  body: Buffer;
  /** The schemes this route can serve, e.g. github, ots and standard for /webhook. */
  served: readonly Scheme[];
  /** Where a request signed for a scheme this route does not serve should go instead. */
  elsewhere: string;
  settings: WebhookSettings;
  parameterMaxAgeSeconds: number;
  nowSeconds: number;
}

const refuse = (statusCode: 401 | 404 | 500, reason: string, message: string): Authentication => ({
  ok: false,
  statusCode,
  reason,
  message,
});

export async function authenticate(request: AuthRequest): Promise<Authentication> {
  const enabled = servedSchemes(request.settings, request.served);
  if (enabled.length === 0) return noSchemeEnabled(request);
  const claim = claimedScheme(request, enabled);
  if (!claim.ok) return claim;
  const { scheme } = claim;
  const secrets = await resolveSecretList(request.settings.secrets[scheme], request.parameterMaxAgeSeconds);
  if (secrets.length === 0) {
    return refuse(
      500,
      'unconfigured',
      `Configuration error: the ${scheme} secret is empty (${SECRET_VARIABLES[scheme]}).`,
    );
  }
  const verdict = await verify(scheme, request, secrets);
  const named = verdict.header ?? CLAIMS[scheme][0]!;
  if (!verdict.ok) return refuse(401, verdict.reason, problem(verdict.reason, named, scheme));
  if (replayed(scheme, verdict, request.nowSeconds)) {
    return refuse(401, 'replayed', `Signature refused: ${SHOWN[named]}: this delivery was already accepted.`);
  }
  return { ok: true, scheme };
}

/** Switched off on purpose (404: the route does not exist) or never configured (500). */
function noSchemeEnabled({ settings, served }: AuthRequest): Authentication {
  if (settings.explicit)
    return refuse(404, 'disabled', 'Not found: OTS_WEBHOOK_SCHEMES enables no scheme for this route.');
  const variables = [...new Set(served.map((scheme) => SECRET_VARIABLES[scheme]))].join('; ');
  return refuse(
    500,
    'unconfigured',
    `Configuration error: no secret is configured for this route (${variables}).`,
  );
}

/** The one scheme the request's headers claim, if this route serves it and the operator enabled it. */
function claimedScheme(request: AuthRequest, enabled: readonly Scheme[]): Authentication {
  const claimed = SCHEMES.filter((scheme) =>
    CLAIMS[scheme].some((name) => header(request.event, name) !== undefined),
  );
  const [scheme, ...others] = claimed;
  if (scheme === undefined) {
    return refuse(401, 'missing', `Signature missing: send ${enabled.map(shownScheme).join(', or ')}.`);
  }
  if (others.length > 0) {
    return refuse(
      401,
      'several',
      `Signature refused: send the headers of one scheme only (got ${claimed.map(shownScheme).join('; ')}).`,
    );
  }
  if (!request.served.includes(scheme)) {
    return refuse(
      401,
      'elsewhere',
      `Signature refused: ${shownScheme(scheme)} is not accepted here: ${request.elsewhere}`,
    );
  }
  if (!enabled.includes(scheme)) {
    return refuse(
      401,
      'disabled',
      `Signature refused: the ${scheme} scheme (${shownScheme(scheme)}) is not enabled here.`,
    );
  }
  return { ok: true, scheme };
}

/** A verified delivery with an id seen before in its window; a first sighting is remembered. */
function replayed(scheme: Scheme, verdict: Verdict, nowSeconds: number): boolean {
  if (!verdict.ok || verdict.replayId === undefined) return false;
  return !replays.accept(`${scheme}:${verdict.replayId}`, verdict.expiresAt ?? 0, nowSeconds);
}

async function verify(
  scheme: Scheme,
  request: AuthRequest,
  secrets: string[],
): Promise<Verdict & { header?: string }> {
  const { event, body, nowSeconds } = request;
  const value = (name: string) => header(event, name);
  switch (scheme) {
    case 'github':
      return verifyGithub(value(GITHUB_HEADER) ?? '', body, secrets);
    case 'ots':
      return verifyOts(value(OTS_HEADER) ?? '', body, secrets, nowSeconds);
    case 'standard': {
      const variable =
        request.settings.secrets.standard.kind === 'parameter'
          ? 'OTS_STANDARD_WEBHOOK_SECRET_PARAMETER'
          : 'OTS_STANDARD_WEBHOOK_SECRET';
      const headers = {
        id: value('webhook-id'),
        timestamp: value('webhook-timestamp'),
        signature: value('webhook-signature'),
      };
      const verdict = verifyStandard(headers, body, await standardVerifiers(secrets, variable), nowSeconds);
      return { ...verdict, header: verdict.ok ? 'webhook-id' : verdict.header };
    }
    case 'slack':
      return verifySlack(
        value(SLACK_SIGNATURE_HEADER),
        value(SLACK_TIMESTAMP_HEADER),
        body,
        secrets,
        nowSeconds,
      );
  }
}

function problem(reason: string, name: string, scheme: Scheme): string {
  const shown = SHOWN[name] ?? name;
  switch (reason) {
    case 'missing':
      return `Signature missing: send ${shownScheme(scheme)} together.`;
    case 'malformed':
      return `Signature refused: ${shown} is not in the expected format (${FORMATS[name]}).`;
    case 'stale':
    case 'future':
      return `Signature refused: the timestamp of ${shown} is more than 300 seconds from now.`;
    default:
      return `Signature refused: ${shown} does not match.`;
  }
}
