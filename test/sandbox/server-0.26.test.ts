/** The v0.26.11 behaviours the sandbox follows by default (docs/ots-api.md sections 8 to 12). */
import { FormData, request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import { ALICE, startWithClient, type TestClient, useSandboxWithClient } from './helpers.js';

let sandbox: Sandbox;
let call: TestClient['call'];
useSandboxWithClient((started) => {
  ({ sandbox, call } = started);
});

const conceal = (secret: Record<string, unknown>, auth?: string) =>
  call('/api/v2/secret/conceal', { json: { secret }, auth });

describe('the passphrase continue-gate (v0.26.7)', () => {
  it('sends no correct_passphrase, and checks a passphrase only with continue=true', async () => {
    const made = await conceal({ secret: 'guarded', passphrase: 'open sesame' });
    const id = made.json.record.secret.identifier;
    const wrong = await call(`/api/v2/secret/${id}?passphrase=nope`);
    const right = await call(`/api/v2/secret/${id}?passphrase=${encodeURIComponent('open sesame')}`);
    const preview = await call(`/api/v2/secret/${id}/reveal`, { json: { passphrase: 'nope' } });
    for (const reply of [wrong, right, preview]) {
      expect(reply.status).toBe(200);
      expect(reply.json.details).not.toHaveProperty('correct_passphrase');
    }
    expect(wrong.json.details).toEqual(right.json.details);
    const committed = await call(`/api/v2/secret/${id}/reveal`, {
      json: { passphrase: 'nope', continue: true },
    });
    expect(committed.status).toBe(422);
    const revealed = await call(`/api/v2/secret/${id}/reveal`, {
      json: { passphrase: 'open sesame', continue: true },
    });
    expect(revealed.json.record.secret_value).toBe('guarded');
    expect(revealed.json.details).not.toHaveProperty('correct_passphrase');
  });
});

describe('answers of the 0.26 line', () => {
  it('answers every /api path with Cache-Control: private, no-store', async () => {
    for (const path of ['/api/v1/status', '/api/v2/status', '/api/v3/status', '/api/v2/nope', '/api/v9']) {
      expect((await call(path)).headers['cache-control'], path).toBe('private, no-store');
    }
    expect((await call('/elsewhere')).headers['cache-control']).toBe('no-store');
  });

  it('gives v2 receipts custid null and an owner_id that is a UUID, never the username', async () => {
    const made = await conceal({ secret: 'x' }, ALICE);
    const { receipt } = made.json.record;
    expect(receipt.custid).toBeNull();
    expect(receipt.owner_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await conceal({ secret: 'y' }, ALICE)).json.record.receipt.owner_id).toBe(receipt.owner_id);
    expect((await conceal({ secret: 'z' })).json.record.receipt.owner_id).toBeNull();
  });

  it('reports version 0.26.11', async () => {
    expect((await call('/api/v2/version', { auth: ALICE })).json.version).toEqual([0, 26, 11]);
  });
});

describe('multipart bodies (v0.26.8 ValidateMultipart)', () => {
  it('accepts a well-formed multipart body on v1 and v2', async () => {
    const v1Form = new FormData();
    v1Form.append('secret', 'from a form');
    v1Form.append('ttl', '600');
    const v1 = await request(`${sandbox.url}/api/v1/share`, { method: 'POST', body: v1Form });
    const shared = (await v1.body.json()) as { secret_key: string; ttl: number };
    expect(v1.statusCode).toBe(200);
    expect(shared.ttl).toBe(600);
    const revealed = await call(`/api/v1/secret/${shared.secret_key}`, { form: {} });
    expect(revealed.json.value).toBe('from a form');
    const v2Form = new FormData();
    v2Form.append('secret[secret]', 'nested');
    v2Form.append('secret[passphrase]', 'pass1234');
    const v2 = await request(`${sandbox.url}/api/v2/secret/conceal`, { method: 'POST', body: v2Form });
    const concealed = (await v2.body.json()) as { record: { secret: { has_passphrase: boolean } } };
    expect(v2.statusCode).toBe(200);
    expect(concealed.record.secret.has_passphrase).toBe(true);
  });

  it('answers a malformed one 400 "Invalid multipart request" on every version', async () => {
    const cases = [
      { body: 'secret=x', contentType: 'multipart/form-data', reason: 'missing boundary' },
      { body: '', contentType: 'multipart/form-data; boundary=x', reason: 'empty body' },
      {
        body: '--x\r\nnot a part header\r\n',
        contentType: 'multipart/form-data; boundary=x',
        reason: 'the body could not be parsed',
      },
    ];
    for (const path of ['/api/v1/share', '/api/v2/secret/conceal', '/api/v3/guest/secret/conceal']) {
      for (const { body, contentType, reason } of cases) {
        const reply = await call(path, { body, contentType, method: 'POST' });
        expect(reply.status, `${path} ${reason}`).toBe(400);
        expect(reply.json).toEqual({ message: `Invalid multipart request: ${reason}` });
      }
    }
  });
});

describe('the anonymous creation limiter (opt-in)', () => {
  it('locks an address after the limit: v2/v3 429 LimitExceeded, v1 404; accounts are not charged', async () => {
    const limited = await startWithClient({ createLimit: 2 });
    try {
      const { call: send } = limited;
      const v2 = (auth?: string) =>
        send('/api/v2/secret/conceal', { json: { secret: { secret: 'x' } }, auth });
      expect((await v2()).status).toBe(200);
      expect((await send('/api/v1/share', { form: { secret: 'x' } })).status).toBe(200);
      const refused = await v2();
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('3600');
      expect(refused.json).toEqual({
        error: 'Too many secrets created. Please try again later.',
        error_type: 'LimitExceeded',
        retry_after: 3600,
        max_attempts: 2,
      });
      const v1 = await send('/api/v1/generate', { form: {} });
      expect(v1.status).toBe(404);
      expect(v1.headers['x-ots-intended-status']).toBe('400');
      expect(v1.headers['retry-after']).toBeUndefined();
      expect(v1.json).toEqual({ message: 'Too many secrets created. Please try again later.' });
      const v3 = await send('/api/v3/guest/secret/generate', { json: { secret: {} } });
      expect(v3.status).toBe(429);
      expect(v3.json.error_type).toBe('LimitExceeded');
      expect((await v2(ALICE)).status).toBe(200);
    } finally {
      await limited.http.close();
      await limited.sandbox.stop();
    }
  });
});
