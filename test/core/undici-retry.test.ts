/**
 * Which code retries a read: at the package root, undici's retry interceptor (its RetryHandler), over
 * the shared agent and over a caller's dispatcher alike; a write never meets it. onetime-kit/fetch has
 * no interceptor to reach, so its own loop retries and undici's RetryHandler is never used. Both apply
 * the rules of src/http/retry.ts, and one deadline covers every attempt.
 */
import { Agent, RetryHandler } from 'undici';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { ServerError, TimeoutError } from '../../src/errors.js';
import * as viaFetch from '../../src/fetch.js';
import * as viaUndici from '../../src/index.js';
import { ALICE, useTestSandbox } from './helpers.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

// RetryHandler.retry() sends the attempt after a failed one; onResponseStart sees every answer it handles.
// undici's types declare only the constructor of RetryHandler, hence the cast.
const handler = RetryHandler.prototype as unknown as Record<'retry' | 'onResponseStart', () => void>;
let retries: MockInstance;
let answersSeen: MockInstance;
beforeEach(() => {
  retries = vi.spyOn(handler, 'retry');
  answersSeen = vi.spyOn(handler, 'onResponseStart');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const statuses = () => sandbox.requestLog.map((entry) => entry.status);

describe('the package root', () => {
  const agents: Agent[] = [];
  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.close();
  });
  const ownAgent = (): Agent => {
    const agent = new Agent();
    agents.push(agent);
    return agent;
  };
  const dispatchers = [
    ['the shared agent', () => undefined],
    ["the caller's dispatcher", ownAgent],
  ] as const;

  describe.each(dispatchers)('over %s', (_name, dispatcher) => {
    const client = () => viaUndici.createClient({ domain: sandbox.url, dispatcher: dispatcher(), ...ALICE });

    it("retries a read after a 503 through undici's RetryHandler", async () => {
      sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 503, times: 1 });
      expect((await client().status()).status).toBe('nominal');
      expect(statuses()).toEqual([503, 200]);
      expect(retries).toHaveBeenCalledTimes(1);
      expect(answersSeen).toHaveBeenCalledTimes(2);
    });

    it("retries a read after a reset through undici's RetryHandler", async () => {
      sandbox.addFault({ path: '/api/v2/status', fault: 'reset', times: 1 });
      expect((await client().status()).status).toBe('nominal');
      expect(sandbox.stats().requests).toBe(2);
      expect(retries).toHaveBeenCalledTimes(1);
    });

    it('hands the last answer back after two retries: ServerError, three requests', async () => {
      sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 503 });
      await expect(client().status()).rejects.toBeInstanceOf(ServerError);
      expect(statuses()).toEqual([503, 503, 503]);
      expect(retries).toHaveBeenCalledTimes(2);
    });

    it('sends a write past the retry interceptor', async () => {
      sandbox.addFault({ path: '/api/v2/secret/conceal', method: 'POST', fault: 'status', status: 503 });
      await expect(client().share({ secret: 'once only' })).rejects.toBeInstanceOf(ServerError);
      expect(statuses()).toEqual([503]);
      expect(answersSeen).not.toHaveBeenCalled();
    });
  });
});

describe('onetime-kit/fetch', () => {
  it("retries a read after a 503 in its own loop, without undici's RetryHandler", async () => {
    sandbox.addFault({ path: '/api/v2/status', fault: 'status', status: 503, times: 1 });
    expect((await viaFetch.createClient({ domain: sandbox.url }).status()).status).toBe('nominal');
    expect(statuses()).toEqual([503, 200]);
    expect(answersSeen).not.toHaveBeenCalled();
  });
});

describe.each([
  ['undici', viaUndici.createClient],
  ['fetch', viaFetch.createClient],
] as const)('through %s, one deadline covers the retries', (_sender, createClient) => {
  it('a retry that hangs ends at the call deadline with TimeoutError', async () => {
    // The 429 asks for a 1 s wait, which fits in the 1.5 s deadline; the retry then hangs. Only the
    // call's own deadline can end it, and no third attempt starts.
    sandbox.addFault({ path: '/api/v2/status', fault: 'rate-limit', retryAfter: 1, times: 1 });
    sandbox.addFault({ path: '/api/v2/status', fault: 'hang' });
    const error = await createClient({ domain: sandbox.url, timeoutMs: 1500 })
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/within 1500 ms/);
    expect(sandbox.stats().requests).toBe(2);
  });
});
