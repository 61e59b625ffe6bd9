/**
 * A burn succeeds only when the answer confirms it (docs/ots-api.md 1.8, 2.7): the sandbox's `json`
 * fault answers burn with 2xx bodies that do not say "burned", over real loopback HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/types.js';
import { BadResponseError, ValidationError } from '../../src/errors.js';
import { createClient } from '../../src/index.js';
import { silentLogger, startTestSandbox } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.clearFaults());

const UNCONFIRMED: Record<'v1' | 'v2', unknown[]> = {
  v1: [{}, { state: {} }, { state: { state: 'new' } }, { secret_shortkey: 'abcdefgh' }, []],
  v2: [
    { success: true, record: { identifier: 'x' } },
    { success: true, record: { state: 'new' } },
  ],
};

describe.each<'v1' | 'v2'>(['v1', 'v2'])('API %s burn', (apiVersion) => {
  const client = () => createClient({ domain: sandbox.url, apiVersion, logger: silentLogger() });

  it('confirms a burn the answer says is burned', async () => {
    const shared = await client().share({ secret: 'burn me' });
    expect(await client().burn(shared.receiptKey)).toEqual({
      state: 'burned',
      receiptKey: shared.receiptKey,
    });
  });

  it.each(UNCONFIRMED[apiVersion])('is a BadResponseError for the 2xx answer %j', async (body) => {
    const shared = await client().share({ secret: 'burn me' });
    sandbox.addFault({ path: '*/burn', fault: 'json', body });
    const error = await client()
      .burn(shared.receiptKey)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect(String((error as Error).message)).toMatch(/not confirmed/);
    expect(String((error as Error).message)).not.toContain(shared.receiptKey);
  });

  it.each([
    ['burn', 'Double check that passphrase'],
    ['reveal', 'Incorrect passphrase'],
  ])('maps the %s answer "%s" to the passphrase error', async (operation, text) => {
    const shared = await client().share({ secret: 'guarded', passphrase: 'right-one' });
    const body = apiVersion === 'v1' ? { message: text } : { error: text, error_type: 'FormError' };
    const status = apiVersion === 'v1' ? 404 : 422;
    sandbox.addFault({ path: `*/${operation === 'burn' ? 'burn' : 'reveal'}`, fault: 'json', status, body });
    if (apiVersion === 'v1' && operation === 'reveal')
      sandbox.addFault({ path: '/api/v1/secret/*', fault: 'json', status, body });
    const error = await (operation === 'burn'
      ? client().burn(shared.receiptKey, { passphrase: 'wrong-one' })
      : client().reveal(shared.secretKey, { passphrase: 'wrong-one' })
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).input).toBe('passphrase');
  });
});
