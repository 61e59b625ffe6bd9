/** Server profiles: the sandbox imitates the 0.23 and 0.24 lines when asked (sandbox/profiles.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index.js';
import { ACCOUNT, basic, startWithClient } from './helpers.js';

type Started = Awaited<ReturnType<typeof startWithClient>>;
const BAD = basic(ACCOUNT.username, 'not-the-token');

function useSandbox(server: '0.23' | '0.24'): () => Started {
  let started: Started;
  beforeAll(async () => {
    started = await startWithClient({ server });
  });
  afterAll(async () => {
    await started.http.close();
    await started.sandbox.stop();
  });
  return () => started;
}

describe('server 0.23', () => {
  const get = useSandbox('0.23');

  it('makes 31-character keys and v1 errors without X-OTS-Intended-Status, with a shrimp', async () => {
    const { call } = get();
    const shared = await call('/api/v1/share', { form: { secret: 'x' } });
    expect(shared.json.secret_key).toMatch(/^[a-z0-9]{31}$/);
    expect(shared.json.metadata_key).toHaveLength(31);
    const refused = await call('/api/v1/share', { form: { secret: '' } });
    expect(refused.status).toBe(404);
    expect(refused.headers['x-ots-intended-status']).toBeUndefined();
    expect(refused.json.message).toBe('You did not provide anything to share');
    expect(refused.json.shrimp).toMatch(/^[0-9a-f]{40}$/);
  });

  it('rate-limits v1 with "Cripes! You have been rate limited." (404)', async () => {
    const { call, sandbox } = get();
    sandbox.addFault({ path: '/api/v1/*', fault: 'rate-limit', times: 1 });
    const reply = await call('/api/v1/share', { form: { secret: 'x' } });
    expect(reply.status).toBe(404);
    expect(reply.json.message).toBe('Cripes! You have been rate limited.');
  });

  it('sends v2 records as strings, v2 errors as {error: class, message: text}, status without success', async () => {
    const { call } = get();
    const made = await call('/api/v2/secret/conceal', { json: { secret: { secret: 'x', ttl: 600 } } });
    expect(made.json.record.secret.lifespan).toBe('600');
    expect(made.json.record.secret.has_passphrase).toBe('false');
    const empty = await call('/api/v2/secret/conceal', { json: { secret: { secret: '' } } });
    expect(empty.status).toBe(422);
    expect(empty.json.error).toBe('FormError');
    expect(typeof empty.json.message).toBe('string');
    expect(empty.json).not.toHaveProperty('error_type');
    expect((await call('/api/v2/status')).json).toEqual({ status: 'nominal', locale: 'en' });
  });

  it('treats bad Basic credentials on an anonymous-capable v2 route as anonymous', async () => {
    const { call } = get();
    const made = await call('/api/v2/secret/conceal', { json: { secret: { secret: 'x' } }, auth: BAD });
    expect(made.status).toBe(200);
    expect(made.json.record.receipt.owner_id).toBeNull();
    expect((await call('/api/v2/version', { auth: BAD })).status).toBe(401);
  });

  it('serves no v3', async () => {
    const reply = await get().call('/api/v3/status');
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ error: 'NotFound', message: 'Not Found' });
  });
});

describe('server 0.24', () => {
  const get = useSandbox('0.24');

  it('keeps 62-character keys, the intended status, native v2 types and ADR-013 errors', async () => {
    const { call } = get();
    const shared = await call('/api/v1/share', { form: { secret: 'x' } });
    expect(shared.json.secret_key).toHaveLength(62);
    const refused = await call('/api/v1/share', { form: { secret: '' } });
    expect(refused.headers['x-ots-intended-status']).toBe('400');
    expect(refused.json).toEqual({ message: 'You did not provide anything to share' });
    const made = await call('/api/v2/secret/conceal', { json: { secret: { secret: 'x', ttl: 600 } } });
    expect(made.json.record.secret.lifespan).toBe(600);
    expect(made.json.record.receipt.custid).toBe(null);
    const empty = await call('/api/v2/secret/conceal', { json: { secret: { secret: '' } } });
    expect(typeof empty.json.error_type).toBe('string');
  });

  it('still evaluates the passphrase without continue (correct_passphrase), and fails open on bad Basic', async () => {
    const { call } = get();
    const made = await call('/api/v2/secret/conceal', {
      json: { secret: { secret: 'x', passphrase: 'pass1234' } },
    });
    const id = made.json.record.secret.identifier;
    expect((await call(`/api/v2/secret/${id}?passphrase=nope`)).json.details.correct_passphrase).toBe(false);
    expect((await call(`/api/v2/secret/${id}?passphrase=pass1234`)).json.details.correct_passphrase).toBe(
      true,
    );
    const anonymous = await call('/api/v2/secret/conceal', { json: { secret: { secret: 'x' } }, auth: BAD });
    expect(anonymous.status).toBe(200);
  });

  it('has no /api cache policy, refuses multipart as a bad payload, and serves no v3', async () => {
    const { call } = get();
    expect((await call('/api/v2/status')).headers['cache-control']).toBe('no-store');
    const multipart = await call('/api/v1/share', {
      body: '--x\r\nContent-Disposition: form-data; name="secret"\r\n\r\nx\r\n--x--\r\n',
      contentType: 'multipart/form-data; boundary=x',
    });
    expect(multipart.json).toEqual({ message: 'Incorrect payload format' });
    expect((await call('/api/v3/status')).status).toBe(404);
    expect(
      (await call('/api/v2/version', { auth: basic(ACCOUNT.username, ACCOUNT.token) })).json.version,
    ).toEqual([0, 24, 0]);
  });
});

describe('server option', () => {
  it('refuses an unknown line, naming the allowed ones', async () => {
    await expect(startSandbox({ server: '0.25' as '0.26' })).rejects.toThrow(
      'server must be one of 0.23, 0.24, 0.26, got "0.25"',
    );
  });
});
