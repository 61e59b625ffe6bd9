/**
 * Faults over real loopback sockets: timeouts, hangs, resets, 5xx, 429, bodies that are not JSON or too
 * big; reads retried, writes never sent twice; one keep-alive connection per origin. Every case runs
 * through both senders: undici (the package root) and the runtime's fetch (onetime-kit/fetch).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import {
  BadResponseError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../src/errors.js';
import * as viaFetch from '../../src/fetch.js';
import * as viaUndici from '../../src/index.js';
import type { ApiVersion, Client } from '../../src/types.js';
import { ALICE, requests, startTestSandbox, useTestSandbox } from './helpers.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

/** The log entry of an aborted request appears when its socket closes: wait for it. */
async function settledLog(count: number): Promise<string[]> {
  for (let i = 0; i < 50 && sandbox.requestLog.length < count; i++) await sleep(20);
  await sleep(50);
  return requests(sandbox);
}

/** What the call was rejected with (undefined when it resolved). */
async function errorOf<T>(promise: Promise<T>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

const SENDERS = [
  ['undici', viaUndici.createClient],
  ['fetch', viaFetch.createClient],
] as const;

describe.each(SENDERS)('through %s', (_sender, createClient) => {
  describe.each<ApiVersion>(['v1', 'v2'])('API %s', (apiVersion) => {
    const client = (timeoutMs = 5000): Client => createClient({ domain: sandbox.url, apiVersion, timeoutMs });
    const statusPath = `/api/${apiVersion}/status`;

    // A call that waited for the answer would resolve with it: rejecting with TimeoutError is the deadline.
    it('ends a slow answer at the deadline with TimeoutError naming it, and does not retry', async () => {
      sandbox.addFault({ path: statusPath, latencyMs: 30_000 });
      const error = await errorOf(client(400).status());
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toMatch(/within 400 ms/);
      expect(sandbox.stats().requests).toBe(1);
    });

    it('ends a hang at the deadline', async () => {
      sandbox.addFault({ path: statusPath, fault: 'hang' });
      const error = await errorOf(client(400).status());
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toMatch(/within 400 ms/);
      expect(sandbox.stats().requests).toBe(1);
    });

    it('retries a read after a reset, and gives up with NetworkError after two retries', async () => {
      sandbox.addFault({ path: statusPath, fault: 'reset', times: 1 });
      expect((await client().status()).status).toBe('nominal');
      expect(sandbox.stats().requests).toBe(2);

      sandbox.resetStats();
      sandbox.addFault({ path: statusPath, fault: 'reset' });
      await expect(client().status()).rejects.toBeInstanceOf(NetworkError);
      expect(sandbox.stats().requests).toBe(3);
    });

    it('retries a read after a 5xx, and reports ServerError when it persists', async () => {
      sandbox.addFault({ path: statusPath, fault: 'status', status: 502, times: 1 });
      expect((await client().status()).status).toBe('nominal');
      expect(await settledLog(2)).toEqual([`GET ${statusPath}`, `GET ${statusPath}`]);
      expect(sandbox.requestLog.map((e) => e.status)).toEqual([502, 200]);

      sandbox.resetStats();
      sandbox.addFault({ path: statusPath, fault: 'not-ready' });
      await expect(client().status()).rejects.toMatchObject({ name: 'ServerError', httpStatus: 503 });
      await expect(client().status()).rejects.toThrow(/starting up/);
    });

    // v1 never answers 429: its limiter is a 404 with a message and no Retry-After (docs/ots-api.md 1.10).
    it.runIf(apiVersion === 'v1')(
      'maps v1 rate limiting (404) to RateLimitError at once, never retried',
      async () => {
        sandbox.addFault({ path: statusPath, fault: 'rate-limit' });
        const error = await errorOf(client().status());
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).httpStatus).toBe(404);
        expect((error as RateLimitError).retryAfterSeconds).toBeUndefined();
        expect(sandbox.stats().requests).toBe(1);
      },
    );

    it.runIf(apiVersion !== 'v1')('waits for Retry-After before retrying a read', async () => {
      sandbox.addFault({ path: statusPath, fault: 'rate-limit', retryAfter: 1, times: 1 });
      // The wait the client schedules, read from its timer, not from a stopwatch: Retry-After plus jitter.
      const timers = vi.spyOn(globalThis, 'setTimeout');
      try {
        expect((await client().status()).status).toBe('nominal');
        const waits = timers.mock.calls.map(([, ms]) => ms ?? 0).filter((ms) => ms >= 1000 && ms < 1100);
        expect(waits).toHaveLength(1);
      } finally {
        timers.mockRestore();
      }
      expect(sandbox.requestLog.map((e) => e.status)).toEqual([429, 200]);
    });

    it.runIf(apiVersion !== 'v1')(
      'does not wait for a Retry-After beyond the deadline: RateLimitError at once',
      async () => {
        sandbox.addFault({ path: statusPath, fault: 'rate-limit', retryAfter: 30 });
        // A wait would be cut by the 3 s deadline, a TimeoutError: RateLimitError means it did not wait.
        const error = await errorOf(client(3000).status());
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterSeconds).toBe(30);
        expect(sandbox.stats().requests).toBe(1);
      },
    );

    it('refuses a body that is not JSON', async () => {
      sandbox.addFault({ path: statusPath, fault: 'invalid-json' });
      await expect(client().status()).rejects.toBeInstanceOf(BadResponseError);
    });

    it('refuses an oversized body without reading it', async () => {
      sandbox.addFault({ path: statusPath, fault: 'oversized', bytes: 8 * 1024 * 1024 });
      await expect(client().status()).rejects.toThrow(/over 1 MiB/);
      await expect(client().status()).rejects.toBeInstanceOf(BadResponseError);
    });
  });

  describe('writes are never sent twice', () => {
    const writes: [string, ApiVersion, string, (c: Client, key: string) => Promise<unknown>][] = [
      ['share', 'v1', '/api/v1/share', (c) => c.share({ secret: 'once only' })],
      ['share', 'v2', '/api/v2/secret/conceal', (c) => c.share({ secret: 'once only' })],
      ['generate', 'v1', '/api/v1/generate', (c) => c.generate()],
      ['generate', 'v2', '/api/v2/secret/conceal', (c) => c.generate()],
      ['reveal', 'v1', '/api/v1/secret/*', (c, key) => c.reveal(key)],
      ['reveal', 'v2', '/api/v2/secret/*/reveal', (c, key) => c.reveal(key)],
      ['burn', 'v1', '/api/v1/private/*/burn', (c, key) => c.burn(key)],
      ['burn', 'v2', '/api/v2/receipt/*/burn', (c, key) => c.burn(key)],
    ];

    async function keysFor(apiVersion: ApiVersion, operation: string): Promise<string> {
      const shared = await createClient({ domain: sandbox.url, apiVersion }).share({ secret: 'target' });
      sandbox.resetStats();
      return operation === 'burn' ? shared.receiptKey : shared.secretKey;
    }

    describe.each(writes)('%s on %s', (operation, apiVersion, path, call) => {
      const client = (timeoutMs = 5000) =>
        createClient({ domain: sandbox.url, apiVersion, ...ALICE, timeoutMs });

      // The same faults on a read are retried within these times (see the API tests above).
      it.each([
        ['a 5xx', { fault: 'status', status: 503 } as const, ServerError, 3000],
        ['a 429', { fault: 'rate-limit', retryAfter: 0 } as const, RateLimitError, 3000],
        ['a reset', { fault: 'reset' } as const, NetworkError, 3000],
        ['a timeout', { latencyMs: 3000 } as const, TimeoutError, 500],
      ])('after %s', async (_name, fault, errorClass, timeoutMs) => {
        const key = await keysFor(apiVersion, operation);
        sandbox.addFault({ path, method: 'POST', ...fault });
        await expect(call(client(timeoutMs), key)).rejects.toBeInstanceOf(errorClass);
        await sleep(400); // longer than the first retry's backoff: a retry would have arrived
        expect(sandbox.stats().requests).toBe(1);
        expect(await settledLog(1)).toHaveLength(1);
      });
    });

    it('says in the TimeoutError message of a write that it may have happened and was not retried', async () => {
      sandbox.addFault({ path: '/api/v2/secret/conceal', latencyMs: 2000 });
      const error = await createClient({ domain: sandbox.url, timeoutMs: 300 })
        .share({ secret: 'x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toMatch(/may have done it.*never retried.*check the receipt/);
    });

    it('says in the NetworkError message that the call was not retried', async () => {
      sandbox.addFault({ path: '/api/v2/secret/conceal', fault: 'reset' });
      await expect(createClient({ domain: sandbox.url }).share({ secret: 'x' })).rejects.toThrow(
        /never retried/,
      );
    });
  });

  describe("the caller's signal", () => {
    it("aborts a hung call, and a retry wait, with the signal's reason", async () => {
      const client = createClient({ domain: sandbox.url, timeoutMs: 8000 });
      sandbox.addFault({ path: '/api/v2/status', fault: 'hang', times: 1 });
      const reason = new Error('stop now');
      // The 8 s deadline would end it in the library's TimeoutError: the signal's own reason means the signal did.
      const hangError = await errorOf(client.status({ signal: AbortSignal.timeout(200) }));
      expect((hangError as Error).name).toBe('TimeoutError'); // the DOMException of AbortSignal.timeout
      expect(hangError).not.toBeInstanceOf(TimeoutError);

      sandbox.addFault({ path: '/api/v2/status', fault: 'rate-limit', retryAfter: 5, times: 1 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 200);
      const error = await errorOf(client.status({ signal: controller.signal }));
      expect(error).toBe(reason);
    });
  });

  describe('connections', () => {
    it('50 sequential calls from two clients to one target use one TCP connection', async () => {
      // A sandbox of its own: a new origin, so no pooled socket from the tests above counts or helps.
      const own = await startTestSandbox();
      try {
        const first = createClient({ domain: own.url });
        const second = createClient({ domain: own.url, apiVersion: 'v1' });
        for (let i = 0; i < 25; i++) {
          await first.status();
          await second.status();
        }
        expect(own.stats()).toMatchObject({ requests: 50, connections: 1 });
      } finally {
        await own.stop();
      }
    });
  });
});
