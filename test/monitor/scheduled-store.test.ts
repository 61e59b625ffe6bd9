/**
 * The scheduled function with its memory: the real handler, the real AWS SDK against dynalite on
 * loopback, sandboxes as targets (faults injected through their admin API) and a node:http receiver
 * standing in for Slack/Teams/Discord (they cannot run here). Re-checks run at once (OTS_RECHECK_SECONDS=0).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput, ScheduledResult } from '../../functions/scheduled.js';
import { signOts } from '../../functions/signature.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv } from '../functions/helpers.js';
import { startTestStore, type TestStore } from './store-helpers.js';

type Handler = (event: ScheduledInput, context: Context) => Promise<ScheduledResult>;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

let a: Sandbox;
let b: Sandbox;
let store: TestStore;
let receiver: Server;
let origin: string;
let receiverStatus = 204;
const received: Received[] = [];
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;
const SECRET_PATH = '/services/T000/B000/hook-s3cr3t-path';

const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;
const event = () => sampleEvent<ScheduledEvent>('scheduled-event');

async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  restoreEnv?.();
  restoreEnv = setEnv({
    OTS_TARGETS: `${a.url},${b.url}`,
    OTS_RECHECK_SECONDS: '0',
    OTS_NOTIFY_URL: `${origin}${SECRET_PATH}`,
    OTS_NOTIFY_FORMAT: 'json',
    ...store.env,
    ...env,
  });
  vi.resetModules();
  return (await import('../../functions/scheduled.js')).handler as Handler;
}

/** A fault through the sandbox's admin API, as a user of `npm start` would inject it. */
async function inject(sandbox: Sandbox, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(response.status).toBe(201);
}

async function clear(sandbox: Sandbox): Promise<void> {
  expect((await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
}

const transitionsOf = (r: Received) => r.body.transitions as Record<string, unknown>[];

beforeAll(async () => {
  [a, b, store] = await Promise.all([startSandbox(), startSandbox(), startTestStore()]);
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ path: request.url ?? '', headers: request.headers, raw, body: JSON.parse(raw) });
      response.writeHead(receiverStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), store.stop()]);
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(async () => {
  // Each test gets targets of its own in the table: a fresh table per test.
  await store.stop();
  store = await startTestStore();
  for (const sandbox of [a, b]) {
    sandbox.resetStats();
    sandbox.clearFaults();
  }
  received.length = 0;
  receiverStatus = 204;
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('one notification per incident', () => {
  it('a fault becomes one "down" after confirmation and clearing it one "recovered", however many runs', async () => {
    const handler = await loadHandler();
    await handler(event(), lambdaContext('scheduled'));
    expect(received).toHaveLength(0);

    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    const first = await handler(event(), lambdaContext('scheduled'));
    // The bad check was re-checked in the same run: two bad checks (both stored) confirm it.
    const checks = (await store.items(hostOf(b))).filter((item) => String(item.sk).startsWith('CHECK#'));
    expect(checks.map((item) => item.state)).toEqual(['nominal', 'down', 'down']);
    expect(first.transitions.map((t) => [t.target, t.from, t.to])).toEqual([[hostOf(b), 'nominal', 'down']]);
    expect(first.notified).toBe(true);
    for (let run = 0; run < 4; run += 1) await handler(event(), lambdaContext('scheduled'));
    expect(received).toHaveLength(1);
    const [down] = received;
    expect(down?.body).toMatchObject({
      state: 'down',
      text: expect.stringContaining(`${hostOf(b)} is down`),
    });
    expect(transitionsOf(down!)).toEqual([
      {
        target: hostOf(b),
        from: 'nominal',
        to: 'down',
        at: expect.any(String),
        incidentId: expect.any(String),
        message: expect.any(String),
      },
    ]);

    await clear(b);
    await handler(event(), lambdaContext('scheduled'));
    await handler(event(), lambdaContext('scheduled'));
    expect(received).toHaveLength(2);
    const recovered = transitionsOf(received[1]!);
    expect(recovered).toEqual([
      expect.objectContaining({
        target: hostOf(b),
        from: 'down',
        to: 'nominal',
        incidentId: transitionsOf(down!)[0]?.incidentId,
      }),
    ]);
    expect(recovered[0]?.durationSeconds).toEqual(expect.any(Number));

    // The incident is recorded whole: start, end, duration, worst state, first and last message.
    const incidents = (await store.items(hostOf(b))).filter((item) => String(item.sk).startsWith('INC#'));
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      worst: 'down',
      end: expect.any(String),
      durationSeconds: recovered[0]?.durationSeconds,
      firstMessage: expect.any(String),
      lastMessage: expect.any(String),
      lastDelivery: { accepted: 1, failed: 0 },
    });
    expect(incidents[0]?.expiresAt).toEqual(expect.any(Number));
  });

  it('a bad check that the re-check does not confirm announces nothing', async () => {
    const handler = await loadHandler();
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 500, times: 1 });
    const result = await handler(event(), lambdaContext('scheduled'));
    expect(result.transitions).toEqual([]);
    expect(result.state).toBe('nominal'); // the answer carries the latest check: the re-check
    expect(received).toHaveLength(0);
  });

  it('two scheduled runs started at once still produce one notification', async () => {
    const handler = await loadHandler();
    await inject(a, { path: '/api/v2/status', fault: 'status', status: 503 });
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    const runs = await Promise.all([1, 2, 3].map(() => handler(event(), lambdaContext('scheduled'))));
    expect(runs.flatMap((r) => r.transitions)).toHaveLength(2);
    // One message per receiver for the run, with both targets' transitions in it (not one each).
    expect(received).toHaveLength(1);
    expect(
      transitionsOf(received[0]!)
        .map((t) => t.target)
        .sort(),
    ).toEqual([hostOf(a), hostOf(b)].sort());
  });

  it('re-announces an open incident after OTS_REMIND_MINUTES', async () => {
    const handler = await loadHandler({ OTS_REMIND_MINUTES: '1' });
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    await handler(event(), lambdaContext('scheduled'));
    await handler(event(), lambdaContext('scheduled'));
    expect(received).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      await handler(event(), lambdaContext('scheduled'));
    } finally {
      vi.useRealTimers();
    }
    expect(received).toHaveLength(2);
    expect(received[1]?.body.text).toMatch(/is still down/);
  });
});

describe('delivery', () => {
  it('a failed delivery is recorded on the incident and retried at the next run, once', async () => {
    const handler = await loadHandler();
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    receiverStatus = 503;
    const first = await handler(event(), lambdaContext('scheduled'));
    expect(first).toMatchObject({ notified: false, stored: true });
    const [incident] = (await store.items(hostOf(b))).filter((item) => String(item.sk).startsWith('INC#'));
    expect(incident).toMatchObject({ deliveryAttempts: 1, lastDelivery: { accepted: 0, failed: 1 } });
    expect(JSON.stringify(incident)).not.toContain(SECRET_PATH);

    receiverStatus = 204;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 }); // past the first run's delivery lease
    try {
      const second = await handler(event(), lambdaContext('scheduled'));
      expect(second.notified).toBe(true);
      await handler(event(), lambdaContext('scheduled'));
    } finally {
      vi.useRealTimers();
    }
    expect(received.map((r) => transitionsOf(r).map((t) => t.to))).toEqual([['down'], ['down']]);
    const [retried] = (await store.items(hostOf(b))).filter((item) => String(item.sk).startsWith('INC#'));
    expect(retried).toMatchObject({ deliveryAttempts: 2, lastDelivery: { accepted: 1, failed: 0 } });
  });

  it('sends one message to each receiver, and logs only their origins', async () => {
    const handler = await loadHandler({
      OTS_NOTIFY_URL: `${origin}${SECRET_PATH}, ${origin}/second/s3cr3t-too`,
    });
    await inject(b, { path: '/api/v2/status', fault: 'reset' });
    await handler(event(), lambdaContext('scheduled'));
    expect(received.map((r) => r.path).sort()).toEqual([SECRET_PATH, '/second/s3cr3t-too'].sort());
    expect(output.text()).toContain(origin);
    expect(output.text()).not.toContain('s3cr3t');
  });

  it('reads the URLs from OTS_NOTIFY_URL_PARAMETER (SSM), and logs neither the parameter value nor the path', async () => {
    // A loopback stand-in for SSM's GetParameter (AWS itself cannot run here), reached by the real SDK.
    const ssm = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const ok = request.headers['x-amz-target'] === 'AmazonSSM.GetParameter';
        response.writeHead(ok ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify(
            ok
              ? { Parameter: { Name: '/ots/notify', Type: 'SecureString', Value: `${origin}${SECRET_PATH}` } }
              : {},
          ),
        );
      });
    });
    await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve));
    try {
      const handler = await loadHandler({
        OTS_NOTIFY_URL: '',
        OTS_NOTIFY_URL_PARAMETER: '/ots/notify',
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
      });
      await inject(b, { path: '/api/v2/status', fault: 'status', status: 500 });
      const result = await handler(event(), lambdaContext('scheduled'));
      expect(result.notified).toBe(true);
      expect(received.map((r) => r.path)).toEqual([SECRET_PATH]);
      expect(output.text()).not.toContain(SECRET_PATH);
    } finally {
      await new Promise((resolve) => ssm.close(resolve));
    }
  });

  it('signs json notifications with X-OTS-Signature when OTS_NOTIFY_SECRET is set', async () => {
    const handler = await loadHandler({ OTS_NOTIFY_SECRET: 'notify-secret-value' });
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 500 });
    await handler(event(), lambdaContext('scheduled'));
    const [message] = received;
    const header = message?.headers['x-ots-signature'];
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // The webhook's own signer over the exact bytes received, with the header's timestamp: the same
    // code a receiver (this project's webhook among them) verifies with.
    const timestamp = Number(/^t=(\d+)/.exec(header as string)?.[1]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(header).toBe(signOts('notify-secret-value', message!.raw, timestamp));
    expect(header).not.toBe(signOts('another-secret', message!.raw, timestamp));
    expect(output.text()).not.toContain('notify-secret-value');
  });

  it('a redirect is a refusal: nothing is POSTed again elsewhere, and the check does not fail', async () => {
    receiverStatus = 307;
    const handler = await loadHandler();
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 500 });
    const result = await handler(event(), lambdaContext('scheduled'));
    expect(result).toMatchObject({ notified: false, state: 'down' });
    expect(received).toHaveLength(1);
  });
});

describe('formats', () => {
  const cases: [string, (body: Record<string, unknown>) => void][] = [
    ['slack', (body) => expect(body.text).toMatch(/^\*Onetime Secret: down\*\n• .+ is down/)],
    [
      'discord',
      (body) => {
        expect(body.content).toMatch(/^\*\*Onetime Secret: down\*\*/);
        expect(body.allowed_mentions).toEqual({ parse: [] });
      },
    ],
    [
      'teams',
      (body) => {
        const [attachment] = body.attachments as {
          contentType: string;
          content: { type: string; body: { text: string }[] };
        }[];
        expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        expect(attachment?.content.type).toBe('AdaptiveCard');
        expect(attachment?.content.body.map((block) => block.text).join('\n')).toMatch(/is down/);
      },
    ],
  ];
  for (const [format, expectBody] of cases) {
    it(`OTS_NOTIFY_FORMAT=${format}`, async () => {
      const handler = await loadHandler({ OTS_NOTIFY_FORMAT: format });
      await inject(b, { path: '/api/v2/status', fault: 'status', status: 500 });
      await handler(event(), lambdaContext('scheduled'));
      expect(received).toHaveLength(1);
      expectBody(received[0]!.body);
    });
  }
});

describe('the store down or throttled', () => {
  const emfUp = () =>
    output
      .lines()
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as { Target: string; Up: number; Transitions: number });

  it('stopped: the check runs, metrics are emitted, one clear log line, nothing sent', async () => {
    const handler = await loadHandler();
    await store.stop();
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    const result = await handler(event(), lambdaContext('scheduled'));
    expect(result).toMatchObject({ state: 'down', stored: false, transitions: [] });
    expect(emfUp().map((blob) => [blob.Target, blob.Up])).toEqual([
      [hostOf(a), 1],
      [hostOf(b), 0], // confirmed within the run: the check and its re-check
    ]);
    expect(output.lines().filter((line) => line.includes('The history store is unavailable'))).toHaveLength(
      1,
    );
    expect(received).toHaveLength(0);
    store = await startTestStore();
  });

  it('throttled: the same, and the next run with the store back records the incident', async () => {
    const handler = await loadHandler();
    store.local.fail({ status: 400, type: 'ProvisionedThroughputExceededException', message: 'slow down' });
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    const throttled = await handler(event(), lambdaContext('scheduled'));
    expect(throttled).toMatchObject({ state: 'down', stored: false });
    expect(output.text()).toContain('ProvisionedThroughputExceededException');
    expect(emfUp()).toHaveLength(2);
    store.local.fail(undefined);
    const back = await handler(event(), lambdaContext('scheduled'));
    expect(back).toMatchObject({ stored: true, notified: true });
    expect(received).toHaveLength(1);
  });

  it('a malformed stored state is skipped with a warning and replaced', async () => {
    const handler = await loadHandler();
    await handler(event(), lambdaContext('scheduled'));
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await store.client.send(
      new PutCommand({
        TableName: store.table,
        Item: { pk: `T#${hostOf(b)}`, sk: 'STATE', state: 'sideways' },
      }),
    );
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    const result = await handler(event(), lambdaContext('scheduled'));
    expect(output.text()).toMatch(/stored state of a target is malformed/);
    expect(result.transitions.map((t) => t.to)).toEqual(['down']);
    expect(received).toHaveLength(1);
  });
});

describe('what is stored', () => {
  it('every check with the status fields, the day rollup and the state, never a secret', async () => {
    const token = 'tok-history-s3cr3t';
    const handler = await loadHandler({ OTS_USERNAME: 'demo@example.com', OTS_TOKEN: token });
    await inject(b, { path: '/api/v2/status', fault: 'status', status: 503 });
    await handler(event(), lambdaContext('scheduled'));
    const items = await store.items(hostOf(b));
    const kinds = items.map((item) => String(item.sk).replace(/#.*/, ''));
    expect(kinds).toEqual(['CHECK', 'CHECK', 'DAY', 'INC', 'STATE']);
    expect(items[0]).toMatchObject({
      target: hostOf(b),
      state: 'down',
      httpStatus: 503,
      url: expect.any(String),
    });
    expect(items[2]).toMatchObject({ checks: 2, down: 2, samples: [expect.any(Array), expect.any(Array)] });
    expect(items[4]).toMatchObject({ state: 'down', version: expect.any(Number), outbox: [], journal: [] });
    expect(JSON.stringify(items)).not.toContain(token);
    expect(JSON.stringify(items)).not.toContain(SECRET_PATH);
  });
});
