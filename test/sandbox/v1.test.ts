import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import {
  ACCOUNT,
  ALICE,
  BOB,
  basic,
  FREE,
  manualClock,
  type Reply,
  startWithClient,
  type TestClient,
} from './helpers.js';

let sandbox: Sandbox;
let http: TestClient;
let call: TestClient['call'];
const clock = manualClock();

beforeAll(async () => {
  ({ sandbox, http, call } = await startWithClient({ now: clock.now }));
});

afterAll(async () => {
  await http.close();
  await sandbox.stop();
});

function expectV1Error(reply: Reply, message: string, intended?: number): void {
  expect(reply.status).toBe(404);
  expect(reply.json).toEqual({ message });
  expect(reply.headers['x-ots-intended-status']).toBe(intended === undefined ? undefined : String(intended));
}

async function share(form: Record<string, string | string[]>, auth?: string): Promise<Reply> {
  return call('/api/v1/share', { form, auth });
}

describe('v1 status and authcheck', () => {
  it('answers status exactly, anonymous', async () => {
    const reply = await call('/api/v1/status');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"status":"nominal","locale":"en"}');
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('evaluates credentials on status whenever sent', async () => {
    expect((await call('/api/v1/status', { auth: ALICE })).json).toEqual({ status: 'nominal', locale: 'en' });
    expectV1Error(
      await call('/api/v1/status', { auth: basic(ACCOUNT.username, 'wrong') }),
      'Not authorized',
      401,
    );
  });

  it.each([
    ['an unknown user', basic('nobody@example.com', 'x')],
    ['a wrong token', basic(ACCOUNT.username, 'nope')],
    ['an empty username', basic('', 'token')],
    ['an empty token', basic(ACCOUNT.username, '')],
    ['a Bearer scheme', 'Bearer abc'],
    ['garbage base64', 'Basic !!!'],
    ['an empty header', ''],
  ])('refuses %s with 404 Not authorized + intended 401', async (_label, auth) => {
    expectV1Error(await call('/api/v1/share', { auth, form: { secret: 'x' } }), 'Not authorized', 401);
  });

  it('authcheck needs an account', async () => {
    expectV1Error(await call('/api/v1/authcheck'), 'Not authorized', 401);
    const ok = await call('/api/v1/authcheck', { auth: ALICE });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ status: 'nominal', locale: 'en' });
  });

  it('answers unknown routes with the router body, GET /share included', async () => {
    for (const [path, method] of [
      ['/api/v1/share', 'GET'],
      ['/api/v1/generate', 'GET'],
      ['/api/v1/nope', 'GET'],
      ['/api/v1/secret/abcdefghijklmnopqrstuvwxyz', 'GET'],
    ] as const) {
      const reply = await call(path, { method });
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ error: 'Not Found' });
    }
  });
});

describe('v1 share, create, generate', () => {
  it('shares anonymously with integer times, aliases and host-based links', async () => {
    const reply = await share({ secret: 'hunter2', ttl: '3600' });
    expect(reply.status).toBe(200);
    const body = reply.json;
    expect(body.custid).toBe('anon');
    expect(body.metadata_key).toMatch(/^[a-z0-9]{62}$/);
    expect(body.secret_key).toMatch(/^[a-z0-9]{62}$/);
    expect(body).toMatchObject({
      ttl: 3600,
      metadata_ttl: 7200,
      secret_ttl: 3600,
      state: 'new',
      recipient: [],
      share_domain: '',
      passphrase_required: false,
      has_passphrase: false,
      identifier: body.metadata_key,
      secret_identifier: body.secret_key,
      receipt_ttl: 7200,
    });
    expect(body.created).toBe(Math.floor(clock.now() / 1000));
    expect(Number.isInteger(body.updated)).toBe(true);
    const origin = sandbox.url;
    expect(body.metadata_url).toBe(`${origin}/receipt/${body.metadata_key}`);
    expect(body.receipt_url).toBe(body.metadata_url);
    expect(body).not.toHaveProperty('value');
  });

  it('builds links from the Host header and X-Forwarded-Proto', async () => {
    const reply = await call('/api/v1/share', {
      host: 'secrets.example.com',
      headers: { 'x-forwarded-proto': 'https' },
      form: { secret: 'x' },
    });
    expect(reply.json.metadata_url).toBe(`https://secrets.example.com/receipt/${reply.json.metadata_key}`);
  });

  it('accepts /create as an alias, JSON bodies and query-string parameters', async () => {
    const created = await call('/api/v1/create', { form: { secret: 'a' } });
    expect(created.status).toBe(200);
    const json = await call('/api/v1/share', { json: { secret: 'b', ttl: 120 } });
    expect(json.json.ttl).toBe(120);
    // As the Go and PowerShell clients do: everything in the query string of a POST.
    const query = await call('/api/v1/share?secret=c&ttl=300', { method: 'POST' });
    expect(query.json.ttl).toBe(300);
    // The body wins over the query, as Rack merges them.
    const both = await call('/api/v1/share?ttl=300', { form: { secret: 'd', ttl: '900' } });
    expect(both.json.ttl).toBe(900);
  });

  it.each([
    [undefined, 604800],
    ['abc', 60],
    ['10', 60],
    ['90abc', 90],
    ['-5', 60],
    ['99999999', 604800],
  ])('clamps anonymous ttl %s to %i', async (ttl, expected) => {
    const form: Record<string, string> = { secret: 'x' };
    if (ttl !== undefined) form.ttl = ttl;
    const reply = await share(form);
    expect(reply.json.ttl).toBe(expected);
    expect(reply.json.metadata_ttl).toBe(expected * 2);
  });

  it('clamps account ttl to 30 days (14 for the free plan) and names the account', async () => {
    const reply = await share({ secret: 'x', ttl: String(90 * 86400) }, ALICE);
    expect(reply.json.ttl).toBe(30 * 86400);
    expect(reply.json.custid).toBe(ACCOUNT.username);
    const free = await share({ secret: 'x', ttl: String(90 * 86400) }, FREE);
    expect(free.json.ttl).toBe(14 * 86400);
  });

  it('refuses an empty or missing secret', async () => {
    expectV1Error(await share({ secret: '' }), 'You did not provide anything to share', 400);
    expectV1Error(await share({}), 'You did not provide anything to share', 400);
  });

  it('limits the secret to 10,000 UTF-8 bytes', async () => {
    expect((await share({ secret: 'a'.repeat(10_000) })).status).toBe(200);
    expectV1Error(
      await share({ secret: 'a'.repeat(10_001) }),
      'Secret value exceeds the maximum size of 10000 bytes',
      400,
    );
    // 3,334 euro signs are 10,002 bytes but only 3,334 characters.
    expectV1Error(
      await share({ secret: '€'.repeat(3334) }),
      'Secret value exceeds the maximum size of 10000 bytes',
      400,
    );
  });

  it('checks passphrase length; empty means none', async () => {
    expectV1Error(
      await share({ secret: 'x', passphrase: 'abc' }),
      'Passphrase must be at least 4 characters long',
      400,
    );
    expectV1Error(
      await share({ secret: 'x', passphrase: 'p'.repeat(129) }),
      'Passphrase must be no more than 128 characters long',
      400,
    );
    expect((await share({ secret: 'x', passphrase: '' })).json.passphrase_required).toBe(false);
    expect((await share({ secret: 'x', passphrase: 'abcd' })).json.passphrase_required).toBe(true);
  });

  it('refuses recipients for anonymous callers, accepts them (obscured) for accounts', async () => {
    expectV1Error(
      await share({ secret: 'x', recipient: 'a@b.co' }),
      'An account is required to send emails.',
      400,
    );
    const reply = await share(
      { secret: 'x', 'recipient[]': ['carol@example.com', 'dave@example.org'] },
      ALICE,
    );
    expect(reply.json.recipient).toEqual(['ca*****@e*****.com', 'da*****@e*****.org']);
    expectV1Error(
      await share({ secret: 'x', recipient: 'not-an-email' }, ALICE),
      'Undeliverable email address: not-an-email',
      400,
    );
  });

  it('ignores a same-host share_domain and refuses unknown domains', async () => {
    expect((await share({ secret: 'x', share_domain: '' })).status).toBe(200);
    expectV1Error(
      await share({ secret: 'x', share_domain: 'other.example.com' }),
      'Unknown domain: other.example.com',
      400,
    );
  });

  it('generates a value (default 12 characters, at most 128) and ignores any secret sent', async () => {
    const reply = await call('/api/v1/generate', { form: { secret: 'ignored' } });
    expect(reply.status).toBe(200);
    expect(reply.json.value).toHaveLength(12);
    expect(reply.json.secret_value).toBe(reply.json.value);
    expect(reply.json.state).toBe('new');
    const long = await call('/api/v1/generate', { form: { length: '40' } });
    expect(long.json.value).toHaveLength(40);
    expectV1Error(
      await call('/api/v1/generate', { form: { length: '129' } }),
      'Generated password length must be no more than 128 characters',
      400,
    );
    const digits = await call('/api/v1/generate', {
      form: {
        'character_sets[uppercase]': 'false',
        'character_sets[lowercase]': 'false',
        'character_sets[symbols]': 'false',
        length: '30',
      },
    });
    expect(digits.json.value).toMatch(/^[2-9]{30}$/);
    const revealed = await call(`/api/v1/secret/${reply.json.secret_key}`, { method: 'POST' });
    expect(revealed.json.value).toBe(reply.json.value);
  });
});

describe('v1 reveal', () => {
  it('reveals once, then answers Unknown secret', async () => {
    const { json } = await share({ secret: 'one time only' });
    const first = await call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      value: 'one time only',
      secret_key: json.secret_key,
      share_domain: sandbox.url,
    });
    const second = await call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' });
    expect(second.status).toBe(404);
    expect(second.json).toEqual({ message: 'Unknown secret', secret_key: json.secret_key });
  });

  it('needs the right passphrase and consumes nothing on a wrong one', async () => {
    const { json } = await share({ secret: 'guarded', passphrase: 'open sesame' });
    const path = `/api/v1/secret/${json.secret_key}`;
    for (const form of [{}, { passphrase: 'wrong!' }] as Record<string, string>[]) {
      const reply = await call(path, { method: 'POST', form });
      expect(reply.json).toEqual({ message: 'Unknown secret', secret_key: json.secret_key });
    }
    const right = await call(path, { form: { passphrase: 'open sesame' } });
    expect(right.json.value).toBe('guarded');
  });

  it('answers Not Found for keys shorter than 20 characters', async () => {
    for (const path of ['/api/v1/secret/short', '/api/v1/receipt/short', '/api/v1/private/x/burn']) {
      const reply = await call(path, { method: 'POST' });
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ message: 'Not Found' });
    }
  });

  it('strips keys to [a-zA-Z0-9_-] before looking them up', async () => {
    const { json } = await share({ secret: 'stripped' });
    const reply = await call(`/api/v1/secret/${json.secret_key}%21`, { method: 'POST' });
    expect(reply.json.value).toBe('stripped');
  });

  it('forgets a secret after its ttl by the injected clock', async () => {
    const { json } = await share({ secret: 'soon gone', ttl: '60' });
    clock.advance(61_000);
    const reply = await call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' });
    expect(reply.json.message).toBe('Unknown secret');
    const receipt = await call(`/api/v1/receipt/${json.metadata_key}`);
    expect(receipt.json.state).toBe('expired');
    clock.advance(60_000);
    expect((await call(`/api/v1/receipt/${json.metadata_key}`)).json.message).toBe('Unknown secret');
  });

  it('lets exactly one of 20 concurrent reveals have the value', async () => {
    const { json } = await share({ secret: 'race me' });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' })),
    );
    const winners = replies.filter((reply) => reply.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.json.value).toBe('race me');
    expect(replies.filter((reply) => reply.json.message === 'Unknown secret')).toHaveLength(19);
  });
});

describe('v1 receipts, burn, recent', () => {
  it('shows a receipt through every alias, GET and POST', async () => {
    const { json } = await share({ secret: 'x', ttl: '600' });
    for (const alias of ['receipt', 'private', 'metadata']) {
      for (const method of ['GET', 'POST']) {
        const reply = await call(`/api/v1/${alias}/${json.metadata_key}`, { method });
        expect(reply.status).toBe(200);
        expect(reply.json).toMatchObject({
          state: 'new',
          secret_key: json.secret_key,
          passphrase_required: false,
        });
      }
    }
    const unknown = await call(`/api/v1/receipt/${'z'.repeat(62)}`);
    expect(unknown.json).toEqual({ message: 'Unknown secret', secret_key: 'z'.repeat(62) });
  });

  it('marks a revealed secret received: no secret_key, a received time', async () => {
    const { json } = await share({ secret: 'x' });
    await call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' });
    const receipt = (await call(`/api/v1/receipt/${json.metadata_key}`)).json;
    expect(receipt.state).toBe('received');
    expect(receipt.received).toBe(Math.floor(clock.now() / 1000));
    expect(receipt).not.toHaveProperty('secret_key');
    expect(receipt).not.toHaveProperty('secret_identifier');
    expect(receipt).not.toHaveProperty('secret_ttl');
    expect(receipt).not.toHaveProperty('passphrase_required');
  });

  it('shows a generated value on the first receipt view only', async () => {
    const { json } = await call('/api/v1/generate', { form: {} });
    const first = await call(`/api/v1/receipt/${json.metadata_key}`);
    expect(first.json.value).toBe(json.value);
    const second = await call(`/api/v1/receipt/${json.metadata_key}`);
    expect(second.json).not.toHaveProperty('value');
  });

  it('burns an unread secret and nests the receipt under state', async () => {
    const { json } = await share({ secret: 'burn me' });
    const reply = await call(`/api/v1/private/${json.metadata_key}/burn`, { method: 'POST' });
    expect(reply.status).toBe(200);
    expect(reply.json.state).toMatchObject({
      state: 'burned',
      metadata_key: json.metadata_key,
      custid: 'anon',
    });
    expect(reply.json.secret_shortkey).toBe(json.secret_key.slice(0, 8));
    const reveal = await call(`/api/v1/secret/${json.secret_key}`, { method: 'POST' });
    expect(reveal.json.message).toBe('Unknown secret');
    const again = await call(`/api/v1/receipt/${json.metadata_key}/burn`, { method: 'POST' });
    expect(again.json).toEqual({ message: 'Unknown secret', secret_key: json.metadata_key });
    expect((await call(`/api/v1/metadata/${json.metadata_key}`)).json.state).toBe('burned');
  });

  it('burn with a wrong passphrase is "Double check that passphrase" + intended 400', async () => {
    const { json } = await share({ secret: 'x', passphrase: 'pass1234' });
    expectV1Error(
      await call(`/api/v1/receipt/${json.metadata_key}/burn`, { form: { passphrase: 'nope' } }),
      'Double check that passphrase',
      400,
    );
    const ok = await call(`/api/v1/receipt/${json.metadata_key}/burn`, { form: { passphrase: 'pass1234' } });
    expect(ok.json.state.state).toBe('burned');
  });

  it('lists only the caller’s receipts, without secret keys', async () => {
    const mine = await share({ secret: 'mine', passphrase: 'pass1234' }, ALICE);
    await share({ secret: 'theirs' }, BOB);
    await share({ secret: 'anonymous' });
    const reply = await call('/api/v1/private/recent', { auth: ALICE });
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.json)).toBe(true);
    expect(reply.json.every((item: { custid: string }) => item.custid === ACCOUNT.username)).toBe(true);
    const item = reply.json.find(
      (entry: { metadata_key: string }) => entry.metadata_key === mine.json.metadata_key,
    );
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('secret_key');
    expect(item).not.toHaveProperty('passphrase_required');
    expect(item.secret_ttl).toBeNull();
    for (const alias of ['receipt', 'metadata']) {
      expect((await call(`/api/v1/${alias}/recent`, { auth: ALICE })).status).toBe(200);
    }
    expectV1Error(await call('/api/v1/receipt/recent'), 'Not authorized', 401);
  });
});

describe('v1 hosts are separate regions', () => {
  it('does not know on host B a secret made on host A', async () => {
    const made = await call('/api/v1/share', { host: 'eu.localtest', form: { secret: 'eu only' } });
    const elsewhere = await call(`/api/v1/secret/${made.json.secret_key}`, {
      host: 'us.localtest',
      method: 'POST',
    });
    expect(elsewhere.json.message).toBe('Unknown secret');
    const receipt = await call(`/api/v1/receipt/${made.json.metadata_key}`, { host: 'us.localtest' });
    expect(receipt.json.message).toBe('Unknown secret');
    const home = await call(`/api/v1/secret/${made.json.secret_key}`, {
      host: 'eu.localtest:8443',
      method: 'POST',
    });
    expect(home.json).toMatchObject({ value: 'eu only', share_domain: 'http://eu.localtest:8443' });
  });
});
