/**
 * What `npm start` prints once the stack is up: where things are, and curl commands to try. Signed
 * webhook examples are printed only for the built-in dev secret. A secret the user set is theirs: a
 * GitHub-style signature never expires, so a printed one would be a replayable credential in the
 * terminal's scrollback. For such a secret the text says how to sign, with a placeholder instead.
 */
import { OTS_KEY_LABEL, signGithub, signOts } from '../functions/signature.js';

/** Local only: printed on purpose, never used outside this machine. */
export const DEV_WEBHOOK_SECRET = 'local-dev-webhook-secret';
const WEBHOOK_BODY = '{"source":"curl"}';

export interface TryIt {
  /** Base URL of the functions (serverless-offline). */
  base: string;
  sandboxUrl: string;
  /** The sandbox's default account (a fixed local value, printed on purpose). */
  account?: { username: string; token: string };
  /** True when OTS_WEBHOOK_SECRET was not set and the dev secret is in use. */
  devSecret: boolean;
  nowSeconds: number;
}

function signedExamples(base: string, nowSeconds: number): string[] {
  return [
    '  # signed like GitHub (no timestamp, so it stays valid):',
    `  curl -i -X POST ${base}/webhook -H 'content-type: application/json' \\`,
    `    -H 'X-Hub-Signature-256: ${signGithub(DEV_WEBHOOK_SECRET, WEBHOOK_BODY)}' -d '${WEBHOOK_BODY}'`,
    '',
    '  # signed with X-OTS-Signature (valid for 5 minutes from now):',
    `  curl -i -X POST ${base}/webhook -H 'X-OTS-Signature: ${signOts(DEV_WEBHOOK_SECRET, '', nowSeconds)}'`,
  ];
}

/** With the user's own secret: how to sign, never a signature (their secret stays out of the output). */
function howToSign(base: string): string[] {
  return [
    '  # POST /webhook uses your OTS_WEBHOOK_SECRET (one of them, if it is a comma-separated list).',
    '  # Sign the exact body yourself with the key derived from your secret (put it where <your-secret> is):',
    `  body='${WEBHOOK_BODY}'; t=$(date +%s)`,
    `  key=$(printf '%s' '<your-secret>' | openssl dgst -sha256 -hmac '${OTS_KEY_LABEL}' -r | cut -d' ' -f1)`,
    `  sig=$(printf '%s' "$t.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -r | cut -d' ' -f1)`,
    `  curl -i -X POST ${base}/webhook -H "X-OTS-Signature: t=$t,v1=$sig" -d "$body"`,
  ];
}

/**
 * A ready-to-paste Markdown badge: shields.io's endpoint badge reading `<status URL>?format=badge`,
 * that URL percent-encoded as shields requires. shields.io must reach the URL, so for a README use
 * the deployed one (the local one is printed to show the form).
 */
export function badgeMarkdown(statusUrl: string): string {
  const endpoint = `${statusUrl}?format=badge`;
  return `[![Onetime Secret status](https://img.shields.io/endpoint?url=${encodeURIComponent(endpoint)})](${statusUrl})`;
}

function accountLines(sandboxUrl: string, account: { username: string; token: string }): string[] {
  return [
    `Sandbox account:     ${account.username} / ${account.token}  (fixed local value, not a secret)`,
    `  OTS_USERNAME=${account.username} OTS_TOKEN=${account.token} npm run -s ots -- recent --domain ${sandboxUrl}`,
  ];
}

export function tryItText({ base, sandboxUrl, account, devSecret, nowSeconds }: TryIt): string {
  const lines = [
    '',
    `Sandbox (OTS API):   ${sandboxUrl}/api/v2/status`,
    ...(account ? accountLines(sandboxUrl, account) : []),
    `Functions:           ${base}`,
    `Status page:         ${base}/  (history: ${base}/history, feed: ${base}/incidents.atom)`,
    devSecret
      ? `Webhook secret:      ${DEV_WEBHOOK_SECRET}  (local only, set OTS_WEBHOOK_SECRET to change)`
      : 'Webhook secret:      yours, from OTS_WEBHOOK_SECRET (not printed)',
    '',
    'Try:',
    `  curl -i ${base}/status`,
    `  curl ${base}/status?format=badge`,
    `  curl -i ${base}/status/${new URL(sandboxUrl).host}`,
    '',
    ...(devSecret ? signedExamples(base, nowSeconds) : howToSign(base)),
    '',
    '  # run the scheduled check once (or status, webhook), with its sample event or your own:',
    '  npm run invoke -- scheduled [event.json]',
    '',
    'Badge Markdown (shields.io must reach the URL: use your deployed one in a README):',
    `  ${badgeMarkdown(`${base}/status`)}`,
    '',
    'Ctrl-C stops both.',
  ];
  return lines.filter((line, i) => line !== '' || lines[i - 1] !== '').join('\n');
}
