/**
 * The scheduled function against sandboxes on loopback: the Scheduled Event envelope and a custom input,
 * EMF output parsed from stdout, and the notification POST received by a loopback node:http server.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput, ScheduledResult } from '../../functions/scheduled.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv, statusReads } from './helpers.js';

type Handler = (event: ScheduledInput, context: Context) => Promise<ScheduledResult>;

interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

let a: Sandbox;
let b: Sandbox;
let bystander: Sandbox;
let receiver: Server;
let receiverUrl: string;
let receiverStatus = 204;
const received: Received[] = [];
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;

const hostOf = (sandbox: Sandbox) => new URL(sandbox.url).host;

async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  restoreEnv = setEnv({ OTS_TARGETS: `${a.url},${b.url}`, OTS_RECHECK_SECONDS: '0', ...env });
  vi.resetModules();
  return (await import('../../functions/scheduled.js')).handler as Handler;
}

interface EmfBlob {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

function emfBlobs(): EmfBlob[] {
  return output
    .lines()
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfBlob);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  [a, b, bystander] = await Promise.all([startSandbox(), startSandbox(), startSandbox()]);
  receiver = createServer((request, response) => {
    void readJson(request).then((body) => {
      received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body });
      const redirect = receiverStatus >= 300 && receiverStatus < 400;
      response.writeHead(receiverStatus, redirect ? { location: '/hooks/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/ots-alerts`;
});

afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), bystander.stop()]);
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
  for (const sandbox of [a, b, bystander]) {
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

describe('EMF metrics', () => {
  it('emits one blob per target with Up and LatencyMs under OnetimeSecret, dimension Target', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 500 });
    const handler = await loadHandler();
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    expect(result.state).toBe('down');

    const blobs = emfBlobs();
    expect(blobs).toHaveLength(2);
    const byTarget = new Map(blobs.map((blob) => [blob.Target, blob]));
    for (const [sandbox, up] of [
      [a, 1],
      [b, 0],
    ] as const) {
      const blob = byTarget.get(hostOf(sandbox));
      expect(blob, `blob for ${hostOf(sandbox)}`).toBeDefined();
      const [directive] = blob!._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe('OnetimeSecret');
      expect(directive?.Dimensions).toEqual([['service', 'Target']]);
      expect(blob!.service).toBe('onetime-kit');
      expect(blob!.Up).toBe(up);
      expect(directive?.Metrics).toContainEqual({ Name: 'Up', Unit: 'Count' });
    }
    const upBlob = byTarget.get(hostOf(a))!;
    expect(upBlob._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'LatencyMs',
      Unit: 'Milliseconds',
    });
    expect(typeof upBlob.LatencyMs).toBe('number');
    expect(upBlob.LatencyMs as number).toBeGreaterThanOrEqual(0);
  });

  it('follows POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME', async () => {
    const handler = await loadHandler({
      POWERTOOLS_METRICS_NAMESPACE: 'Custom/Ots',
      POWERTOOLS_SERVICE_NAME: 'probe',
    });
    await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    const blobs = emfBlobs();
    expect(blobs.map((blob) => blob._aws.CloudWatchMetrics[0]?.Namespace)).toEqual([
      'Custom/Ots',
      'Custom/Ots',
    ]);
    expect(blobs.map((blob) => blob.service)).toEqual(['probe', 'probe']);
  });
});

describe('the result', () => {
  const stateOf = (result: ScheduledResult, sandbox: Sandbox) =>
    result.results.find((r) => r.target === hostOf(sandbox))?.state;

  it('is made of the latest check of each target: a target nominal on its re-check makes it nominal', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status-word', statusWord: 'offline', times: 1 });
    const handler = await loadHandler();
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    expect(statusReads(b.requestLog)).toBe(2);
    expect([stateOf(result, a), stateOf(result, b)]).toEqual(['nominal', 'nominal']);
    expect(result.state).toBe('nominal');
    expect(result.checkedAt).toBe(result.results.map((r) => r.checkedAt).sort()[0]);
  });

  it('is as bad as the worst latest check', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status-word', statusWord: 'offline' });
    const handler = await loadHandler();
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    expect(statusReads(b.requestLog)).toBe(2);
    expect([stateOf(result, a), stateOf(result, b)]).toEqual(['nominal', 'degraded']);
    expect(result.state).toBe('degraded');
  });
});

describe('log lines', () => {
  it('says why a down target is down, under a key Powertools does not reserve', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 503 });
    const handler = await loadHandler();
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    const down = result.results.find((r) => r.target === hostOf(b));
    expect(down?.state).toBe('down');
    const lines = output.lines().filter((line) => line.startsWith('{') && !line.includes('"_aws"'));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const entry = entries.find((e) => e.message === 'Target checked' && e.target === hostOf(b));
    expect(entry).toMatchObject({ level: 'WARN', state: 'down', httpStatus: 503, reason: down?.message });
    expect(String(entry?.reason)).toMatch(/503/);
    expect(output.text()).not.toContain('reserved key');
  });
});

describe('targets', () => {
  it('checks every configured target for the Scheduled Event envelope', async () => {
    const handler = await loadHandler();
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    expect(result.results.map((r) => r.target)).toEqual([hostOf(a), hostOf(b)]);
    expect(statusReads(a.requestLog)).toBe(1);
    expect(statusReads(b.requestLog)).toBe(1);
  });

  it('narrows to the configured targets a custom input names', async () => {
    const handler = await loadHandler();
    const input = sampleEvent<{ targets: string[] }>('scheduled-custom-input');
    input.targets = [hostOf(b)];
    const result = await handler(input, lambdaContext('scheduled'));
    expect(result.results.map((r) => r.target)).toEqual([hostOf(b)]);
    expect(a.requestLog).toHaveLength(0);
  });

  it('fails on a custom input naming a target that is not configured, and sends nothing', async () => {
    const handler = await loadHandler();
    await expect(
      handler({ targets: [hostOf(a), bystander.url] }, lambdaContext('scheduled')),
    ).rejects.toThrow(/targets\[1\] is not a configured target/);
    await expect(handler({ targets: 'eu' }, lambdaContext('scheduled'))).rejects.toThrow(/must be a list/);
    expect([...a.requestLog, ...b.requestLog, ...bystander.requestLog]).toHaveLength(0);
  });

  it('fails the invocation on a bad configuration value, naming the variable', async () => {
    const handler = await loadHandler({ OTS_CHECK_DEPTH: 'deep' });
    await expect(
      handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled')),
    ).rejects.toThrow(/OTS_CHECK_DEPTH/);
    expect(a.requestLog).toHaveLength(0);
  });
});

describe('notifications without a history table', () => {
  // With a table, test/monitor/scheduled-store.test.ts covers them (one per incident, formats, retries).
  it('sends none: without memory there is no incident to announce once', async () => {
    b.addFault({ path: '/api/v2/status', fault: 'reset' });
    const handler = await loadHandler({ OTS_NOTIFY_URL: receiverUrl });
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    expect(result).toMatchObject({ state: 'down', stored: false, transitions: [] });
    expect(result.notified).toBeUndefined();
    expect(received).toHaveLength(0);
  });

  const bad: [string, RegExp][] = [
    ['http://alerts.example.com/hook', /^OTS_NOTIFY_URL must use https/],
    ['not a url', /^OTS_NOTIFY_URL is not a URL/],
    ['https://user:pw@hooks.example.com/', /^OTS_NOTIFY_URL must not contain user info/],
    ['https://hooks.example.com/a, http://alerts.example.com/b', /^OTS_NOTIFY_URL URL 2 must use https/],
  ];
  for (const [value, message] of bad) {
    it(`refuses OTS_NOTIFY_URL ${JSON.stringify(value)} at configuration time, never echoing it`, async () => {
      const handler = await loadHandler({ OTS_NOTIFY_URL: value });
      const error = await handler(
        sampleEvent<ScheduledEvent>('scheduled-event'),
        lambdaContext('scheduled'),
      ).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('example.com');
      expect([...a.requestLog, ...b.requestLog]).toHaveLength(0);
    });
  }
});

describe('secrets stay secret', () => {
  it('logs no token or Basic value, in the logs or the EMF blobs', async () => {
    const token = 'tok-scheduled-s3cr3t-value';
    const basic = Buffer.from(`ops@example.com:${token}`).toString('base64');
    b.addFault({ path: '/api/v2/status', fault: 'status', status: 500 });
    const handler = await loadHandler({
      OTS_USERNAME: 'ops@example.com',
      OTS_TOKEN: token,
      OTS_NOTIFY_URL: receiverUrl,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    const result = await handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled'));
    const everything = [output.text(), JSON.stringify(result), JSON.stringify(received)].join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(basic);
    expect(a.requestLog.some((entry) => entry.authenticated)).toBe(true);
  });
});
