/**
 * What differs between the two senders and must not show: fetch follows redirects and decodes gzip by
 * default, undici does neither. Both are checked against plain node:http servers on loopback (the
 * sandbox sends neither redirects nor gzip). Also: what each request carries, and the fetch entry's
 * refusal of an undici dispatcher.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BadResponseError, OtsError } from '../../src/errors.js';
import * as viaFetch from '../../src/fetch.js';
import { closeSharedAgent } from '../../src/http/undici-sender.js';
import * as viaUndici from '../../src/index.js';
import { USER_AGENT } from '../../src/version.js';

const SENDERS = [
  ['undici', viaUndici.createClient],
  ['fetch', viaFetch.createClient],
] as const;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});
afterAll(() => closeSharedAgent());

/** A loopback server answering every request with `answer`; it records what it was sent. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    req.resume();
    answer(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe.each(SENDERS)('through %s', (sender, createClient) => {
  it('sends Accept, User-Agent and the Basic header', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"nominal","locale":"en"}');
    });
    const client = createClient({ domain: server.url, username: 'u@example.com', token: 'tok-123456' });
    await client.status();
    expect(server.seen[0]?.headers).toMatchObject({
      accept: 'application/json',
      'user-agent': USER_AGENT,
      authorization: `Basic ${Buffer.from('u@example.com:tok-123456').toString('base64')}`,
    });
  });

  it('does not follow a redirect: one request, and an error', async () => {
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/elsewhere')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"nominal"}');
        return;
      }
      res.writeHead(302, { location: '/elsewhere/api/v2/status' });
      res.end();
    });
    const client = createClient({ domain: server.url, username: 'u@example.com', token: 'tok-123456' });
    await expect(client.status()).rejects.toBeInstanceOf(OtsError);
    expect(server.seen.map((r) => r.url)).toEqual(['/api/v2/status']);
  });

  it('refuses a gzip body that inflates past 1 MiB, or that is not JSON as sent', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, ' '));
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': bomb.length,
      });
      res.end(bomb);
    });
    // undici hands the compressed bytes back as they are (not JSON); fetch inflates them and stops at the cap.
    const error = await createClient({ domain: server.url })
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as Error).message).toMatch(sender === 'fetch' ? /over 1 MiB/ : /no JSON/);
  });
});

describe('onetime-kit/fetch', () => {
  it('refuses an undici dispatcher, naming the option and what to do', async () => {
    const dispatcher = new Agent();
    const options = { domain: 'http://127.0.0.1:9', dispatcher } as never;
    expect(() => viaFetch.createClient(options)).toThrow(
      expect.objectContaining({ name: 'ValidationError', input: 'dispatcher' }),
    );
    await expect(viaFetch.checkStatus('http://127.0.0.1:9', options)).rejects.toThrow(
      /dispatcher is not used by onetime-kit\/fetch.*import from 'onetime-kit'/,
    );
    await dispatcher.close();
  });
});
