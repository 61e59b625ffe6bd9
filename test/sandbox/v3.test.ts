/** API v3 as the sandbox serves it: status, version, secret status and the guest routes (sandbox/v3.ts). */
import { describe, expect, it } from 'vitest';
import { ALICE, startWithClient, type TestClient, useSandboxWithClient } from './helpers.js';

let call: TestClient['call'];
useSandboxWithClient((started) => {
  ({ call } = started);
});

const guestConceal = (secret: Record<string, unknown>, send = call) =>
  send('/api/v3/guest/secret/conceal', { json: { secret } });

describe('v3 meta', () => {
  it('answers status with exactly status and locale', async () => {
    const reply = await call('/api/v3/status');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"status":"nominal","locale":"en"}');
  });

  it('answers version to Basic credentials only', async () => {
    expect((await call('/api/v3/version')).status).toBe(401);
    expect((await call('/api/v3/version', { auth: ALICE })).json).toEqual({
      version: [0, 26, 11],
      locale: 'en',
    });
  });
});

describe('v3 guest routes', () => {
  it('conceals without custid or metadata, with native types and no share URL', async () => {
    const made = await guestConceal({ secret: 'hello', ttl: 600, passphrase: 'pass1234' });
    expect(made.status).toBe(200);
    expect(made.json.success).toBe(true);
    const { receipt, secret, share_domain } = made.json.record;
    expect(made.json.record).not.toHaveProperty('metadata');
    expect(receipt).not.toHaveProperty('custid');
    expect(receipt.recipients).toBeNull();
    expect(receipt).not.toHaveProperty('share_url');
    expect(share_domain).toBeNull();
    expect(secret.key).toMatch(/^[a-z0-9]{62}$/);
    expect(secret.lifespan).toBe(600);
    expect(secret.has_passphrase).toBe(true);
  });

  it('reveals once, shows the receipt, burns, and reports a secret status', async () => {
    const made = await guestConceal({ secret: 'once', passphrase: 'pass1234' });
    const key = made.json.record.secret.key;
    const receiptKey = made.json.record.receipt.identifier;
    expect((await call(`/api/v3/secret/${key}/status`)).json.record.state).toBe('new');
    const reveal = (passphrase: string) =>
      call(`/api/v3/guest/secret/${key}/reveal`, { json: { passphrase, continue: true } });
    expect((await reveal('nope')).status).toBe(422);
    expect((await reveal('pass1234')).json.record.secret_value).toBe('once');
    expect((await reveal('pass1234')).status).toBe(404);
    expect((await call(`/api/v3/secret/${key}/status`)).json).toEqual({ record: { state: 'unknown' } });
    const receipt = await call(`/api/v3/guest/receipt/${receiptKey}`);
    expect(receipt.json.record.state).toBe('received');
    const other = await guestConceal({ secret: 'burn me' });
    const burn = await call(`/api/v3/guest/receipt/${other.json.record.receipt.identifier}/burn`, {
      json: { continue: true },
    });
    expect(burn.json).toMatchObject({ success: true, record: { state: 'burned' } });
  });

  it('generates without returning the value', async () => {
    const made = await call('/api/v3/guest/secret/generate', { json: { secret: {} } });
    expect(made.status).toBe(200);
    expect(made.json.record.secret.key).toMatch(/^[a-z0-9]{62}$/);
    expect(JSON.stringify(made.json)).not.toContain('secret_value');
  });

  it('answers 401 on the session-only routes, a Basic token included', async () => {
    for (const auth of [undefined, ALICE]) {
      const reply = await call('/api/v3/secret/conceal', { json: { secret: { secret: 'x' } }, auth });
      expect(reply.status).toBe(401);
      expect(reply.json.error).toBe('Authentication Required');
      expect(reply.json.message).toMatch(/^\[SESSION_/);
    }
    expect((await call('/api/v3/receipt/recent', { auth: ALICE })).status).toBe(401);
  });
});

describe('guest switches', () => {
  it('answers 403 GuestRoutesDisabled for a switched-off operation, on v3 and v2 anonymous calls', async () => {
    const gated = await startWithClient({ guestRoutes: { conceal: false } });
    try {
      const refused = await guestConceal({ secret: 'x' }, gated.call);
      expect(refused.status).toBe(403);
      expect(refused.json).toEqual({
        error: 'Guest conceal is disabled',
        error_type: 'GuestRoutesDisabled',
        code: 'GUEST_CONCEAL_DISABLED',
      });
      const v2 = await gated.call('/api/v2/secret/conceal', { json: { secret: { secret: 'x' } } });
      expect(v2.json.error_type).toBe('GuestRoutesDisabled');
      const withAccount = await gated.call('/api/v2/secret/conceal', {
        json: { secret: { secret: 'x' } },
        auth: ALICE,
      });
      expect(withAccount.status).toBe(200);
      expect((await gated.call('/api/v3/guest/secret/generate', { json: { secret: {} } })).status).toBe(200);
    } finally {
      await gated.http.close();
      await gated.sandbox.stop();
    }
  });

  it('switches every guest operation off with enabled: false', async () => {
    const off = await startWithClient({ guestRoutes: { enabled: false } });
    try {
      const reply = await off.call('/api/v3/guest/secret/generate', { json: { secret: {} } });
      expect(reply.status).toBe(403);
      expect(reply.json).toMatchObject({
        error: 'Guest API access is disabled',
        code: 'GUEST_ROUTES_DISABLED',
      });
      expect((await off.call('/api/v3/status')).status).toBe(200);
    } finally {
      await off.http.close();
      await off.sandbox.stop();
    }
  });
});
