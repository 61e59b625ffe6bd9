/**
 * A third-party client as a witness: `onetimesecret-api` 1.1.3 (npm; tgamauf/onetimesecret-api, API v1,
 * written by nobody here) runs unchanged against the sandbox. Where it and the sandbox disagreed, the
 * server's source decided (docs/ots-api.md); see the quirks below for what is the client's own.
 *
 * Node 22 only: the package calls `util.isUndefined`, removed in Node 23, so on Node 23+ it cannot even
 * build a request. CI runs this file on Node 22; here: `npx -y -p node@22 -- npx vitest run test/witness`.
 *
 * Its quirks, as found here (all the client's, none the server's):
 * - Its `main` is `index.ts`: import `onetimesecret-api/index.js`.
 * - It always sends Basic credentials (it refuses to start without them): there is no anonymous mode.
 * - It reads receipts with `POST /private/:key` and burns with `POST /private/:key/burn` and no body;
 *   the v1 controller forces `continue`, so both work, as the server routes them.
 * - `recipient` is sent as one `recipient=` field, not `recipient[]`; the server accepts either.
 * - Its share link is always `<url>/secret/<key>`: it ignores `share_domain`.
 * - Errors are told apart by the exact message: only 2016's "Apologies dear citizen! You have been rate
 *   limited." is a RateLimitedError, so today's "Rate limit exceeded. Please try again later." (404) and
 *   "Too many secrets created" arrive as a plain Error; the key-length 404 "Not Found" is a NotFoundError
 *   named "Metadata not found" whatever was asked.
 * - Its timeout (30 s) rejects but never aborts the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { createClient } from '../../src/index.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const WITNESS_MODULE: string = 'onetimesecret-api/index.js';
const ACCOUNT = { username: 'witness@example.com', token: 'witness-token-0123456789' };

// biome-ignore lint/suspicious/noExplicitAny: the package ships loose types for a CommonJS build.
type Witness = any;

describe.runIf(NODE_MAJOR === 22)('onetimesecret-api 1.1.3 against the sandbox (Node 22 only)', () => {
  let sandbox: Sandbox;
  // biome-ignore lint/suspicious/noExplicitAny: see Witness.
  let ots: any;
  let OneTimeSecretApi: new (username: string, password: string, options: object) => Witness;
  // biome-ignore lint/suspicious/noExplicitAny: the package's error classes.
  let errors: Record<string, any>;

  beforeAll(async () => {
    sandbox = await startSandbox({ accounts: [ACCOUNT] });
    // A specifier in a variable: TypeScript would otherwise typecheck the package's own .ts sources.
    const witness = await import(WITNESS_MODULE);
    OneTimeSecretApi = witness.OneTimeSecretApi;
    errors = witness;
    ots = new OneTimeSecretApi(ACCOUNT.username, ACCOUNT.token, { url: sandbox.url });
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('reads the status', async () => {
    expect(await ots.status()).toBe(true);
  });

  it('shares with a passphrase and a recipient, reads the metadata new then received, retrieves once', async () => {
    const shared = await ots.share('witness secret', {
      passphrase: 'pass1234',
      recipient: 'friend@example.com',
      ttl: 600,
    });
    expect(shared.share_link).toBe(`${sandbox.url}/secret/${shared.secret_key}`);
    expect(shared).toMatchObject({ ttl: 600, passphrase_required: true, state: 'new' });
    expect(shared.recipient).toHaveLength(1);
    expect(shared.recipient[0]).not.toContain('friend@example.com');
    const before = await ots.retrieveMetadata(shared.metadata_key);
    expect(before).toMatchObject({ state: 'new', secret_key: shared.secret_key });
    const revealed = await ots.retrieveSecret(shared.secret_key, { passphrase: 'pass1234' });
    expect(revealed).toMatchObject({ value: 'witness secret', secret_key: shared.secret_key });
    const after = await ots.retrieveMetadata(shared.metadata_key);
    expect(after.state).toBe('received');
    expect(after.received).toBeGreaterThan(0);
    expect(after).not.toHaveProperty('secret_key');
    expect(after).not.toHaveProperty('share_link');
    await expect(ots.retrieveSecret(shared.secret_key, { passphrase: 'pass1234' })).rejects.toBeInstanceOf(
      errors.UnknownSecretError,
    );
  });

  it('generates, burns and lists recent metadata', async () => {
    const generated = await ots.generate({ ttl: 600 });
    expect(typeof generated.value).toBe('string');
    expect(generated.value.length).toBeGreaterThanOrEqual(12);
    const burned = await ots.burn(generated.metadata_key);
    expect(burned.state.state).toBe('burned');
    expect(burned.secret_shortkey).toBe(generated.secret_key.slice(0, 8));
    const recent = await ots.recentMetadata();
    expect(Array.isArray(recent)).toBe(true);
    expect(recent.map((item: { metadata_key: string }) => item.metadata_key)).toContain(
      generated.metadata_key,
    );
    await expect(ots.retrieveSecret(generated.secret_key)).rejects.toBeInstanceOf(errors.UnknownSecretError);
  });

  it('agrees with onetime-kit on the same secrets, both ways', async () => {
    const kit = createClient({ domain: sandbox.url, apiVersion: 'v1', ...ACCOUNT });
    const fromWitness = await ots.share('made by the witness');
    expect((await kit.reveal(fromWitness.share_link)).value).toBe('made by the witness');
    const fromKit = await kit.share({ secret: 'made by onetime-kit', passphrase: 'pass1234' });
    expect((await ots.retrieveSecret(fromKit.secretKey, { passphrase: 'pass1234' })).value).toBe(
      'made by onetime-kit',
    );
    expect((await kit.receipt(fromKit.receiptKey)).state).toBe('received');
  });

  it('meets the errors it knows, and the ones it does not (its quirks)', async () => {
    const stranger = new OneTimeSecretApi(ACCOUNT.username, 'wrong-token', { url: sandbox.url });
    await expect(stranger.status()).rejects.toBeInstanceOf(errors.NotAuthorizedError);
    await expect(ots.retrieveMetadata('short')).rejects.toBeInstanceOf(errors.NotFoundError);
    sandbox.addFault({ path: '/api/v1/share', fault: 'rate-limit', times: 1 });
    const limited = await ots.share('x').catch((error: unknown) => error);
    expect(limited).not.toBeInstanceOf(errors.RateLimitedError);
    expect((limited as Error).message).toContain('Rate limit exceeded');
  });
});

describe.skipIf(NODE_MAJOR === 22)('onetimesecret-api (skipped on this Node)', () => {
  it.skip(`needs Node 22: the package calls util.isUndefined, removed in Node 23 (this is Node ${process.versions.node})`, () => {});
});
