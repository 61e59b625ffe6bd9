/**
 * POST /webhook with the Standard Webhooks scheme and OTS_WEBHOOK_SCHEMES, invoked directly with
 * real-shaped events against a sandbox on loopback. Standard Webhooks signatures are made with the
 * `standardwebhooks` library itself (the sender's side) and with the scheme's published sample vector.
 * Every forgery is refused with nothing sent upstream (the sandbox's request log stays empty).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signGithub, signOts } from '../../functions/signature.js';
import { signSlack } from '../../functions/signature-slack.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, setEnv, statusReads, webhookEvent } from './helpers.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Standard Webhooks' published example (the spec's and Svix's "verifying manually" docs). */
const SAMPLE = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const STANDARD_SECRET = `whsec_${Buffer.from('standard-webhooks-test-key-0123456789').toString('base64')}`;
const SHARED_SECRET = 'shared-github-ots-secret-5a1f';
const BODY = '{"type":"status.requested","data":{"marker":"BODY-MARKER-91c2"}}';

let sandbox: Sandbox;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;
const now = () => Math.floor(Date.now() / 1000);

async function loadHandler(env: Record<string, string>): Promise<Handler> {
  restoreEnv = setEnv({ OTS_TARGETS: sandbox.url, ...env });
  vi.resetModules();
  return (await import('../../functions/webhook.js')).handler as Handler;
}

function standardHeaders(body: string, options: { secret?: string; id?: string; t?: number } = {}) {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const t = options.t ?? now();
  const signature = new Webhook(options.secret ?? STANDARD_SECRET).sign(id, new Date(t * 1000), body);
  return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': signature };
}

const error = (result: APIGatewayProxyStructuredResultV2) =>
  (JSON.parse(result.body ?? '{}') as { error?: string }).error ?? '';

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(() => {
  sandbox.resetStats();
  output = captureOutput();
});

afterEach(() => {
  vi.useRealTimers();
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('Standard Webhooks on POST /webhook', () => {
  it('verifies the published sample vector (at its own time) and runs the check', async () => {
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: SAMPLE.secret });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SAMPLE.timestamp * 1000 + 10_000);
    const result = await handler(
      webhookEvent(SAMPLE.body, {
        'webhook-id': SAMPLE.id,
        'webhook-timestamp': String(SAMPLE.timestamp),
        'webhook-signature': SAMPLE.signature,
      }),
      lambdaContext('webhook'),
    );
    expect(result.statusCode).toBe(200);
    expect(statusReads(sandbox.requestLog)).toBe(1);
  });

  it('accepts a delivery the library signs now, with a rotated second signature, and a second secret', async () => {
    const old = `whsec_${Buffer.from('the-previous-standard-key-000000').toString('base64')}`;
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: `${STANDARD_SECRET},${old}` });
    const rotated = standardHeaders(BODY);
    rotated['webhook-signature'] = `v1,AAAA ${rotated['webhook-signature']}`;
    expect((await handler(webhookEvent(BODY, rotated), lambdaContext())).statusCode).toBe(200);
    const byOld = standardHeaders(BODY, { secret: old });
    expect((await handler(webhookEvent(BODY, byOld), lambdaContext())).statusCode).toBe(200);
  });

  const forgeries: [string, () => Record<string, string>, RegExp, string?][] = [
    [
      'a wrong secret',
      () => standardHeaders(BODY, { secret: SAMPLE.secret }),
      /webhook-signature does not match/,
    ],
    [
      'a 1-byte change of the body',
      () => standardHeaders(BODY),
      /webhook-signature does not match/,
      BODY.replace('requested', 'requestee'),
    ],
    [
      'a stale timestamp',
      () => standardHeaders(BODY, { t: now() - 301 }),
      /webhook-timestamp is more than 300 seconds/,
    ],
    [
      'a future timestamp',
      () => standardHeaders(BODY, { t: now() + 301 }),
      /webhook-timestamp is more than 300 seconds/,
    ],
    [
      'a webhook-id changed after signing',
      () => ({ ...standardHeaders(BODY), 'webhook-id': 'msg_other' }),
      /does not match/,
    ],
    [
      'a missing webhook-id',
      () => {
        const { 'webhook-id': _, ...rest } = standardHeaders(BODY);
        return rest;
      },
      /send webhook-id \+ webhook-timestamp \+ webhook-signature together/,
    ],
    [
      'a malformed signature',
      () => ({ ...standardHeaders(BODY), 'webhook-signature': 'v2,abc' }),
      /webhook-signature is not in the expected format/,
    ],
    [
      'a Slack header',
      () => ({
        'x-slack-signature': signSlack('x', BODY, now()),
        'x-slack-request-timestamp': String(now()),
      }),
      /POST \/slack/,
    ],
    [
      'headers of two schemes',
      () => ({ ...standardHeaders(BODY), 'x-ots-signature': signOts(SHARED_SECRET, BODY, now()) }),
      /one scheme only/,
    ],
    [
      'the Standard secret used as a GitHub secret',
      () => ({ 'x-hub-signature-256': signGithub(STANDARD_SECRET, BODY) }),
      /X-Hub-Signature-256 does not match/,
    ],
  ];

  for (const [name, headers, message, body] of forgeries) {
    it(`refuses ${name} with 401, saying which header, and sends nothing`, async () => {
      const handler = await loadHandler({
        OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET,
        OTS_WEBHOOK_SECRET: SHARED_SECRET,
      });
      const result = await handler(webhookEvent(body ?? BODY, headers()), lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(error(result)).toMatch(message);
      expect(sandbox.requestLog).toHaveLength(0);
    });
  }

  it('refuses a replayed webhook-id inside the window, even re-signed with a new timestamp', async () => {
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET });
    const first = standardHeaders(BODY, { id: 'msg_once' });
    expect((await handler(webhookEvent(BODY, first), lambdaContext())).statusCode).toBe(200);
    const again = await handler(webhookEvent(BODY, first), lambdaContext());
    expect(again.statusCode).toBe(401);
    expect(error(again)).toMatch(/webhook-id: this delivery was already accepted/);
    const resigned = standardHeaders(BODY, { id: 'msg_once', t: now() - 5 });
    expect((await handler(webhookEvent(BODY, resigned), lambdaContext())).statusCode).toBe(401);
    expect(statusReads(sandbox.requestLog)).toBe(1);
  });

  it('answers 413 for an oversize body before verifying anything', async () => {
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET });
    const big = JSON.stringify({ pad: 'x'.repeat(65 * 1024) });
    const result = await handler(webhookEvent(big, standardHeaders(big)), lambdaContext());
    expect(result.statusCode).toBe(413);
    expect(sandbox.requestLog).toHaveLength(0);
  });

  it('answers 500 naming the variable when the secret is not whsec_<base64>, and sends nothing', async () => {
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: 'whsec_not*base64!' });
    const result = await handler(webhookEvent(BODY, standardHeaders(BODY)), lambdaContext());
    expect(result.statusCode).toBe(500);
    // The answer names the variable, never its value; the reason is in the log (functions/handle.ts).
    expect(error(result)).toMatch(/^Configuration error: OTS_STANDARD_WEBHOOK_SECRET is not valid/);
    expect(output.text()).toMatch(/OTS_STANDARD_WEBHOOK_SECRET secret 1 is not a Standard Webhooks secret/);
    expect(result.body).not.toContain('not*base64');
    expect(sandbox.requestLog).toHaveLength(0);
  });
});

describe('OTS_WEBHOOK_SCHEMES', () => {
  it('evaluates only the enabled schemes: a valid GitHub signature is refused when only standard is on', async () => {
    const handler = await loadHandler({
      OTS_WEBHOOK_SCHEMES: 'standard',
      OTS_WEBHOOK_SECRET: SHARED_SECRET,
      OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET,
    });
    const github = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SHARED_SECRET, BODY) }),
      lambdaContext(),
    );
    expect(github.statusCode).toBe(401);
    expect(error(github)).toMatch(/the github scheme \(X-Hub-Signature-256\) is not enabled here/);
    const missing = await handler(webhookEvent(BODY, {}), lambdaContext());
    expect(error(missing)).toBe(
      'Signature missing: send webhook-id + webhook-timestamp + webhook-signature.',
    );
    expect(sandbox.requestLog).toHaveLength(0);
    expect((await handler(webhookEvent(BODY, standardHeaders(BODY)), lambdaContext())).statusCode).toBe(200);
  });

  it('defaults to each scheme whose secret is configured', async () => {
    const handler = await loadHandler({ OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET });
    const result = await handler(
      webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SHARED_SECRET, BODY) }),
      lambdaContext(),
    );
    expect(error(result)).toMatch(/github scheme .* is not enabled/);
  });

  it('is a configuration error (500, nothing runs) for an unknown scheme or an enabled one without a secret', async () => {
    for (const [env, message] of [
      [
        { OTS_WEBHOOK_SCHEMES: 'github,svix', OTS_WEBHOOK_SECRET: SHARED_SECRET },
        /OTS_WEBHOOK_SCHEMES entry 2 is not allowed: use a list of github, ots, standard, slack\./,
      ],
      [
        { OTS_WEBHOOK_SCHEMES: 'github,standard', OTS_WEBHOOK_SECRET: SHARED_SECRET },
        /enables standard, but its secret is not set: set OTS_STANDARD_WEBHOOK_SECRET/,
      ],
    ] as const) {
      const handler = await loadHandler(env);
      const result = await handler(
        webhookEvent(BODY, { 'x-hub-signature-256': signGithub(SHARED_SECRET, BODY) }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(500);
      // The answer names the variable; the reason, which may quote a value, is in the log.
      expect(error(result)).toMatch(/^Configuration error: OTS_WEBHOOK_SCHEMES is not valid/);
      expect(output.text()).toMatch(message);
      restoreEnv?.();
    }
    expect(sandbox.requestLog).toHaveLength(0);
  });

  it('keeps every secret out of answers and logs', async () => {
    const handler = await loadHandler({
      OTS_STANDARD_WEBHOOK_SECRET: STANDARD_SECRET,
      OTS_WEBHOOK_SECRET: SHARED_SECRET,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    const good = standardHeaders(BODY);
    const results = [
      await handler(webhookEvent(BODY, good), lambdaContext()),
      await handler(webhookEvent(BODY, good), lambdaContext()),
      await handler(webhookEvent(BODY, standardHeaders(BODY, { secret: SAMPLE.secret })), lambdaContext()),
    ];
    expect(results.map((r) => r.statusCode)).toEqual([200, 401, 401]);
    const everything = [...results.map((r) => `${r.body}${JSON.stringify(r.headers)}`), output.text()].join(
      '\n',
    );
    const key = STANDARD_SECRET.slice('whsec_'.length);
    for (const needle of [
      STANDARD_SECRET,
      key,
      Buffer.from(key, 'base64').toString(),
      SHARED_SECRET,
      'BODY-MARKER-91c2',
      good['webhook-signature'].slice(3),
    ]) {
      expect(everything).not.toContain(needle);
    }
  });
});
