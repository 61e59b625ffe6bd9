/**
 * OTS_ALLOW_HTTP=true in the functions, end to end: the scheduled handler checks a sandbox reached as
 * `http://ots:<port>` (the name resolves to loopback only inside this test file's worker, as Docker's
 * DNS would resolve a service container), with a warning in its logs; without the opt-in the
 * invocation fails naming the variables, and no request is sent.
 */
import dns from 'node:dns';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { StatusReport } from '../../src/types.js';
import { captureOutput, lambdaContext, sampleEvent, setEnv } from '../functions/helpers.js';

type Handler = (event: ScheduledEvent, context: Context) => Promise<StatusReport>;

const original = dns.lookup;
let sandbox: Sandbox;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
  // biome-ignore lint/suspicious/noExplicitAny: dns.lookup's overloads, forwarded as they come
  (dns as any).lookup = (hostname: string, options: any, callback: any) => {
    if (hostname !== 'ots') return original(hostname, options, callback);
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options?.all;
    process.nextTick(() =>
      all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
    );
    return {};
  };
});
afterAll(async () => {
  (dns as { lookup: typeof original }).lookup = original;
  await sandbox.stop();
});
afterEach(() => restoreEnv?.());

async function handlerWith(env: Record<string, string>): Promise<Handler> {
  restoreEnv = setEnv(env);
  vi.resetModules();
  return (await import('../../functions/scheduled.js')).handler as unknown as Handler;
}

describe('the scheduled function with OTS_ALLOW_HTTP', () => {
  it('checks http://ots:<port> with the opt-in, warning that it is clear text', async () => {
    const output = captureOutput();
    try {
      const handler = await handlerWith({
        OTS_TARGETS: `http://ots:${sandbox.port}`,
        OTS_ALLOW_HTTP: 'true',
      });
      const result = await handler(
        sampleEvent<ScheduledEvent>('scheduled-event'),
        lambdaContext('scheduled'),
      );
      expect(result.state).toBe('nominal');
      expect(result.results[0]?.target).toBe(`ots:${sandbox.port}`);
    } finally {
      output.restore();
    }
    expect(output.text()).toContain(`allow-http: ots:${sandbox.port} is reached over plain http://`);
  });

  it('fails the invocation without the opt-in, naming the variable, and sends nothing', async () => {
    const before = sandbox.requestLog.length;
    const handler = await handlerWith({ OTS_TARGETS: `http://ots:${sandbox.port}` });
    const output = captureOutput();
    try {
      await expect(
        handler(sampleEvent<ScheduledEvent>('scheduled-event'), lambdaContext('scheduled')),
      ).rejects.toThrow(/OTS_TARGETS.*OTS_ALLOW_HTTP=true/s);
    } finally {
      output.restore();
    }
    expect(sandbox.requestLog.length).toBe(before);
  });
});
