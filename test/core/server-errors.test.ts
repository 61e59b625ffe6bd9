/**
 * The client follows the server (issue: v0.26.11 behaviours): rate limits in v1's 404 form and v2's
 * LimitExceeded, v0.23's bodies, and fields of unexpected types, all against the sandbox over loopback.
 * The odd types come from a rewriting proxy in front of the sandbox (no server here sends them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { BadResponseError, NotFoundError, OtsError, RateLimitError } from '../../src/errors.js';
import { createClient } from '../../src/index.js';
import type { ApiVersion } from '../../src/types.js';
import { ALICE, startTestSandbox, useTestSandbox } from './helpers.js';
import { type MutatingProxy, startMutatingProxy } from './mutating-proxy.js';

let sandbox: Sandbox;
useTestSandbox((started) => {
  sandbox = started;
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('rate limits', () => {
  it('maps v1 "Rate limit exceeded" (404, intended 400) to RateLimitError, sent once', async () => {
    sandbox.addFault({ path: '/api/v1/share', fault: 'rate-limit' });
    const error = await rejection(
      createClient({ domain: sandbox.url, apiVersion: 'v1' }).share({ secret: 'x' }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).httpStatus).toBe(404);
    expect(sandbox.stats().requests).toBe(1);
  });

  it('maps the anonymous creation limit: v1 "Too many secrets created" and v2 LimitExceeded with retryAfter', async () => {
    const limited = await startTestSandbox({ createLimit: 1 });
    try {
      const v1 = createClient({ domain: limited.url, apiVersion: 'v1' });
      const v2 = createClient({ domain: limited.url, apiVersion: 'v2' });
      await v1.share({ secret: 'first' });
      const fromV1 = await rejection(v1.generate());
      expect(fromV1).toBeInstanceOf(RateLimitError);
      expect((fromV1 as RateLimitError).message).toMatch(/rate limiting generate/);
      const fromV2 = await rejection(v2.share({ secret: 'x' }));
      expect(fromV2).toBeInstanceOf(RateLimitError);
      expect((fromV2 as RateLimitError).retryAfterSeconds).toBe(3600);
      expect((fromV2 as RateLimitError).message).toMatch(/Wait 3600 s/);
      // Writes are never retried, and an account is not charged.
      expect(limited.requestLog.filter((entry) => entry.status === 429)).toHaveLength(1);
      await expect(
        createClient({ domain: limited.url, ...ALICE }).share({ secret: 'x' }),
      ).resolves.toBeDefined();
    } finally {
      await limited.stop();
    }
  });
});

describe('a v0.23 server', () => {
  it('maps "Cripes!" to RateLimitError and the legacy v2 bodies to the same errors', async () => {
    const old = await startTestSandbox({ server: '0.23' });
    try {
      old.addFault({ path: '/api/v1/share', fault: 'rate-limit', times: 1 });
      const v1 = createClient({ domain: old.url, apiVersion: 'v1' });
      expect(await rejection(v1.share({ secret: 'x' }))).toBeInstanceOf(RateLimitError);
      const v2 = createClient({ domain: old.url, apiVersion: 'v2' });
      const shared = await v2.share({ secret: 'x', ttl: 600 });
      expect(shared.ttl).toBe(600);
      expect((await v2.reveal(shared.secretUrl)).value).toBe('x');
      expect(await rejection(v2.reveal(shared.secretKey))).toBeInstanceOf(NotFoundError);
      const refused = await rejection(v2.share({ secret: 'x', ttl: 600, recipient: 'a@example.com' }));
      expect(refused).toBeInstanceOf(OtsError);
    } finally {
      await old.stop();
    }
  });
});

describe('fields of unexpected types', () => {
  let proxy: MutatingProxy;

  beforeAll(async () => {
    proxy = await startMutatingProxy(sandbox.url);
  });

  afterAll(() => proxy.stop());

  afterEach(() => proxy.clear());

  /** Sets the field at `path` (and its aliases, the other names given for the last step). */
  const set =
    (path: string[], value: unknown, ...aliases: string[]) =>
    (json: unknown) => {
      let at = json as Record<string, unknown>;
      for (const name of path.slice(0, -1)) at = at[name] as Record<string, unknown>;
      for (const name of [path.at(-1) as string, ...aliases]) at[name] = value;
      return json;
    };

  // A field with a usable alias is read from the alias; the error comes when no name is usable.
  it.each<[ApiVersion, string, string[], unknown, string, string[]]>([
    [
      'v2',
      '/api/v2/secret/conceal',
      ['record', 'receipt', 'identifier'],
      [1, 2],
      'record.receipt.identifier as a list',
      ['key'],
    ],
    ['v2', '/api/v2/secret/conceal', ['record'], 'text', 'record as a string', []],
    ['v2', '/api/v2/status', ['status'], true, 'status as a boolean', []],
    ['v1', '/api/v1/share', ['metadata_key'], { a: 1 }, 'metadata_key as an object', ['identifier']],
    ['v1', '/api/v1/share', ['secret_key'], false, 'secret_key as a boolean', ['secret_identifier']],
    ['v1', '/api/v1/status', ['status'], null, 'without status', []],
  ])(
    '%s %s with %j: a BadResponseError naming the field',
    async (apiVersion, prefix, path, value, named, aliases) => {
      proxy.rewrite(prefix, set(path, value, ...aliases));
      const client = createClient({ domain: proxy.url, apiVersion });
      const error = await rejection(
        prefix.endsWith('status') ? client.status() : client.share({ secret: 'x' }),
      );
      expect(error).toBeInstanceOf(BadResponseError);
      expect((error as Error).message).toContain(named);
    },
  );

  it('names a reveal value of the wrong type and a recent list that is not a list', async () => {
    const direct = createClient({ domain: proxy.url, apiVersion: 'v2', ...ALICE });
    const shared = await direct.share({ secret: 'x' });
    proxy.rewrite('/api/v2/secret/', set(['record', 'secret_value'], { nested: 'x' }));
    expect(await rejection(direct.reveal(shared.secretKey))).toMatchObject({
      name: 'BadResponseError',
      message: expect.stringContaining('record.secret_value as an object'),
    });
    proxy.rewrite('/api/v2/receipt/recent', set(['records'], { a: 1 }));
    expect(await rejection(direct.recent())).toMatchObject({
      name: 'BadResponseError',
      message: expect.stringContaining('records as an object, not a list'),
    });
  });

  /** Every field of every answer, set to each odd value: an OtsError or a result, never a crash. */
  it.each<ApiVersion>(['v1', 'v2'])('never crashes on any odd field in %s answers', async (apiVersion) => {
    // Anonymous secrets, so the account's recent list stays one receipt long.
    const client = createClient({ domain: proxy.url, apiVersion });
    const account = createClient({ domain: proxy.url, apiVersion, ...ALICE });
    const plain = createClient({ domain: sandbox.url, apiVersion });
    await createClient({ domain: sandbox.url, apiVersion, ...ALICE }).share({ secret: 'listed' });
    const operations: [string, () => Promise<unknown>][] = [
      ['recent', () => account.recent()],
      ['status', () => client.status()],
      ['share', () => client.share({ secret: 'x', passphrase: 'pass1234' })],
      ['generate', () => client.generate()],
      ['reveal', async () => client.reveal((await plain.share({ secret: 'x' })).secretKey)],
      ['receipt', async () => client.receipt((await plain.share({ secret: 'x' })).receiptKey)],
      ['burn', async () => client.burn((await plain.share({ secret: 'x' })).receiptKey)],
    ];
    const odd = [{}, null, 1e300, true];
    for (const [name, run] of operations) {
      proxy.clear();
      const fields: string[][] = [];
      proxy.rewrite('/api/', (json) => {
        collectPaths(json, [], fields);
        return json;
      });
      await run();
      for (const path of fields) {
        for (const value of odd) {
          proxy.rewrite('/api/', set(path, value));
          const outcome = await run().then(
            () => 'ok',
            (error: unknown) => error,
          );
          if (outcome !== 'ok' && !(outcome instanceof OtsError)) {
            throw new Error(
              `${name}: ${path.join('.')} = ${JSON.stringify(value)} crashed: ${String(outcome)}`,
            );
          }
        }
      }
    }
  });
});

/** Paths to every field down to depth 3 (the first item of a list stands for all). */
function collectPaths(json: unknown, at: string[], out: string[][]): void {
  if (at.length >= 3 || typeof json !== 'object' || json === null) return;
  const entries = Array.isArray(json) ? (json.length > 0 ? [['0', json[0]]] : []) : Object.entries(json);
  for (const [name, value] of entries) {
    out.push([...at, name as string]);
    collectPaths(value, [...at, name as string], out);
  }
}
