/**
 * Credentials silently ignored: a server that creates the secret anonymously when Basic credentials fail
 * (the sandbox's `anonymousOnBadCredentials`, as older servers did). Credentials were sent, so the call
 * fails with an AuthError that says so; the secret exists, so the error carries its receipt key, never
 * in the message. Through the library (both versions), the CLI and the action bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/types.js';
import { AuthError } from '../../src/errors.js';
import { createClient } from '../../src/index.js';
import type { ApiVersion } from '../../src/types.js';
import { runAction } from '../action/harness.js';
import { runCli } from '../cli/run-cli.js';
import { ALICE, silentLogger, startTestSandbox } from './helpers.js';

const WRONG = { username: ALICE.username, token: 'not-alices-token-0000' };

let lenient: Sandbox;
beforeAll(async () => {
  lenient = await startTestSandbox({ anonymousOnBadCredentials: true });
});
afterAll(() => lenient.stop());

describe.each<ApiVersion>(['v1', 'v2'])(
  'API %s, a server that ignores bad credentials on create',
  (apiVersion) => {
    const client = (credentials: object) =>
      createClient({ domain: lenient.url, apiVersion, logger: silentLogger(), ...credentials });

    it.each(['share', 'generate'] as const)(
      '%s fails with an AuthError carrying the receipt key',
      async (op) => {
        const call = op === 'share' ? client(WRONG).share({ secret: 'kept' }) : client(WRONG).generate();
        const error = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthError);
        const auth = error as AuthError;
        expect(auth.message).toMatch(/created the secret anonymously/);
        expect(auth.message).toMatch(/burn it with its receipt key/);
        expect(auth.receiptKey).toMatch(/^[a-z0-9]{20,}$/);
        expect(auth.message).not.toContain(auth.receiptKey);
        expect(JSON.stringify({ ...auth })).not.toContain(auth.receiptKey);
        // The key is the real receipt: the secret can be burned with it.
        expect(await client({}).burn(auth.receiptKey!)).toMatchObject({ state: 'burned' });
      },
    );

    it('anonymous calls and good credentials are not affected', async () => {
      await expect(client({}).share({ secret: 'anon on purpose' })).resolves.toHaveProperty('receiptKey');
      await expect(client(ALICE).share({ secret: 'owned' })).resolves.toHaveProperty('receiptKey');
    });
  },
);

describe('the adapters', () => {
  it('the CLI exits 1, says why on stderr and prints the receipt key on stdout only', async () => {
    const run = await runCli(['share', '--domain', lenient.url], {
      stdin: 'kept',
      env: { OTS_USERNAME: WRONG.username, OTS_TOKEN: WRONG.token },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/created the secret anonymously/);
    const key = /^receipt key\t(\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(key).toMatch(/^[a-z0-9]{20,}$/);
    expect(run.stderr).not.toContain(key);
  });

  it('the action fails, masks the receipt key and sets it as the receipt-key output', async () => {
    const run = await runAction({ domain: lenient.url, operation: 'share', secret: 'kept', ...WRONG });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/created the secret anonymously/);
    const key = run.outputs['receipt-key'] ?? '';
    expect(key).toMatch(/^[a-z0-9]{20,}$/);
    expect(run.masks).toContain(key);
    expect(run.printed).not.toContain(key);
  });
});
