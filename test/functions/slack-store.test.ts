/**
 * POST /slack answered from the history table: after the scheduled function has recorded fresh results
 * (dynalite on loopback, the real AWS SDK), a signed command is answered at once in the HTTP response,
 * in any container, with no upstream call and no late invocation. Stale results, or a store that does
 * not answer, fall back to the acknowledgement and the late answer. Slack itself cannot run here: the
 * late invocation is recorded, not run.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledInput } from '../../functions/scheduled.js';
import { signSlack } from '../../functions/signature-slack.js';
import type { LateReplyJob } from '../../functions/slack-reply.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { startTestStore, type TestStore } from '../monitor/store-helpers.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv, statusReads, webhookEvent } from './helpers.js';

type Result = APIGatewayProxyStructuredResultV2;
type SlackHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
type ScheduledHandler = (event: ScheduledInput, context: Context) => Promise<unknown>;

const SECRET = 'slack-signing-secret-store-5e4d3c';
const ORIGIN = 'http://127.0.0.1:9'; // never posted to: these tests record the late job instead

let sandbox: Sandbox;
let store: TestStore;
let restoreEnv: (() => void) | undefined;
let output: ReturnType<typeof captureOutput>;
let jobs: LateReplyJob[];

async function load(env: Record<string, string> = {}) {
  restoreEnv?.();
  restoreEnv = setEnv({
    OTS_TARGETS: sandbox.url,
    OTS_RECHECK_SECONDS: '0',
    OTS_SLACK_SIGNING_SECRET: SECRET,
    OTS_SLACK_TEST_RESPONSE_ORIGIN: ORIGIN,
    ...store.env,
    ...env,
  });
  vi.resetModules();
  const slack = await import('../../functions/slack.js');
  slack.setLateReplyStarter((job) => {
    jobs.push(job);
    return Promise.resolve();
  });
  const scheduled = (await import('../../functions/scheduled.js')).handler as ScheduledHandler;
  return { slack: slack.handler as SlackHandler, scheduled };
}

function command(): APIGatewayProxyEventV2 {
  const body = new URLSearchParams({
    command: '/ots-status',
    text: '',
    response_url: `${ORIGIN}/commands/T0001/1234/token`,
  }).toString();
  const t = Math.floor(Date.now() / 1000);
  const event = webhookEvent(body, {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-signature': signSlack(SECRET, body, t),
    'x-slack-request-timestamp': String(t),
  });
  event.routeKey = 'POST /slack';
  event.rawPath = '/slack';
  event.requestContext.http.path = '/slack';
  event.requestContext.routeKey = 'POST /slack';
  return event;
}

const answer = (result: unknown) =>
  JSON.parse((result as Result).body ?? '{}') as { text?: string; blocks?: unknown[] };
/** The acknowledgement says it is checking; the answer itself carries the state per target. */
const acknowledged = (result: unknown) => /^Checking /.test(answer(result).text ?? '');

beforeAll(async () => {
  [sandbox, store] = await Promise.all([startSandbox(), startTestStore()]);
});

afterAll(async () => {
  await Promise.all([sandbox.stop(), store.stop()]);
});

beforeEach(() => {
  jobs = [];
  sandbox.resetStats();
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  restoreEnv?.();
  restoreEnv = undefined;
});

describe('a slash command with the history table', () => {
  it('is answered at once from fresh stored results, with no upstream call and no late answer', async () => {
    const { scheduled } = await load();
    await scheduled(sampleEvent('scheduled-event'), lambdaContext('scheduled'));
    sandbox.resetStats();
    // A new container: its own cache is empty, so only the store can make the answer fresh.
    const fresh = await load();
    const result = await fresh.slack(command(), lambdaContext('slack'));
    expect((result as Result).statusCode).toBe(200);
    expect(acknowledged(result)).toBe(false);
    expect(JSON.stringify(answer(result).blocks)).toContain(new URL(sandbox.url).host);
    expect(JSON.stringify(answer(result).blocks)).toContain('nominal');
    expect(jobs).toHaveLength(0);
    expect(statusReads(sandbox.requestLog)).toBe(0);
  });

  it('is acknowledged and answered late when the stored results are older than the max age', async () => {
    const { scheduled } = await load();
    await scheduled(sampleEvent('scheduled-event'), lambdaContext('scheduled'));
    const stale = await load({ OTS_STATUS_MAX_AGE_SECONDS: '0' });
    const result = await stale.slack(command(), lambdaContext('slack'));
    expect((result as Result).statusCode).toBe(200);
    expect(acknowledged(result)).toBe(true);
    expect(jobs).toHaveLength(1);
  });

  it('is acknowledged and answered late, with one log line, when the store does not answer', async () => {
    const down = await load({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const result = await down.slack(command(), lambdaContext('slack'));
    expect((result as Result).statusCode).toBe(200);
    expect(acknowledged(result)).toBe(true);
    expect(jobs).toHaveLength(1);
    expect(output.text()).toContain('The history store is unavailable: the Slack command is answered late');
  });
});
