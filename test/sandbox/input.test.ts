import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, parseFormEncoded } from '../../sandbox/body.js';
import type { Sandbox } from '../../sandbox/index.js';
import { type Reply, type TestClient, useSandboxWithClient } from './helpers.js';

let sandbox: Sandbox;
let call: TestClient['call'];
useSandboxWithClient((started) => {
  ({ sandbox, call } = started);
});

function expectV1BadPayload(reply: Reply): void {
  expect(reply.status).toBe(404);
  expect(reply.json).toEqual({ message: 'Incorrect payload format' });
  expect(reply.headers['x-ots-intended-status']).toBe('400');
}

describe('form parsing as Rack does', () => {
  it('decodes plus signs and percent escapes, nests brackets, collects arrays', () => {
    const params = parseFormEncoded('a=x+y%21&s[secret]=v&s[ttl]=60&r[]=1&r[]=2&flag&=skip');
    expect({ ...params }).toEqual({ a: 'x y!', s: { secret: 'v', ttl: '60' }, r: ['1', '2'], flag: '' });
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  it('throws on bad percent-encoding and on a key that is both a value and an object', () => {
    expect(() => parseFormEncoded('a=%zz')).toThrow();
    expect(() => parseFormEncoded('a=1&a[b]=2')).toThrow();
  });

  it('cannot reach Object.prototype', () => {
    const params = parseFormEncoded('__proto__[polluted]=yes&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toMatchObject({ polluted: 'yes' });
  });
});

describe('bad input to v1', () => {
  it('answers malformed JSON with Incorrect payload format', async () => {
    expectV1BadPayload(await call('/api/v1/share', { body: '{"secret":', contentType: 'application/json' }));
    expectV1BadPayload(await call('/api/v1/share', { body: '["secret"]', contentType: 'application/json' }));
  });

  it('answers bad percent-encoding in the body or the query', async () => {
    expectV1BadPayload(await call('/api/v1/share', { form: 'secret=%E0%A4%A' }));
    expectV1BadPayload(await call('/api/v1/share?secret=%zz', { method: 'POST' }));
  });

  it('answers a body over 1 MiB, with or without Content-Length', async () => {
    const big = `secret=${'a'.repeat(MAX_BODY_BYTES)}`;
    expectV1BadPayload(await call('/api/v1/share', { form: big }));
    // No Content-Length: the limit must hold while streaming too.
    const chunked = Readable.from(Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 'a')));
    const response = await request(`${sandbox.url}/api/v1/share`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunked,
    });
    expect(response.statusCode).toBe(404);
    expect(await response.body.json()).toEqual({ message: 'Incorrect payload format' });
  });

  it('ignores bodies of other types, reads a typeless POST as a form', async () => {
    const plain = await call('/api/v1/share', { body: 'secret=ignored', contentType: 'text/plain' });
    expect(plain.json).toEqual({ message: 'You did not provide anything to share' });
    const typeless = await call('/api/v1/share', { body: 'secret=read' });
    expect(typeless.status).toBe(200);
  });

  it('refuses a secret sent as a list or an object', async () => {
    expectV1BadPayload(await call('/api/v1/share', { form: 'secret[]=a' }));
    expectV1BadPayload(await call('/api/v1/share', { json: { secret: { nested: true } } }));
  });
});

describe('bad input to v2', () => {
  it('answers malformed JSON and bad encoding with 400 JSON', async () => {
    const reply = await call('/api/v2/secret/conceal', { body: '{oops', contentType: 'application/json' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'Incorrect payload format', error_type: 'BadRequest' });
    expect((await call('/api/v2/secret/conceal?x=%zz', { json: { secret: { secret: 'x' } } })).status).toBe(
      400,
    );
  });

  it('answers a body over 1 MiB with 400', async () => {
    const reply = await call('/api/v2/secret/conceal', {
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
      contentType: 'application/json',
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatch(/larger than 1 MiB/);
  });

  it('answers an empty body with the missing-secret 422', async () => {
    const reply = await call('/api/v2/secret/conceal', { method: 'POST' });
    expect(reply.status).toBe(422);
    expect(reply.json.error_type).toBe('missing');
  });
});

describe('robustness', () => {
  it('answers paths outside the API with a JSON 404', async () => {
    const reply = await call('/secret/abc');
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ error: 'Not Found' });
  });

  it('survives raw garbage on a socket and keeps answering', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await call('/api/v1/status')).status).toBe(200);
  });
});
