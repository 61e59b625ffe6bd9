/**
 * POST /slack, invoked directly with real-shaped HTTP API events against sandboxes on loopback, and a
 * local HTTP server standing in for Slack's response_url. Slack itself and Lambda's asynchronous
 * self-invocation cannot run here: the latter is replaced by calling the same handler with the job it
 * would receive (osls.test.ts runs the real SDK call against serverless-offline's Invoke API).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readWebhookSettings } from '../../functions/config-webhooks.js';
import { signGithub } from '../../functions/signature.js';
import { signSlack } from '../../functions/signature-slack.js';
import { checkResponseUrl, type LateReplyJob } from '../../functions/slack-reply.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv, statusReads } from './helpers.js';

type SlackModule = typeof import('../../functions/slack.js');
type Result = APIGatewayProxyStructuredResultV2;

const SECRET = 'slack-signing-secret-0f9e8d7c6b5a';
const RESPONSE_TOKEN = 'RESPONSE-URL-TOKEN-1b2c3d';

/** Slack's published example ("Verifying requests from Slack"): secret, timestamp, body, signature. */
const SAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

let a: Sandbox;
let b: Sandbox;
let standIn: Server;
let origin: string;
let posts: { path: string; body: Record<string, unknown> }[];
let standInStatus = 200;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;
let jobs: LateReplyJob[];
const now = () => Math.floor(Date.now() / 1000);
const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
const upstream = () => [...a.requestLog, ...b.requestLog];

async function load(env: Record<string, string> = {}, runLate = true): Promise<SlackModule['handler']> {
  restoreEnv = setEnv({
    OTS_TARGETS: `${a.url},${b.url}`,
    OTS_SLACK_SIGNING_SECRET: SECRET,
    OTS_SLACK_TEST_RESPONSE_ORIGIN: origin,
    ...env,
  });
  vi.resetModules();
  const slack = await import('../../functions/slack.js');
  // What Lambda's InvocationType "Event" does: run the same function with the job, elsewhere.
  slack.setLateReplyStarter((job, context) => {
    jobs.push(job);
    return runLate ? slack.handler(job, context).then(() => undefined) : Promise.resolve();
  });
  return slack.handler;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    channel_id: 'C0001',
    user_id: 'U0001',
    command: '/ots-status',
    text: '',
    response_url: `${origin}/commands/T0001/1234/${RESPONSE_TOKEN}`,
    trigger_id: `${Math.random()}`,
    ...fields,
  }).toString();
}

function slackEvent(body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const event = sampleEvent('http-api-webhook');
  event.routeKey = 'POST /slack';
  event.rawPath = '/slack';
  event.requestContext.http.path = '/slack';
  event.requestContext.routeKey = 'POST /slack';
  event.headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  };
  event.body = body;
  return event;
}

function signed(body: string, t = now(), secret = SECRET): APIGatewayProxyEventV2 {
  return slackEvent(body, {
    'x-slack-signature': signSlack(secret, body, t),
    'x-slack-request-timestamp': String(t),
  });
}

const answer = (result: Result | { posted: boolean }) =>
  JSON.parse((result as Result).body ?? '{}') as {
    response_type?: string;
    text?: string;
    error?: string;
    blocks?: { type: string; text?: { text: string } }[];
  };
const context = (): Context => lambdaContext('slack');

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([startSandbox(), startSandbox()]);
  standIn = createServer(async (request, response) => {
    const text = await readBody(request);
    posts.push({ path: request.url ?? '', body: JSON.parse(text || '{}') as Record<string, unknown> });
    if (standInStatus === 302) response.writeHead(302, { location: `${origin}/commands/redirected` });
    else response.writeHead(standInStatus, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), new Promise((resolve) => standIn.close(resolve))]);
});

beforeEach(() => {
  a.resetStats();
  b.resetStats();
  posts = [];
  jobs = [];
  standInStatus = 200;
  output = captureOutput();
});

afterEach(() => {
  vi.useRealTimers();
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('a signed slash command', () => {
  it('verifies Slack’s published sample request (at its own time) and hands the answer to a late invocation', async () => {
    const handler = await load(
      { OTS_SLACK_SIGNING_SECRET: SAMPLE.secret, OTS_SLACK_TEST_RESPONSE_ORIGIN: '' },
      false,
    );
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SAMPLE.timestamp * 1000 + 2000);
    const result = await handler(
      slackEvent(SAMPLE.body, {
        'x-slack-signature': SAMPLE.signature,
        'x-slack-request-timestamp': String(SAMPLE.timestamp),
      }),
      context(),
    );
    expect((result as Result).statusCode).toBe(200);
    expect(answer(result)).toMatchObject({
      response_type: 'ephemeral',
      text: `Checking ${hostOf(a)}, ${hostOf(b)}...`,
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.responseUrl).toMatch(/^https:\/\/hooks\.slack\.com\/commands\//);
    expect(upstream()).toHaveLength(0); // the (stubbed) late invocation did not run
  });

  it('acknowledges at once, then posts the Block Kit answer to response_url; a second command is answered inline', async () => {
    const handler = await load();
    const first = await handler(signed(form({})), context());
    expect(answer(first).response_type).toBe('ephemeral');
    expect(answer(first).text).toMatch(/^Checking /);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(`/commands/T0001/1234/${RESPONSE_TOKEN}`);
    const late = posts[0]?.body as ReturnType<typeof answer>;
    expect(late.response_type).toBe('ephemeral');
    expect(late.text).toBe(`Onetime Secret status: nominal (${hostOf(a)} nominal, ${hostOf(b)} nominal)`);
    expect(late.blocks?.[0]?.text?.text).toContain('*Onetime Secret status: nominal*');
    expect(late.blocks?.[1]?.text?.text).toMatch(
      new RegExp(`^:large_green_circle: \\*${hostOf(a)}\\* nominal · \\d+ ms · checked <!date\\^\\d+\\^`),
    );
    expect(statusReads(a.requestLog)).toBe(1);

    // Fresh now (OTS_STATUS_CACHE_SECONDS): the answer is the HTTP response, with no upstream call.
    const second = await handler(signed(form({ text: hostOf(b) })), context());
    expect((second as Result).statusCode).toBe(200);
    expect(answer(second).blocks?.map((block) => block.type)).toEqual(['section', 'section', 'context']);
    expect(answer(second).text).toBe(`Onetime Secret status: nominal (${hostOf(b)} nominal)`);
    expect(statusReads(b.requestLog)).toBe(1);
    expect(posts).toHaveLength(1);
  });

  it('shares the answer with the channel when OTS_SLACK_RESPONSE=in_channel, and shows why a target is down', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 500, times: 10 });
    const handler = await load({ OTS_SLACK_RESPONSE: 'in_channel' });
    await handler(signed(form({ text: `${hostOf(a)}, ${hostOf(b)}` })), context());
    const late = posts[0]?.body as ReturnType<typeof answer>;
    expect(late.response_type).toBe('in_channel');
    expect(late.text).toMatch(/status: down/);
    expect(late.blocks?.[2]?.text?.text).toMatch(/^:red_circle: .* down .*\n.+/);
    b.clearFaults();
  });

  it('answers a name that is not configured politely, only to the caller, with no request at all', async () => {
    const handler = await load();
    const result = await handler(signed(form({ text: `${hostOf(a)} evil.example.com` })), context());
    expect(answer(result).response_type).toBe('ephemeral');
    expect(answer(result).text).toMatch(
      /^Sorry, I can only check the targets this service is configured for/,
    );
    expect(answer(result).text).not.toContain('evil.example.com');
    expect(upstream()).toHaveLength(0);
    expect(posts).toHaveLength(0);
    expect(jobs).toHaveLength(0);
  });

  it('answers Slack’s signed ssl_check with 200 and runs nothing', async () => {
    const handler = await load();
    const result = (await handler(signed('ssl_check=1&token=legacy'), context())) as Result;
    expect(result.statusCode).toBe(200);
    expect(upstream()).toHaveLength(0);
    expect(jobs).toHaveLength(0);
  });

  it('answers help with the usage and the configured names', async () => {
    const handler = await load();
    const result = await handler(signed(form({ text: 'help' })), context());
    expect(answer(result).text).toContain(hostOf(a));
    expect(upstream()).toHaveLength(0);
  });

  it('refuses a response_url that is not Slack’s (or the test origin) before starting anything', async () => {
    const handler = await load();
    const result = await handler(
      signed(form({ response_url: 'https://evil.example.com/commands/x' })),
      context(),
    );
    expect((result as Result).statusCode).toBe(400);
    expect(jobs).toHaveLength(0);
    expect(upstream()).toHaveLength(0);
  });

  it('treats a redirect from response_url as a refusal and does not follow it', async () => {
    standInStatus = 302;
    const handler = await load();
    await handler(signed(form({})), context());
    expect(posts.map((post) => post.path)).toEqual([`/commands/T0001/1234/${RESPONSE_TOKEN}`]);
    expect(output.text()).toContain('Slack answer refused');
  });
});

describe('forgeries are refused, with nothing sent upstream or to response_url', () => {
  const body = form({ text: '' });
  const cases: [string, () => APIGatewayProxyEventV2, number, RegExp][] = [
    ['a wrong secret', () => signed(body, now(), 'not-the-secret'), 401, /X-Slack-Signature does not match/],
    [
      'a 1-byte change',
      () => {
        const event = signed(body);
        event.body = body.replace('C0001', 'C0002');
        return event;
      },
      401,
      /does not match/,
    ],
    [
      'a stale timestamp',
      () => signed(body, now() - 301),
      401,
      /X-Slack-Request-Timestamp is more than 300 seconds/,
    ],
    ['a future timestamp', () => signed(body, now() + 301), 401, /more than 300 seconds/],
    [
      'no signature',
      () => slackEvent(body, {}),
      401,
      /Signature missing: send X-Slack-Signature \+ X-Slack-Request-Timestamp/,
    ],
    [
      'a GitHub signature',
      () => slackEvent(body, { 'x-hub-signature-256': signGithub(SECRET, body) }),
      401,
      /X-Hub-Signature-256 is not accepted here: POST \/slack takes Slack slash commands/,
    ],
    [
      'a malformed signature',
      () => slackEvent(body, { 'x-slack-signature': 'v1=abc', 'x-slack-request-timestamp': String(now()) }),
      401,
      /X-Slack-Signature is not in the expected format \(v0=<64 hex digits>\)/,
    ],
    ['an oversize body', () => signed(form({ text: 'x'.repeat(65 * 1024) })), 413, /over 65536 bytes/],
  ];
  for (const [name, event, status, message] of cases) {
    it(`refuses ${name}`, async () => {
      const handler = await load();
      const result = (await handler(event(), context())) as Result;
      expect(result.statusCode).toBe(status);
      expect(answer(result).error).toMatch(message);
      expect(upstream()).toHaveLength(0);
      expect(posts).toHaveLength(0);
      expect(jobs).toHaveLength(0);
    });
  }

  it('refuses the same signed command a second time (replay inside the window)', async () => {
    const handler = await load({}, false);
    const event = signed(form({ text: hostOf(a) }));
    expect(((await handler(event, context())) as Result).statusCode).toBe(200);
    const again = (await handler(structuredClone(event), context())) as Result;
    expect(again.statusCode).toBe(401);
    expect(answer(again).error).toMatch(/already accepted/);
    expect(jobs).toHaveLength(1);
  });

  it('answers 404 when OTS_WEBHOOK_SCHEMES leaves Slack out, without reading the secret', async () => {
    const handler = await load({ OTS_WEBHOOK_SCHEMES: 'github,ots', OTS_WEBHOOK_SECRET: 'x' });
    const result = (await handler(signed(body), context())) as Result;
    expect(result.statusCode).toBe(404);
    expect(upstream()).toHaveLength(0);
  });

  it('keeps the signing secret, the signature and the response_url token out of answers and logs', async () => {
    const handler = await load({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const good = signed(form({}));
    const results = [
      await handler(good, context()),
      await handler(signed(form({}), now(), 'wrong'), context()),
      await handler(signed(form({ text: 'nope' })), context()),
    ];
    expect(posts).toHaveLength(1);
    const everything = [...results.map((r) => JSON.stringify(r)), output.text()].join('\n');
    for (const needle of [SECRET, RESPONSE_TOKEN, good.headers['x-slack-signature']!.slice(3)]) {
      expect(everything).not.toContain(needle);
    }
  });
});

describe('the late invocation', () => {
  it('posts nothing and does not throw (no Lambda retry) for a job it would not make', async () => {
    const handler = await load();
    for (const job of [
      { targets: ['evil.example.com'], responseUrl: `${origin}/commands/x` },
      { targets: [hostOf(a)], responseUrl: 'https://evil.example.com/commands/x' },
    ]) {
      const result = await handler(
        { kind: 'onetime-kit.slack-late-reply', responseType: 'ephemeral', ...job },
        context(),
      );
      expect(result).toEqual({ posted: false });
    }
    expect(upstream()).toHaveLength(0);
    expect(posts).toHaveLength(0);
  });

  it('logs a configuration error and resolves instead of throwing', async () => {
    const handler = await load({ OTS_API_VERSION: 'v9' });
    const job: LateReplyJob = {
      kind: 'onetime-kit.slack-late-reply',
      targets: [hostOf(a)],
      responseUrl: `${origin}/commands/x`,
      responseType: 'ephemeral',
    };
    expect(await handler(job, context())).toEqual({ posted: false });
    expect(output.text()).toContain('OTS_API_VERSION');
    expect(posts).toHaveLength(0);
  });
});

describe('response_url and its test stand-in', () => {
  const production = readWebhookSettings({ OTS_SLACK_SIGNING_SECRET: 's' });
  it('accepts only https://hooks.slack.com/commands/... in production', () => {
    expect(checkResponseUrl('https://hooks.slack.com/commands/T1/2/abc', production)?.host).toBe(
      'hooks.slack.com',
    );
    for (const bad of [
      'http://hooks.slack.com/commands/T1/2/abc',
      'https://hooks.slack.com:8443/commands/T1/2/abc',
      'https://hooks.slack.com.evil.example/commands/x',
      'https://evil.example/commands/x',
      'https://user:pw@hooks.slack.com/commands/x',
      'https://hooks.slack.com/services/T1/B2/abc',
      'http://127.0.0.1:9001/commands/x',
      'not a url',
      '',
    ]) {
      expect(checkResponseUrl(bad, production), bad).toBeUndefined();
    }
  });

  it('takes a test origin only as http://127.0.0.1:<port>, and never on Lambda', () => {
    const local = readWebhookSettings({ OTS_SLACK_TEST_RESPONSE_ORIGIN: 'http://127.0.0.1:5000' });
    expect(checkResponseUrl('http://127.0.0.1:5000/commands/x', local)).toBeDefined();
    expect(checkResponseUrl('https://hooks.slack.com/commands/x', local)).toBeUndefined();
    expect(checkResponseUrl('http://127.0.0.1:5001/commands/x', local)).toBeUndefined();
    for (const value of [
      'http://localhost:5000',
      'http://10.0.0.1:5000',
      'https://example.com',
      'http://127.0.0.1:5000/x',
    ]) {
      expect(() => readWebhookSettings({ OTS_SLACK_TEST_RESPONSE_ORIGIN: value })).toThrow(
        /local tests only/,
      );
    }
    expect(() =>
      readWebhookSettings({
        OTS_SLACK_TEST_RESPONSE_ORIGIN: 'http://127.0.0.1:5000',
        AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      }),
    ).toThrow(/unset it on AWS Lambda/);
  });

  it('refuses an OTS_SLACK_RESPONSE other than ephemeral or in_channel', () => {
    expect(() => readWebhookSettings({ OTS_SLACK_RESPONSE: 'public' })).toThrow(
      /OTS_SLACK_RESPONSE is not allowed: use one of ephemeral, in_channel\./,
    );
  });
});
