/**
 * The webhook function, invoked directly with real-shaped events against sandboxes on loopback:
 * both signature schemes, rotation, the replay window, size limit, base64 bodies, and no secret leaks.
 */

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signGithub, signOts, verifyGithub } from '../../functions/signature.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv, statusReads, webhookEvent } from './helpers.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

const SECRET = 'whsec-current-0123456789';
const OLD_SECRET = 'whsec-previous-9876543210';
const BODY = '{"ref":"main","marker":"BODY-MARKER-7f3a","sender":{"id":1}}';
/** An account both checked sandboxes know, so the credential check passes and the target stays nominal. */
const ACCOUNT = { username: 'ops@example.com', token: 'tok-webhook-s3cr3t-value' };

let a: Sandbox;
let b: Sandbox;
let bystander: Sandbox;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
const now = () => Math.floor(Date.now() / 1000);
const allLogs = () => [a, b, bystander].flatMap((s) => s.requestLog);

async function loadHandler(env: Record<string, string> = { OTS_WEBHOOK_SECRET: SECRET }): Promise<Handler> {
  restoreEnv = setEnv({ OTS_TARGETS: `${a.url},${b.url}`, ...env });
  vi.resetModules();
  return (await import('../../functions/webhook.js')).handler as Handler;
}

function parsed(result: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
}

beforeAll(async () => {
  [a, b, bystander] = await Promise.all([
    startSandbox({ accounts: [ACCOUNT] }),
    startSandbox({ accounts: [ACCOUNT] }),
    startSandbox(),
  ]);
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), bystander.stop()]);
});

beforeEach(() => {
  for (const sandbox of [a, b, bystander]) sandbox.resetStats();
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('valid signatures run the check', () => {
  it('accepts a GitHub X-Hub-Signature-256 and answers the status JSON with the request id', async () => {
    const handler = await loadHandler();
    const context = lambdaContext('webhook');
    const result = await handler(
      webhookEvent(BODY, { 'X-Hub-Signature-256': signGithub(SECRET, BODY) }),
      context,
    );
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ requestId: context.awsRequestId, state: 'nominal' });
    // The shape /status answers: the core's report, sent as it is.
    expect(Object.keys(parsed(result))).toEqual(['requestId', 'state', 'results', 'checkedAt']);
    expect((parsed(result).results as unknown[]).length).toBe(2);
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);
  });

  it('accepts X-OTS-Signature within the window (header names in any case)', async () => {
    const handler = await loadHandler();
    const t = now() - 200;
    const result = await handler(
      webhookEvent(BODY, { 'X-Ots-Signature': signOts(SECRET, BODY, t) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
  });

  it('accepts the second of two comma-separated secrets (rotation)', async () => {
    const handler = await loadHandler({ OTS_WEBHOOK_SECRET: `${SECRET}, ${OLD_SECRET}` });
    const github = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(OLD_SECRET, BODY) }),
      lambdaContext(),
    );
    expect(github.statusCode).toBe(200);
    const ots = await handler(
      webhookEvent(BODY, { 'x-ots-signature': signOts(OLD_SECRET, BODY, now()) }),
      lambdaContext(),
    );
    expect(ots.statusCode).toBe(200);
  });

  it('verifies a base64-encoded Function URL body over its decoded bytes', async () => {
    const handler = await loadHandler();
    const event = sampleEvent('function-url-webhook-base64');
    // Multi-byte UTF-8 and a CR LF: a signature over re-encoded text would differ from one over the bytes.
    const bytes = Buffer.from('{"note":"caf\u00e9 \u{1F510}"}\r\n', 'utf8');
    event.body = bytes.toString('base64');
    event.headers['x-ots-signature'] = signOts(SECRET, bytes, now());
    const result = await handler(event, lambdaContext());
    expect(result.statusCode).toBe(200);

    // A signature over the base64 text instead of the bytes is refused.
    event.headers['x-ots-signature'] = signOts(SECRET, event.body, now());
    expect((await handler(event, lambdaContext())).statusCode).toBe(401);
  });

  it('accepts an empty body (absent or null) signed with X-OTS-Signature, and checks every target', async () => {
    const handler = await loadHandler();
    for (const [index, body] of [undefined, null].entries()) {
      // Two deliveries (two timestamps): the same one twice would be refused as a replay.
      const event = webhookEvent('', { 'x-ots-signature': signOts(SECRET, '', now() - index) });
      (event as { body?: string | null }).body = body;
      const result = await handler(event, lambdaContext());
      expect(result.statusCode).toBe(200);
      expect((parsed(result).results as unknown[]).length).toBe(2);
    }
  });

  it('narrows to configured targets named in { "targets": [...] }', async () => {
    const handler = await loadHandler();
    const body = JSON.stringify({ targets: [hostOf(b)] });
    const result = await handler(
      webhookEvent(body, { 'x-hub-signature-256': signGithub(SECRET, body) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
    expect((parsed(result).results as { target: string }[]).map((r) => r.target)).toEqual([hostOf(b)]);
    expect(a.requestLog).toHaveLength(0);
  });

  it('answers 503 when a target is down, like /status', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 500, times: 10 });
    const handler = await loadHandler();
    const result = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SECRET, BODY) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(503);
    expect(parsed(result).state).toBe('down');
    b.clearFaults();
  });
});

describe('refusals', () => {
  const cases: [string, () => Record<string, string>, string?][] = [
    ['a wrong secret', () => ({ 'x-hub-signature-256': signGithub('not-the-secret', BODY) })],
    [
      'a stale X-OTS timestamp',
      () => ({ 'x-ots-signature': signOts(SECRET, BODY, now() - 301) }),
      '300 seconds',
    ],
    [
      'a future X-OTS timestamp',
      () => ({ 'x-ots-signature': signOts(SECRET, BODY, now() + 301) }),
      '300 seconds',
    ],
    ['no signature header', () => ({}), 'Signature missing'],
    ['a malformed header', () => ({ 'x-hub-signature-256': 'sha1=abc' }), 'format'],
    [
      'an X-OTS signature without its timestamp',
      () => ({ 'x-ots-signature': signOts(SECRET, BODY, now()).split(',')[1]! }),
    ],
  ];

  for (const [name, headers, text] of cases) {
    it(`answers 401 for ${name} and sends nothing`, async () => {
      const handler = await loadHandler();
      const result = await handler(webhookEvent(BODY, headers()), lambdaContext());
      expect(result.statusCode).toBe(401);
      if (text !== undefined) expect(parsed(result).error).toContain(text);
      expect(allLogs()).toHaveLength(0);
    });
  }

  it('answers 401 when the body changed by one byte', async () => {
    const handler = await loadHandler();
    const signature = signGithub(SECRET, BODY);
    const changed = BODY.replace('main', 'maim');
    expect(changed).toHaveLength(BODY.length);
    expect(
      (await handler(webhookEvent(changed, { 'x-hub-signature-256': signature }), lambdaContext()))
        .statusCode,
    ).toBe(401);
    expect(allLogs()).toHaveLength(0);
  });

  it('answers 413 for a 65 KiB body, before any HMAC or request', async () => {
    const handler = await loadHandler();
    const big = JSON.stringify({ pad: 'x'.repeat(65 * 1024) });
    const result = await handler(
      webhookEvent(big, { 'x-hub-signature-256': signGithub(SECRET, big) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(413);
    const encoded = webhookEvent('', { 'x-hub-signature-256': signGithub(SECRET, big) });
    encoded.body = Buffer.from(big).toString('base64');
    encoded.isBase64Encoded = true;
    expect((await handler(encoded, lambdaContext())).statusCode).toBe(413);
    expect(allLogs()).toHaveLength(0);
  });

  it('answers 413 for a 65 KiB body even with no secret configured: the size comes before any secret', async () => {
    // A size check moved after the secret or the signature would answer 500 (no secret) or 401 here.
    const handler = await loadHandler({});
    const big = JSON.stringify({ pad: 'x'.repeat(65 * 1024) });
    const unsigned = await handler(webhookEvent(big, {}), lambdaContext());
    expect(unsigned.statusCode).toBe(413);
    const signed = await handler(
      webhookEvent(big, { 'x-hub-signature-256': signGithub(SECRET, big) }),
      lambdaContext(),
    );
    expect(signed.statusCode).toBe(413);
    expect(allLogs()).toHaveLength(0);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const handler = await loadHandler();
    const exact = JSON.stringify({ pad: 'y'.repeat(64 * 1024 - 10) });
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    const result = await handler(
      webhookEvent(exact, { 'x-hub-signature-256': signGithub(SECRET, exact) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
  });

  it('answers 500 when no secret is configured, and nothing runs', async () => {
    const handler = await loadHandler({});
    const result = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SECRET, BODY) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(500);
    expect(parsed(result).error).toMatch(/OTS_WEBHOOK_SECRET/);
    expect(allLogs()).toHaveLength(0);
  });

  it('answers 400 when the body names a target that is not configured, and sends nothing', async () => {
    const handler = await loadHandler();
    const body = JSON.stringify({ targets: [hostOf(a), bystander.url] });
    const result = await handler(
      webhookEvent(body, { 'x-hub-signature-256': signGithub(SECRET, body) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error).toMatch(/targets\[1\] is not a configured target/);
    expect(result.body).not.toContain(bystander.url);
    expect(allLogs()).toHaveLength(0);
  });

  it('refuses GET with 405', async () => {
    const handler = await loadHandler();
    const event = webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SECRET, BODY) });
    event.requestContext.http.method = 'GET';
    expect((await handler(event, lambdaContext())).statusCode).toBe(405);
  });
});

describe('the GitHub and OTS schemes cannot stand in for each other (issue 9, item 1)', () => {
  const hmacHex = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

  it('keeps GitHub’s scheme byte-compatible: GitHub’s published test vector verifies', async () => {
    // From GitHub's "Validating webhook deliveries": this secret and payload give this signature.
    const secret = "It's a Secret to Everybody";
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyGithub(signature, Buffer.from('Hello, World!'), [secret])).toEqual({ ok: true });
    expect(signGithub(secret, 'Hello, World!')).toBe(signature);
    const handler = await loadHandler({ OTS_WEBHOOK_SECRET: secret });
    // Verified (a mismatch would be 401), then refused for its body, which is not JSON.
    const result = await handler(
      webhookEvent('Hello, World!', { 'x-hub-signature-256': signature }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(allLogs()).toHaveLength(0);
  });

  it('refuses a captured X-OTS-Signature replayed as X-Hub-Signature-256 over "<t>.<body>"', async () => {
    const handler = await loadHandler();
    const t = now() - 86_400; // a day old: far outside the OTS window
    const captured = signOts(SECRET, BODY, t).split('v1=')[1]!;
    const result = await handler(
      webhookEvent(`${t}.${BODY}`, { 'x-hub-signature-256': `sha256=${captured}` }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(401);
    expect(allLogs()).toHaveLength(0);
  });

  it('runs nothing for the issue’s reproduction: a body "<t>.<body>" is not JSON, so it is 400', async () => {
    // hex(HMAC-SHA256(S, t + "." + B)) is, by construction, GitHub's signature of the body "t.B". What
    // stops it is that such a body no longer means "check everything".
    const handler = await loadHandler();
    const t = now() - 86_400;
    const sig = hmacHex(SECRET, `${t}.${BODY}`);
    const result = await handler(
      webhookEvent(`${t}.${BODY}`, { 'x-hub-signature-256': `sha256=${sig}` }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error).toMatch(/not a JSON object/);
    expect(allLogs()).toHaveLength(0);
  });

  it('refuses a GitHub signature of "<t>.<body>" presented as X-OTS-Signature', async () => {
    const handler = await loadHandler();
    const t = now();
    const github = signGithub(SECRET, `${t}.${BODY}`).slice('sha256='.length);
    const result = await handler(
      webhookEvent(BODY, { 'x-ots-signature': `t=${t},v1=${github}` }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(401);
    expect(allLogs()).toHaveLength(0);
  });

  it('refuses a request that carries both headers, even if one is valid', async () => {
    const handler = await loadHandler();
    const result = await handler(
      webhookEvent(BODY, {
        'x-hub-signature-256': signGithub(SECRET, BODY),
        'x-ots-signature': signOts(SECRET, BODY, now()),
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(401);
    expect(parsed(result).error).toMatch(/headers of one scheme only/);
    expect(allLogs()).toHaveLength(0);
  });

  for (const [name, body] of [
    ['form-encoded', 'payload=%7B%22a%22%3A1%7D'],
    ['a JSON array', '["eu"]'],
    ['a JSON string', '"eu"'],
    ['JSON null', 'null'],
  ] as const) {
    it(`answers 400 to a signed body that is ${name}, and checks nothing`, async () => {
      const handler = await loadHandler();
      const result = await handler(
        webhookEvent(body, { 'x-hub-signature-256': signGithub(SECRET, body) }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(400);
      expect(result.body).not.toContain(body);
      expect(allLogs()).toHaveLength(0);
    });
  }

  it('checks every target for a JSON object without "targets" (a GitHub event)', async () => {
    const handler = await loadHandler();
    const result = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SECRET, BODY) }),
      lambdaContext(),
    );
    expect((parsed(result).results as unknown[]).length).toBe(2);
  });

  it('refuses the same X-OTS-Signature delivery a second time inside its window', async () => {
    const handler = await loadHandler();
    const headers = { 'x-ots-signature': signOts(SECRET, BODY, now()) };
    expect((await handler(webhookEvent(BODY, headers), lambdaContext())).statusCode).toBe(200);
    const again = await handler(webhookEvent(BODY, headers), lambdaContext());
    expect(again.statusCode).toBe(401);
    expect(parsed(again).error).toMatch(/already accepted/);
    expect(statusReads(a.requestLog)).toBe(1);
  });

  it('accepts the signature the openssl lines in docs/functions.md make', async () => {
    const handler = await loadHandler();
    const script = [
      `body='{"targets":["${hostOf(a)}"]}'; t=$(date +%s)`,
      `key=$(printf '%s' "$OTS_WEBHOOK_SECRET" | openssl dgst -sha256 -hmac 'onetime-kit X-OTS-Signature v1' -r | cut -d' ' -f1)`,
      `sig=$(printf '%s' "$t.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -r | cut -d' ' -f1)`,
      `printf '%s\n%s' "t=$t,v1=$sig" "$body"`,
    ].join('\n');
    const [signature, body] = execFileSync('sh', ['-c', script], {
      env: { PATH: process.env.PATH, OTS_WEBHOOK_SECRET: SECRET },
      encoding: 'utf8',
    }).split('\n');
    const result = await handler(webhookEvent(body!, { 'x-ots-signature': signature! }), lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(statusReads(a.requestLog)).toBe(1);
  });
});

describe('GitHub ping', () => {
  it('answers 200 to a signed ping without running a check', async () => {
    const handler = await loadHandler();
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const result = await handler(
      webhookEvent(body, { 'x-github-event': 'ping', 'x-hub-signature-256': signGithub(SECRET, body) }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ ok: true, event: 'ping' });
    expect(allLogs()).toHaveLength(0);
  });

  it('refuses an unsigned ping', async () => {
    const handler = await loadHandler();
    const result = await handler(webhookEvent('{}', { 'x-github-event': 'ping' }), lambdaContext());
    expect(result.statusCode).toBe(401);
  });
});

describe('secrets stay secret', () => {
  it('never echoes the body or the signature, and logs no secret, token or Basic value', async () => {
    const { token } = ACCOUNT;
    const basic = Buffer.from(`${ACCOUNT.username}:${token}`).toString('base64');
    const handler = await loadHandler({
      OTS_WEBHOOK_SECRET: `${SECRET},${OLD_SECRET}`,
      OTS_USERNAME: ACCOUNT.username,
      OTS_TOKEN: token,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    const good = signGithub(SECRET, BODY);
    const bad = signGithub('wrong', BODY);
    const results = [
      await handler(webhookEvent(BODY, { 'x-hub-signature-256': good }), lambdaContext()),
      await handler(webhookEvent(BODY, { 'x-hub-signature-256': bad }), lambdaContext()),
      await handler(
        webhookEvent(BODY, { 'x-ots-signature': signOts(SECRET, BODY, now() - 999) }),
        lambdaContext(),
      ),
    ];
    expect(results.map((r) => r.statusCode)).toEqual([200, 401, 401]);
    // The token was used (sent as Basic), so the needles below are checked on a path that carried it.
    expect(a.requestLog.some((entry) => entry.authenticated)).toBe(true);
    const everything = [...results.map((r) => `${r.body}${JSON.stringify(r.headers)}`), output.text()].join(
      '\n',
    );
    for (const needle of [
      SECRET,
      OLD_SECRET,
      token,
      basic,
      'BODY-MARKER-7f3a',
      good.slice(7),
      bad.slice(7),
    ]) {
      expect(everything).not.toContain(needle);
    }
  });
});
